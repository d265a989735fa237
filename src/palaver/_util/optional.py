"""The optional frame libraries, imported with an error that says how to get them.

pandas and polars are the ``frames`` extra, not dependencies: without them a
frame asked for raised a bare ``ModuleNotFoundError: No module named 'pandas'``
that did not say what to install or what works without it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["FrameLibraryError", "frame_library"]


class FrameLibraryError(ImportError):
    """A frame was asked for and its library (pandas or polars) is not installed."""


def frame_library(name: str, wanted: str, instead: str) -> ModuleType:
    """Import ``name`` (``"pandas"`` or ``"polars"``) for ``wanted`` (what was asked,
    e.g. ``"results.ranking()"``), or raise :class:`FrameLibraryError` naming the
    extra to install and ``instead``, what gives the same data without it."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise FrameLibraryError(
            f"{wanted} needs {name}: pip install 'palaver[frames]' ({instead})"
        ) from exc

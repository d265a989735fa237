"""How a Palaver object shows itself in a notebook, without depending on the report layer.

Lower layers cannot import :mod:`palaver.report` (it sits on top of them), yet a
mechanism, a recording reader and a tournament's results should display with a
plot in Jupyter. They call :func:`html` with their kind; the renderer for that
kind is whatever registered itself with :func:`register_html`. Renderers are
discovered through the ``palaver.html`` entry-point group (Palaver's own
``palaver.report.notebook`` is one), the standard plug-in mechanism, so the
dependency points upwards only at run time and only by declaration. Without
a renderer the object shows its escaped ``repr``.
"""

from __future__ import annotations

import html as _html
from collections.abc import Callable
from importlib import metadata
from typing import Any

_RENDERERS: dict[str, Callable[[Any], str]] = {}
_loaded = False

#: The entry-point group searched for renderers (each entry is a module or callable
#: that calls :func:`register_html` when loaded).
ENTRY_POINT_GROUP = "palaver.html"


def register_html(kind: str, renderer: Callable[[Any], str]) -> None:
    """Render objects of ``kind`` (``"mechanism"``, ``"recording"``, ``"tournament"``,
    ``"negotiation_tournament"``) with ``renderer(obj) -> html``; a later
    registration replaces an earlier one."""
    _RENDERERS[kind] = renderer


def _load_plugins() -> None:
    global _loaded
    _loaded = True
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry.load()
        except ImportError:
            # A renderer whose optional dependency is missing: the plain repr is shown.
            continue
        if callable(loaded):
            loaded()


def html(kind: str, obj: Any) -> str:
    """The HTML of ``obj`` from the renderer registered for ``kind``, or its escaped repr.

    A renderer that raises falls back to the repr with the error named, so a
    notebook cell never fails because of its display.
    """
    if kind not in _RENDERERS and not _loaded:
        _load_plugins()
    renderer = _RENDERERS.get(kind)
    fallback = f"<pre>{_html.escape(repr(obj))}</pre>"
    if renderer is None:
        return fallback
    try:
        return renderer(obj)
    except Exception as exc:
        why = _html.escape(f"{type(exc).__name__}: {exc}")
        return f"{fallback}<p>(display failed: {why})</p>"

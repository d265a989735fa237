"""Finding the drawing of a lower layer's object (``mechanism.plot()``,
``scenario.plot()``) without importing the report layer.

Drawing belongs to :mod:`palaver.report` (matplotlib, an optional extra),
which the layers below it must not import. As for the notebook display
(:mod:`palaver.events.display`), each plotter is found through the
``palaver.plotters`` entry-point group by its kind (Palaver's own entries:
``mechanism`` -> ``palaver.report.negotiation:plot_mechanism`` and ``scenario``
-> ``palaver.report.negmas_scenario:plot_scenario``), the standard plug-in
mechanism: the dependency points upwards only at run time and only by
declaration. :func:`register_plotter` sets one directly.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import metadata
from typing import Any

#: The entry-point group searched for plotters (an entry per kind of object).
ENTRY_POINT_GROUP = "palaver.plotters"

#: The image formats a figure is saved in (by file extension). Kept here, below
#: every layer, so that a scenario checks a plot extension before it writes files.
IMAGE_FORMATS = frozenset({"webp", "png", "jpg", "jpeg", "svg", "pdf"})

_plotters: dict[str, Callable[..., Any]] = {}


def savefig_format(suffix: str) -> str:
    """matplotlib's name of the image format of a file extension (``jpg`` is ``jpeg``)."""
    return "jpeg" if suffix == "jpg" else suffix


def register_plotter(kind: str, plotter: Callable[..., Any]) -> None:
    """Make ``plotter(obj, **options)`` what drawing an object of ``kind`` calls."""
    _plotters[kind] = plotter


def found(kind: str) -> Callable[..., Any] | None:
    """The plotter of ``kind`` declared in the entry points, or ``None``."""
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP, name=kind):
        try:
            loaded = entry.load()
        except ImportError as exc:  # the report extra (matplotlib) is not installed
            raise RuntimeError(
                f"drawing a {kind} needs the report extra: pip install 'palaver[report]' ({exc})"
            ) from exc
        if callable(loaded):
            return loaded  # type: ignore[no-any-return]
    return None


def plot(kind: str, obj: Any, hint: str, **options: Any) -> Any:
    """Draw ``obj`` with the plotter of ``kind``; without one, a ``RuntimeError``
    that says what to do (``hint``: the report function drawing the same)."""
    plotter = _plotters.get(kind) or found(kind)
    if plotter is None:
        raise RuntimeError(
            f"no plotter of {kind!r} in the {ENTRY_POINT_GROUP!r} entry points "
            f"(is palaver installed, e.g. pip install -e .?); {hint}"
        )
    _plotters[kind] = plotter
    return plotter(obj, **options)

"""NegMAS's ``mechanism.plot()``, drawn by the report layer without depending on it.

Drawing belongs to :mod:`palaver.report` (matplotlib, an optional extra),
which this layer must not import. As for the notebook display
(:mod:`palaver.events.display`), the plotter is found through an entry-point
group, ``palaver.plotters`` (Palaver's own entry ``mechanism`` is
``palaver.report.negotiation:plot_mechanism``), the standard plug-in
mechanism: the dependency points upwards only at run time and only by
declaration. :func:`register_plotter` sets one directly.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import metadata
from typing import Any

#: The entry-point group searched for the plotter (an entry named ``mechanism``).
ENTRY_POINT_GROUP = "palaver.plotters"

_plotter: Callable[..., Any] | None = None


def register_plotter(plotter: Callable[..., Any]) -> None:
    """Make ``plotter(mechanism, **options)`` what ``mechanism.plot(**options)`` calls."""
    global _plotter
    _plotter = plotter


def _found() -> Callable[..., Any] | None:
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP, name="mechanism"):
        try:
            loaded = entry.load()
        except ImportError as exc:  # the report extra (matplotlib) is not installed
            raise RuntimeError(
                f"mechanism.plot() needs the report extra: pip install 'palaver[report]' ({exc})"
            ) from exc
        if callable(loaded):
            return loaded  # type: ignore[no-any-return]
    return None


def plot(mechanism: Any, **options: Any) -> Any:
    """The figure ``mechanism.plot(**options)`` returns (see ``Mechanism.plot``)."""
    global _plotter
    if _plotter is None:
        _plotter = _found()
    if _plotter is None:
        raise RuntimeError(
            f"mechanism.plot() found no plotter in the {ENTRY_POINT_GROUP!r} entry points "
            "(is palaver installed, e.g. pip install -e .?); "
            "palaver.report.plot_negotiation(mechanism) draws the same figure"
        )
    return _plotter(mechanism, **options)

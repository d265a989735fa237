"""NegMAS's ``mechanism.plot()`` and ``CompletedRun.plot()``, drawn by the report
layer without depending on it (see :mod:`palaver._util.plotters`)."""

from __future__ import annotations

from typing import Any

from palaver._util import plotters


def plot(mechanism: Any, **options: Any) -> Any:
    """The figure ``mechanism.plot(**options)`` returns (see ``Mechanism.plot``)."""
    hint = "palaver.report.plot_negotiation(mechanism) draws a figure of it too"
    return plotters.plot("mechanism", mechanism, hint, **options)

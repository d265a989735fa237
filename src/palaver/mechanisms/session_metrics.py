"""NegMAS's ``SessionMetrics`` under its earlier path.

The calculator lives in the scenarios layer
(:mod:`palaver.scenarios.metrics_session`), so that a
:class:`~palaver.scenarios.Scenario` computes the metrics of an agreement
itself; this module keeps ``palaver.mechanisms.session_metrics`` importable.
"""

from palaver.scenarios.metrics_session import (
    SessionMetrics,
    advantage,
    calc_session_metrics,
    checked_ranges,
    realised_utilities,
)

__all__ = [
    "SessionMetrics",
    "advantage",
    "calc_session_metrics",
    "checked_ranges",
    "realised_utilities",
]

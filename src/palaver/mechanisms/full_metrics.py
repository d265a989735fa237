"""NegMAS's ``FullMetrics`` under its earlier path.

The calculator lives in the scenarios layer
(:mod:`palaver.scenarios.metrics_full`), so that a
:class:`~palaver.scenarios.Scenario` computes the metrics of an agreement
itself; this module keeps ``palaver.mechanisms.full_metrics`` importable.
"""

from palaver.scenarios.metrics_full import FullMetrics, calc_full_metrics, undefined_optimality

__all__ = ["FullMetrics", "calc_full_metrics", "undefined_optimality"]

"""NegMAS's ``NegotiatorMetrics`` under its earlier path.

The calculator lives in the scenarios layer
(:mod:`palaver.scenarios.metrics_negotiator`), so that a
:class:`~palaver.scenarios.Scenario` computes the metrics of an agreement
itself; this module keeps ``palaver.mechanisms.negotiator_metrics`` importable.
"""

from palaver.scenarios.metrics_negotiator import NegotiatorMetrics, calc_negotiator_metrics

__all__ = ["NegotiatorMetrics", "calc_negotiator_metrics"]

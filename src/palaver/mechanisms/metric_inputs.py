"""The metric calculators' inputs, read from a live mechanism.

:class:`~palaver.scenarios.metrics_inputs.MetricInputs` (in the scenarios
layer, which cannot see mechanisms) gathers the inputs from utility functions,
an outcome space and a trace; :class:`MetricInputs` here adds
:meth:`MetricInputs.of_mechanism`, which takes them from a mechanism.
"""

from __future__ import annotations

from palaver.mechanisms.views import MechanismViews
from palaver.scenarios.metrics_inputs import MetricInputs as ScenarioMetricInputs

__all__ = ["MetricInputs"]


class MetricInputs(ScenarioMetricInputs):
    """:class:`~palaver.scenarios.metrics_inputs.MetricInputs`, also made from a mechanism."""

    @classmethod
    def of_mechanism(cls, mechanism: MechanismViews) -> MetricInputs:
        """The inputs of ``mechanism``'s negotiation (its negotiators' ufuns and its offers).

        Raises:
            ValueError: When a negotiator has no utility function (naming it), or
                there are no negotiators.
        """
        ufuns = [getattr(n, "ufun", None) for n in mechanism._negotiators]
        return cls(
            ufuns, mechanism.outcome_space, mechanism.negotiator_ids, mechanism.extended_trace
        )

"""The metric calculators' inputs, read from a live mechanism.

:class:`~palaver.scenarios.metrics_inputs.MetricInputs` (in the scenarios
layer, which cannot see mechanisms) gathers the inputs from utility functions,
an outcome space and a trace; :class:`MetricInputs` here adds
:meth:`MetricInputs.of_mechanism`, which takes them from a mechanism.
"""

from __future__ import annotations

from palaver.mechanisms.errors import MechanismValueError
from palaver.mechanisms.views import MechanismViews
from palaver.scenarios.metrics_inputs import MetricInputs as ScenarioMetricInputs

__all__ = ["MetricInputs"]


class MetricInputs(ScenarioMetricInputs):
    """:class:`~palaver.scenarios.metrics_inputs.MetricInputs`, also made from a mechanism."""

    @classmethod
    def of_mechanism(cls, mechanism: MechanismViews) -> MetricInputs:
        """The inputs of ``mechanism``'s negotiation (its negotiators' ufuns and its offers).

        Raises:
            MechanismValueError: A ``ValueError`` naming the mechanism and the
                negotiators without a utility function (some negotiators join
                without one), or saying there are no negotiators.
        """
        ufuns = [getattr(n, "ufun", None) for n in mechanism._negotiators]
        label = f"{type(mechanism).__name__} {mechanism.id!r}"
        if not ufuns:
            raise MechanismValueError(
                f"{label}: metrics need negotiators with utility functions; it has no negotiators"
            )
        missing = [nid for nid, u in zip(mechanism.negotiator_ids, ufuns, strict=True) if u is None]
        if missing:
            raise MechanismValueError(
                f"{label}: metrics need every negotiator's utility function (preferences); "
                f"{missing} have none: pass ufun= to the negotiator or to add()"
            )
        return cls(
            ufuns, mechanism.outcome_space, mechanism.negotiator_ids, mechanism.extended_trace
        )

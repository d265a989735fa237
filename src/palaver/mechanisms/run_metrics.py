"""A mechanism's metrics of its own negotiation (NegMAS's ``Mechanism.calc_*_metrics``).

:class:`MechanismMetrics` is the part of :class:`~palaver.mechanisms.Mechanism`
that feeds the metric calculators from the negotiation itself: every
negotiator's utility function (all must have one), their reserved values (a
missing or infinite one is the party's lowest utility), their utility ranges,
the offers in order with who made them, the agreement, the relative time and
the last round. The scenario's statistics are computed (the outcome space is
enumerated) unless given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from palaver.mechanisms.metric_inputs import MetricInputs
from palaver.mechanisms.views import MechanismViews
from palaver.scenarios import Scenario
from palaver.scenarios.metrics_full import FullMetrics, calc_full_metrics
from palaver.scenarios.metrics_negotiator import NegotiatorMetrics, calc_negotiator_metrics
from palaver.scenarios.metrics_session import SessionMetrics, calc_session_metrics
from palaver.scenarios.optimality import AnyStats, rational_frontier

__all__ = ["MechanismMetrics"]


class MechanismMetrics(MechanismViews):
    """NegMAS's metric methods of a mechanism (see :class:`Mechanism`)."""

    def _metric_stats(self, inputs: MetricInputs, stats: AnyStats | None) -> AnyStats:
        if stats is not None:
            return stats
        return Scenario(outcome_space=inputs.space, ufuns=inputs.ufuns).calc_stats()

    def calc_session_metrics(
        self,
        *,
        pareto_utils: Sequence[Sequence[float]] | None = None,
        stats: AnyStats | None = None,
    ) -> SessionMetrics:
        """This negotiation's :class:`SessionMetrics`.

        ``pareto_utils`` (for ``surplus_efficiency``) defaults to the rational
        frontier of ``stats`` (computed when not given).

        Raises:
            ValueError: When a negotiator has no utility function.
        """
        inputs = MetricInputs.of_mechanism(self)
        if pareto_utils is None:
            pareto_utils = rational_frontier(self._metric_stats(inputs, stats)) or None
        return calc_session_metrics(
            inputs.agreement_utils(self.agreement),
            inputs.reserved,
            utility_ranges=inputs.ranges,
            relative_time=self.relative_time,
            last_step=self.current_step,
            pareto_utils=pareto_utils,
        )

    def calc_negotiator_metrics(
        self, negotiator: int | str, *, opponent_ufun: Any = None, eps: float = 1e-9
    ) -> NegotiatorMetrics:
        """The :class:`NegotiatorMetrics` of ``negotiator`` (its index or its id).

        ``opponent_ufun`` is its model of the others' utility function.

        Raises:
            ValueError: For an unknown negotiator, or when one has no utility function.
        """
        inputs = MetricInputs.of_mechanism(self)
        if isinstance(negotiator, str):
            if negotiator not in self.negotiator_ids:
                raise ValueError(f"no negotiator has id {negotiator!r} in {self.negotiator_ids}")
            negotiator = self.negotiator_ids.index(negotiator)
        parties, first = inputs.parties()
        return calc_negotiator_metrics(
            inputs.trace_utils,
            inputs.agreement_utils(self.agreement),
            inputs.reserved,
            index=negotiator,
            utility_ranges=inputs.ranges,
            trace_parties=parties,
            first_offer_party=first,
            trace_offers=inputs.trace_offers,
            outcome_space=inputs.space,
            opponent_ufun=opponent_ufun,
            ufuns=inputs.ufuns,
            eps=eps,
        )

    def calc_full_metrics(
        self,
        *,
        opponent_ufuns: Sequence[Any] | None = None,
        stats: AnyStats | None = None,
        max_dist: float | None = None,
        eps: float = 1e-9,
    ) -> FullMetrics:
        """This negotiation's :class:`FullMetrics` (see :func:`calc_full_metrics`).

        ``stats`` are computed when not given; ``max_dist`` defaults to
        ``estimate_max_dist`` of the negotiators' utility functions.

        Raises:
            ValueError: When a negotiator has no utility function.
        """
        inputs = MetricInputs.of_mechanism(self)
        parties, first = inputs.parties()
        return calc_full_metrics(
            inputs.trace_utils,
            inputs.agreement_utils(self.agreement),
            inputs.reserved,
            utility_ranges=inputs.ranges,
            relative_time=self.relative_time,
            last_step=self.current_step,
            trace_parties=parties,
            first_offer_party=first,
            trace_offers=inputs.trace_offers,
            outcome_space=inputs.space,
            ufuns=inputs.ufuns,
            opponent_ufuns=opponent_ufuns,
            stats=self._metric_stats(inputs, stats),
            max_dist=max_dist,
            eps=eps,
        )

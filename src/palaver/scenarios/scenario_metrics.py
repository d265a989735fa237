"""NegMAS's ``Scenario.calc_session_metrics``, ``calc_negotiator_metrics`` and
``calc_full_metrics``: the metrics of an agreement (and, optionally, of an
offer trace) computed from the scenario alone, without running a mechanism.

The scenario supplies what it knows: the utility functions (party ``i`` is
``scenario.ufuns[i]``), the outcome space, each party's ``(min, max)``
utility, its reserved value (a missing or infinite one: its lowest utility)
and the statistics (cached :attr:`~palaver.scenarios.Scenario.stats`). What
only a negotiation knows (the agreement, the relative time at the end, the
last round, the offers) is given by keyword and defaults to "none": no
agreement (each party gets its reserved value), time 0, round 0, no trace
(the trace metrics are NaN). With the same inputs the results equal the
mechanism's own ``calc_*_metrics``, which feed the same calculators.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver.outcomes import Outcome
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.metrics_checks import (
    checked_agreement_utils,
    checked_bool,
    checked_eps,
    checked_index,
    checked_max_dist,
    checked_opponent_ufun,
    checked_opponent_ufuns,
    checked_reserved,
    checked_stats,
    checked_time,
    checked_trace_parties,
)
from palaver.scenarios.metrics_full import FullMetrics, calc_full_metrics
from palaver.scenarios.metrics_inputs import MetricInputs
from palaver.scenarios.metrics_negotiator import NegotiatorMetrics, calc_negotiator_metrics
from palaver.scenarios.metrics_session import SessionMetrics, calc_session_metrics
from palaver.scenarios.negmas_hull_stats import ConvexHullStats
from palaver.scenarios.optimality import AnyStats, rational_frontier

if TYPE_CHECKING:
    from palaver.outcomes import OutcomeSpace
    from palaver.preferences import UtilityFunction, UtilityFunctionLike
    from palaver.scenarios.stats import ScenarioStats

__all__ = ["ScenarioMetrics"]


class ScenarioMetrics:
    """The metric methods of :class:`~palaver.scenarios.Scenario` (a base of it)."""

    if TYPE_CHECKING:
        name: str

        @property
        def ufuns(self) -> tuple[UtilityFunction, ...]: ...

        @property
        def outcome_space(self) -> OutcomeSpace: ...

        @property
        def issue_names(self) -> list[str]: ...

        @property
        def stats(self) -> ScenarioStats: ...

    def calc_session_metrics(
        self,
        *,
        agreement: Outcome | Mapping[str, Any] | None = None,
        agreement_utils: Sequence[float] | np.ndarray[Any, Any] | None = None,
        reserved_values: Sequence[float] | np.ndarray[Any, Any] | None = None,
        relative_time: float = 0.0,
        last_step: int = 0,
        pareto_utils: Sequence[Sequence[float]] | None = None,
        stats: AnyStats | None = None,
        convex_hull: bool = False,
    ) -> SessionMetrics:
        """The :class:`~palaver.scenarios.metrics_session.SessionMetrics` of a
        negotiation of this scenario that ended with ``agreement``.

        Args:
            agreement: The agreement (a tuple in issue order or a dict by issue
                name), or ``None``: no agreement, every party gets its reserved value.
            agreement_utils: Instead of ``agreement``, each party's utility of it
                (finite numbers, a sequence or a 1-d numpy array).
            reserved_values: Each party's reserved value (default: the scenario's).
                A missing (given or the scenario's) or infinite one is replaced by
                the party's lowest utility; NaN is refused.
            relative_time: The negotiation's relative time at the end, in ``[0, 1]``
                (``agreement_speed`` is ``1 - relative_time`` with an agreement).
            last_step: The last round reached (for ``relative_efficiency``), an
                integer ``>= 0`` (numpy's included).
            pareto_utils: The frontier for ``surplus_efficiency``; default: the
                rational frontier of ``stats``.
            stats: The statistics to use; default: :attr:`stats` (cached).
            convex_hull: Use NegMAS's statistics of mixtures of outcomes (two
                parties; see ``palaver.negmas.calc_scenario_stats``) when
                ``stats`` is not given; they are not cached.

        Raises:
            ScenarioError: A ``ValueError`` naming the argument at fault and its value.
        """
        where = "calc_session_metrics"
        inputs = self._metric_inputs()
        utils = self._agreement_utils(where, inputs, agreement, agreement_utils)
        reserved = self._reserved(where, inputs, reserved_values)
        time, step = checked_time(where, relative_time, last_step)
        chosen = self._metric_stats(where, stats, convex_hull)
        if pareto_utils is None:
            pareto_utils = rational_frontier(chosen) or None
        return calc_session_metrics(
            utils,
            reserved,
            utility_ranges=inputs.ranges,
            relative_time=time,
            last_step=step,
            pareto_utils=pareto_utils,
        )

    def calc_negotiator_metrics(
        self,
        *,
        index: int,
        trace_utils: Sequence[Sequence[float]] = (),
        agreement: Outcome | Mapping[str, Any] | None = None,
        agreement_utils: Sequence[float] | np.ndarray[Any, Any] | None = None,
        reserved_values: Sequence[float] | np.ndarray[Any, Any] | None = None,
        trace_parties: Sequence[int] | None = None,
        first_offer_party: int = 0,
        trace_offers: Sequence[Outcome | None] | None = None,
        opponent_ufun: UtilityFunctionLike | None = None,
        eps: float = 1e-9,
    ) -> NegotiatorMetrics:
        """The :class:`~palaver.scenarios.metrics_negotiator.NegotiatorMetrics` of
        party ``index`` (the owner of ``ufuns[index]``).

        ``agreement``, ``agreement_utils`` and ``reserved_values`` are as in
        :meth:`calc_session_metrics`; the trace arguments, ``opponent_ufun`` and
        ``eps`` as in
        :func:`~palaver.scenarios.metrics_negotiator.calc_negotiator_metrics`
        (without a trace its trace metrics are NaN).

        Raises:
            ScenarioError: A ``ValueError`` naming the argument at fault and its value.
        """
        where = "calc_negotiator_metrics"
        n = len(self.ufuns)
        party = checked_index(where, "index", index, n)
        inputs = self._metric_inputs()
        return calc_negotiator_metrics(
            trace_utils,
            self._agreement_utils(where, inputs, agreement, agreement_utils),
            self._reserved(where, inputs, reserved_values),
            index=party,
            utility_ranges=inputs.ranges,
            trace_parties=checked_trace_parties(where, trace_parties, n, len(trace_utils)),
            first_offer_party=checked_index(where, "first_offer_party", first_offer_party, n),
            trace_offers=trace_offers,
            outcome_space=inputs.space,
            opponent_ufun=checked_opponent_ufun(where, "opponent_ufun", opponent_ufun),
            ufuns=inputs.ufuns,
            eps=checked_eps(where, eps),
        )

    def calc_full_metrics(
        self,
        *,
        trace_utils: Sequence[Sequence[float]] = (),
        agreement: Outcome | Mapping[str, Any] | None = None,
        agreement_utils: Sequence[float] | np.ndarray[Any, Any] | None = None,
        reserved_values: Sequence[float] | np.ndarray[Any, Any] | None = None,
        relative_time: float = 0.0,
        last_step: int = 0,
        trace_parties: Sequence[int] | None = None,
        first_offer_party: int = 0,
        trace_offers: Sequence[Outcome | None] | None = None,
        opponent_ufuns: Sequence[UtilityFunctionLike | None] | None = None,
        stats: AnyStats | None = None,
        max_dist: float | None = None,
        convex_hull: bool = False,
        eps: float = 1e-9,
    ) -> FullMetrics:
        """The :class:`~palaver.scenarios.metrics_full.FullMetrics` (optimality,
        session and one record per party) of a negotiation of this scenario.

        The arguments are those of :meth:`calc_session_metrics` and
        :meth:`calc_negotiator_metrics` (``opponent_ufuns[i]`` is party ``i``'s
        model), plus ``max_dist``: the distance that scores 0 (default
        ``estimate_max_dist`` of the scenario's utility functions). The
        optimality is all NaN without an agreement.

        Raises:
            ScenarioError: A ``ValueError`` naming the argument at fault and its value.
        """
        where = "calc_full_metrics"
        inputs = self._metric_inputs()
        n = len(inputs.ufuns)
        utils = self._agreement_utils(where, inputs, agreement, agreement_utils)
        reserved = self._reserved(where, inputs, reserved_values)
        time, step = checked_time(where, relative_time, last_step)
        return calc_full_metrics(
            trace_utils,
            utils,
            reserved,
            utility_ranges=inputs.ranges,
            relative_time=time,
            last_step=step,
            trace_parties=checked_trace_parties(where, trace_parties, n, len(trace_utils)),
            first_offer_party=checked_index(where, "first_offer_party", first_offer_party, n),
            trace_offers=trace_offers,
            outcome_space=inputs.space,
            ufuns=inputs.ufuns,
            opponent_ufuns=checked_opponent_ufuns(where, opponent_ufuns, n),
            stats=self._metric_stats(where, stats, convex_hull),
            max_dist=checked_max_dist(where, max_dist),
            eps=checked_eps(where, eps),
        )

    # -- what the three read from the scenario and check at the boundary ---------

    def _metric_inputs(self) -> MetricInputs:
        parties = [f"party {i}" for i in range(len(self.ufuns))]
        return MetricInputs(self.ufuns, self.outcome_space, parties, ())

    def _metric_stats(self, where: str, stats: AnyStats | None, convex_hull: bool) -> AnyStats:
        hull = checked_bool(where, "convex_hull", convex_hull)
        given = checked_stats(where, stats)
        if given is not None:
            return given
        if not hull:
            return self.stats
        return ConvexHullStats(self.stats, self.ufuns, where=f"Scenario.{where}")

    def _agreement_utils(
        self,
        where: str,
        inputs: MetricInputs,
        agreement: Outcome | Mapping[str, Any] | None,
        agreement_utils: Sequence[float] | np.ndarray[Any, Any] | None,
    ) -> list[float] | None:
        if agreement_utils is not None:
            if agreement is not None:
                raise ScenarioError(
                    f"{where}: give agreement or agreement_utils, not both "
                    f"(got agreement={agreement!r}, agreement_utils={agreement_utils!r})"
                )
            return checked_agreement_utils(where, agreement_utils, len(inputs.ufuns))
        if agreement is None:
            return None
        if isinstance(agreement, str | bytes) or agreement not in self.outcome_space:
            raise ScenarioError(
                f"{where}: agreement must be an outcome of scenario {self.name!r} "
                f"(issues {self.issue_names}) or None, got {agreement!r}"
            )
        if isinstance(agreement, Mapping):
            agreement = tuple(agreement[name] for name in self.issue_names)
        return inputs.agreement_utils(tuple(agreement))

    def _reserved(
        self,
        where: str,
        inputs: MetricInputs,
        reserved_values: Sequence[float] | np.ndarray[Any, Any] | None,
    ) -> list[float]:
        if reserved_values is None:
            return inputs.reserved
        return checked_reserved(where, reserved_values, inputs.ranges)

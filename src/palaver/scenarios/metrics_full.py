"""Every metric of one negotiation in one record (NegMAS's ``FullMetrics``).

:func:`calc_full_metrics` bundles three views of a negotiation: the
agreement's optimality against the scenario's statistics
(:class:`~palaver.scenarios.OutcomeOptimality`), what the session achieved
(:class:`~palaver.scenarios.metrics_session.SessionMetrics`) and one
:class:`~palaver.scenarios.metrics_negotiator.NegotiatorMetrics` per party.
Each view is computed by its own calculator from the same inputs, so the
bundle never disagrees with them. The optimality is all NaN without an
agreement or without statistics (nothing is made up).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs
from attrs import define

from palaver.outcomes import Outcome, OutcomeSpace
from palaver.scenarios.metrics_negotiator import NegotiatorMetrics, calc_negotiator_metrics
from palaver.scenarios.metrics_session import SessionMetrics, calc_session_metrics
from palaver.scenarios.optimality import (
    AnyStats,
    OutcomeOptimality,
    calc_outcome_distances,
    calc_outcome_optimality,
    estimate_max_dist,
    rational_frontier,
)

__all__ = ["FullMetrics", "calc_full_metrics", "undefined_optimality"]


def undefined_optimality() -> OutcomeOptimality:
    """An :class:`OutcomeOptimality` whose every score is NaN (no agreement or no stats)."""
    nan = math.nan
    return OutcomeOptimality(nan, nan, nan, nan, nan, nan, nan)


@define(frozen=True)
class FullMetrics:
    """The optimality, session and per-party metrics of one negotiation.

    Attributes:
        optimality: The agreement's scores against the scenario's solution points.
        session: What the negotiation achieved as a whole.
        negotiators: One record per party, in the parties' order.
    """

    optimality: OutcomeOptimality
    session: SessionMetrics
    negotiators: list[NegotiatorMetrics]

    def to_dict(self, negotiator_names: Sequence[str] | None = None) -> dict[str, float]:
        """Every metric as one flat ``{name: value}`` dict.

        The optimality and session fields keep their names (the two sets are
        disjoint); a party's fields are prefixed with ``"{name}_"`` when
        ``negotiator_names`` has an entry for it, else with ``"neg{i}_"``.
        """
        flat: dict[str, float] = attrs.asdict(self.optimality)
        flat.update(attrs.asdict(self.session))
        names = list(negotiator_names or ())
        for i, metrics in enumerate(self.negotiators):
            prefix = f"{names[i]}_" if i < len(names) else f"neg{i}_"
            flat.update({f"{prefix}{k}": v for k, v in attrs.asdict(metrics).items()})
        return flat


def calc_full_metrics(
    trace_utils: Sequence[Sequence[float]],
    agreement_utils: Sequence[float] | None,
    reserved_values: Sequence[float],
    *,
    utility_ranges: Sequence[tuple[float, float]] | None = None,
    relative_time: float = 0.0,
    last_step: int = 0,
    trace_parties: Sequence[int] | None = None,
    first_offer_party: int = 0,
    trace_offers: Sequence[Outcome | None] | None = None,
    outcome_space: OutcomeSpace | None = None,
    ufuns: Sequence[Any] | None = None,
    opponent_ufuns: Sequence[Any] | None = None,
    pareto_utils: Sequence[Sequence[float]] | None = None,
    stats: AnyStats | None = None,
    max_dist: float | None = None,
    eps: float = 1e-9,
) -> FullMetrics:
    """The :class:`FullMetrics` of a negotiation.

    The arguments are those of
    :func:`~palaver.scenarios.metrics_session.calc_session_metrics` and
    :func:`~palaver.scenarios.metrics_negotiator.calc_negotiator_metrics` (``opponent_ufuns[i]``
    is party ``i``'s opponent model), plus:

    Args:
        pareto_utils: The frontier for ``surplus_efficiency``; default: the
            rational frontier of ``stats`` (the points giving every party at
            least its reserved value, as NegMAS's statistics hold).
        stats: The scenario's statistics (Palaver's or NegMAS's view of them,
            :class:`~palaver.scenarios.negmas_stats.RationalFrontierStats`);
            with an agreement they give the optimality.
        max_dist: The distance that scores 0; default ``estimate_max_dist(ufuns)``
            (the optimality stays NaN when neither is given).
    """
    if pareto_utils is None and stats is not None:
        pareto_utils = rational_frontier(stats) or None
    session = calc_session_metrics(
        agreement_utils,
        reserved_values,
        utility_ranges=utility_ranges,
        relative_time=relative_time,
        last_step=last_step,
        pareto_utils=pareto_utils,
    )
    if opponent_ufuns is not None and len(opponent_ufuns) != len(reserved_values):
        raise ValueError(
            f"opponent_ufuns has {len(opponent_ufuns)} entries for {len(reserved_values)} "
            f"parties: one model (or None) per party"
        )
    negotiators = [
        calc_negotiator_metrics(
            trace_utils,
            agreement_utils,
            reserved_values,
            index=i,
            utility_ranges=utility_ranges,
            trace_parties=trace_parties,
            first_offer_party=first_offer_party,
            trace_offers=trace_offers,
            outcome_space=outcome_space,
            opponent_ufun=None if opponent_ufuns is None else opponent_ufuns[i],
            ufuns=ufuns,
            eps=eps,
        )
        for i in range(len(reserved_values))
    ]
    optimality = undefined_optimality()
    if stats is not None and agreement_utils is not None:
        if max_dist is None and ufuns is not None:
            max_dist = estimate_max_dist(list(ufuns))
        if max_dist is not None:
            dists = calc_outcome_distances(tuple(float(u) for u in agreement_utils), stats)
            optimality = calc_outcome_optimality(dists, stats, max_dist)
    return FullMetrics(optimality=optimality, session=session, negotiators=negotiators)

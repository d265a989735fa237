"""Each negotiation's session and per-party metrics, as NegMAS's tournaments record them.

With ``negotiation_metrics=True``, a tournament adds to its parties table,
for each party, the negotiation's :class:`~palaver.mechanisms.SessionMetrics`
as ``session_<field>`` columns (the same in every row of the negotiation) and
the party's :class:`~palaver.mechanisms.NegotiatorMetrics` as ``neg_<field>``
columns (:data:`SESSION_METRIC_COLS`, :data:`NEGOTIATOR_METRIC_COLS`: NegMAS's
fields, in NegMAS's order). They are computed where the negotiation ran, from
the same inputs as :meth:`Mechanism.calc_full_metrics
<palaver.mechanisms.Mechanism.calc_full_metrics>` reads (utility ranges over
the outcome space, a reserved value that is not finite taken as the party's
lowest utility, the offers in order and who made them, the rational Pareto
frontier), taken from the scenario's tables rather than by calling each
utility function again. A negotiation that failed before its mechanism was
built has every metric NaN.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs

from palaver.mechanisms.table import outcome_table
from palaver.scenarios.metrics_negotiator import calc_negotiator_metrics
from palaver.scenarios.metrics_session import calc_session_metrics
from palaver.scenarios.optimality import rational_frontier
from palaver.tournaments.negotiation.scenario_info import ScenarioInfo

__all__ = [
    "NEGOTIATOR_METRIC_COLS",
    "SESSION_METRIC_COLS",
    "metric_columns",
    "negotiation_metrics",
]

#: The session metrics recorded (NegMAS's ``SESSION_METRIC_COLS``), as ``session_<name>``.
SESSION_METRIC_COLS = (
    "welfare",
    "welfare_agreed",
    "utility_sum",
    "agreement_reached",
    "utility_gap",
    "advantage_gap",
    "gains_from_trade",
    "surplus_efficiency",
    "relative_rounds",
    "agreement_speed",
    "relative_efficiency",
)
#: The per-party metrics recorded (NegMAS's ``NEGOTIATOR_METRIC_COLS``; the
#: opponent-model fields are the ``opp_*`` columns instead), as ``neg_<name>``.
NEGOTIATOR_METRIC_COLS = (
    "utility",
    "advantage",
    "opponent_advantage",
    "utility_agreed",
    "advantage_agreed",
    "opponent_advantage_agreed",
    "surplus_share",
    "rationality",
    "exploited",
    "rational_agreement",
    "dominance",
    "concession_rate",
    "total_concession",
    "temporal_patience",
    "first_offer_utility",
    "monotonic_concession",
    "relative_n_offers",
    "outcome_space_exploration",
    "offer_variability",
    "own_gain",
    "copling_raio",
    "concession_toward_counterparty",
    "valid_offer_fraction",
    "produced_any_offers",
)


def metric_columns() -> list[str]:
    """The parties table's columns the metrics add, in order."""
    return [f"session_{f}" for f in SESSION_METRIC_COLS] + [
        f"neg_{f}" for f in NEGOTIATOR_METRIC_COLS
    ]


def negotiation_metrics(
    mech: Any, info: ScenarioInfo, ufun_of: Sequence[int], agreement: int | None
) -> list[tuple[float, ...]]:
    """Per position, its values of :func:`metric_columns`.

    ``info`` is the scenario's (utilities of every outcome, reserved values,
    statistics), ``ufun_of[p]`` the utility function held at position ``p``,
    ``mech`` the finished mechanism (``None`` when none was built) and
    ``agreement`` the agreement's position in the outcome table (``None``
    without one).
    """
    k = len(ufun_of)
    width = len(SESSION_METRIC_COLS) + len(NEGOTIATOR_METRIC_COLS)
    if mech is None:
        return [(math.nan,) * width for _ in range(k)]
    cols = list(ufun_of)
    utils = info.utilities[:, cols]
    low, high = utils.min(axis=0), utils.max(axis=0)
    ranges = [(float(a), float(b)) for a, b in zip(low, high, strict=True)]
    given = [float(info.reserved[j]) for j in cols]
    reserved = [r if math.isfinite(r) else ranges[p][0] for p, r in enumerate(given)]
    # scenario_info refused a scenario without this table before the
    # negotiation, so None means the mechanism was given another space
    table = outcome_table(mech.outcome_space)
    if table is None:
        raise ValueError(
            f"negotiation_metrics: the outcome space of mechanism {mech.id!r} cannot be "
            "enumerated, so its offers cannot be scored from the scenario's utilities"
        )
    _, who, positions = mech.offer_columns(table.index)
    trace_utils = utils[positions].tolist()
    trace_offers = [table.outcomes[i] for i in positions.tolist()]
    makers = [int(w) for w in who.tolist()]
    first = next((p for p in makers if p >= 0), 0)
    parties = None if any(p < 0 for p in makers) else makers
    agreed = None if agreement is None else utils[agreement].tolist()
    frontier = info.frontiers.get(tuple(cols))
    if frontier is None:
        frontier = [tuple(row[j] for j in cols) for row in rational_frontier(info.stats)]
        info.frontiers[tuple(cols)] = frontier
    session = attrs.asdict(
        calc_session_metrics(
            agreed,
            reserved,
            utility_ranges=ranges,
            relative_time=float(mech.relative_time),
            last_step=int(mech.current_step),
            pareto_utils=frontier or None,
        )
    )
    shared = tuple(float(session[f]) for f in SESSION_METRIC_COLS)
    out = []
    for p in range(k):
        party = attrs.asdict(
            calc_negotiator_metrics(
                trace_utils,
                agreed,
                reserved,
                index=p,
                utility_ranges=ranges,
                trace_parties=parties,
                first_offer_party=first,
                trace_offers=trace_offers,
                outcome_space=mech.outcome_space,
            )
        )
        out.append(shared + tuple(float(party[f]) for f in NEGOTIATOR_METRIC_COLS))
    return out

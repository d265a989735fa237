"""Metrics of one party in a negotiation (NegMAS's ``NegotiatorMetrics``).

:func:`calc_negotiator_metrics` scores the party at ``index`` from every
party's utility of each offer of the trace, of the agreement, and their
reserved values: what it got, how rational its agreement was, whether it won,
how it conceded, how much of the outcome space it explored and how well its
opponent model matched the truth. Those that need inputs not given (a trace,
the offers, an outcome space, an opponent model) are NaN, never made up. The
field names are disjoint from :class:`~palaver.scenarios.metrics_session.SessionMetrics`'s.
Inputs of inconsistent lengths, or an ``index`` out of range, are a
``ValueError`` naming them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

from attrs import define

from palaver.outcomes import Outcome, OutcomeSpace
from palaver.preferences.compare import compare_ufuns
from palaver.scenarios.metrics_session import advantage, checked_ranges, realised_utilities

__all__ = ["NegotiatorMetrics", "calc_negotiator_metrics"]

_NAN = math.nan


@define(frozen=True)
class NegotiatorMetrics:
    """One party's metrics in a negotiation (floats; NaN: undefined; 1.0/0.0 for yes/no).

    Attributes:
        utility, advantage: What it got (the agreement's utility, else its reserved
            value) and its advantage (see
            :func:`~palaver.scenarios.metrics_session.advantage`).
        opponent_advantage: The mean advantage of the others.
        utility_agreed, advantage_agreed, opponent_advantage_agreed: The same, NaN
            without an agreement.
        surplus_share: Its share ``(u - r) / sum(u_j - r_j)`` (NaN unless the total is > 0).
        rationality: 0.0 if it agreed below its reserved value, else 1.0.
        exploited: 1.0 if it agreed irrationally and another party gained.
        rational_agreement: 1.0 with an agreement no party is below its reserved value for.
        dominance: 1.0 / 0.0 / -1.0 as its advantage beats / ties / loses to the
            best other's.
        total_concession, concession_rate, temporal_patience, first_offer_utility,
        monotonic_concession: Read from its own utilities of its own offers ``s``:
            ``s[0] - s[-1]``, that over ``max(k - 1, 1)``, the fraction of its offers
            before the first below ``s[0]`` (1.0 if none), ``s[0]``, and the fraction
            of steps that do not raise ``s`` (NaN with fewer than two offers).
        relative_n_offers, outcome_space_exploration, offer_variability: Its number
            of offers and of distinct offers over the outcome space's size, and its
            distinct offers over its offers.
        own_gain, concession_toward_counterparty, copling_raio: ``s[-1] - s[0]``, the
            sum of the first other party's gains between its consecutive offers, and
            the latter over ``|own_gain| + eps`` (NegMAS's spelling kept).
        valid_offer_fraction: The fraction of its offers in the outcome space.
        produced_any_offers: 1.0 if it made an offer (NaN without a trace).
        opp_kendall_optimality, opp_ndcg, opp_euclidean: Its opponent model compared
            with each other party's utility function (mean over them).
    """

    utility: float = _NAN
    advantage: float = _NAN
    opponent_advantage: float = _NAN
    utility_agreed: float = _NAN
    advantage_agreed: float = _NAN
    opponent_advantage_agreed: float = _NAN
    surplus_share: float = _NAN
    rationality: float = _NAN
    exploited: float = _NAN
    rational_agreement: float = _NAN
    dominance: float = _NAN
    concession_rate: float = _NAN
    total_concession: float = _NAN
    temporal_patience: float = _NAN
    first_offer_utility: float = _NAN
    monotonic_concession: float = _NAN
    relative_n_offers: float = _NAN
    outcome_space_exploration: float = _NAN
    offer_variability: float = _NAN
    own_gain: float = _NAN
    copling_raio: float = _NAN
    concession_toward_counterparty: float = _NAN
    valid_offer_fraction: float = _NAN
    produced_any_offers: float = _NAN
    opp_kendall_optimality: float = _NAN
    opp_ndcg: float = _NAN
    opp_euclidean: float = _NAN


def _own_offers(
    n_offers: int, n: int, index: int, parties: Sequence[int] | None, first: int
) -> list[int]:
    """The positions in the trace of the offers ``index`` made.

    ``parties`` names each offer's maker; without it (or of another length) the
    parties alternate from ``first``, as in SAO.
    """
    if parties is None or len(parties) != n_offers:
        return [t for t in range(n_offers) if (first + t) % n == index]
    return [t for t in range(n_offers) if int(parties[t]) == index]


def _concession(own: list[float], eps: float) -> dict[str, float]:
    if not own:
        return {}
    k = len(own)
    drop = next((t for t in range(k) if own[t] < own[0] - eps), k)
    fields = {
        "total_concession": own[0] - own[-1],
        "concession_rate": (own[0] - own[-1]) / max(k - 1, 1),
        "first_offer_utility": own[0],
        "temporal_patience": drop / k if drop != k else 1.0,
    }
    if k >= 2:
        steps = sum(1 for t in range(k - 1) if own[t + 1] <= own[t] + eps)
        fields["monotonic_concession"] = steps / (k - 1)
    return fields


def _cardinality(space: OutcomeSpace | None) -> float | None:
    size = None if space is None else getattr(space, "cardinality", None)
    if size is None or not size > 0 or math.isinf(size):
        return None
    return float(size)


def _opponent_model_scores(
    model: Any, ufuns: Sequence[Any], others: list[int], space: OutcomeSpace
) -> dict[str, float]:
    fields = {}
    for method in ("kendall_optimality", "ndcg", "euclidean"):
        scores = [
            float(compare_ufuns(model, ufuns[j], method=method, outcome_space=space))
            for j in others
        ]
        fields[f"opp_{method}"] = sum(scores) / len(scores)
    return fields


def calc_negotiator_metrics(
    trace_utils: Sequence[Sequence[float]],
    agreement_utils: Sequence[float] | None,
    reserved_values: Sequence[float],
    *,
    index: int = 0,
    utility_ranges: Sequence[tuple[float, float]] | None = None,
    trace_parties: Sequence[int] | None = None,
    first_offer_party: int = 0,
    trace_offers: Sequence[Outcome | None] | None = None,
    outcome_space: OutcomeSpace | None = None,
    opponent_ufun: Any = None,
    ufuns: Sequence[Any] | None = None,
    eps: float = 1e-9,
) -> NegotiatorMetrics:
    """The :class:`NegotiatorMetrics` of the party at ``index``.

    Args:
        trace_utils: Per offer of the trace, in order, every party's utility of it
            (empty: no trace, its metrics NaN).
        agreement_utils: Each party's utility of the agreement, or ``None`` without one.
        reserved_values: Each party's reserved value.
        index: The party scored.
        utility_ranges: Each party's ``(min, max)`` utility (advantages are raw
            surpluses without).
        trace_parties: The party that made each offer (default: alternating from
            ``first_offer_party``).
        first_offer_party: Who made the first offer when ``trace_parties`` is not given.
        trace_offers: The offers themselves, aligned with ``trace_utils``.
        outcome_space: The outcome space, for validity, coverage and the model's score.
        opponent_ufun: The party's estimate of its opponents' utility function.
        ufuns: Every party's true utility function (with ``opponent_ufun``).
        eps: The tolerance of "did not drop" and of the coupling ratio's denominator.
    """
    n = len(reserved_values)
    if not 0 <= index < n:
        raise ValueError(f"index must name one of the {n} parties (0..{n - 1}); got {index!r}")
    if any(len(row) != n for row in trace_utils):
        raise ValueError(f"each trace_utils entry must hold {n} utilities, one per party")
    if trace_offers is not None and len(trace_offers) != len(trace_utils):
        raise ValueError(
            f"trace_offers has {len(trace_offers)} offers but trace_utils {len(trace_utils)}"
        )
    agreed = agreement_utils is not None
    realised = realised_utilities(agreement_utils, reserved_values)
    reserved = tuple(float(r) for r in reserved_values)
    ranges = checked_ranges(utility_ranges, n)
    others = [j for j in range(n) if j != index]

    def advantage_of(j: int) -> float:
        value = advantage(realised[j], reserved[j], None if ranges is None else ranges[j])
        return 0.0 if math.isnan(value) and ranges is not None else value

    mine = advantage_of(index)
    theirs = [advantage_of(j) for j in others]
    opponents = sum(theirs) / len(theirs) if theirs else _NAN
    fields: dict[str, float] = {
        "utility": realised[index],
        "advantage": mine,
        "opponent_advantage": opponents,
        "utility_agreed": realised[index] if agreed else _NAN,
        "advantage_agreed": mine if agreed else _NAN,
        "opponent_advantage_agreed": opponents if agreed else _NAN,
    }
    surpluses = [u - r for u, r in zip(realised, reserved, strict=True)]
    total = sum(surpluses)
    fields["surplus_share"] = surpluses[index] / total if total > 0 else _NAN
    rational = not (agreed and realised[index] < reserved[index] - 1e-12)
    fields["rationality"] = 1.0 if rational else 0.0
    gained = any(realised[j] > reserved[j] + 1e-12 for j in others)
    fields["exploited"] = 1.0 if not rational and gained else 0.0
    everyone = all(realised[j] >= reserved[j] - 1e-12 for j in range(n))
    fields["rational_agreement"] = 1.0 if agreed and everyone else 0.0
    # A NaN advantage leaves dominance NaN: max() would skip it or stop at it by
    # position, and a NaN of one's own compared as a loss.
    if theirs and not any(math.isnan(v) for v in (mine, *theirs)):
        best = max(theirs)
        tie = math.isclose(mine, best, abs_tol=1e-9)
        fields["dominance"] = 0.0 if tie else (1.0 if mine > best else -1.0)

    if trace_utils:
        own = _own_offers(len(trace_utils), n, index, trace_parties, first_offer_party)
        utilities = [float(trace_utils[t][index]) for t in own]
        fields.update(_concession(utilities, eps))
        fields["produced_any_offers"] = 1.0 if own else 0.0
        size = _cardinality(outcome_space)
        if own and size is not None:
            fields["relative_n_offers"] = len(own) / size
        offers = [] if trace_offers is None else [trace_offers[t] for t in own]
        made = [o for o in offers if o is not None]
        if made:
            distinct = len(set(made))
            fields["offer_variability"] = distinct / len(made)
            if size is not None:
                fields["outcome_space_exploration"] = distinct / size
        if own and trace_offers is not None and outcome_space is not None:
            fields["valid_offer_fraction"] = sum(
                1 for o in made if outcome_space.is_valid(o)
            ) / len(own)
        if len(own) >= 2 and others:
            partner = others[0]
            gain = utilities[-1] - utilities[0]
            toward = sum(
                max(0.0, float(trace_utils[b][partner]) - float(trace_utils[a][partner]))
                for a, b in itertools.pairwise(own)
            )
            fields["own_gain"] = gain
            fields["concession_toward_counterparty"] = toward
            fields["copling_raio"] = toward / (abs(gain) + eps)
    if opponent_ufun is not None and ufuns is not None and outcome_space is not None and others:
        fields.update(_opponent_model_scores(opponent_ufun, ufuns, others, outcome_space))
    return NegotiatorMetrics(**fields)

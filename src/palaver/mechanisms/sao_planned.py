"""SAO rounds played from the negotiators' round plans (see :mod:`palaver.mechanisms.plan`).

Used by :class:`~palaver.mechanisms.SAOMechanism` only when every negotiator
handed a plan and no one can observe a turn: no time limit of any kind, no sink
listening to offers or responses. It produces exactly what the general loop
would (same offers, answers, history, agreement, final state), because each
plan is what its negotiator's ``propose``/``respond`` return; the live state is
written once per call instead of once per turn (no negotiator reads it here).
"""

from __future__ import annotations

from itertools import repeat
from typing import TYPE_CHECKING, Any

from palaver.mechanisms.plan import RoundPlan
from palaver.outcomes import Outcome, OutcomeSpace

if TYPE_CHECKING:
    from palaver.mechanisms.sao import SAOMechanism


# Grids (outcome -> position dicts) whose every outcome was checked to lie in a
# space: plans on a continuous space propose outcomes of a discretization.
_CHECKED: dict[tuple[int, OutcomeSpace], dict[Outcome, int]] = {}
_MAX_CHECKED = 64


def _in_space(index: dict[Outcome, int], space: OutcomeSpace) -> bool:
    key = (id(index), space)
    if _CHECKED.get(key) is index:
        return True
    if not all(type(o) is tuple and o in space for o in index):
        return False
    if len(_CHECKED) >= _MAX_CHECKED:
        del _CHECKED[next(iter(_CHECKED))]
    _CHECKED[key] = index  # kept alive, so its id cannot be reused
    return True


def collect_plans(
    mechanism: SAOMechanism, index: dict[Outcome, int] | None
) -> list[RoundPlan | None]:
    """Each negotiator's plan (``None`` for one without), or ``[]`` when none can be used.

    Plans need a round limit and no time limit of any kind. Planned proposals
    must be valid offers: outcomes of the mechanism's outcome table, or (a
    continuous or huge space) of a discretization whose outcomes all lie in
    the space. When every negotiator plans, all plans must share one index, so
    every party can look every offer up.
    """
    limits = mechanism.limits
    n_steps = limits.n_steps
    if (
        n_steps is None
        or limits.time_limit is not None
        or limits.step_time_limit is not None
        or limits.negotiator_time_limit is not None
    ):
        return []
    plans: list[RoundPlan | None] = []
    space = mechanism._outcome_space
    for negotiator in mechanism._negotiators:
        make = getattr(negotiator, "round_plan", None)
        plan = make(n_steps) if make is not None else None
        if plan is not None and (
            not isinstance(plan, RoundPlan)
            or (index is not None and plan.index is not index)
            or (index is None and not _in_space(plan.index, space))
            or len(plan.proposals) < n_steps
            or len(plan.remaining) < n_steps
        ):
            plan = None
        plans.append(plan)
    if all(p is None for p in plans):
        return []
    if None not in plans and len({id(p.index) for p in plans if p is not None}) > 1:
        # Every party planned, on different discretizations: each must judge
        # the others' offers itself, turn by turn.
        return [plans[0], *([None] * (len(plans) - 1))]
    return plans


def play_planned(mechanism: SAOMechanism, plans: list[RoundPlan], rounds: int) -> None:
    """Play up to ``rounds`` rounds from ``plans`` (the general loop's semantics)."""
    state = mechanism._state
    negotiators = mechanism._negotiators
    n = len(negotiators)
    full = (1 << n) - 1
    ofa = mechanism._offering_is_accepting
    history = mechanism._history
    n_steps = mechanism.limits.n_steps
    assert n_steps is not None  # plans are made only for round-limited negotiations
    ids = [x.id for x in negotiators]
    proposals = [p.proposals for p in plans]
    floors = [p.floor for p in plans]
    spans = [p.span for p in plans]
    remaining = [p.remaining for p in plans]
    utility_at = [p.utility_at for p in plans]
    index: dict[Outcome, int] = plans[0].index
    offer: Any = state.current_offer
    accepted = mechanism._accepted
    proposer = mechanism._proposer
    rnd = state.step
    last = min(n_steps, rnd + rounds)
    agreement = None
    append = history.append
    if n == 2 and ofa and rnd < last:
        vectors = all(
            p.positions is not None and p.utilities is not None and p.remaining_slice is not None
            for p in plans
        )
        play = _bilateral_arrays if vectors else _bilateral
        rnd, offer, proposer, agreement = play(
            plans, ids, index, history, offer, proposer, rnd, last
        )
        accepted = 3 if agreement is not None else 1 << proposer
    while rnd < last and agreement is None:
        for i in range(n):
            if (
                offer is not None
                and not (ofa and proposer == i)
                and utility_at[i](index[offer]) >= floors[i] + spans[i] * remaining[i][rnd]
            ):
                accepted |= 1 << i
                if accepted == full:
                    agreement = offer
                    break
                continue
            offer = proposals[i][rnd]
            proposer = i
            accepted = 1 << i if ofa else 0
            append((rnd, ids[i], offer))
        rnd += 1
    mechanism._accepted = accepted
    mechanism._proposer = proposer
    state.step = rnd
    state.current_offer = offer
    state.current_proposer = ids[proposer] if proposer >= 0 else None
    state.n_acceptances = accepted.bit_count()
    if agreement is not None:
        state.agreement = agreement
        state.running = False
        state.relative_time = rnd * mechanism._inv_steps  # that of the round it ended in
    elif rnd >= n_steps:
        state.timedout = True
        state.running = False
        state.relative_time = 1.0
    else:
        state.relative_time = (rnd + 1) * mechanism._inv_steps


def _bilateral(
    plans: list[RoundPlan],
    ids: list[str],
    index: dict[Outcome, int],
    history: list[Any],
    offer: Any,
    proposer: int,
    rnd: int,
    last: int,
) -> tuple[int, Any, int, Any]:
    """Rounds ``rnd .. last - 1`` of two planned negotiators, offering being accepting.

    Then any acceptance is an agreement. Returns the round count, the standing
    offer, its proposer and the agreement (or ``None``).
    """
    a, b = plans
    ua, ub = a.utility_at, b.utility_at
    fa, fb, sa, sb = a.floor, b.floor, a.span, b.span
    ra, rb, pa, pb = a.remaining, b.remaining, a.proposals, b.proposals
    ida, idb = ids
    append = history.append
    for k in range(rnd, last):
        if offer is not None and proposer != 0 and ua(index[offer]) >= fa + sa * ra[k]:
            return k + 1, offer, proposer, offer
        offer = pa[k]
        append((k, ida, offer))
        if ub(index[offer]) >= fb + sb * rb[k]:
            return k + 1, offer, 0, offer
        offer = pb[k]
        proposer = 1
        append((k, idb, offer))
    return last, offer, proposer, None


# Rounds examined per array pass: small first (most negotiations end early),
# then growing, so a long one costs a few passes.
_FIRST_CHUNK = 64


def _bilateral_arrays(
    plans: list[RoundPlan],
    ids: list[str],
    index: dict[Outcome, int],
    history: list[Any],
    offer: Any,
    proposer: int,
    rnd: int,
    last: int,
) -> tuple[int, Any, int, Any]:
    """:func:`_bilateral` with array operations: the same comparisons, a pass per chunk.

    The thresholds ``floor + span * remaining[k]`` are computed element-wise
    in the same order as Python does (a product, then a sum, each rounded), so
    every acceptance decision is identical.
    """
    a, b = plans
    pa, pb = a.proposals, b.proposals
    pos_a, pos_b = a.positions, b.positions
    ua, ub = a.utilities, b.utilities
    ra, rb = a.remaining_slice, b.remaining_slice
    assert pos_a is not None and pos_b is not None and ua is not None and ub is not None
    assert ra is not None and rb is not None
    ida, idb = ids
    # The standing offer at the first turn (if the second negotiator made it).
    if (
        offer is not None
        and proposer != 0
        and a.utility_at(index[offer]) >= a.floor + a.span * a.remaining[rnd]
    ):
        return rnd + 1, offer, proposer, offer
    chunk = _FIRST_CHUNK
    start = rnd
    while start < last:
        end = min(last, start + chunk)
        # B answers A's proposal of round k (k in [start, end)).
        accept_b = ub[pos_a[start:end]] >= b.floor + b.span * rb(start, end)
        # A answers B's proposal of round k - 1 in round k (k in [lo, end)); the
        # standing offer of the first round was judged above.
        lo = start + 1 if start == rnd else start
        accept_a = ua[pos_b[lo - 1 : end - 1]] >= a.floor + a.span * ra(lo, end)
        kb = int(accept_b.argmax()) if accept_b.any() else None
        ka = int(accept_a.argmax()) + lo - start if accept_a.any() else None
        if ka is not None and (kb is None or ka <= kb):
            k = start + ka  # A accepts B's offer of round k - 1 at its turn in round k
            _extend(history, ida, idb, pa, pb, start, k, k)
            offer = pb[k - 1]
            return k + 1, offer, 1, offer
        if kb is not None:
            k = start + kb  # B accepts A's offer of round k
            _extend(history, ida, idb, pa, pb, start, k, k + 1)
            offer = pa[k]
            return k + 1, offer, 0, offer
        _extend(history, ida, idb, pa, pb, start, end, end)
        start = end
        chunk *= 4
    return last, pb[last - 1], 1, None


def _extend(
    history: list[Any],
    ida: str,
    idb: str,
    pa: Any,
    pb: Any,
    start: int,
    end_b: int,
    end_a: int,
) -> None:
    """Append A's offers of rounds ``[start, end_a)`` and B's of ``[start, end_b)``, interleaved."""
    first = list(zip(range(start, end_a), repeat(ida), pa[start:end_a], strict=False))
    second = list(zip(range(start, end_b), repeat(idb), pb[start:end_b], strict=False))
    n_b = len(second)
    merged: list[Any] = [None] * (len(first) + n_b)
    merged[0 : 2 * n_b : 2] = first[:n_b]
    merged[1 : 2 * n_b : 2] = second
    if len(first) > n_b:  # A's offer B accepted, in the round B did not propose
        merged[-1] = first[-1]
    history.extend(merged)

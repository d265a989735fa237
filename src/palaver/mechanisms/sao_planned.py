"""SAO rounds played from the negotiators' round plans (see :mod:`palaver.mechanisms.plan`).

Used by :class:`~palaver.mechanisms.SAOMechanism` only when every negotiator
handed a plan and no one can observe a turn: no time limit of any kind, and no
sink listening to offers or responses unless every such sink takes batches
(the rows are then made from the plans: :mod:`palaver.mechanisms.sao_rows`).
It produces exactly what the general loop would (same offers, answers,
history, events, agreement, final state), because each plan is what its
negotiator's ``propose``/``respond`` return; the live state is written once
per call instead of once per turn (no negotiator reads it here). The offers of
a bilateral stretch of rounds are kept as a :class:`~palaver.mechanisms.offer_log.Segment`
(tuples made when the history is read).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from palaver.mechanisms.offer_log import Segment, settle
from palaver.mechanisms.plan import RoundPlan
from palaver.mechanisms.sao_rows import PlannedRows
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
    if len(plans) == 2 and plans.count(None) == 1 and mechanism._offering_is_accepting:
        # A negotiator that only reacts to its partner's offers (a tit-for-tat)
        # knows its rounds once the partner's are planned.
        me = plans.index(None)
        partner = plans[1 - me]
        assert partner is not None  # the one plan that is not None
        react = getattr(mechanism._negotiators[me], "reactive_plan", None)
        plan = react(n_steps, partner, me == 0) if react is not None else None
        if (
            isinstance(plan, RoundPlan)
            and plan.index is partner.index
            and len(plan.proposals) >= n_steps
            and len(plan.remaining) >= n_steps
        ):
            plans[me] = plan
    # Counting and identity loops rather than generators: this runs once per negotiation.
    n_missing = plans.count(None)
    if n_missing == len(plans):
        return []
    if n_missing == 0 and _several_indexes(plans):
        # Every party planned, on different discretizations: each must judge
        # the others' offers itself, turn by turn.
        return [plans[0], *([None] * (len(plans) - 1))]
    return plans


def _several_indexes(plans: list[RoundPlan | None]) -> bool:
    """Whether the plans (none missing) look offers up in more than one index."""
    first = None
    for plan in plans:
        assert plan is not None
        if first is None:
            first = plan.index
        elif plan.index is not first:
            return True
    return False


def play_planned(
    mechanism: SAOMechanism,
    plans: list[RoundPlan],
    rounds: int,
    rows: list[Any] | None = None,
    to_offers: bool = False,
    to_responses: bool = False,
) -> None:
    """Play up to ``rounds`` rounds from ``plans`` (the general loop's semantics).

    With ``rows`` (the bus's batch rows, see :mod:`palaver.events.batch`) the
    offers (``to_offers``) and responses (``to_responses``) the general loop
    would emit are appended to it, the same rows in the same order; their time
    is one ``time.time()`` taken when the call starts (the planned rounds of a
    call take microseconds), where the general loop stamps each row.
    """
    state = mechanism._state
    negotiators = mechanism._negotiators
    n = len(negotiators)
    full = (1 << n) - 1
    ofa = mechanism._offering_is_accepting
    n_steps = mechanism._limits.n_steps
    assert n_steps is not None  # plans are made only for round-limited negotiations
    ids = [x.id for x in negotiators]
    index: dict[Outcome, int] = plans[0].index
    offer: Any = state.current_offer
    accepted = mechanism._accepted
    proposer = mechanism._proposer
    rnd = state.step
    last = min(n_steps, rnd + rounds)
    agreement = None
    emit = PlannedRows(mechanism, rows, to_offers, to_responses) if rows is not None else None
    if n == 2 and ofa and rnd < last:
        a, b = plans
        vectors = (
            a.positions is not None
            and a.utilities is not None
            and a.remaining_slice is not None
            and b.positions is not None
            and b.utilities is not None
            and b.remaining_slice is not None
        )
        play = _bilateral_arrays if vectors else _bilateral
        start, before, before_by = rnd, offer, proposer
        rnd, offer, proposer, agreement, end_a, end_b = play(
            plans, index, offer, proposer, rnd, last
        )
        accepted = 3 if agreement is not None else 1 << proposer
        segment = Segment(
            (a.proposals, b.proposals),
            (a.positions, b.positions),
            index,
            (ids[0], ids[1]),
            start,
            end_a,
            end_b,
        )
        if len(segment):
            mechanism._pending.append(segment)
        if emit is not None:
            emit.segment(segment, before, before_by, rnd - 1 if agreement is not None else -1)
    if rnd < last and agreement is None:
        history = mechanism._history
        if mechanism._pending:  # the tuples below come after the planned segments
            settle(history, mechanism._pending)
        append = history.append
        answers = emit is not None and to_responses
        proposals = [p.proposals for p in plans]
        floors = [p.floor for p in plans]
        spans = [p.span for p in plans]
        remaining = [p.remaining for p in plans]
        utility_at = [p.utility_at for p in plans]
        offers = emit is not None and to_offers
        while rnd < last and agreement is None:
            for i in range(n):
                if offer is not None and not (ofa and proposer == i):
                    accept = utility_at[i](index[offer]) >= floors[i] + spans[i] * remaining[i][rnd]
                    if answers:
                        assert emit is not None
                        emit.response(i, rnd, accept, offer)
                    if accept:
                        accepted |= 1 << i
                        if accepted == full:
                            agreement = offer
                            break
                        continue
                offer = proposals[i][rnd]
                proposer = i
                accepted = 1 << i if ofa else 0
                append((rnd, ids[i], offer))
                if offers:
                    assert emit is not None
                    emit.offer(i, rnd, offer)
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
        # NegMAS's ended state: the fraction of the round after it
        state.relative_time = min(1.0, (rnd + 1) * mechanism._inv_steps)
    elif rnd >= n_steps:
        state.timedout = True
        state.running = False
        state.relative_time = 1.0
    else:
        state.relative_time = (rnd + 1) * mechanism._inv_steps


def _bilateral(
    plans: list[RoundPlan],
    index: dict[Outcome, int],
    offer: Any,
    proposer: int,
    rnd: int,
    last: int,
) -> tuple[int, Any, int, Any, int, int]:
    """Rounds ``rnd .. last - 1`` of two planned negotiators, offering being accepting.

    Then any acceptance is an agreement. Returns the round count, the standing
    offer, its proposer, the agreement (or ``None``), and the ends of the
    rounds in which each negotiator offered (see :class:`Segment`: the first
    offered in ``[rnd, end_a)``, the second in ``[rnd, end_b)``).
    """
    a, b = plans
    ua, ub = a.utility_at, b.utility_at
    fa, fb, sa, sb = a.floor, b.floor, a.span, b.span
    ra, rb, pa, pb = a.remaining, b.remaining, a.proposals, b.proposals
    for k in range(rnd, last):
        if offer is not None and proposer != 0 and ua(index[offer]) >= fa + sa * ra[k]:
            return k + 1, offer, proposer, offer, k, k
        offer = pa[k]
        if ub(index[offer]) >= fb + sb * rb[k]:
            return k + 1, offer, 0, offer, k + 1, k
        offer = pb[k]
        proposer = 1
    return last, offer, proposer, None, last, last


# Rounds examined per array pass: small first (most negotiations end early),
# then growing, so a long one costs a few passes.
_FIRST_CHUNK = 64


def _bilateral_arrays(
    plans: list[RoundPlan],
    index: dict[Outcome, int],
    offer: Any,
    proposer: int,
    rnd: int,
    last: int,
) -> tuple[int, Any, int, Any, int, int]:
    """:func:`_bilateral` with array operations: the same comparisons, a pass per chunk.

    The thresholds ``floor + span * remaining[k]`` are a plan's own
    ``thresholds`` or computed element-wise in the same order as Python does
    (a product, then a sum, each rounded), so every acceptance decision is
    identical.
    """
    a, b = plans
    pa, pb = a.proposals, b.proposals
    pos_a, pos_b = a.positions, b.positions
    ua, ub = a.utilities, b.utilities
    ra, rb = a.remaining_slice, b.remaining_slice
    ta, tb = a.thresholds, b.thresholds
    assert pos_a is not None and pos_b is not None and ua is not None and ub is not None
    assert ra is not None and rb is not None
    # The standing offer at the first turn (if the second negotiator made it).
    if (
        offer is not None
        and proposer != 0
        and a.utility_at(index[offer]) >= a.floor + a.span * a.remaining[rnd]
    ):
        return rnd + 1, offer, proposer, offer, rnd, rnd
    chunk = _FIRST_CHUNK
    start = rnd
    while start < last:
        # A short tail joins this pass: a pass costs far more than its length.
        end = last if last - start <= 2 * chunk else start + chunk
        # B answers A's proposal of round k (k in [start, end)).
        limit_b = tb[start:end] if tb is not None else b.floor + b.span * rb(start, end)
        accept_b = ub[pos_a[start:end]] >= limit_b
        # A answers B's proposal of round k - 1 in round k (k in [lo, end)); the
        # standing offer of the first round was judged above.
        lo = start + 1 if start == rnd else start
        limit_a = ta[lo:end] if ta is not None else a.floor + a.span * ra(lo, end)
        accept_a = ua[pos_b[lo - 1 : end - 1]] >= limit_a
        # argmax finds the first True, or 0 when there is none (then checked).
        kb: int | None = int(accept_b.argmax())
        if not accept_b[kb]:
            kb = None
        ka: int | None = None
        if len(accept_a):
            first = int(accept_a.argmax())
            if accept_a[first]:
                ka = first + lo - start
        if ka is not None and (kb is None or ka <= kb):
            k = start + ka  # A accepts B's offer of round k - 1 at its turn in round k
            offer = pb[k - 1]
            return k + 1, offer, 1, offer, k, k
        if kb is not None:
            k = start + kb  # B accepts A's offer of round k
            offer = pa[k]
            return k + 1, offer, 0, offer, k + 1, k
        start = end
        chunk *= 4
    return last, pb[last - 1], 1, None, last, last

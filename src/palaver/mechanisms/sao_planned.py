"""SAO rounds played from the negotiators' round plans (see :mod:`palaver.mechanisms.plan`).

Used by :class:`~palaver.mechanisms.SAOMechanism` only when every negotiator
handed a plan and no one can observe a turn: no time limit of any kind, no sink
listening to offers or responses. It produces exactly what the general loop
would (same offers, answers, history, agreement, final state), because each
plan is what its negotiator's ``propose``/``respond`` return; the live state is
written once per call instead of once per turn (no negotiator reads it here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from palaver.mechanisms.plan import RoundPlan
from palaver.mechanisms.state import SAOState

if TYPE_CHECKING:
    from palaver.mechanisms.sao import SAOMechanism


def collect_plans(mechanism: SAOMechanism, index: dict[tuple, int] | None) -> list[RoundPlan]:
    """Every negotiator's plan, or ``[]`` when any negotiator (or the set-up) does not allow it."""
    if (
        index is None
        or mechanism._n_steps is None
        or mechanism._time_limit is not None
        or mechanism._step_time_limit is not None
        or mechanism._negotiator_time_limit is not None
    ):
        return []
    plans: list[RoundPlan] = []
    n_steps = mechanism._n_steps
    for negotiator in mechanism._negotiators:
        make = getattr(negotiator, "round_plan", None)
        if make is None:
            return []
        plan = make(n_steps)
        if (
            not isinstance(plan, RoundPlan)
            or plan.index is not index
            or len(plan.proposals) < n_steps
            or len(plan.remaining) < n_steps
        ):
            return []
        plans.append(plan)
    return plans


def play_planned(mechanism: SAOMechanism, plans: list[RoundPlan], rounds: int) -> None:
    """Play up to ``rounds`` rounds from ``plans`` (the general loop's semantics)."""
    state: SAOState = mechanism._state  # type: ignore[assignment]
    negotiators = mechanism._negotiators
    n = len(negotiators)
    full = (1 << n) - 1
    ofa = mechanism._offering_is_accepting
    history = mechanism._history
    n_steps: int = mechanism._n_steps  # type: ignore[assignment]
    ids = [x.id for x in negotiators]
    proposals = [p.proposals for p in plans]
    floors = [p.floor for p in plans]
    spans = [p.span for p in plans]
    remaining = [p.remaining for p in plans]
    utility_at = [p.utility_at for p in plans]
    index: dict[tuple, int] = plans[0].index
    offer: Any = state.current_offer
    accepted = mechanism._accepted
    proposer = mechanism._proposer
    rnd = state.step
    last = min(n_steps, rnd + rounds)
    agreement = None
    append = history.append
    if n == 2 and ofa and rnd < last:
        rnd, offer, proposer, agreement = _bilateral(
            plans, ids, index, append, offer, proposer, rnd, last
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
    index: dict[tuple, int],
    append: Any,
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

"""Bilateral SAO rounds between a planned negotiator and a minimal conceder (MiCRO).

MiCRO cannot hand a :class:`~palaver.mechanisms.plan.RoundPlan`: it concedes
only when the other side makes a new offer. Against a planned negotiator the
general mixed loop (:mod:`palaver.mechanisms.sao_mixed`) calls its
``respond`` and ``propose`` every turn, and MiCRO's negotiations against the
slow aspiration strategies run for hundreds of rounds: in an ANL-sized
tournament they were a third of the whole CPU time. Here its rule, lent as a
:class:`MinimalConcession` (its own lists and sets, updated in place), is
played inline instead, with its repeat draws taken from its generator in runs
(the same numbers the one-by-one draws give; a run cut short is drawn again
to the length used, so the generator ends where one-by-one draws leave it).
Its long quiet stretches (it repeats offers it already drew, nobody accepts)
are found with array operations and appended to the history at once.

Same offers, answers, history, rows, agreement, final state and generator
state as the mixed loop: ``tests/mechanisms/test_sao_duel.py`` plays both
on random scenarios and compares everything.
"""

from __future__ import annotations

import time
from itertools import repeat
from typing import TYPE_CHECKING, Any

from palaver.events import EventType
from palaver.mechanisms.minimal_concession import (
    MIN_SKIP,
    Draws,
    MinimalConcession,
    repeats_ahead,
    skip_ahead,
)
from palaver.mechanisms.plan import RoundPlan
from palaver.mechanisms.responses import ResponseType
from palaver.outcomes import Outcome

if TYPE_CHECKING:
    from palaver.mechanisms.sao import SAOMechanism

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER
_OFFER = EventType.OFFER
_RESPONSE = EventType.RESPONSE


def duel_of(
    mechanism: SAOMechanism, plans: list[RoundPlan | None]
) -> tuple[RoundPlan, int, MinimalConcession] | None:
    """The planned side's plan, MiCRO's position and its rule, when the
    negotiation is one :func:`play_duel` can play (``None`` otherwise): two
    negotiators, one planned, the other lending a :class:`MinimalConcession`
    on the plan's own grid, every offer it may meet on that grid, and
    something to offer."""
    if len(plans) != 2 or plans.count(None) != 1:
        return None
    me = plans.index(None)
    plan = plans[1 - me]
    assert plan is not None
    lend = getattr(mechanism._negotiators[me], "minimal_concession", None)
    c = lend() if lend is not None else None
    if type(c) is not MinimalConcession or c.index is not plan.index:
        return None
    # A space too large for an outcome table ranks without an index (an empty
    # one, shared when both sides rank one utility function): offers are then
    # valued one by one, which only the mixed loop does.
    if len(c.index) != len(c.outcomes):
        return None
    offer = mechanism._state.current_offer
    if offer is not None and offer not in plan.index:
        return None
    if not c.made and len(c.outcomes) - 1 < c.lowest:
        return None  # it would offer nothing: the mixed loop handles that
    return plan, me, c


def play_duel(
    mechanism: SAOMechanism,
    plan: RoundPlan,
    me: int,
    c: MinimalConcession,
    rounds: int,
    rows: list[Any] | None = None,
    to_offers: bool = False,
    to_responses: bool = False,
) -> None:
    """Play up to ``rounds`` rounds of a bilateral negotiation between the
    planned negotiator and the minimal conceder ``c`` (negotiator ``me``), as
    :func:`~palaver.mechanisms.sao_mixed.play_mixed` would."""
    state = mechanism._state
    negotiators = mechanism._negotiators
    ofa = mechanism._offering_is_accepting
    history = mechanism._history
    n_steps = mechanism._limits.n_steps
    assert n_steps is not None  # plans are made only for round-limited negotiations
    inv_steps = mechanism._inv_steps
    answers = rows is not None and to_responses
    offers = rows is not None and to_offers
    show = mechanism._to_payload
    mid = mechanism._id
    now = time.time
    ids = [n.id for n in negotiators]
    owners = [n.owner_id for n in negotiators]
    index = plan.index
    planned_utility = plan.utility_at
    floor, span = plan.floor, plan.span
    proposals = plan.proposals
    remaining = plan.remaining
    full = 3
    outcomes, utilities = c.outcomes, c.utilities
    my_utility_at = c.utility_at
    lowest, reserved = c.lowest, c.reserved
    accept_same = c.accept_same
    made, made_set, received = c.made, c.made_set, c.received
    top = len(outcomes) - 1
    draws = Draws(c.rng)
    # The live state is written once, when the call returns: nobody reads it
    # meanwhile (the planned side and MiCRO's rule are played here).
    offer = state.current_offer
    current = state.current_proposer
    n_acceptances = state.n_acceptances
    relative_time = state.relative_time
    agreed = False
    accepted = mechanism._accepted
    proposer = mechanism._proposer
    rnd = state.step
    end = min(n_steps, rnd + rounds)
    # The plan's proposals and thresholds, read in growing blocks of rounds
    # into plain lists (a plan's sequences may compute them lazily, and the
    # negotiation may end long before its round limit).
    base = cached_end = rnd
    block = 64
    props: list[Outcome] = []
    rems: list[float] = []
    # Quiet stretches are skipped only when nobody watches the turns, offering
    # is accepting and both sides have arrays; the last round before the
    # limit is always played turn by turn (it may time out).
    values = c.values
    retry = (
        rnd
        if ofa
        and not answers
        and not offers
        and values is not None
        and plan.positions is not None
        and plan.utilities is not None
        and plan.remaining_slice is not None
        else end
    )
    stop = min(end, n_steps - 1)
    made_positions: list[int] = []
    try:
        while rnd < end:
            if (
                rnd >= retry
                and proposer == 1
                and offer is not None
                and draws.left(len(made)) >= MIN_SKIP
                and not (len(made) <= len(received) and top - len(made) >= lowest)
            ):
                # Its draws are drawn, it is not about to concede: the coming
                # quiet rounds, if many, are played with array operations.
                assert values is not None  # else retry is at the end
                quiet, theirs, ours = skip_ahead(
                    plan, me, c, values, draws.ahead(), made_positions, rnd, stop, offer
                )
                if not ours:
                    retry = rnd + quiet + 1  # not before the round that ends the stretch
                else:
                    draws.skip(quiet)
                    first, second = (theirs, ours) if me == 1 else (ours, theirs)
                    turns: list[Any] = [None] * (2 * quiet)
                    turns[0::2] = zip(range(rnd, rnd + quiet), repeat(ids[0]), first, strict=False)
                    turns[1::2] = zip(range(rnd, rnd + quiet), repeat(ids[1]), second, strict=False)
                    history.extend(turns)
                    rnd += quiet
                    offer = second[-1]
                    current = ids[1]
                    accepted = 2  # its own offer (offering is accepting)
                    n_acceptances = 1
                    relative_time = (rnd + 1) * inv_steps
                    continue
            if rnd >= cached_end:
                base, cached_end = rnd, min(end, rnd + block)
                block *= 4
                props = list(proposals[base:cached_end])
                rems = list(remaining[base:cached_end])
            k = rnd - base
            for i in (0, 1):
                mine = i == me
                if mine:
                    m = len(made)
                    new = top - m
                    concede = m <= len(received) and new >= lowest
                if offer is not None and not (ofa and proposer == i):
                    # Every offer here is on the plan's grid (see duel_of).
                    if mine:
                        if offer not in made_set and offer not in received:
                            received.add(offer)
                            concede = m <= len(received) and new >= lowest
                        # With nothing made it concedes (duel_of): m > 0 otherwise.
                        threshold = utilities[new] if concede else utilities[top + 1 - m]
                        u = my_utility_at(index[offer])
                        if u < reserved or u < threshold or (u == threshold and not accept_same):
                            response = _REJECT
                        else:
                            response = _ACCEPT
                    elif planned_utility(index[offer]) >= floor + span * rems[k]:
                        response = _ACCEPT
                    else:
                        response = _REJECT
                    if answers:
                        assert rows is not None
                        rows.append(
                            (_RESPONSE, now(), owners[i], mid, rnd, ids[i],
                             response._value_, offer if show is None else show(offer))
                        )  # fmt: skip
                    if response is _ACCEPT:
                        bit = 1 << i
                        if not accepted & bit:
                            accepted |= bit
                            n_acceptances += 1
                        if accepted == full:
                            agreed = True
                            break
                        continue
                if not mine:
                    proposal = props[k]
                elif concede:
                    proposal = outcomes[new]
                    made.append(proposal)
                    made_set.add(proposal)
                else:
                    # The planned side's next offer comes this round when
                    # MiCRO moves first, else the next.
                    j = draws.take(m)
                    if j < 0:
                        j = draws.start(m, repeats_ahead(props, rnd + me - base, c))
                    proposal = made[j]
                nid = ids[i]
                offer = proposal
                proposer = i
                current = nid
                if ofa:
                    accepted = 1 << i
                    n_acceptances = 1
                else:
                    accepted = 0
                    n_acceptances = 0
                history.append((rnd, nid, offer))
                if offers:
                    assert rows is not None
                    rows.append(
                        (_OFFER, now(), owners[i], mid, rnd, nid, None,
                         offer if show is None else show(offer))
                    )  # fmt: skip
            # The round is over: Mechanism._round_played, inlined.
            rnd += 1
            if agreed:
                state.agreement = offer
                state.running = False
                # NegMAS's ended state: the fraction of the round after it
                relative_time = min(1.0, (rnd + 1) * inv_steps)
                return
            if rnd >= n_steps:
                state.timedout = True
                state.running = False
                relative_time = 1.0
                return
            relative_time = (rnd + 1) * inv_steps
    finally:
        draws.settle()
        state.step = rnd
        state.current_offer = offer
        state.current_proposer = current
        state.n_acceptances = n_acceptances
        state.relative_time = relative_time
        mechanism._accepted = accepted
        mechanism._proposer = proposer

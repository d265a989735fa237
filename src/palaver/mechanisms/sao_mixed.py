"""SAO rounds where some negotiators handed a round plan and others did not.

The general loop of :class:`~palaver.mechanisms.SAOMechanism` without time
limits (the mechanism uses this only when no time limit is set, and no sink
listens to offers or responses unless every such sink takes batches: then the
rows the general loop would emit are appended, the same rows), in which a
planned negotiator's turn is read from its
:class:`~palaver.mechanisms.plan.RoundPlan` instead of calling it. The live
state is kept exactly as the general loop keeps it, turn by turn, because the
other negotiators read it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from palaver.events import EventType
from palaver.mechanisms.plan import RoundPlan
from palaver.mechanisms.responses import ResponseType, bad_response
from palaver.mechanisms.sao_data import take_extended
from palaver.mechanisms.sao_turns import hand_over
from palaver.outcomes import ExtendedOutcome, Outcome

if TYPE_CHECKING:
    from palaver.mechanisms.sao import SAOMechanism

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER
_END = ResponseType.END_NEGOTIATION
_NONE = ResponseType.NO_RESPONSE
_LEAVE = ResponseType.LEAVE
_NOTHING = object()
_OFFER = EventType.OFFER
_RESPONSE = EventType.RESPONSE


def play_mixed(
    mechanism: SAOMechanism,
    plans: list[RoundPlan | None],
    rounds: int,
    rows: list[Any] | None = None,
    to_offers: bool = False,
    to_responses: bool = False,
) -> None:
    """Play up to ``rounds`` rounds; planned negotiators are not called.

    With ``rows`` (the bus's batch rows, see :mod:`palaver.events.batch`) the
    offers (``to_offers``) and responses (``to_responses``) the general loop
    would emit are appended to it as that loop appends them, each with its
    own ``time.time()``.
    """
    state = mechanism._state
    negotiators = mechanism._negotiators
    n = len(negotiators)
    full = (1 << n) - 1
    ofa = mechanism._offering_is_accepting
    history = mechanism._history
    index = mechanism._index
    canonical = mechanism._canonical
    checked_last: list[Any] = [_NOTHING] * n
    n_steps = mechanism._limits.n_steps
    assert n_steps is not None  # plans are made only for round-limited negotiations
    inv_steps = mechanism._inv_steps
    # Per negotiator, its plan's parts (None for one without a plan).
    lookups = [p.index.get if p is not None else None for p in plans]
    utility_at: list[Any] = [p.utility_at if p is not None else None for p in plans]
    floors = [p.floor if p is not None else 0.0 for p in plans]
    spans = [p.span if p is not None else 0.0 for p in plans]
    answers = rows is not None and to_responses
    offers = rows is not None and to_offers
    show = mechanism._to_payload
    mid = mechanism._id
    now = time.time
    offer = state.current_offer
    accepted = mechanism._accepted
    proposer = mechanism._proposer
    rnd = state.step
    # The planned negotiators' proposals and thresholds, read in blocks of
    # rounds into plain lists (a plan's sequences may compute them lazily).
    base = rnd
    block = 64
    cached_end = base
    props: list[Any] = [None] * n
    rems: list[Any] = [None] * n
    try:
        for done in range(rounds):
            if rnd >= cached_end:
                base, cached_end = rnd, min(n_steps, rnd + block)
                block *= 4
                for j, p in enumerate(plans):
                    if p is not None:
                        props[j] = list(p.proposals[base:cached_end])
                        rems[j] = list(p.remaining[base:cached_end])
            k = rnd - base
            for i in range(n):
                lookup = lookups[i]
                if offer is not None and not (ofa and proposer == i):
                    position = lookup(offer) if lookup is not None else None
                    if position is not None:
                        response = (
                            _ACCEPT
                            if utility_at[i](position) >= floors[i] + spans[i] * rems[i][k]
                            else _REJECT
                        )
                    else:
                        negotiator = negotiators[i]
                        try:
                            response = negotiator.respond(state, offer)
                        except Exception as exc:
                            mechanism._negotiator_failed(negotiator, "respond", exc)
                            break
                    if answers and type(response) is ResponseType:
                        assert rows is not None
                        x = negotiators[i]
                        rows.append(
                            (_RESPONSE, now(), x.owner_id, mid, rnd, x.id, response._value_,
                             offer if show is None else show(offer))
                        )  # fmt: skip
                    if response is not _REJECT:
                        if response is _ACCEPT:
                            bit = 1 << i
                            if not accepted & bit:
                                accepted |= bit
                                state.n_acceptances += 1
                            if accepted == full:
                                state.agreement = offer
                                state.running = False
                                break
                            continue
                        if response is _NONE:
                            continue
                        if response is _END:
                            state.broken = True
                            state.running = False
                            break
                        if response is _LEAVE:
                            # The rest of the negotiation is played turn by turn.
                            mechanism._accepted = accepted
                            mechanism._proposer = proposer
                            hand_over(mechanism, i, rounds - done - 1)
                            accepted = mechanism._accepted
                            proposer = mechanism._proposer
                            return
                        mechanism._negotiator_failed(
                            negotiators[i],
                            "respond",
                            bad_response(response),
                        )
                        break
                negotiator = negotiators[i]
                if lookup is not None:
                    proposal = props[i][k]  # a valid, canonical outcome
                else:
                    try:
                        proposal = negotiator.propose(state)
                    except Exception as exc:
                        mechanism._negotiator_failed(negotiator, "propose", exc)
                        break
                    if proposal is not checked_last[i]:
                        if proposal is None:
                            if mechanism._end_on_no_response:
                                state.broken = True
                                state.running = False
                                break
                            offer = None
                            accepted = 0
                            proposer = -1
                            state.current_offer = None
                            state.current_proposer = None
                            state.n_acceptances = 0
                            continue
                        try:
                            found = index.get(proposal) if index is not None else None
                        except TypeError:  # unhashable: _validate converts or rejects
                            found = None
                        checked: Outcome | None
                        if found is not None:
                            checked = canonical[found]
                        elif proposal.__class__ is ExtendedOutcome:
                            # NegMAS's proposal with data: played apart (sao_data).
                            if rows:
                                mechanism._bus.flush_rows()
                            mechanism._accepted, mechanism._proposer = accepted, proposer
                            take_extended(mechanism, i, negotiator, proposal)
                            offer = state.current_offer
                            accepted, proposer = mechanism._accepted, mechanism._proposer
                            if not state.running:
                                break
                            continue
                        else:
                            checked = mechanism._validate(proposal)
                            if checked is None:
                                mechanism._invalid_offer(negotiator, proposal)
                                break
                        if checked is proposal:
                            checked_last[i] = proposal
                        proposal = checked
                offer = proposal
                proposer = i
                nid = negotiator.id
                state.current_offer = offer
                state.current_proposer = nid
                if ofa:
                    accepted = 1 << i
                    state.n_acceptances = 1
                else:
                    accepted = 0
                    state.n_acceptances = 0
                history.append((rnd, nid, offer))
                if offers:
                    assert rows is not None
                    rows.append(
                        (_OFFER, now(), negotiator.owner_id, mid, rnd, nid, None,
                         offer if show is None else show(offer))
                    )  # fmt: skip
            # The round is over: Mechanism._round_played, inlined.
            rnd += 1
            state.step = rnd
            if not state.running:
                # NegMAS's ended state: the fraction of the round after it
                state.relative_time = min(1.0, (rnd + 1) * inv_steps)
                return
            if rnd >= n_steps:
                state.timedout = True
                state.running = False
                state.relative_time = 1.0
                return
            state.relative_time = (rnd + 1) * inv_steps
    finally:
        mechanism._accepted = accepted
        mechanism._proposer = proposer

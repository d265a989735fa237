"""SAO's rounds: the general loop, and which way of playing a call takes.

:func:`play_rounds` is :class:`~palaver.mechanisms.SAOMechanism`'s ``_play``
(the class holds it as that method: no extra call per step). Each call
decides anew how its rounds are played: one turn per step
(:mod:`.sao_turns`), turn by turn when negotiators watch each other or see
limits of their own, from the negotiators' round plans (:mod:`.sao_planned`),
MiCRO against a naive tit-for-tat inline (:mod:`.sao_duel_tft`), or else by
the general loop below, the hottest code of the package: everything it
touches per turn is a local variable, and the state object is updated in
place (see :mod:`palaver.mechanisms.state`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from palaver.events import EventType
from palaver.mechanisms.call_limits import FAILED
from palaver.mechanisms.offer_log import settle
from palaver.mechanisms.plan import RoundPlan
from palaver.mechanisms.responses import ResponseType, bad_response
from palaver.mechanisms.sao_data import take_extended
from palaver.mechanisms.sao_duel import duel_of, play_duel
from palaver.mechanisms.sao_duel_tft import play_tft_duel, tft_duel_of
from palaver.mechanisms.sao_mixed import play_mixed
from palaver.mechanisms.sao_planned import play_planned
from palaver.mechanisms.sao_turns import hand_over, play_turns, play_watched_rounds
from palaver.outcomes import ExtendedOutcome, Outcome

if TYPE_CHECKING:
    from palaver.mechanisms.sao import SAOMechanism

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER
_END = ResponseType.END_NEGOTIATION
_NONE = ResponseType.NO_RESPONSE
_LEAVE = ResponseType.LEAVE
_OFFER = EventType.OFFER
_RESPONSE = EventType.RESPONSE
_NOTHING = object()  # no proposal validated yet (None is a proposal: "no offer")


def play_plans(
    mechanism: SAOMechanism,
    plans: list[RoundPlan | None],
    rounds: int,
    rows: list[Any] | None,
    to_offers: bool,
    to_responses: bool,
) -> None:
    """Play ``rounds`` rounds from the plans: all planned, MiCRO against a
    planned negotiator (sao_duel), or some planned and others called."""
    if None not in plans:
        play_planned(mechanism, plans, rounds, rows, to_offers, to_responses)  # type: ignore[arg-type]
        return
    if mechanism._pending:  # the turns below append after the planned offers
        settle(mechanism._history, mechanism._pending)
    duel = duel_of(mechanism, plans)
    if duel is not None:
        play_duel(mechanism, *duel, rounds, rows, to_offers, to_responses)
    else:
        play_mixed(mechanism, plans, rounds, rows, to_offers, to_responses)


def play_rounds(mechanism: SAOMechanism, rounds: int) -> None:
    """The SAO mechanism's ``_play``: ``rounds`` rounds (see the module)."""
    if mechanism._one_offer_per_step:
        play_turns(mechanism, rounds)
        return
    if mechanism._turn_by_turn:
        # Turn by turn, each proposal and response told to the watchers,
        # skipping those that left (the rules of the loop below, without
        # its optimisations).
        if mechanism._pending:  # planned offers of earlier steps come first
            settle(mechanism._history, mechanism._pending)
        play_watched_rounds(mechanism, rounds)
        return
    bus = mechanism._bus
    # Negotiators planned their rounds (a sink may start listening
    # mid-negotiation: each call decides anew).
    plans = mechanism._plans
    if plans:
        if not (bus.active and (bus.listens(_OFFER) or bus.listens(_RESPONSE))):
            play_plans(mechanism, plans, rounds, None, False, False)
            return
        # Watched: planned play still works when every sink that watches
        # takes the offers and responses as batch rows (the same rows).
        rows = bus.batch_rows(_OFFER, _RESPONSE)
        if rows is not None:
            try:
                play_plans(
                    mechanism, plans, rounds, rows, bus.listens(_OFFER), bus.listens(_RESPONSE)
                )
            finally:
                bus.flush_rows()
            return
    if mechanism._pending:  # the turns below append after the planned offers
        settle(mechanism._history, mechanism._pending)
    # The hot loop: everything it touches per turn is a local variable, and
    # the state object is updated in place (see palaver.mechanisms.state).
    state = mechanism._state
    negotiators = mechanism._negotiators
    n = len(negotiators)
    full = (1 << n) - 1
    ofa = mechanism._offering_is_accepting
    end_on_none = mechanism._end_on_no_response
    # Asked once per call rather than per turn: a sink that keeps only
    # coarse events (a recorder at detail="contracts") then costs nothing
    # here, not even the payloads.
    to_responses = bus.active and bus.listens(_RESPONSE)
    to_offers = bus.active and bus.listens(_OFFER)
    # --- event emission: offers/responses as batch rows when every sink
    # takes batches (palaver.events.batch), else one emit() per event.
    rows = bus.batch_rows(_OFFER, _RESPONSE) if to_offers or to_responses else None
    # Limits in seconds watch every call (palaver.mechanisms.call_limits).
    watch = mechanism._call_limits
    if rounds > 1 and watch is None and (rows is not None or not (to_offers or to_responses)):
        # MiCRO against a naive tit-for-tat: both played inline (not for
        # a single round, step(): setting up costs more than it saves).
        duel = tft_duel_of(mechanism)
        if duel is not None:
            try:
                play_tft_duel(mechanism, *duel, rounds, rows, to_offers, to_responses)
            finally:
                if rows:
                    bus.flush_rows()
            return
    now = time.time
    history = mechanism._history
    index = mechanism._index
    canonical = mechanism._canonical
    # Per negotiator, its last proposal that passed validation: strategies
    # often repeat an offer (the same tuple object) for many rounds, and an
    # identity check is cheaper than hashing it again.
    checked_last: list[Any] = [_NOTHING] * n
    to_payload = mechanism._to_payload
    mechanism_id = mechanism._id
    n_steps = mechanism._limits.n_steps
    inv_steps = mechanism._inv_steps
    offer = state.current_offer
    accepted = mechanism._accepted
    proposer = mechanism._proposer
    rnd = state.step
    try:
        for done in range(rounds):
            if watch is not None:
                watch.round_start = time.perf_counter()
            for i in range(n):
                negotiator = negotiators[i]
                if offer is not None and not (ofa and proposer == i):
                    if watch is None:
                        try:
                            response = negotiator.respond(state, offer)
                        except Exception as exc:
                            mechanism._negotiator_failed(negotiator, "respond", exc)
                            break
                    else:
                        response = watch.call(
                            mechanism, negotiator, "respond", negotiator.respond, state, offer
                        )
                        if response is FAILED:
                            break
                    if to_responses and type(response) is ResponseType:
                        shown = offer if to_payload is None else to_payload(offer)
                        if rows is not None:
                            rows.append(
                                (_RESPONSE, now(), negotiator.owner_id, mechanism_id,
                                 rnd, negotiator.id, response._value_, shown)
                            )  # fmt: skip
                        else:
                            payload = {
                                "round": rnd,
                                "negotiator": negotiator.id,
                                "response": response._value_,
                                "offer": shown,
                            }
                            bus.emit(_RESPONSE, payload, negotiator.owner_id, mechanism_id)
                    # Rejection first: it is the answer in all rounds but the last.
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
                            if rows:
                                bus.flush_rows()
                            mechanism._accepted = accepted
                            mechanism._proposer = proposer
                            hand_over(mechanism, i, rounds - done - 1)
                            accepted = mechanism._accepted
                            proposer = mechanism._proposer
                            return
                        mechanism._negotiator_failed(negotiator, "respond", bad_response(response))
                        break
                if watch is None:
                    try:
                        proposal = negotiator.propose(state)
                    except Exception as exc:
                        mechanism._negotiator_failed(negotiator, "propose", exc)
                        break
                else:
                    proposal = watch.call(
                        mechanism, negotiator, "propose", negotiator.propose, state
                    )
                    if proposal is FAILED:
                        break
                if proposal is not checked_last[i]:
                    if proposal is None:
                        if end_on_none:
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
                        position = index.get(proposal) if index is not None else None
                    except TypeError:  # unhashable (list, dict): _validate converts or rejects
                        position = None
                    checked: Outcome | None
                    if position is not None:
                        checked = canonical[position]
                    elif proposal.__class__ is ExtendedOutcome:
                        # NegMAS's proposal with data: played apart (sao_data).
                        if rows:
                            bus.flush_rows()
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
                if to_offers:
                    shown = offer if to_payload is None else to_payload(offer)
                    if rows is not None:
                        rows.append(
                            (_OFFER, now(), negotiator.owner_id, mechanism_id,
                             rnd, nid, None, shown)
                        )  # fmt: skip
                    else:
                        payload = {"round": rnd, "negotiator": nid, "outcome": shown}
                        bus.emit(_OFFER, payload, negotiator.owner_id, mechanism_id)
            # The round is over (completed, or cut short by a break above):
            # Mechanism._round_played, inlined in this hottest loop only.
            rnd += 1
            state.step = rnd
            if not state.running:
                # NegMAS's ended state: the fraction of the round after it
                # (a call stopped at the deadline: the end, as for any time-out)
                stopped = watch is not None and watch.stopped
                state.relative_time = 1.0 if stopped else min(1.0, (rnd + 1) * inv_steps)
                return
            if n_steps is not None and rnd >= n_steps:
                state.timedout = True
                state.running = False
                state.relative_time = 1.0
                return
            state.relative_time = (rnd + 1) * inv_steps
    finally:
        mechanism._accepted = accepted
        mechanism._proposer = proposer
        if rows:  # event emission: the batch rows of this stretch of rounds
            bus.flush_rows()

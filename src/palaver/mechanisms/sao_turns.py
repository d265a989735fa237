"""SAO with ``one_offer_per_step=True``: each step is one negotiator's turn.

NegMAS's ``one_offer_per_step`` mode. A step asks the negotiator whose turn it
is to respond to the standing offer (unless it is its own, with
``offering_is_accepting``) and then, when it rejected or faced no offer, to
propose; the turn then passes to the next negotiator in the order they were
added. ``n_steps`` counts these turns and the relative time advances per turn.
The rules of a turn are those of the round loop in
:mod:`palaver.mechanisms.sao`; this module plays them one at a time, without
that loop's per-round optimisations (round plans are not used in this mode).

The same turns play the rounds of a negotiation that the round loops cannot
play: some negotiator watches the others, one left (see
:mod:`palaver.mechanisms.sao_leaving`), an option that changes the rules
of a turn is on (``allow_offering_just_rejected_outcome=False``), or some
negotiator sees limits of its own: each turn then shows its negotiator its
own relative time (see :mod:`palaver.mechanisms.own_limits`).
"""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING, Any

from palaver.events import EventType
from palaver.mechanisms.call_limits import FAILED
from palaver.mechanisms.own_limits import own_relative_time
from palaver.mechanisms.responses import ResponseType, bad_response
from palaver.mechanisms.sao_data import take_extended
from palaver.mechanisms.sao_leaving import leave
from palaver.outcomes import ExtendedOutcome

if TYPE_CHECKING:
    from palaver.mechanisms.sao import SAOMechanism

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER
_END = ResponseType.END_NEGOTIATION
_NONE = ResponseType.NO_RESPONSE
_LEAVE = ResponseType.LEAVE


def play_turns(mechanism: SAOMechanism, turns: int) -> None:
    """Play up to ``turns`` single turns, stopping early when the negotiation ends."""
    state = mechanism._state
    n = len(mechanism._negotiators)
    turn = _turn_in_own_time if mechanism._own_clocks is not None else _turn
    limits = mechanism._call_limits
    for _ in range(turns):
        if limits is not None:  # a step is a turn here
            limits.round_start = time.perf_counter()
        turn(mechanism)
        following = (mechanism._turn + 1) % n
        left = mechanism._left_mask
        while left >> following & 1:  # the negotiators that left take no turns
            following = (following + 1) % n
        mechanism._turn = following
        if not mechanism._round_played(state.step + 1):
            if limits is not None and limits.stopped:
                state.relative_time = 1.0
            return


def play_watched_rounds(mechanism: SAOMechanism, rounds: int, start: int = 0) -> None:
    """Play up to ``rounds`` whole rounds turn by turn (every negotiator still in
    once, in order), the first of them from the negotiator at ``start`` on.

    For negotiations the round loops cannot play: some negotiators watch the
    others, one left, or an option changing a turn's rules is on.
    """
    state = mechanism._state
    n = len(mechanism._negotiators)
    turn = _turn_in_own_time if mechanism._own_clocks is not None else _turn
    limits = mechanism._call_limits
    for _ in range(rounds):
        # A round begun by the general loop (start > 0: hand_over) keeps its start.
        if limits is not None and start == 0:
            limits.round_start = time.perf_counter()
        for i in range(start, n):
            if mechanism._left_mask >> i & 1:
                continue
            mechanism._turn = i
            turn(mechanism)
            if not state.running:
                break
        start = 0
        mechanism._turn = 0
        if not mechanism._round_played(state.step + 1):
            if limits is not None and limits.stopped:
                state.relative_time = 1.0
            return


def hand_over(mechanism: SAOMechanism, i: int, rounds_left: int) -> None:
    """Negotiator ``i`` answered ``LEAVE`` in a round loop: apply it, then play the
    rest of that round and ``rounds_left`` more rounds turn by turn.

    The caller stored its loop's acceptances and proposer in the mechanism
    (``_accepted``, ``_proposer``) and has not counted the round.
    """
    leave(mechanism, i)
    state = mechanism._state
    if not state.running:
        mechanism._round_played(state.step + 1)
        return
    play_watched_rounds(mechanism, rounds_left + 1, start=i + 1)


def _tell(
    mechanism: SAOMechanism, watchers: list[Any], actor: Any, callback: str, **kwargs: Any
) -> bool:
    """Call ``callback(**kwargs)`` on every watcher but ``actor``; ``False`` once one failed.

    A watcher with limits of its own sees its own relative time in the state
    (see :mod:`palaver.mechanisms.own_limits`).
    """
    if mechanism._own_clocks is None:
        return _tell_each(mechanism, watchers, actor, callback, kwargs, False)
    state = mechanism._state
    actors = state.relative_time
    try:
        return _tell_each(mechanism, watchers, actor, callback, kwargs, True)
    finally:
        state.relative_time = actors


def _tell_each(
    mechanism: SAOMechanism,
    watchers: list[Any],
    actor: Any,
    callback: str,
    kwargs: dict[str, Any],
    own_time: bool,
) -> bool:
    for other in watchers:
        if other is actor:
            continue
        if own_time:
            index = mechanism._negotiators.index(other)
            mechanism._state.relative_time = own_relative_time(mechanism, index)
        limits = mechanism._call_limits
        if limits is not None:
            told = partial(getattr(other, callback), **kwargs)
            if limits.call(mechanism, other, callback, told) is FAILED:
                return False
            continue
        try:
            getattr(other, callback)(**kwargs)
        except Exception as exc:
            mechanism._negotiator_failed(other, callback, exc)
            return False
    return True


def _timed(mechanism: SAOMechanism, negotiator: Any, where: str, call: Any, *args: Any) -> Any:
    """``call(*args)``; ``_FAILED`` after recording an exception, or a call over a
    time limit (every limit in seconds, ``negotiator_time_limit`` too, is
    enforced by the mechanism's :class:`~palaver.mechanisms.call_limits.CallLimits`)."""
    limits = mechanism._call_limits
    if limits is not None:  # stopped when it overruns (palaver.mechanisms.call_limits)
        return limits.call(mechanism, negotiator, where, call, *args)
    try:
        return call(*args)
    except Exception as exc:
        mechanism._negotiator_failed(negotiator, where, exc)
        return _FAILED


_FAILED = FAILED


def _take_extended(
    mechanism: SAOMechanism, i: int, negotiator: Any, proposal: ExtendedOutcome, offer: Any
) -> None:
    """:func:`~palaver.mechanisms.sao_data.take_extended` with this loop's rules:
    the standing offer proposed again counts as no offer (when so set), and the
    proposal watchers are told of an offer."""
    inner = proposal.outcome
    if (
        inner is not None
        and offer is not None
        and not mechanism._allow_offering_just_rejected_outcome
        and mechanism._validate(inner) == offer
    ):
        proposal = ExtendedOutcome(None, proposal.outcome_space, proposal.data)
    checked = take_extended(mechanism, i, negotiator, proposal)
    watchers = mechanism._proposal_watchers
    if checked is not None and watchers:
        _tell(
            mechanism, watchers, negotiator, "on_partner_proposal",
            state=mechanism._state, partner_id=negotiator.id, offer=checked,
        )  # fmt: skip


def _turn_in_own_time(mechanism: SAOMechanism) -> None:
    """:func:`_turn` with the state showing the negotiator its own relative time
    (when some negotiator has limits of its own; the loops choose once per call)."""
    state = mechanism._state
    shared = state.relative_time
    state.relative_time = own_relative_time(mechanism, mechanism._turn)
    try:
        _turn(mechanism)
    finally:
        state.relative_time = shared


def _turn(mechanism: SAOMechanism) -> None:
    """One negotiator's turn."""
    state = mechanism._state
    bus = mechanism._bus
    i = mechanism._turn
    negotiator = mechanism._negotiators[i]
    n = len(mechanism._negotiators)
    ofa = mechanism._offering_is_accepting
    offer = state.current_offer
    to_payload = mechanism._payload_outcome
    if offer is not None and not (ofa and mechanism._proposer == i):
        response = _timed(mechanism, negotiator, "respond", negotiator.respond, state, offer)
        if response is _FAILED:
            return
        watchers = mechanism._response_watchers
        if (
            watchers
            and type(response) is ResponseType
            and not _tell(
                mechanism, watchers, negotiator, "on_partner_response",
                state=state, partner_id=negotiator.id, outcome=offer, response=response,
            )
        ):  # fmt: skip
            return
        if type(response) is ResponseType and bus.active and bus.listens(EventType.RESPONSE):
            payload = {
                "round": state.step,
                "negotiator": negotiator.id,
                "response": response.value,
                "offer": to_payload(offer),
            }
            bus.emit(EventType.RESPONSE, payload, negotiator.owner_id, mechanism._id)
        if response is _ACCEPT:
            bit = 1 << i
            if not mechanism._accepted & bit:
                mechanism._accepted |= bit
                state.n_acceptances += 1
            if mechanism._accepted == ((1 << n) - 1) & ~mechanism._left_mask:
                state.agreement = offer
                state.running = False
            return
        if response is _NONE:
            return
        if response is _END:
            state.broken = True
            state.running = False
            return
        if response is _LEAVE:
            leave(mechanism, i)
            return
        if response is not _REJECT:
            mechanism._negotiator_failed(negotiator, "respond", bad_response(response))
            return
    proposal = _timed(mechanism, negotiator, "propose", negotiator.propose, state)
    if proposal is _FAILED:
        return
    if proposal.__class__ is ExtendedOutcome:  # NegMAS's proposal with data (sao_data)
        _take_extended(mechanism, i, negotiator, proposal, offer)
        return
    if (
        proposal is not None
        and offer is not None
        and not mechanism._allow_offering_just_rejected_outcome
    ):
        checked = mechanism._validate(proposal)
        if checked == offer:  # NegMAS: offering the standing offer again is no offer
            proposal = None
    if proposal is None:
        if mechanism._end_on_no_response:
            state.broken = True
            state.running = False
            return
        mechanism._accepted = 0
        mechanism._proposer = -1
        state.current_offer = None
        state.current_proposer = None
        state.n_acceptances = 0
        return
    checked = mechanism._validate(proposal)
    if checked is None:
        mechanism._invalid_offer(negotiator, proposal)
        return
    mechanism._proposer = i
    state.current_offer = checked
    state.current_proposer = negotiator.id
    mechanism._accepted = 1 << i if ofa else 0
    state.n_acceptances = 1 if ofa else 0
    mechanism._history.append((state.step, negotiator.id, checked))
    if bus.active and bus.listens(EventType.OFFER):
        payload = {"round": state.step, "negotiator": negotiator.id, "outcome": to_payload(checked)}
        bus.emit(EventType.OFFER, payload, negotiator.owner_id, mechanism._id)
    watchers = mechanism._proposal_watchers
    if watchers:
        _tell(
            mechanism, watchers, negotiator, "on_partner_proposal",
            state=state, partner_id=negotiator.id, offer=checked,
        )  # fmt: skip

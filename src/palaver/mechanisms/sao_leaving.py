"""SAO negotiators leaving a running negotiation (NegMAS's ``ResponseType.LEAVE``).

A negotiator that answers ``LEAVE`` to the standing offer leaves; with
``allow_negotiators_to_leave=True`` (NegMAS's default) the others go on:

- its id joins ``state.left_negotiators``; it is never asked again and stays
  in ``mechanism.negotiators`` (its position and id keep their meaning);
- an acceptance it had given no longer counts: an agreement needs every
  negotiator still in to accept the standing offer (which stays, also when
  the leaver made it);
- it is told ``on_leave(state)`` and every negotiator still in
  ``on_negotiator_left(negotiator_id, state)``, when they define them and
  ``extra_callbacks`` is on (NegMAS's callbacks);
- with fewer than two negotiators left the negotiation ends without
  agreement (``broken``): nobody can join a running Palaver negotiation, so
  there is no one to wait for, even with ``dynamic_entry``.

With ``allow_negotiators_to_leave=False`` ``LEAVE`` ends the negotiation
like ``END_NEGOTIATION``. Either way the answer is recorded as a ``response``
event whose ``response`` is ``"leave"``.

After a departure the mechanism plays turn by turn
(:func:`palaver.mechanisms.sao_turns.play_watched_rounds`), skipping the
negotiators that left: the round loops that assume everyone takes a turn
(the hot loop, round plans) hand over at the first ``LEAVE`` and are not used
again by that negotiation, so they pay nothing while nobody leaves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from palaver.mechanisms.sao import SAOMechanism


def leave(mechanism: SAOMechanism, i: int) -> None:
    """Negotiator ``i`` answered ``LEAVE``: apply it (see the module's rules)."""
    state = mechanism._state
    negotiators = mechanism._negotiators
    negotiator = negotiators[i]
    if not mechanism._allow_negotiators_to_leave:
        state.broken = True
        state.running = False
        return
    bit = 1 << i
    mechanism._left_mask |= bit
    state.left_negotiators = state.left_negotiators | {negotiator.id}
    state.n_participating -= 1
    if mechanism._accepted & bit:
        mechanism._accepted &= ~bit
        state.n_acceptances -= 1
    # From now on every turn skips the negotiators that left: no more plans or hot loop.
    mechanism._turn_by_turn = True
    mechanism._plans = []
    if mechanism._extra_callbacks and not _tell_leaving(mechanism, negotiator, i):
        return
    if state.n_participating < 2:
        state.broken = True
        state.running = False


def _tell_leaving(mechanism: SAOMechanism, negotiator: Any, i: int) -> bool:
    """``on_leave`` to the leaver, ``on_negotiator_left`` to those still in; ``False``
    once one of them raised (the failure is recorded)."""
    state = mechanism._state
    callback = getattr(negotiator, "on_leave", None)
    if callable(callback):
        try:
            callback(state)
        except Exception as exc:
            mechanism._negotiator_failed(negotiator, "on_leave", exc)
            return False
    left = mechanism._left_mask
    for j, other in enumerate(mechanism._negotiators):
        if left >> j & 1:
            continue
        callback = getattr(other, "on_negotiator_left", None)
        if callable(callback):
            try:
                callback(negotiator.id, state)
            except Exception as exc:
                mechanism._negotiator_failed(other, "on_negotiator_left", exc)
                return False
    return True

"""Negotiators' optional callbacks: who defines one, and rounds played between
NegMAS's ``on_round_start`` / ``on_round_end``.

A mechanism calls an optional callback (``on_preferences_changed``,
``on_round_start``, SAO's ``on_partner_proposal`` ...) only on the negotiators
that define it, found once when the negotiation starts (:func:`defining`), so
a negotiation whose negotiators define none pays nothing for them per round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from palaver.mechanisms.call_rounds import play_calls

if TYPE_CHECKING:
    from palaver.mechanisms.stepping import MechanismStepping

_CLASS_DEFINES: dict[tuple[type, str], bool] = {}
"""Per negotiator class and method, whether the class has a callable ``method``
of its own (asked once per class and method: every negotiation asks five of
each negotiator)."""


def defining(negotiators: list[Any], method: str) -> list[Any]:
    """The negotiators that have a callable ``method`` (on their class, or set on
    the negotiator itself). A base class's default that does nothing (marked
    ``_palaver_default``, such as ``on_preferences_changed``) does not count:
    only the negotiators that define their own are called."""
    found = []
    known = _CLASS_DEFINES
    for n in negotiators:
        key = (type(n), method)
        defines = known.get(key)
        if defines is None:
            defined = getattr(key[0], method, None)
            defines = known[key] = callable(defined) and not getattr(
                defined, "_palaver_default", False
            )
        if defines:
            found.append(n)
            continue
        own = getattr(n, "__dict__", None)
        if own and callable(own.get(method)):
            found.append(n)
    return found


def play_with_callbacks(mechanism: MechanismStepping, rounds: int) -> None:
    """The mechanism's ``_play``, one round at a time, between the negotiators' round callbacks.

    ``on_round_start(state)`` before each round and ``on_round_end(state)``
    after it (also after the round that ended the negotiation, unless a
    negotiator failed in it; it sees that round's ``step`` and
    ``relative_time``, as in NegMAS), for the negotiators that define them
    (NegMAS's extra callbacks). A callback that raises fails the
    negotiation like any other negotiator call. A NegMAS-style round that
    did not complete (not counted) gets no ``on_round_end`` and does not
    count towards ``rounds``, as in :func:`~palaver.mechanisms.call_rounds.play_calls`.
    """
    state = mechanism._state
    # Only a NegMAS-style round is skipped when uncounted: the turns of
    # SAO's one_offer_per_step leave the count unchanged too, and each one
    # gets both callbacks.
    may_not_complete = type(mechanism)._play is play_calls
    done = 0
    while done < rounds:
        for negotiator in mechanism._round_starts:
            try:
                negotiator.on_round_start(state)
            except Exception as exc:
                mechanism._negotiator_failed(negotiator, "on_round_start", exc)
                return
        before, during = state.step, state.relative_time
        mechanism._play(1)
        if state.has_error:
            return
        if may_not_complete and state.step == before and state.running:
            if rounds == 1:
                return
            continue
        done += 1
        # NegMAS's on_round_end sees the round it ends: its step and
        # relative time, not the next round's (the flags are current).
        after, later = state.step, state.relative_time
        state.step, state.relative_time = before, during
        try:
            for negotiator in mechanism._round_ends:
                try:
                    negotiator.on_round_end(state)
                except Exception as exc:
                    mechanism._negotiator_failed(negotiator, "on_round_end", exc)
                    return
        finally:
            state.step, state.relative_time = after, later
        if not state.running:
            return

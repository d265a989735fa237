"""NegMAS-style rounds: a mechanism subclass that implements ``__call__(state, action=None)``.

Such a subclass (one that defines ``__call__`` and not ``_round``) gets
:func:`play_calls` as its ``_play`` when the class is made (see
:meth:`Mechanism.__init_subclass__ <palaver.mechanisms.Mechanism>`); each
round calls ``mechanism(state)`` and applies the
:class:`~palaver.mechanisms.MechanismStepResult` it returns
(:func:`call_round`). Mechanisms written with ``_round`` (SAO's among them)
pay nothing for this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from palaver.mechanisms.errors import MechanismTypeError
from palaver.mechanisms.state import MechanismState
from palaver.mechanisms.step_result import MechanismStepResult

if TYPE_CHECKING:
    from palaver.mechanisms.stepping import MechanismStepping

_KEPT_BY_MECHANISM = frozenset(
    {"step", "relative_time", "started", "running", "time", "offer_source"}
)


def _adopt(live: MechanismState, returned: MechanismState) -> None:
    """Copy ``returned``'s fields into ``live``, except those the base class keeps."""
    for name in live.__dataclass_fields__:
        if name not in _KEPT_BY_MECHANISM:
            setattr(live, name, getattr(returned, name))


def defines_call(cls: type, base: type) -> bool:
    """Whether ``cls`` (or a class of its MRO below ``base``) defines ``__call__``."""
    for klass in cls.__mro__:
        if klass is base:
            return False
        if "__call__" in klass.__dict__:
            return True
    return False


def play_calls(mechanism: MechanismStepping, rounds: int) -> None:
    """The ``_play`` of a NegMAS-style mechanism: each round calls ``mechanism(state)``.

    A round whose result says it did not complete (``completed=False`` or
    ``waiting=True``) is not counted: one ``step()`` then makes one call,
    while ``run()`` calls again until ``rounds`` rounds completed or the
    negotiation ended. Each completed round's state is kept for
    :attr:`~palaver.mechanisms.Mechanism.history` (NegMAS's).
    """
    state = mechanism._state
    states = mechanism._states
    if states is None:
        states = mechanism._states = []
    done = 0
    while done < rounds:
        if not call_round(mechanism):
            if rounds == 1 or not state.running:
                return
            continue
        done += 1
        states.append(state.copy())
        if not mechanism._round_played(state.step + 1):
            return


def call_round(mechanism: MechanismStepping) -> bool:
    """Call ``mechanism(state)`` once, apply its result to the state, return whether it completed.

    The result ends the negotiation when, in the returned state or in the
    result itself, there is an agreement, ``broken`` or ``timedout``, or an
    error (``state.has_error`` / ``error=True``; ``error_details`` is kept).
    A returned state other than the live one has its fields copied into the
    live state (the round count and the running flags stay the
    mechanism's). Anything but a ``MechanismStepResult`` ends the
    negotiation with an error naming the class and the value, raised as a
    ``MechanismTypeError`` once the negotiation is closed.
    """
    state = mechanism._state
    result = mechanism(state)  # type: ignore[operator]
    if not isinstance(result, MechanismStepResult):
        mechanism._failures.mechanism_failed(
            MechanismTypeError(
                f"{type(mechanism).__name__}.__call__ must return a MechanismStepResult, "
                f"returned {result!r} ({type(result).__name__}) at round {state.step} "
                f"of {mechanism._id!r}"
            )
        )
        return True
    returned = result.state
    if returned is not state:
        if not isinstance(returned, type(state)):
            mechanism._failures.mechanism_failed(
                MechanismTypeError(
                    f"{type(mechanism).__name__}.__call__ returned a MechanismStepResult whose "
                    f"state is {returned!r} ({type(returned).__name__}); allowed: the state "
                    f"it was given or another {type(state).__name__}"
                )
            )
            return True
        _adopt(state, returned)
    if result.agreement is not None:
        state.agreement = result.agreement
    if result.broken:
        state.broken = True
    if result.timedout:
        state.timedout = True
    if result.error:
        state.has_error = True
        if result.error_details:
            state.error_details = result.error_details
    if state.agreement is not None or state.broken or state.timedout or state.has_error:
        state.running = False
    return result.completed and not result.waiting

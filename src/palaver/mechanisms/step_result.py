"""What a NegMAS-style mechanism's ``__call__`` returns for one round."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from palaver.mechanisms.state import MechanismState
from palaver.outcomes import Outcome

TState = TypeVar("TState", bound=MechanismState)


@dataclass(frozen=True, slots=True)
class MechanismStepResult(Generic[TState]):
    """The result of one round of a mechanism written NegMAS-style.

    A subclass of :class:`~palaver.mechanisms.Mechanism` that implements
    ``__call__(self, state, action=None)`` (and not ``_round``) returns one of
    these every round; the base class applies it (see
    :func:`~palaver.mechanisms.call_rounds.call_round` and the guide's
    "Writing a mechanism NegMAS-style").

    Attributes:
        state: The mechanism's state (usually the one ``__call__`` was given,
            changed in place: set ``state.agreement`` to end with an agreement,
            ``state.broken`` or ``state.timedout`` to end without one).
        completed: ``False``: the round is not finished, so it is not counted
            and ``__call__`` is called again in the next step.
        broken: End the negotiation as broken.
        timedout: End the negotiation as timed out.
        agreement: End the negotiation with this agreement.
        error: End the negotiation with an error (``state.has_error``).
        error_details: What went wrong (copied to ``state.error_details``).
        waiting: Like ``completed=False``: the round waits for someone.
        exceptions: Per negotiator id, the exceptions it raised this round
            (kept for the caller; the negotiation is not ended by them).
        times: Per negotiator id, the seconds it used this round (kept for the caller).
    """

    state: TState
    completed: bool = True
    broken: bool = False
    timedout: bool = False
    agreement: Outcome | None = None
    error: bool = False
    error_details: str = ""
    waiting: bool = False
    exceptions: dict[str, list[str]] | None = None
    times: dict[str, float] | None = None

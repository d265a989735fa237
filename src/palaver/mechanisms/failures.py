"""How a mechanism records a negotiator's failure: in the state, and as the error to raise.

A negotiator that raises, answers something malformed or runs over its time
ends the negotiation. :class:`Failures` (one per mechanism) writes what
happened into the live state (``has_error``, ``error_details``,
``erred_negotiator``, ``erred_agent``, or ``timedout``) and keeps the
:class:`~palaver.mechanisms.NegotiatorError` to raise once the negotiation has
been closed properly, unless exceptions are ignored.
"""

from __future__ import annotations

from typing import Any

from palaver.mechanisms.errors import NegotiatorError
from palaver.mechanisms.state import MechanismState


def erred_agent(negotiator: Any) -> str:
    """The ``erred_agent`` of a state whose ``erred_negotiator`` is ``negotiator``: the id
    of the agent it acts for, ``""`` without one (NegMAS's)."""
    owner_id = getattr(negotiator, "owner_id", None)
    return owner_id if isinstance(owner_id, str) else ""


class Failures:
    """The failure record of one mechanism (see the module docstring).

    Attributes:
        ignore: Whether errors are only recorded (``ignore_negotiator_exceptions``).
        pending: The error to raise when the negotiation has been closed, if any.
    """

    __slots__ = ("_id", "_state", "_type", "ignore", "pending")

    def __init__(self, mechanism_type: str, mechanism_id: str, state: MechanismState, ignore: bool):
        self._type = mechanism_type
        self._id = mechanism_id
        self._state = state
        self.ignore = ignore
        self.pending: Exception | None = None

    def message(self, negotiator: Any, where: str, round: int, exc: BaseException) -> str:
        """What to say about ``exc``, raised by ``negotiator`` in ``where()`` at ``round``."""
        at = f"round {round}" if round >= 0 else "joining"
        return (
            f"negotiator {negotiator.id!r} raised {type(exc).__name__} in {where}() at {at} "
            f"of {self._type} {self._id!r}: {exc}"
        )

    def join_error(self, negotiator: Any, exc: BaseException) -> NegotiatorError:
        """The error for a ``join`` that raised (nothing is recorded: no negotiation yet)."""
        return NegotiatorError(
            self.message(negotiator, "join", -1, exc), negotiator.id, -1, self._id
        )

    def failed(
        self,
        negotiator: Any,
        where: str,
        exc: BaseException,
        error_type: type[NegotiatorError] = NegotiatorError,
        message: str | None = None,
    ) -> None:
        """Record a failure that stops the negotiation (raised later as ``error_type``)."""
        state = self._state
        msg = message or self.message(negotiator, where, state.step, exc)
        state.has_error = True
        state.broken = True  # NegMAS's: a negotiator's exception breaks the negotiation
        state.error_details = msg
        state.erred_negotiator = negotiator.id
        state.erred_agent = erred_agent(negotiator)
        state.running = False
        if not self.ignore:
            error = error_type(msg, negotiator.id, state.step, self._id)
            error.__cause__ = exc
            self.pending = error

    def failed_at_end(
        self, negotiator: Any, exc: BaseException, where: str = "on_negotiation_end"
    ) -> None:
        """Record a failure in ``where()`` once the negotiation has ended (added to any
        earlier error)."""
        state = self._state
        msg = self.message(negotiator, where, state.step, exc)
        state.has_error = True
        state.error_details = f"{state.error_details}; {msg}" if state.error_details else msg
        if not state.erred_negotiator:
            state.erred_negotiator = negotiator.id
            state.erred_agent = erred_agent(negotiator)
        if self.pending is None and not self.ignore:
            self.pending = NegotiatorError(msg, negotiator.id, state.step, self._id)
            self.pending.__cause__ = exc

    def too_slow(self, negotiator: Any, where: str, seconds: float, limit: float | None) -> None:
        """End the negotiation as timed out: one call took ``seconds``, over ``limit``."""
        state = self._state
        state.timedout = True
        state.running = False
        state.erred_negotiator = negotiator.id
        state.erred_agent = erred_agent(negotiator)
        state.error_details = (
            f"negotiator {negotiator.id!r} took {seconds:.3g}s in {where}() at round "
            f"{state.step}, over negotiator_time_limit={limit}"
        )

    def mechanism_failed(self, error: Exception) -> None:
        """Record the mechanism's own failure (always raised once the negotiation is closed:
        it is a bug in the mechanism, not a negotiator's exception to ignore)."""
        state = self._state
        state.has_error = True
        state.error_details = str(error)
        state.running = False
        self.pending = error

    def raise_pending(self) -> None:
        """Raise the recorded error, if any (once)."""
        error = self.pending
        if error is not None:
            self.pending = None
            raise error

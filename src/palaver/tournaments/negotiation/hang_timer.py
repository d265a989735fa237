"""The hang timer of a negotiation tournament's batches: a negotiation whose
negotiator does not return within ``hang_timeout`` seconds is interrupted by a
``SIGALRM`` timer (where the worker runs Python in its main thread) raising
:class:`NegotiationHung` inside it, and :func:`culprit` names the negotiator
that was running. Used by :meth:`~palaver.tournaments.negotiation.play.NegotiationJob.run`.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from palaver.tournaments.play import LONGEST_ALARM


class NegotiationHung(BaseException):
    """Raised inside a negotiator that exceeded the hang timeout (not catchable as Exception)."""


class Watchdog:
    """The hang timer of one batch: ``SIGALRM``'s handler is installed once for
    the batch (``signal.signal`` costs a few microseconds, paid twice per
    negotiation before), and :meth:`arm` / :meth:`disarm` set the timer around
    each negotiation. Inactive (every call a no-op) without a timeout, outside
    the main thread, or for a timeout longer than the OS timer holds
    (``setitimer()`` overflows past about 1e10 s; no run lasts that long, so no
    alarm is the same)."""

    __slots__ = ("_previous", "active", "seconds")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = 0.0 if seconds is None else seconds
        self.active = (
            seconds is not None
            and seconds <= LONGEST_ALARM
            and threading.current_thread() is threading.main_thread()
        )
        self._previous: Any = None

    def __enter__(self) -> Watchdog:
        if self.active:
            self._previous = signal.signal(signal.SIGALRM, _expire)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)

    def arm(self) -> None:
        """Start the timer for one negotiation."""
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def disarm(self) -> None:
        """Stop the timer (the negotiation returned or raised)."""
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)


def _expire(signum: int, frame: Any) -> None:
    raise NegotiationHung


def culprit(exc: BaseException, negotiators: list[Any]) -> str | None:
    """The innermost negotiator whose method was running when ``exc`` was raised."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        owner = tb.tb_frame.f_locals.get("self")
        if owner is not None and any(owner is n for n in negotiators):
            found = owner.id
        tb = tb.tb_next
    return found

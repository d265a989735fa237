"""Stop a call that runs past its deadline, in the thread that made it.

A negotiation with a time limit must end when the limit passes, even when a
negotiator's ``respond`` or ``propose`` never returns (a loop without end, a
strategy that searches too long). Checking the clock between calls cannot stop
such a call; running every call in a worker thread (NegMAS's way) costs a
thread hand-over per call and leaves the abandoned thread running.

Here the call runs where it was made. :func:`call_before` registers its
deadline with one watchdog thread per process; when the deadline passes
before the call returns, the watchdog raises :class:`DeadlinePassed` inside
the calling thread (CPython's ``PyThreadState_SetAsyncExc``), which unwinds
the call. A call that returns in time costs two uncontended lock round trips
and no thread switch: the watchdog sleeps until the earliest deadline it
knows and is woken only when an earlier one is registered.

Limits of the approach (documented for users in the guide): the exception is
raised between Python bytecodes, so code blocked inside C (``time.sleep``, a
long numpy call, blocking I/O) is stopped only when it returns to Python; code
that catches ``BaseException`` (or uses a bare ``except:``) can swallow it.
:class:`DeadlinePassed` derives from ``BaseException`` so that a negotiator's
``except Exception`` does not.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["DeadlinePassed", "call_before"]

T = TypeVar("T")

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc


class DeadlinePassed(BaseException):
    """Raised inside a call that was still running when its deadline passed."""


class _Watchdog:
    """The thread that interrupts overdue calls, and the deadlines it watches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        # thread ident -> {token: deadline} of the calls that thread is in (calls
        # nest: a negotiator may run a negotiation of its own)
        self._armed: dict[int, dict[int, float]] = {}
        # tokens whose thread was sent DeadlinePassed and did not finish yet
        self._fired: set[int] = set()
        self._next_token = 0
        self._sleeping_until = float("inf")
        self._thread: threading.Thread | None = None

    def arm(self, deadline: float) -> int:
        """Watch the current thread's call until ``deadline`` (``time.perf_counter``)."""
        ident = threading.get_ident()
        with self._lock:
            self._next_token += 1
            token = self._next_token
            calls = self._armed.get(ident)
            if calls is None:
                calls = self._armed[ident] = {}
            calls[token] = deadline
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._watch, name="palaver-deadlines", daemon=True
                )
                self._thread.start()
            elif deadline < self._sleeping_until:
                self._wake.notify()
        return token

    def finish(self, token: int) -> bool:
        """The call ended: stop watching it; ``True`` when it was interrupted.

        An interruption sent but not raised yet is cancelled here, so that it
        cannot surface later in code outside the call.
        """
        ident = threading.get_ident()
        with self._lock:
            calls = self._armed.get(ident)
            if calls is not None:
                calls.pop(token, None)
                if not calls:
                    del self._armed[ident]
            if token not in self._fired:
                return False
            self._fired.discard(token)
            _set_async_exc(ctypes.c_ulong(ident), None)
            return True

    def _watch(self) -> None:
        with self._lock:
            while True:
                now = time.perf_counter()
                earliest = float("inf")
                for ident, calls in list(self._armed.items()):
                    for token, deadline in list(calls.items()):
                        if deadline <= now:
                            del calls[token]
                            self._fired.add(token)
                            _set_async_exc(ctypes.c_ulong(ident), ctypes.py_object(DeadlinePassed))
                        elif deadline < earliest:
                            earliest = deadline
                    if not calls:
                        del self._armed[ident]
                self._sleeping_until = earliest
                self._wake.wait(None if earliest == float("inf") else earliest - now)

    def settle(self, token: int) -> bool:
        """:meth:`finish`, also when the interruption is raised while it runs."""
        try:
            return self.finish(token)
        except DeadlinePassed:
            self.finish(token)
            return True

    def reset_after_fork(self) -> None:
        """A forked child has no watchdog thread and no calls in flight."""
        self.__init__()  # type: ignore[misc]


_WATCHDOG = _Watchdog()
os.register_at_fork(after_in_child=_WATCHDOG.reset_after_fork)


def call_before(deadline: float, call: Callable[..., T], *args: Any) -> T:
    """``call(*args)``; :class:`DeadlinePassed` when it is still running at
    ``deadline`` (a ``time.perf_counter`` reading), or when the deadline has
    passed already (then ``call`` is not made).

    An exception the call raises is raised as it is (also when the deadline
    passed meanwhile); a :class:`DeadlinePassed` meant for an enclosing call
    passes through.
    """
    if time.perf_counter() >= deadline:
        raise DeadlinePassed
    watchdog = _WATCHDOG
    token = watchdog.arm(deadline)
    try:
        result = call(*args)
    except BaseException:
        watchdog.settle(token)
        raise
    if watchdog.settle(token):
        raise DeadlinePassed
    return result

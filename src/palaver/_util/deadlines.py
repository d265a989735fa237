"""Stop a call that runs past its deadline, in the thread that made it.

A negotiation with a time limit must end when the limit passes, even when a
negotiator's ``respond`` or ``propose`` never returns (a loop without end, a
strategy that searches too long). Checking the clock between calls cannot stop
such a call; running every call in a worker thread (NegMAS's way) costs a
thread hand-over per call and leaves the abandoned thread running.

Here the call runs where it was made. :func:`call_before` registers its
deadline with one watchdog thread per process; when the deadline (and a
short :data:`GRACE`) passes before the call returns, the watchdog raises
:class:`DeadlinePassed` inside the calling thread (CPython's
``PyThreadState_SetAsyncExc``), which unwinds the call. A call that returns
in time costs two uncontended lock round trips and no thread switch: the
watchdog sleeps until the earliest deadline it knows and is woken only when
an earlier one is registered.

Limits of the approach (documented for users in the guide): the exception is
raised between Python bytecodes, so code blocked inside C (``time.sleep``, a
long numpy call, blocking I/O) is stopped only when it returns to Python; code
that catches ``BaseException`` (or uses a bare ``except:``) can swallow it.
:class:`DeadlinePassed` derives from ``BaseException`` so that a negotiator's
``except Exception`` does not.

Calls nest (a negotiator may run a negotiation of its own): each thread has a
stack of the calls it is in. An interruption belongs to the call whose
deadline passed; when it unwinds an inner call, :func:`call_before` raises it
on as a plain :class:`DeadlinePassed` (which its caller lets pass) up to the
call it belongs to, which raises :class:`CallStopped`, the one its caller
handles. A thread has one pending interruption at a time, so when an inner
and an outer deadline pass together, the inner call's end raises the outer
one's again rather than losing it.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Callable
from threading import get_ident
from typing import Any, TypeVar

__all__ = ["CallStopped", "DeadlinePassed", "call_before"]

T = TypeVar("T")

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc


#: Seconds a call may run past its deadline before it is interrupted. A call
#: that is merely late returns normally (its caller sees the time and ends the
#: negotiation as it did before calls could be stopped); only a call still
#: running this long after is stopped. An interruption can land anywhere in
#: the call, e.g. between a library's ``lock.acquire()`` and its ``try``
#: (leaving the lock taken, as Ctrl-C can): stopping only calls that are stuck
#: keeps that rare.
GRACE = 0.1


class DeadlinePassed(BaseException):
    """Raised inside a call that was still running when its deadline passed."""


class CallStopped(DeadlinePassed):
    """Raised by :func:`call_before` to its caller: that call's own deadline passed."""


class _Watchdog:
    """The thread that interrupts overdue calls, and the deadlines it watches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        # thread ident -> the calls that thread is in, outermost first, each
        # [deadline, interrupted]; entries are lists so that the watchdog marks
        # them in place.
        self.calls: dict[int, list[list[Any]]] = {}
        # The threads with an interrupted call not finished yet.
        self._interrupted: set[int] = set()
        self._sleeping_until = float("inf")
        self._thread: threading.Thread | None = None

    def arm(self, ident: int, deadline: float) -> None:
        """Watch the next call of thread ``ident`` (the current one) until
        ``deadline`` (``time.perf_counter``)."""
        with self._lock:
            calls = self.calls.get(ident)
            if calls is None:
                calls = self.calls[ident] = []
            deadline += GRACE
            calls.append([deadline, False])
            if deadline < self._sleeping_until:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._watch, name="palaver-deadlines", daemon=True
                    )
                    self._thread.start()
                else:
                    self._wake.notify()

    def finish(self, ident: int, depth: int) -> tuple[bool, bool]:
        """The call at ``depth`` of thread ``ident`` (the current one) ended: stop
        watching it (and any call inside it left armed); ``(interrupted, outer
        interrupted)``.

        A pending interruption is cancelled first, so that none can surface later
        in code outside the call: an interrupted outer call is told by the second
        value instead (:func:`call_before` then raises its interruption on).
        """
        with self._lock:
            calls = self.calls.get(ident)
            if calls is None:
                return False, False
            if ident not in self._interrupted:
                del calls[depth:]
                if not calls:
                    del self.calls[ident]
                return False, False
            _set_async_exc(ctypes.c_ulong(ident), None)
            mine = any(entry[1] for entry in calls[depth:])
            del calls[depth:]
            outer = any(entry[1] for entry in calls)
            if not outer:
                self._interrupted.discard(ident)
            if not calls:
                del self.calls[ident]
            return mine, outer

    def settle(self, ident: int, depth: int) -> tuple[bool, bool]:
        """:meth:`finish`, also when an interruption is raised while it runs."""
        try:
            return self.finish(ident, depth)
        except DeadlinePassed:
            # Its own interruption, or an outer one (then told by ``outer``).
            _, outer = self.finish(ident, depth)
            return True, outer

    def _watch(self) -> None:
        with self._lock:
            while True:
                now = time.perf_counter()
                earliest = float("inf")
                for ident, calls in self.calls.items():
                    for entry in calls:
                        if entry[1]:
                            continue
                        if entry[0] <= now:
                            entry[1] = True
                            self._interrupted.add(ident)
                            _set_async_exc(ctypes.c_ulong(ident), ctypes.py_object(DeadlinePassed))
                        elif entry[0] < earliest:
                            earliest = entry[0]
                self._sleeping_until = earliest
                self._wake.wait(None if earliest == float("inf") else earliest - now)

    def reset_after_fork(self) -> None:
        """A forked child has no watchdog thread and no calls in flight."""
        self.__init__()  # type: ignore[misc]


_WATCHDOG = _Watchdog()
os.register_at_fork(after_in_child=_WATCHDOG.reset_after_fork)


def call_before(deadline: float, call: Callable[..., T], *args: Any) -> T:
    """``call(*args)``; :class:`CallStopped` when it is still running
    :data:`GRACE` seconds after ``deadline`` (a ``time.perf_counter``
    reading), or when the deadline has passed already (then ``call`` is not
    made). A call that returns late but within the grace returns its result:
    the caller compares the time itself.

    An exception the call raises is raised as it is (also when the deadline
    passed meanwhile). The interruption of an enclosing call is raised on as
    a plain :class:`DeadlinePassed`, also when this call's deadline passed too.
    """
    if time.perf_counter() >= deadline:
        raise CallStopped
    watchdog = _WATCHDOG
    ident = get_ident()
    # The depth, not a token, names the call: an interruption raised right
    # after arm() returned is still settled as this call's.
    calls = watchdog.calls.get(ident)
    depth = 0 if calls is None else len(calls)
    try:
        watchdog.arm(ident, deadline)
        result = call(*args)
    except BaseException as exc:
        mine, outer = watchdog.settle(ident, depth)
        if outer:
            raise DeadlinePassed from None
        if mine and isinstance(exc, DeadlinePassed):
            raise CallStopped from None
        raise
    mine, outer = watchdog.settle(ident, depth)
    if outer:
        raise DeadlinePassed
    if mine:
        raise CallStopped
    return result

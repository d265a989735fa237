"""The ``serial`` executor: every world in the tournament's own process, one after another.

Meant for debugging (a breakpoint in an agent just works). The time budget is
enforced with a ``SIGALRM`` timer, which interrupts Python code but not a call
blocked inside a C extension, and only exists on POSIX in the main thread;
elsewhere the budget is not enforced by this executor (use ``process``).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from palaver.tournaments.executors import ResultCallback
from palaver.tournaments.plan import WorldTask
from palaver.tournaments.play import LONGEST_ALARM, TIMED_OUT, Job, WorldResult, WorldTimeout


def _alarm_available() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: Any) -> None:
        raise WorldTimeout

    if seconds > LONGEST_ALARM:
        # setitimer() overflows past about 1e10 s ("timestamp out of range", left
        # the handler replaced); no run lasts that long, so no alarm is the same.
        yield
        return
    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class SerialExecutor:
    """Runs worlds one by one in the calling process."""

    name = "serial"

    def describe(self) -> dict[str, Any]:
        """How this executor is set up (stored in the results manifest)."""
        return {"name": self.name, "workers": 1}

    def run(self, job: Job, tasks: Sequence[WorldTask], on_result: ResultCallback) -> None:
        """Run each world in turn, stopping one that exceeds the time budget."""
        budget = job.config.time_budget
        for task in tasks:
            if budget is None or not _alarm_available():
                on_result(task, job.run(task))
                continue
            start = time.perf_counter()
            try:
                with _alarm(budget):
                    result = job.run(task)
            except WorldTimeout:
                result = WorldResult.unfinished(
                    task,
                    TIMED_OUT,
                    f"stopped: exceeded the time budget of {budget} s",
                    time.perf_counter() - start,
                )
            on_result(task, result)

"""The run clock: a world's status, its step, and the wall-clock time it has used."""

from __future__ import annotations

import time

__all__ = ["ENDED", "RunClock"]

#: The statuses of a run that is over (``run``/``step`` then do nothing more).
ENDED = frozenset({"completed", "timed_out", "error", "interrupted"})


class RunClock:
    """Where a run is: status, current step, whether a step is under way, time used.

    The clock only keeps time; the scheduler decides what a step does. Time
    spent between ``step()`` calls (and while a checkpoint sits on disk) is not
    counted against the run's time limit: only the time inside steps is.
    """

    #: Seconds used by the steps completed so far (updated as each one ends).
    frozen = 0.0

    def __init__(self) -> None:
        #: ``pending``, ``running``, or one of :data:`ENDED`.
        self.status = "pending"
        #: The step being run (or the next one to run between steps).
        self.step = 0
        #: Whether a step is under way (a checkpoint is refused then).
        self.in_step = False
        #: Whether the run started (agents initialised, ``simulation_start`` sent).
        self.started = False
        #: Wall-clock seconds used so far.
        self.elapsed = 0.0
        self._mark: float | None = None

    @property
    def ended(self) -> bool:
        """Whether the run is over."""
        return self.status in ENDED

    def start(self) -> None:
        """The run starts now."""
        self.started = True
        self.status = "running"
        self._mark = time.perf_counter()

    def resume(self) -> None:
        """Count time from now on (after a world was restored from a checkpoint)."""
        self._mark = time.perf_counter()

    def spent(self, time_limit: float | None) -> bool:
        """Add the time since the last mark; whether ``time_limit`` is now used up."""
        self._count()
        return time_limit is not None and self.elapsed >= time_limit

    def end_step(self) -> None:
        """The step under way is over: count its time into :attr:`frozen`."""
        self.in_step = False
        self._count()
        self.frozen = self.elapsed

    def used(self) -> float:
        """Seconds used so far, the running part of a step under way included."""
        if self.in_step and self._mark is not None:
            return self.elapsed + (time.perf_counter() - self._mark)
        return self.elapsed

    def _count(self) -> None:
        now = time.perf_counter()
        if self._mark is not None:
            self.elapsed += now - self._mark
        self._mark = now

"""How the ``ray`` executor feeds worlds to Ray: chunks of worlds, one streaming task each.

A Ray task costs a few milliseconds of CPU (submission, scheduling, the
worker's bookkeeping, the driver's waits), on top of the world itself. For
worlds of a few tens of milliseconds that is a tax of several per cent on
every core, so several worlds share one task: a *chunk*. Chunks are large
while many worlds are waiting and shrink to a single world near the end
(guided self-scheduling), so no worker is left with a long chunk while the
others sit idle.

A chunk is a streaming task that reports as it goes: one item when its first
world starts, then one item per world, the world's result, which also means
that the next world of the chunk starts now. The tournament therefore knows,
at all times, which world each chunk is running and since when, and:

- a world past its time budget is recorded ``timed_out``; its task is cancelled
  with ``ray.cancel(force=True)`` (the only way to stop Python code stuck in a
  loop or a C call), and the chunk's worlds that had not started go back to the
  front of the queue;
- a world that raises is recorded ``failed`` by :meth:`Job.run
  <palaver.tournaments.play.Job.run>` inside the task, and the chunk goes on;
- when a chunk's worker dies (killed by the OS, a node lost), the world it was
  running is run again, alone in a new task, up to ``max_retries`` times, then
  recorded ``failed``; the chunk's other unreported worlds go back to the
  queue. Ray's own retries are off (``max_retries=0`` on the task): Ray would
  re-run the whole chunk from its first world, silently, and the world being
  retried would be charged for the time its chunk-mates took to run again.

Which world was running when a worker died is not always certain: Ray sends a
streamed item in the background, and a worker killed within a millisecond of
starting a world takes the previous world's result with it. The tournament then
blames the previous world. So a world is recorded ``failed`` only once its
worker died while no other world could have been running (it was alone in its
task, or the last of its chunk); until then it is re-run alone. An innocent
world is then run twice, never failed, and a world that kills its worker at
once may run one time more than ``max_retries`` allows.

Every world is thus in exactly one place: the queue, or the unreported part of
one chunk in flight, and is reported exactly once.
"""

from __future__ import annotations

import math
import pickle
import time
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from palaver.tournaments.executors import ResultCallback
from palaver.tournaments.plan import WorldTask
from palaver.tournaments.play import FAILED, TIMED_OUT, Job, WorldResult

MAX_CHUNK = 8
"""Most worlds in one Ray task when the chunk size is automatic.

Past a handful of worlds the per-task cost is already small next to the
per-world cost (one streamed item each), so larger chunks would gain little
and only make the queue coarser.
"""

SPREAD = 4
"""Automatic chunks hold at most ``1 / (SPREAD * slots)`` of the worlds still queued.

Chunks thus shrink as the queue empties and the last ones hold one world, so
the workers finish at about the same time.
"""

STARTED = "started"
"""The first item of every chunk: its first world starts now."""


def run_chunk(job: Job, tasks: Sequence[WorldTask]) -> Iterator[str | bytes]:
    """The body of a chunk's Ray task: run the worlds in turn, streaming each result.

    The first item is :data:`STARTED`; each later item is the result of the
    next world, pickled, and means that the world after it starts now.
    """
    yield STARTED
    for task in tasks:
        # Pickled here: Ray would serialise the result with cloudpickle, written
        # in Python, four times slower than pickle on a result's hundreds of
        # small records (about 1 ms of the worker's time per world).
        yield pickle.dumps(job.run(task), protocol=pickle.HIGHEST_PROTOCOL)


def chunk_size(queued: int, slots: int, fixed: int | None = None) -> int:
    """How many of the ``queued`` worlds the next chunk takes.

    ``fixed`` chunks take that many worlds (fewer for the last one); automatic
    ones take ``queued / (SPREAD * slots)``, between 1 and :data:`MAX_CHUNK`.
    """
    if fixed is not None:
        return max(1, min(fixed, queued))
    return max(1, min(MAX_CHUNK, math.ceil(queued / (SPREAD * slots)), queued))


@dataclass
class _Chunk:
    """The driver's view of one chunk in flight."""

    tasks: list[WorldTask]
    reported: int = 0
    """Worlds of the chunk whose result arrived; ``tasks[reported]`` is running or next."""
    started: float | None = None
    """When ``tasks[reported]`` started (``time.monotonic``), ``None`` until the chunk starts."""

    @property
    def current(self) -> WorldTask:
        return self.tasks[self.reported]

    @property
    def unstarted(self) -> list[WorldTask]:
        return self.tasks[self.reported + 1 :]


class ChunkSubmitter:
    """Runs a queue of worlds as chunks on ``slots`` Ray workers; one use per tournament run.

    ``chunk`` fixes the number of worlds per task (default: automatic, see
    :func:`chunk_size`).
    """

    def __init__(
        self,
        ray: Any,
        job: Job,
        slots: int,
        on_result: ResultCallback,
        chunk: int | None = None,
    ) -> None:
        self.ray = ray
        self.budget = job.config.time_budget
        self.max_retries = job.config.max_retries
        self.slots = slots
        self.chunk = chunk
        # Twice the slots: a worker that finishes its chunk starts the next one,
        # already waiting for it, without a round trip through the tournament.
        self.window = 2 * slots
        self.on_result = on_result
        self.remote = ray.remote(num_cpus=1, num_returns="streaming", max_retries=0)(run_chunk)
        # One copy of the job in the object store, not one per chunk.
        self.job_ref = ray.put(job)
        self.in_flight: dict[Any, _Chunk] = {}
        # Deaths of a worker blamed on each world, and the worlds that run alone
        # since (see the module's documentation).
        self.attempts: Counter[str] = Counter()
        self.alone: set[str] = set()

    def run(self, tasks: Sequence[WorldTask]) -> None:
        """Run every world and report each result; return when all are reported."""
        queue = deque(tasks)
        try:
            while queue or self.in_flight:
                self._submit(queue)
                self._collect(queue)
                self._enforce_budget(queue)
        finally:
            # After an error or Ctrl-C, leave nothing running on the cluster
            # (a chunk would otherwise go on with its remaining worlds).
            for ref in self.in_flight:
                self.ray.cancel(ref, force=True)

    def _submit(self, queue: deque[WorldTask]) -> None:
        while queue and len(self.in_flight) < self.window:
            tasks = [queue.popleft()]
            if tasks[0].world_id not in self.alone:
                size = chunk_size(len(queue) + 1, self.slots, self.chunk)
                while queue and len(tasks) < size and queue[0].world_id not in self.alone:
                    tasks.append(queue.popleft())
            self.in_flight[self.remote.remote(self.job_ref, tasks)] = _Chunk(tasks)

    def _timeout(self) -> float | None:
        starts = [c.started for c in self.in_flight.values() if c.started is not None]
        if self.budget is None or not starts:
            return None
        return max(0.0, min(starts) + self.budget - time.monotonic())

    def _collect(self, queue: deque[WorldTask]) -> None:
        # One wait per item: when several are ready, the next call returns at once.
        ready, _ = self.ray.wait(list(self.in_flight), num_returns=1, timeout=self._timeout())
        for ref in ready:
            chunk = self.in_flight[ref]
            try:
                item = self.ray.get(next(ref))
            except self.ray.exceptions.RayError as exc:
                # run_chunk never raises for a world's own errors, so this is the
                # task's worker dying, a node lost, or the task failing to start.
                del self.in_flight[ref]
                self._lost(chunk, exc, queue)
                continue
            # Either item means that the chunk's next world starts now.
            chunk.started = time.monotonic()
            if item == STARTED:
                continue
            task = chunk.current
            chunk.reported += 1
            if chunk.reported == len(chunk.tasks):
                # The last result: the stream has nothing more to say.
                del self.in_flight[ref]
            self.on_result(task, pickle.loads(item))

    def _lost(self, chunk: _Chunk, exc: Exception, queue: deque[WorldTask]) -> None:
        """A chunk's task died: re-run its current world (or give up on it), re-queue the rest."""
        queue.extendleft(reversed(chunk.unstarted))
        task = chunk.current
        self.attempts[task.world_id] += 1
        attempts = self.attempts[task.world_id]
        # A RayTaskError is the task's own code raising (e.g. the world's module
        # cannot be imported on the worker): running it again would fail again.
        # It travels in order with the results, so it names the right world.
        retry = not isinstance(exc, self.ray.exceptions.RayTaskError)
        # When the worker died, the next world of the chunk may have been
        # running already, its predecessor's result still on the way.
        certain = not chunk.unstarted
        if retry and (attempts <= self.max_retries or not certain):
            self.alone.add(task.world_id)
            queue.appendleft(task)
            return
        now = time.monotonic()
        error = f"Ray could not run this world ({attempts} attempt(s)): {type(exc).__name__}: {exc}"
        duration = now - chunk.started if chunk.started is not None else 0.0
        self.on_result(task, WorldResult.unfinished(task, FAILED, error, duration))

    def _enforce_budget(self, queue: deque[WorldTask]) -> None:
        if self.budget is None:
            return
        now = time.monotonic()
        for ref, chunk in list(self.in_flight.items()):
            if chunk.started is None or now - chunk.started < self.budget:
                continue
            self.ray.cancel(ref, force=True)
            del self.in_flight[ref]
            queue.extendleft(reversed(chunk.unstarted))
            error = (
                f"stopped: exceeded the time budget of {self.budget} s "
                "(Ray task cancelled with force)"
            )
            task = chunk.current
            self.on_result(
                task, WorldResult.unfinished(task, TIMED_OUT, error, now - chunk.started)
            )

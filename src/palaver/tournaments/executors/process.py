"""The ``process`` executor: a local pool of worker processes that can be killed one by one.

``concurrent.futures.ProcessPoolExecutor`` cannot stop one hung task without
breaking the whole pool, so this is a small pool of its own: each worker owns a
pipe, gets one world at a time, and the tournament process watches the pipes,
the workers' exit sentinels and each world's deadline. A world past its time
budget gets its worker killed (and replaced) and is recorded as timed out; a
worker that dies (killed by the OS, crashed in C code) has its world re-run up
to ``max_retries`` times and then recorded as failed. No world goes missing.

Workers are started with ``forkserver`` where available (``spawn`` elsewhere),
never plain ``fork``: the tournament process runs a progress-bar thread, and
forking a threaded process can deadlock. Worlds, agents and score functions
must therefore be importable (defined in a module, not in ``__main__`` of an
interactive session), and scripts must guard their entry point with
``if __name__ == "__main__":``.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import pickle
import signal
import time
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from palaver.tournaments.config import TournamentConfig
from palaver.tournaments.executors import ResultCallback, available_cpus
from palaver.tournaments.plan import WorldTask
from palaver.tournaments.play import FAILED, TIMED_OUT, Job, WorldResult

_READY = "ready"
# How long an idle worker may take to exit after being told to stop.
_STOP_GRACE = 5.0


def _worker_main(conn: Connection, job: Job) -> None:
    # Ctrl-C reaches the whole process group; the tournament process handles it
    # and stops the workers, so workers must not die on it half-way through a send.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        conn.send(_READY)
        while True:
            task = conn.recv()
            if task is None:
                return
            conn.send(job.run(task))
    except (EOFError, BrokenPipeError):
        # The tournament process is gone (stopped or killed): nobody to report to.
        return


def _modules(config: TournamentConfig) -> list[str]:
    """The modules holding the world and agent classes (to import ahead of time)."""
    modules = []
    for obj in (config.world, *(c.type for c in config.competitors)):
        name = obj.partition(":")[0] if isinstance(obj, str) else getattr(obj, "__module__", None)
        if name and name not in modules:
            modules.append(name)
    return modules


def _exit_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit code {exitcode}"


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False
    task: WorldTask | None = None
    deadline: float | None = None
    started: float = 0.0


class ProcessExecutor:
    """Runs worlds on ``workers`` local processes (default: all CPUs)."""

    name = "process"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers if workers is not None else available_cpus()

    def describe(self) -> dict[str, Any]:
        """How this executor is set up (stored in the results manifest)."""
        return {"name": self.name, "workers": self.workers}

    def run(self, job: Job, tasks: Sequence[WorldTask], on_result: ResultCallback) -> None:
        """Run all tasks; return when each has a result, stopping all workers on the way out."""
        if not tasks:
            return
        try:
            pickle.dumps(job)
        except Exception as exc:
            raise ValueError(
                "the process executor sends the tournament to worker processes, but it "
                f"cannot be pickled ({type(exc).__name__}: {exc}); define worlds, agents and "
                "score functions at module level (no lambdas or local classes), or use the "
                "'serial' executor"
            ) from exc
        ctx: mp.context.BaseContext
        if "forkserver" in mp.get_all_start_methods():
            ctx = mp.get_context("forkserver")
            # Import once in the fork server what every worker needs, so a worker
            # (first or replacing a killed one) starts in milliseconds. Only takes
            # effect when the fork server is not running yet.
            ctx.set_forkserver_preload(["__main__", __name__, *_modules(job.config)])
        else:
            ctx = mp.get_context("spawn")
        pool = _Pool(ctx, job, min(self.workers, len(tasks)), on_result)
        try:
            pool.run(deque(tasks))
        finally:
            pool.stop()


class _Pool:
    def __init__(self, ctx: Any, job: Job, size: int, on_result: ResultCallback) -> None:
        self.ctx = ctx
        self.job = job
        self.on_result = on_result
        self.attempts: Counter[str] = Counter()
        self.workers = [self._start() for _ in range(size)]

    def _start(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        process = self.ctx.Process(
            target=_worker_main, args=(child, self.job), daemon=True, name="palaver-world"
        )
        process.start()
        # Drop the parent's copy of the child end, or a dead worker's pipe never hits EOF.
        child.close()
        return _Worker(process, parent)

    def run(self, queue: deque[WorldTask]) -> None:
        budget = self.job.config.time_budget
        while queue or any(w.task is not None for w in self.workers):
            now = time.monotonic()
            for w in self.workers:
                if w.ready and w.task is None and queue:
                    w.task = queue.popleft()
                    w.started = now
                    w.deadline = now + budget if budget is not None else None
                    # A worker that died while idle cannot take the task; _check then
                    # sees the death and re-queues it.
                    with contextlib.suppress(OSError):
                        w.conn.send(w.task)
            deadlines = [w.deadline for w in self.workers if w.deadline is not None]
            timeout = max(0.0, min(deadlines) - now) if deadlines else None
            wait(
                [w.conn for w in self.workers] + [w.process.sentinel for w in self.workers], timeout
            )
            for i, w in enumerate(self.workers):
                self.workers[i] = self._check(w, queue)

    def _check(self, w: _Worker, queue: deque[WorldTask]) -> _Worker:
        """Handle whatever happened to one worker; returns the worker to keep in its slot."""
        if w.conn.poll():
            try:
                message = w.conn.recv()
            except (EOFError, OSError):
                return self._died(w, queue)
            if message == _READY:
                w.ready = True
            elif isinstance(message, WorldResult) and w.task is not None:
                task, w.task, w.deadline = w.task, None, None
                self.on_result(task, message)
            return w
        if not w.process.is_alive():
            return self._died(w, queue)
        if w.task is not None and w.deadline is not None and time.monotonic() >= w.deadline:
            return self._timed_out(w, w.task)
        return w

    def _died(self, w: _Worker, queue: deque[WorldTask]) -> _Worker:
        w.process.join()
        reason = _exit_reason(w.process.exitcode)
        w.conn.close()
        if not w.ready:
            raise RuntimeError(
                f"a tournament worker process died while starting ({reason}); see its error "
                "output above. Worlds, agents and score functions must be importable from a "
                "module (not defined in an interactive session), and a script that runs a "
                "tournament must start it under `if __name__ == '__main__':`"
            )
        if w.task is not None:
            task = w.task
            self.attempts[task.world_id] += 1
            attempts = self.attempts[task.world_id]
            if attempts <= self.job.config.max_retries:
                queue.appendleft(task)
            else:
                error = (
                    f"the worker process running this world died ({reason}) on each of "
                    f"{attempts} attempt(s)"
                )
                self.on_result(
                    task,
                    WorldResult.unfinished(task, FAILED, error, time.monotonic() - w.started),
                )
        return self._start()

    def _timed_out(self, w: _Worker, task: WorldTask) -> _Worker:
        w.process.kill()
        w.process.join()
        w.conn.close()
        error = (
            f"stopped: exceeded the time budget of {self.job.config.time_budget} s "
            "(worker process killed and replaced)"
        )
        self.on_result(
            task, WorldResult.unfinished(task, TIMED_OUT, error, time.monotonic() - w.started)
        )
        return self._start()

    def stop(self) -> None:
        """Stop idle workers politely and kill busy ones (after an error or Ctrl-C)."""
        for w in self.workers:
            if w.task is None and w.process.is_alive():
                try:
                    w.conn.send(None)
                except OSError:
                    w.process.kill()
            else:
                w.process.kill()
        for w in self.workers:
            w.process.join(_STOP_GRACE)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()

"""Running independent calls in worker processes that can be killed one by one.

NegMAS's ``negmas.helpers.parallel.run_isolated_tasks``: each task is
``(info, fn, args, kwargs)``; ``fn(*args, **kwargs)`` runs in a worker process,
and ``info`` (any value) comes back to the callbacks. A task running longer
than ``timeout`` seconds has its worker killed and replaced while the other
tasks go on, so a task stuck in a loop (even in C code) cannot hold up the rest.

Workers start with ``forkserver`` where available (``spawn`` elsewhere), as
the ``process`` executor's do: functions must be importable (defined in a
module), and a script must start the run under ``if __name__ == "__main__":``.
Payloads and results travel with the standard ``pickle``.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import pickle
import signal
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

__all__ = ["DEFAULT_MAX_TASKS_PER_WORKER", "UnserializableTaskError", "run_isolated_tasks"]

#: Tasks a worker runs before it is replaced by a fresh one (bounds what leaks accumulate).
DEFAULT_MAX_TASKS_PER_WORKER = 50

Task = tuple[Any, Callable[..., Any], tuple[Any, ...], dict[str, Any]]
_Item = tuple[int, Any, Callable[..., Any], tuple[Any, ...], dict[str, Any]]
_READY = b"ready"
_STOP = b""
_STOP_GRACE = 5.0


class UnserializableTaskError(Exception):
    """A task's function or arguments cannot be pickled, so no worker process can run it."""


def _serve(conn: Connection) -> None:
    """A worker: run each pickled ``(fn, args, kwargs)`` received and send back the outcome."""
    # Ctrl-C reaches the whole process group; the parent stops its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        conn.send_bytes(_READY)
        while (payload := conn.recv_bytes()) != _STOP:
            try:
                fn, args, kwargs = pickle.loads(payload)
                outcome: tuple[bool, Any] = (True, fn(*args, **kwargs))
            except Exception as e:
                outcome = (False, e)
            try:
                conn.send(outcome)
            except Exception as e:  # the result or the exception does not pickle
                what = "result" if outcome[0] else f"{type(outcome[1]).__name__} raised"
                conn.send((False, RuntimeError(f"the task's {what} cannot be pickled: {e}")))
    except (EOFError, BrokenPipeError):
        return  # the parent is gone: nobody to report to


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False
    item: _Item | None = None
    deadline: float | None = None
    done: int = 0


def _limit(name: str, value: float | None) -> float | None:
    """A time limit in seconds: ``None``, zero, a negative number or infinity mean none."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number of seconds or None; got {value!r:.80}")
    return float(value) if 0 < value < float("inf") else None


class _Run:
    """One call of :func:`run_isolated_tasks`: the workers, the queue and the callbacks."""

    def __init__(self, items: list[_Item], size: int, options: dict[str, Any]) -> None:
        self.queue = deque(items)
        self.n = len(items)
        self.size = size
        self.timeout: float | None = options["timeout"]
        self.max_tasks: int = options["max_tasks"]
        self.inline_ok: bool = options["allow_inline_fallback"]
        self.on_result = options["on_result"]
        self.on_timeout = options["on_timeout"]
        self.on_error = options["on_error"]
        self.inline: list[_Item] = []
        self.ctx: Any = mp.get_context("spawn")
        if "forkserver" in mp.get_all_start_methods():
            self.ctx = mp.get_context("forkserver")
            # Workers fork from a server that has imported the tasks' modules, so a
            # worker (first, recycled or replacing a killed one) starts in
            # milliseconds. Takes effect only when the server is not running yet.
            modules = {getattr(item[2], "__module__", None) for item in items}
            self.ctx.set_forkserver_preload(["__main__", __name__, *sorted(filter(None, modules))])
        self.workers: list[_Worker] = []

    # ------------------------------------------------------------- outcomes

    def result(self, item: _Item, value: Any) -> None:
        if self.on_result is not None:
            self.on_result(item[1], value, item[0], self.n)

    def error(self, item: _Item, exc: BaseException) -> None:
        if self.on_error is None:
            raise exc  # nothing silent: without on_error a failure stops the run
        self.on_error(exc, item[1], item[0], self.n)

    def timed_out(self, item: _Item, seconds: float | None) -> None:
        if self.on_timeout is None:
            raise TimeoutError(f"task {item[0]} ({item[1]!r:.60}) ran past {seconds} s")
        self.on_timeout(item[1], item[0], self.n)

    # -------------------------------------------------------------- workers

    def start(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        process = self.ctx.Process(target=_serve, args=(child,), daemon=True, name="palaver-task")
        process.start()
        child.close()  # else a dead worker's pipe never reaches EOF
        return _Worker(process, parent)

    def dispatch(self, w: _Worker) -> None:
        """Give ``w`` the next task that pickles (the others go in-process, or fail)."""
        while self.queue:
            item = self.queue.popleft()
            try:
                payload = pickle.dumps(item[2:])
            except Exception as e:
                self.unpicklable(item, e)
                continue
            w.item = item
            w.deadline = None if self.timeout is None else time.monotonic() + self.timeout
            with contextlib.suppress(OSError):  # a dead worker: seen by check()
                w.conn.send_bytes(payload)
            return

    def unpicklable(self, item: _Item, e: Exception) -> None:
        cause = f"task {item[0]} ({item[1]!r:.60}) cannot be pickled for a worker process"
        if self.inline_ok:
            warnings.warn(
                f"{cause} ({type(e).__name__}: {e}): it runs in this process, where a "
                "timeout cannot stop it",
                RuntimeWarning,
                stacklevel=5,
            )
            self.inline.append(item)
        else:
            self.error(item, UnserializableTaskError(f"{cause}: {type(e).__name__}: {e}"))

    def check(self, w: _Worker) -> tuple[_Worker, bool]:
        """Handle what happened to ``w``; the worker for its slot, and whether a task ended."""
        if w.conn.poll():
            try:
                if not w.ready:
                    w.ready = w.conn.recv_bytes() == _READY
                    return w, False
                ok, value = w.conn.recv()
            except (EOFError, OSError):
                return self.died(w)
            item, w.item, w.deadline = w.item, None, None
            w.done += 1
            if item is not None and ok:
                self.result(item, value)
            elif item is not None:
                self.error(item, value)
            if self.max_tasks and w.done >= self.max_tasks:
                self.retire(w)
                return self.start(), True
            return w, True
        if not w.process.is_alive():
            return self.died(w)
        if w.item is not None and w.deadline is not None and time.monotonic() >= w.deadline:
            item = w.item
            self.kill(w)
            self.timed_out(item, self.timeout)
            return self.start(), True
        return w, False

    def died(self, w: _Worker) -> tuple[_Worker, bool]:
        self.kill(w)
        code = w.process.exitcode
        if not w.ready:
            raise RuntimeError(
                f"a task worker process died while starting (exit code {code}); the task "
                "functions must be importable, and a script must start the run under "
                "`if __name__ == '__main__':`"
            )
        if w.item is None:
            return self.start(), False
        self.error(w.item, RuntimeError(f"the worker process running it died (exit code {code})"))
        return self.start(), True

    def retire(self, w: _Worker) -> None:
        try:
            w.conn.send_bytes(_STOP)
        except OSError:
            w.process.kill()
        w.process.join(_STOP_GRACE)
        if w.process.is_alive():
            w.process.kill()
        w.conn.close()

    def kill(self, w: _Worker) -> None:
        w.process.kill()
        w.process.join()
        w.conn.close()

    # ------------------------------------------------------------- driving

    def drive(self, total: float | None) -> Iterator[None]:
        """Run everything, yielding once per task that ended (for a progress bar)."""
        end = None if total is None else time.monotonic() + total
        try:
            self.workers = [self.start() for _ in range(min(self.size, self.n))]
            while self.queue or any(w.item is not None for w in self.workers):
                if end is not None and time.monotonic() >= end:
                    yield from self.abandon(total)
                    return
                for w in self.workers:
                    if w.ready and w.item is None:
                        self.dispatch(w)
                if not self.queue and all(w.item is None for w in self.workers):
                    break  # the last tasks did not pickle: nothing left to wait for
                limits = [w.deadline for w in self.workers if w.deadline is not None]
                limits += [end] if end is not None else []
                wait_for = max(0.0, min(limits) - time.monotonic()) if limits else None
                wait([w.conn for w in self.workers] + [w.process.sentinel for w in self.workers],
                     wait_for)  # fmt: skip
                for k, w in enumerate(self.workers):
                    self.workers[k], ended = self.check(w)
                    if ended:
                        yield None
        finally:
            for w in self.workers:
                if w.item is None:
                    self.retire(w)
                else:
                    self.kill(w)
        for item in self.inline:
            self.run_inline(item)
            yield None

    def abandon(self, total: float | None) -> Iterator[None]:
        """The whole-run budget is spent: every task not finished is reported timed out."""
        for w in self.workers:
            if w.item is not None:
                item, w.item = w.item, None
                self.kill(w)
                self.timed_out(item, total)
                yield None
        while self.queue:
            self.timed_out(self.queue.popleft(), total)
            yield None
        for item in self.inline:
            self.timed_out(item, total)
            yield None
        self.inline = []

    def run_inline(self, item: _Item) -> None:
        """Run an unpicklable task here; past ``timeout`` it is reported and left to finish."""
        outcome: list[tuple[bool, Any]] = []

        def call() -> None:
            try:
                outcome.append((True, item[2](*item[3], **item[4])))
            except Exception as e:
                outcome.append((False, e))

        thread = threading.Thread(target=call, daemon=True, name="palaver-inline-task")
        thread.start()
        thread.join(self.timeout)
        if not outcome:
            self.timed_out(item, self.timeout)
        elif outcome[0][0]:
            self.result(item, outcome[0][1])
        else:
            self.error(item, outcome[0][1])


def _item(i: int, task: Any) -> _Item:
    """``tasks[i]`` checked before anything runs: a malformed task failed in its
    worker ("not enough values to unpack"), reported as if the task had raised."""
    if not isinstance(task, tuple | list) or len(task) != 4:
        raise TypeError(f"tasks[{i}] must be an (info, fn, args, kwargs) tuple; got {task!r:.80}")
    info, fn, args, kwargs = task
    if not callable(fn):
        raise TypeError(f"tasks[{i}]: fn must be callable; got {fn!r:.80}")
    if not isinstance(args, tuple | list):
        raise TypeError(f"tasks[{i}]: args must be a tuple or list; got {args!r:.80}")
    if not isinstance(kwargs, dict):
        raise TypeError(f"tasks[{i}]: kwargs must be a dict; got {kwargs!r:.80}")
    return (i, info, fn, tuple(args), kwargs)


def run_isolated_tasks(
    tasks: Iterable[Task],
    *,
    max_workers: int,
    timeout: float | None = None,
    total_timeout: float | None = None,
    max_tasks: int | None = DEFAULT_MAX_TASKS_PER_WORKER,
    window: int | None = None,
    on_result: Callable[[Any, Any, int, int], None] | None = None,
    on_timeout: Callable[[Any, int, int], None] | None = None,
    on_error: Callable[[BaseException, Any, int, int], None] | None = None,
    track: Callable[..., Iterable[Any]] | None = None,
    description: str = "Running",
    allow_inline_fallback: bool = True,
) -> int:
    """Run each ``(info, fn, args, kwargs)`` of ``tasks`` in a worker process; returns how many.

    Args:
        tasks: The tasks; ``fn``, ``args`` and ``kwargs`` must pickle.
        max_workers: Worker processes at most (fewer than 1: one).
        timeout: Seconds a task may run (from when a worker takes it); past it
            the worker is killed and replaced. ``None``, 0 or less, or infinity: no limit.
        total_timeout: Seconds for the whole run; when spent, every task not
            finished is reported to ``on_timeout``.
        max_tasks: Tasks a worker runs before a fresh one replaces it (``None``
            or 0: never replaced).
        window: Accepted for NegMAS's signature: payloads are pickled only as
            workers take them, never ahead.
        on_result: ``on_result(info, result, i, n)`` for a task that returned
            (``i`` its position in ``tasks``, ``n`` their number).
        on_timeout: ``on_timeout(info, i, n)`` for a task that ran out of time;
            without it a timeout raises ``TimeoutError``.
        on_error: ``on_error(exc, info, i, n)`` for a task that raised (its
            exception) or whose worker died (``RuntimeError``); without it the
            exception stops the run and is raised.
        track: A progress wrapper called as ``track(iterable, total=n,
            description=description)`` (``rich.progress.track``, say).
        description: The progress label.
        allow_inline_fallback: A task that does not pickle runs in this process
            after the others (a ``RuntimeWarning`` says so; past ``timeout`` it is
            reported timed out and left running); ``False`` reports it to
            ``on_error`` as an :class:`UnserializableTaskError` instead.

    Callbacks run in this process, one at a time, in the order tasks end.
    """
    items: list[_Item] = [_item(i, task) for i, task in enumerate(tasks)]
    if type(max_workers) is not int:
        raise TypeError(f"max_workers must be an int; got {max_workers!r:.80}")
    if max_tasks is not None and type(max_tasks) is not int:
        raise TypeError(f"max_tasks must be an int or None; got {max_tasks!r:.80}")
    if window is not None and type(window) is not int:
        raise TypeError(f"window must be an int or None; got {window!r:.80}")
    options = {
        "timeout": _limit("timeout", timeout),
        "max_tasks": max(0, max_tasks or 0),
        "allow_inline_fallback": allow_inline_fallback,
        "on_result": on_result,
        "on_timeout": on_timeout,
        "on_error": on_error,
    }
    total = _limit("total_timeout", total_timeout)
    if not items:
        return 0
    run = _Run(items, max(1, max_workers), options)
    steps = run.drive(total)
    for _ in steps if track is None else track(steps, total=len(items), description=description):
        pass
    return len(items)

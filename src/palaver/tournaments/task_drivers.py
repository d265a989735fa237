"""Running independent calls serially, in a process pool or in a thread pool.

NegMAS's ``negmas.helpers.parallel`` drivers (beside :mod:`.isolated`, whose
workers can be killed one by one). A task is ``(info, fn, args, kwargs)``:
``fn(*args, **kwargs)`` runs and ``info`` (any value, never looked at) comes
back to the callbacks ``on_result(info, result, i, n)`` and
``on_error(exception, info, i, n)``, where ``i`` counts the outcomes reported
so far and ``n`` is the number of tasks. Each driver returns ``n``.

``track``, when given, wraps the iteration as
``track(iterable, total=n, description=description)`` (a progress bar such as
``rich.progress.track``) and must yield what it is given.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent import futures
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from math import isinf
from typing import Any

__all__ = [
    "MAX_TASKS_PER_CHILD",
    "TERMINATION_WAIT_TIME",
    "make_process_executor",
    "parse_parallelism",
    "resolve_cpus",
    "resolve_workers",
    "run_parallel_tasks",
    "run_serial_tasks",
    "run_threaded_tasks",
]

#: Tasks a pool worker runs before it is replaced; ``None`` keeps workers for
#: the pool's life (replacing one while the caller waits in ``as_completed``
#: can deadlock Python 3.11's ProcessPoolExecutor).
MAX_TASKS_PER_CHILD: int | None = None
#: Seconds NegMAS waits between asking a worker to stop and killing it.
TERMINATION_WAIT_TIME: float = 10.0

Task = tuple[Any, Callable[..., Any], tuple[Any, ...], dict[str, Any]]
ResultCallback = Callable[[Any, Any, int, int], None]
ErrorCallback = Callable[[BaseException, Any, int, int], None]
Track = Callable[..., Iterable[Any]]


def _cores() -> int:
    return os.cpu_count() or 4


def resolve_workers(njobs: int | None, *, clamp_to_cores: bool = True) -> int:
    """The number of workers an ``njobs`` value asks for.

    ``None`` or ``0`` means "as many as suit the machine": the number of cores
    for processes (``clamp_to_cores=True``), or ``min(32, cores + 4)`` threads
    (the standard library's default for I/O-bound work). A positive value is
    taken as is, capped at the number of cores for processes. A negative value
    means serial to callers; it gives 1 so it is still a valid pool size.
    """
    cores = _cores()
    if njobs is not None and njobs < 0:
        return 1
    if not njobs:
        return cores if clamp_to_cores else min(32, cores + 4)
    return min(cores, njobs) if clamp_to_cores else njobs


def resolve_cpus(njobs: int | None) -> int:
    """The number of worker processes an ``njobs`` value asks for (see :func:`resolve_workers`)."""
    return resolve_workers(njobs, clamp_to_cores=True)


def parse_parallelism(method: str) -> tuple[str, int | None]:
    """Split ``"kind"`` or ``"kind:fraction"`` into the kind and a worker count.

    The fraction is of the machine's cores (at least one worker); without it
    the count is ``None`` (the executor chooses).
    """
    parts = method.split(":")
    if len(parts) == 1:
        return method, None
    return parts[0], max(1, int(float(parts[-1]) * (os.cpu_count() or 1)))


def make_process_executor(
    *,
    max_workers: int | None = None,
    max_tasks_per_child: int | None = MAX_TASKS_PER_CHILD,
) -> ProcessPoolExecutor:
    """A process pool whose workers start as Palaver's process executor's do.

    Workers start with ``forkserver`` where available (``spawn`` elsewhere):
    forking a process that runs threads can copy a held lock, so functions
    must be importable (defined in a module). ``max_tasks_per_child`` replaces
    a worker after that many tasks (``None``: never).
    """
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(
        max_workers=max_workers,
        mp_context=mp.get_context(method),
        max_tasks_per_child=max_tasks_per_child,
    )


def _tracked(items: Iterable[Any], track: Track | None, n: int, description: str) -> Iterable[Any]:
    return items if track is None else track(items, total=n, description=description)


def _expired(start: float, total_timeout: float | None) -> bool:
    return total_timeout is not None and time.perf_counter() - start > total_timeout


def run_serial_tasks(
    tasks: Iterable[Task],
    *,
    on_result: ResultCallback | None = None,
    on_error: ErrorCallback | None = None,
    total_timeout: float | None = None,
    track: Track | None = None,
    description: str = "Running",
) -> int:
    """Run ``tasks`` one after another in this process, in order.

    An exception a task raises goes to ``on_error`` and the next task runs.
    Once ``total_timeout`` seconds have passed, no further task starts.
    """
    items = list(tasks)
    n = len(items)
    start = time.perf_counter()
    for i, (info, fn, args, kwargs) in _tracked(enumerate(items), track, n, description):
        if _expired(start, total_timeout):
            break
        try:
            result = fn(*args, **kwargs)
        except Exception as e:
            if on_error is not None:
                on_error(e, info, i, n)
            continue
        if on_result is not None:
            on_result(info, result, i, n)
    return n


def run_parallel_tasks(
    tasks: Iterable[Task],
    *,
    executor: futures.Executor,
    timeout: float | None = None,
    total_timeout: float | None = None,
    as_completed_fn: Callable[[list[futures.Future[Any]]], Iterable[futures.Future[Any]]]
    | None = None,
    on_result: ResultCallback | None = None,
    on_timeout: Callable[[Any, futures.Future[Any], int, int], None] | None = None,
    on_broken_pool: Callable[[BaseException, int, int], bool] | None = None,
    on_error: ErrorCallback | None = None,
    track: Track | None = None,
    description: str = "Running",
) -> int:
    """Submit every task to ``executor`` and report outcomes as they complete.

    ``as_completed_fn`` orders the futures (default
    :func:`concurrent.futures.as_completed`); ``timeout`` bounds the wait for
    each future's result (``on_timeout`` hears of one that is not ready in
    time). A broken pool goes to ``on_broken_pool``, which stops the loop by
    returning true. Once ``total_timeout`` seconds have passed, no further
    outcome is reported. The executor stays open: the caller shuts it down.
    """
    submitted = {executor.submit(fn, *args, **kwargs): info for info, fn, args, kwargs in tasks}
    n = len(submitted)
    ordered = (as_completed_fn or futures.as_completed)(list(submitted))
    start = time.perf_counter()
    for i, future in enumerate(_tracked(ordered, track, n, description)):
        if _expired(start, total_timeout):
            break
        info = submitted.get(future)
        try:
            result = future.result(timeout=timeout)
        except futures.TimeoutError:
            if on_timeout is not None:
                on_timeout(info, future, i, n)
            continue
        except BrokenProcessPool as e:
            if on_broken_pool is not None and on_broken_pool(e, i, n):
                break
            continue
        except Exception as e:
            if on_error is not None:
                on_error(e, info, i, n)
            continue
        if on_result is not None:
            on_result(info, result, i, n)
    return n


def run_threaded_tasks(
    tasks: Iterable[Task],
    *,
    max_workers: int,
    total_timeout: float | None = None,
    window: int | None = None,
    on_result: ResultCallback | None = None,
    on_error: ErrorCallback | None = None,
    track: Track | None = None,
    description: str = "Running",
) -> int:
    """Run ``tasks`` on ``max_workers`` threads, for calls that mostly wait (network, LLMs).

    At most ``window`` tasks (default twice the threads, at least 2) are
    submitted ahead, so a long task list is not queued at once. Callbacks run
    in the calling thread, one at a time. Threads cannot be killed: no task
    is timed out, and once ``total_timeout`` (positive, finite) seconds have
    passed no further task is submitted while running ones finish.
    """
    items = list(tasks)
    n = len(items)
    if not n:
        return 0
    workers = max(1, max_workers or 1)
    ahead = window if window is not None else max(2, 2 * workers)
    budget = (
        None
        if total_timeout is None or isinf(total_timeout) or total_timeout <= 0
        else total_timeout
    )

    def drive() -> Iterator[None]:
        pending = iter(enumerate(items))
        running: dict[futures.Future[Any], tuple[int, Any]] = {}
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="palaver-task") as pool:

            def submit() -> None:
                for i, (info, fn, args, kwargs) in pending:
                    running[pool.submit(fn, *args, **kwargs)] = (i, info)
                    return

            for _ in range(ahead):
                submit()
            start = time.perf_counter()
            while running:
                done, _ = futures.wait(list(running), return_when=FIRST_COMPLETED)
                for future in done:
                    i, info = running.pop(future)
                    error = future.exception()
                    if error is not None:
                        if on_error is not None:
                            on_error(error, info, i, n)
                    elif on_result is not None:
                        on_result(info, future.result(), i, n)
                    yield
                    # checked after each outcome: the wait itself may outlast the budget
                    if not _expired(start, budget):
                        submit()

    for _ in _tracked(drive(), track, n, description):
        pass
    return n

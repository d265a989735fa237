"""The serial, process-pool and thread-pool task drivers (NegMAS's negmas.helpers.parallel)."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from palaver.negmas.helpers.parallel import (
    MAX_TASKS_PER_CHILD,
    TERMINATION_WAIT_TIME,
    make_process_executor,
    parse_parallelism,
    resolve_cpus,
    resolve_workers,
    run_parallel_tasks,
    run_serial_tasks,
    run_threaded_tasks,
)


def triple(x: int) -> int:
    return 3 * x


def refuse(x: int) -> int:
    raise ValueError(f"no {x}")


def pid_of(_: int) -> int:
    return os.getpid()


def nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


CORES = os.cpu_count() or 4


def test_defaults_and_worker_counts() -> None:
    assert MAX_TASKS_PER_CHILD is None
    assert TERMINATION_WAIT_TIME == 10.0
    assert [resolve_cpus(j) for j in (None, 0, 1, CORES + 5, -2)] == [CORES, CORES, 1, CORES, 1]
    assert resolve_workers(CORES + 5, clamp_to_cores=False) == CORES + 5
    assert resolve_workers(0, clamp_to_cores=False) == min(32, CORES + 4)
    assert resolve_workers(-1, clamp_to_cores=False) == 1


def test_parse_parallelism_reads_a_fraction_of_the_cores() -> None:
    assert parse_parallelism("parallel") == ("parallel", None)
    assert parse_parallelism("parallel:0.5") == ("parallel", max(1, int(0.5 * CORES)))
    assert parse_parallelism("dask:0.00001") == ("dask", 1)


def test_serial_reports_results_and_errors_in_order() -> None:
    seen: list[tuple[Any, ...]] = []
    tasks = [("a", triple, (1,), {}), ("b", refuse, (2,), {}), ("c", triple, (), {"x": 3})]
    n = run_serial_tasks(
        tasks,
        on_result=lambda info, r, i, n: seen.append(("ok", info, r, i, n)),
        on_error=lambda e, info, i, n: seen.append(("err", info, str(e), i, n)),
    )
    assert n == 3
    assert seen == [("ok", "a", 3, 0, 3), ("err", "b", "no 2", 1, 3), ("ok", "c", 9, 2, 3)]


def test_serial_starts_nothing_once_the_total_timeout_passed() -> None:
    done: list[int] = []
    run_serial_tasks(
        [(i, nap, (0.1,), {}) for i in range(10)],
        on_result=lambda info, r, i, n: done.append(info),
        total_timeout=0.15,
    )
    assert 1 <= len(done) <= 3


def test_process_pool_runs_tasks_in_other_processes() -> None:
    results: dict[int, int] = {}
    errors: dict[str, str] = {}
    tracked: list[tuple[Any, Any]] = []

    def track(items: Any, total: Any = None, description: Any = None) -> Any:
        tracked.append((total, description))
        return items

    with make_process_executor(max_workers=2) as pool:
        assert isinstance(pool, ProcessPoolExecutor)
        n = run_parallel_tasks(
            [*((i, triple, (i,), {}) for i in range(5)), ("bad", refuse, (7,), {})],
            executor=pool,
            on_result=lambda info, r, i, n: results.update({info: r}),
            on_error=lambda e, info, i, n: errors.update({info: str(e)}),
            track=track,
            description="tripling",
        )
        pids = {pool.submit(pid_of, 0).result() for _ in range(4)}
    assert n == 6
    assert results == {i: 3 * i for i in range(5)}
    assert errors == {"bad": "no 7"}
    assert tracked == [(6, "tripling")]
    assert os.getpid() not in pids


def test_process_pool_reports_a_result_not_ready_in_time() -> None:
    late: list[Any] = []

    def submit_order(fs: list[Future[Any]]) -> list[Future[Any]]:
        return fs  # not completion order: the slow one is waited for first

    with make_process_executor(max_workers=1, max_tasks_per_child=2) as pool:
        run_parallel_tasks(
            [("slow", nap, (1.0,), {})],
            executor=pool,
            timeout=0.05,
            as_completed_fn=submit_order,
            on_timeout=lambda info, f, i, n: late.append(info),
        )
    assert late == ["slow"]


def test_threads_bound_concurrency_and_report_in_the_calling_thread() -> None:
    lock = threading.Lock()
    live = [0, 0]  # running now, most at once
    callers: set[int] = set()

    def busy(x: int) -> int:
        with lock:
            live[0] += 1
            live[1] = max(live[1], live[0])
        time.sleep(0.02)
        with lock:
            live[0] -= 1
        return x

    got: dict[int, int] = {}

    def on_result(info: int, r: int, i: int, n: int) -> None:
        callers.add(threading.get_ident())
        got[info] = r

    errors: list[Any] = []
    n = run_threaded_tasks(
        [*((i, busy, (i,), {}) for i in range(10)), (99, refuse, (1,), {})],
        max_workers=3,
        on_result=on_result,
        on_error=lambda e, info, i, n: errors.append(info),
    )
    assert n == 11
    assert got == {i: i for i in range(10)}
    assert errors == [99]
    assert 1 < live[1] <= 3
    assert callers == {threading.get_ident()}
    assert run_threaded_tasks([], max_workers=2) == 0


def test_threads_submit_nothing_new_after_the_total_timeout() -> None:
    done: list[int] = []
    run_threaded_tasks(
        [(i, nap, (0.1,), {}) for i in range(20)],
        max_workers=2,
        total_timeout=0.15,
        on_result=lambda info, r, i, n: done.append(info),
    )
    assert 2 <= len(done) < 20

"""run_isolated_tasks: calls in worker processes that are killed one by one past their timeout."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from palaver.tournaments import UnserializableTaskError, run_isolated_tasks


def pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def square(x: int) -> int:
    return x * x


def spin(_: int) -> None:
    while True:
        pass


def fail(x: int) -> None:
    raise ValueError(f"bad {x}")


def die(_: int) -> None:
    os._exit(3)


def nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


class Log:
    """Collects what the callbacks are told."""

    def __init__(self) -> None:
        self.results: dict[Any, Any] = {}
        self.timeouts: list[Any] = []
        self.errors: list[tuple[Any, BaseException]] = []
        self.positions: list[tuple[int, int]] = []

    def on_result(self, info: Any, result: Any, i: int, n: int) -> None:
        self.results[info] = result
        self.positions.append((i, n))

    def on_timeout(self, info: Any, i: int, n: int) -> None:
        self.timeouts.append(info)

    def on_error(self, exc: BaseException, info: Any, i: int, n: int) -> None:
        self.errors.append((info, exc))

    def callbacks(self) -> dict[str, Any]:
        return {"on_result": self.on_result, "on_timeout": self.on_timeout,
                "on_error": self.on_error}  # fmt: skip


def test_runs_every_task_in_other_processes_and_recycles_workers() -> None:
    log = Log()
    tasks = [(f"t{i}", pid_and_square, (i,), {}) for i in range(6)]
    n = run_isolated_tasks(tasks, max_workers=1, timeout=30, max_tasks=2, **log.callbacks())
    assert n == 6
    assert {k: v[1] for k, v in log.results.items()} == {f"t{i}": i * i for i in range(6)}
    pids = [log.results[f"t{i}"][0] for i in range(6)]
    assert os.getpid() not in pids
    assert len(set(pids)) == 3  # a fresh worker after every 2 tasks
    assert sorted(log.positions) == [(i, 6) for i in range(6)]


def test_a_task_past_its_timeout_is_killed_and_the_others_finish() -> None:
    log = Log()
    tasks = [(i, spin if i == 1 else square, (i,), {}) for i in range(4)]
    started = time.monotonic()
    run_isolated_tasks(tasks, max_workers=2, timeout=1, max_tasks=0, **log.callbacks())
    assert time.monotonic() - started < 20
    assert log.timeouts == [1]
    assert log.results == {0: 0, 2: 4, 3: 9}
    assert log.errors == []


def test_failures_go_to_on_error_or_stop_the_run() -> None:
    log = Log()
    tasks = [("ok", square, (3,), {}), ("bad", fail, (1,), {}), ("gone", die, (0,), {})]
    run_isolated_tasks(tasks, max_workers=2, timeout=30, **log.callbacks())
    assert log.results == {"ok": 9}
    errors = {info: (type(e), str(e)) for info, e in log.errors}
    assert errors["bad"] == (ValueError, "bad 1")
    assert errors["gone"][0] is RuntimeError and "exit code 3" in errors["gone"][1]
    with pytest.raises(ValueError, match="bad 2"):
        run_isolated_tasks([(0, fail, (2,), {})], max_workers=1, timeout=30)
    with pytest.raises(TimeoutError, match=r"ran past 0\.5 s"):
        run_isolated_tasks([(0, spin, (0,), {})], max_workers=1, timeout=0.5)


def test_a_task_that_does_not_pickle_runs_here_or_fails() -> None:
    log = Log()
    tasks = [(0, square, (2,), {}), (1, lambda x: x + 1, (1,), {})]
    with pytest.warns(RuntimeWarning, match="task 1 .* cannot be pickled"):
        run_isolated_tasks(tasks, max_workers=1, timeout=30, **log.callbacks())
    assert log.results == {0: 4, 1: 2}
    log = Log()
    run_isolated_tasks(
        tasks, max_workers=1, timeout=30, allow_inline_fallback=False, **log.callbacks()
    )
    assert log.results == {0: 4}
    assert [(info, type(e)) for info, e in log.errors] == [(1, UnserializableTaskError)]


def test_the_whole_run_budget_reports_every_unfinished_task() -> None:
    log = Log()
    tasks = [(i, nap, (0.0 if i == 0 else 30.0,), {}) for i in range(4)]
    # The whole-run budget counts the worker's start too: a cold forkserver
    # (importing its preloaded modules) took 2 of the 3 s on a loaded machine.
    # Warm, a worker is forked in milliseconds and task 0 surely ends in time.
    run_isolated_tasks([(0, square, (0,), {})], max_workers=1)
    started = time.monotonic()
    run_isolated_tasks(tasks, max_workers=1, total_timeout=3, **log.callbacks())
    assert time.monotonic() - started < 15
    assert log.results == {0: 0.0}
    assert sorted(log.timeouts) == [1, 2, 3]


def test_track_wraps_the_run_and_nothing_runs_for_no_tasks() -> None:
    seen: list[tuple[int, str, int]] = []

    def track(steps: Any, total: int, description: str) -> Any:
        count = 0
        for step in steps:
            count += 1
            yield step
        seen.append((total, description, count))

    log = Log()
    tasks = [(i, square, (i,), {}) for i in range(3)]
    run_isolated_tasks(tasks, max_workers=2, track=track, description="sq", **log.callbacks())
    assert seen == [(3, "sq", 3)]
    assert run_isolated_tasks([], max_workers=2, on_result=log.on_result) == 0
    with pytest.raises(TypeError, match="max_workers"):
        run_isolated_tasks([], max_workers=1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="timeout"):
        run_isolated_tasks([], max_workers=1, timeout="1")  # type: ignore[arg-type]


def test_negmas_names() -> None:
    from palaver.negmas.helpers.parallel import (
        DEFAULT_MAX_TASKS_PER_WORKER,
    )
    from palaver.negmas.helpers.parallel import (
        UnserializableTaskError as NegmasError,
    )
    from palaver.negmas.helpers.parallel import (
        run_isolated_tasks as negmas,
    )

    assert negmas is run_isolated_tasks and NegmasError is UnserializableTaskError
    assert DEFAULT_MAX_TASKS_PER_WORKER == 50  # NegMAS's default recycling

"""Executors run a tournament's worlds: ``serial``, ``process`` (default) and ``ray``.

Every executor has the same contract: run each :class:`~palaver.tournaments.plan.WorldTask`
through :meth:`Job.run <palaver.tournaments.play.Job.run>` and hand each result to
``on_result`` as soon as it exists, in whatever order worlds finish. Results do not
depend on the executor, because each world's seed comes from its position.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from palaver._util.checks import check_int
from palaver.tournaments.plan import WorldTask
from palaver.tournaments.play import Job, WorldResult

ResultCallback = Callable[[WorldTask, WorldResult], None]
"""Called by an executor once per finished world (in the tournament's process)."""

EXECUTORS = ("serial", "process", "ray")
"""Names accepted by :func:`make_executor`."""


class ExecutorUnavailableError(RuntimeError):
    """The requested executor cannot run here (for example Ray is not installed)."""


class Executor(Protocol):
    """Runs worlds and reports each result through a callback."""

    name: str

    def describe(self) -> dict[str, Any]:
        """How this executor is set up (stored in the results manifest)."""
        ...

    def run(self, job: Job, tasks: Sequence[WorldTask], on_result: ResultCallback) -> None:
        """Run every task of ``job`` and call ``on_result`` for each."""
        ...


def available_cpus() -> int:
    """CPUs this process may use (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def make_executor(name: str, workers: int | None = None, address: str | None = None) -> Executor:
    """The executor called ``name`` with ``workers`` workers (default: all CPUs).

    ``address`` is the Ray cluster to connect to (``ray`` only; default: start a
    local Ray instance for the tournament).
    """
    check_int("workers", workers, minimum=1, none_ok=True, type_error=ValueError)
    if address is not None and name != "ray":
        raise ValueError(f"an address is only used by the 'ray' executor, not {name!r}")
    if name == "serial":
        from palaver.tournaments.executors.serial import SerialExecutor

        return SerialExecutor()
    if name == "process":
        from palaver.tournaments.executors.process import ProcessExecutor

        return ProcessExecutor(workers)
    if name == "ray":
        from palaver.tournaments.executors.ray_cluster import RayExecutor

        return RayExecutor(workers, address)
    raise ValueError(f"unknown executor {name!r}; choose one of {EXECUTORS}")


__all__ = [
    "EXECUTORS",
    "Executor",
    "ExecutorUnavailableError",
    "ResultCallback",
    "available_cpus",
    "make_executor",
]

"""The ``ray`` executor: each world is a Ray task, on a cluster or a local Ray instance.

Ray does the scheduling, the placement on nodes and the retries of worlds whose
worker died (``max_retries`` of the config). This module only submits tasks,
collects results as they finish and enforces the time budget with
``ray.cancel(force=True)``, which kills the worker running a hung world.

A cluster given by address must be able to import the world and agent classes
(install the package on its nodes or pass a Ray ``runtime_env`` by initialising
Ray yourself before running the tournament).

Each world is a streaming task that first reports that it started, so its
time budget counts from then, not from its submission (it may wait for a free
slot, or for Ray to start a worker to replace a killed one).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from palaver.tournaments.executors import (
    ExecutorUnavailableError,
    ResultCallback,
    available_cpus,
)
from palaver.tournaments.plan import WorldTask
from palaver.tournaments.play import FAILED, TIMED_OUT, Job, WorldResult

INSTALL_HINT = "pip install 'palaver[ray]'"
"""How to get Ray (the extra pins a Ray version Palaver is tested with)."""


def import_ray() -> Any:
    """The ``ray`` module, or an :class:`ExecutorUnavailableError` saying how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise ExecutorUnavailableError(
            f"the 'ray' executor needs Ray, which is not installed here ({exc}); "
            f"install it with `{INSTALL_HINT}`, or use the 'process' executor"
        ) from exc
    return ray


_STARTED = "started"


def _run_world(job: Job, task: WorldTask) -> Iterator[str | WorldResult]:
    # A streaming task: the first item tells the tournament when the world really
    # started (a task may wait for a free slot or a fresh worker process), the
    # second is the result.
    yield _STARTED
    yield job.run(task)


@dataclass
class _Flight:
    task: WorldTask
    started: float | None = None


class RayExecutor:
    """Runs worlds as Ray tasks on the cluster at ``address`` or on a local Ray instance.

    With no ``address`` and no Ray already initialised in this process, a local
    instance with ``workers`` CPUs (default: all) is started and shut down at the
    end. When Ray is already initialised, that session is used as it is.
    """

    name = "ray"

    def __init__(self, workers: int | None = None, address: str | None = None) -> None:
        # Fail here, before a results folder is created, when Ray is missing.
        import_ray()
        self.workers = workers
        self.address = address

    def describe(self) -> dict[str, Any]:
        """How this executor is set up (stored in the results manifest)."""
        return {"name": self.name, "workers": self.workers, "address": self.address}

    def run(self, job: Job, tasks: Sequence[WorldTask], on_result: ResultCallback) -> None:
        """Submit the worlds as Ray tasks and report each result as it arrives."""
        ray = import_ray()
        if not tasks:
            return
        started_here = not ray.is_initialized()
        if started_here:
            options: dict[str, Any] = {"logging_level": logging.WARNING}
            if self.address is not None:
                options["address"] = self.address
            else:
                options["num_cpus"] = self.workers or available_cpus()
                options["include_dashboard"] = False
                # Local workers see the modules this process sees (a script's own
                # folder, test helpers), as the process executor's workers do.
                path = os.pathsep.join(p for p in sys.path if p)
                options["runtime_env"] = {"env_vars": {"PYTHONPATH": path}}
            ray.init(**options)
        try:
            _Submitter(ray, job, self._slots(ray), on_result).run(deque(tasks))
        finally:
            if started_here:
                ray.shutdown()

    def _slots(self, ray: Any) -> int:
        if self.workers is not None:
            return self.workers
        return max(1, int(ray.cluster_resources().get("CPU", 1)))


class _Submitter:
    def __init__(self, ray: Any, job: Job, slots: int, on_result: ResultCallback) -> None:
        self.ray = ray
        self.budget = job.config.time_budget
        # Twice the slots: Ray can start the next world as soon as one ends, while
        # the list the tournament waits on stays short.
        self.window = 2 * slots
        self.on_result = on_result
        self.remote = ray.remote(
            num_cpus=1, num_returns="streaming", max_retries=job.config.max_retries
        )(_run_world)
        # One copy of the job in the object store, not one per world.
        self.job_ref = ray.put(job)
        self.in_flight: dict[Any, _Flight] = {}

    def run(self, queue: deque[WorldTask]) -> None:
        try:
            while queue or self.in_flight:
                while queue and len(self.in_flight) < self.window:
                    task = queue.popleft()
                    self.in_flight[self.remote.remote(self.job_ref, task)] = _Flight(task)
                self._collect()
                self._enforce_budget()
        finally:
            # After an error or Ctrl-C, leave nothing running on the cluster.
            for ref in self.in_flight:
                self.ray.cancel(ref, force=True)

    def _timeout(self) -> float | None:
        starts = [f.started for f in self.in_flight.values() if f.started is not None]
        if self.budget is None or not starts:
            return None
        return max(0.0, min(starts) + self.budget - time.monotonic())

    def _collect(self) -> None:
        refs = list(self.in_flight)
        ready, rest = self.ray.wait(refs, num_returns=1, timeout=self._timeout())
        if ready and rest:
            # Take everything that is already available, not just the first.
            more, _ = self.ray.wait(rest, num_returns=len(rest), timeout=0)
            ready += more
        for ref in ready:
            flight = self.in_flight[ref]
            try:
                item = self.ray.get(next(ref))
            except self.ray.exceptions.RayError as exc:
                # run_world never raises for a world's own errors, so this is Ray
                # giving up: the worker died past the retries, or a node was lost.
                item = WorldResult.unfinished(
                    flight.task,
                    FAILED,
                    f"Ray could not run this world: {type(exc).__name__}: {exc}",
                    time.monotonic() - (flight.started or time.monotonic()),
                )
            if item == _STARTED:
                flight.started = time.monotonic()
                continue
            del self.in_flight[ref]
            self.on_result(flight.task, item)

    def _enforce_budget(self) -> None:
        if self.budget is None:
            return
        now = time.monotonic()
        for ref, flight in list(self.in_flight.items()):
            if flight.started is not None and now - flight.started >= self.budget:
                self.ray.cancel(ref, force=True)
                del self.in_flight[ref]
                error = (
                    f"stopped: exceeded the time budget of {self.budget} s "
                    "(Ray task cancelled with force)"
                )
                self.on_result(
                    flight.task,
                    WorldResult.unfinished(flight.task, TIMED_OUT, error, now - flight.started),
                )

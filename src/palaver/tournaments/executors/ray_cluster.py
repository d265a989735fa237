"""The ``ray`` executor: worlds run as Ray tasks, on a cluster or a local Ray instance.

Ray does the scheduling and the placement on nodes; :mod:`.ray_chunks` groups
worlds into chunks (several worlds per task, to spread Ray's per-task cost),
collects results as they stream in, enforces the time budget with
``ray.cancel(force=True)`` and re-runs the worlds whose worker died.

A cluster given by address must be able to import the world and agent classes
(install the package on its nodes or pass a Ray ``runtime_env`` by initialising
Ray yourself before running the tournament).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from palaver.tournaments.executors import (
    ExecutorUnavailableError,
    ResultCallback,
    available_cpus,
)
from palaver.tournaments.executors.ray_chunks import ChunkSubmitter
from palaver.tournaments.plan import WorldTask
from palaver.tournaments.play import Job

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


def start_local_ray(cpus: int) -> None:
    """Start a local Ray instance with ``cpus`` CPUs, as the executor does without one.

    Its workers see the modules this process sees (a script's own folder, test
    helpers), as the process executor's workers do: this process's
    ``sys.path`` is handed to them as ``PYTHONPATH``. It goes through the
    environment the Ray daemons inherit, not through a Ray ``runtime_env``: a
    job with a ``runtime_env`` cannot use the workers Ray starts ahead of time,
    and waits more than a second for fresh ones.
    """
    ray = import_ray()
    path = os.pathsep.join(p for p in sys.path if p)
    previous = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = path
    try:
        # address="local": a new instance even when a cluster already runs on
        # this machine (ray.init() would join it, and refuse num_cpus); pass
        # the executor address="auto" to use that cluster instead.
        ray.init(
            address="local",
            num_cpus=cpus,
            include_dashboard=False,
            logging_level=logging.WARNING,
        )
    finally:
        # Only Ray's daemons, started by ray.init, needed it.
        if previous is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = previous


class RayExecutor:
    """Runs worlds as Ray tasks on the cluster at ``address`` or on a local Ray instance.

    With no ``address`` and no Ray already initialised in this process, a local
    instance with ``workers`` CPUs (default: all) is started and shut down at the
    end. When Ray is already initialised, that session is used as it is.
    ``chunk`` is the number of worlds per Ray task (default: automatic, up to
    8, fewer near the end; 1 gives one task per world).
    """

    name = "ray"

    def __init__(
        self, workers: int | None = None, address: str | None = None, chunk: int | None = None
    ) -> None:
        if chunk is not None and chunk < 1:
            raise ValueError(f"chunk must be >= 1, got {chunk}")
        # Fail here, before a results folder is created, when Ray is missing.
        import_ray()
        self.workers = workers
        self.address = address
        self.chunk = chunk

    def describe(self) -> dict[str, Any]:
        """How this executor is set up (stored in the results manifest)."""
        return {
            "name": self.name,
            "workers": self.workers,
            "address": self.address,
            "chunk": self.chunk,
        }

    def run(self, job: Job, tasks: Sequence[WorldTask], on_result: ResultCallback) -> None:
        """Submit the worlds as Ray tasks and report each result as it arrives."""
        ray = import_ray()
        if not tasks:
            return
        started_here = not ray.is_initialized()
        if started_here:
            if self.address is None:
                start_local_ray(self.workers or available_cpus())
            else:
                ray.init(address=self.address, logging_level=logging.WARNING)
        try:
            ChunkSubmitter(ray, job, self._slots(ray), on_result, self.chunk).run(tasks)
        finally:
            if started_here:
                ray.shutdown()

    def _slots(self, ray: Any) -> int:
        if self.workers is not None:
            return self.workers
        return max(1, int(ray.cluster_resources().get("CPU", 1)))

"""The Ray executor's chunks: several worlds per task, each world still on its own.

A hung world times out on its own budget while its chunk-mates finish; a world
whose worker dies is run again, alone, and reported once; nothing keeps running
after the tournament stops.
"""

from __future__ import annotations

import pickle
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import tournament_toys as toys

from palaver.tournaments import DONE, FAILED, TIMED_OUT, TournamentConfig, WorldResult, plan_worlds
from palaver.tournaments.executors.ray_chunks import MAX_CHUNK, STARTED, ChunkSubmitter, chunk_size
from palaver.tournaments.executors.ray_cluster import RayExecutor, start_local_ray
from palaver.tournaments.plan import WorldTask
from palaver.tournaments.play import Job


@pytest.fixture(scope="module")
def ray() -> Iterator[ModuleType]:
    """One local Ray instance for the module, started as the executor starts it."""
    ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'palaver[ray]'")
    start_local_ray(2)
    try:
        yield ray
    finally:
        ray.shutdown()


def job(troubles: list[str], tally: Path, **overrides: object) -> Job:
    """One world per entry of ``troubles``, in that order (w000000, w000001, ...)."""
    fields: dict[str, object] = {
        "world": toys.TroubleWorld,
        "competitors": [toys.Strong, toys.Medium],
        "world_params": {"tally": str(tally), "n_steps": 2},
        "sweep": {"trouble": troubles},
        "seed": 3,
    }
    fields.update(overrides)
    return Job(TournamentConfig(**fields))  # type: ignore[arg-type]


def run(job: Job, executor: Any) -> list[tuple[WorldTask, WorldResult]]:
    """Run every world of ``job``; every call of the executor's callback, in order."""
    reported: list[tuple[WorldTask, WorldResult]] = []
    executor.run(job, plan_worlds(job.config, 3), lambda t, r: reported.append((t, r)))
    return reported


def runs(tally: Path) -> Counter[str]:
    """How many times each world (named by its trouble) was built."""
    return Counter(tally.read_text().split())


def test_chunks_shrink_to_single_worlds_near_the_end() -> None:
    sizes, queued = [], 240
    while queued:
        sizes.append(chunk_size(queued, slots=2))
        queued -= sizes[-1]
    assert sizes[0] == MAX_CHUNK and sizes[-4:] == [1, 1, 1, 1]
    assert sizes == sorted(sizes, reverse=True)
    assert chunk_size(10, slots=2, fixed=4) == 4 and chunk_size(3, slots=2, fixed=4) == 3
    with pytest.raises(ValueError, match="chunk must be >= 1"):
        RayExecutor(chunk=0)


def test_a_hung_world_times_out_on_its_own_budget_and_its_chunk_mates_finish(
    ray: ModuleType, tmp_path: Path
) -> None:
    tally = tmp_path / "tally"
    # Eight worlds in one chunk; the six before the hung one take 0.3 s each
    # (a sleep), so they end 1.8 s into the chunk: past the budget, were it
    # counted per chunk. Each is far inside the budget on its own, also when a
    # loaded machine makes it several times slower.
    troubles = [*(f"ok-{i}" for i in range(6)), "hang", "ok-7"]
    params = {"tally": str(tally), "n_steps": 1, "delay": 0.3}
    slow = job(troubles, tally, time_budget=1.5, world_params=params)
    reported = run(slow, RayExecutor(workers=1, chunk=8))
    assert [t.world_id for t, _ in reported] == [f"w00000{i}" for i in range(8)]
    status = {t.sweep_params["trouble"]: r.status for t, r in reported}
    assert status == {trouble: TIMED_OUT if trouble == "hang" else DONE for trouble in troubles}
    hung = reported[6][1]
    assert hung.error is not None and "cancelled with force" in hung.error
    assert 1.5 <= hung.duration < 5.5
    # The world after the hung one ran once, in a new task: it was not lost.
    assert runs(tally) == dict.fromkeys(troubles, 1)
    # The first world of the chunk and the one re-queued after the hang score
    # as in any other executor.
    for task, result in (reported[0], reported[7]):
        assert result.scores == slow.run(task).scores


def test_a_worker_killed_mid_chunk_reruns_its_world_alone_and_reports_each_world_once(
    ray: ModuleType, tmp_path: Path
) -> None:
    tally, marker = tmp_path / "tally", tmp_path / "killed-once"
    troubles = ["ok-0", f"die-once:{marker}", "ok-2", "ok-3"]
    fragile = job(troubles, tally)
    reported = run(fragile, RayExecutor(workers=1, chunk=4))
    assert marker.exists()  # the worker really was SIGKILLed once
    ids = [t.world_id for t, _ in reported]
    assert sorted(ids) == ["w000000", "w000001", "w000002", "w000003"]  # each exactly once
    assert {r.status for _, r in reported} == {DONE}
    # The world already reported was not run again; the killed one ran twice.
    assert runs(tally) == {"ok-0": 1, f"die-once:{marker}": 2, "ok-2": 1, "ok-3": 1}
    for task, result in reported:
        assert result.scores == fragile.run(task).scores


def test_a_world_that_keeps_killing_its_worker_fails_and_its_chunk_mates_do_not(
    ray: ModuleType, tmp_path: Path
) -> None:
    tally = tmp_path / "tally"
    reported = run(job(["ok-0", "die", "ok-2"], tally, max_retries=1), RayExecutor(1, chunk=3))
    status = {t.sweep_params["trouble"]: r.status for t, r in reported}
    assert status == {"ok-0": DONE, "die": FAILED, "ok-2": DONE}
    [died] = [r for t, r in reported if r.status == FAILED]
    assert died.error is not None and "2 attempt(s)" in died.error
    assert "WorkerCrashedError" in died.error
    assert runs(tally) == {"ok-0": 1, "die": 2, "ok-2": 1}


def test_a_world_killing_its_worker_at_once_is_not_blamed_on_the_world_before_it(
    ray: ModuleType, tmp_path: Path
) -> None:
    # The worker dies as soon as ok-0's result is sent, which is sometimes lost
    # with it: the tournament then sees ok-0 as the world that was running.
    tally = tmp_path / "tally"
    troubles = ["ok-0", "die-at-once", "ok-2"]
    reported = run(job(troubles, tally, max_retries=0), RayExecutor(1, chunk=3))
    assert sorted(t.world_id for t, _ in reported) == ["w000000", "w000001", "w000002"]
    status = {t.sweep_params["trouble"]: r.status for t, r in reported}
    assert status == {"ok-0": DONE, "die-at-once": FAILED, "ok-2": DONE}
    assert runs(tally)["ok-0"] <= 2 and runs(tally)["ok-2"] == 1


class _FakeRay:
    """Just enough of Ray to run chunks in this process, losing results as a dying worker does.

    A world whose trouble is ``"die-at-once"`` kills its chunk's "worker", and
    the result sent just before it is lost, every time.
    """

    class exceptions:
        class RayError(Exception):
            pass

        class RayTaskError(RayError):
            pass

    def __init__(self) -> None:
        self.chunks: list[list[str]] = []

    def remote(self, **options: object) -> Any:
        fake = self

        class Remote:
            @staticmethod
            def remote(job: Job, tasks: list[WorldTask]) -> Iterator[object]:
                fake.chunks.append([t.sweep_params["trouble"] for t in tasks])
                items: list[object] = [STARTED]
                for task in tasks:
                    if task.sweep_params["trouble"] == "die-at-once":
                        items[-1] = fake.exceptions.RayError("the worker died")
                        break
                    items.append(pickle.dumps(job.run(task)))
                return iter(items)

        return lambda function: Remote

    def put(self, value: object) -> object:
        return value

    def wait(self, refs: list[Any], num_returns: int, timeout: float | None) -> tuple[list, list]:
        return refs[:1], refs[1:]

    def get(self, item: object) -> object:
        if isinstance(item, Exception):
            raise item
        return item

    def cancel(self, ref: object, force: bool) -> None:
        pass


def test_a_world_whose_result_died_with_its_worker_is_rerun_alone_not_failed(
    tmp_path: Path,
) -> None:
    ray = _FakeRay()
    troubles = ["ok-0", "ok-1", "die-at-once", "ok-3"]
    few = job(troubles, tmp_path / "tally", max_retries=0)
    reported: list[tuple[WorldTask, WorldResult]] = []
    tasks = plan_worlds(few.config, 3)
    ChunkSubmitter(ray, few, 1, lambda t, r: reported.append((t, r)), chunk=4).run(tasks)
    status = {t.sweep_params["trouble"]: r.status for t, r in reported}
    assert status == {"ok-0": DONE, "ok-1": DONE, "die-at-once": FAILED, "ok-3": DONE}
    assert sorted(t.world_id for t, _ in reported) == [t.world_id for t in tasks]
    # ok-1 is blamed first (its result was lost), re-run alone and done; the
    # world after it is blamed next, alone it dies again and only then fails.
    assert ray.chunks == [
        ["ok-0", "ok-1", "die-at-once", "ok-3"],
        ["ok-1"],
        ["die-at-once", "ok-3"],
        ["die-at-once"],
        ["ok-3"],
    ]


def test_stopping_the_tournament_leaves_nothing_running(ray: ModuleType, tmp_path: Path) -> None:
    tally = tmp_path / "tally"
    slow = job(
        [f"ok-{i}" for i in range(8)], tally, world_params={"tally": str(tally), "delay": 0.2}
    )

    def interrupt(task: WorldTask, result: WorldResult) -> None:
        raise KeyboardInterrupt

    tasks = plan_worlds(slow.config, 3)
    with pytest.raises(KeyboardInterrupt):
        RayExecutor(workers=2, chunk=4).run(slow, tasks, interrupt)
    # Both chunks were cancelled: their CPUs come back and no further world starts.
    # (Ray notices the killed workers within a second when idle, several when loaded.)
    deadline = time.monotonic() + 30
    while ray.available_resources().get("CPU", 0) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ray.available_resources().get("CPU", 0) == 2
    started = runs(tally)
    time.sleep(1.0)
    assert runs(tally) == started and sum(started.values()) < len(tasks)

"""Tournament executors side by side on a TripsWorld tournament of 240 worlds.

serial, process (2 workers) and ray (a local instance, 2 workers) run the same
tournament ROUNDS times, interleaved; the best wall time of each is compared
(on a shared machine the best run is the one least disturbed), every run must
finish every world and give the serial scores. Ray is started before each ray
run exactly as the executor starts it (`start_local_ray`) and that start-up is
reported, not counted; the process executor's pool start-up is counted (it is
part of every run). Also printed: the idle worker time per world of process and
ray (worker slots times wall time, minus the time spent inside worlds: start-up,
dispatch, result transfer, the tail), Ray's cost per world on tiny worlds,
and the speed-up plain CPU-bound Python gets from 2 processes at that moment
(the ceiling any executor can reach on the machine as it is).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import ray

from palaver.cli.tournament import shipped_configs
from palaver.tournaments import TournamentConfig, TournamentResults, load_config, run_tournament
from palaver.tournaments.executors.ray_cluster import start_local_ray

REPETITIONS = int(os.environ.get("REPETITIONS", "40"))  # 3 line-ups x 2 quotas x 40 = 240
ROUNDS = int(os.environ.get("ROUNDS", "3"))
WORKERS = 2


def _burn(n: int) -> float:
    start, total = time.perf_counter(), 0
    for i in range(n):
        total += i * i
    return time.perf_counter() - start


def parallel_ceiling(n: int = 3_000_000) -> float:
    """Speed-up of CPU-bound Python on WORKERS processes over one, right now."""
    start = time.perf_counter()
    for _ in range(2 * WORKERS):
        _burn(n)
    serial = time.perf_counter() - start
    with multiprocessing.get_context("spawn").Pool(WORKERS) as pool:
        pool.map(_burn, [n])  # start-up out of the measurement
        start = time.perf_counter()
        pool.map(_burn, [n] * (2 * WORKERS))
        return serial / (time.perf_counter() - start)


def start_ray(cpus: int) -> float:
    """Start a local Ray instance as the ray executor does; returns the seconds it took."""
    start = time.perf_counter()
    start_local_ray(cpus)
    return time.perf_counter() - start


def timed(
    config: TournamentConfig, out: Path, executor: str, workers: int
) -> tuple[float, TournamentResults]:
    start = time.perf_counter()
    results = run_tournament(config, out, executor=executor, workers=workers, progress=False)
    return time.perf_counter() - start, results


def idle_per_world(wall: float, workers: int, results: TournamentResults) -> float:
    """Seconds of worker time per world not spent inside a world (start-up, dispatch, tail)."""
    worlds = results.worlds()
    return (workers * wall - worlds["duration_s"].sum()) / len(worlds)


def ray_overhead(config: TournamentConfig, root: Path) -> tuple[float, float]:
    """Ray's cost per world on tiny worlds (about 2 ms each), with one warm Ray worker.

    Two figures: the wall time per world over serial's, and the worker's time
    per world outside worlds. The first can drop below zero: the tournament
    process writes each result while the worker already runs the next world.
    """
    tiny = dataclasses.replace(config, world_params={"n_steps": 1}, agents_per_competitor=1)
    serial, _ = timed(tiny, root / "tiny-serial", "serial", 1)
    start_ray(1)
    try:
        timed(dataclasses.replace(tiny, repetitions=1), root / "tiny-warm", "ray", 1)
        on_ray, results = timed(tiny, root / "tiny-ray", "ray", 1)
    finally:
        ray.shutdown()
    return (on_ray - serial) / len(results.worlds()), idle_per_world(on_ray, 1, results)


def main() -> None:
    config = dataclasses.replace(load_config(shipped_configs()["trips"]), repetitions=REPETITIONS)
    root = Path(tempfile.mkdtemp(prefix="bench-tournaments-"))
    walls: dict[str, list[float]] = {"serial": [], "process": [], "ray": []}
    idle: dict[str, list[float]] = {"process": [], "ray": []}
    ray_starts, reference = [], None
    print(f"load {os.getloadavg()}, ceiling {parallel_ceiling():.2f}x")
    for r in range(ROUNDS):
        for name in walls:
            workers = 1 if name == "serial" else WORKERS
            if name == "ray":
                ray_starts.append(start_ray(WORKERS))
            try:
                wall, results = timed(config, root / f"{name}-{r}", name, workers)
            finally:
                if name == "ray":
                    ray.shutdown()
            assert results.counts()["done"] == len(results.worlds()), results.counts()
            scores = results.scores()
            reference = scores if reference is None else reference
            assert scores.equals(reference), f"{name} gives other scores than serial"
            walls[name].append(wall)
            if name in idle:
                idle[name].append(idle_per_world(wall, workers, results))
        print(
            f"round {r + 1}: "
            + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in walls.items())
            + f"; load {os.getloadavg()[0]:.2f}, ceiling {parallel_ceiling():.2f}x"
        )
    n = results.counts()["done"]
    best_serial = min(walls["serial"])
    print(f"{n} worlds; best (median) wall time, speed-up of the best over the best serial:")
    for name, values in walls.items():
        print(
            f"  {name:8} {min(values):6.1f} s ({statistics.median(values):6.1f} s)  "
            f"{best_serial / min(values):.2f}x"
        )
    print(
        "idle worker time per world (median): "
        + ", ".join(f"{k} {statistics.median(v) * 1000:.1f} ms" for k, v in idle.items())
    )
    over_serial, idle_tiny = ray_overhead(config, root)
    print(
        f"ray start-up {statistics.median(ray_starts):.1f} s (not in the wall times); "
        f"ray per world on tiny worlds: {over_serial * 1000:.1f} ms over serial, "
        f"worker idle {idle_tiny * 1000:.1f} ms"
    )
    print("identical scores on every executor and round")
    shutil.rmtree(root)


if __name__ == "__main__":
    main()

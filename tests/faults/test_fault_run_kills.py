"""SIGKILL during a world tournament, a negotiation tournament and a world's
checkpoint writing, at chosen renames and syncs and at random moments.

Bar: resuming (the same call on the same folder; for checkpoints, loading the
newest checkpoint that is there) completes, and the results equal an
uninterrupted run's; no temporary file survives the resume; nothing hangs.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from fault_helpers import FIGURES, LARGE
from run_kinds import run_kind, world_summary

from palaver.examples.trips import TripsWorld

CHILD = Path(__file__).with_name("kill_run_child.py")
SRC = Path(__file__).resolve().parents[2] / "src"

POINTS = {
    # world tournament: 16 worlds, each 3 renames (scores, stats, world part),
    # plus the manifest's at the start and the end
    "world": ["replace:1:after", "replace:2:after", "replace:9:before", "replace:9:after",
              "replace:10:after", "replace:26:before", "replace:40:after", "fsync:1:after"],
    # negotiation tournament: 8 batches of 3 files, setup and outcomes first
    "negotiation": ["replace:1:after", "replace:2:after", "replace:4:before", "replace:5:after",
                    "replace:6:after", "replace:14:before", "replace:20:after"],
    # checkpoints: a .ckpt and its .json per step (two renames, two fsyncs each)
    "checkpoint": ["replace:1:after", "replace:3:before", "replace:4:after", "replace:7:after",
                   "replace:8:before", "fsync:5:before", "fsync:6:after", "replace:12:after"],
}  # fmt: skip


def _run(kind: str, out: Path, point: str, delay: float | None = None) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), kind, str(out), point],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    if delay is not None:
        assert child.stdout is not None
        child.stdout.readline()  # READY
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
    try:
        stdout, _ = child.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        child.kill()
        return -999, "hung"
    return child.returncode, stdout


def _resume(kind: str, out: Path) -> Any:
    if kind != "checkpoint":
        return run_kind(kind, out)
    for path in sorted(out.glob("*.ckpt"), reverse=True):
        world = TripsWorld.from_checkpoint(path)  # the newest must load: writes are atomic
        world.run()
        return world_summary(world)
    return run_kind(kind, out / "fresh")  # killed before its first checkpoint


def _judge(category: str, kind: str, out: Path, code: int, ref: Any) -> None:
    name = out.name
    if code == -999:
        FIGURES.case(category, False, f"{name}: the child hung")
        return
    outcome = "killed" if code == -signal.SIGKILL else f"exit {code}"
    try:
        got = _resume(kind, out)
        problem = None if got == ref else "the resumed results differ from an uninterrupted run"
        left = [p.name for p in out.rglob("*palaver-tmp*")]
        if problem is None and left and kind != "checkpoint":
            problem = f"temporary files survived the resume: {left}"
    except Exception as exc:
        problem = f"{type(exc).__name__}: {exc}"
    FIGURES.case(category, problem is None, f"{name}: {problem}", outcome)


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("uninterrupted")
    return {kind: run_kind(kind, root / kind) for kind in POINTS}


@pytest.fixture(scope="module")
def durations(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    """How long each run takes in a child process (from READY to its end)."""
    root = tmp_path_factory.mktemp("timed")
    out = {}
    for kind in POINTS:
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        child = subprocess.Popen(
            [sys.executable, str(CHILD), kind, str(root / kind), "none"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        child.stdout.readline()
        start = time.perf_counter()
        child.communicate(timeout=300)
        out[kind] = time.perf_counter() - start
    return out


@pytest.mark.parametrize("kind", list(POINTS))
def test_sigkill_at_chosen_points(kind: str, references: dict[str, Any], tmp_path: Path) -> None:
    points = POINTS[kind] if LARGE else random.Random(kind).sample(POINTS[kind], 3)
    category = f"SIGKILL: {kind}"
    for point in points:
        out = tmp_path / point.replace(":", "_")
        code, _ = _run(kind, out, point)
        _judge(category, kind, out, code, references[kind])
    failures = [f for f in FIGURES.failures if f.startswith(f"[{category}]")]
    assert not failures, "\n".join(failures[:10])


@pytest.mark.parametrize("kind", list(POINTS))
def test_sigkill_at_random_moments(
    kind: str, references: dict[str, Any], durations: dict[str, float], tmp_path: Path
) -> None:
    rng = random.Random(f"random {kind}")
    category = f"SIGKILL: {kind}, random moment"
    for case in range(10 if LARGE else 1):
        out = tmp_path / f"random_{case}"
        code, _ = _run(kind, out, "none", delay=rng.uniform(0.0, durations[kind] * 0.9))
        _judge(category, kind, out, code, references[kind])
    failures = [f for f in FIGURES.failures if f.startswith(f"[{category}]")]
    assert not failures, "\n".join(failures[:10])

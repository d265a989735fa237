"""The process executor: same results as serial, hung worlds killed, dead workers replaced."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
import tournament_toys as toys

from palaver.tournaments import (
    DONE,
    FAILED,
    TIMED_OUT,
    Competitor,
    TournamentConfig,
    run_tournament,
)

TIMING = ["duration_s", "finished_at"]


def config(**overrides: object) -> TournamentConfig:
    fields: dict[str, object] = {
        "world": toys.ToyWorld,
        "competitors": [toys.Strong, toys.Medium, toys.Weak],
        "lineup_size": 2,
        "repetitions": 4,
        "sweep": {"n_steps": [2, 5]},
        "seed": 21,
    }
    fields.update(overrides)
    return TournamentConfig(**fields)  # type: ignore[arg-type]


def test_process_and_serial_give_identical_results(tmp_path: Path) -> None:
    serial = run_tournament(config(), tmp_path / "serial", executor="serial")
    process = run_tournament(config(), tmp_path / "process", executor="process", workers=2)
    assert process.manifest["runs"][0]["executor"] == {"name": "process", "workers": 2}
    pd.testing.assert_frame_equal(serial.scores(), process.scores())
    pd.testing.assert_frame_equal(serial.stats(), process.stats())
    pd.testing.assert_frame_equal(
        serial.worlds().drop(columns=TIMING), process.worlds().drop(columns=TIMING)
    )
    assert len(serial.scores()) == 24 * 2


def test_hung_world_is_killed_and_the_tournament_goes_on(tmp_path: Path) -> None:
    cfg = config(
        competitors=[toys.Strong, toys.Sleeper, toys.Weak], sweep={}, repetitions=2, time_budget=1.0
    )
    results = run_tournament(cfg, tmp_path / "out", executor="process", workers=2)
    worlds = results.worlds()
    hung = worlds["lineup"].map(lambda lineup: "Sleeper" in lineup)
    assert set(worlds[hung]["status"]) == {TIMED_OUT}
    assert set(worlds[~hung]["status"]) == {DONE}
    assert all("worker process killed" in e for e in worlds[hung]["error"])
    assert results.counts() == {"planned": 6, "done": 2, "failed": 0, "timed_out": 4, "missing": 0}


def test_a_worker_killed_mid_run_has_its_world_rerun(tmp_path: Path) -> None:
    marker = tmp_path / "killed-once"
    cfg = config(
        competitors=[
            toys.Strong,
            Competitor(toys.OnceSuicidal, params={"marker": str(marker)}),
        ],
        sweep={},
        repetitions=3,
    )
    results = run_tournament(cfg, tmp_path / "out", executor="process", workers=2)
    assert marker.exists()  # a worker really was SIGKILLed once
    assert set(results.worlds()["status"]) == {DONE}
    # The re-run world's scores are those a clean run gives.
    clean = run_tournament(cfg, tmp_path / "serial", executor="serial")
    pd.testing.assert_frame_equal(clean.scores(), results.scores())


def test_a_worker_killed_from_outside_has_its_world_rerun(tmp_path: Path) -> None:
    marker = tmp_path / "pid"
    killed: list[int] = []

    def kill_when_waiting() -> None:
        deadline = time.monotonic() + 30
        while not marker.exists() or not marker.read_text():
            if time.monotonic() > deadline:
                return
            time.sleep(0.01)
        pid = int(marker.read_text())
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    killer = threading.Thread(target=kill_when_waiting)
    killer.start()
    cfg = config(
        competitors=[toys.Strong, Competitor(toys.Waiter, params={"marker": str(marker)})],
        sweep={},
        repetitions=2,
    )
    try:
        results = run_tournament(cfg, tmp_path / "out", executor="process", workers=2)
    finally:
        killer.join()
    assert killed, "the waiting worker was never killed"
    assert set(results.worlds()["status"]) == {DONE}
    assert results.counts()["done"] == 2


def test_a_world_that_keeps_killing_its_worker_is_recorded_failed(tmp_path: Path) -> None:
    cfg = config(
        competitors=[toys.Strong, toys.Suicidal, toys.Weak], sweep={}, repetitions=1, max_retries=1
    )
    results = run_tournament(cfg, tmp_path / "out", executor="process", workers=2)
    worlds = results.worlds()
    deadly = worlds["lineup"].map(lambda lineup: "Suicidal" in lineup)
    assert set(worlds[~deadly]["status"]) == {DONE}
    assert set(worlds[deadly]["status"]) == {FAILED}
    for error in worlds[deadly]["error"]:
        assert "died (killed by signal SIGKILL) on each of 2 attempt(s)" in error
    assert results.counts()["missing"] == 0


def test_unpicklable_tournament_is_refused_with_advice(tmp_path: Path) -> None:
    cfg = config(score=lambda world: world.scores(), sweep={}, repetitions=1)
    with pytest.raises(ValueError, match=r"cannot be pickled.*'serial' executor"):
        run_tournament(cfg, tmp_path / "out", executor="process", workers=1)

"""The Ray executor: same results as serial, hung worlds cancelled, clear error without Ray."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
import tournament_toys as toys

from palaver.tournaments import (
    DONE,
    TIMED_OUT,
    Competitor,
    ExecutorUnavailableError,
    TournamentConfig,
    run_tournament,
)

TIMING = ["duration_s", "finished_at"]


def config() -> TournamentConfig:
    return TournamentConfig(
        world=toys.ToyWorld,
        competitors=[
            toys.Strong,
            toys.Medium,
            toys.Weak,
            Competitor(toys.Strong, name="boosted", params={"bonus": 2.0}),
            toys.Sleeper,
        ],
        # Line-ups (Strong, Medium) ... (Sleeper, Strong): the two holding the
        # Sleeper come last, so Ray need not restart the workers it kills (slow).
        assignment="round_robin",
        lineup_size=2,
        seed=5,
        time_budget=1.0,
    )


def test_ray_and_serial_give_identical_results_and_hung_worlds_are_cancelled(
    tmp_path: Path,
) -> None:
    pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'palaver[ray]'")
    ray = run_tournament(config(), tmp_path / "ray", executor="ray", workers=2)
    serial = run_tournament(config(), tmp_path / "serial", executor="serial")
    worlds = ray.worlds()
    hung = worlds["lineup"].map(lambda lineup: "Sleeper" in lineup)
    assert set(worlds[hung]["status"]) == {TIMED_OUT}
    assert set(worlds[~hung]["status"]) == {DONE}
    assert all("cancelled with force" in e for e in worlds[hung]["error"])
    assert ray.counts() == {"planned": 5, "done": 3, "failed": 0, "timed_out": 2, "missing": 0}
    pd.testing.assert_frame_equal(serial.scores(), ray.scores())
    pd.testing.assert_frame_equal(serial.stats(), ray.stats())
    columns = [*TIMING, "error"]
    pd.testing.assert_frame_equal(
        serial.worlds().drop(columns=columns), worlds.drop(columns=columns)
    )
    run = ray.manifest["runs"][0]
    assert run["executor"] == {"name": "ray", "workers": 2, "address": None, "chunk": None}
    assert run["versions"]["ray"] != "not installed"


def test_missing_ray_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A None entry in sys.modules makes `import ray` raise ImportError, as when
    # Ray is not installed.
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ExecutorUnavailableError, match=r"pip install 'palaver\[ray\]'"):
        run_tournament(config(), tmp_path / "out", executor="ray")
    assert not (tmp_path / "out").exists()

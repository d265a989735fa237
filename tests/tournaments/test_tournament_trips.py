"""End to end on the TripsWorld: the shipped config, executors agree, recordings on demand."""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import pandas as pd
import pytest

from palaver import recording
from palaver.cli.tournament import shipped_configs
from palaver.tournaments import (
    DONE,
    TournamentConfig,
    TournamentWarning,
    load_config,
    run_tournament,
)

TIMING = ["duration_s", "finished_at"]


@pytest.fixture(scope="module")
def trips() -> TournamentConfig:
    shipped = load_config(shipped_configs()["trips"])
    shipped.validate()
    # The shipped tournament, shrunk to keep the test quick.
    return dataclasses.replace(
        shipped, repetitions=1, world_params={"n_steps": 4}, agents_per_competitor=2
    )


def test_shipped_trips_config_declares_a_comparison() -> None:
    config = load_config(shipped_configs()["trips"])
    assert config.world == "palaver.examples.trips:TripsWorld"
    assert [c.label for c in config.competitors] == ["random", "smart", "smart-reliable"]
    assert config.competitors[2].join_params == {"breach_prob": 0.0}


def test_trips_tournament_is_identical_on_serial_and_process(
    trips: TournamentConfig, tmp_path: Path
) -> None:
    serial = run_tournament(trips, tmp_path / "serial", executor="serial")
    process = run_tournament(trips, tmp_path / "process", executor="process", workers=2)
    worlds = serial.worlds()
    assert len(worlds) == 6 and set(worlds["status"]) == {DONE}
    pd.testing.assert_frame_equal(serial.scores(), process.scores())
    pd.testing.assert_frame_equal(serial.stats(), process.stats())
    pd.testing.assert_frame_equal(
        worlds.drop(columns=TIMING), process.worlds().drop(columns=TIMING)
    )
    assert set(serial.ranking()["competitor"]) == {"random", "smart", "smart-reliable"}
    assert serial.stats()["stat"].str.startswith("total_utility_").any()


def test_recordings_are_off_by_default_and_on_by_flag(
    trips: TournamentConfig, tmp_path: Path
) -> None:
    small = dataclasses.replace(trips, sweep={"negotiation_quota_per_step": [2]})
    plain = run_tournament(small, tmp_path / "plain", executor="serial")
    assert not (plain.root / "recordings").exists()
    recorded = run_tournament(
        small, tmp_path / "recorded", executor="process", workers=2, record=True
    )
    pd.testing.assert_frame_equal(plain.scores(), recorded.scores())
    folders = sorted(p.name for p in (recorded.root / "recordings").iterdir())
    assert folders == list(recorded.worlds()["world_id"])
    for folder in (recorded.root / "recordings").iterdir():
        [simulation] = folder.glob("simulation_*")
        reader = recording.open(simulation)
        assert reader.completion_status == "completed"
        assert len(reader.get_events_by_type("negotiation_started")) > 0


def test_recording_asked_on_resume_says_which_worlds_have_none(
    trips: TournamentConfig, tmp_path: Path
) -> None:
    # Resuming with record=True recorded only the worlds still to run, without a word.
    small = dataclasses.replace(trips, repetitions=1, sweep={"negotiation_quota_per_step": [2]})
    run_tournament(small, tmp_path / "out", executor="serial")
    with pytest.warns(TournamentWarning, match=r"record=True: 3 world\(s\) .* \(w000000, w000001"):
        run_tournament(small, tmp_path / "out", executor="serial", record=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TournamentWarning)
        run_tournament(small, tmp_path / "fresh", executor="serial", record=True)
        run_tournament(small, tmp_path / "fresh", executor="serial", record=True)

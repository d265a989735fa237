"""Without pandas (the optional ``frames`` extra), asking for a frame says what to
install and what gives the same data without it, instead of a bare
``ModuleNotFoundError: No module named 'pandas'``."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from palaver._util.optional import FrameLibraryError
from palaver.recording import SimulationRecorder
from palaver.tournaments import Competitor, TournamentConfig, run_tournament, standings
from palaver.tournaments.negotiation import cartesian_tournament


@pytest.fixture
def no_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails


def test_world_tournament_frames_name_the_extra(tmp_path: Path, no_pandas: None) -> None:
    config = TournamentConfig(
        world="palaver.examples.trips:TripsWorld",
        competitors=[Competitor("palaver.examples.trips:RandomPerson", name="random")],
        world_params={"n_steps": 1},
        seed=1,
    )
    results = run_tournament(config, tmp_path / "r", executor="serial", progress=False)
    assert standings(results.table("scores"))  # the numpy path works without pandas
    for call, name in (
        (results.ranking, "results.ranking()"),
        (results.win_matrix, "results.win_matrix()"),
        (results.worlds, "results.worlds()"),
    ):
        expected = re.escape(f"{name} needs pandas: pip install ")
        with pytest.raises(FrameLibraryError, match=expected):
            call()


def test_negotiation_tournament_frames_name_the_extra(tmp_path: Path, no_pandas: None) -> None:
    from palaver.scenarios.generators import anl_scenarios

    results = cartesian_tournament(
        ["boulware", "micro"], anl_scenarios(1, n_outcomes=(10, 20), seed=1), n_steps=5, seed=1
    )
    assert results.table("parties").num_rows
    with pytest.raises(FrameLibraryError, match=r"results\.parties needs pandas"):
        results.parties  # noqa: B018
    with pytest.raises(FrameLibraryError, match=r"results\.ranking\(\) needs pandas"):
        results.ranking()


def test_agent_states_name_the_extra_and_polars_still_works(
    tmp_path: Path, no_pandas: None
) -> None:
    from palaver.examples.trips import build_trips

    recorder = SimulationRecorder(None, output_dir=tmp_path)
    build_trips(n_agents=2, n_steps=2, seed=1, recorder=recorder).run()
    recorder.close()
    with pytest.raises(FrameLibraryError, match=r"needs pandas: pip install 'palaver\[frames\]'"):
        recorder.agent_states()
    assert recorder.agent_states(library="polars").height == 4

"""Opening a folder with the wrong reader says what it holds and which call reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from palaver.recording import SimulationRecorder
from palaver.scenarios.generators import anl_scenarios
from palaver.tournaments import (
    Competitor,
    TournamentConfig,
    TournamentFolderError,
    load_results,
    run_tournament,
)
from palaver.tournaments.negotiation import (
    TournamentResultsError,
    cartesian_tournament,
    load_negotiation_results,
)


def test_each_reader_names_the_other(tmp_path: Path) -> None:
    league = tmp_path / "league"
    cartesian_tournament(
        ["boulware", "micro"],
        anl_scenarios(1, n_outcomes=(10, 20), seed=1),
        n_steps=5,
        seed=1,
        path=league,
        executor="serial",
    )
    worlds = tmp_path / "worlds"
    config = TournamentConfig(
        world="palaver.examples.trips:TripsWorld",
        competitors=[Competitor("palaver.examples.trips:RandomPerson", name="random")],
        world_params={"n_steps": 1},
        seed=1,
    )
    run_tournament(config, worlds, executor="serial", progress=False)
    recordings = tmp_path / "recordings"
    SimulationRecorder(None, output_dir=recordings).close()

    with pytest.raises(TournamentFolderError, match=r"holds no tournament \(it holds a negotia"):
        load_results(league)
    with pytest.raises(TournamentFolderError, match=r"load_negotiation_results\)$"):
        load_results(league)
    with pytest.raises(TournamentFolderError, match=r"palaver\.recording\.open\)$"):
        load_results(recordings)
    with pytest.raises(TournamentFolderError, match=r"holds no tournament \(it does not exist\)"):
        load_results(tmp_path / "nowhere")
    with pytest.raises(TournamentResultsError, match=r"palaver\.tournaments\.load_results\)$"):
        load_negotiation_results(str(worlds))
    with pytest.raises(TournamentResultsError, match=r"palaver\.recording\.open\)$"):
        load_negotiation_results(str(recordings))
    with pytest.raises(TournamentResultsError, match=r"\(it does not exist\)$"):
        load_negotiation_results(str(tmp_path / "nowhere"))

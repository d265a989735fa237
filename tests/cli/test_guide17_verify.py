"""``palaver verify`` on a tournament folder names each problem once."""

from __future__ import annotations

from pathlib import Path

from tests.cli.cli_helpers import palaver

from palaver.tournaments import Competitor, TournamentConfig, run_tournament


def test_a_missing_scores_part_is_one_problem(tmp_path: Path) -> None:
    config = TournamentConfig(
        name="verify-once",
        world="palaver.examples.trips:TripsWorld",
        competitors=[
            Competitor("palaver.examples.trips:RandomPerson", name="random"),
            Competitor("palaver.examples.trips:SmartPerson", name="smart"),
        ],
        agents_per_competitor=1,
        world_params={"n_steps": 2},
        repetitions=2,
        seed=2,
    )
    folder = tmp_path / "results"
    run_tournament(config, folder, executor="serial", progress=False)
    (folder / "scores" / "w000001.parquet").unlink()
    shown = palaver("verify", str(folder))
    assert shown.code == 1, shown.output
    problems = [line for line in shown.stdout.splitlines() if "problem:" in line]
    # It was listed twice: "<folder>/scores/w000001.parquet is missing for finished
    # world w000001" and "<folder>/w000001: scores/w000001.parquet is missing".
    assert len(problems) == 1, problems
    assert f"{folder / 'scores' / 'w000001.parquet'} is missing" in problems[0]

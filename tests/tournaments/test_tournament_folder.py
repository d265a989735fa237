"""The results folder knows what it must hold; one run at a time; configs vetted."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import tournament_toys as toys

from palaver.tournaments import (
    TournamentConfig,
    TournamentConfigError,
    TournamentFolderError,
    TournamentWarning,
    load_results,
    run_tournament,
)
from palaver.tournaments.lock import FolderLock

SRC = Path(__file__).resolve().parents[2] / "src"


def config(**overrides: object) -> TournamentConfig:
    fields: dict[str, object] = {
        "world": toys.ToyWorld,
        "competitors": [toys.Strong, toys.Medium, toys.Weak],
        "lineup_size": 2,
        "repetitions": 2,
        "world_params": {"noise": 0.1},
        "seed": 1,
        "name": "folder",
    }
    fields.update(overrides)
    return TournamentConfig(**fields)  # type: ignore[arg-type]


def test_a_missing_scores_part_is_reported_and_rerun(tmp_path: Path) -> None:
    out = tmp_path / "out"
    complete = run_tournament(config(), out, executor="serial")
    assert complete.counts()["done"] == 6 and complete.problems() == {}
    full_ranking = complete.ranking()
    (out / "scores" / "w000002.parquet").unlink()
    (out / "stats" / "w000004.parquet").write_bytes(b"not parquet")
    damaged = load_results(out)
    assert damaged.problems() == {
        "w000002": "scores/w000002.parquet is missing",
        "w000004": "stats/w000004.parquet is damaged (checksum mismatch)",
    }
    # Not counted as done, and not silently averaged over fewer worlds.
    assert damaged.counts() == {"planned": 6, "done": 4, "failed": 0, "timed_out": 0, "missing": 2}
    assert set(damaged.scores()["world_id"]) == {"w000000", "w000001", "w000003", "w000005"}
    assert damaged.ranking()["n_worlds"].sum() < full_ranking["n_worlds"].sum()
    with pytest.warns(TournamentWarning, match="2 world\\(s\\) .* incomplete results .* w000002"):
        repaired = run_tournament(config(), out, executor="serial")
    assert repaired.problems() == {} and repaired.counts()["done"] == 6
    assert repaired.ranking().equals(full_ranking)


def test_a_world_part_copied_over_another_worlds_is_named_and_rerun(tmp_path: Path) -> None:
    # Read together, the parts passed as long as every row's world had a file:
    # w000002's row, copied over w000004's part, counted w000002 twice, as
    # "6 done", and w000004, whose result was gone, was never run again.
    out = tmp_path / "out"
    complete = run_tournament(config(), out, executor="serial")
    full_ranking = complete.ranking()
    worlds = out / "worlds"
    (worlds / "w000004.parquet").write_bytes((worlds / "w000002.parquet").read_bytes())
    damaged = load_results(out)
    assert damaged.problems() == {
        "w000004": "worlds/w000004.parquet holds rows of ['w000002'], not of w000004 "
        "(a copy of another world's part, or a damaged world id)"
    }
    assert damaged.counts() == {"planned": 6, "done": 5, "failed": 0, "timed_out": 0, "missing": 1}
    assert list(damaged.worlds()["world_id"]) == [
        "w000000",
        "w000001",
        "w000002",
        "w000003",
        "w000005",
    ]
    with pytest.warns(TournamentWarning, match="w000004"):
        repaired = run_tournament(config(), out, executor="serial")
    assert repaired.problems() == {} and repaired.counts()["done"] == 6
    assert repaired.ranking().equals(full_ranking)


def test_the_parts_of_a_world_the_tournament_does_not_plan_are_left_out(
    tmp_path: Path,
) -> None:
    # A world's three parts copied from a larger tournament were read as one
    # more result: "7 done" of 6 planned, "-1 not run yet", and ranked.
    out, larger = tmp_path / "out", tmp_path / "larger"
    complete = run_tournament(config(), out, executor="serial")
    full_ranking = complete.ranking()
    run_tournament(config(repetitions=3), larger, executor="serial")
    for part in ("worlds", "scores", "stats"):
        (out / part / "w000008.parquet").write_bytes(
            (larger / part / "w000008.parquet").read_bytes()
        )
    results = load_results(out)
    assert results.problems() == {
        "w000008": "worlds/w000008.parquet is not a world of this tournament (it plans 6: "
        "w000000 to w000005); it is left out of the results"
    }
    assert results.counts() == {"planned": 6, "done": 6, "failed": 0, "timed_out": 0, "missing": 0}
    assert "w000008" not in set(results.scores()["world_id"])
    assert results.ranking().equals(full_ranking)
    with pytest.warns(TournamentWarning, match=r"1 world\(s\) in .* are left out: w000008"):
        resumed = run_tournament(config(), out, executor="serial")
    assert resumed.ranking().equals(full_ranking)


def test_a_short_part_and_an_unreadable_world_part(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "out"
    run_tournament(config(), out, executor="serial")
    part = out / "scores" / "w000001.parquet"
    pq.write_table(pq.read_table(part).slice(0, 1), part)
    (out / "worlds" / "w000003.parquet").write_bytes(b"PAR1garbage")
    results = load_results(out)
    assert results.problems()["w000001"] == "scores/w000001.parquet is damaged (checksum mismatch)"
    assert "worlds/w000003.parquet cannot be read" in results.problems()["w000003"]
    assert results.counts()["missing"] == 2
    with pytest.warns(TournamentWarning):
        assert run_tournament(config(), out, executor="serial").counts()["done"] == 6


def test_a_recording_or_a_damaged_manifest_is_not_a_tournament(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"simulation_id": "abc"}))
    with pytest.raises(TournamentFolderError, match="is a recording, not a tournament"):
        load_results(tmp_path)
    (tmp_path / "manifest.json").write_text("{broken")
    with pytest.raises(TournamentFolderError, match="is damaged"):
        load_results(tmp_path)
    (tmp_path / "manifest.json").write_text("{}")
    with pytest.raises(TournamentFolderError, match="not a tournament manifest"):
        load_results(tmp_path)


def test_one_run_at_a_time_and_the_second_says_who(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with (
        FolderLock(out),
        pytest.raises(TournamentFolderError, match=r"in use by another tournament run \("),
    ):
        run_tournament(config(), out, executor="serial")
    # Released: the run goes ahead, and the lock file does not count as content.
    assert run_tournament(config(), out, executor="serial").counts()["done"] == 6


def test_the_lock_names_the_other_process(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(SRC)!r})
        from palaver.tournaments.lock import FolderLock
        with FolderLock({str(out)!r}):
            print("held", flush=True)
            time.sleep(30)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "held"
        with pytest.raises(TournamentFolderError, match=f"process {process.pid} on "):
            run_tournament(config(), out, executor="serial")
    finally:
        process.kill()
        process.wait()
    # A killed holder leaves no lock behind.
    time.sleep(0.05)
    assert run_tournament(config(), out, executor="serial").counts()["done"] == 6


def test_allowed_packages(tmp_path: Path) -> None:
    with pytest.raises(TournamentConfigError, match="package 'tournament_toys', which is not"):
        config().validate(allowed_packages=["mine"])
    config().validate(allowed_packages=["tournament_toys"])
    named = config(
        world="tournament_toys:ToyWorld", competitors=["tournament_toys:Strong"], lineup_size=1
    )
    with pytest.raises(TournamentConfigError, match="not allowed"):
        run_tournament(named, tmp_path / "out", executor="serial", allowed_packages=["mine"])
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sweep": {"noise": "0.5"}}, "sweep 'noise' must be a list"),
        ({"agents_per_competitor": 1.5}, "agents_per_competitor must be an integer >= 1, got 1.5"),
        ({"repetitions": True}, "repetitions must be an integer >= 1, got True"),
        ({"lineup_size": 1.0}, "lineup_size must be an integer >= 1 or None, got 1.0"),
        ({"max_retries": "2"}, "max_retries must be an integer >= 0"),
        ({"world_params": ["noise"]}, "world_params must be a table"),
        ({"competitors": "tournament_toys:Strong"}, "competitors must be a list"),
        ({"name": ""}, "name must be a non-empty string"),
        ({"time_budget": True}, "time_budget must be a positive finite number or None, got True"),
    ],
)
def test_field_types_are_checked(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(TournamentConfigError, match=message):
        config(**overrides)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"world_params": {"nois": 0.1}}, "world parameter 'nois' .* did you mean 'noise'"),
        ({"world": "subprocess:run"}, "neither a world class"),
        ({"world": "collections:OrderedDict"}, "a class without join\\(\\) and run\\(\\)"),
        ({"score": "os:getcwd"}, "cannot be called with the world alone"),
        ({"score": "collections:OrderedDict"}, "is not a function"),
        ({"competitors": ["subprocess:Popen", toys.Weak]}, "'Popen' is not an agent class"),
        ({"competitors": ["os:system", toys.Weak]}, "'system' is not an agent class"),
    ],
)
def test_named_objects_are_vetted_before_they_are_called(
    overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(TournamentConfigError, match=message):
        config(**overrides).validate()


def test_factories_with_annotations_are_accepted() -> None:
    config(world=toys.make_world).validate()
    config(world="tournament_toys:make_world", score="tournament_toys:doubled").validate()


def test_a_folder_holding_a_negotiation_tournament_or_a_recording_is_refused_even_with_overwrite(
    tmp_path: Path,
) -> None:
    # "pass overwrite=True to write into it anyway" wrote the world tournament
    # beside the other's files: tournament show, report and verify then read the
    # negotiation tournament (its tournament.json is looked at first).
    negotiation = tmp_path / "negotiation"
    negotiation.mkdir()
    (negotiation / "tournament.json").write_text('{"kind": "negotiation"}')
    recording = tmp_path / "recording"
    (recording / "simulation_1" / "events").mkdir(parents=True)
    for folder, held in (
        (negotiation, "a negotiation tournament (tournament.json)"),
        (recording, "a recording (simulation_1)"),
    ):
        for overwrite in (False, True):
            with pytest.raises(TournamentFolderError, match=re.escape(f"holds {held}")):
                run_tournament(config(), folder, executor="serial", overwrite=overwrite)
    assert sorted(p.name for p in negotiation.iterdir()) == [".lock", "tournament.json"]

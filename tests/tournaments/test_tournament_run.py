"""Running tournaments in-process: results folder, failures, timeouts, resume, refusals."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import tournament_toys as toys

from palaver.tournaments import (
    DONE,
    FAILED,
    TIMED_OUT,
    Competitor,
    TournamentConfig,
    TournamentConfigError,
    TournamentFolderError,
    TournamentResults,
    load_results,
    make_executor,
    run_tournament,
)


def config(**overrides: object) -> TournamentConfig:
    fields: dict[str, object] = {
        "world": toys.ToyWorld,
        "competitors": [toys.Strong, toys.Medium, toys.Weak],
        "lineup_size": 2,
        "repetitions": 4,
        "world_params": {"noise": 0.1},
        "seed": 1,
        "name": "toys",
    }
    fields.update(overrides)
    return TournamentConfig(**fields)  # type: ignore[arg-type]


def test_results_folder_holds_manifest_worlds_scores_and_stats(tmp_path: Path) -> None:
    results = run_tournament(config(), tmp_path / "out", executor="serial")
    assert results.counts() == {
        "planned": 12,
        "done": 12,
        "failed": 0,
        "timed_out": 0,
        "missing": 0,
    }
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["root_seed"] == 1
    assert manifest["config"]["world"] == "tournament_toys:ToyWorld"
    assert manifest["fingerprint"] == config().fingerprint()
    assert {"python", "palaver", "numpy", "pyarrow"} <= set(manifest["versions"])
    assert manifest["runs"][0]["executor"] == {"name": "serial", "workers": 1}
    assert manifest["runs"][0]["counts"] == {"done": 12}
    assert len(list((tmp_path / "out" / "worlds").glob("*.parquet"))) == 12

    worlds = results.worlds()
    assert list(worlds["world_id"]) == [f"w{i:06d}" for i in range(12)]
    assert set(worlds["status"]) == {DONE} and worlds["error"].isna().all()
    assert (worlds["n_steps"] == 3).all() and (worlds["current_step"] == 3).all()
    scores = results.scores()
    assert len(scores) == 24
    assert set(scores["competitor"]) == {"Strong", "Medium", "Weak"}
    stats = results.stats()
    assert set(stats["stat"]) == {"total"} and len(stats) == 12 * 3

    ranking = results.ranking()
    assert list(ranking["competitor"]) == ["Strong", "Medium", "Weak"]
    assert (ranking["n_worlds"] == 8).all()
    assert results.win_matrix().loc["Strong", "Weak"] == 1.0


def test_progress_bar_counts_worlds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = config(competitors=[toys.Strong, toys.Crasher, toys.Weak], repetitions=1)
    run_tournament(cfg, tmp_path / "out", executor="serial", progress=True)
    err = capsys.readouterr().err
    assert "3/3" in err and "1 done" in err and "2 failed" in err and "0 timed out" in err


def test_same_seed_same_results_other_seed_other_results(tmp_path: Path) -> None:
    a = run_tournament(config(), tmp_path / "a", executor="serial").scores()
    b = run_tournament(config(), tmp_path / "b", executor="serial").scores()
    c = run_tournament(config(seed=2), tmp_path / "c", executor="serial").scores()
    pd.testing.assert_frame_equal(a, b)
    assert not a["score"].equals(c["score"])


def test_factory_copies_join_params_and_score_function(tmp_path: Path) -> None:
    cfg = config(
        world=toys.make_world,
        competitors=[Competitor(toys.Strong, join_params={"bonus": 100.0}), toys.Weak],
        agents_per_competitor=2,
        repetitions=1,
        score=toys.doubled,
    )
    scores = run_tournament(cfg, tmp_path / "out", executor="serial").scores()
    assert list(scores["copy"]) == [0, 1, 0, 1]
    assert list(scores["slot"]) == [0, 1, 2, 3]
    assert list(scores["agent_id"]) == ["agent0", "agent1", "agent2", "agent3"]
    strong = scores[scores["competitor"] == "Strong"]["score"]
    assert (strong > 200).all()  # doubled (bonus 100 + ~3)


@pytest.mark.parametrize(
    ("score", "shown"), [(toys.nan_for_the_first, "nan"), (toys.inf_for_the_first, "-inf")]
)
def test_a_score_that_is_not_finite_fails_the_world(
    tmp_path: Path, score: object, shown: str
) -> None:
    cfg = config(repetitions=1, score=score)
    results = run_tournament(cfg, tmp_path / "out", executor="serial")
    worlds = results.worlds()
    assert set(worlds["status"]) == {FAILED}
    for error in worlds["error"]:
        assert "agent 'agent0'" in error and f"score {shown}" in error
    assert results.counts().get("done", 0) == 0 and len(results.scores()) == 0


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        (toys.text_for_the_first, "', not a number"),
        (toys.bool_for_the_first, "the score True, not a number"),
        (toys.with_a_ghost, "scores ['agent9'], which are not agents of the world"),
        (toys.as_a_list, "the score function returned list ["),
    ],
)
def test_a_score_that_is_not_a_number_per_agent_fails_the_world(
    tmp_path: Path, score: object, shown: str
) -> None:
    """Text and bools were taken as numbers (float("3.5"), float(True)), and a
    score for an agent the world does not have was dropped, without a word."""
    cfg = config(repetitions=1, score=score)
    results = run_tournament(cfg, tmp_path / "out", executor="serial")
    worlds = results.worlds()
    assert set(worlds["status"]) == {FAILED}
    for error in worlds["error"]:
        assert shown in error, error[-300:]
    assert results.counts().get("done", 0) == 0 and len(results.scores()) == 0


def test_a_raising_world_is_recorded_with_its_traceback(tmp_path: Path) -> None:
    cfg = config(competitors=[toys.Strong, toys.Crasher, toys.Weak], repetitions=1)
    results = run_tournament(cfg, tmp_path / "out", executor="serial")
    worlds = results.worlds().set_index("world_id")
    failed = worlds[worlds["status"] == FAILED]
    assert len(failed) == 2  # the two line-ups with the crasher
    assert all("Crasher" in lineup for lineup in failed["lineup"])
    for error in failed["error"]:
        assert "Traceback" in error and "RuntimeError: the crasher agent crashed" in error
    assert results.counts()["done"] == 1
    assert set(results.scores()["competitor"]) == {"Strong", "Weak"}


def test_serial_time_budget_stops_a_hung_world(tmp_path: Path) -> None:
    cfg = config(competitors=[toys.Strong, toys.Sleeper], repetitions=1, time_budget=0.3)
    cfg_ok = config(competitors=[toys.Strong, toys.Weak], repetitions=1, time_budget=0.3)
    hung = run_tournament(cfg, tmp_path / "hung", executor="serial").worlds()
    assert list(hung["status"]) == [TIMED_OUT]
    assert "time budget of 0.3 s" in hung["error"][0]
    assert list(run_tournament(cfg_ok, tmp_path / "ok", executor="serial").worlds()["status"]) == [
        DONE
    ]


def test_rerun_skips_finished_worlds_and_completes_missing_ones(tmp_path: Path) -> None:
    out = tmp_path / "out"
    full = run_tournament(config(), out, executor="serial").scores()
    # As if killed before these worlds committed their world part: their scores
    # parts may exist, but without the world part they are not finished.
    for world in ("w000002", "w000007", "w000011"):
        (out / "worlds" / f"{world}.parquet").unlink()
    (out / "scores" / "w000011.parquet").unlink()
    results = run_tournament(config(), out, executor="serial")
    runs = results.manifest["runs"]
    assert runs[1]["pending"] == 3 and runs[1]["counts"] == {"done": 3}
    assert results.counts()["done"] == 12
    pd.testing.assert_frame_equal(full, results.scores())
    again = run_tournament(config(), out, executor="serial")
    assert again.manifest["runs"][2]["pending"] == 0


def test_retry_failed_reruns_failed_and_timed_out_worlds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    cfg = config(competitors=[toys.Strong, toys.Crasher], repetitions=2)
    run_tournament(cfg, out, executor="serial")
    again = run_tournament(cfg, out, executor="serial")
    assert again.manifest["runs"][1]["pending"] == 0
    retried = run_tournament(cfg, out, executor="serial", retry_failed=True)
    assert retried.manifest["runs"][2]["pending"] == 2
    assert retried.counts()["failed"] == 2


def test_folder_with_another_tournament_is_refused_unless_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_tournament(config(), out, executor="serial")
    with pytest.raises(TournamentFolderError, match=r"holds another tournament.*overwrite"):
        run_tournament(config(seed=9), out, executor="serial")
    results = run_tournament(config(seed=9, repetitions=1), out, executor="serial", overwrite=True)
    assert results.manifest["root_seed"] == 9
    assert results.counts() == {"planned": 3, "done": 3, "failed": 0, "timed_out": 0, "missing": 0}


def test_non_empty_foreign_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(TournamentFolderError, match=r"not empty"):
        run_tournament(config(), tmp_path, executor="serial")
    run_tournament(config(repetitions=1), tmp_path, executor="serial", overwrite=True)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_unseeded_tournament_stores_and_reuses_its_root_seed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_tournament(config(seed=None), out, executor="serial")
    seed = first.manifest["root_seed"]
    assert isinstance(seed, int)
    (out / "worlds" / "w000003.parquet").unlink()
    second = run_tournament(config(seed=None), out, executor="serial")
    assert second.manifest["root_seed"] == seed
    pd.testing.assert_frame_equal(first.scores(), second.scores())


def test_executor_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match=r"unknown executor 'threads'"):
        make_executor("threads")
    with pytest.raises(ValueError, match=r"only used by the 'ray' executor"):
        make_executor("process", address="ray://x:1")
    with pytest.raises(ValueError, match=r"workers must be an integer >= 1"):
        make_executor("process", workers=0)


def test_run_tournament_refuses_bad_executor_arguments_as_config_errors(tmp_path: Path) -> None:
    # docs/tournaments.md: run_tournament's own arguments are checked before
    # anything runs, each error a TournamentConfigError naming the argument.
    out = tmp_path / "out"
    for kwargs, message in (
        ({"executor": "threads"}, r"unknown executor 'threads'"),
        ({"executor": "serial", "workers": 0}, r"workers must be an integer >= 1 or None, got 0"),
        ({"executor": "process", "address": "ray://x:1"}, r"only used by the 'ray' executor"),
    ):
        with pytest.raises(TournamentConfigError, match=message):
            run_tournament(config(), out, **kwargs)  # type: ignore[arg-type]
    # An executor object carries its own workers: one given beside it was ignored.
    executor = make_executor("serial")
    with pytest.raises(TournamentConfigError, match=r"workers=3 is for a named executor"):
        run_tournament(config(), out, executor=executor, workers=3)
    with pytest.raises(TournamentConfigError, match=r"address='auto' is for a named executor"):
        run_tournament(config(), out, executor=executor, address="auto")
    assert not out.exists()


def test_a_time_budget_longer_than_the_os_timer_holds_means_no_alarm(tmp_path: Path) -> None:
    # The serial executor's setitimer() raised OverflowError for every world and
    # left its SIGALRM handler installed.
    before = signal.getsignal(signal.SIGALRM)
    results = run_tournament(config(time_budget=1e30), tmp_path / "out", executor="serial")
    assert results.counts()["done"] == 12 and signal.getsignal(signal.SIGALRM) is before


def test_reading_a_folder_without_tournament_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(TournamentFolderError, match=r"holds no tournament"):
        load_results(tmp_path)
    # Python's "expected str, bytes or os.PathLike object, not int" named nothing.
    with pytest.raises(TypeError, match=r"^root must be a str or a path .* got 5 \(int\)"):
        load_results(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^root must be a str or a path .* got None \(NoneType\)"):
        TournamentResults(None)  # type: ignore[arg-type]


def _capped_world(seed: int | None = None, cap: float = 1.0, **kwargs: float) -> toys.ToyWorld:
    """A toy world taking a parameter that may be infinite (as NegMAS's quotas are)."""
    return toys.ToyWorld(seed=seed, **kwargs)


def test_the_manifest_and_worlds_table_are_strict_json_with_infinite_parameters(
    tmp_path: Path,
) -> None:
    """``math.inf`` is a usual world parameter: written as text, never as the
    ``Infinity`` token other JSON readers refuse; the folder still resumes."""

    def refuse(token: str) -> object:
        raise ValueError(f"non-JSON token {token}")

    declared = config(
        world=_capped_world,
        world_params={"noise": 0.1, "cap": float("inf")},
        sweep={"n_steps": [2, 3]},
        repetitions=1,
    )
    results = run_tournament(declared, tmp_path / "out", executor="serial")
    assert results.counts()["done"] == 6
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(), parse_constant=refuse)
    assert "inf" in json.dumps(manifest)
    swept = config(
        world=_capped_world, sweep={"cap": [1.0, float("-inf")]}, repetitions=1, name="swept"
    )
    worlds = run_tournament(swept, tmp_path / "swept", executor="serial").worlds()
    cells = [json.loads(text, parse_constant=refuse) for text in worlds["sweep_params"]]
    assert {c["cap"] for c in cells} == {1.0, "-inf"}
    again = run_tournament(declared, tmp_path / "out", executor="serial")  # resumes: all done
    assert again.counts()["done"] == 6
    assert load_results(tmp_path / "out").counts()["done"] == 6


def _no_world(seed: int | None = None, **params: object) -> toys.ToyWorld:
    """A factory that forgot its ``return``."""
    toys.ToyWorld(seed=seed)
    return None  # type: ignore[return-value]


def _no_agent() -> toys.Strong:
    """A competitor factory that forgot its ``return``."""
    toys.Strong()
    return None  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("overrides", "shown"),
    [
        (
            {"world": _no_world},
            "world 'test_tournament_run:_no_world' made NoneType None, not a world (an "
            "object with join() and run())",
        ),
        (
            {"competitors": [toys.Strong, Competitor(_no_agent, name="forgetful")]},
            "competitor 'forgetful' made NoneType None, not an agent (an object with step())",
        ),
    ],
)
def test_a_factory_returning_nothing_is_named_in_the_failure(
    tmp_path: Path, overrides: dict[str, object], shown: str
) -> None:
    """Not "'NoneType' object has no attribute 'join'", which named neither."""
    results = run_tournament(
        config(repetitions=1, **overrides), tmp_path / "out", executor="serial"
    )
    worlds = results.worlds()
    assert set(worlds["status"]) == {FAILED}
    for error in worlds["error"]:
        assert shown in error, error[-300:]


def test_a_results_folder_under_a_file_is_named(tmp_path: Path) -> None:
    """Not a bare NotADirectoryError from making the folder."""
    (tmp_path / "notes.txt").write_text("mine")
    out = tmp_path / "notes.txt" / "results"
    with pytest.raises(TournamentFolderError, match=r"results cannot be a results folder: .*notes"):
        run_tournament(config(repetitions=1), out, executor="serial")
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_recording_a_world_that_emits_no_events_names_record(tmp_path: Path) -> None:
    """Not the recorder's "model must be a Mesa model, ...", which named no option."""
    results = run_tournament(
        config(repetitions=1), tmp_path / "out", executor="serial", record=True
    )
    worlds = results.worlds()
    assert set(worlds["status"]) == {FAILED}
    for error in worlds["error"]:
        assert "record=True (--record) needs a world that emits events" in error, error[-300:]
        assert "ToyWorld is none of them" in error
    assert not any((tmp_path / "out" / "recordings").glob("*/*"))


def test_a_statistic_past_the_float_range_is_kept_as_text_not_a_failed_world(
    tmp_path: Path,
) -> None:
    # float(10**400) raised OverflowError after the world had run and been
    # scored, so every world failed with that traceback and no score.
    results = run_tournament(
        config(world=toys.HugeStatWorld, repetitions=1),
        tmp_path / "out",
        executor="serial",
        progress=False,
    )
    assert set(results.worlds()["status"]) == {DONE}
    stats = results.stats()
    huge = stats[stats["stat"].isin(["ways", "tiny"])]
    assert len(huge) == 2 * 3 and huge["value"].isna().all()
    assert set(huge["text"]) == {str(10**400), str(-(10**400))}


def test_stats_that_are_no_mapping_fail_the_world_saying_so_and_a_frame_is_read(
    tmp_path: Path,
) -> None:
    # They gave no statistics, silently: read as a world that kept none.
    def run(world: type) -> Any:
        return run_tournament(
            config(world=world, repetitions=1), tmp_path / world.__name__, executor="serial",
            progress=False,
        )  # fmt: skip

    failed = run(toys.ListStatsWorld).worlds()
    assert set(failed["status"]) == {"failed"}
    assert all("world.stats must be a mapping" in e for e in failed["error"])
    framed, plain = run(toys.FrameStatsWorld).stats(), run(toys.ToyWorld).stats()
    assert len(framed) == len(plain) > 0

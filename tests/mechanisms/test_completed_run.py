"""CompletedRun: loading NegMAS's layout back, telling a saved history's format, converting."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from test_mechanism_save import Walker, walkers

from palaver._util.warning_types import NegmasIOWarning
from palaver.mechanisms import CompletedRun, SAOMechanism
from palaver.mechanisms.full_trace import TraceElement
from palaver.outcomes import Outcome, OutcomeSpace, make_issue
from palaver.preferences import LinearUtilityFunction, UtilityFunction
from palaver.scenarios import Scenario
from palaver.scenarios.optimality import OutcomeOptimality
from palaver.serialization import dump, load

pytest.importorskip("yaml")  # the layout's .yaml files need PyYAML

FORMATS = ["csv", "gzip", "parquet"]


def offers(run: CompletedRun) -> list[tuple[object, object, object]]:
    return [(r["step"], r["negotiator"], r["offer"]) for r in run.history]


@pytest.mark.parametrize("fmt", FORMATS)
def test_folder_round_trip_gives_back_everything_saved(tmp_path: Path, fmt: str) -> None:
    m = walkers()
    stats = OutcomeOptimality(0.5, 0.25, 0.125, 0.75, 1.0)
    run = m.to_completed_run(source="full_trace", metadata={"v": 1}, agreement_stats=stats)
    loaded = CompletedRun.load(run.save(tmp_path, "run", storage_format=fmt))  # type: ignore[arg-type]
    assert loaded.history_type == "full_trace"
    assert offers(loaded) == m.extended_trace  # offers are tuples again
    assert [r["state"] for r in loaded.history] == [e.state for e in m.full_trace]
    assert loaded.agreement == [3]  # as YAML keeps it (NegMAS's too)
    assert loaded.config == run.config and loaded.metadata == {"v": 1}
    assert loaded.agreement_stats is not None
    assert loaded.agreement_stats.pareto_optimality == 0.5
    assert math.isnan(loaded.agreement_stats.ks_optimality)  # nan survives YAML
    assert loaded.outcome_stats["utilities"] == [3.0, 7.0]
    assert loaded.scenario is not None
    assert [u((4,)) for u in loaded.scenario.ufuns] == [4.0, 6.0]


def test_single_file_gives_the_history_and_the_ids_in_order_of_first_offer(
    tmp_path: Path,
) -> None:
    m = SAOMechanism(outcomes=[(i,) for i in range(11)], n_steps=20)
    m.add(Walker(name="b", ufun=LinearUtilityFunction([-1.0], bias=10.0)))
    m.add(Walker(name="s", ufun=LinearUtilityFunction([1.0])))
    m.run()
    path = m.to_completed_run(source="full_trace").save(tmp_path, "one", single_file=True)
    loaded = CompletedRun.load(path)
    assert loaded.history_type == "full_trace" and offers(loaded) == m.extended_trace
    assert loaded.config == {"negotiator_ids": ["b", "s"], "negotiator_names": ["b", "s"]}
    assert loaded.scenario is None and loaded.agreement is None and loaded.outcome_stats == {}


def test_history_rows_name_no_negotiator(tmp_path: Path) -> None:
    m = walkers()
    path = m.to_completed_run(source="history").save(tmp_path, "h", single_file=True)
    loaded = CompletedRun.load(path)
    assert loaded.history_type == "history" and loaded.config == {}
    assert [(r["step"], r["current_proposer"], r["current_offer"]) for r in loaded.history] == [
        tuple(e) for e in m.history
    ]


def test_without_config_yaml_the_ids_come_from_the_trace(tmp_path: Path) -> None:
    m = walkers()
    folder = m.save(tmp_path, "run", source="extended_trace")
    (folder / "config.yaml").unlink()
    loaded = CompletedRun.load(folder)
    assert loaded.config == {"negotiator_ids": ["s", "b"], "negotiator_names": ["s", "b"]}


def test_agreement_is_read_from_outcome_stats_when_run_info_lacks_it(tmp_path: Path) -> None:
    folder = walkers().save(tmp_path, "run")
    info = load(folder / "run_info.yaml")
    del info["agreement"]
    dump(info, folder / "run_info.yaml")
    assert CompletedRun.load(folder).agreement == [3]


def test_missing_paths_are_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        CompletedRun.load(tmp_path / "nothing")
    with pytest.raises(FileNotFoundError):
        CompletedRun.infer_source(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="No trace file"):
        CompletedRun.load(tmp_path / "empty")
    assert CompletedRun.infer_source(tmp_path / "empty") == "history"


@pytest.mark.parametrize(
    "source", ["full_trace_with_utils", "full_trace", "extended_trace", "trace", "history"]
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_infer_source_from_folder_file_and_folder_without_run_info(
    tmp_path: Path, source: str, fmt: str
) -> None:
    run = walkers().to_completed_run(source=source)
    folder = run.save(tmp_path, "dir", storage_format=fmt)  # type: ignore[arg-type]
    file = run.save(tmp_path, "file", single_file=True, storage_format=fmt)  # type: ignore[arg-type]
    assert CompletedRun.infer_source(folder) == source
    assert CompletedRun.infer_source(file) == source
    (folder / "run_info.yaml").unlink()
    assert CompletedRun.infer_source(folder) == source
    assert CompletedRun.load(folder).history_type == source


def test_convert_to_less_detailed_formats_is_the_mechanisms_own_view() -> None:
    m = walkers()
    run = m.to_completed_run()
    assert run.convert("full_trace").history == m.full_trace
    assert run.convert("extended_trace").history == m.extended_trace
    assert run.convert("trace").history == m.trace
    assert run.convert("history").history == [
        {"step": e.step, "time": e.time, "relative_time": e.relative_time} for e in m.full_trace
    ]


def test_convert_to_more_detailed_formats_fills_none_and_rates_offers() -> None:
    m = walkers()
    run = m.to_completed_run(source="trace")
    full = run.convert("full_trace")
    assert full.history == [
        TraceElement(None, None, None, nid, o, None, None, None, None)  # type: ignore[arg-type]
        for nid, o in m.trace
    ]
    rated = run.convert("full_trace_with_utils")
    assert [row[-2:] for row in rated.history] == [(o[0], 10.0 - o[0]) for _, o in m.trace]
    other = Scenario(m.outcome_space, [LinearUtilityFunction([2.0])])
    assert [row[9:] for row in run.convert("full_trace_with_utils", other).history] == [
        (2.0 * o[0],) for _, o in m.trace
    ]
    assert rated.scenario is run.scenario  # the run's own, not the rating one


def test_convert_keeps_a_history_entirely_through_a_round_trip() -> None:
    m = walkers()
    run = m.to_completed_run(source="history")
    back = run.convert("full_trace").convert("history")
    assert back.history == [
        {"step": e.step, "current_proposer": e.current_proposer, "current_offer": e.current_offer}
        for e in m.history
    ]


def test_convert_refusals_and_copies() -> None:
    run = walkers().to_completed_run(source="full_trace")
    with pytest.raises(ValueError, match="Invalid target format"):
        run.convert("fulltrace")
    bare = CompletedRun(run.history, run.history_type, None, run.agreement, None)
    with pytest.raises(ValueError, match="Cannot convert to full_trace_with_utils"):
        bare.convert("full_trace_with_utils")
    same = run.convert("full_trace")
    assert same == run and same is not run and same.history is not run.history
    assert same.config is not run.config


class Rising(UtilityFunction):
    """A custom ufun: Palaver JSON cannot hold it on a continuous space."""

    def eval(self, offer: Outcome) -> float:
        return float(offer[0])


def test_a_scenario_that_cannot_be_written_leaves_its_outcome_space(tmp_path: Path) -> None:
    space = OutcomeSpace([make_issue((0.0, 1.0), "x")])
    run = CompletedRun([("a", (0.5,))], "trace", Scenario(space, [Rising()]), None, None)
    folder = run.save(tmp_path, "run", save_scenario_stats=True)
    assert [p.name for p in (folder / "scenario").iterdir()] == ["outcome_space.yaml"]
    assert load(folder / "scenario" / "outcome_space.yaml") == {"outcome_space": str(space)}
    loaded = CompletedRun.load(folder)
    assert loaded.scenario is None and loaded.history == [{"negotiator": "a", "offer": (0.5,)}]


def test_a_trace_parquet_cannot_hold_is_saved_and_loaded_as_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.sleep", lambda _: None)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("no parquet here")

    monkeypatch.setattr(pq, "write_table", refuse)
    m = walkers()
    run = m.to_completed_run(source="trace")
    with pytest.warns(NegmasIOWarning, match="Falling back"):
        file = run.save(tmp_path, "one", single_file=True)
    assert file == tmp_path / "one.csv"
    with pytest.warns(NegmasIOWarning, match="Falling back"):
        folder = run.save(tmp_path, "dir")
    assert (folder / "trace.csv").exists() and not (folder / "trace.parquet").exists()
    assert [(r["negotiator"], r["offer"]) for r in CompletedRun.load(folder).history] == m.trace

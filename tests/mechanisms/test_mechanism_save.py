"""Mechanism.save and to_completed_run: NegMAS's layout of a saved negotiation."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from palaver._util.warning_types import NegmasIOWarning
from palaver.mechanisms import (
    CompletedRun,
    Mechanism,
    MechanismState,
    MechanismStepResult,
    ResponseType,
    SAOMechanism,
    VetoSTMechanism,
)
from palaver.negotiators import BinaryComparatorNegotiator, SAONegotiator
from palaver.outcomes import Outcome, make_issue
from palaver.preferences import LinearUtilityFunction
from palaver.scenarios import calc_outcome_distances, calc_outcome_optimality, estimate_max_dist
from palaver.scenarios.optimality import OutcomeOptimality
from palaver.serialization import load
from palaver.tables import load_table

yaml = pytest.importorskip("yaml")  # the layout's .yaml files need PyYAML


class Walker(SAONegotiator):
    """Offers its outcomes best first, one per round; accepts from 7."""

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        assert self.nmi is not None and self.ufun is not None
        ranked = sorted(self.nmi.outcome_space.enumerate(), key=lambda o: -self.ufun(o))
        return ranked[min(state.step, len(ranked) - 1)]

    def respond(self, state: MechanismState, source: str | None = None) -> ResponseType:
        assert self.ufun is not None
        offer = getattr(state, "current_offer")  # noqa: B009 (SAO's state)
        return ResponseType.ACCEPT_OFFER if self.ufun(offer) >= 7 else ResponseType.REJECT_OFFER


def walkers(n_steps: int = 20) -> SAOMechanism:
    """Agrees on (3,) after 15 offers (s offers first)."""
    m = SAOMechanism(issues=[make_issue(11, "price")], n_steps=n_steps)
    m.add(Walker(name="s", ufun=LinearUtilityFunction([1.0])))
    m.add(Walker(name="b", ufun=LinearUtilityFunction([-1.0], bias=10.0)))
    m.run()
    return m


def test_to_completed_run_takes_the_most_detailed_history_and_describes_the_end() -> None:
    m = walkers()
    run = m.to_completed_run(metadata={"experiment": "x"})
    assert run.history_type == "full_trace_with_utils"
    assert run.history == m.full_trace_with_utils
    assert run.agreement == (3,) and run.agreement_stats is None
    assert run.outcome_stats == {
        "agreement": (3,),
        "broken": False,
        "timedout": False,
        "has_error": False,
        "error_details": "",
        "utilities": [3.0, 7.0],
    }
    assert run.config["mechanism_type"] == "SAOMechanism"
    assert run.config["n_negotiators"] == 2
    assert run.config["negotiator_ids"] == run.config["negotiator_names"] == ["s", "b"]
    assert run.config["final_step"] == m.current_step and run.config["n_steps"] == 20
    assert run.metadata == {"experiment": "x"}
    assert run.scenario is not None and len(run.scenario.ufuns) == 2
    assert run.scenario.ufuns[1]((3,)) == 7.0


@pytest.mark.parametrize("source", ["full_trace", "extended_trace", "trace", "history"])
def test_each_source_is_the_mechanisms_view_of_that_name(source: str) -> None:
    m = walkers()
    run = m.to_completed_run(source=source)
    assert run.history_type == source
    assert run.history == list(getattr(m, source))


def test_unknown_source_is_refused() -> None:
    with pytest.raises(ValueError, match="full_trace"):
        walkers().to_completed_run(source="fulltrace")


def test_calc_agreement_stats_grades_the_agreement_against_the_scenario() -> None:
    m = walkers()
    run = m.to_completed_run(calc_agreement_stats=True)
    assert run.scenario is not None
    ufuns = list(run.scenario.ufuns)
    stats = run.scenario.calc_stats()
    expected = calc_outcome_optimality(
        calc_outcome_distances((3.0, 7.0), stats), stats, estimate_max_dist(ufuns)
    )
    assert run.agreement_stats == expected


def test_save_writes_negmas_folder_layout(tmp_path: Path) -> None:
    m = walkers()
    stats = OutcomeOptimality(0.5, 0.25, 0.125, 0.75, 1.0, 0.0, 0.5)
    folder = m.save(
        tmp_path,
        "run",
        storage_format="csv",
        metadata={"v": 1},
        agreement_stats=stats,
        save_scenario_stats=True,
    )
    assert folder == tmp_path / "run"
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
    assert names == {
        "trace.csv",
        "run_info.yaml",
        "outcome_stats.yaml",
        "config.yaml",
        "metadata.yaml",
        "scenario",
        "scenario/scenario.json",
        "scenario/_stats.yaml",
    }
    assert load(folder / "run_info.yaml") == {
        "history_type": "full_trace_with_utils",
        "agreement": [3],
        "storage_format": "csv",
    }
    outcome = load(folder / "outcome_stats.yaml")
    assert outcome["utilities"] == [3.0, 7.0] and outcome["agreement"] == [3]
    assert outcome["pareto_optimality"] == 0.5 and outcome["modified_ks_optimality"] == 0.5
    assert load(folder / "metadata.yaml") == {"v": 1}
    assert load(folder / "config.yaml")["negotiator_ids"] == ["s", "b"]
    rows = load_table(folder / "trace.csv", as_dataframe=False)
    header = ["time", "relative_time", "step", "negotiator", "offer", "responses", "state"]
    assert list(rows[0]) == [*header, "text", "data", "s", "b"]
    assert [(r["step"], r["negotiator"], r["s"], r["b"]) for r in rows] == [
        (step, nid, float(o[0]), 10.0 - o[0]) for step, nid, o in m.extended_trace
    ]


@pytest.mark.parametrize(
    ("fmt", "file_name"),
    [("csv", "run.csv"), ("gzip", "run.csv.gz"), ("parquet", "run.parquet"), (None, "run.parquet")],
)
def test_single_file_is_the_trace_alone(tmp_path: Path, fmt: str | None, file_name: str) -> None:
    m = walkers()
    path = m.save(tmp_path, "run", single_file=True, source="trace", storage_format=fmt)  # type: ignore[arg-type]
    assert path == tmp_path / file_name and [p.name for p in tmp_path.iterdir()] == [file_name]
    rows = load_table(path, as_dataframe=False)
    assert [(r["negotiator"], r["offer"]) for r in rows] == [(n, str(o)) for n, o in m.trace]


def test_overwrite_false_keeps_what_is_there_and_warns(tmp_path: Path) -> None:
    m = walkers()
    first = m.save(tmp_path, "run", single_file=True, storage_format="csv", source="trace")
    before = first.read_bytes()
    with pytest.warns(NegmasIOWarning, match="already exists"):
        again = m.save(tmp_path, "run", single_file=True, storage_format="csv", overwrite=False)
    assert again == first and first.read_bytes() == before
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m.save(tmp_path, "run", single_file=True, storage_format="csv", warn_if_existing=False)
    assert first.read_bytes() != before  # overwritten with the full trace


def test_per_negotiator_is_deprecated_and_writes_nothing_more(tmp_path: Path) -> None:
    m = walkers()
    with pytest.warns(DeprecationWarning, match="per_negotiator"):
        folder = m.save(tmp_path, "run", per_negotiator=True)
    assert not (folder / "negotiator_behavior").exists()
    assert {p.name for p in folder.iterdir()} == {
        "trace.parquet",
        "run_info.yaml",
        "outcome_stats.yaml",
        "config.yaml",
        "scenario",
    }


def test_unknown_storage_format_is_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="storage_format"):
        walkers().save(tmp_path, "run", storage_format="xlsx")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_without_ufuns_there_is_no_scenario_and_no_utilities(tmp_path: Path) -> None:
    m = SAOMechanism(outcomes=[(i,) for i in range(5)], n_steps=3)
    m.add(Walker(name="a", ufun=LinearUtilityFunction([1.0])))
    m.add(Walker(name="b"))
    run = m.to_completed_run()
    assert run.scenario is not None and len(run.scenario.ufuns) == 1  # the one there is
    m2 = SAOMechanism(outcomes=[(i,) for i in range(5)], n_steps=3)
    run2 = m2.to_completed_run(calc_agreement_stats=True)
    assert run2.scenario is None and run2.agreement_stats is None
    assert run2.outcome_stats["utilities"] == []
    folder = run2.save(tmp_path, "empty", storage_format="csv")
    assert not (folder / "scenario").exists()
    assert CompletedRun.load(folder).history == []


def test_a_mechanism_without_full_trace_saves_its_extended_trace(tmp_path: Path) -> None:
    m = VetoSTMechanism(issues=[make_issue(5, "x")], n_steps=4, initial_outcome=(2,))
    m.add(BinaryComparatorNegotiator(name="a", ufun=LinearUtilityFunction([1.0])))
    m.add(BinaryComparatorNegotiator(name="b", ufun=LinearUtilityFunction([1.0])))
    m.run()
    assert m.available_save_sources() == ["history", "extended_trace", "trace"]
    run = m.to_completed_run()
    assert run.history_type == "extended_trace" and run.history == m.extended_trace
    assert m.to_completed_run(source="full_trace").history_type == "history"  # as NegMAS
    loaded = CompletedRun.load(m.save(tmp_path, "st", single_file=True))
    assert loaded.history_type == "extended_trace"
    assert [(r["step"], r["negotiator"], r["offer"]) for r in loaded.history] == m.extended_trace
    assert "negotiator_ids" not in loaded.config  # the mediator's proposals name nobody


class Ticker(Mechanism):
    """NegMAS-style: agrees on (3,) in its third round, offering nothing."""

    def __call__(self, state: MechanismState, action: Any = None) -> MechanismStepResult:
        if state.step >= 2:
            state.agreement = (3,)
        return MechanismStepResult(state)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_negmas_style_mechanism_saves_its_states(tmp_path: Path, fmt: str) -> None:
    m = Ticker(outcomes=10, n_steps=10)
    m.add(BinaryComparatorNegotiator(name="a", ufun=LinearUtilityFunction([1.0])))
    m.add(BinaryComparatorNegotiator(name="b", ufun=LinearUtilityFunction([1.0])))
    m.run()
    assert m.available_save_sources() == ["history"]
    run = m.to_completed_run(source="trace")  # NegMAS's base mechanism has no trace either
    assert run.history_type == "history" and run.history == m.history
    loaded = CompletedRun.load(m.save(tmp_path, "t", storage_format=fmt))  # type: ignore[arg-type]
    assert loaded.history_type == "history"
    assert [(r["step"], r["running"]) for r in loaded.history] == [(0, True), (1, True), (2, False)]
    assert loaded.config["negotiator_ids"] == ["a", "b"]  # from config.yaml

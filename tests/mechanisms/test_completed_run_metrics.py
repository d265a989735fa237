"""A CompletedRun's FullMetrics: computed from its history, saved and loaded back."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from palaver.mechanisms import CompletedRun, FullMetrics
from palaver.negmas import (
    AspirationNegotiator,
    LinearAdditiveUtilityFunction,
    SAOMechanism,
    Scenario,
    make_issue,
    make_os,
)

pytest.importorskip("yaml")


def _mechanism() -> SAOMechanism:
    space = make_os([make_issue(6, "x"), make_issue(3, "y")])
    u0 = LinearAdditiveUtilityFunction(
        values={"x": lambda x: x / 5, "y": lambda y: y / 2},
        weights={"x": 0.7, "y": 0.3},
        outcome_space=space,
        reserved_value=0.2,
    )
    u1 = LinearAdditiveUtilityFunction(
        values={"x": lambda x: 1 - x / 5, "y": lambda y: y / 2},
        weights={"x": 0.6, "y": 0.4},
        outcome_space=space,
        reserved_value=0.1,
    )
    sc = Scenario(outcome_space=space, ufuns=(u0, u1))
    m = SAOMechanism(outcome_space=sc.outcome_space, n_steps=30)
    for u in sc.ufuns:
        m.add(AspirationNegotiator(), ufun=u)
    m.run()
    return m


def flat(fm: FullMetrics) -> dict[str, float]:
    return fm.to_dict()


def test_eager_lazy_and_mechanism_metrics_agree() -> None:
    m = _mechanism()
    assert m.agreement is not None
    live = m.calc_full_metrics()
    eager = m.to_completed_run(calc_metrics=True)
    assert eager.full_metrics is not None
    assert flat(eager.full_metrics) == pytest.approx(flat(live), nan_ok=True)
    # the agreement's scores come with the metrics when not asked for separately
    assert eager.agreement_stats == eager.full_metrics.optimality
    lazy = m.to_completed_run()
    assert lazy.full_metrics is None
    computed = lazy.calc_full_metrics()
    assert lazy.full_metrics is computed
    assert flat(computed) == pytest.approx(flat(live), nan_ok=True)
    kept = m.to_completed_run()
    kept.calc_full_metrics(store=False)
    assert kept.full_metrics is None


def test_every_history_format_gives_the_same_metrics() -> None:
    m = _mechanism()
    live = flat(m.calc_full_metrics())
    for source in ("full_trace", "extended_trace", "trace"):
        run = m.to_completed_run(source=source)
        assert flat(run.calc_full_metrics()) == pytest.approx(live, nan_ok=True), source


def test_saved_metrics_load_back_and_recompute(tmp_path: Path) -> None:
    m = _mechanism()
    run = m.to_completed_run(calc_metrics=True)
    assert run.full_metrics is not None
    folder = run.save(tmp_path, "run")
    assert (folder / "session_metrics.yaml").exists()
    loaded = CompletedRun.load(folder)
    assert loaded.full_metrics is not None
    assert flat(loaded.full_metrics) == pytest.approx(flat(run.full_metrics), nan_ok=True)
    # recomputed from the loaded scenario and history (the agreement is a YAML list)
    again = loaded.calc_full_metrics()
    assert flat(again) == pytest.approx(flat(run.full_metrics), nan_ok=True)
    assert CompletedRun.load(folder, load_metrics=False).full_metrics is None


def test_metrics_not_saved_when_asked_not_to(tmp_path: Path) -> None:
    run = _mechanism().to_completed_run(calc_metrics=True)
    folder = run.save(tmp_path, "run", save_metrics=False)
    loaded = CompletedRun.load(folder)
    assert loaded.full_metrics is None
    assert isinstance(loaded.calc_full_metrics(), FullMetrics)


def test_a_metrics_file_of_other_fields_is_refused(tmp_path: Path) -> None:
    run = _mechanism().to_completed_run(calc_metrics=True)
    folder = run.save(tmp_path, "run")
    (folder / "session_metrics.yaml").write_text("not_a_metric: 1.0\n")
    with pytest.raises(ValueError, match="do not match"):
        CompletedRun.load(folder)


def test_a_run_without_scenario_has_no_metrics() -> None:
    run = CompletedRun(
        history=[], history_type="trace", scenario=None, agreement=None, agreement_stats=None
    )
    with pytest.raises(ValueError, match="no scenario"):
        run.calc_full_metrics()


def test_saved_negotiator_records_keep_every_field(tmp_path: Path) -> None:
    run = _mechanism().to_completed_run(calc_metrics=True)
    assert run.full_metrics is not None
    loaded = CompletedRun.load(run.save(tmp_path, "run"))
    assert loaded.full_metrics is not None
    assert len(loaded.full_metrics.negotiators) == 2
    names = {f.name for f in attrs.fields(type(loaded.full_metrics.negotiators[0]))}
    assert set(attrs.asdict(loaded.full_metrics.negotiators[1])) == names

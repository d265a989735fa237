"""Scenario.update() as NegMAS's (signature, defaults) and dumpas(save_plot=True)
drawing each figure once (review of session 20)."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from palaver._util import plotters
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.report.negmas_scenario import plot_scenario
from palaver.scenarios import STATS_FILE_NAME, Scenario, ScenarioError


def _scenario(n: int = 2) -> Scenario:
    space = make_os([make_issue(6, "a"), make_issue(4, "b")])
    ufuns = tuple(
        LinearAdditiveUtilityFunction.random(space, name=f"p{k}", seed=k) for k in range(n)
    )
    return Scenario(outcome_space=space, ufuns=ufuns, name="deal", info={"from": "me"})


def _loaded(folder: Path, n: int = 2) -> Scenario:
    _scenario(n).dumpas(folder)
    return Scenario.load(folder)


def test_update_has_negmas_parameters_in_its_order_with_its_defaults() -> None:
    # NegMAS: update(compact=False, save_stats=True, save_info=True, save_plot=False,
    # include_pareto_frontier=True, include_pareto_utils=None,
    # include_pareto_outcomes=None, plot_extension=None, plot_kwargs=None).
    params = inspect.signature(Scenario.update).parameters
    assert [(p.name, p.default) for p in list(params.values())[1:]] == [
        ("compact", False),
        ("save_stats", True),
        ("save_info", True),
        ("save_plot", False),
        ("include_pareto_frontier", True),
        ("include_pareto_utils", None),
        ("include_pareto_outcomes", None),
        ("plot_extension", None),
        ("plot_kwargs", None),
    ]


def test_update_writes_the_statistics_by_default(tmp_path: Path) -> None:
    loaded = _loaded(tmp_path / "s")
    assert not (tmp_path / "s" / STATS_FILE_NAME).exists()
    assert loaded.update() is True
    stats = json.loads((tmp_path / "s" / STATS_FILE_NAME).read_text())
    assert stats["n_outcomes"] == 24 and stats["pareto_utils"]
    (tmp_path / "s" / STATS_FILE_NAME).unlink()
    assert loaded.update(save_stats=False) is True
    assert not (tmp_path / "s" / STATS_FILE_NAME).exists()


@pytest.mark.parametrize("kind", ["json", "xml"])
def test_update_can_leave_the_info_out(tmp_path: Path, kind: str) -> None:
    _scenario().dumpas(tmp_path / "s", kind)
    loaded = Scenario.load(tmp_path / "s")
    loaded.info = {"from": "me"}
    loaded.update(save_info=False, compact=True)
    assert Scenario.load(tmp_path / "s").info == {}
    assert loaded.info == {"from": "me"}
    loaded.update()
    assert Scenario.load(tmp_path / "s").info == {"from": "me"}


def test_the_frontier_utilities_and_outcomes_are_chosen_apart(tmp_path: Path) -> None:
    loaded = _loaded(tmp_path / "s")
    stats_file = tmp_path / "s" / STATS_FILE_NAME
    loaded.update(include_pareto_frontier=False, include_pareto_utils=True)
    stats = json.loads(stats_file.read_text())
    assert stats["pareto_utils"] and stats["pareto_outcomes"] == []
    loaded.update(include_pareto_outcomes=False)
    stats = json.loads(stats_file.read_text())
    assert stats["pareto_utils"] and stats["pareto_outcomes"] == []
    _scenario().dumpas(tmp_path / "d", save_stats=True, include_pareto_utils=False)
    stats = json.loads((tmp_path / "d" / STATS_FILE_NAME).read_text())
    assert stats["pareto_utils"] == [] and stats["pareto_outcomes"]
    with pytest.raises(ScenarioError, match="update: include_pareto_utils must be True or False"):
        loaded.update(include_pareto_utils="no")  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match="update: compact must be True or False, got 1"):
        loaded.update(compact=1)  # type: ignore[arg-type]


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every figure the scenario plotter draws (a counting wrapper of the real one)."""
    calls: list[Any] = []

    def counting(scenario: Any, **options: Any) -> Any:
        calls.append(options.get("ufun_indices"))
        return plot_scenario(scenario, **options)

    monkeypatch.setitem(plotters._plotters, "scenario", counting)
    yield calls


@pytest.mark.parametrize("n", [2, 3])
def test_dumpas_draws_each_figure_once(tmp_path: Path, n: int, draws: list[Any]) -> None:
    # Each figure was drawn twice: once to check the keywords, once to save it.
    _scenario(n).dumpas(tmp_path / "s", save_plot=True, plot_extension="png")
    expected = [(0, 1)] if n == 2 else [(0, 1), (1, 2), (2, 0)]
    assert draws == expected
    pngs = sorted(p.relative_to(tmp_path / "s").as_posix() for p in tmp_path.rglob("*.png"))
    assert pngs == (
        ["_plot.png"] if n == 2 else ["_plots/p0-p1.png", "_plots/p1-p2.png", "_plots/p2-p0.png"]
    )
    draws.clear()
    Scenario.load(tmp_path / "s").update(save_plot=True, plot_extension="svg")
    assert draws == expected


def test_a_figure_failing_after_the_first_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[Any] = []

    def failing_third(scenario: Any, **options: Any) -> Any:
        if len(drawn) == 2:
            raise ValueError("cannot draw this pair")
        drawn.append(options["ufun_indices"])
        return plot_scenario(scenario, **options)

    monkeypatch.setitem(plotters._plotters, "scenario", failing_third)
    with pytest.raises(ValueError, match="cannot draw this pair"):
        _scenario(3).dumpas(tmp_path / "s", save_plot=True, save_stats=True)
    assert not (tmp_path / "s").exists()

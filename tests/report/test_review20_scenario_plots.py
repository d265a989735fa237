"""dumpas()/update() plot options checked before any file is written (review of session 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.scenarios import Scenario, ScenarioError


def _scenario() -> Scenario:
    space = make_os([make_issue(6, "a"), make_issue(4, "b")])
    ufuns = tuple(
        LinearAdditiveUtilityFunction.random(space, name=f"p{k}", seed=k) for k in range(2)
    )
    return Scenario(outcome_space=space, ufuns=ufuns, name="deal")


@pytest.mark.parametrize("kind", ["json", "xml", "geniusweb"])
def test_dumpas_with_a_bad_plot_extension_writes_nothing(tmp_path: Path, kind: str) -> None:
    with pytest.raises(ScenarioError, match=r"dumpas: plot_extension must be one of .*'gif'"):
        _scenario().dumpas(tmp_path / "out", kind, save_plot=True, plot_extension="gif")
    assert not (tmp_path / "out").exists()


def test_update_checks_its_options_before_rewriting_the_file(tmp_path: Path) -> None:
    _scenario().dumpas(tmp_path)
    loaded = Scenario.load(tmp_path / "deal.json")
    loaded.name = "changed"
    bad: list[dict[str, object]] = [
        {"save_plot": True, "plot_extension": "gif"},
        {"save_plot": True, "plot_kwargs": [("fast", True)]},
        {"save_stats": True, "include_pareto_frontier": "no"},
    ]
    for options in bad:
        with pytest.raises(ScenarioError, match=f"update: {next(reversed(options))}"):
            loaded.update(**options)  # type: ignore[arg-type]
    assert Scenario.load(tmp_path / "deal.json").name == "deal"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deal.json"]


@pytest.mark.parametrize("indices", [(0.5, 1), (1.0, 0), (0, 1, 2), "01"])
def test_ufun_indices_that_are_not_a_pair_of_ints_are_named(indices: object) -> None:
    # A float failed as "list indices must be integers", a triple as "too many
    # values to unpack", neither naming the argument.
    with pytest.raises(TypeError, match=r"ufun_indices must be None or a pair of ints"):
        _scenario().plot(ufun_indices=indices)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["json", "xml"])
def test_update_refuses_a_source_that_no_longer_exists(tmp_path: Path, kind: str) -> None:
    # A removed source folder made update() write <name>.json into its parent.
    _scenario().dumpas(tmp_path / "scen", kind)
    loaded = Scenario.load(tmp_path / "scen")
    for p in sorted((tmp_path / "scen").iterdir()):
        p.unlink()
    (tmp_path / "scen").rmdir()
    with pytest.raises(FileNotFoundError, match=r"update: the scenario's source .*scen.* no"):
        loaded.update()
    assert list(tmp_path.iterdir()) == []


def test_a_large_space_is_sampled_the_same_way_every_time() -> None:
    # Past 10,000 outcomes the figure samples them; unseeded, each call drew
    # other outcomes (and another frontier, other distances).
    from palaver.report.negmas_scenario import plot_scenario

    space = make_os([make_issue(200, "a"), make_issue(60, "b")])
    ufuns = tuple(
        LinearAdditiveUtilityFunction.random(space, name=f"p{k}", seed=k) for k in range(2)
    )
    scenario = Scenario(outcome_space=space, ufuns=ufuns, name="big")

    def drawn() -> list[list[float]]:
        figure = plot_scenario(scenario, fast=True, mark_all_outcomes=True)
        (outcomes,) = [c for c in figure.axes[0].collections if c.get_label() == "Outcomes"]
        return outcomes.get_offsets().tolist()  # type: ignore[no-any-return]

    first = drawn()
    assert len(first) == 10_000 and drawn() == first

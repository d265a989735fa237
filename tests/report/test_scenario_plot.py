"""NegMAS's Scenario.plot() and Scenario.save_plots(), drawn by the report layer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.report.negmas_scenario import plot_scenario, save_scenario_plots
from palaver.scenarios import Scenario


def _scenario(n: int = 2) -> Scenario:
    space = make_os([make_issue(6, "a"), make_issue(4, "b")])
    ufuns = [
        LinearAdditiveUtilityFunction.random(space, reserved_value=0.1 * k, name=f"p{k}")
        for k in range(n)
    ]
    return Scenario(outcome_space=space, ufuns=tuple(ufuns))


def _labels(figure: Figure) -> list[str]:
    return [t.get_text() for legend in figure.legends for t in legend.get_texts()]


def test_the_outcomes_are_drawn_in_the_pairs_utilities() -> None:
    scenario = _scenario(3)
    figure = plot_scenario(scenario, ufun_indices=(2, 0))
    (axes,) = figure.axes
    assert (axes.get_xlabel(), axes.get_ylabel()) == ("p2 utility", "p0 utility")
    outcomes = list(scenario.outcome_space.enumerate())
    (drawn,) = [c for c in axes.collections if c.get_label() == "Outcomes"]
    expected = [[scenario.ufuns[2](o), scenario.ufuns[0](o)] for o in outcomes]
    np.testing.assert_allclose(drawn.get_offsets(), expected)
    assert {"Pareto", "Nash Point", "Kalai Point"} <= set(_labels(figure))
    assert not "".join(t.get_text() for t in axes.texts)  # no run: nothing to annotate
    bare = plot_scenario(scenario, mark_pareto_points=False, mark_nash_points=False)
    assert "Pareto" not in _labels(bare) and "Nash Point" not in _labels(bare)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"ufun_indices": (1, 1)}, ValueError, r"same utility function twice"),
        ({"ufun_indices": (0, 4)}, IndexError, r"Invalid ufun_indices \(0, 4\)"),
        ({"backend": "plotly"}, ValueError, r"Invalid backend 'plotly'"),
        ({"xdim": "step"}, TypeError, r"unexpected keyword argument\(s\) \['xdim'\]"),
        ({"colors": ["nope"]}, ValueError, r"colors\[0\] holds 'nope'"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, object], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        plot_scenario(_scenario(3), **kwargs)  # type: ignore[arg-type]


def test_one_utility_function_cannot_be_drawn(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="with 1 utility function"):
        plot_scenario(_scenario(1))
    with pytest.raises(ValueError, match="with 1 utility function"):
        save_scenario_plots(_scenario(1), tmp_path)


def test_save_plots_writes_negmas_files(tmp_path: Path) -> None:
    assert save_scenario_plots(_scenario(2), tmp_path / "two", ext="png") == [
        tmp_path / "two" / "_plot.png"
    ]
    assert (tmp_path / "two" / "_plot.png").read_bytes().startswith(b"\x89PNG")
    written = save_scenario_plots(_scenario(3), tmp_path / "three")
    names = sorted(p.relative_to(tmp_path / "three").as_posix() for p in written)
    assert names == ["_plots/p0-p1.webp", "_plots/p1-p2.webp", "_plots/p2-p0.webp"]
    assert all(p.read_bytes().startswith(b"RIFF") for p in written)


def test_a_bad_extension_or_keyword_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"ext must be one of"):
        save_scenario_plots(_scenario(3), tmp_path, ext="gif")
    with pytest.raises(TypeError, match="unexpected keyword"):
        save_scenario_plots(_scenario(3), tmp_path, xdim="step")
    assert not list(tmp_path.iterdir())


def test_the_scenario_methods_draw_through_the_entry_points(tmp_path: Path) -> None:
    """Scenario.plot() / save_plots() (NegMAS's names) reach the report layer
    without the scenarios layer importing it."""
    import inspect

    scenario = _scenario(2)
    figure = scenario.plot(ufun_indices=(1, 0), mark_all_outcomes=False)
    assert figure.axes[0].get_xlabel() == "p1 utility"
    assert "Outcomes" not in _labels(figure)
    assert inspect.signature(Scenario.plot).parameters["ufun_indices"].default is None
    assert inspect.signature(Scenario.save_plots).parameters["ext"].default == "webp"
    assert scenario.save_plots(tmp_path, ext="svg") == [tmp_path / "_plot.svg"]
    with pytest.raises(IndexError, match="Invalid ufun_indices"):
        scenario.plot(ufun_indices=(0, 2))


def test_without_a_plotter_the_scenario_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    from palaver._util import plotters

    monkeypatch.setattr(plotters, "_plotters", {})
    monkeypatch.setattr(plotters, "found", lambda kind: None)
    with pytest.raises(RuntimeError, match=r"no plotter of 'scenario'.*plot_scenario"):
        _scenario(2).plot()


def test_dumpas_and_update_save_the_plots_as_negmas(tmp_path: Path) -> None:
    import inspect

    scenario = _scenario(2)
    scenario.dumpas(tmp_path / "out", save_plot=True, plot_extension="png")
    assert (tmp_path / "out" / "_plot.png").read_bytes().startswith(b"\x89PNG")
    params = inspect.signature(Scenario.dumpas).parameters
    assert not params["save_plot"].default and params["plot_extension"].default is None
    assert params["plot_kwargs"].default is None
    # A bad plot keyword is refused before the scenario's files are written.
    with pytest.raises(TypeError, match="unexpected keyword"):
        scenario.dumpas(tmp_path / "bad", save_plot=True, plot_kwargs={"xdim": "step"})
    assert not (tmp_path / "bad").exists() or not list((tmp_path / "bad").iterdir())


def test_update_writes_back_where_the_scenario_came_from(tmp_path: Path) -> None:
    scenario = _scenario(2)
    assert scenario.update() is False  # no source: nothing written
    scenario.dumpas(tmp_path / "json")
    loaded = Scenario.load(tmp_path / "json")
    loaded.name = "renamed"
    assert loaded.update(save_plot=True, save_stats=True) is True
    again = Scenario.load(tmp_path / "json")
    assert again.name == "renamed"
    assert (tmp_path / "json" / "_plot.webp").exists()
    assert (tmp_path / "json" / "_stats.json").exists()
    scenario.dumpas(tmp_path / "xml", type="xml")
    genius = Scenario.load(tmp_path / "xml")
    assert genius.update(save_plot=True, plot_extension="svg") is True
    assert (tmp_path / "xml" / "_plot.svg").exists()
    first = next(iter(genius.outcome_space.enumerate()))
    reread = Scenario.load(tmp_path / "xml")
    assert reread.ufuns[0](first) == pytest.approx(genius.ufuns[0](first))


def test_dumpas_can_leave_the_info_out(tmp_path: Path) -> None:
    scenario = _scenario(2)
    scenario.info = {"source": "mine"}
    scenario.dumpas(tmp_path / "with")
    scenario.dumpas(tmp_path / "without", save_info=False, compact=True)
    assert Scenario.load(tmp_path / "with").info == {"source": "mine"}
    assert Scenario.load(tmp_path / "without").info == {}
    assert scenario.info == {"source": "mine"}  # the scenario itself keeps it
    with pytest.raises(Exception, match="save_info"):
        scenario.dumpas(tmp_path / "x", save_info="no")  # type: ignore[arg-type]


def test_save_plots_keeps_one_file_per_pair_when_names_repeat(tmp_path: Path) -> None:
    scenario = _scenario(3)
    for ufun in scenario.ufuns:
        ufun.name = "same"
    written = save_scenario_plots(scenario, tmp_path, ext="png")
    assert len(set(written)) == 3 and all(p.exists() for p in written)
    assert sorted(p.name for p in written) == [
        "same0-same1.png",
        "same1-same2.png",
        "same2-same0.png",
    ]

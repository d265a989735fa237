"""NegMAS's negotiation figure (mechanism.plot(), CompletedRun.plot(), plot_offline_run),
drawn by the report layer and found through an entry point."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from palaver import SAOMechanism, make_issue
from palaver._util import plotters
from palaver.negotiators import BoulwareTBNegotiator, LinearTBNegotiator
from palaver.preferences import AffineFun, IdentityFun, LinearAdditiveUtilityFunction

MAGIC = {"png": b"\x89PNG", "pdf": b"%PDF", "webp": b"RIFF", "jpg": b"\xff\xd8"}


def _session(run: bool = True) -> SAOMechanism:
    m = SAOMechanism(issues=[make_issue(name="price", values=50)], n_steps=20, seed=1)
    seller = LinearAdditiveUtilityFunction(values=[IdentityFun()], outcome_space=m.outcome_space)
    buyer = LinearAdditiveUtilityFunction(
        values=[AffineFun(slope=-1)], outcome_space=m.outcome_space
    )
    m.add(BoulwareTBNegotiator(name="seller"), ufun=seller.normalize())
    m.add(LinearTBNegotiator(name="buyer"), ufun=buyer.normalize())
    if run:
        m.run()
    return m


def _text(figure: Figure) -> str:
    return "\n".join(t.get_text() for axes in figure.axes for t in axes.texts)


def _labels(figure: Figure) -> list[str]:
    return [t.get_text() for legend in figure.legends for t in legend.get_texts()]


def test_the_figure_has_the_utility_space_and_a_panel_per_negotiator() -> None:
    m = _session()
    figure = m.plot(show=False)
    assert isinstance(figure, Figure)
    space, seller, buyer = figure.axes
    assert (space.get_xlabel(), space.get_ylabel()) == ("seller utility", "buyer utility")
    assert seller.get_title() == "seller's offers" and buyer.get_xlabel() == "Relative Time"
    labels = _labels(figure)
    for expected in ("Outcomes", "Pareto", "Nash Point", "Kalai Point", "seller", "Agreement"):
        assert expected in labels
    text = _text(figure)
    # NegMAS's count: the last offer's step, plus one.
    assert "Negotiation Success" in text and f"N. Steps={m.full_trace[-1].step + 1}" in text
    assert "Pareto-distance= 0.00" in text  # a single-issue deal is Pareto-optimal
    assert f"Last: {m.full_trace[-1].negotiator}" in text
    # The seller's panel: its offers judged by both utility functions, one line each.
    offers = [t for t in m.full_trace if t.negotiator == m.negotiator_ids[0]]
    lines = [line for line in seller.get_lines() if len(line.get_xdata()) == len(offers)]
    assert len(lines) == 2
    np.testing.assert_allclose(lines[0].get_xdata(), [t.relative_time for t in offers])
    ufun = m.negotiators[0].ufun
    np.testing.assert_allclose(lines[0].get_ydata(), [ufun(t.offer) for t in offers])


@pytest.mark.parametrize("fmt", ["png", "pdf", "webp", "jpg"])
def test_saved_in_the_format_of_the_name_or_image_format(tmp_path: Path, fmt: str) -> None:
    m = _session()
    m.plot(save_fig=True, path=str(tmp_path / "new"), fig_name=f"deal.{fmt}")
    assert (tmp_path / "new" / f"deal.{fmt}").read_bytes().startswith(MAGIC[fmt])
    m.plot(save_fig=True, path=str(tmp_path), fig_name="bare", image_format=fmt)
    assert (tmp_path / f"bare.{fmt}").read_bytes().startswith(MAGIC[fmt])


def test_the_default_name_is_the_negotiation_in_webp(tmp_path: Path) -> None:
    m = _session()
    m.plot(save_fig=True, path=str(tmp_path))
    assert (tmp_path / f"{m.id}.webp").read_bytes().startswith(b"RIFF")


def test_only2d_no2d_xdim_simple_view_and_ylimits() -> None:
    m = _session()
    assert len(m.plot(only2d=True).axes) == 1
    figure = m.plot(no2d=True, xdim="step", simple_offers_view=True, ylimits=(-0.5, 1.5))
    seller, buyer = figure.axes
    steps = [t.step for t in m.full_trace if t.negotiator == m.negotiator_ids[1]]
    (line,) = [ln for ln in buyer.get_lines() if len(ln.get_xdata()) == len(steps)]
    assert list(line.get_xdata()) == steps and buyer.get_xlabel() == "Step"
    assert seller.get_ylim() == (-0.5, 1.5)


def test_styling_options_are_drawn() -> None:
    m = _session()
    figure = m.plot(colors=["red", "rgb(0, 0, 255)"], markers=["x", "diamond"], no2d=True)
    seller = figure.axes[0]
    first, second = [ln for ln in seller.get_lines() if len(ln.get_xdata()) > 1][:2]
    assert to_rgba(first.get_color()) == to_rgba("red")
    assert to_rgba(second.get_color()) == (0.0, 0.0, 1.0, 1.0)
    assert (first.get_marker(), second.get_marker()) == ("X", "D")
    dark = m.plot(dark=True, only2d=True)
    assert dark.axes[0].get_facecolor()[:3] == (0.0, 0.0, 0.0)


def test_marks_and_annotations_follow_their_flags() -> None:
    m = _session()
    figure = m.plot(
        mark_pareto_points=False,
        mark_nash_points=False,
        mark_all_outcomes=False,
        show_nash_distance=False,
        show_agreement=True,
        show_last_negotiator=False,
        show_end_reason=False,
    )
    labels = _labels(figure)
    assert "Pareto" not in labels and "Nash Point" not in labels and "Outcomes" not in labels
    assert "Kalai Point" in labels
    text = _text(figure)
    assert "Nash-distance" not in text and "Kalai-distance" in text
    assert f"Agreement:{m.state.agreement}" in text
    assert "Last:" not in text and "Success" not in text
    fast = _text(m.plot(fast=True))
    assert "distance" not in fast and "N. Steps" in fast


def test_the_reserved_values_are_drawn_unless_turned_off() -> None:
    m = _session()
    m.negotiators[0].ufun.reserved_value = 0.3
    spans = m.plot(only2d=True).axes[0].patches
    assert len(spans) >= 1
    assert not m.plot(only2d=True, show_reserved=False).axes[0].patches


def test_the_2d_plot_can_be_any_pair_named_by_id() -> None:
    m = _session()
    first, second = m.negotiator_ids
    figure = m.plot(plotting_negotiators=(second, first), only2d=True)
    assert figure.axes[0].get_xlabel() == "buyer utility"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"xdim": "time"}, ValueError, r"xdim='time' needs each offer's time"),
        ({"xdim": "seconds"}, ValueError, r"xdim must be one of"),
        ({"only2d": True, "no2d": True}, ValueError, r"only2d and no2d"),
        ({"colors": ["not-a-colour"]}, ValueError, r"colors\[0\] holds 'not-a-colour'"),
        ({"colors": "red"}, TypeError, r"colors must be a list"),
        ({"markers": ["blob"]}, ValueError, r"markers\[0\] holds 'blob'"),
        ({"colormap": "nope"}, ValueError, r"colormap 'nope' is not a colour map"),
        ({"ylimits": (1, 0)}, ValueError, r"ylimits must be \(low, high\)"),
        ({"image_format": "gif"}, ValueError, r"image_format must be one of"),
        ({"show_reserved": "yes"}, TypeError, r"show_reserved must be True or False"),
        ({"fontsize": -3}, ValueError, r"fontsize must be a positive number"),
        ({"plotting_negotiators": (0, 7)}, ValueError, r"plotting negotiator 7 is out of range"),
        ({"plotting_negotiators": ("x", 0)}, ValueError, r"'x' is not one of"),
        ({"mark_everything": True}, TypeError, r"unexpected keyword .*'mark_everything'"),
    ],
)
def test_bad_options_are_named_before_anything_is_drawn(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        _session().plot(**kwargs)


def test_a_file_name_with_an_unknown_extension_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"fig_name 'deal.gif' has the extension 'gif'"):
        _session().plot(save_fig=True, path=str(tmp_path), fig_name="deal.gif")
    assert not list(tmp_path.iterdir())


def test_a_path_that_is_a_file_is_refused_naming_it(tmp_path: Path) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_text("mine")
    with pytest.raises(NotADirectoryError, match=r"plot\(path=\.\.\.\) must be a folder.*notes"):
        _session().plot(save_fig=True, path=str(plain), fig_name="deal.png")
    assert plain.read_text() == "mine"


def test_a_negotiator_without_a_utility_function_is_named() -> None:
    from palaver.negotiators import RandomNegotiator

    m = SAOMechanism(issues=[make_issue(name="price", values=5)], n_steps=5, seed=1)
    m.add(RandomNegotiator(name="a"))
    m.add(RandomNegotiator(name="b"))
    m.run()
    with pytest.raises(ValueError, match=r"negotiator\(s\) \['a', 'b'\] have no utility function"):
        m.plot()


def test_a_live_negotiation_is_drawn_so_far() -> None:
    m = _session(run=False)
    for _ in range(3):
        m.step()
    figure = m.plot()
    assert "No Agreement" in _text(figure)


def test_without_a_plotter_the_error_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plotters, "_plotters", {})
    monkeypatch.setattr(plotters, "found", lambda kind: None)
    with pytest.raises(RuntimeError, match="plot_negotiation"):
        _session().plot()


def test_a_completed_run_draws_the_same_figure_and_checks_as_negmas(tmp_path: Path) -> None:
    from palaver.mechanisms.completed_run import CompletedRun

    m = _session()
    live = m.plot(only2d=True)
    run = m.to_completed_run(source="full_trace")
    saved = CompletedRun.load(run.save(tmp_path, "run"))
    for source in (run, saved):
        drawn = source.plot(only2d=True)

        def offsets(figure: Figure) -> dict[str, np.ndarray]:
            # The outcomes, each side's offers and the agreement (the solution
            # points of this zero-sum scenario are ties, their order arbitrary).
            kept = ("Outcomes", "seller", "buyer", "Agreement")
            found = {c.get_label(): c.get_offsets() for c in figure.axes[0].collections}
            return {label: found[label] for label in kept}

        for label, points in offsets(live).items():
            np.testing.assert_allclose(points, offsets(drawn)[label], atol=1e-12)
    with pytest.raises(
        ValueError, match="Can only plot CompletedRun with history_type='full_trace'"
    ):
        m.to_completed_run(source="history").plot()
    # A Scenario refuses to lose its ufuns; a stand-in without any is checked as in NegMAS.
    bare = dataclasses.replace(run, scenario=SimpleNamespace(ufuns=()))
    with pytest.raises(ValueError, match="without utility functions in the scenario"):
        bare.plot()
    run.scenario = None
    with pytest.raises(ValueError, match="Cannot plot CompletedRun without a scenario"):
        run.plot()


def test_plot_offline_run_takes_negmas_arguments(tmp_path: Path) -> None:
    from palaver.negmas.plots.util import DEFAULT_IMAGE_FORMAT, plot_offline_run

    m = _session()
    ufuns = [n.ufun for n in m.negotiators]
    figure = plot_offline_run(
        m.full_trace,
        m.negotiator_ids,
        ufuns,
        m.state.agreement,
        timedout=False,
        names=["S", "B"],
        save_fig=True,
        path=str(tmp_path),
        fig_name="offline",
        negotiators=(1, 0),
    )
    assert figure.axes[0].get_xlabel() == "B utility"
    assert (tmp_path / f"offline.{DEFAULT_IMAGE_FORMAT}").exists()
    assert "Negotiation Success" in _text(figure)
    timed = plot_offline_run(m.full_trace, m.negotiator_ids, ufuns, None, timedout=True)
    assert "Negotiation Timedout" in _text(timed)
    with pytest.raises(ValueError, match=r"one entry per negotiator; got 2 ids, 1 ufuns"):
        plot_offline_run(m.full_trace, m.negotiator_ids, ufuns[:1], None)
    with pytest.raises(ValueError, match=r"trace\[0\] is 5"):
        plot_offline_run([5], m.negotiator_ids, ufuns, None)


def test_the_distances_are_those_of_the_agreement() -> None:
    """The annotation's distance to the Nash point, against one computed here."""
    from palaver.negmas import nash_points, pareto_frontier

    m = _session()
    ufuns = [n.ufun for n in m.negotiators]
    outcomes = list(m.outcome_space.enumerate())
    frontier, _ = pareto_frontier(ufuns, outcomes)
    nash = [p for p, _ in nash_points(ufuns, frontier, outcomes=outcomes)]
    agreed = [u(m.state.agreement) for u in ufuns]
    expected = min(math.dist(agreed, p) for p in nash)
    assert f"Nash-distance={expected:5.2f}" in _text(m.plot())


def test_a_single_text_mechanism_keeps_its_figure_and_refuses_negmas_styling() -> None:
    from palaver import HillClimbingSTMechanism

    m = HillClimbingSTMechanism(issues=[make_issue(name="price", values=10)], n_steps=5)
    space = m.outcome_space
    m.add(BoulwareTBNegotiator(name="a"), ufun=LinearAdditiveUtilityFunction.random(space))
    m.add(BoulwareTBNegotiator(name="b"), ufun=LinearAdditiveUtilityFunction.random(space))
    m.run()
    assert isinstance(m.plot(show=False), Figure)
    with pytest.raises(TypeError, match=r"takes only .*got \['only2d'\]"):
        m.plot(only2d=True)

"""Keywords of NegMAS's negotiation figure that were accepted and then drawn
wrong or refused mid-drawing (review of session 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from palaver import SAOMechanism, make_issue
from palaver.negotiators import BoulwareTBNegotiator, LinearTBNegotiator
from palaver.preferences import AffineFun, IdentityFun, LinearAdditiveUtilityFunction


def _session() -> SAOMechanism:
    m = SAOMechanism(issues=[make_issue(name="price", values=20)], n_steps=10, seed=1)
    up = LinearAdditiveUtilityFunction(values=[IdentityFun()], outcome_space=m.outcome_space)
    space = m.outcome_space
    down = LinearAdditiveUtilityFunction(values=[AffineFun(slope=-1)], outcome_space=space)
    m.add(BoulwareTBNegotiator(name="seller"), ufun=up.normalize())
    m.add(LinearTBNegotiator(name="buyer"), ufun=down.normalize())
    m.run()
    return m


def test_numeric_and_tuple_markers_are_drawn_as_given() -> None:
    # 4 is matplotlib's caret-left; it was turned into "4" (tri-right), and 5 and
    # (5, 0, 0) into text that matplotlib refused while drawing.
    figure = _session().plot(markers=[4, (5, 0, 0)], no2d=True)
    seller = figure.axes[0]
    first, second = [ln for ln in seller.get_lines() if len(ln.get_xdata()) > 1][:2]
    assert first.get_marker() == 4
    assert second.get_marker() == (5, 0, 0)


def test_an_rgb_channel_above_255_is_refused_naming_the_keyword() -> None:
    with pytest.raises(ValueError, match=r"colors\[1\] holds 'rgb\(300, 0, 0\)'"):
        _session().plot(colors=["red", "rgb(300, 0, 0)"])


def test_a_trace_without_relative_times_prints_none() -> None:
    from palaver.report.negmas_plot import plot_offline_run

    m = _session()
    trace = [{"step": t.step, "negotiator": t.negotiator, "offer": t.offer} for t in m.full_trace]
    ufuns = [n.ufun for n in m.negotiators]
    figure = plot_offline_run(trace, m.negotiator_ids, ufuns, m.state.agreement, only2d=True)
    text = "\n".join(t.get_text() for axes in figure.axes for t in axes.texts)
    assert "N. Steps=" in text and "Relative Time" not in text


def test_a_trace_dict_without_negotiator_or_offer_is_named() -> None:
    from palaver.report.negmas_plot import plot_offline_run

    m = _session()
    ufuns = [n.ufun for n in m.negotiators]
    trace = [{"step": 0, "proposer": m.negotiator_ids[0], "offer": m.full_trace[0].offer}]
    with pytest.raises(ValueError, match=r"trace\[0\] lacks the key\(s\) \['negotiator'\]"):
        plot_offline_run(trace, m.negotiator_ids, ufuns, None)


@pytest.mark.parametrize("keyword", ["fig_name", "path"])
def test_a_bytes_path_is_refused_before_anything_is_written(tmp_path: Path, keyword: str) -> None:
    # fig_name=b"deal" was written as "b'deal'.webp"; path=b"..." failed in Path().
    options = {"path": str(tmp_path), "fig_name": "deal", keyword: b"deal"}
    with pytest.raises(TypeError, match=rf"{keyword} must be a path \(str or os.PathLike\)"):
        _session().plot(save_fig=True, **options)
    assert not list(tmp_path.iterdir())

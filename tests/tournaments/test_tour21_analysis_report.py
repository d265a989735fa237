"""Records of a tournament, analyze_tournament and its files and figures, and
NegMAS's cartesian_tournament(run_analysis=True) (tour21)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from negotiation_helpers import small_scenario

import palaver.report.tournament_analysis  # noqa: F401  (registers the figures' plotter)
from palaver.negmas import cartesian_tournament
from palaver.negotiators import BoulwareNegotiator, MiCRO
from palaver.tournaments.analysis import (
    COMMON_COLUMNS,
    analyze_tournament,
    load_records,
    records_from_path,
    records_from_simple_results,
    records_from_situated,
)


def records(self_play: bool = True) -> pd.DataFrame:
    m = {("a", "a"): 0.5, ("a", "b"): 0.9, ("b", "a"): 0.2, ("b", "b"): 0.4}
    rows = [
        [s, p, f"s{k}", v + 0.01 * k, 0.0, v + 0.01 * k]
        for (s, p), v in m.items()
        for k in range(4)
        if self_play or s != p
    ]
    return pd.DataFrame(rows, columns=COMMON_COLUMNS)


def run(**kwargs: Any) -> Any:
    kwargs = {"n_steps": 15, "njobs": -1, "verbosity": 0, "seed": 5, **kwargs}
    return cartesian_tournament([BoulwareNegotiator, MiCRO], [small_scenario(0)], **kwargs)


def test_scores_become_bilateral_records() -> None:
    scores = pd.DataFrame(
        {
            "strategy": ["a", "b", "a"],
            "partners": ["b", "('a',)", ("b", "c")],
            "scenario": ["s", "s", "t"],
            "utility": [0.5, 0.4, 0.3],
            "advantage": [0.1, 0.2, 0.3],
        }
    )
    with pytest.warns(UserWarning, match="left out 1 record.*more than two parties"):
        out = records_from_simple_results(SimpleNamespace(scores=scores))
    assert out["partner"].tolist() == ["b", "a"]
    assert list(out.columns) == COMMON_COLUMNS and out["reserved_value"].isna().all()


def test_load_records_checks_what_it_is_given() -> None:
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['partner'"):
        load_records(pd.DataFrame({"strategy": ["a"]}))
    with pytest.raises(TypeError, match="got int"):
        load_records(3)
    assert load_records(records()).shape == (16, 6)


def test_world_tournament_scores_pair_the_two_competitors() -> None:
    scores = pd.DataFrame(
        {
            "competitor": ["A", "B", "A", "B", "C", "A", "X"],
            "world_id": ["w0", "w0", "w1", "w1", "w1", "w2", "w2"],
            "score": [0.6, 0.4, 0.5, 0.3, 0.2, 0.7, 0.1],
        }
    )
    results = SimpleNamespace(scores=lambda: scores, params={"non_competitors": ["X"]})
    with pytest.warns(UserWarning, match="2 world"):
        out = records_from_situated(results)
    assert out[["strategy", "partner", "scenario", "utility"]].values.tolist() == [
        ["A", "B", "w0", 0.6],
        ["B", "A", "w0", 0.4],
    ]
    three = SimpleNamespace(scores=scores, params={"n_competitors_per_world": 3})
    with pytest.warns(UserWarning, match="n_competitors_per_world=3"):
        assert records_from_situated(three).empty


def test_analysis_files_and_figures(tmp_path: Path) -> None:
    report = analyze_tournament(records(), output_dir=tmp_path / "an", make_plots=True)
    assert report.has_self_play and report.output_dir == tmp_path / "an"
    # a: 0.5 vs itself, 0.9 vs b (plus 0.015 of the scenario offsets) beats b everywhere.
    assert report.tournament_ranking["strategy"].tolist() == ["a", "b"]
    assert report.egta is not None and report.egta.best == "a"
    assert report.iterated_elimination_survivors == ["a"]
    assert report.significance_paired is not None
    files = {p.name for p in (tmp_path / "an").glob("*.csv")}
    assert files == {
        "payoff_matrix.csv", "tournament_evaluation_ranking.csv",
        "sequential_elimination_ranking.csv", "nash_averaging_ranking.csv",
        "egta_evaluation.csv", "iterated_elimination_survivors.csv",
        "replicator_dynamics.csv", "significance_unpaired.csv",
        "significance_paired.csv", "normality.csv",
    }  # fmt: skip
    payoff = pd.read_csv(tmp_path / "an" / "payoff_matrix.csv", index_col=0)
    assert np.allclose(payoff.to_numpy(), report.payoff.matrix)
    shares = pd.read_csv(tmp_path / "an" / "replicator_dynamics.csv")
    assert list(shares.columns) == ["time", "a", "b"] and len(shares) == 200
    figures = {p.name for p in (tmp_path / "an" / "plots").glob("*.png")}
    assert {"payoff_heatmap.png", "replicator_dynamics.png", "deviation_graph.png"} <= figures
    with pytest.raises(ValueError, match="give output_dir"):
        analyze_tournament(records(), make_plots=True)


def test_without_self_play_only_the_row_mean_and_tests() -> None:
    with pytest.warns(UserWarning, match="self-play"):
        report = analyze_tournament(records(self_play=False))
    assert not report.has_self_play and report.output_dir is None
    assert report.egta is None and report.replicator_dynamics is None
    assert report.sequential_elimination_ranking is None and report.nash_averaging is None
    assert report.tournament_ranking["score"].tolist() == pytest.approx([0.915, 0.215])


def test_cartesian_run_analysis_writes_the_analysis_folder(tmp_path: Path) -> None:
    root = tmp_path / "t"
    results = run(path=root, run_analysis=True, analysis_plots=True,
                  analysis_kwargs={"metric": "utility"})  # fmt: skip
    ranking = pd.read_csv(root / "analysis" / "tournament_evaluation_ranking.csv")
    expected = analyze_tournament(results, metric="utility").tournament_ranking
    pd.testing.assert_frame_equal(ranking, expected, check_dtype=False)
    assert list((root / "analysis" / "plots").glob("*.png"))
    # The folder loads and resumes with the analysis in it.
    again = records_from_path(root)
    assert len(again) == len(results.scores)
    resumed = run(path=root, path_exists="continue")
    pd.testing.assert_frame_equal(resumed.final_scores, results.final_scores)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"run_analysis": True}, "give path"),
        ({"analysis_plots": True}, "give run_analysis=True"),
        ({"run_analysis": True, "analysis_kwargs": {"colour": 1}}, r"\['colour'\]"),
        ({"run_analysis": "yes"}, "run_analysis must be True or False"),
    ],
)
def test_run_analysis_options_are_checked_before_running(
    tmp_path: Path, kwargs: dict[str, Any], message: str
) -> None:
    path = None if kwargs == {"run_analysis": True} else tmp_path / "t"
    with pytest.raises(ValueError, match=message):
        run(path=path, **kwargs)
    assert not (tmp_path / "t").exists()

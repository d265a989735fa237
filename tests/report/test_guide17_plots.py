"""The tournament plots take a negotiation tournament's tables too, as
docs/looking-at-results.md says ("a negotiation tournament's too")."""

from __future__ import annotations

from pathlib import Path

import pytest

from palaver.report import plot_ranking, plot_score_distributions, plot_win_matrix
from palaver.tournaments.negotiation import load_negotiation_results


def _labels(figure: object) -> list[str]:
    axes = figure.axes[0]  # type: ignore[attr-defined]
    # The competitors from top to bottom: the best is drawn on top.
    ticks = sorted(axes.get_yticklabels(), key=lambda t: -t.get_position()[1])
    return [t.get_text() for t in ticks]


def test_plot_ranking_draws_a_negotiation_tournament_ranking(negotiation_league: Path) -> None:
    league = load_negotiation_results(negotiation_league)
    ranking = league.ranking()
    assert "mean" not in ranking.columns  # its statistic is in "score"
    figure = plot_ranking(ranking)
    ranked = [str(c) for c, r in zip(ranking["competitor"], ranking["rank"], strict=True)]
    assert _labels(figure) == ranked
    assert figure.axes[0].get_xlabel() == "score"


def test_plot_ranking_keeps_the_order_of_a_distance_ranking(negotiation_league: Path) -> None:
    # A distance ranks ascending: the lowest score is best and must be on top,
    # where sorting by the value alone would put it at the bottom.
    league = load_negotiation_results(negotiation_league)
    ranking = league.ranking("pareto_distance")
    figure = plot_ranking(ranking)
    assert _labels(figure) == [str(c) for c in ranking["competitor"]]
    scores = [s for s in ranking["score"] if s == s]
    assert scores == sorted(scores)


def test_plot_ranking_puts_an_unranked_competitor_last() -> None:
    table = {
        "rank": [None, 1, 2],
        "competitor": ["nobody", "best", "second"],
        "score": [float("nan"), 0.9, 0.4],
        "ci_low": [float("nan"), 0.8, 0.3],
        "ci_high": [float("nan"), 1.0, 0.5],
    }
    assert _labels(plot_ranking(table)) == ["best", "second", "nobody"]


def test_score_distributions_of_a_negotiation_tournament(negotiation_league: Path) -> None:
    league = load_negotiation_results(negotiation_league)
    figure = plot_score_distributions(league.parties, "advantage")
    assert figure.axes[0].get_xlabel() == "advantage"
    with pytest.raises(ValueError, match=r"lacks column 'score' \(value='score'\).*give value="):
        plot_score_distributions(league.parties)
    assert plot_win_matrix(league.win_matrix()).axes


def test_plot_win_matrix_of_a_frame_without_an_index_asks_for_names() -> None:
    # A polars frame passed the "to_numpy" check and then failed with
    # "AttributeError: 'DataFrame' object has no attribute 'index'".
    polars = pytest.importorskip("polars")
    frame = polars.DataFrame({"a": [None, 0.25], "b": [0.75, None]})
    with pytest.raises(TypeError, match=r"no index naming its rows: give names="):
        plot_win_matrix(frame)
    figure = plot_win_matrix(frame.to_numpy(), names=frame.columns)
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()] == ["a", "b"]

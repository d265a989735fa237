"""Ranking: Student-t critical values, means with 95% CIs, pairwise win matrix."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

from palaver.tournaments import ranking, standings, win_matrix, win_rates
from palaver.tournaments.ranking import t_critical


@pytest.mark.parametrize(
    ("df", "expected"),
    [
        (1, 12.7062),
        (2, 4.3027),
        (4, 2.7764),
        (9, 2.2622),
        (30, 2.0423),
        (120, 1.9799),
        (5000, 1.9604),
    ],
)
def test_t_critical_matches_tables(df: int, expected: float) -> None:
    assert t_critical(df) == pytest.approx(expected, abs=1e-4)


def test_t_critical_needs_a_degree_of_freedom() -> None:
    with pytest.raises(ValueError, match=r"degrees of freedom"):
        t_critical(0)


def scores_frame(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["world_id", "competitor", "score"])


def test_ranking_means_intervals_and_order() -> None:
    frame = scores_frame(
        [
            ("w0", "a", 1.0),
            ("w0", "a", 3.0),
            ("w0", "b", 0.0),
            ("w1", "a", 4.0),
            ("w1", "b", 1.0),
            ("w2", "a", 6.0),
            ("w2", "b", 2.0),
            ("w2", "c", 9.0),
        ]
    )
    table = ranking(frame)
    assert list(table["competitor"]) == ["c", "a", "b"]
    assert list(table.index) == [1, 2, 3]
    a = table.set_index("competitor").loc["a"]
    # Agents of one competitor in one world are averaged first: a's worlds are 2, 4, 6.
    assert a["mean"] == pytest.approx(4.0)
    assert a["n_worlds"] == 3 and a["n_agents"] == 4
    half = t_critical(2) * 2.0 / math.sqrt(3)
    assert a["ci_low"] == pytest.approx(4.0 - half)
    assert a["ci_high"] == pytest.approx(4.0 + half)
    c = table.set_index("competitor").loc["c"]
    assert c["n_worlds"] == 1 and math.isnan(c["ci_low"]) and math.isnan(c["std"])


def test_win_matrix_counts_ties_as_half_and_unmet_pairs_as_nan() -> None:
    frame = scores_frame(
        [
            ("w0", "a", 2.0),
            ("w0", "b", 1.0),
            ("w1", "a", 1.0),
            ("w1", "b", 1.0),
            ("w2", "a", 0.0),
            ("w2", "b", 3.0),
            ("w3", "a", 5.0),
            ("w3", "c", 1.0),
        ]
    )
    matrix = win_matrix(frame)
    assert matrix.loc["a", "b"] == pytest.approx(0.5)
    assert matrix.loc["b", "a"] == pytest.approx(0.5)
    assert matrix.loc["a", "c"] == 1.0 and matrix.loc["c", "a"] == 0.0
    assert math.isnan(matrix.loc["b", "c"]) and math.isnan(matrix.loc["a", "a"])
    assert list(matrix.index) == list(ranking(frame)["competitor"])


def test_win_matrix_leaves_out_a_world_whose_score_is_nan() -> None:
    frame = scores_frame(
        [("w0", "a", math.nan), ("w0", "b", 1.0), ("w1", "a", 2.0), ("w1", "b", 1.0)]
    )
    matrix = win_matrix(frame)
    assert matrix.loc["a", "b"] == 1.0 and matrix.loc["b", "a"] == 0.0


@pytest.mark.parametrize("call", [ranking, win_matrix, standings, win_rates])
def test_scores_that_are_not_a_scores_table_are_named(call: Any) -> None:
    # Each was "'int' object is not subscriptable" or pandas' bare KeyError.
    with pytest.raises(TypeError, match="scores must be a pyarrow Table or a pandas DataFrame"):
        call(5)
    with pytest.raises(ValueError, match=r"scores lacks the column\(s\) \['score'\]"):
        call(pd.DataFrame({"world_id": ["w"], "competitor": ["a"]}))
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['competitor'\]"):
        call(pa.table({"world_id": ["w"], "score": [1.0]}))

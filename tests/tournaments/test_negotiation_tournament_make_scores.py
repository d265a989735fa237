"""NegMAS's make_scores: score rows of one negotiation record, NegMAS's formulas."""

from __future__ import annotations

import math

import pytest

from palaver.negmas import OPTIMALITY_COLS, make_scores


def record(**changes: object) -> dict:
    base = {
        "utilities": [0.8, 0.5],
        "partners": ["A", "B"],
        "reserved_values": [0.2, 0.1],
        "negotiator_ids": ["a@0", "b@1"],
        "max_utils": [1.0, 0.9],
        "min_utils": [0.0, 0.05],
        "negotiator_times": [0.5, None],
        "has_error": False,
        "erred_negotiator": None,
        "error_details": "",
        "scenario": "s",
        "nash_optimality": 0.7,
        "fairness": 0.7,
    }
    return {**base, **changes}


def test_the_rows_follow_negmas_formulas() -> None:
    first, second = make_scores(record())
    assert first["strategy"] == "A" and first["partners"] == "B"
    assert first["advantage"] == pytest.approx((0.8 - 0.2) / (1.0 - 0.2))
    assert second["advantage"] == pytest.approx((0.5 - 0.1) / (0.9 - 0.1))
    assert first["welfare"] == pytest.approx(0.65) and first["partner_welfare"] == 0.5
    assert first["time"] == 0.5 and math.isnan(second["time"])
    assert first["nash_optimality"] == 0.7 and "kalai_optimality" not in first
    assert set(OPTIMALITY_COLS) >= {"nash_optimality", "fairness"}


def test_advantage_without_a_reserved_value_is_the_gain_over_the_worst() -> None:
    rows = make_scores(record(reserved_values=[-math.inf, math.nan]))
    assert rows[0]["advantage"] == pytest.approx(0.8 - 0.0)
    assert rows[1]["advantage"] == pytest.approx(0.5 - 0.05)
    no_min = make_scores(record(reserved_values=[-math.inf, 0.9], min_utils=None))
    assert no_min[0]["advantage"] == 0.0  # no minimum known: NegMAS gives 0
    assert no_min[1]["advantage"] == 0.0  # max == reserved


def test_errors_scored_indices_and_raw_metrics() -> None:
    rows = make_scores(
        record(has_error=True, erred_negotiator="b@1"),
        scored_indices=[1],
        raw_aggregated_metrics={"twice": lambda m: 2 * m["utility"]},
    )
    assert len(rows) == 1 and rows[0]["strategy"] == "B"
    assert rows[0]["self_error"] and not rows[0]["mechanism_error"]
    assert rows[0]["twice"] == pytest.approx(1.0)
    three = make_scores(record(utilities=[1, 2, 3], partners=["A", "B", "C"],
                               reserved_values=[0, 0, 0], negotiator_ids=["a", "b", "c"],
                               max_utils=[3, 3, 3], min_utils=[0, 0, 0],
                               negotiator_times=[1, 1, 1]))  # fmt: skip
    assert three[0]["partners"] == ("B", "C") and three[0]["partner_welfare"] == 2.5


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("not a record", "record must be a dict"),
        ({"utilities": [1.0]}, "record lacks"),
        (record(max_utils=[1.0]), r"2 utilities but \{'max_utils': 1\}"),
    ],
)
def test_bad_records_are_refused(bad: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_scores(bad)  # type: ignore[arg-type]

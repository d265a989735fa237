"""HyperRectangleUtilityFunction: boxes, exclusive boxes, groups, scaling, and misuse."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from palaver import make_issue, make_os
from palaver.negotiators.ranking import ranking_for
from palaver.outcomes import OutcomeSpaceError
from palaver.preferences import (
    HyperRectangle,
    HyperRectangleUtilityFunction,
    RectangleGroup,
)

SPACE = make_os([make_issue((0, 9), "x"), make_issue((0, 9), "y"), make_issue((0.0, 5.0), "z")])


def test_inside_a_box_earns_its_utility_times_weight_both_ends_included() -> None:
    box = HyperRectangle({"x": (2, 4), "y": (0, 0)}, utility=3.0, weight=2.0)
    u = HyperRectangleUtilityFunction([box], outcome_space=SPACE)
    assert [u((x, 0, 1.0)) for x in range(6)] == [0.0, 0.0, 6.0, 6.0, 6.0, 0.0]
    assert u((3, 1, 1.0)) == 0.0
    assert u({"z": 2.5, "y": 0, "x": 4}) == 6.0


def test_an_exclusive_box_earns_outside_and_an_empty_box_everywhere() -> None:
    outside = HyperRectangle({"x": (2, 4), "y": (0, 5)}, utility=1.0, exclusive=True)
    everywhere = HyperRectangle({}, utility=0.5)
    u = HyperRectangleUtilityFunction([outside, everywhere], outcome_space=SPACE)
    assert u((3, 5, 0.0)) == 0.5  # inside both ranges
    assert u((3, 6, 0.0)) == 1.5  # y out of range
    assert u((9, 0, 0.0)) == 1.5
    empty_exclusive = HyperRectangle({}, utility=7.0, exclusive=True)
    assert HyperRectangleUtilityFunction([empty_exclusive], outcome_space=SPACE)((0, 0, 0.0)) == 0


def test_groups_nest_with_weights_and_min_max_sum() -> None:
    low_x = HyperRectangle({"x": (0, 4)}, utility=4.0)
    low_y = HyperRectangle({"y": (0, 4)}, utility=2.0)
    best = RectangleGroup([low_x, low_y], aggregation="max", weight=0.5)
    worst = RectangleGroup([low_x, low_y], aggregation="min", weight=10.0)
    top = RectangleGroup([HyperRectangle({}, 1.0)], [best, worst], weight=123.0)
    u = HyperRectangleUtilityFunction(top, outcome_space=SPACE)
    assert u((0, 0, 0.0)) == 1 + 0.5 * 4 + 10 * 2
    assert u((0, 9, 0.0)) == 1 + 0.5 * 4 + 10 * 0
    assert u((9, 0, 0.0)) == 1 + 0.5 * 2
    assert u((9, 9, 0.0)) == 1
    assert list(top.walk()) == [HyperRectangle({}, 1.0), low_x, low_y, low_x, low_y]


def test_max_utility_divides_and_caps_at_one_only() -> None:
    boxes = [HyperRectangle({"x": (0, 4)}, 8.0), HyperRectangle({"y": (0, 4)}, -6.0)]
    u = HyperRectangleUtilityFunction(boxes, max_utility=4.0, outcome_space=SPACE)
    assert u((0, 9, 0.0)) == 1.0  # 8 / 4 capped
    assert u((9, 0, 0.0)) == -1.5  # no lower bound
    assert u((0, 0, 0.0)) == 0.5
    assert u.max_utility == 4.0
    assert HyperRectangleUtilityFunction(boxes).max_utility is None


def test_eval_many_equals_eval_on_tuples_dicts_and_arrays() -> None:
    group = RectangleGroup(
        [
            HyperRectangle({"x": (1, 6), "z": (0.5, 2.5)}, 3.0),
            HyperRectangle({"y": (3, 3)}, 2.0, 1.5, exclusive=True),
        ],
        [RectangleGroup([HyperRectangle({"x": (5, 9)}, 4.0)], aggregation="min", weight=0.25)],
    )
    u = HyperRectangleUtilityFunction(group, max_utility=6.0, outcome_space=SPACE)
    rng = np.random.default_rng(3)
    outcomes = SPACE.sample(rng, 400)
    expected = [u(o) for o in outcomes]
    assert u.eval_many(outcomes).tolist() == expected
    assert u.eval_many(SPACE.to_array(outcomes)).tolist() == expected
    named = [dict(zip(SPACE.issue_names, o, strict=True)) for o in outcomes]
    assert u.eval_many(named).tolist() == expected
    assert u.eval_many([]).shape == (0,)


def test_positions_work_without_an_outcome_space_and_names_need_one() -> None:
    u = HyperRectangleUtilityFunction([HyperRectangle({1: (0, 2)}, 5.0)])
    assert u((7, 1)) == 5.0 and u((7, 3)) == 0.0
    assert u.eval_many(np.array([[0.0, 2.0], [0.0, 2.5]])).tolist() == [5.0, 0.0]
    named = HyperRectangleUtilityFunction([HyperRectangle({"y": (0, 2)}, 5.0)])
    with pytest.raises(ValueError, match="need an outcome space"):
        named((7, 1))
    named.outcome_space = SPACE
    assert named((7, 1, 0.0)) == 5.0
    with pytest.raises(ValueError, match="has 1 values"):
        u((7,))


def test_the_reserved_value_and_the_range_over_a_small_space() -> None:
    space = make_os([make_issue((0, 3), "x"), make_issue((0, 3), "y")])
    boxes = [HyperRectangle({"x": (1, 2)}, 2.0), HyperRectangle({"y": (3, 3)}, 1.0)]
    u = HyperRectangleUtilityFunction(boxes, reserved_value=0.25, outcome_space=space)
    assert u(None) == 0.25
    assert u.minmax() == (0.0, 3.0)
    assert u.best() == (1, 3) and u.worst() == (0, 0)
    huge = make_os([make_issue((0, 9), "x")] + [make_issue((0, 9), f"i{k}") for k in range(20)])
    with pytest.raises(OutcomeSpaceError, match="outcomes, more than"):
        HyperRectangleUtilityFunction(boxes[:1], outcome_space=huge).minmax()


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: HyperRectangle({"x": (3, 1)}, 1.0), ValueError, "low 3 is above high 1"),
        (lambda: HyperRectangle({"x": (0, float("inf"))}, 1.0), ValueError, "finite"),
        (lambda: HyperRectangle({"x": 3}, 1.0), TypeError, "pair"),  # type: ignore[dict-item]
        (lambda: HyperRectangle({1.5: (0, 1)}, 1.0), TypeError, "issue name or position"),  # type: ignore[dict-item]
        (lambda: HyperRectangle({"x": (0, 1)}, "2"), TypeError, "utility must be a number"),  # type: ignore[arg-type]
        (lambda: HyperRectangle({"x": (0, 1)}, 1.0, float("nan")), ValueError, "weight"),
        (lambda: RectangleGroup([], aggregation="avg"), ValueError, "aggregation"),  # type: ignore[arg-type]
        (lambda: RectangleGroup([], aggregation="min"), ValueError, "empty group"),
        (lambda: RectangleGroup(["box"]), TypeError, "HyperRectangle"),  # type: ignore[list-item]
        (lambda: HyperRectangleUtilityFunction("boxes"), TypeError, "RectangleGroup"),  # type: ignore[arg-type]
        (lambda: HyperRectangleUtilityFunction([], max_utility=0), ValueError, "positive"),
        (
            lambda: HyperRectangleUtilityFunction(
                [HyperRectangle({"w": (0, 1)}, 1.0)], outcome_space=SPACE
            ),
            ValueError,
            "'w', which is not an issue",
        ),
        (
            lambda: HyperRectangleUtilityFunction(
                [HyperRectangle({5: (0, 1)}, 1.0)], outcome_space=SPACE
            ),
            ValueError,
            "position 5, out of range",
        ),
        (
            lambda: HyperRectangleUtilityFunction(
                [HyperRectangle({"c": (0, 1)}, 1.0)],
                outcome_space=[make_issue(["a", "b"], "c")],
            ),
            ValueError,
            "not numeric",
        ),
    ],
)
def test_misuse_is_refused_with_a_message(make: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        make()  # type: ignore[operator]


def test_a_value_that_is_not_a_number_is_named() -> None:
    u = HyperRectangleUtilityFunction([HyperRectangle({0: (0, 1)}, 1.0)])
    with pytest.raises(ValueError, match="not a number"):
        u(("a",))


def test_boxes_are_read_only_hashable_and_pickle() -> None:
    box = HyperRectangle({"x": (0, 4)}, 2.0)
    with pytest.raises(TypeError):
        box.bounds["x"] = (0, 9)  # type: ignore[index]
    assert hash(box) == hash(HyperRectangle({"x": (0, 4)}, 2.0))
    u = HyperRectangleUtilityFunction(RectangleGroup([box], aggregation="max"), 4.0)
    u.outcome_space = SPACE
    again = pickle.loads(pickle.dumps(u))
    assert again.group == u.group and again((1, 0, 0.0)) == u((1, 0, 0.0)) == 0.5


def test_strategies_reuse_the_ranking_while_nothing_changes() -> None:
    space = make_os([make_issue((0, 3), "x"), make_issue((0, 3), "y")])
    u = HyperRectangleUtilityFunction([HyperRectangle({"x": (1, 2)}, 2.0)], outcome_space=space)
    assert ranking_for(u, space) is ranking_for(u, space)
    u.outcome_space = make_os([make_issue((0, 3), "x"), make_issue((0, 4), "y")])
    assert u.ranking_fingerprint() != (u.group, None, space)


def test_exclusive_is_a_flag_not_read_by_truthiness() -> None:
    # bool("no") made the rectangle exclusive.
    with pytest.raises(TypeError, match=r"^exclusive must be True or False, got 'no'"):
        HyperRectangle({"x": (0, 1)}, 1.0, exclusive="no")  # type: ignore[arg-type]
    assert HyperRectangle({"x": (0, 1)}, 1.0, exclusive=np.bool_(True)).exclusive is True

"""NegMAS's HyperRectangleUtilityFunction(outcome_ranges, utilities, ...) and outcome_in_range."""

from __future__ import annotations

import math
import pickle

import pytest

from palaver import HyperRectangleUtilityFunction, SAOMechanism
from palaver.negotiators import LimitedOutcomesNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import HyperRectangle, RangeUtilityFunction, outcome_in_range

RANGES = [{0: (1.0, 2.0), 1: (1.0, 2.0)}, {0: (1.4, 2.0), 2: (2.0, 3.0)}]


def test_negmas_arguments_build_the_negmas_function() -> None:
    f = HyperRectangleUtilityFunction(
        outcome_ranges=RANGES, utilities=[2.0, lambda o: 2 * o[2] + o[0]]
    )
    assert isinstance(f, RangeUtilityFunction)
    assert f((1.5, 1.5, 2.5)) == 8.5  # in both: 2 + (5 + 1.5)
    assert f((1.7, 1.5, 2.5)) == pytest.approx(8.7)
    assert f((1.0, 1.5, 2.5)) == 0.0  # range ends are excluded, as in NegMAS
    assert math.isnan(f((1.5, 1.5)))  # the second range names issue 2
    assert f(None) == -math.inf
    skip = HyperRectangleUtilityFunction(RANGES, [2.0, 1.0], ignore_issues_not_in_input=True)
    assert skip((1.5, 1.5)) == 2.0


def test_weights_bias_whole_space_ranges_and_mappings() -> None:
    f = HyperRectangleUtilityFunction(
        [None, {0: 1}], [lambda o: o[0], 5.0], weights=[2.0, 0.5], bias=1.0
    )
    assert f((1,)) == 5.5 and f((2,)) == 5.0
    table = HyperRectangleUtilityFunction([{0: 1}], [{(1,): 3.0}])
    assert table((1,)) == 3.0 and table((2,)) == 0.0
    missing = HyperRectangleUtilityFunction([None], [{(1,): 3.0}])
    assert math.isnan(missing((2,)))
    tolerant = HyperRectangleUtilityFunction(
        [None], [{(1,): 3.0}], ignore_failing_range_utilities=True, bias=0.5
    )
    assert tolerant((2,)) == 0.5


def test_choices_lists_and_names_as_negmas_reads_them() -> None:
    f = HyperRectangleUtilityFunction([{0: [1, (2, 5), [7, 8], ["x"]]}], [1.0])
    # [7, 8] is a (7, 8) range once read (NegMAS restores JSON tuples): 7 and 8 are out.
    assert [f((v,)) for v in range(10)] == [0, 1, 0, 1, 1, 0, 0, 0, 0, 0]
    nothing = HyperRectangleUtilityFunction([{0: None}], [1.0])
    assert nothing((3,)) == 0.0  # NegMAS's code: None holds no value
    named = HyperRectangleUtilityFunction(
        [{"price": 2}], [1.0], issues=[make_issue(5, "price"), make_issue(3, "q")]
    )
    assert named((2, 0)) == 1.0 and named({"price": 3, "q": 1}) == 0.0
    assert pickle.loads(pickle.dumps(named))((2, 1)) == 1.0


def test_outcome_in_range_follows_negmas() -> None:
    r = {"price": (0.0, 2.0), "type": ["a", "b"], "area": 3}
    assert not outcome_in_range({"price": 3.0}, r)
    assert outcome_in_range({"date": "x"}, r) and not outcome_in_range(
        {"date": "x"}, r, strict=True
    )
    assert outcome_in_range({"area": 3}, r) and not outcome_in_range(
        {"area": 3}, r, fail_incomplete=True
    )
    assert outcome_in_range({"type": "a"}, r) and not outcome_in_range({"type": "c"}, r)
    assert outcome_in_range((1, 7), {1: [7, 8]})  # the function itself reads lists as choices


def test_bad_arguments_are_refused_at_the_boundary() -> None:
    with pytest.raises(ValueError, match="utilities has 1 items, outcome_ranges 2"):
        HyperRectangleUtilityFunction(RANGES, [1.0])
    with pytest.raises(TypeError, match=r"utilities\[0\] must be a number"):
        HyperRectangleUtilityFunction([None], ["high"])
    with pytest.raises(TypeError, match=r"outcome_ranges\[1\] must be a dict or None"):
        RangeUtilityFunction([None, 3], [1.0, 2.0])
    with pytest.raises(ValueError, match="weights has 1 items"):
        HyperRectangleUtilityFunction(RANGES, [1.0, 2.0], weights=[1.0])


def test_palaver_boxes_still_build_boxes() -> None:
    boxes = HyperRectangleUtilityFunction([HyperRectangle({0: (0.0, 1.0)}, 2.0)])
    assert not isinstance(boxes, RangeUtilityFunction) and boxes((0.5,)) == 2.0
    assert isinstance(pickle.loads(pickle.dumps(boxes)), HyperRectangleUtilityFunction)


def test_a_negmas_session_with_range_utilities_runs() -> None:
    n = 20
    m = SAOMechanism(outcomes=n, n_steps=30, seed=1)
    for k in range(3):
        m.add(
            LimitedOutcomesNegotiator(p_ending=0.01, name=f"agent {k}"),
            preferences=HyperRectangleUtilityFunction(
                [None], [lambda o: float(o[0]) if o else math.nan], outcomes=n
            ),
        )
    m.run()
    assert len(m.history) > 0


def test_a_dict_outcome_is_read_by_its_keys_without_an_outcome_space() -> None:
    partial = {0: 1.5, 2: 2.5}  # no issue 1: the first range cannot be checked
    skipping = HyperRectangleUtilityFunction(
        outcome_ranges=RANGES,
        utilities=[2.0, lambda o: 2 * o[2] + o[0]],
        ignore_issues_not_in_input=True,
    )
    assert skipping(partial) == 6.5  # only the second range: 2 * 2.5 + 1.5
    assert skipping({2: 2.5}) == 0.0
    strict = HyperRectangleUtilityFunction(
        outcome_ranges=RANGES, utilities=[2.0, lambda o: 2 * o[2] + o[0]]
    )
    assert math.isnan(strict(partial))
    assert strict({0: 1.5, 1: 1.5, 2: 2.5}) == 8.5
    # A table of outcome tuples has no dict among its keys: a missing utility.
    table = HyperRectangleUtilityFunction(
        outcome_ranges=[{0: (1.0, 2.0)}],
        utilities=[{(1.5,): 3.0}],
        ignore_failing_range_utilities=True,
    )
    assert table({0: 1.5}) == 0.0
    assert table((1.5,)) == 3.0

"""NegMAS's HyperRectangleUtilityFunction (Palaver's RangeUtilityFunction) as plain data."""

from __future__ import annotations

import itertools
import json

import pytest

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import HyperRectangleUtilityFunction, RangeUtilityFunction

SPACE = OutcomeSpace([make_issue(5, "a"), make_issue(5, "b"), make_issue(["x", "y"], "c")])


def ranges() -> RangeUtilityFunction:
    made = HyperRectangleUtilityFunction(
        outcome_ranges=[{0: (0.5, 2.5), 1: (1.5, 4.5)}, {2: ["x"]}, None],
        utilities=[3.0, -1.0, 0.25],
        weights=[1.0, 2.0, 1.0],
        bias=1.0,
        outcome_space=SPACE,
        reserved_value=0.5,
    )
    assert isinstance(made, RangeUtilityFunction)
    return made


def test_round_trip_through_json_keeps_ranges_and_utilities() -> None:
    f = ranges()
    d = json.loads(json.dumps(f.to_dict()))  # tuples become lists, as in a file
    again = HyperRectangleUtilityFunction.from_dict(d)
    assert isinstance(again, RangeUtilityFunction)
    assert again.outcome_ranges[0] == {0: (0.5, 2.5), 1: (1.5, 4.5)}
    assert again.outcome_ranges[1] == {2: ["x"]} and again.outcome_ranges[2] is None
    assert again.reserved_value == 0.5 and again.bias == 1.0
    for o in itertools.product(range(5), range(5), "xy"):
        assert again(o) == pytest.approx(f(o))
    assert f((1, 2, "x")) == pytest.approx(1.0 + 3.0 - 2.0 + 0.25)


def test_only_number_utilities_are_plain_data_and_other_dicts_are_refused() -> None:
    f = RangeUtilityFunction([{0: (0, 2)}], [lambda o: 1.0], outcome_space=SPACE)
    with pytest.raises(TypeError, match=r"utilities\[0\] .* is not a number: not plain data"):
        f.to_dict()
    with pytest.raises(ValueError, match="reads NegMAS's form"):
        HyperRectangleUtilityFunction.from_dict({"type": "LinearUtilityFunction"})

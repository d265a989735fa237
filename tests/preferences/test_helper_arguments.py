"""NegMAS's preference helpers name the argument that is wrong (they raised
Python's own errors from deep inside: "must be real number, not str",
AttributeError, "'NoneType' object is not iterable")."""

from __future__ import annotations

import re
from typing import Any

import pytest

from palaver.preferences import LinearUtilityFunction
from palaver.preferences.frontier_points import kalai_points, nash_points
from palaver.preferences.normalization import correct_reserved_value
from palaver.preferences.outcome_ranges import outcome_in_range

_U = LinearUtilityFunction([1.0])


@pytest.mark.parametrize(
    ("call", "shown"),
    [
        (
            lambda: correct_reserved_value("x", _U),
            "must be a number or None, got 'x'",
        ),
        (
            lambda: correct_reserved_value(True, _U),
            "must be a number or None, got True",
        ),
        (lambda: correct_reserved_value(1.0, "u"), "ufun must be a utility function"),
        (lambda: nash_points("x", [(1.0,)]), "ufuns must be a sequence of utility functions"),
        (lambda: kalai_points(5, [(1.0,)]), "ufuns must be a sequence of utility functions"),
        (lambda: outcome_in_range(None, {}), "outcome must be an outcome tuple or a dict"),
        (lambda: outcome_in_range((1,), None), "outcome_range must be a dict"),
    ],
)
def test_a_helper_names_the_wrong_argument(call: Any, shown: str) -> None:
    with pytest.raises(TypeError, match=re.escape(shown)):
        call()


def test_what_the_checks_let_through_still_works() -> None:
    assert correct_reserved_value(0.25, _U) == (0.25, False)
    assert outcome_in_range((1, 2), {0: 1}) and not outcome_in_range({"a": 3}, {"a": (0, 2)})
    assert nash_points([_U], []) == ()

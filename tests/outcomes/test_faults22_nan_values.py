"""NaN is no issue value and no outcome value; generated issues have distinct names.

``make_issue([1.0, nan])`` made a categorical issue holding NaN (an offer of it
valid or not depending on which NaN object it held), ``from_array`` turned NaN
into the integer -2**63, and ``generate_issues`` gave two issues one name (an
outcome space of them was refused later, elsewhere).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from palaver.outcomes import (
    CategoricalIssue,
    InvalidIssueError,
    OutcomeSpaceError,
    generate_issues,
    make_issue,
    make_os,
)


@pytest.mark.parametrize("values", [[1.0, math.nan], ["a", math.nan], [math.nan]])
def test_nan_is_no_issue_value(values: list[object]) -> None:
    with pytest.raises(InvalidIssueError, match="is not a value \\(NaN\\)"):
        make_issue(values, "q")
    with pytest.raises(InvalidIssueError, match="issue 'q'"):
        CategoricalIssue(values, "q")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_from_array_refuses_values_that_are_not_finite(bad: float) -> None:
    space = make_os([make_issue(3, "a"), make_issue(["x", "y"], "b")])
    with pytest.raises(OutcomeSpaceError, match=f"row 1 holds {bad} for issue 'a'"):
        space.from_array(np.array([[0.0, 1.0], [bad, 0.0]]))
    assert space.from_array(np.array([[2.0, 1.0]])) == [(2, "y")]


def test_generated_issues_need_distinct_names() -> None:
    with pytest.raises(ValueError, match=r"names must be distinct: \['a'\]"):
        generate_issues([2, 3], names=["a", "a"])
    assert [i.name for i in generate_issues([2, 3], names=["a", "b"])] == ["a", "b"]

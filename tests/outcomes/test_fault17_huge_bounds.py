"""Issue values past the float range are refused as not finite, not with OverflowError."""

from __future__ import annotations

import pytest

from palaver import make_issue
from palaver.outcomes import (
    CategoricalIssue,
    ContinuousIssue,
    DiscreteCardinalIssue,
    DiscretizedIssue,
    InvalidIssueError,
)

HUGE = 10**400


@pytest.mark.parametrize("bounds", [(0, HUGE), (-HUGE, 0), (HUGE, HUGE + 1)])
def test_continuous_bounds_past_the_float_range(bounds: tuple[float, float]) -> None:
    with pytest.raises(InvalidIssueError, match=r"issue 'x': bounds must be finite numbers, got"):
        ContinuousIssue(*bounds, name="x")


def test_discretized_value_past_the_float_range() -> None:
    with pytest.raises(InvalidIssueError, match=r"issue 'x': value 1000.* is not a finite number"):
        DiscretizedIssue([1.0, HUGE], name="x")


def test_the_message_shows_a_bounded_part_of_the_value() -> None:
    with pytest.raises(InvalidIssueError) as caught:
        DiscretizedIssue([10**4000], name="x")
    assert len(str(caught.value)) < 200


def test_a_huge_integer_range_is_still_an_integer_issue() -> None:
    # Integers are exact in Python: only the float-valued issues are limited.
    issue = make_issue((0, HUGE), "n")
    assert issue.cardinality == HUGE + 1


def test_a_listed_number_past_the_float_range() -> None:
    # A DiscreteCardinalIssue (what make_issue makes of finite numbers) refuses it;
    # make_issue keeps such a list categorical, its integers exact, as before.
    with pytest.raises(InvalidIssueError, match=r"issue 'x': value 1000.* is not a finite number"):
        DiscreteCardinalIssue([1, HUGE], name="x")
    issue = make_issue([1, HUGE], "x")
    assert isinstance(issue, CategoricalIssue) and HUGE in issue

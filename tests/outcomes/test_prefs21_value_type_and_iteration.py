"""NegMAS's ``issue.value_type`` and ``for outcome in outcome_space``."""

from __future__ import annotations

import pytest

from palaver import make_issue, make_os
from palaver.outcomes import (
    CategoricalIssue,
    ContinuousIssue,
    DiscreteCardinalIssue,
    EnumeratingOutcomeSpace,
    IntegerIssue,
    InvalidIssueError,
    IssueValueTypeError,
    OutcomeSpace,
    OutcomeSpaceError,
    SingletonIssue,
)


def test_value_type_of_each_issue_kind() -> None:
    assert CategoricalIssue(["a", "b"], "c").value_type is str
    assert CategoricalIssue(["a", 1], "mixed").value_type is object
    # None does not decide the type (an optional value).
    assert CategoricalIssue([None, "a", "b"], "opt").value_type is str
    assert IntegerIssue(0, 4, "i").value_type is int
    assert make_issue(5, "k").value_type is int
    assert ContinuousIssue(0, 10, "r").value_type is float  # int bounds: still reals
    assert DiscreteCardinalIssue([1, 5, 10], "n").value_type is int
    assert DiscreteCardinalIssue([1.5, 2.5], "f").value_type is float
    assert DiscreteCardinalIssue([1, 2.5], "ints and floats").value_type is float
    assert SingletonIssue(3, "s").value_type is int
    assert make_issue(3, "r").discretize(2).value_type is int
    assert ContinuousIssue(0, 1, "r").discretize(3).value_type is float


def test_a_discrete_space_iterates_its_outcomes_in_enumerate_order() -> None:
    space = make_os([make_issue(["a", "b"], "x"), make_issue(3, "y")])
    assert list(space) == space.enumerate()
    assert len(list(space)) == len(space) == 6
    constrained = OutcomeSpace(
        [make_issue(["a", "b"], "x"), make_issue(3, "y")], constraints=[lambda o: o[1] != 1]
    )
    assert list(constrained) == [("a", 0), ("a", 2), ("b", 0), ("b", 2)]


def test_iteration_is_lazy_and_refuses_what_enumerate_refuses() -> None:
    big = make_os([make_issue(10**4, f"i{k}") for k in range(2)])  # 10**8 outcomes
    with pytest.raises(OutcomeSpaceError, match="more than the 50,000,000"):
        iter(big)  # at once, not after going through them
    some = make_os([make_issue(10**3, f"i{k}") for k in range(2)])
    it = iter(some)
    assert not isinstance(it, list | tuple)
    assert next(it) == (0, 0) and next(it) == (0, 1)


def test_a_continuous_space_cannot_be_iterated() -> None:
    space = make_os([make_issue((0.0, 1.0), "r")])
    with pytest.raises(TypeError, match="continuous outcome space cannot be iterated"):
        iter(space)
    assert list(space.to_discrete(3)) == [(0.0,), (0.5,), (1.0,)]


def test_an_enumerating_space_iterates_its_listed_outcomes() -> None:
    space = EnumeratingOutcomeSpace(baseset=[(3, "b"), (1, "a")])
    assert list(space) == [(3, "b"), (1, "a")]


def test_a_space_is_not_taken_for_a_list_of_issues() -> None:
    # A space iterates outcomes, not issues: building a space from one is refused.
    space = make_os([make_issue(3, "a")])
    with pytest.raises(TypeError, match=r"iterable of Issues.*got OutcomeSpace"):
        OutcomeSpace(space)  # type: ignore[arg-type]


def test_a_listed_issue_of_numbers_refuses_a_non_number_as_a_type_error() -> None:
    # NegMAS raises TypeError for an ordinal issue of mixed types; so does
    # Palaver, with an InvalidIssueError (a ValueError) naming the value.
    with pytest.raises(IssueValueTypeError, match="value '1' is not a number") as info:
        DiscreteCardinalIssue([0, "1", 10], "n")
    assert isinstance(info.value, TypeError) and isinstance(info.value, InvalidIssueError)
    with pytest.raises(InvalidIssueError, match="not a finite number") as inf:
        DiscreteCardinalIssue([0, float("inf")], "n")
    assert not isinstance(inf.value, TypeError)

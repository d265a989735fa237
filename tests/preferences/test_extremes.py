"""NegMAS's max/min/best/worst/extreme_outcomes on utility functions."""

from __future__ import annotations

import pytest

from palaver.outcomes import OutcomeSpace, OutcomeSpaceError, make_issue
from palaver.preferences import LinearUtilityFunction, MappingUtilityFunction

SPACE = OutcomeSpace([make_issue(3, "a"), make_issue(["x", "y"], "b")])


def test_linear_extremes() -> None:
    u = LinearUtilityFunction([1, -2], outcome_space=SPACE)  # b: x=0, y=1
    assert (u.min(), u.max()) == (-2.0, 2.0)
    assert u.best() == (2, "x") and u.worst() == (0, "y")
    assert u.extreme_outcomes() == ((0, "y"), (2, "x"))


def test_mapping_extremes_ties_take_the_first_outcome() -> None:
    u = MappingUtilityFunction(lambda o: float(o[0] == 1), outcome_space=SPACE)
    assert u.best() == (1, "x")  # (1, "x") and (1, "y") tie: the first enumerated
    assert u.worst() == (0, "x")
    assert (u.min(), u.max()) == (0.0, 1.0)


def test_an_explicit_space_is_used() -> None:
    u = LinearUtilityFunction([1, 1])
    small = OutcomeSpace([make_issue(2, "a"), make_issue(2, "c")])
    assert u.best(small) == (1, 1) and u.max(small) == 2.0


def test_clear_errors_without_a_discrete_space() -> None:
    with pytest.raises(OutcomeSpaceError, match="no outcome space"):
        LinearUtilityFunction([1]).best()
    c = LinearUtilityFunction([1], outcome_space=OutcomeSpace([make_issue((0.0, 1.0), "p")]))
    assert c.max() == 1.0  # linear bounds are exact on continuous issues
    with pytest.raises(OutcomeSpaceError, match="continuous"):
        c.extreme_outcomes()

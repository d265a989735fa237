"""NegMAS's issue helpers: rand, rand_outcomes, rand_invalid, all, type, value_at, str."""

from __future__ import annotations

import random

import pytest

from palaver.outcomes import (
    InvalidIssueError,
    OutcomeSpaceError,
    enumerate_issues,
    issues_from_outcomes,
    make_issue,
)

CONT = make_issue((0.0, 1.0), "c")
INTS = make_issue(10, "d")
CATS = make_issue([f"val {i}" for i in range(5)], "THE problem")
NUMS = make_issue([0.5, 1.5, 2.0], "n")


def test_type_names_follow_negmas() -> None:
    assert (CONT.type, INTS.type, CATS.type) == ("continuous", "contiguous", "categorical")


def test_str_is_name_and_values() -> None:
    assert str(CATS) == "THE problem: ['val 0', 'val 1', 'val 2', 'val 3', 'val 4']"
    assert str(INTS) == "d: (0, 9)"
    assert str(CONT) == "c: (0.0, 1.0)"


def test_rand_draws_valid_values_from_the_global_generator() -> None:
    for issue in (CONT, INTS, CATS, NUMS):
        random.seed(3)
        first = [issue.rand() for _ in range(50)]
        random.seed(3)
        assert [issue.rand_valid() for _ in range(50)] == first
        assert all(v in issue for v in first)
    assert len({INTS.rand() for _ in range(300)}) == 10  # every value can come


def test_rand_invalid_is_never_a_value() -> None:
    for issue in (CONT, INTS, CATS, NUMS):
        for _ in range(100):
            assert issue.rand_invalid() not in issue


def test_rand_outcomes() -> None:
    drawn = INTS.rand_outcomes(5)
    assert len(drawn) == len(set(drawn)) == 5 and all(v in INTS for v in drawn)
    assert CATS.rand_outcomes(9) == list(CATS.values)
    assert len(CATS.rand_outcomes(9, with_replacement=True)) == 9
    assert len(CONT.rand_outcomes(4)) == 4
    with pytest.raises(InvalidIssueError, match="n=9"):
        CATS.rand_outcomes(9, fail_if_not_enough=True)
    with pytest.raises(InvalidIssueError, match="-1"):
        INTS.rand_outcomes(-1)


def test_all_value_at_and_kinds() -> None:
    assert list(INTS.all) == list(range(10))
    assert list(CATS.all) == list(CATS.values)
    with pytest.raises(ValueError):
        list(CONT.all)
    assert INTS.value_at(3) == INTS[3] == 3 and CATS[1] == "val 1"
    for bad in (-1, 10, "2"):
        with pytest.raises(IndexError, match="index"):
            INTS.value_at(bad)  # type: ignore[arg-type]
    with pytest.raises(OutcomeSpaceError):
        CONT.value_at(0)
    assert INTS.is_integer() and not INTS.is_float()
    assert CONT.is_float() and not CONT.is_integer()
    assert NUMS.is_float() and not CATS.is_float() and not CATS.is_integer()


def test_issues_from_outcomes() -> None:
    issues = [make_issue([2, 3], "price"), make_issue(["yes", "no"], "delivery")]
    found = issues_from_outcomes(enumerate_issues(issues), issue_names=["price", "delivery"])
    assert [i.name for i in found] == ["price", "delivery"]
    assert found[0] == make_issue((2, 3), "price")  # integers as a range
    assert found[1] == make_issue(["yes", "no"], "delivery")
    listed = issues_from_outcomes([(1, 0.5), (3, 1.5)], numeric_as_ranges=False)
    assert listed[0].values == (1, 3) and listed[1].values == (0.5, 1.5)
    ranged = issues_from_outcomes([(1, 0.5), (3, 1.5)])
    assert ranged[1] == make_issue((0.5, 1.5), "1")
    assert issues_from_outcomes(3)[0] == make_issue((0, 2), "0")
    with pytest.raises(InvalidIssueError, match="lengths"):
        issues_from_outcomes([(1,), (1, 2)])
    with pytest.raises(InvalidIssueError, match="issue_names"):
        issues_from_outcomes([(1,)], issue_names=["a", "b"])


def test_issues_from_outcomes_refuses_what_holds_no_outcomes_and_takes_a_huge_count() -> None:
    # Anything else that is not a list of outcomes raised "'float' object is not iterable".
    for bad, message in [
        (2.5, r"outcomes must be a list of outcome tuples or a positive number, got float 2\.5"),
        (None, "got NoneType None"),
        ("ab", "got str 'ab'"),
        ([(1, 2), 3], r"outcomes\[1\] must be an outcome tuple, got int 3"),
        ([b"ab"], r"outcomes\[0\] must be an outcome tuple, got bytes b'ab'"),
    ]:
        with pytest.raises(TypeError, match=message):
            issues_from_outcomes(bad)  # type: ignore[arg-type]
    # A huge count listed every one-value outcome first, and never returned.
    assert issues_from_outcomes(10**30)[0] == make_issue((0, 10**30 - 1), "0")
    assert issues_from_outcomes(3, numeric_as_ranges=False)[0].values == (0, 1, 2)


def test_value_generator() -> None:
    assert list(INTS.value_generator()) == list(range(10))
    assert list(INTS.value_generator(3)) == [0, 4, 9]  # evenly spread, ends included
    assert list(INTS.ordered_value_generator(3, endpoints=False)) == [2, 4, 7]
    assert list(CATS.value_generator(float("inf"))) == list(CATS.values)
    random.seed(1)
    drawn = list(INTS.value_generator(4, grid=False))
    assert drawn == sorted(drawn) and len(set(drawn)) == 4
    assert list(CONT.value_generator(3)) == [0.0, 0.5, 1.0]
    assert list(CONT.value_generator(1, endpoints=False)) == [0.5]
    draws = list(CONT.value_generator(5, grid=False))
    assert draws == sorted(draws) and all(v in CONT for v in draws)
    with pytest.raises(InvalidIssueError, match="finite n"):
        CONT.value_generator()
    with pytest.raises(InvalidIssueError, match="-2"):
        INTS.value_generator(-2)

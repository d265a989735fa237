"""Issues and make_issue: semantics, membership, sampling, discretization, errors."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

from palaver.outcomes import (
    CategoricalIssue,
    ContinuousIssue,
    DiscretizedIssue,
    IntegerIssue,
    InvalidIssueError,
    OutcomeSpaceError,
    make_issue,
)


def test_make_issue_int_is_zero_to_n_minus_one() -> None:
    issue = make_issue(2, "active")
    assert isinstance(issue, IntegerIssue)
    assert issue.name == "active"
    assert list(issue.values) == [0, 1]
    assert issue.cardinality == 2
    assert (issue.min_value, issue.max_value) == (0, 1)


def test_make_issue_int_tuple_is_inclusive_range() -> None:
    issue = make_issue((1, 7), "duration")
    assert isinstance(issue, IntegerIssue)
    assert list(issue.values) == [1, 2, 3, 4, 5, 6, 7]
    assert issue.is_discrete and not issue.is_continuous


def test_make_issue_float_tuple_is_continuous() -> None:
    issue = make_issue((0.0, 1.0), "cost")
    assert isinstance(issue, ContinuousIssue)
    assert issue.cardinality == math.inf
    assert issue.is_continuous
    assert make_issue((0, 1.5)).is_continuous


def test_make_issue_list_is_categorical() -> None:
    issue = make_issue(["red", "green"], "color")
    assert isinstance(issue, CategoricalIssue)
    assert issue.values == ("red", "green")
    assert issue.to_numeric("green") == 1.0
    assert issue.from_numeric(1.0) == "green"


def test_names_are_optional() -> None:
    assert make_issue(3).name is None


def test_make_issue_passes_issues_through_and_renames() -> None:
    issue = make_issue(3, "a")
    assert make_issue(issue) is issue
    assert make_issue(issue, "b").name == "b"


@pytest.mark.parametrize(
    ("definition", "fragment"),
    [
        (0, "n >= 1"),
        (-3, "n >= 1"),
        ((3, 1), "empty range"),
        ((1.0, 0.5), "empty continuous range"),
        ((1.0, 1.0), "empty continuous range"),
        (("a", 1), "'a'"),
        ((0, None), "None"),
        ((1, 2, 3), "(lo, hi)"),
        ([], "empty"),
        (["a", "a"], "duplicate value 'a'"),
        ([["unhashable"]], "not hashable"),
        ("abc", "'abc'"),
        (True, "True"),
        (2.5, "2.5"),
        ((0.0, math.inf), "finite"),
        ((0.0, math.nan), "finite"),
    ],
)
def test_invalid_definitions_name_issue_and_value(definition: object, fragment: str) -> None:
    with pytest.raises(InvalidIssueError) as info:
        make_issue(definition, "price")  # type: ignore[arg-type]
    assert "'price'" in str(info.value)
    assert fragment in str(info.value)


def test_invalid_name_is_rejected() -> None:
    with pytest.raises(InvalidIssueError, match="name"):
        make_issue(3, "")
    with pytest.raises(InvalidIssueError, match="name"):
        make_issue(3, 7)  # type: ignore[arg-type]


def test_errors_are_value_errors() -> None:
    assert issubclass(InvalidIssueError, ValueError)
    assert issubclass(OutcomeSpaceError, ValueError)


def test_integer_membership() -> None:
    issue = make_issue((1, 7))
    assert 1 in issue and 7 in issue and np.int64(3) in issue
    assert 0 not in issue and 8 not in issue
    # A number equal to an integer of the range is in it (as an offer of 2.0 is accepted).
    assert 2.0 in issue and np.float64(2.0) in issue and 2.5 not in issue
    assert "2" not in issue and None not in issue and True not in issue
    assert issue.canonical(2.0) == 2 and type(issue.canonical(np.float64(2.0))) is int


def test_continuous_membership() -> None:
    issue = make_issue((0.0, 1.0))
    assert 0.0 in issue and 1.0 in issue and 0.5 in issue and 1 in issue
    assert -0.1 not in issue and 1.1 not in issue
    assert math.nan not in issue and "0.5" not in issue and True not in issue


def test_categorical_membership_handles_unhashable() -> None:
    issue = make_issue(["a", "b"])
    assert "a" in issue
    assert "c" not in issue
    assert ["a"] not in issue


def test_continuous_issue_lists_no_values_and_its_values_are_negmas_bounds() -> None:
    issue = make_issue((0.0, 1.0), "cost")
    with pytest.raises(OutcomeSpaceError, match="discretize"):
        _ = issue.all_values
    assert issue.values == (0.0, 1.0)  # NegMAS 0.16's values of a continuous issue


@pytest.mark.parametrize(
    "issue", [make_issue(5), make_issue((0.0, 2.0)), make_issue(list("xyz")), make_issue((-3, 3))]
)
def test_sampling_is_reproducible_and_valid(issue: object) -> None:
    first = issue.sample(np.random.default_rng(7), 50)  # type: ignore[attr-defined]
    again = issue.sample(np.random.default_rng(7), 50)  # type: ignore[attr-defined]
    assert first == again
    assert len(first) == 50
    assert all(v in issue for v in first)  # type: ignore[operator]


def test_discretize_continuous_includes_both_ends() -> None:
    issue = make_issue((0.0, 1.0), "cost").discretize(5)
    assert isinstance(issue, DiscretizedIssue)
    assert issue.name == "cost"
    assert issue.values == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert issue.to_numeric(0.75) == 0.75
    assert (issue.min_value, issue.max_value) == (0.0, 1.0)


def test_discretize_discrete_issue_is_identity() -> None:
    issue = make_issue(4)
    assert issue.discretize(2) is issue
    cat = make_issue(["a", "b"])
    assert cat.discretize(3) is cat


@pytest.mark.parametrize("levels", [1, 0, -2, 2.5, True, "3"])
def test_discretize_rejects_bad_levels(levels: object) -> None:
    with pytest.raises(InvalidIssueError, match="levels") as info:
        make_issue((0.0, 1.0), "cost").discretize(levels)  # type: ignore[arg-type]
    assert repr(levels) in str(info.value)


def test_discretize_refuses_more_levels_than_palaver_lists() -> None:
    # 10**30 levels failed inside numpy ("Maximum allowed size exceeded").
    with pytest.raises(
        InvalidIssueError, match=r"issue 'cost': discretization levels must be at most"
    ):
        make_issue((0.0, 1.0), "cost").discretize(10**30)
    assert make_issue(5, "n").discretize(10**30).cardinality == 5  # listed already


def test_discretized_issue_validation() -> None:
    with pytest.raises(InvalidIssueError, match="increasing"):
        DiscretizedIssue([1.0, 0.0], "d")
    with pytest.raises(InvalidIssueError, match="finite number"):
        DiscretizedIssue([0.0, "x"], "d")  # type: ignore[list-item]
    assert "1" not in DiscretizedIssue([0.0, 1.0])


def test_numeric_bounds() -> None:
    assert make_issue((2, 5)).numeric_bounds() == (2.0, 5.0)
    assert make_issue((0.5, 1.5)).numeric_bounds() == (0.5, 1.5)
    assert make_issue(list("abc")).numeric_bounds() == (0.0, 2.0)


def test_to_numeric_of_unknown_categorical_value_raises() -> None:
    with pytest.raises(OutcomeSpaceError, match="'z'"):
        make_issue(["a"], "c").to_numeric("z")
    with pytest.raises(OutcomeSpaceError, match="'z'"):
        make_issue(["a"], "c").to_numeric_many(["a", "z"])


def test_indices_map_codes_to_positions_and_reject_others() -> None:
    assert make_issue((2, 5)).indices(np.array([2.0, 5.0])).tolist() == [0, 3]
    assert make_issue(list("abc")).indices(np.array([2.0])).tolist() == [2]
    grid = make_issue((0.0, 1.0)).discretize(5)
    assert grid.indices(np.array([0.25, 1.0])).tolist() == [1, 4]
    for issue, code in [
        (make_issue((2, 5), "n"), 6.0),
        (make_issue((2, 5), "n"), 2.5),
        (grid, 0.3),
    ]:
        with pytest.raises(OutcomeSpaceError, match="code of no value"):
            issue.indices(np.array([code]))
    with pytest.raises(OutcomeSpaceError, match="continuous"):
        make_issue((0.0, 1.0)).indices(np.array([0.0]))


def test_equality_hash_repr_and_pickle() -> None:
    a, b = make_issue((1, 7), "d"), make_issue((1, 7), "d")
    assert a == b and hash(a) == hash(b)
    assert a != make_issue((1, 7), "e") and a != make_issue((1, 8), "d")
    assert make_issue(2) != make_issue(["a", "b"])
    assert "IntegerIssue" in repr(a) and "'d'" in repr(a)
    for issue in [
        a,
        make_issue((0.0, 1.0), "c"),
        make_issue(["x", "y"], "k"),
        DiscretizedIssue([1.0]),
    ]:
        assert pickle.loads(pickle.dumps(issue)) == issue


def test_values_hidden_unhashable_are_rejected() -> None:
    with pytest.raises(InvalidIssueError, match="not hashable"):
        make_issue([(1, [2])], "pairs")


def test_with_name_copies() -> None:
    for issue in [
        make_issue(3),
        make_issue((0.0, 1.0)),
        make_issue(["a"]),
        DiscretizedIssue([0.5]),
    ]:
        renamed = issue.with_name("z")
        assert renamed.name == "z" and type(renamed) is type(issue)
        assert renamed != issue and issue.name is None

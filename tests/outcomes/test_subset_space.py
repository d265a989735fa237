"""NegMAS's SubsetCartesianOutcomeSpace: chosen outcomes of a grid of discrete issues."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from palaver.outcomes import (
    OutcomeSpace,
    OutcomeSpaceError,
    SubsetCartesianOutcomeSpace,
    make_issue,
)

ISSUES = (make_issue(["a", "b", "c"], "x"), make_issue([0, 1, 2], "y"))


def chosen() -> SubsetCartesianOutcomeSpace:
    return SubsetCartesianOutcomeSpace(ISSUES, [("a", 0), ("b", 1), ("c", 2), ("a", 0), ("a", 2)])


def test_only_the_selected_outcomes_are_in_it() -> None:
    s = chosen()
    assert isinstance(s, OutcomeSpace) and s.is_discrete
    assert s.outcomes == (("a", 0), ("b", 1), ("c", 2), ("a", 2))  # repeats once, in order
    assert s.cardinality == len(s) == 4 and s.enumerate() == list(s.outcomes)
    assert ("a", 0) in s and ["b", 1] in s and {"x": "c", "y": 2} in s
    assert ("b", 0) not in s and not s.is_valid(("c", 0))
    assert s.canonical(("a", 2.0)) == ("a", 2) and s.canonical(("b", 2)) is None
    assert s.issue_names == ["x", "y"] and sorted(s) == sorted(s.enumerate())
    assert s.enumerate_or_sample() == s.enumerate()


def test_sampling_draws_selected_outcomes() -> None:
    s = chosen()
    assert all(o in s for o in s.sample(np.random.default_rng(0), 20))
    distinct = s.sample(3, with_replacement=False)
    assert len(set(distinct)) == 3 and all(o in s for o in distinct)
    assert all(s.random_outcome(seed=k) in s for k in range(10))
    with pytest.raises(OutcomeSpaceError, match="cannot draw 5 distinct outcomes"):
        s.sample(5, with_replacement=False)
    # Bad sizes are named as an enumerating space names them (one sampler for both).
    with pytest.raises(TypeError, match=r"n_outcomes must be an integer, got 2\.5"):
        s.sample(2.5)  # type: ignore[arg-type]
    with pytest.raises(OutcomeSpaceError, match="sample size must be >= 0, got -1"):
        s.sample(np.random.default_rng(0), -1)


def test_constraints_limits_equality_and_pickling() -> None:
    s = chosen()
    s.add_constraint(lambda o: o[0] != "a")
    assert s.cardinality == 2 and ("a", 0) not in s
    other = chosen()
    assert other.limit_cardinality(2).outcomes == (("a", 0), ("a", 2))
    assert other.limit_cardinality(100) is other
    assert other.to_discrete() is other and other.to_largest_discrete(5) is other
    assert other != OutcomeSpace(ISSUES) and other == chosen()
    copy = pickle.loads(pickle.dumps(other))
    assert copy == other and copy.outcomes == other.outcomes


def test_empty_from_outcomes_and_bad_input() -> None:
    empty = SubsetCartesianOutcomeSpace(ISSUES, [])
    assert not empty and empty.cardinality == 0 and empty.enumerate() == []
    inferred = SubsetCartesianOutcomeSpace.from_outcome_set([("a", 0), ("b", 1)])
    assert inferred.n_issues == 2 and inferred.cardinality == 2
    with pytest.raises(OutcomeSpaceError, match=r"outcomes\[1\] = \('d', 0\) is not an outcome"):
        SubsetCartesianOutcomeSpace(ISSUES, [("a", 0), ("d", 0)])
    with pytest.raises(OutcomeSpaceError, match="needs discrete issues"):
        SubsetCartesianOutcomeSpace([make_issue((0.0, 1.0), "c")], [(0.5,)])

"""Property-based tests for issues and outcome spaces."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from palaver.outcomes import Issue, OutcomeSpace, make_issue

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@st.composite
def discrete_issues(draw: st.DrawFn) -> Issue:
    kind = draw(st.sampled_from(["n", "range", "list"]))
    if kind == "n":
        return make_issue(draw(st.integers(1, 6)))
    if kind == "range":
        lo = draw(st.integers(-50, 50))
        return make_issue((lo, lo + draw(st.integers(0, 5))))
    values = draw(st.lists(st.text(min_size=1, max_size=3), min_size=1, max_size=5, unique=True))
    return make_issue(values)


@st.composite
def continuous_issues(draw: st.DrawFn) -> Issue:
    lo = draw(finite)
    hi = lo + draw(st.floats(1e-3, 1e3))
    return make_issue((lo, hi))


def spaces(issues: st.SearchStrategy[Issue]) -> st.SearchStrategy[OutcomeSpace]:
    return st.lists(issues, min_size=1, max_size=4).map(OutcomeSpace)


@given(spaces(discrete_issues()))
def test_enumeration_matches_cardinality_and_membership(space: OutcomeSpace) -> None:
    outcomes = space.enumerate()
    assert len(outcomes) == space.cardinality
    assert len(set(outcomes)) == len(outcomes)
    assert all(o in space for o in outcomes)


@given(spaces(st.one_of(discrete_issues(), continuous_issues())), st.integers(0, 2**32 - 1))
def test_samples_are_members_and_round_trip_through_dicts(space: OutcomeSpace, seed: int) -> None:
    for outcome in space.sample(np.random.default_rng(seed), 10):
        assert outcome in space
        as_dict = space.to_dict(outcome)
        assert as_dict in space
        assert space.to_tuple(as_dict) == outcome


@given(spaces(discrete_issues()))
def test_array_round_trip_on_discrete_spaces(space: OutcomeSpace) -> None:
    outcomes = space.enumerate()
    arr = space.to_array(outcomes)
    assert arr.shape == (len(outcomes), space.n_issues)
    assert space.from_array(arr) == outcomes


@given(spaces(st.one_of(discrete_issues(), continuous_issues())), st.integers(2, 6))
def test_discretization_keeps_ends_and_names(space: OutcomeSpace, levels: int) -> None:
    grid = space.discretize(levels)
    assert grid.is_discrete
    assert grid.issue_names == space.issue_names
    expected = math.prod(levels if i.is_continuous else i.cardinality for i in space.issues)
    assert grid.cardinality == expected
    for before, after in zip(space.issues, grid.issues, strict=True):
        if before.is_continuous:
            assert after.values[0] == before.min_value  # type: ignore[attr-defined]
            assert after.values[-1] == before.max_value  # type: ignore[attr-defined]
            assert all(v in before for v in after.values)
        else:
            assert after == before

"""NegMAS's EnumeratingOutcomeSpace, the outcome-space algebra and the outcome helpers."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest

from palaver import AspirationNegotiator, SAOMechanism
from palaver.outcomes import (
    EnumeratingOutcomeSpace,
    OutcomeSpace,
    OutcomeSpaceError,
    discretize_and_enumerate_issues,
    ensure_os,
    enumerate_discrete_issues,
    make_issue,
    make_os,
    num_outcomes,
    os_difference,
    os_intersection,
    os_or_none,
    os_union,
    outcome2dict,
    outcome_is_complete,
    outcome_types_are_ok,
    sample_issues,
    sample_outcomes,
)
from palaver.preferences import LinearUtilityFunction


def test_only_the_listed_outcomes_are_in_it() -> None:
    space = EnumeratingOutcomeSpace(baseset=[(1, 2), (3, 4), (5, 1)])
    assert space.enumerate() == [(1, 2), (3, 4), (5, 1)]
    assert (space.cardinality, len(space)) == (3, 3)
    assert space.is_discrete and (3, 4) in space and [3, 4] in space
    assert (1, 4) not in space  # allowed by the issues, not listed
    assert {"0": 5, "1": 1} in space
    assert space.canonical((1.0, 2)) == (1, 2) and space.canonical((1, 4)) is None
    assert space.to_discrete() is space and space.discretize(3) is space
    assert space.cardinality_if_discretized(3) == 3


def test_invalidate_validate_and_constraints_change_it_in_place() -> None:
    space = EnumeratingOutcomeSpace(baseset=[(1,), (2,), (3,)])
    before = hash(space)
    space.invalidate((2,))
    assert space.enumerate() == [(1,), (3,)] and (2,) not in space and space.invalid == {(2,)}
    assert hash(space) != before  # another key for the per-space caches
    space.validate((2,))  # NegMAS's leaves it out for good; here it is back
    assert space.enumerate() == [(1,), (2,), (3,)]
    big = space.constraints.append
    big(lambda o: o[0] > 1)
    assert space.enumerate() == [(2,), (3,)] and (1,) not in space and space.cardinality == 2
    space.clear_constraints()
    assert space.cardinality == 3


def test_equality_hash_and_pickle() -> None:
    a = EnumeratingOutcomeSpace(baseset=[(1,), (2,)], name="a")
    assert a == EnumeratingOutcomeSpace(baseset=[(2,), (1,)])
    assert hash(a) == hash(EnumeratingOutcomeSpace(baseset=[(2,), (1,)]))
    assert a != EnumeratingOutcomeSpace(baseset=[(1,), (3,)])
    # Its issues equal a cartesian space's, but it is not that space.
    assert a != OutcomeSpace(a.issues) and OutcomeSpace(a.issues) != a
    a.invalidate((1,))
    back = pickle.loads(pickle.dumps(a))
    assert back == a and back.name == "a" and back.enumerate() == [(2,)]


def test_sampling_both_forms() -> None:
    space = EnumeratingOutcomeSpace(baseset=[(1,), (2,), (3,)])
    rng = np.random.default_rng(0)
    assert sorted(space.sample(rng, 3)) == [(1,), (2,), (3,)]  # distinct by default
    assert len(space.sample(rng, 10, with_replacement=True)) == 10
    assert sorted(space.sample(rng, 10)) == [(1,), (2,), (3,)]  # all there are
    with pytest.raises(OutcomeSpaceError, match="cannot draw 10"):
        space.sample(rng, 10, fail_if_not_enough=True)
    random.seed(1)
    first = space.sample(2)
    random.seed(1)
    assert space.sample(2) == first and len(set(first)) == 2
    assert space.random_outcomes(4, seed=3) == space.random_outcomes(4, seed=3)


def test_algebra_of_discrete_spaces() -> None:
    a, b = make_os([make_issue(3)]), make_os([make_issue([1, 2, 5])])
    assert os_union(a, b).enumerate() == [(0,), (1,), (2,), (5,)]
    assert (a | b) == os_union(a, b)
    assert (a & b).enumerate() == os_intersection(a, b).enumerate() == [(1,), (2,)]
    assert (a - b).enumerate() == os_difference(a, b).enumerate() == [(0,)]
    assert os_intersection(a, b) in os_union(a, b) and a in (a | b) and (a | b) not in a
    with pytest.raises(OutcomeSpaceError, match="discretize"):
        os_union(a, make_os([make_issue((0.0, 1.0))]))


def test_negotiations_and_ranges_see_only_the_listed_outcomes() -> None:
    space = EnumeratingOutcomeSpace(baseset=[(1, 2), (3, 4), (5, 1)])
    first = LinearUtilityFunction([1.0, 0.0], reserved_value=0.0)
    second = LinearUtilityFunction([0.0, 1.0], reserved_value=0.0)
    session = SAOMechanism(outcome_space=space, n_steps=20)
    session.add(AspirationNegotiator(), ufun=first)
    session.add(AspirationNegotiator(), ufun=second)
    assert session.run().agreement in space
    both = LinearUtilityFunction([1.0, 1.0], outcome_space=space)
    assert both.minmax() == (3.0, 7.0)  # the issues' bounds would give (2, 9)


def test_make_os_from_outcomes_and_refusals() -> None:
    space = make_os(outcomes=[(1, "a"), (2, "b")])
    assert space.cardinality == 4 and (2, "a") in space
    assert make_os([make_issue(2)], "named").name == "named"
    with pytest.raises(OutcomeSpaceError, match="not both"):
        make_os([make_issue(2)], [(1,)])
    with pytest.raises(OutcomeSpaceError, match="issues or outcomes"):
        make_os()


def test_issue_helpers() -> None:
    priced = [make_issue((0.0, 1.0), "price"), make_issue(["a", "b"], "name")]
    assert num_outcomes(priced) == float("inf") and num_outcomes([make_issue(3)]) == 3
    grid = sample_outcomes(priced)
    assert len(grid) == 10 and grid[:2] == [(0.0, "a"), (0.0, "b")]
    five = sample_outcomes(priced, n_outcomes=5)
    assert len(set(five)) == 5 and all(o in OutcomeSpace(priced).discretize(5) for o in five)
    small = [make_issue((0, 1))]
    assert sample_outcomes(small, 4) == [(0,), (1,)]
    assert sample_outcomes(small, 4, expansion_policy="null") == [(0,), (1,), None, None]
    assert sample_outcomes(small, 5, expansion_policy="repeat") == [(0,), (1,), (0,), (1,), (0,)]
    assert enumerate_discrete_issues([make_issue(2), make_issue(["a"])]) == [(0, "a"), (1, "a")]
    assert discretize_and_enumerate_issues([make_issue((0.0, 1.0))], 3) == [(0.0,), (0.5,), (1.0,)]
    assert len(set(sample_issues([make_issue(10)], 5, with_replacement=False))) == 5
    with pytest.raises(ValueError, match="cannot draw 5"):
        sample_issues([make_issue(3)], 5, with_replacement=False)


def test_outcome_helpers() -> None:
    issues = [make_issue((0.5, 2.0), "price"), make_issue(["x", "y"], "date"), make_issue(20, "n")]
    assert outcome2dict((1.0, "x", 3), issues) == {"price": 1.0, "date": "x", "n": 3}
    assert outcome2dict(None, issues) is None and outcome2dict({"a": 1}, ["a"]) == {"a": 1}
    assert outcome_is_complete({"price": 1.9, "date": "y", "n": 5}, issues)
    assert not outcome_is_complete({"price": 1.9}, issues)
    assert not outcome_is_complete({"price": 2000, "date": "y", "n": 5}, issues)
    assert outcome_types_are_ok((1.0, "x", 3), issues)
    assert not outcome_types_are_ok((1.0, "x", 3.5), issues)
    assert ensure_os(None, None, [(1,), (2,)]).cardinality == 2
    assert os_or_none(None, None, None) is None
    with pytest.raises(OutcomeSpaceError, match="no outcome space"):
        ensure_os(None, None, [])


def test_singleton_issue() -> None:
    from palaver.outcomes import CategoricalIssue, SingletonIssue

    five = SingletonIssue(5, name="n")
    assert (five.value, five.cardinality, list(five.all), five.type) == (5, 1, [5], "singleton")
    assert five.is_valid(5) and not five.is_valid(6) and not five.is_valid("5")
    assert five.is_numeric() and five.is_integer() and (five.min_value, five.max_value) == (5, 5)
    assert five.to_numeric(5) == 5.0  # a number is read as itself, not as index 0
    assert five.contains(SingletonIssue(5, name="m")) and not five.contains(SingletonIssue(6))
    assert five == CategoricalIssue([5], "n") and hash(five) == hash(CategoricalIssue([5], "n"))
    word = SingletonIssue("hello")
    assert not word.is_numeric() and not word.is_valid(word.rand_invalid())
    assert SingletonIssue((1, 2, 3)).is_valid((1, 2, 3))
    space = OutcomeSpace([five, SingletonIssue(2.5, "x")])
    assert space.enumerate() == [(5, 2.5)] and space.issues[0].value == 5
    assert LinearUtilityFunction([1.0, 2.0], outcome_space=space)((5, 2.5)) == 10.0


def test_contains_os_and_cartesian_product() -> None:
    from palaver.outcomes import SingletonOutcomeSpace

    large = make_os([make_issue(10, "a"), make_issue(10, "b")])
    small = make_os([make_issue((2, 5), "a"), make_issue((3, 7), "b")])
    assert large.contains_os(small) and not small.contains_os(large)
    assert large.contains_os(SingletonOutcomeSpace(outcome=(3, 5)))
    assert not large.contains_os(SingletonOutcomeSpace(outcome=(30, 5)))
    listed = EnumeratingOutcomeSpace(baseset=[(1, 1), (2, 3)])
    assert large.contains_os(listed) and not listed.contains_os(large)
    first = OutcomeSpace([make_issue(2, "a")], name="first")
    product = first * OutcomeSpace([make_issue(3, "b")], name="second")
    assert product.cardinality == 6 and product.name == "first*second"
    assert product == first.cartesian_product(OutcomeSpace([make_issue(3, "b")]))


def test_extended_outcome_readers_and_argument_checks() -> None:
    from palaver.outcomes import (
        ExtendedOutcome,
        check_one_and_only,
        check_one_at_most,
        extract_data,
        extract_outcome,
        extract_text,
    )

    said = ExtendedOutcome((1,), data={"text": "hi", "data": {"a": 1}})
    assert (extract_outcome(said), extract_text(said), extract_data(said)) == ((1,), "hi", {"a": 1})
    assert extract_outcome((2,)) == (2,) and extract_text((2,)) is None
    assert extract_text(ExtendedOutcome((1,), data={"x": 1})) == ""
    assert extract_data(ExtendedOutcome((1,))) is None
    check_one_at_most(None, [], None)
    check_one_and_only(None, [make_issue(2)], None)
    with pytest.raises(ValueError, match=r"\['issues', 'outcomes'\]"):
        check_one_at_most(None, [make_issue(2)], [(1,)])
    with pytest.raises(ValueError, match="got none"):
        check_one_and_only(None, [], None)


def test_extended_outcome_is_frozen_and_best_for_reads_its_space() -> None:
    import dataclasses

    from palaver.outcomes import ExtendedOutcome

    ufun = LinearUtilityFunction([1.0, -1.0], issues=[make_issue(5, "p"), make_issue(3, "q")])
    assert ExtendedOutcome((2, 1)).best_for(ufun) == (2, 1)
    choices = EnumeratingOutcomeSpace(baseset=[(1, 0), (3, 2), (2, 0)])
    assert ExtendedOutcome((1, 0), outcome_space=choices).best_for(ufun) == (2, 0)
    assert ExtendedOutcome(None, outcome_space=ufun.outcome_space).best_for(ufun) == (4, 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ExtendedOutcome((1, 0)).outcome = (2, 0)  # type: ignore[misc]

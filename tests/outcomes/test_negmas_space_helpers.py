"""NegMAS's issue and outcome-space conveniences: len/iter, enumerate_or_sample, random outcomes."""

from __future__ import annotations

import numpy as np
import pytest

from palaver.outcomes import OutcomeSpaceError, make_issue, make_os


def test_discrete_issues_have_a_length_and_iterate_over_their_values() -> None:
    assert len(make_issue(5)) == 5 and list(make_issue((2, 4))) == [2, 3, 4]
    assert list(make_issue(["a", "b"])) == ["a", "b"]
    cost = make_issue((0.0, 1.0), "cost")
    with pytest.raises(TypeError, match="continuous"):
        len(cost)
    assert bool(cost) and bool(make_issue(1))  # truthy, whatever len() says
    with pytest.raises(OutcomeSpaceError, match="discretize"):
        iter(cost)
    assert list(cost.discretize(3)) == [0.0, 0.5, 1.0]


def test_enumerate_or_sample_enumerates_small_spaces_and_samples_large_ones() -> None:
    small = make_os([make_issue(3, "a"), make_issue(["x", "y"], "b")])
    assert small.enumerate_or_sample() == small.enumerate()
    priced = make_os([make_issue((0.0, 1.0), "p"), make_issue(2, "q")])
    assert priced.enumerate_or_sample(levels=3) == priced.discretize(3).enumerate()
    big = make_os([make_issue(300, "a"), make_issue(300, "b")])
    picked = big.enumerate_or_sample(max_cardinality=500, seed=4)
    assert len(picked) == len(set(picked)) == 500 and picked == sorted(picked)
    assert all(o in big for o in picked)
    assert picked == big.enumerate_or_sample(max_cardinality=500, seed=4)
    with pytest.raises(OutcomeSpaceError):
        big.enumerate_or_sample(max_cardinality=0)


def test_random_outcomes_come_from_the_seed() -> None:
    space = make_os([make_issue(10, "a"), make_issue((0.0, 5.0), "b")])
    assert space.random_outcome(7) == space.random_outcome(7) in space
    drawn = space.random_outcomes(4, np.random.default_rng(1))
    assert drawn == space.sample(np.random.default_rng(1), 4)


def test_canonical_outcomes_are_the_issues_own_values_in_any_space() -> None:
    small = make_os([make_issue(10, "n"), make_issue(["a", "b"], "k")])
    huge = make_os([make_issue(10**6, "n"), make_issue((0.0, 1.0), "x")])
    assert small.canonical((1.0, "a")) == (1, "a") and small.canonical({"k": "b", "n": 2}) == (
        2,
        "b",
    )
    assert small.canonical((1.5, "a")) is None and small.canonical((1, "c")) is None
    assert small.canonical({"n": 1, "k": "a", "extra": 0}) is None
    got = huge.canonical([np.int64(7), np.float64(0.25)])
    assert got == (7, 0.25) and [type(v) for v in got] == [int, float]
    assert 0.0 in make_issue(10) and 0.0 in make_issue([0, 2, 10])


def test_an_integral_float_offer_is_accepted_as_the_integer_in_a_space_too_large_to_tabulate() -> (
    None
):
    from palaver.mechanisms import ResponseType, SAOMechanism
    from palaver.negotiators import SAONegotiator

    class Floaty(SAONegotiator):
        uses_ranking = False
        needs_ufun = False

        def propose(self, state):
            return (3.0, 0.5)

        def respond(self, state, offer):
            return ResponseType.ACCEPT_OFFER

    m = SAOMechanism(issues=[make_issue(10**6, "n"), make_issue((0.0, 1.0), "x")], n_steps=3)
    m.add(Floaty(name="a"))
    m.add(Floaty(name="b"))
    agreement = m.run().agreement
    assert agreement == (3, 0.5) and type(agreement[0]) is int


def test_a_discrete_space_has_a_length_and_every_space_is_truthy() -> None:
    assert len(make_os([make_issue(3), make_issue(["a", "b"])])) == 6
    priced = make_os([make_issue((0.0, 1.0))])
    with pytest.raises(TypeError, match="continuous"):
        len(priced)
    huge = make_os([make_issue(10**9) for _ in range(3)])
    with pytest.raises(OverflowError):
        len(huge)
    assert bool(priced) and bool(huge)


def test_issues_and_spaces_contain_the_issues_and_spaces_they_cover() -> None:
    ten, five, odd = make_issue(10), make_issue(5), make_issue([1, 3, 7])
    letters, span = make_issue(["1", "2"]), make_issue((0, 10))
    assert five in ten and ten not in five and odd in ten and ten not in odd
    assert letters not in ten and ten not in letters and all(x in span for x in (ten, five, odd))
    assert make_issue(10**9) in make_issue((0, 10**9))  # by bounds, not value by value
    wide, narrow = make_issue((0.0, 4.0)), make_issue((1.0, 3.0))
    assert narrow in wide and wide not in narrow and five not in narrow
    a = make_os([make_issue(10), make_issue(list("abcdefg")), make_issue((1.0, 4.0))])
    b = make_os([make_issue(10), make_issue(list("adefg")), make_issue((1.0, 3.0))])
    c = make_os([make_issue(10), make_issue(list("adefgz")), make_issue((1.0, 3.0))])
    assert b in a and a not in b and c not in a and a in a
    assert make_issue(10) not in a  # unnamed: no issue of a has its name
    assert make_issue(10, name=a.issues[0].name) in a
    assert all(i in a and i not in c for i in a.issues[1:])


def test_negmas_names_for_spaces_and_issue_bounds() -> None:
    from palaver import CartesianOutcomeSpace as Top
    from palaver.outcomes import CartesianOutcomeSpace, DiscreteCartesianOutcomeSpace

    issues = [make_issue((0.0, 1.0), "c"), make_issue(10, "d"), make_issue(["x", "y"], "h")]
    space = CartesianOutcomeSpace(issues)
    assert Top is CartesianOutcomeSpace and space == make_os(issues)
    assert space.cardinality == float("inf")
    assert DiscreteCartesianOutcomeSpace(issues[1:]).cardinality == 20
    # NegMAS code reads an issue's bounds from its _values.
    assert issues[0]._values == (0.0, 1.0) and issues[1]._values == (0, 9)
    assert make_issue((3, 7))._values == (3, 7) and issues[2]._values == ("x", "y")

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


def test_negmas_flags_are_callable_on_issues_and_spaces() -> None:
    space = make_os([make_issue(3, "a"), make_issue((0.0, 1.0), "b"), make_issue(["x"], "c")])
    a, b, c = space.issues
    assert a.is_numeric() and not c.is_numeric() and a.is_finite() and not b.is_finite()
    assert not space.is_discrete() and space.is_continuous() and not space.is_finite()
    assert not space.is_numeric() and make_os([a, b]).is_numeric()
    assert space.is_not_discrete() and not space.is_all_continuous()
    assert make_os([a]).is_integer() and not space.is_integer() and make_os([b]).is_float()
    assert space.is_valid((2, 0.5, "x")) and not space.is_valid((3, 0.5, "x"))
    assert space.contains_issue(a) and not space.contains_issue(make_issue(4, "a"))


def test_negmas_discretization_within_a_cardinality_budget() -> None:
    space = make_os([make_issue((0.0, 1.0), "p"), make_issue((0.0, 2.0), "q")])
    assert space.to_discrete(5).cardinality == 25 == space.cardinality_if_discretized(5)
    assert space.cardinality_if_discretized(10, max_cardinality=40) == 40
    assert list(space.to_discrete(3).issues[1].values) == [0.0, 1.0, 2.0]
    with pytest.raises(ValueError, match="max_cardinality=40"):
        space.to_discrete(10, max_cardinality=40)
    assert space.to_largest_discrete(10, max_cardinality=40).cardinality == 36
    single = space.to_largest_discrete(10, max_cardinality=1)
    assert single.enumerate() == [(0.0, 0.0)]
    mixed = make_os([make_issue((0.0, 1.0), "p"), make_issue(100, "n")])
    with pytest.raises(ValueError, match="max_cardinality=50"):
        mixed.to_largest_discrete(10, max_cardinality=50)
    with pytest.raises(ValueError, match="levels must be an int >= 1, got 0"):
        space.to_discrete(0)
    with pytest.raises(
        ValueError, match=r"max_cardinality must be a number >= 1 \(or inf\), got 0"
    ):
        space.to_largest_discrete(5, max_cardinality=0)


def test_negmas_sampling_form_draws_from_the_global_random() -> None:
    import random

    space = make_os([make_issue(3, "a"), make_issue(["x", "y"], "c")])
    random.seed(7)
    first = space.sample(20)
    random.seed(7)
    assert space.sample(20) == first and len(first) == 20 and all(o in space for o in first)
    distinct = space.sample(6, with_replacement=False)
    assert sorted(distinct) == sorted(space.enumerate())
    assert len(space.sample(9, with_replacement=False, fail_if_not_enough=False)) == 6
    with pytest.raises(ValueError, match="cannot draw 9 distinct outcomes from a space of 6"):
        space.sample(9, with_replacement=False)
    with pytest.raises(ValueError, match="n_outcomes must be a non-negative int, got -1"):
        space.sample(-1)
    priced = make_os([make_issue((0.0, 1.0), "p")])
    assert len(set(priced.sample(5, with_replacement=False))) == 5
    # Palaver's own, seeded form is unchanged.
    rng_draw = space.sample(np.random.default_rng(3), 4)
    assert rng_draw == space.sample(np.random.default_rng(3), 4)


def test_a_space_keeps_a_negmas_name_outside_equality() -> None:
    import pickle

    named = make_os([make_issue(3, "a"), make_issue((0.0, 1.0), "b")], name="deal")
    plain = make_os([make_issue(3, "a"), make_issue((0.0, 1.0), "b")])
    assert named.name == "deal" and plain.name is None
    assert named == plain and hash(named) == hash(plain)
    assert pickle.loads(pickle.dumps(named)).name == "deal"
    assert named.discretize(3).name == "deal" == named.to_largest_discrete(5, 6).name
    with pytest.raises(TypeError, match="name must be a string or None, got 3"):
        make_os([make_issue(3)], name=3)  # type: ignore[arg-type]

"""OutcomeSpace: naming, cardinality, membership, enumeration, conversion, arrays."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

from palaver.outcomes import OutcomeSpace, OutcomeSpaceError, make_issue, make_os


@pytest.fixture
def trips() -> OutcomeSpace:
    return OutcomeSpace(
        [make_issue((0.0, 1.0), "cost"), make_issue(2, "active"), make_issue((1, 7), "duration")]
    )


@pytest.fixture
def mixed() -> OutcomeSpace:
    return OutcomeSpace([make_issue(["red", "green", "blue"], "color"), make_issue(3, "n")])


def test_unnamed_issues_get_positional_names() -> None:
    space = OutcomeSpace([make_issue(2), make_issue(3, "b"), make_issue(["x"])])
    assert space.issue_names == ["i0", "b", "i2"]
    assert [i.name for i in space.issues] == ["i0", "b", "i2"]
    assert space.n_issues == 3


def test_duplicate_names_are_rejected() -> None:
    with pytest.raises(OutcomeSpaceError, match="duplicate issue name 'a'"):
        OutcomeSpace([make_issue(2, "a"), make_issue(3, "a")])
    with pytest.raises(OutcomeSpaceError, match="'i1'"):
        OutcomeSpace([make_issue(2, "i1"), make_issue(3)])


def test_no_issues_is_the_one_outcome_space_but_make_os_refuses_it() -> None:
    # NegMAS's CartesianOutcomeSpace([]): one outcome, the empty one.
    space = OutcomeSpace([])
    assert (space.cardinality, len(space), space.n_issues) == (1, 1, 0)
    assert space.enumerate() == [()] and () in space and (1,) not in space
    assert space.sample(np.random.default_rng(0), 3) == [(), (), ()]
    assert space.to_array([(), ()]).shape == (2, 0)
    assert space.from_array(np.empty((2, 0))) == [(), ()]
    with pytest.raises(OutcomeSpaceError, match="at least one issue"):
        make_os([])


def test_a_negotiation_over_no_issues_agrees_on_the_empty_outcome() -> None:
    from palaver import AspirationNegotiator, SAOMechanism
    from palaver.preferences import MappingUtilityFunction

    session = SAOMechanism(outcome_space=OutcomeSpace([]), n_steps=5)
    for _ in range(2):
        session.add(AspirationNegotiator(), ufun=MappingUtilityFunction(lambda o: 1.0))
    assert session.run().agreement == ()


def test_bad_issue_lists_are_rejected() -> None:
    with pytest.raises(OutcomeSpaceError, match="not an Issue"):
        OutcomeSpace([(0, 1)])  # type: ignore[list-item]


def test_single_issue_is_accepted_and_make_os_is_an_alias() -> None:
    assert OutcomeSpace(make_issue(3)).cardinality == 3  # type: ignore[arg-type]
    assert make_os([make_issue(3)]) == OutcomeSpace([make_issue(3)])


def test_cardinality(trips: OutcomeSpace, mixed: OutcomeSpace) -> None:
    assert trips.cardinality == math.inf
    assert trips.is_continuous and not trips.is_discrete
    assert mixed.cardinality == 9
    assert mixed.is_discrete


def test_huge_integer_issues_before_a_continuous_one_have_infinite_cardinality() -> None:
    # Their exact product passed the largest float: multiplying it by inf overflowed.
    huge = [make_issue((0, 10**200), "a"), make_issue((0, 10**200), "b")]
    assert OutcomeSpace([*huge, make_issue((0.0, 1.0), "x")]).cardinality == math.inf
    assert OutcomeSpace(huge).cardinality == (10**200 + 1) ** 2


def test_membership(trips: OutcomeSpace) -> None:
    assert (0.5, 1, 3) in trips
    assert [0.5, 1, 3] in trips
    assert {"cost": 0.5, "active": 1, "duration": 3} in trips
    assert {"duration": 3, "active": 1, "cost": 0.5} in trips
    assert (1.5, 1, 3) not in trips
    assert (0.5, 2, 3) not in trips
    assert (0.5, 1) not in trips
    assert {"cost": 0.5, "active": 1} not in trips
    assert {"cost": 0.5, "active": 1, "other": 3} not in trips
    assert None not in trips
    assert "abc" not in trips


def test_enumerate(mixed: OutcomeSpace) -> None:
    outcomes = mixed.enumerate()
    assert len(outcomes) == 9
    assert outcomes[0] == ("red", 0) and outcomes[-1] == ("blue", 2)
    assert len(set(outcomes)) == 9
    assert all(o in mixed for o in outcomes)


def test_enumerate_refuses_continuous_spaces(trips: OutcomeSpace) -> None:
    with pytest.raises(OutcomeSpaceError, match=r"\['cost'\].*discretize"):
        trips.enumerate()


def test_sample_uses_only_the_given_generator(trips: OutcomeSpace) -> None:
    a = trips.sample(np.random.default_rng(3), 20)
    b = trips.sample(np.random.default_rng(3), 20)
    assert a == b
    assert len(a) == 20 and all(o in trips for o in a)
    assert trips.sample(np.random.default_rng(3), 0) == []


def test_sample_rejects_bad_arguments(trips: OutcomeSpace) -> None:
    with pytest.raises(TypeError, match="Generator"):
        trips.sample(3, 5)  # type: ignore[arg-type]
    with pytest.raises(OutcomeSpaceError, match="-1"):
        trips.sample(np.random.default_rng(), -1)
    with pytest.raises(TypeError, match="with_replacement must be True or False, got 'no'"):
        trips.sample(np.random.default_rng(), 3, with_replacement="no")  # type: ignore[arg-type]
    # More than Palaver lists: numpy failed on 10**30 ("Maximum allowed dimension
    # exceeded"), and NegMAS's form (an int first) drew for ever.
    with pytest.raises(OutcomeSpaceError, match=r"sample size must be at most 50,000,000"):
        trips.sample(np.random.default_rng(), 10**30)
    with pytest.raises(ValueError, match=r"n_outcomes must be at most 50,000,000"):
        trips.sample(10**30)
    # A seed numpy cannot take: "SeedSequence expects int or sequence of ints".
    for seed in ("x", -1, 1.5, True):
        with pytest.raises(TypeError, match=r"^seed must be an int >= 0, a numpy.random.Generator"):
            trips.random_outcome(seed)  # type: ignore[arg-type]
    # "'str' object has no attribute 'is_continuous'".
    with pytest.raises(TypeError, match=r"^other must be an Issue .*got 'x'"):
        trips.issues[1].contains_issue("x")  # type: ignore[arg-type]


def test_sample_without_replacement_draws_distinct_outcomes() -> None:
    # with_replacement=False was ignored by the seeded form: repeats came back.
    small = make_os([make_issue(4, "a"), make_issue(3, "b")])
    drawn = small.sample(np.random.default_rng(1), 12, with_replacement=False)
    assert sorted(drawn) == small.enumerate()
    again = small.sample(np.random.default_rng(1), 12, with_replacement=False)
    assert drawn == again  # seeded: the same draw
    assert len(small.sample(np.random.default_rng(1), 20, False, fail_if_not_enough=False)) == 12
    with pytest.raises(OutcomeSpaceError, match="20 distinct outcomes from a space of 12"):
        small.sample(np.random.default_rng(1), 20, with_replacement=False)
    large = make_os([make_issue(10**5, "x"), make_issue(10**5, "y")])
    assert len(set(large.sample(np.random.default_rng(2), 500, with_replacement=False))) == 500
    line = make_os([make_issue((0.0, 1.0), "p")])
    assert len(set(line.sample(np.random.default_rng(3), 50, with_replacement=False))) == 50


def test_tuple_dict_conversion(trips: OutcomeSpace) -> None:
    outcome = (0.25, 0, 7)
    as_dict = trips.to_dict(outcome)
    assert as_dict == {"cost": 0.25, "active": 0, "duration": 7}
    assert list(as_dict) == ["cost", "active", "duration"]
    assert trips.to_tuple(as_dict) == outcome
    assert trips.to_tuple({"duration": 7, "cost": 0.25, "active": 0}) == outcome
    assert trips.to_tuple([0.25, 0, 7]) == outcome
    assert trips.to_tuple(outcome) is outcome
    assert trips.to_dict(as_dict) == as_dict


def test_conversion_errors_name_the_problem(trips: OutcomeSpace) -> None:
    with pytest.raises(OutcomeSpaceError, match=r"no value for \['duration'\]"):
        trips.to_tuple({"cost": 0.1, "active": 0})
    with pytest.raises(OutcomeSpaceError, match=r"unknown issues \['x'\]"):
        trips.to_tuple({"cost": 0.1, "active": 0, "duration": 2, "x": 1})
    with pytest.raises(OutcomeSpaceError, match="2 values, expected 3"):
        trips.to_tuple((0.1, 0))
    with pytest.raises(OutcomeSpaceError, match="tuple or a dict"):
        trips.to_tuple("abc")  # type: ignore[arg-type]
    with pytest.raises(OutcomeSpaceError, match="tuple or a dict"):
        trips.to_tuple(5)  # type: ignore[arg-type]


def test_discretize_is_explicit(trips: OutcomeSpace) -> None:
    grid = trips.discretize(5)
    assert trips.is_continuous  # the original is unchanged
    assert grid.is_discrete
    assert grid.cardinality == 5 * 2 * 7
    assert grid.issue_names == trips.issue_names
    assert grid.issues[0].values == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert grid.issues[1] == trips.issues[1]


def test_discretize_per_issue_levels(trips: OutcomeSpace) -> None:
    assert trips.discretize({"cost": 3}).cardinality == 3 * 2 * 7
    with pytest.raises(OutcomeSpaceError, match=r"\['cost'\]"):
        trips.discretize({"active": 3})
    with pytest.raises(OutcomeSpaceError, match=r"\['nope'\]"):
        trips.discretize({"cost": 3, "nope": 2})


def test_to_array_maps_categorical_to_index(mixed: OutcomeSpace) -> None:
    arr = mixed.to_array([("green", 2), {"n": 0, "color": "blue"}])
    assert arr.dtype == float
    assert arr.tolist() == [[1.0, 2.0], [2.0, 0.0]]
    assert mixed.to_array([]).shape == (0, 2)


def test_to_array_of_numeric_space_and_bools(trips: OutcomeSpace) -> None:
    arr = trips.to_array([(0.5, True, 3), (0.25, False, 7)])
    assert arr.tolist() == [[0.5, 1.0, 3.0], [0.25, 0.0, 7.0]]
    assert trips.to_array(arr) is not None and trips.to_array(arr).shape == (2, 3)


def test_to_array_errors(trips: OutcomeSpace, mixed: OutcomeSpace) -> None:
    with pytest.raises(OutcomeSpaceError, match="2 values, expected 3"):
        trips.to_array([(0.5, 1, 3), (0.5, 1)])
    with pytest.raises(OutcomeSpaceError, match="'duration': 'x' is not a number"):
        trips.to_array([(0.5, 1, "x")])
    with pytest.raises(OutcomeSpaceError, match="'purple'"):
        mixed.to_array([("purple", 1)])
    with pytest.raises(OutcomeSpaceError, match="1 values, expected 2"):
        mixed.to_array([("red",)])


def test_from_array_inverts_to_array(trips: OutcomeSpace, mixed: OutcomeSpace) -> None:
    outcomes = mixed.enumerate()
    assert mixed.from_array(mixed.to_array(outcomes)) == outcomes
    back = trips.from_array(trips.to_array([(0.5, 1, 3)]))
    assert back == [(0.5, 1, 3)]
    assert type(back[0][2]) is int
    with pytest.raises(OutcomeSpaceError, match="shape"):
        trips.from_array(np.zeros((2, 2)))


def test_equality_hash_repr_and_pickle(trips: OutcomeSpace) -> None:
    same = OutcomeSpace(list(trips.issues))
    assert same == trips and hash(same) == hash(trips)
    assert trips != trips.discretize(3)
    assert "OutcomeSpace" in repr(trips) and "'cost'" in repr(trips)
    assert pickle.loads(pickle.dumps(trips)) == trips
    assert trips.__eq__(5) is NotImplemented


def test_to_array_checks_array_shapes(trips: OutcomeSpace) -> None:
    with pytest.raises(OutcomeSpaceError, match=r"shape \(n, 3\)"):
        trips.to_array(np.zeros((2, 2)))
    assert trips.to_array(np.ones((2, 3))).tolist() == [[1.0] * 3] * 2
    assert trips.to_array(iter([(0.5, 1, 3)])).tolist() == [[0.5, 1.0, 3.0]]


def test_space_hash_and_equality_survive_pickling() -> None:
    space = OutcomeSpace([make_issue(3, "a"), make_issue((0.0, 1.0), "b"), make_issue(["x"], "c")])
    again = pickle.loads(pickle.dumps(space))
    assert again == space and hash(again) == hash(space) and again is not space
    assert {space: 1}[again] == 1
    assert hash(space) == hash(OutcomeSpace(space.issues))  # cached, and still by value


def test_space_is_numeric_and_fast_membership_paths() -> None:
    space = OutcomeSpace([make_issue(3, "a"), make_issue((0.0, 1.0), "b")])
    assert space.is_numeric
    assert not OutcomeSpace([make_issue(["x", "y"], "c")]).is_numeric
    assert (1, 0.5) in space and (1, 1) in space and (1, np.float64(0.5)) in space
    assert (1, 1.5) not in space and (1, float("nan")) not in space and (1, True) not in space
    assert (1, 0.5, 0) not in space and (1,) not in space
    levels = OutcomeSpace([make_issue((0.0, 1.0), "b")]).discretize(3)
    assert (0.5,) in levels and (1,) in levels and (0.25,) not in levels and (True,) not in levels

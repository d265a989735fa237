"""LinearUtilityFunction and the UtilityFunction base behaviour it inherits."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from palaver.outcomes import OutcomeSpace, OutcomeSpaceError, make_issue
from palaver.preferences import (
    ConstUtilityFunction,
    IdentityFun,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    Preferences,
    UtilityFunction,
)

TRIPS = [make_issue((0.0, 1.0), "cost"), make_issue(2, "active"), make_issue((1, 7), "duration")]


@pytest.fixture
def space() -> OutcomeSpace:
    return OutcomeSpace(TRIPS)


def test_tutorial_construction_and_dict_call() -> None:
    weights = np.array([0.5, -0.25, 0.1])
    ufun = LinearUtilityFunction(weights, reserved_value=0.0)
    assert isinstance(ufun, UtilityFunction) and isinstance(ufun, Preferences)
    assert ufun.outcome_space is None
    expected = 0.5 * 0.4 - 0.25 * 1 + 0.1 * 3
    assert ufun((0.4, 1, 3)) == pytest.approx(expected)
    # Without an outcome space a dict is read in insertion order.
    assert ufun({"cost": 0.4, "active": 1, "duration": 3}) == pytest.approx(expected)
    assert ufun([0.4, 1, 3]) == pytest.approx(expected)
    assert ufun(None) == 0.0
    assert isinstance(ufun((0.4, 1, 3)), float)


def test_dict_is_read_by_name_when_space_known(space: OutcomeSpace) -> None:
    ufun = LinearUtilityFunction([1.0, 10.0, 100.0], outcome_space=space)
    assert ufun({"duration": 2, "cost": 0.5, "active": 1}) == pytest.approx(210.5)
    with pytest.raises(OutcomeSpaceError, match="duration"):
        ufun({"cost": 0.5, "active": 1})


def test_bias_reserved_value_and_bools() -> None:
    ufun = LinearUtilityFunction([2.0, 3.0], bias=1.0, reserved_value=-4.0)
    assert ufun((True, False)) == 3.0
    assert ufun(None) == -4.0
    assert ufun.bias == 1.0
    assert ufun.weights.tolist() == [2.0, 3.0]


def test_categorical_values_use_their_index() -> None:
    space = OutcomeSpace([make_issue(["low", "mid", "high"], "q"), make_issue(3, "n")])
    ufun = LinearUtilityFunction([2.0, 1.0], outcome_space=space)
    assert ufun(("high", 1)) == 5.0
    assert ufun.eval_many([("low", 0), ("mid", 2)]).tolist() == [0.0, 4.0]
    assert ufun.minmax() == (0.0, 6.0)
    with pytest.raises(OutcomeSpaceError, match="'top'"):
        ufun(("top", 1))


def test_categorical_without_space_is_a_clear_error() -> None:
    ufun = LinearUtilityFunction([2.0, 1.0])
    with pytest.raises(ValueError, match=r"'high' is not numeric.*outcome_space"):
        ufun(("high", 1))
    with pytest.raises(ValueError, match="outcome_space"):
        ufun.eval_many([("high", 1)])


def test_weights_keyed_by_name_follow_the_space(space: OutcomeSpace) -> None:
    ufun = LinearUtilityFunction({"duration": 1.0, "cost": 2.0, "active": 3.0})
    assert ufun((1.0, 1, 1)) == 6.0  # insertion order: duration, cost, active
    ufun.outcome_space = space
    assert ufun.weights.tolist() == [2.0, 3.0, 1.0]
    assert ufun((1.0, 0, 5)) == 7.0
    ufun.outcome_space = None
    assert ufun.weights.tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="keyed by"):
        LinearUtilityFunction({"x": 1.0, "cost": 1.0, "active": 1.0}, outcome_space=space)


def test_length_mismatches_are_clear(space: OutcomeSpace) -> None:
    ufun = LinearUtilityFunction([1.0, 2.0])
    with pytest.raises(ValueError, match=r"2 weights but outcome .* has 3 values"):
        ufun((1, 2, 3))
    with pytest.raises(ValueError, match="2 weights"):
        ufun.eval_many([(1, 2, 3)])
    with pytest.raises(ValueError, match="2 weights given but the outcome space has 3 issues"):
        LinearUtilityFunction([1.0, 2.0], outcome_space=space)
    with pytest.raises(ValueError, match="3 issues"):
        ufun.outcome_space = space
    assert ufun.outcome_space is None  # a refused space is not kept


@pytest.mark.parametrize("weights", [[], [[1.0, 2.0]], ["a", 1.0], [1.0, np.nan], [np.inf]])
def test_invalid_weights(weights: object) -> None:
    with pytest.raises(ValueError, match="weights"):
        LinearUtilityFunction(weights)  # type: ignore[arg-type]


@pytest.mark.parametrize("rv", ["x", "0.2", True, None, float("nan")])
def test_invalid_reserved_value(rv: object) -> None:
    with pytest.raises(ValueError, match="reserved_value"):
        LinearUtilityFunction([1.0], reserved_value=rv)  # type: ignore[arg-type]


def test_call_rejects_non_outcomes() -> None:
    with pytest.raises(TypeError, match="tuple, a dict or None"):
        LinearUtilityFunction([1.0])(3)  # type: ignore[arg-type]


def test_eval_many_input_forms_agree(space: OutcomeSpace) -> None:
    grid = space.discretize(4)
    outcomes = grid.enumerate()
    ufun = LinearUtilityFunction([0.3, -0.7, 0.11], bias=0.2)
    loose = ufun.eval_many(outcomes)
    ufun.outcome_space = grid
    from_tuples = ufun.eval_many(outcomes)
    from_dicts = ufun.eval_many([grid.to_dict(o) for o in outcomes])
    from_array = ufun.eval_many(grid.to_array(outcomes))
    singles = np.array([ufun(o) for o in outcomes])
    assert from_tuples.shape == (len(outcomes),)
    # eval and eval_many add terms in the same order: results are bit-identical.
    assert np.array_equal(from_tuples, singles)
    assert np.array_equal(from_tuples, loose)
    assert np.array_equal(from_tuples, from_dicts)
    assert np.array_equal(from_tuples, from_array)
    assert ufun.eval_many([]).shape == (0,)


def test_eval_many_rejects_bad_arrays() -> None:
    ufun = LinearUtilityFunction([1.0, 2.0])
    with pytest.raises(ValueError, match="2-D"):
        ufun.eval_many(np.zeros(3))
    with pytest.raises(ValueError, match="2 weights"):
        ufun.eval_many(np.zeros((2, 3)))


def test_minmax_is_exact_on_continuous_spaces(space: OutcomeSpace) -> None:
    ufun = LinearUtilityFunction([1.0, -2.0, 0.5], bias=1.0, outcome_space=space)
    assert ufun.minmax() == (1.0 + 0.0 - 2.0 + 0.5, 1.0 + 1.0 + 0.0 + 3.5)
    other = OutcomeSpace([make_issue(3), make_issue(2), make_issue(2)])
    assert ufun.minmax(other) == (1.0 + 0.0 - 2.0 + 0.0, 1.0 + 2.0 + 0.0 + 0.5)
    assert ufun.outcome_space == space  # minmax over another space changes nothing


def test_minmax_needs_a_space() -> None:
    with pytest.raises(OutcomeSpaceError, match="no outcome space"):
        LinearUtilityFunction([1.0]).minmax()


def test_normalize_maps_onto_unit_interval(space: OutcomeSpace) -> None:
    ufun = LinearUtilityFunction([1.0, -2.0, 0.5], reserved_value=0.5)
    norm = ufun.normalize(space)
    assert ufun.outcome_space is None  # the original is left alone
    grid = space.discretize(3).enumerate()
    values = norm.eval_many(grid)
    assert values.min() == 0.0 and values.max() == 1.0
    assert norm((1.0, 0, 7)) == 1.0 and norm((0.0, 1, 1)) == 0.0
    lo, hi = ufun.minmax(space)
    assert norm.reserved_value == pytest.approx((0.5 - lo) / (hi - lo))
    assert norm.minmax() == (0.0, 1.0)
    assert norm(None) == norm.reserved_value
    assert norm({"cost": 1.0, "active": 0, "duration": 7}) == 1.0
    assert norm.inner is not ufun and norm.inner.outcome_space == space


def test_normalize_of_constant_ufun_is_a_constant_at_the_top(space: OutcomeSpace) -> None:
    flat = LinearUtilityFunction([0.0, 0.0, 0.0], bias=3.0).normalize(space)
    assert isinstance(flat, ConstUtilityFunction)
    assert flat((0.5, 1, 3)) == 1.0 and flat.reserved_value == 0.0
    both = LinearUtilityFunction.normalize_all_for(
        [LinearUtilityFunction([0.0] * 3, bias=1.0, outcome_space=space)] * 2, to=(0.0, 4.0)
    )
    assert [u((0.5, 1, 3)) for u in both] == [4.0, 4.0]


def test_is_better() -> None:
    ufun = LinearUtilityFunction([1.0], reserved_value=0.5)
    assert ufun.is_better((1,), (0,)) is True
    assert ufun.is_better((0,), (1,)) is False
    assert ufun.is_better((1,), (1,)) is False  # equally good: not strictly better (NegMAS)
    assert ufun.is_better(None, (0,)) is True


def test_pickle_round_trip(space: OutcomeSpace) -> None:
    ufun = LinearUtilityFunction(
        [0.5, 1.0, -1.0], bias=0.1, reserved_value=0.2, outcome_space=space
    )
    copy = pickle.loads(pickle.dumps(ufun))
    assert copy((0.5, 1, 3)) == ufun((0.5, 1, 3))
    assert copy.outcome_space == space and copy.reserved_value == 0.2


def test_outcome_space_may_be_given_as_issues() -> None:
    ufun = LinearUtilityFunction([1.0, 1.0, 1.0], outcome_space=TRIPS)
    assert isinstance(ufun.outcome_space, OutcomeSpace)
    assert ufun.outcome_space.issue_names == ["cost", "active", "duration"]


def test_normalized_ufun_evaluates_arrays_like_its_inner(space: OutcomeSpace) -> None:
    grid = space.discretize(3)
    norm = LinearUtilityFunction([1.0, -2.0, 0.5], outcome_space=grid).normalize()
    assert norm.prefers_array
    outcomes = grid.enumerate()
    assert np.array_equal(norm.eval_many(grid.to_array(outcomes)), norm.eval_many(outcomes))
    other = OutcomeSpace([make_issue(2), make_issue(2), make_issue(2)])
    # normalized over grid: lo = -2 + 0.5 * 1 = -1.5, hi = 1 + 0.5 * 7 = 4.5
    assert norm.minmax(other) == pytest.approx(((-2.0 + 1.5) / 6.0, (1.5 + 1.5) / 6.0))


def test_eval_many_matches_eval_bit_for_bit_whatever_the_array_layout() -> None:
    space = OutcomeSpace([make_issue(7, "a"), make_issue((-2, 5), "b"), make_issue(4, "c")])
    outcomes = space.enumerate()
    rng = np.random.default_rng(3)
    for _ in range(5):
        u = LinearUtilityFunction(list(rng.normal(size=3)), bias=float(rng.normal()))
        one_by_one = [u.eval(o) for o in outcomes]
        array = space.to_array(outcomes)
        for arr in (array, np.asfortranarray(array), outcomes):
            assert u.eval_many(arr).tolist() == one_by_one


def test_weights_of_the_wrong_length_are_refused_by_a_numeric_space() -> None:
    u = LinearUtilityFunction([1.0, 2.0])
    with pytest.raises(ValueError, match="2 weights given but the outcome space has 3"):
        u.outcome_space = OutcomeSpace([make_issue(2), make_issue(2), make_issue(2)])
    u.outcome_space = OutcomeSpace([make_issue(2), make_issue(3)])
    assert u((1, 2)) == 5.0
    with pytest.raises(ValueError, match="must be finite"):
        LinearUtilityFunction([1.0, float("inf")])


@pytest.mark.parametrize(
    "weights", [["1", "2"], [True, 1.0], np.array(["1", "2"]), np.array([True, False])], ids=repr
)
def test_weights_that_are_not_numbers_are_refused(weights: object) -> None:
    # numpy read the text "1" as 1.0 and a flag as 0 or 1: a utility function
    # built from a file's unconverted values ranked outcomes by them silently.
    with pytest.raises(ValueError, match="weights must be numbers"):
        LinearUtilityFunction(weights)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="weights must be numbers"):
        LinearAdditiveUtilityFunction(
            [IdentityFun(), IdentityFun()],
            weights=weights,
            issues=[make_issue(3, "a"), make_issue(3, "b")],
        )

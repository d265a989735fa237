"""LinearAdditiveUtilityFunction and MappingUtilityFunction."""

from __future__ import annotations

import numpy as np
import pytest

from palaver.outcomes import OutcomeSpace, OutcomeSpaceError, make_issue
from palaver.preferences import LinearAdditiveUtilityFunction, MappingUtilityFunction


@pytest.fixture
def space() -> OutcomeSpace:
    return OutcomeSpace(
        [make_issue(["red", "green", "blue"], "color"), make_issue(4, "n"), make_issue(2, "b")]
    )


def additive(space: OutcomeSpace | None = None) -> LinearAdditiveUtilityFunction:
    return LinearAdditiveUtilityFunction(
        {"color": {"red": 1.0, "green": 0.0, "blue": 3.0}, "n": lambda x: x * x, "b": None},
        weights={"color": 2.0, "n": 0.5, "b": -1.0},
        bias=0.25,
        reserved_value=1.0,
        outcome_space=space,
    )


def test_additive_value_functions(space: OutcomeSpace) -> None:
    ufun = additive(space)
    assert ufun(("blue", 2, 1)) == 0.25 + 2 * 3.0 + 0.5 * 4 - 1.0
    assert ufun({"b": 0, "n": 3, "color": "red"}) == 0.25 + 2.0 + 4.5
    assert ufun(None) == 1.0
    assert ufun.weights.tolist() == [2.0, 0.5, -1.0]
    assert ufun.bias == 0.25


def test_additive_eval_many_matches_eval_bit_for_bit(space: OutcomeSpace) -> None:
    ufun = additive(space)
    outcomes = space.enumerate()
    singles = np.array([ufun(o) for o in outcomes])
    assert np.array_equal(ufun.eval_many(outcomes), singles)
    assert np.array_equal(ufun.eval_many(space.to_array(outcomes)), singles)
    assert np.array_equal(ufun.eval_many([space.to_dict(o) for o in outcomes]), singles)


def test_additive_without_space_uses_insertion_order() -> None:
    ufun = LinearAdditiveUtilityFunction(
        [{"a": 1.0, "b": 2.0}, None, lambda v: -v], [1.0, 2.0, 3.0]
    )
    assert ufun(("b", 4, 1.5)) == 2.0 + 8.0 - 4.5
    assert ufun.eval_many([("b", 4, 1.5), ("a", 0, 0.0)]).tolist() == [5.5, 1.0]
    numeric = LinearAdditiveUtilityFunction([None, lambda v: 2 * v])
    assert numeric.eval_many(np.array([[1.0, 2.0], [3.0, 0.5]])).tolist() == [5.0, 4.0]


def test_additive_on_continuous_issue_calls_the_function() -> None:
    space = OutcomeSpace([make_issue((0.0, 2.0), "x"), make_issue(["lo", "hi"], "k")])
    ufun = LinearAdditiveUtilityFunction([np.sqrt, None], outcome_space=space)
    outcomes = [(0.25, "lo"), (1.0, "hi")]
    assert ufun.eval_many(outcomes).tolist() == [0.5, 2.0]
    assert ufun.eval_many(space.to_array(outcomes)).tolist() == [0.5, 2.0]
    with pytest.raises(OutcomeSpaceError, match=r"'x'.*discretize"):
        ufun.minmax()
    assert ufun.minmax(space.discretize(5)) == (0.0, np.sqrt(2.0) + 1.0)


def test_additive_linear_issue_on_continuous_space_has_exact_minmax() -> None:
    space = OutcomeSpace([make_issue((0.0, 2.0), "x"), make_issue(3, "n")])
    ufun = LinearAdditiveUtilityFunction([None, {0: 5.0, 1: 0.0, 2: 1.0}], [-1.0, 1.0])
    assert ufun.minmax(space) == (-2.0, 5.0)
    norm = ufun.normalize(space)
    assert norm((0.0, 0)) == 1.0 and norm((2.0, 1)) == 0.0


def test_additive_errors(space: OutcomeSpace) -> None:
    ufun = additive(space)
    with pytest.raises(ValueError, match=r"'color'.*'purple'"):
        ufun(("purple", 1, 0))
    with pytest.raises(ValueError, match="3 value functions but outcome"):
        ufun(("red", 1))
    with pytest.raises(ValueError, match="3 value functions"):
        ufun.eval_many([("red", 1)])
    incomplete = LinearAdditiveUtilityFunction([{"red": 1.0}, None, None], outcome_space=space)
    with pytest.raises(ValueError, match=r"'color'.*'green'"):
        incomplete.eval_many(space.enumerate())
    with pytest.raises(TypeError, match="#1"):
        LinearAdditiveUtilityFunction([None, 3])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="number"):
        LinearAdditiveUtilityFunction([{"a": "x"}])
    with pytest.raises(ValueError, match="2 weights for 1 value functions"):
        LinearAdditiveUtilityFunction([None], [1.0, 2.0])
    with pytest.raises(ValueError, match="same names"):
        LinearAdditiveUtilityFunction([None], {"a": 1.0})
    with pytest.raises(ValueError, match="at least one"):
        LinearAdditiveUtilityFunction([])
    with pytest.raises(ValueError, match="value functions"):
        LinearAdditiveUtilityFunction([None, None], outcome_space=space)


def test_additive_rejects_array_codes_of_no_value(space: OutcomeSpace) -> None:
    with pytest.raises(OutcomeSpaceError, match="code of no value"):
        additive(space).eval_many(np.array([[7.0, 0.0, 0.0]]))


def test_mapping_dict_with_and_without_default(space: OutcomeSpace) -> None:
    table = {("red", 0, 0): 1.0, ("blue", 3, 1): 2.0}
    strict = MappingUtilityFunction(table, outcome_space=space)
    assert strict(("blue", 3, 1)) == 2.0
    assert strict({"color": "red", "n": 0, "b": 0}) == 1.0
    assert strict(None) == -np.inf  # the default reserved value
    with pytest.raises(KeyError, match="not in the mapping"):
        strict(("green", 0, 0))
    with pytest.raises(KeyError, match="'green'"):
        strict.eval_many([("red", 0, 0), ("green", 0, 0)])
    lenient = MappingUtilityFunction(table, default=-1.0, outcome_space=space)
    values = lenient.eval_many(space.enumerate())
    assert sorted(values.tolist())[-2:] == [1.0, 2.0] and values.min() == -1.0
    assert np.array_equal(lenient.eval_many(space.to_array(space.enumerate())), values)
    assert lenient.default == -1.0 and lenient.mapping == table


def test_mapping_callable(space: OutcomeSpace) -> None:
    ufun = MappingUtilityFunction(lambda o: o[1] + o[2], reserved_value=0.5, outcome_space=space)
    assert ufun(("red", 3, 1)) == 4.0
    assert ufun.eval_many(space.enumerate()).max() == 4.0
    assert ufun.minmax() == (0.0, 4.0)
    norm = ufun.normalize()
    assert norm(("blue", 3, 1)) == 1.0 and norm.reserved_value == 0.125


def test_mapping_minmax_without_space_uses_the_dict() -> None:
    assert MappingUtilityFunction({(1,): 3.0, (2,): -1.0}).minmax() == (-1.0, 3.0)
    with pytest.raises(ValueError, match="empty"):
        MappingUtilityFunction({}).minmax()
    with pytest.raises(OutcomeSpaceError, match="no outcome space"):
        MappingUtilityFunction(lambda o: 1.0).minmax()


def test_mapping_array_input_without_space_matches_integer_keys() -> None:
    ufun = MappingUtilityFunction({(1, 2): 3.0})
    assert ufun.eval_many(np.array([[1.0, 2.0]])).tolist() == [3.0]


def test_mapping_rejects_bad_input() -> None:
    with pytest.raises(TypeError, match="dict or a callable"):
        MappingUtilityFunction(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="numbers"):
        MappingUtilityFunction({(1,): "x"})  # type: ignore[dict-item]
    with pytest.raises(KeyError, match="not in the mapping"):
        MappingUtilityFunction({(1,): 1.0}).eval(([1],))  # type: ignore[arg-type]


def test_value_tables_and_functions_must_give_numbers() -> None:
    # A table read from a file and never converted ({"a": "1"}) was taken as
    # 1.0; a value function returning text was read as a number by eval_many
    # (only eval raised, with "can't multiply sequence by non-int").
    issues = [make_issue(["a", "b"], "c"), make_issue((1, 5), "d")]
    with pytest.raises(ValueError, match="every value must map to a number"):
        LinearAdditiveUtilityFunction({"c": {"a": "1", "b": 0.0}, "d": None}, issues=issues)
    with pytest.raises(ValueError, match="every value must map to a number"):
        LinearAdditiveUtilityFunction({"c": {"a": True, "b": 0.0}, "d": None}, issues=issues)
    texts = LinearAdditiveUtilityFunction(
        {"c": {"a": 1.0, "b": 0.0}, "d": lambda d: str(d)}, issues=issues
    )
    message = r"issue 'd': the value function gave '\d' \(str\) for \d: a value must be a real"
    with pytest.raises(ValueError, match=message):
        texts(("a", 2))
    with pytest.raises(ValueError, match=message):
        texts.eval_many([("a", 2), ("b", 3)])
    with pytest.raises(ValueError, match=message):
        texts.eval_many(texts.outcome_space.to_array([("a", 2)]))
    numbers = LinearAdditiveUtilityFunction(
        {"c": {"a": np.float64(1.0), "b": 0}, "d": lambda d: np.int64(d)}, issues=issues
    )
    assert numbers.eval_many([("a", 2), ("b", 3)]).tolist() == [3.0, 3.0]

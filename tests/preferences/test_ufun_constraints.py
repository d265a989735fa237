"""NegMAS's ``constraints=`` and ``invalid_value=`` on utility functions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import (
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
)
from palaver.preferences.value_functions import TableFun

ISSUES = [make_issue([0, 1, 2], "x"), make_issue([0, 1], "y")]


def x_positive(outcome: tuple[int, ...]) -> bool:
    return outcome[0] > 0


def linear(**kwargs: object) -> LinearAdditiveUtilityFunction:
    return LinearAdditiveUtilityFunction(
        [TableFun({0: 1.0, 1: 0.5, 2: 0.0}), TableFun({0: 0.0, 1: 1.0})],
        weights=[0.6, 0.4],
        outcome_space=OutcomeSpace(ISSUES),
        **kwargs,  # type: ignore[arg-type]
    )


def test_ruled_out_outcomes_are_worth_minus_infinity() -> None:
    u = linear(constraints=[x_positive], reserved_value=0.25)
    assert u.constraints == [x_positive]
    assert u((0, 1)) == -math.inf and u({"x": 0, "y": 0}) == -math.inf
    assert u((1, 1)) == pytest.approx(0.7)
    assert u.eval((0, 1)) == pytest.approx(1.0)  # eval is the raw value, as in NegMAS
    assert u(None) == 0.25
    many = u.eval_many([(0, 0), (1, 0), (2, 1)])
    assert many.tolist() == [-math.inf, pytest.approx(0.3), pytest.approx(0.4)]
    arr = u.eval_many(np.array([[0, 1], [2, 1]]))
    assert arr[0] == -math.inf and arr[1] == pytest.approx(0.4)


def test_range_and_extremes_skip_ruled_out_outcomes() -> None:
    u = linear(constraints=[x_positive])
    # unconstrained: best (0, 1) = 1.0, worst (2, 0) = 0.0
    assert u.minmax() == (pytest.approx(0.0), pytest.approx(0.7))
    assert u.extreme_outcomes() == ((2, 0), (1, 1))
    assert u.best() == (1, 1)
    u.clear_constraints()
    assert u.extreme_outcomes() == ((2, 0), (0, 1))
    u.add_constraint(lambda o: False)
    with pytest.raises(ValueError, match="violates a constraint"):
        u.minmax()


def test_add_remove_and_derived_ufuns_keep_constraints() -> None:
    u = linear()
    assert u.constraints == [] and u((0, 1)) == pytest.approx(1.0)
    u.add_constraint(x_positive)
    assert u((0, 1)) == -math.inf
    for made in (u.normalize(), u.shift_by(1.0), u.scale_by(2.0), u.scale_max(2.0)):
        assert made.constraints == [x_positive], type(made)
        assert made((0, 1)) == -math.inf
    n = u.normalize()
    assert n((1, 1)) == pytest.approx(1.0) and n((2, 0)) == pytest.approx(0.0)
    u.remove_constraint(x_positive)
    u.remove_constraint(x_positive)  # not there: nothing happens
    assert u((0, 1)) == pytest.approx(1.0)


def test_other_ufun_kinds_take_constraints() -> None:
    m = MappingUtilityFunction({(0, 0): 0.1, (1, 0): 0.5}, constraints=[x_positive])
    assert m((0, 0)) == -math.inf and m((1, 0)) == 0.5
    lin = LinearUtilityFunction([1.0, 1.0], outcome_space=OutcomeSpace(ISSUES))
    lin.add_constraint(lambda o: o[1] == 0)
    assert lin.minmax() == (0.0, 2.0)
    assert lin.eval_many([(2, 1), (2, 0)]).tolist() == [-math.inf, 2.0]


def test_invalid_value_for_outcomes_outside_the_space() -> None:
    u = linear(invalid_value=-5.0, constraints=[x_positive])
    assert u.invalid_value == -5.0
    assert u((7, 0)) == -5.0  # checked before the constraints, as in NegMAS
    assert u((0, 0)) == -math.inf
    assert u.eval_many([(7, 0), (1, 0)]).tolist() == [-5.0, pytest.approx(0.3)]
    assert linear().invalid_value is None


def test_bad_constraints_and_invalid_values_are_refused() -> None:
    with pytest.raises(TypeError, match=r"constraints\[1\] must be a callable.*'no'"):
        linear(constraints=[x_positive, "no"])
    with pytest.raises(TypeError, match="invalid_value must be a number or None, got 'low'"):
        linear(invalid_value="low")
    with pytest.raises(TypeError, match="constraint"):
        linear().add_constraint(None)  # type: ignore[arg-type]

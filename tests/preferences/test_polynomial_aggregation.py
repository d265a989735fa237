"""NegMAS's polynomial aggregations of value functions: PAUtilityFunction, GPAUtilityFunction."""

from __future__ import annotations

import itertools
import math

import pytest

from palaver.negmas import GPAUtilityFunction as NegmasGPA
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import GPAUtilityFunction, PAUtilityFunction
from palaver.preferences.value_functions import AffineFun

SPACE = OutcomeSpace([make_issue(5, "a"), make_issue(5, "b"), make_issue(["x", "y"], "c")])


def test_pa_is_a_polynomial_of_the_value_functions() -> None:
    u = PAUtilityFunction(
        values=[lambda v: float(v), AffineFun(2.0, 1.0), {"x": 0.5, "y": 3.0}],
        terms=[(1.0, (3, 0, 0)), (2.0, (0, 2, 1)), (-1.0, (1, 1, 2))],
        bias=0.25,
        outcome_space=SPACE,
    )
    for a, b, c in itertools.product(range(5), range(5), "xy"):
        va, vb, vc = float(a), 2.0 * b + 1.0, {"x": 0.5, "y": 3.0}[c]
        want = 0.25 + va**3 + 2.0 * vb**2 * vc - va * vb * vc**2
        assert u((a, b, c)) == pytest.approx(want)
    assert u.bias == 0.25 and len(u.values) == 3 and u.terms[1] == (2.0, (0.0, 2.0, 1.0))
    lo, hi = u.minmax()
    assert lo == pytest.approx(min(u(o) for o in SPACE.enumerate()))
    assert hi == pytest.approx(max(u(o) for o in SPACE.enumerate()))


def test_pa_values_by_name_and_as_lists() -> None:
    u = PAUtilityFunction(
        values={"c": [1.0, 4.0]}, terms=[(1.0, (1, 0, 0)), (1.0, (0, 1, 1))], outcome_space=SPACE
    )
    # a and b get the identity; c the listed values in issue order
    assert u((3, 2, "y")) == pytest.approx(3 + 2 * 4.0)
    with pytest.raises(ValueError, match="unknown issue names"):
        PAUtilityFunction(values={"z": AffineFun(1.0)}, terms=[], outcome_space=SPACE)


def test_gpa_factors_read_several_issues() -> None:
    u = GPAUtilityFunction(
        factors=[(("a", "b"), lambda ab: ab[0] + ab[1]), ((2,), {"x": 1.0, "y": 2.0})],
        terms=[(1.0, (2, 0)), (0.5, (1, 1))],
        bias=-1.0,
        outcome_space=SPACE,
        reserved_value=0.0,
    )
    assert u((1, 2, "y")) == pytest.approx(-1.0 + 9.0 + 0.5 * 3.0 * 2.0)
    assert u.factors[0][0] == (0, 1)
    assert NegmasGPA is GPAUtilityFunction


def test_shift_and_scale_make_new_functions_that_keep_constraints() -> None:
    u = PAUtilityFunction(
        values=[AffineFun(1.0), AffineFun(1.0), {"x": 1.0, "y": 2.0}],
        terms=[(1.0, (1, 1, 0))],
        outcome_space=SPACE,
        reserved_value=1.0,
        constraints=[lambda o: o[2] == "x"],
    )
    s = u.scale_by(2.0).shift_by(3.0)
    assert isinstance(s, PAUtilityFunction)
    assert s((2, 3, "x")) == pytest.approx(2 * 6 + 3) and s.reserved_value == 5.0
    assert s((2, 3, "y")) == -math.inf and len(s.constraints) == 1
    assert u((2, 3, "x")) == 6.0  # unchanged
    g = GPAUtilityFunction(
        factors=[((0,), AffineFun(1.0))], terms=[(1.0, (1,))], outcome_space=SPACE
    )
    assert g.shift_by(1.0)((2, 0, "x")) == 3.0


def test_bad_terms_and_factors_are_refused() -> None:
    with pytest.raises(ValueError, match=r"Term powers length \(2\) must match number of issues"):
        PAUtilityFunction(values=[AffineFun(1.0)] * 3, terms=[(1.0, (1, 1))], outcome_space=SPACE)
    with pytest.raises(TypeError, match=r"terms\[0\] must be a \(coefficient, powers\) pair"):
        GPAUtilityFunction(factors=[((0,), AffineFun(1.0))], terms=[1.0], outcome_space=SPACE)
    with pytest.raises(ValueError, match="Issue name 'q' not found"):
        GPAUtilityFunction(factors=[(("q",), AffineFun(1.0))], terms=[], outcome_space=SPACE)
    with pytest.raises(TypeError, match="needs a discrete issue 0"):
        PAUtilityFunction(values=[[1.0, 2.0]], terms=[])
    u = GPAUtilityFunction(factors=[((0,), {1: 1.0})], terms=[(1.0, (1,))], outcome_space=SPACE)
    with pytest.raises(ValueError, match=r"function 0 \(TableFun over issues \(0,\)\) cannot"):
        u((4, 0, "x"))


def test_pa_and_gpa_round_trip_through_to_dict() -> None:
    pa = PAUtilityFunction(
        values=[AffineFun(2.0, 1.0), AffineFun(0.5), {"x": 0.5, "y": 3.0}],
        terms=[(1.0, (2, 0, 1)), (-0.5, (1, 1, 0))],
        bias=5.0,
        reserved_value=0.25,
        outcome_space=SPACE,
    )
    d = pa.to_dict()
    assert d["type"] == "PAUtilityFunction" and d["terms"][1] == [-0.5, [1.0, 1.0, 0.0]]
    back = PAUtilityFunction.from_dict(d)
    assert back.outcome_space == SPACE and back.reserved_value == 0.25 and back.bias == 5.0
    for o in SPACE.enumerate():
        assert back(o) == pa(o)
    gpa = GPAUtilityFunction(
        factors=[
            ((0, 1), {(a, b): float(a * b) for a in range(5) for b in range(5)}),
            (("c",), {"x": 1.0, "y": 2.0}),
        ],
        terms=[(2.0, (1, 2))],
        outcome_space=SPACE,
    )
    again = GPAUtilityFunction.from_dict(gpa.to_dict())
    assert [again(o) for o in SPACE.enumerate()] == [gpa(o) for o in SPACE.enumerate()]
    with pytest.raises(TypeError):  # a Python callable is not plain data
        PAUtilityFunction(
            [lambda v: v, AffineFun(1.0), AffineFun(1.0)], [(1.0, (1, 1, 1))]
        ).to_dict()
    with pytest.raises(ValueError, match=r"GPAUtilityFunction\.from_dict got a dict of a"):
        GPAUtilityFunction.from_dict(d)


def test_random_pa_is_normalized_and_reproducible() -> None:
    u = PAUtilityFunction.random(issues=SPACE.issues, n_terms=4, max_power=2, seed=11)
    assert len(u.values) == 3 and len(u.terms) == 4
    assert all(0 <= p <= 2 and p == int(p) for _, powers in u.terms for p in powers)
    assert all(any(powers) for _, powers in u.terms)
    assert sum(c for c, _ in u.terms) == pytest.approx(1.0) and min(c for c, _ in u.terms) >= 0
    lo, hi = u.minmax()
    assert 0.0 <= lo <= hi <= 1.0 + 1e-12 and 0.0 <= u.reserved_value <= 1.0
    assert (
        PAUtilityFunction.random(outcome_space=SPACE, seed=11, n_terms=4, max_power=2).to_dict()
        == u.to_dict()
    )
    ranged = PAUtilityFunction.random(outcome_space=SPACE, n_terms=(2, 3), seed=1)
    assert 2 <= len(ranged.terms) <= 3
    with pytest.raises(ValueError, match="max_power must be >= 1"):
        PAUtilityFunction.random(outcome_space=SPACE, max_power=0)


def test_random_gpa_has_the_counts_asked_for() -> None:
    u = GPAUtilityFunction.random(issues=SPACE.issues, n_factors=3, n_terms=4, max_power=2, seed=5)
    assert len(u.factors) == 3 and len(u.terms) == 4
    assert all(1 <= len(indices) <= 2 for indices, _ in u.factors)
    assert all(len(powers) == 3 for _, powers in u.terms)
    assert isinstance(u((1, 2, "x")), float)
    assert GPAUtilityFunction.random(outcome_space=SPACE, n_factors=3, seed=5).to_dict() == (
        GPAUtilityFunction.random(outcome_space=SPACE, n_factors=3, seed=5).to_dict()
    )

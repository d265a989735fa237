"""The NegMAS-style value functions and how a linear-additive function uses them."""

from __future__ import annotations

import pickle

import pytest

from palaver.outcomes import OutcomeSpaceError, make_issue, make_os
from palaver.preferences import (
    AffineFun,
    ConstFun,
    IdentityFun,
    LambdaFun,
    LinearAdditiveUtilityFunction,
    LinearFun,
    TableFun,
)


def double(x: float) -> float:
    return 2.0 * x


def test_each_function_computes_its_formula() -> None:
    assert IdentityFun()(4.5) == 4.5
    assert LinearFun(3)(2) == 6
    assert AffineFun(-1, bias=9)(4) == 5
    assert ConstFun(2.5)("anything") == 2.5
    assert TableFun({"slow": 0.25, "fast": 1.0})("fast") == 1.0
    assert LambdaFun(double, bias=1.0)(3) == 7.0
    with pytest.raises(KeyError):
        TableFun({"slow": 0.25})("fast")


def test_ranges_are_exact_on_continuous_issues_and_enumerated_on_discrete_ones() -> None:
    hours = make_issue((2.0, 6.0), "hours")
    assert AffineFun(-0.5, bias=4.0).minmax(hours) == (1.0, 3.0)
    assert IdentityFun().minmax(hours) == (2.0, 6.0)
    assert ConstFun(7.0).minmax(hours) == (7.0, 7.0)
    colour = make_issue(["red", "blue", "green"], "colour")
    assert TableFun({"red": 3.0, "blue": -1.0, "green": 0.0}).minmax(colour) == (-1.0, 3.0)
    assert LambdaFun(double).max(make_issue(4, "n")) == 6.0
    with pytest.raises(OutcomeSpaceError, match="discretize"):
        LambdaFun(double).minmax(hours)
    assert LambdaFun(double, min_value=4.0, max_value=12.0).minmax(hours) == (4.0, 12.0)


def test_shift_and_scale_return_new_functions_of_the_expected_kind() -> None:
    moved = IdentityFun().shift_by(2.0)
    assert isinstance(moved, AffineFun) and (moved.slope, moved.bias) == (1.0, 2.0)
    stretched = IdentityFun().scale_by(3.0)
    assert type(stretched) is LinearFun and stretched.slope == 3.0
    assert AffineFun(2.0, 1.0).scale_by(2.0) == AffineFun(4.0, 2.0)
    assert ConstFun(1.5).scale_by(2.0) == ConstFun(3.0)
    assert TableFun({"a": 1.0}).shift_by(0.5)("a") == 1.5
    assert LambdaFun(double).scale_by(10.0)(1.0) == 20.0


def test_plain_data_and_pickles_round_trip() -> None:
    for f in (
        IdentityFun(),
        LinearFun(0.2),
        AffineFun(-1.0, 9.0),
        ConstFun(3.0),
        TableFun({1: 2.0}),
    ):
        assert type(f).from_dict(f.to_dict()) == f
        assert pickle.loads(pickle.dumps(f)) == f
    assert AffineFun(1.0).to_table(make_issue(3, "n")) == TableFun({0: 0.0, 1: 1.0, 2: 2.0})
    with pytest.raises(ValueError, match="AffineFun"):
        LinearFun.from_dict(AffineFun(1.0).to_dict())
    with pytest.raises(TypeError):
        LambdaFun(double).to_dict()


def test_bad_parameters_are_refused_when_made() -> None:
    with pytest.raises(TypeError, match="slope"):
        AffineFun("steep")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="bias"):
        ConstFun(float("nan"))
    with pytest.raises(TypeError):
        TableFun([1.0, 2.0])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        LambdaFun(3.0)  # type: ignore[arg-type]


def test_a_linear_additive_function_over_continuous_issues_is_bounded_and_normalized() -> None:
    space = make_os([make_issue((0.0, 10.0), "price"), make_issue(["today", "later"], "when")])
    ufun = LinearAdditiveUtilityFunction(
        {"price": AffineFun(-0.1, bias=1.0), "when": TableFun({"today": 1.0, "later": 0.0})},
        weights={"price": 0.75, "when": 0.25},
        outcome_space=space,
    )
    assert ufun((0.0, "today")) == 1.0
    assert ufun.minmax() == (0.0, 1.0)
    norm = ufun.normalize()
    assert norm((10.0, "later")) == 0.0 and norm((0.0, "today")) == 1.0


def test_scale_max_and_scale_by() -> None:
    from palaver.preferences import LinearUtilityFunction, ScaledUtilityFunction

    space = make_os([make_issue(5, "price"), make_issue(["a", "b"], "kind")])
    ufun = LinearUtilityFunction([1.0, 2.0], bias=1.0, reserved_value=2.0, outcome_space=space)
    scaled = ufun.scale_max(1.0)
    assert isinstance(scaled, ScaledUtilityFunction)
    assert scaled.max() == 1.0 and scaled((4, "b")) == 1.0
    assert scaled.reserved_value == 2.0 / 7.0 and scaled.min() == 1.0 / 7.0
    assert ufun.scale_by(2.0)((1, "a")) == 4.0
    assert ufun.scale_by(2.0).eval_many([(1, "a"), (0, "b")]).tolist() == [4.0, 6.0]
    with pytest.raises(ValueError, match="positive"):
        LinearUtilityFunction([-1.0], outcome_space=[make_issue(3, "x")]).scale_max(1.0)
    with pytest.raises(ValueError):
        ufun.scale_by(-1.0)


def test_minmax_takes_negmas_issues_or_outcomes() -> None:
    from palaver.preferences import LinearUtilityFunction, MappingUtilityFunction

    issues = [make_issue((0.0, 1.0), "a"), make_issue((0.0, 1.0), "b")]
    late = LinearUtilityFunction([2.0, 3.0])  # no space yet
    assert late.minmax(issues=issues) == (0.0, 5.0) and late.max(make_os(issues)) == 5.0
    table = MappingUtilityFunction(lambda o: float(o[0]), outcome_space=[make_issue(9, "n")])
    assert table.minmax(outcomes=[(2,), (5,)]) == (2.0, 5.0)
    assert table.minmax() == (0.0, 8.0)
    with pytest.raises(TypeError, match="above_reserve"):
        table.minmax(above_reserve=True)
    with pytest.raises(ValueError, match="only one"):
        table.minmax(issues=issues, outcomes=[(1,)])

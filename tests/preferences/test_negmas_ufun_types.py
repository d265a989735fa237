"""NegMAS's type, base_type, type_name and short_type_name of utility functions."""

from __future__ import annotations

import pytest

from palaver.negmas import (
    ConstUtilityFunction,
    ExpDiscountedUFun,
    HyperRectangleUtilityFunction,
    LinDiscountedUFun,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    UtilityFunction,
    make_issue,
)

ISSUES = [make_issue(5, "x")]


def linear() -> LinearUtilityFunction:
    return LinearUtilityFunction([1.0], issues=ISSUES)


@pytest.mark.parametrize(
    ("ufun", "kind"),
    [
        (LinearAdditiveUtilityFunction({"x": {i: float(i) for i in range(5)}}, issues=ISSUES),
         "linear_additive"),
        (linear(), "linear"),
        (MappingUtilityFunction(lambda o: 1.0, issues=ISSUES), "mapping"),
        (ConstUtilityFunction(0.3, issues=ISSUES), "const"),
        (HyperRectangleUtilityFunction([], issues=ISSUES), "hyper_rectangle"),
    ],
)  # fmt: skip
def test_type_is_negmas_snake_case_kind(ufun: UtilityFunction, kind: str) -> None:
    # the values NegMAS 0.16 gives for the same classes
    assert ufun.type == kind and ufun.base_type == kind


def test_discounted_types_name_the_inner_function_and_the_discount() -> None:
    exp = ExpDiscountedUFun(linear(), discount=0.9)
    lin = LinDiscountedUFun(linear(), cost=0.1)
    assert (exp.type, exp.base_type) == ("linear_exponentially_discounted", "linear")
    assert (lin.type, lin.base_type) == ("linear_linearly_discounted", "linear")


def test_a_users_subclass_gets_its_own_type_and_type_name() -> None:
    class PriceOnlyUtilityFunction(LinearUtilityFunction):
        pass

    u = PriceOnlyUtilityFunction([1.0], issues=ISSUES)
    assert u.type == "price_only"
    assert u.type_name == f"{__name__}.{PriceOnlyUtilityFunction.__qualname__}"
    assert u.short_type_name == "PriceOnlyUtilityFunction"
    assert linear().type_name == "palaver.preferences.linear.LinearUtilityFunction"


def test_issues_lists_the_outcome_spaces_issues_or_is_none() -> None:
    u = linear()
    assert u.issues == list(ISSUES) and type(u.issues) is list
    assert LinearUtilityFunction([1.0]).issues is None
    later = LinearUtilityFunction([1.0])
    later.issues = ISSUES  # NegMAS-style code may set them: they make the space
    assert later.outcome_space is not None and later.outcome_space.issue_names == ["x"]

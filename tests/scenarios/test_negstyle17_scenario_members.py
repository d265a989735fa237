"""NegMAS-style Scenario code: assigning ufuns, is_linear of discounted ufuns."""

from __future__ import annotations

import pytest

from palaver.negmas import (
    ExpDiscountedUFun,
    LinDiscountedUFun,
    LinearUtilityFunction,
    MappingUtilityFunction,
    Scenario,
    make_issue,
    make_os,
)
from palaver.scenarios import ScenarioError


def scenario() -> Scenario:
    issues = (make_issue(10),)
    return Scenario(
        outcome_space=make_os(issues),
        ufuns=(
            LinearUtilityFunction(weights=[1.0], issues=issues),
            LinearUtilityFunction(weights=[-1.0], issues=issues),
        ),
    )


def test_ufuns_can_be_assigned_as_in_negmas() -> None:
    s = scenario()
    assert s.is_normalized((None, None), positive=True, common_range=True) is False  # -9..0
    before = s.stats
    s.ufuns = tuple(u.shift_by(10.0) for u in s.ufuns)
    assert [u.minmax() for u in s.ufuns] == [(10.0, 19.0), (1.0, 10.0)]
    assert s.is_normalized((None, None), positive=True, common_range=True)
    assert s.stats is not before  # recomputed for the new utility functions
    assert s.ufun_names == ("u0", "u1")
    with pytest.raises(ScenarioError, match="1 utility functions for 2 parties"):
        s.ufuns = (s.ufuns[0],)
    with pytest.raises(ScenarioError, match="ufuns must be a list"):
        s.ufuns = 5  # type: ignore[assignment]


def test_a_discounted_linear_ufun_is_linear() -> None:
    issues = (make_issue(10),)
    base = LinearUtilityFunction(weights=[1.0], issues=issues)
    for discounted in (
        ExpDiscountedUFun(ufun=base, discount=0.9),
        LinDiscountedUFun(ufun=base, cost=0.1),
    ):
        s = Scenario(outcome_space=make_os(issues), ufuns=(discounted, base))
        assert s.is_linear
    table = MappingUtilityFunction({(i,): float(i % 3) for i in range(10)}, issues=issues)
    s = Scenario(outcome_space=make_os(issues), ufuns=(ExpDiscountedUFun(ufun=table), base))
    assert not s.is_linear

"""NegMAS's calc_standard_info, rational_fraction and opposition_level (scenarios.standard_info)."""

from __future__ import annotations

import math

import pytest

from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearUtilityFunction, MappingUtilityFunction
from palaver.scenarios.standard_info import (
    calc_standard_info,
    opposition_level,
    rational_fraction,
)

SPACE = make_os([make_issue(list(range(10)), "x")])


def test_rational_fraction_is_strict_and_over_the_whole_space() -> None:
    u1 = LinearUtilityFunction([1.0], outcome_space=SPACE, reserved_value=3.0)
    u2 = LinearUtilityFunction([1.0], outcome_space=SPACE, reserved_value=5.0)
    assert rational_fraction([u1, u2]) == pytest.approx(0.4)  # x in 6..9 (5 itself is not)
    # Listing fewer outcomes still divides by the space's size.
    assert rational_fraction([u1, u2], outcomes=[(8,), (9,)]) == pytest.approx(0.2)


def test_opposition_level() -> None:
    same = [MappingUtilityFunction(lambda o: o[0], outcome_space=SPACE) for _ in range(2)]
    assert opposition_level(same, max_utils=9, outcome_space=SPACE) == 0.0
    zero_sum = [
        MappingUtilityFunction(lambda o: o[0], outcome_space=SPACE),
        MappingUtilityFunction(lambda o: 9 - o[0], outcome_space=SPACE),
    ]
    # Nearest to (1, 1): x = 4 or 5, at sqrt((4/9)^2 + (5/9)^2).
    assert opposition_level(zero_sum, max_utils=9, outcomes=10) == pytest.approx(math.sqrt(41) / 9)
    picky = LinearUtilityFunction([1.0], outcome_space=SPACE, reserved_value=100.0)
    assert opposition_level([picky, picky], outcome_space=SPACE) == math.inf  # none rational
    with pytest.raises(ValueError, match="maximum"):
        opposition_level(same, max_utils=[9.0], outcome_space=SPACE)


def test_calc_standard_info() -> None:
    space = make_os([make_issue(3, "a"), make_issue(4, "b")])
    ufuns = [LinearUtilityFunction([1.0, 1.0], outcome_space=space, reserved_value=0.5)] * 2
    info = calc_standard_info(ufuns)
    assert info["n_negotiators"] == 2 and info["n_outcomes"] == 12 and info["n_issues"] == 2
    assert info["rational_fraction"] == pytest.approx(11 / 12)  # all but (0, 0)
    assert info["opposition_level"] == 0.0
    assert "rational_fraction" not in calc_standard_info(ufuns, calc_rational=False)
    with pytest.raises(ValueError, match="Must pass the ufuns"):
        calc_standard_info([], outcome_space=space)
    with pytest.raises(ValueError, match="outcome space"):
        calc_standard_info([LinearUtilityFunction([1.0])])
    other = LinearUtilityFunction([1.0], outcome_space=SPACE)
    with pytest.raises(ValueError, match="different outcome space"):
        calc_standard_info([ufuns[0], other])
    from palaver.negmas.preferences.ops import calc_standard_info as from_negmas

    assert from_negmas is calc_standard_info


def test_scenario_calc_standard_info_updates_info_and_keeps_other_keys() -> None:
    from palaver import Scenario

    ufuns = [
        MappingUtilityFunction(lambda o: o[0], outcome_space=SPACE),
        MappingUtilityFunction(lambda o: 9 - o[0], outcome_space=SPACE),
    ]
    s = Scenario(SPACE, ufuns, info={"keep": 1})
    found = s.calc_standard_info()
    assert found == calc_standard_info(ufuns, outcome_space=SPACE)
    assert s.info == {"keep": 1, **found} and found["n_outcomes"] == 10
    assert "rational_fraction" not in Scenario(SPACE, ufuns).calc_standard_info(calc_rational=False)

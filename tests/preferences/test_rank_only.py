"""RankOnlyUtilityFunction: ranks as NegMAS 0.16 gives them (compared outside the repo)."""

from __future__ import annotations

import math

import pytest

from palaver.outcomes import OutcomeSpaceError, make_issue, make_os
from palaver.preferences import (
    LinearUtilityFunction,
    MappingUtilityFunction,
    RankOnlyUtilityFunction,
)

SPACE = make_os([make_issue((0, 3)), make_issue((1, 3))])  # 12 outcomes; x + y from 1 to 6
OUTCOMES = SPACE.enumerate()


def test_distinct_ranks_break_ties_in_enumeration_order() -> None:
    u = LinearUtilityFunction([1, 1], outcome_space=SPACE, reserved_value=2.5)
    ro = RankOnlyUtilityFunction(u, randomize_equal=True)
    ranks = [ro(o) for o in OUTCOMES]
    assert sorted([*ranks, ro(None)]) == list(range(13))  # the reserved value is ranked too
    assert ro((3, 3)) == 12 and ro((0, 1)) == 0
    assert ro((0, 3)) > ro((1, 2)) > ro((2, 1))  # equal sums: the first enumerated ranks higher
    assert ro(None) == ro.reserved_value == 3 and isinstance(
        ro.reserved_value, int
    )  # 9 sums above 2.5
    assert ro.minmax() == (0, 12)


def test_equal_utilities_share_a_rank() -> None:
    u = LinearUtilityFunction([1, 1], outcome_space=SPACE, reserved_value=-math.inf)
    ro = RankOnlyUtilityFunction(u)
    assert [ro((0, y)) for y in (1, 2, 3)] == [0, 1, 2]
    assert ro((1, 1)) == ro((0, 2)) and ro((3, 3)) == 5
    assert ro(None) == -math.inf
    table = ro.to_mapping_ufun()
    assert isinstance(table, MappingUtilityFunction)
    assert [table(o) for o in OUTCOMES] == [ro(o) for o in OUTCOMES]


def test_needs_a_discrete_space_and_known_outcomes() -> None:
    with pytest.raises(OutcomeSpaceError, match="discrete"):
        RankOnlyUtilityFunction(LinearUtilityFunction([1.0], issues=[make_issue((0.0, 1.0))]))
    with pytest.raises(OutcomeSpaceError):
        RankOnlyUtilityFunction(LinearUtilityFunction([1.0]))
    with pytest.raises(KeyError, match="not in the ranked"):
        RankOnlyUtilityFunction(LinearUtilityFunction([1, 1], outcome_space=SPACE))((9, 9))


def test_randomize_equal_and_eps_are_checked() -> None:
    # bool("no") gave distinct ranks; an eps of NaN merged nothing, of "x" failed later.
    u = LinearUtilityFunction([1, 1], outcome_space=SPACE)
    with pytest.raises(TypeError, match=r"^randomize_equal must be True or False, got 'no'"):
        RankOnlyUtilityFunction(u, randomize_equal="no")  # type: ignore[arg-type]
    for eps, message in (
        (math.nan, "eps must be a finite number"),
        ("x", "eps must be"),
        (-1.0, r"eps must be a finite number >= 0, got -1\.0"),
    ):
        with pytest.raises((TypeError, ValueError), match=message):
            RankOnlyUtilityFunction(u, eps=eps)  # type: ignore[arg-type]

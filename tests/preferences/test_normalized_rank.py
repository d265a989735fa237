"""NegMAS's ``eval_normalized`` and ``rank`` on utility functions."""

from __future__ import annotations

import math

import pytest

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import MappingUtilityFunction

SPACE = OutcomeSpace([make_issue(4, "p")])
TABLE = {(0,): 0.2, (1,): 0.5, (2,): 0.5, (3,): 0.9}


def ufun(
    reserved: float = -math.inf, table: dict[tuple[int], float] = TABLE
) -> MappingUtilityFunction:
    return MappingUtilityFunction(table, reserved_value=reserved, outcome_space=SPACE)


def test_eval_normalized_maps_the_range_onto_zero_one() -> None:
    u = ufun()
    assert u.eval_normalized((3,)) == 1.0
    assert u.eval_normalized((0,)) == 0.0
    assert u.eval_normalized((1,)) == pytest.approx(3 / 7)
    assert u.eval_normalized(None) == -math.inf  # the default reserved value


def test_eval_normalized_above_reserve_starts_at_the_reserved_value() -> None:
    u = ufun(reserved=0.3)
    assert u.eval_normalized(None) == 0.0
    assert u.eval_normalized((1,)) == pytest.approx(1 / 3)
    assert u.eval_normalized((0,)) == pytest.approx(-1 / 6)  # below the reserved value
    assert u.eval_normalized((1,), above_reserve=False) == pytest.approx(3 / 7)


def test_eval_normalized_degenerate_ranges() -> None:
    flat = ufun(reserved=0.1, table=dict.fromkeys(TABLE, 0.5))
    assert flat.eval_normalized((3,)) == 1.0 and flat.eval_normalized(None) == 1.0
    # Nothing beats no agreement: 0.0, as NegMAS documents it.
    assert ufun(reserved=1.3).eval_normalized((3,)) == 0.0


def test_rank_groups_equal_utilities_best_first() -> None:
    u = ufun(reserved=0.3)
    outcomes = [(0,), (1,), None, (2,), (3,)]
    assert u.rank(outcomes) == [[(3,)], [(1,), (2,)], [None], [(0,)]]
    assert u.rank(outcomes, descending=False) == [[(0,)], [None], [(1,), (2,)], [(3,)]]
    assert u.rank([]) == []

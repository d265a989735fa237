"""NegMAS's point-level ops: pareto_frontier_numpy / _bf, distance_to, calc_reserved_value,
and calc_scenario_stats."""

from __future__ import annotations

import math

import numpy as np
import pytest

from palaver.outcomes import make_issue, make_os
from palaver.preferences import (
    LinearUtilityFunction,
    MappingUtilityFunction,
    calc_reserved_value,
    distance_to,
    is_rational,
    pareto_frontier_bf,
    pareto_frontier_numpy,
)
from palaver.scenarios import ScenarioError, calc_scenario_stats

POINTS = np.array([[0.0, 1.0], [0.6, 0.3], [1.0, 0.0], [0.5, 0.3], [0.2, 0.2]])


def test_both_frontiers_are_the_undominated_rows() -> None:
    # (0.5, 0.3) is dominated by (0.6, 0.3), (0.2, 0.2) by (0.6, 0.3) too
    for front in (pareto_frontier_numpy, pareto_frontier_bf):
        assert front(POINTS, sort_by_welfare=True).tolist() == [0, 2, 1]  # welfare 1, 1, 0.9
        assert sorted(front(POINTS, sort_by_welfare=False).tolist()) == [0, 1, 2]
        assert front(np.empty((0, 2))).tolist() == []
    assert pareto_frontier_numpy(POINTS, sort_by_welfare=False, presort=False).tolist() == [0, 1, 2]


def test_duplicates_differ_between_the_two_as_in_negmas() -> None:
    twins = np.array([[0.5, 0.5], [0.5, 0.5], [0.1, 0.1]])
    assert pareto_frontier_numpy(twins).tolist() == [0]  # one representative
    assert pareto_frontier_bf(twins).tolist() == []  # each drops the other


def test_random_points_give_the_same_frontier() -> None:
    rng = np.random.default_rng(3)
    for n in (2, 3):
        points = rng.random((200, n))
        fast = pareto_frontier_numpy(points)
        assert fast.tolist() == pareto_frontier_bf(points).tolist()
        for i in fast.tolist():
            others = np.delete(points, i, axis=0)
            assert not np.all(others >= points[i], axis=1).any()


def test_distance_to_and_is_rational() -> None:
    assert distance_to((0.0, 0.0), [(3.0, 4.0), (1.0, 1.0)]) == pytest.approx(math.sqrt(2))
    assert math.isnan(distance_to((0.0, 0.0), []))
    space = make_os([make_issue(10, "x")])
    u = LinearUtilityFunction([0.1], outcome_space=space, reserved_value=0.45)
    assert is_rational([u], (5,)) and not is_rational([u], (4,))


def test_calc_reserved_value_keeps_the_fraction_asked() -> None:
    space = make_os([make_issue(10, "x")])
    u = LinearUtilityFunction([0.1], outcome_space=space)
    for fraction, kept in ((0.3, 3), (0.25, 3), (1.0, 10), (0.0, 0)):
        u.reserved_value = calc_reserved_value(u, fraction)
        assert sum(is_rational([u], (x,)) for x in range(10)) == kept
    assert calc_reserved_value(u, 0.3) == pytest.approx(0.65)
    assert calc_reserved_value(u, 0.0, finite=False, tight=False) == math.inf
    assert calc_reserved_value(u, 1.0, nmax=4) == pytest.approx(0.55)


def test_calc_scenario_stats_matches_the_scenario_statistics() -> None:
    space = make_os([make_issue(4, "x")])
    outcomes = space.enumerate()
    a = MappingUtilityFunction(
        dict(zip(outcomes, (0.0, 0.4, 0.7, 1.0), strict=True)),
        outcome_space=space,
        reserved_value=0.1,
    )
    b = MappingUtilityFunction(
        dict(zip(outcomes, (1.0, 0.8, 0.5, 0.0), strict=True)),
        outcome_space=space,
        reserved_value=0.1,
    )
    stats = calc_scenario_stats([a, b])
    assert stats.n_outcomes == 4 and sorted(stats.pareto_outcomes) == outcomes
    assert stats.nash_outcomes == [(2,)]  # (0.7 - 0.1) * (0.5 - 0.1) is the largest product
    assert calc_scenario_stats([a, b], outcomes=[(0,), (3,)]).n_outcomes == 2
    with pytest.raises(ScenarioError, match="convex_hull=True"):
        calc_scenario_stats([a, b], convex_hull=True)
    with pytest.raises(ScenarioError, match="give the utility functions"):
        calc_scenario_stats([])

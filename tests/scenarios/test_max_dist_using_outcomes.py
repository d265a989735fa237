"""estimate_max_dist_using_outcomes and ScenarioStats.convex_hull."""

from __future__ import annotations

import math

import pytest

from palaver import make_issue, make_os
from palaver.preferences import MappingUtilityFunction
from palaver.scenarios import (
    ScenarioError,
    calc_scenario_stats,
    estimate_max_dist,
    estimate_max_dist_using_outcomes,
)


def _ufuns() -> list[MappingUtilityFunction]:
    space = make_os([make_issue(3)])
    return [
        MappingUtilityFunction({(0,): 0.0, (1,): 2.0, (2,): 4.0}, outcome_space=space),
        MappingUtilityFunction({(0,): 1.0, (1,): 3.0, (2,): 0.0}, outcome_space=space),
    ]


def test_largest_distance_among_the_points_and_the_minima() -> None:
    ufuns = _ufuns()  # minima: (0, 0)
    # Between the points: |(4, 0) - (2, 3)| = sqrt(13); to the minima: |(2, 3)| = sqrt(13)
    # and |(4, 0)| = 4, the largest.
    assert estimate_max_dist_using_outcomes(ufuns, [(4.0, 0.0), (2.0, 3.0)]) == pytest.approx(4.0)
    # Far apart points: their distance wins.
    assert estimate_max_dist_using_outcomes(ufuns, [(-3.0, 0.0), (3.0, 0.0)]) == pytest.approx(6.0)
    assert estimate_max_dist_using_outcomes(ufuns, [(3.0, 4.0)]) == pytest.approx(5.0)


def test_no_points_is_the_box_diagonal() -> None:
    ufuns = _ufuns()
    assert estimate_max_dist_using_outcomes(ufuns, []) == estimate_max_dist(ufuns) == 5.0


def test_a_point_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ScenarioError, match="one utility per party"):
        estimate_max_dist_using_outcomes(_ufuns(), [(1.0, 2.0, 3.0)])


def test_frontier_points_give_at_most_the_estimate_over_all_outcomes() -> None:
    ufuns = _ufuns()
    stats = calc_scenario_stats(ufuns)
    every = [tuple(u(o) for u in ufuns) for o in make_os([make_issue(3)]).enumerate()]
    overall = estimate_max_dist_using_outcomes(ufuns, every)
    assert overall >= estimate_max_dist_using_outcomes(ufuns, stats.pareto_utils.tolist())
    assert math.isfinite(overall)


def test_stats_are_of_single_outcomes() -> None:
    stats = calc_scenario_stats(_ufuns())
    assert stats.convex_hull is False
    with pytest.raises(ScenarioError, match="convex_hull=True"):
        calc_scenario_stats(_ufuns(), convex_hull=True)

"""NegMAS's outcome distances and optimality, on a hand-checked two-party scenario."""

from __future__ import annotations

import math

import pytest

from palaver.negmas import (
    LinearAdditiveUtilityFunction,
    OutcomeDistances,
    Scenario,
    calc_outcome_distances,
    calc_outcome_optimality,
    estimate_max_dist,
    make_issue,
    make_os,
)
from palaver.scenarios.errors import ScenarioError


def split(reserved: float = 0.0) -> Scenario:
    """x in 0..4 split between two parties: u0 = x/4, u1 = 1 - x/4 (a line of Pareto points)."""
    space = make_os([make_issue(5, "x")])
    u0 = LinearAdditiveUtilityFunction(
        values={"x": lambda x: x / 4}, outcome_space=space, reserved_value=reserved
    )
    u1 = LinearAdditiveUtilityFunction(
        values={"x": lambda x: 1 - x / 4}, outcome_space=space, reserved_value=reserved
    )
    return Scenario(outcome_space=space, ufuns=(u0, u1))


def test_distances_from_a_dominated_point_hand_computed() -> None:
    stats = split().calc_stats()
    assert stats.nash_utils == [(0.5, 0.5)]
    d = calc_outcome_distances((0.25, 0.25), stats)
    assert d.pareto_dist == pytest.approx(math.dist((0.25, 0.25), (0.5, 0.5)))  # also (0.25, 0.75)
    assert d.nash_dist == pytest.approx(math.dist((0.25, 0.25), (0.5, 0.5)))
    assert d.max_welfare == pytest.approx(0.5)
    assert estimate_max_dist(split().ufuns) == pytest.approx(math.sqrt(2))
    o = calc_outcome_optimality(d, stats, math.sqrt(2))
    gap = math.dist((0.25, 0.25), (0.5, 0.5))
    assert o.pareto_optimality == pytest.approx(1 - gap / math.sqrt(2))
    assert o.max_welfare_optimality == pytest.approx(0.5)  # 0.5 of the best sum, 1


def test_on_the_frontier_and_at_nash_everything_is_optimal() -> None:
    stats = split().calc_stats()
    o = calc_outcome_optimality(calc_outcome_distances((0.5, 0.5), stats), stats, math.sqrt(2))
    assert (o.pareto_optimality, o.nash_optimality, o.max_welfare_optimality) == (1.0, 1.0, 1.0)


def test_the_pareto_distance_is_to_the_rational_frontier_only() -> None:
    # With reserved values 0.4, only x = 2 ((0.5, 0.5)) is rational: (0, 1) is
    # on Palaver's frontier but not on NegMAS's, and not nearest here.
    stats = split(reserved=0.4).calc_stats()
    d = calc_outcome_distances((0.0, 0.9), stats)
    assert d.pareto_dist == pytest.approx(math.dist((0.0, 0.9), (0.5, 0.5)))


def test_without_a_point_or_a_distance_scale_the_score_is_nan() -> None:
    stats = split().calc_stats()
    d = OutcomeDistances(0.0, 0.0, 0.0, 0.0, 1.0)
    o = calc_outcome_optimality(d, stats, 0.0)
    assert math.isnan(o.pareto_optimality) and math.isnan(o.nash_optimality)
    assert o.max_welfare_optimality == 1.0  # its divisor is the best sum, not max_dist
    no_point = split(reserved=2.0).calc_stats()  # nothing is rational
    d = calc_outcome_distances((0.5, 0.5), no_point)
    assert math.isnan(d.pareto_dist) and math.isnan(d.nash_dist)


def test_bad_utilities_are_named() -> None:
    stats = split().calc_stats()
    with pytest.raises(ScenarioError, match="one value per party \\(2\\), got 3"):
        calc_outcome_distances((0.1, 0.2, 0.3), stats)
    with pytest.raises(ScenarioError, match="utils must be numbers"):
        calc_outcome_distances(("a", 0.2), stats)
    with pytest.raises(ScenarioError, match="ufuns must hold at least one"):
        estimate_max_dist([])

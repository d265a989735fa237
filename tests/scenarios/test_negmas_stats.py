"""NegMAS's view of the statistics: the rational frontier only, welfare-ordered tuples."""

from __future__ import annotations

import copy
import math
import pickle

import numpy as np
import pytest

from palaver import negmas
from palaver.negmas import (
    LinearAdditiveUtilityFunction,
    MappingUtilityFunction,
    Scenario,
    make_issue,
    make_os,
)
from palaver.scenarios import (
    RationalFrontierStats,
    ScenarioError,
    ScenarioStats,
    calc_outcome_distances,
    calc_outcome_optimality,
)


def split(reserved: float) -> Scenario:
    """x in 0..4 split between two parties: u0 = x/4, u1 = 1 - x/4."""
    space = make_os([make_issue(5, "x")])
    u0 = LinearAdditiveUtilityFunction(
        values={"x": lambda x: x / 4}, outcome_space=space, reserved_value=reserved
    )
    u1 = LinearAdditiveUtilityFunction(
        values={"x": lambda x: 1 - x / 4}, outcome_space=space, reserved_value=reserved
    )
    return Scenario(outcome_space=space, ufuns=(u0, u1))


def four() -> Scenario:
    """Utilities (1, .1), (.8, .5), (.5, .9), (.1, .3), reserved values .2: the
    frontier is the first three, the rational frontier the middle two."""
    space = make_os([make_issue(4, "k")])
    u0 = MappingUtilityFunction(
        {(0,): 1.0, (1,): 0.8, (2,): 0.5, (3,): 0.1}, outcome_space=space, reserved_value=0.2
    )
    u1 = MappingUtilityFunction(
        {(0,): 0.1, (1,): 0.5, (2,): 0.9, (3,): 0.3}, outcome_space=space, reserved_value=0.2
    )
    return Scenario(outcome_space=space, ufuns=(u0, u1))


def test_only_rational_points_ordered_by_welfare() -> None:
    sc = four()
    base = sc.calc_stats()
    assert base.pareto_utils.tolist() == [[1.0, 0.1], [0.8, 0.5], [0.5, 0.9]]
    view = RationalFrontierStats(base)
    assert view.pareto_utils == ((0.5, 0.9), (0.8, 0.5))  # sums 1.4 then 1.3
    assert view.pareto_outcomes == [(2,), (1,)]
    assert view.pareto_indices.tolist() == [2, 1]
    assert view.has_pareto_frontier
    assert view.base is base


def test_max_welfare_is_taken_on_the_rational_frontier() -> None:
    base = split(0.3).calc_stats()
    # every outcome sums to 1: Palaver's max welfare is all five of them
    assert len(base.max_welfare) == 5
    view = RationalFrontierStats(base)
    assert view.pareto_utils == ((0.5, 0.5),)
    assert view.max_welfare_outcomes == [(2,)]
    assert view.max_welfare_utils == [(0.5, 0.5)]


def test_no_rational_point_gives_an_empty_frontier() -> None:
    view = RationalFrontierStats(split(0.6).calc_stats())
    assert view.pareto_utils == ()
    assert view.pareto_outcomes == []
    assert not view.has_pareto_frontier
    assert view.max_welfare == ()
    assert view.pareto_distance((0.5, 0.5)) == math.inf


def test_the_rest_is_read_from_palavers_stats() -> None:
    base = four().calc_stats()
    view = RationalFrontierStats(base)
    assert view.nash_utils == base.nash_utils
    assert view.opposition == base.opposition
    assert view.reserved_values == (0.2, 0.2)
    with pytest.raises(AttributeError):
        view.no_such_statistic  # noqa: B018


def test_optimality_is_the_same_through_the_view() -> None:
    base = four().calc_stats()
    view = RationalFrontierStats(base)
    for utils in [(1.0, 0.1), (0.1, 0.3), (0.8, 0.5)]:
        a = calc_outcome_distances(utils, base)
        b = calc_outcome_distances(utils, view)
        assert a == b
        assert calc_outcome_optimality(a, base, 1.0) == calc_outcome_optimality(b, view, 1.0)
    assert view.pareto_distance((0.8, 0.4)) == pytest.approx(0.1)


def test_to_dict_holds_the_rational_frontier() -> None:
    view = RationalFrontierStats(four().calc_stats())
    d = view.to_dict()
    assert d["pareto_utils"] == [[0.5, 0.9], [0.8, 0.5]]
    assert d["pareto_outcomes"] == [[2], [1]]
    assert d["max_welfare"] == [{"outcome": [2], "utilities": [0.5, 0.9]}]
    assert view.to_dict(include_pareto_frontier=False)["pareto_utils"] == []


def test_facade_calc_scenario_stats_is_negmas_shaped() -> None:
    sc = four()
    stats = negmas.calc_scenario_stats(list(sc.ufuns))
    assert isinstance(stats, RationalFrontierStats)
    assert stats.pareto_utils == negmas.calc_scenario_stats(list(sc.ufuns)).pareto_utils
    # NegMAS's statistics of mixtures (tested in test_negmas_hull_stats.py)
    assert negmas.calc_scenario_stats(list(sc.ufuns), convex_hull=True).convex_hull
    # Scenario.stats stays Palaver's: assigning the view keeps the stats it wraps
    sc.stats = stats
    assert isinstance(sc.stats, ScenarioStats)
    assert sc.stats is stats.base
    assert isinstance(sc.stats.pareto_utils, np.ndarray)


def test_copies_and_pickles() -> None:
    view = RationalFrontierStats(four().calc_stats())
    for other in (copy.deepcopy(view), pickle.loads(pickle.dumps(view))):
        assert other.pareto_utils == view.pareto_utils


def test_wraps_only_scenario_stats() -> None:
    with pytest.raises(ScenarioError, match="wraps a ScenarioStats"):
        RationalFrontierStats("stats")  # type: ignore[arg-type]

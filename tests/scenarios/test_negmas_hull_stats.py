"""NegMAS's statistics over mixtures of outcomes: calc_scenario_stats(convex_hull=True)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from palaver import MappingUtilityFunction, make_issue
from palaver.negmas import calc_scenario_stats as negmas_stats
from palaver.outcomes import OutcomeSpace
from palaver.scenarios import ScenarioError, calc_outcome_distances, calc_scenario_stats
from palaver.scenarios.negmas_hull_stats import ConvexHullStats


def _ufuns(
    tables: list[dict[str, float]], reserved: float = -math.inf
) -> list[MappingUtilityFunction]:
    space = OutcomeSpace([make_issue(list(tables[0]), "z")])
    return [
        MappingUtilityFunction(
            {(k,): v for k, v in t.items()}, outcome_space=space, reserved_value=reserved
        )
        for t in tables
    ]


def _mixture() -> list[MappingUtilityFunction]:
    """(4, 1), (1, 4), (2, 2): the midpoint of the first two beats the third."""
    return _ufuns([{"a": 4.0, "b": 1.0, "c": 2.0}, {"a": 1.0, "b": 4.0, "c": 2.0}])


def test_solutions_are_mixtures() -> None:
    stats = negmas_stats(_mixture(), convex_hull=True)
    assert isinstance(stats, ConvexHullStats) and stats.convex_hull
    for name in ("nash", "kalai", "ks"):
        assert getattr(stats, f"{name}_utils") == [pytest.approx((2.5, 2.5))]
        assert getattr(stats, f"{name}_outcomes") == []
    # measured from 0, the egalitarian point is still the midpoint
    assert stats.modified_kalai_utils == [pytest.approx((2.5, 2.5))]
    # (2, 2) is beaten by a mixture: off the frontier
    assert set(stats.pareto_utils) == {(4.0, 1.0), (1.0, 4.0)}
    assert set(stats.pareto_outcomes) == {("a",), ("b",)}
    assert {o for o in stats.max_welfare_outcomes} == {("a",), ("b",)}
    # the statistics of single outcomes are unchanged
    single = negmas_stats(_mixture())
    assert not single.convex_hull and single.nash_utils == [(2.0, 2.0)]
    assert stats.base.nash_utils == [(2.0, 2.0)]


def test_distances_measure_to_the_hull_boundary() -> None:
    stats = negmas_stats(_mixture(), convex_hull=True)
    near = (2.5, 2.6)  # 0.1 / sqrt(2) from the edge between (4, 1) and (1, 4)
    assert stats.pareto_distance(near) == pytest.approx(0.1 / math.sqrt(2))
    distances = calc_outcome_distances(near, stats)
    assert distances.pareto_dist == pytest.approx(0.1 / math.sqrt(2))
    assert distances.nash_dist == pytest.approx(0.1)
    # single-outcome stats measure to the nearest point, (2, 2)
    single = calc_outcome_distances(near, negmas_stats(_mixture()))
    assert single.pareto_dist == pytest.approx(math.dist(near, (2.0, 2.0)))


def test_to_dict_marks_the_mixtures() -> None:
    data = negmas_stats(_mixture(), convex_hull=True).to_dict()
    assert data["convex_hull"] is True
    assert data["nash"]["outcome"] is None
    assert data["nash"]["utilities"] == pytest.approx([2.5, 2.5])
    assert sorted(map(tuple, data["pareto_utils"])) == [(1.0, 4.0), (4.0, 1.0)]


def test_reserved_values_move_the_solutions() -> None:
    ufuns = _ufuns([{"a": 4.0, "b": 1.0}, {"a": 1.0, "b": 4.0}])
    ufuns[0].reserved_value = 3.0
    ufuns[1].reserved_value = 1.0
    stats = negmas_stats(ufuns, convex_hull=True)
    # gains from (3, 1) along (4 - 3s, 1 + 3s): equal at s = 1/6
    assert stats.kalai_utils == [pytest.approx((3.5, 1.5))]
    # Nash: (1 - 3s) * 3s is largest at s = 1/6 too
    assert stats.nash_utils == [pytest.approx((3.5, 1.5))]


def test_collinear_points_and_three_parties() -> None:
    space = OutcomeSpace([make_issue(11, "x")])
    ufuns = [
        MappingUtilityFunction({(i,): float(i) for i in range(11)}, outcome_space=space),
        MappingUtilityFunction({(i,): 10.0 - i for i in range(11)}, outcome_space=space),
    ]
    stats = negmas_stats(ufuns, convex_hull=True)
    assert len(stats.pareto_utils) == 11  # every point lies on the one efficient edge
    with pytest.raises(ScenarioError, match="two parties only"):
        negmas_stats([*_mixture(), _mixture()[0]], convex_hull=True)
    with pytest.raises(ScenarioError, match=r"palaver\.negmas\.calc_scenario_stats"):
        calc_scenario_stats(_mixture(), convex_hull=True)


def test_negative_reserved_values_are_the_disagreement_point() -> None:
    # u0 + u1 = 0 on every outcome; reserved (-1, 0): the egalitarian point gives
    # each 0.5 over its reserved value, (-0.5, 0.5) -- not (0, 0), which NegMAS's
    # solutions give when called without the ufuns
    ufuns = _ufuns([{"a": -1.0, "b": 0.0, "c": 1.0}, {"a": 1.0, "b": 0.0, "c": -1.0}])
    ufuns[0].reserved_value = -1.0
    ufuns[1].reserved_value = 0.0
    stats = negmas_stats(ufuns, convex_hull=True)
    assert stats.kalai_utils == [pytest.approx((-0.5, 0.5))]
    # KS: from d = (-1, 0) toward the ideal (1, 1), the line meets u0 + u1 = 0 at t = 1/3
    assert stats.ks_utils == [pytest.approx((-1 / 3, 1 / 3))]
    assert stats.nash_utils == [pytest.approx((-0.5, 0.5))]


def test_convex_hull_flag_is_checked_as_a_bool_by_the_function_called() -> None:
    assert isinstance(negmas_stats(_mixture(), convex_hull=np.True_), ConvexHullStats)
    assert not isinstance(negmas_stats(_mixture(), convex_hull=np.False_), ConvexHullStats)
    for wrong in (1, "yes", None):
        with pytest.raises(ScenarioError, match="convex_hull must be True or False") as caught:
            negmas_stats(_mixture(), convex_hull=wrong)  # type: ignore[arg-type]
        # it does not advise calling the very function that was called
        assert "palaver.negmas.calc_scenario_stats" not in str(caught.value)

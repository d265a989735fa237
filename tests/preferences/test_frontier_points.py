"""NegMAS's frontier-based solutions (nash_points, kalai_points, ks_points,
max_relative_welfare_points), on a frontier worked out by hand."""

from __future__ import annotations

import math

import pytest

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import (
    LinearUtilityFunction,
    kalai_points,
    ks_points,
    max_relative_welfare_points,
    nash_points,
)

ISSUES = [make_issue(10, "x")]
# Ranges (0, 10) and (0, 20); the first ufun cannot go below 2 (its reserved
# value), the second has none. Gains over (2, 0):
#   point      gains    product  min  shares (u1-2)/8, u2/20  relative u1/8 + u2/20
#   (10, 0)    8, 0     0        0    1.0, 0.0 (spread 1)     1.25
#   (8, 6)     6, 6     36       6    .75, .30 (.45)          1.30
#   (6, 12)    4, 12    48       4    .50, .60 (.10)          1.35
#   (3, 16)    1, 16    16       1    .125, .80 (.675)        1.175
#   (1, 20)    below the first's reserved value: out (Nash keeps it: -20)
FRONTIER = [(10.0, 0.0), (8.0, 6.0), (6.0, 12.0), (3.0, 16.0), (1.0, 20.0)]
RANGES = [(0.0, 10.0), (0.0, 20.0)]


def ufuns() -> list[LinearUtilityFunction]:
    return [
        LinearUtilityFunction([1.0], reserved_value=2.0, outcome_space=OutcomeSpace(ISSUES)),
        LinearUtilityFunction([1.0], outcome_space=OutcomeSpace(ISSUES)),
    ]


def test_each_solution_by_its_definition() -> None:
    u = ufuns()
    assert nash_points(u, FRONTIER, ranges=RANGES) == (((6.0, 12.0), 2),)
    assert kalai_points(u, FRONTIER, ranges=RANGES) == (((8.0, 6.0), 1),)
    assert ks_points(u, FRONTIER, ranges=RANGES) == (((6.0, 12.0), 2),)
    assert max_relative_welfare_points(u, FRONTIER, ranges=RANGES) == (((6.0, 12.0), 2),)


def test_without_subtracting_reserved_values_ties_are_all_returned() -> None:
    u = ufuns()
    # min(u1, u2): 0, 6, 6, 3 -> two points tie
    assert [
        i for _, i in kalai_points(u, FRONTIER, ranges=RANGES, subtract_reserved_value=False)
    ] == [1, 2]
    # shares u1/10, u2/20: (6, 12) has both at 0.6
    assert [i for _, i in ks_points(u, FRONTIER, ranges=RANGES, subtract_reserved_value=False)] == [
        2
    ]


def test_ranges_come_from_the_ufuns_when_not_given() -> None:
    u = ufuns()
    space = OutcomeSpace(ISSUES)  # both ufuns range over (0, 9) here
    frontier = [(9.0, 0.0), (5.0, 5.0), (3.0, 9.0)]
    # gains over (2, 0): 7*0, 3*5, 1*9
    assert nash_points(u, frontier, outcome_space=space) == (((5.0, 5.0), 1),)
    assert nash_points(u, frontier, issues=ISSUES) == nash_points(u, frontier)
    assert nash_points(u, frontier, outcomes=[(0,), (9,)]) == (((5.0, 5.0), 1),)


def test_nothing_to_gain_returns_every_point_as_negmas_does() -> None:
    u = ufuns()
    u[1].reserved_value = 25.0  # above its best: no gain to share
    assert len(nash_points(u, FRONTIER, ranges=RANGES)) == len(FRONTIER)
    assert kalai_points(u, [], ranges=RANGES) == ()
    # every point below a reserved value: none
    u[1].reserved_value = 19.0
    assert kalai_points(u, FRONTIER[:3], ranges=RANGES) == ()


def test_bad_input_names_the_problem() -> None:
    u = ufuns()
    with pytest.raises(ValueError, match="ranges must give one"):
        nash_points(u, FRONTIER, ranges=[(0.0, 1.0)])
    with pytest.raises(ValueError, match="the range of ufun 1 must be two finite numbers"):
        nash_points(u, FRONTIER, ranges=[(0.0, 1.0), (0.0, math.inf)])
    with pytest.raises(ValueError, match="frontier must hold utility tuples of 2 values"):
        nash_points(u, [(1.0, 2.0, 3.0)], ranges=RANGES)
    with pytest.warns(UserWarning, match="exponent=2 is not supported"):
        assert ks_points(u, FRONTIER, ranges=RANGES, exponent=2) == (((6.0, 12.0), 2),)
    # A range that is not numbers was float()'s "could not convert string to float".
    with pytest.raises(TypeError, match="ranges must be a list of pairs, got 'xy'"):
        nash_points(u, FRONTIER, ranges="xy")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"ranges\[1\] must be a \(min, max\) pair.*'ab'"):
        nash_points(u, FRONTIER, ranges=[(0.0, 1.0), "ab"])  # type: ignore[list-item]


def test_solution_concepts_name_a_container_that_is_not_one() -> None:
    from palaver.preferences import evaluate, max_welfare_points, pareto_frontier, pareto_utilities

    # Each was "'int' object is not iterable" or an AttributeError from inside.
    u = ufuns()
    for call, fragment in [
        (lambda: pareto_frontier(5), "ufuns must be a list of utility functions, got 5"),  # type: ignore[arg-type]
        (lambda: max_welfare_points(5), "ufuns must be a list"),  # type: ignore[arg-type]
        (lambda: evaluate(u, outcomes=5), "outcomes must be a list of outcomes"),  # type: ignore[arg-type]
        (lambda: pareto_frontier(u, outcomes=5), "outcomes must be a list"),  # type: ignore[arg-type]
        (lambda: pareto_utilities(5), "ufuns must be a list"),  # type: ignore[arg-type]
        (lambda: pareto_utilities([u[0], 3]), r"ufuns\[1\] must be a utility function, got 3"),  # type: ignore[list-item]
        (lambda: pareto_utilities(u, outcomes=5), "outcomes must be a list"),  # type: ignore[arg-type]
    ]:
        with pytest.raises(TypeError, match=fragment):
            call()


def test_pareto_utilities_reads_the_space_and_skips_what_cannot_count() -> None:
    from palaver.outcomes import ContinuousIssue
    from palaver.preferences import MappingUtilityFunction, pareto_utilities

    space = OutcomeSpace([ContinuousIssue(0.0, 1.0, "share")])
    mine = LinearUtilityFunction([1.0], outcome_space=space)
    yours = LinearUtilityFunction([-1.0], bias=1.0, outcome_space=space)
    utilities, indices = pareto_utilities([mine, yours], n_discretization=5)
    assert sorted(indices) == [0, 1, 2, 3, 4]  # every split of one unit is optimal
    assert all(math.isclose(sum(u), 1.0) for u in utilities)
    # an outcome a ufun cannot evaluate (NaN) is skipped, not a crash
    table = MappingUtilityFunction({(0,): 1.0, (1,): float("nan"), (2,): 0.5})
    other = MappingUtilityFunction({(0,): 0.0, (1,): 9.0, (2,): 0.5})
    got = pareto_utilities([table, other], outcomes=[(0,), (1,), (2,)])
    assert set(got[1]) == {0, 2}
    with pytest.raises(ValueError, match="max_cardinality=3"):
        pareto_utilities([mine, yours], n_discretization=5, max_cardinality=3)

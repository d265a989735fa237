"""Pareto frontier, Nash, Kalai-Smorodinsky and max-welfare points."""

from __future__ import annotations

import numpy as np
import pytest

from palaver.outcomes import OutcomeSpace, OutcomeSpaceError, make_issue
from palaver.preferences import (
    LinearUtilityFunction,
    MappingUtilityFunction,
    SolutionPoint,
    evaluate,
    kalai_point,
    max_welfare_points,
    nash_point,
    pareto_frontier,
    pareto_indices,
)


def brute_force_frontier(u: np.ndarray) -> list[int]:
    """The quadratic definition, for checking the fast algorithms."""
    return [
        i for i in range(len(u)) if not ((u >= u[i]).all(axis=1) & (u > u[i]).any(axis=1)).any()
    ]


def table(utilities: dict[str, tuple[float, ...]], reserved: tuple[float, ...]) -> list:
    """One mapping ufun per agent over outcomes named by single letters."""
    k = len(reserved)
    return [
        MappingUtilityFunction(
            {(name,): u[i] for name, u in utilities.items()}, reserved_value=reserved[i]
        )
        for i in range(k)
    ]


OUTCOMES = [("a",), ("b",), ("c",), ("d",), ("e",)]
UTILS = {"a": (10.0, 0.0), "b": (6.0, 5.0), "c": (4.0, 6.0), "d": (3.0, 3.0), "e": (0.0, 7.0)}


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_pareto_indices_match_brute_force(k: int) -> None:
    rng = np.random.default_rng(k)
    for _ in range(20):
        u = rng.integers(0, 4, size=(int(rng.integers(1, 40)), k)).astype(float)
        assert sorted(pareto_indices(u).tolist()) == brute_force_frontier(u)
    u = rng.random((300, k))
    assert sorted(pareto_indices(u).tolist()) == brute_force_frontier(u)


def test_pareto_indices_keep_ties_and_order_by_first_agent() -> None:
    u = np.array([[1.0, 1.0], [2.0, 0.0], [1.0, 1.0], [0.0, 2.0], [0.5, 0.5]])
    assert pareto_indices(u).tolist() == [1, 0, 2, 3]


def test_pareto_indices_edge_cases() -> None:
    assert pareto_indices(np.empty((0, 2))).tolist() == []
    assert pareto_indices(np.array([[1.0], [3.0], [3.0]])).tolist() == [1, 2]
    with pytest.raises(ValueError, match="2-D"):
        pareto_indices(np.zeros(3))
    with pytest.raises(ValueError, match="NaN"):
        pareto_indices(np.array([[np.nan, 1.0]]))


def test_pareto_frontier_returns_points() -> None:
    ufuns = table(UTILS, (0.0, 0.0))
    front = pareto_frontier(ufuns, OUTCOMES)
    assert [p.outcome for p in front] == [("a",), ("b",), ("c",), ("e",)]
    assert front[1] == SolutionPoint(("b",), (6.0, 5.0), 1)


def test_nash_point_maximizes_product_of_gains() -> None:
    point = nash_point(table(UTILS, (0.0, 0.0)), OUTCOMES)
    assert point is not None and point.outcome == ("b",)  # 30 beats 24
    moved = nash_point(table(UTILS, (0.0, 5.5)), OUTCOMES)
    assert moved is not None and moved.outcome == ("c",)  # only c and e are rational
    assert nash_point(table(UTILS, (11.0, 0.0)), OUTCOMES) is None


def test_kalai_point_equalizes_relative_gains() -> None:
    point = kalai_point(table(UTILS, (0.0, 0.0)), OUTCOMES)
    # ratios (u1/10, u2/7): b -> min(0.6, 0.714) = 0.6 ; c -> min(0.4, 0.857) = 0.4
    assert point is not None and point.outcome == ("b",)
    assert kalai_point(table(UTILS, (11.0, 0.0)), OUTCOMES) is None


def test_infinite_reserved_value_uses_worst_utility() -> None:
    point = nash_point(table(UTILS, (-np.inf, -np.inf)), OUTCOMES)
    # gains over (0, 0): same as reserved values of zero
    assert point is not None and point.outcome == ("b",)


def test_max_welfare_points_keep_ties() -> None:
    utils = {"a": (1.0, 2.0), "b": (2.0, 1.0), "c": (0.0, 2.5)}
    points = max_welfare_points(table(utils, (0.0, 0.0)), [("a",), ("b",), ("c",)])
    assert [p.outcome for p in points] == [("a",), ("b",)]
    assert points[0].utilities == (1.0, 2.0)


def test_solutions_over_an_outcome_space() -> None:
    space = OutcomeSpace([make_issue(5, "x"), make_issue(5, "y")])
    seller = LinearUtilityFunction([1.0, 1.0], outcome_space=space)
    buyer = LinearUtilityFunction([-1.0, -0.5], bias=8.0, outcome_space=space)
    front = pareto_frontier([seller, buyer])
    # buyer pays half as much for y as for x: the frontier raises y first
    assert all(p.outcome[0] == 0 or p.outcome[1] == 4 for p in front)
    assert len(front) == 9
    assert {p.index for p in front} == {space.enumerate().index(p.outcome) for p in front}
    assert pareto_frontier([seller, buyer], space) == front
    welfare = max_welfare_points([seller, buyer])
    assert [p.outcome for p in welfare] == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    nash = nash_point([seller, buyer])
    assert nash is not None and nash.outcome in [p.outcome for p in front]


def test_evaluate_and_errors() -> None:
    space = OutcomeSpace([make_issue(3, "x")])
    ufun = LinearUtilityFunction([1.0], outcome_space=space)
    outcomes, utils = evaluate([ufun, ufun])
    assert outcomes == [(0,), (1,), (2,)]
    assert utils.tolist() == [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]
    assert pareto_frontier([ufun], []) == []
    assert nash_point([ufun], []) is None and kalai_point([ufun], []) is None
    assert max_welfare_points([ufun], []) == []
    with pytest.raises(ValueError, match="at least one"):
        evaluate([])
    with pytest.raises(OutcomeSpaceError, match="no outcomes given"):
        evaluate([LinearUtilityFunction([1.0])])
    with pytest.raises(OutcomeSpaceError, match="discretize"):
        evaluate([ufun], OutcomeSpace([make_issue((0.0, 1.0))]))


def test_large_spaces_are_handled() -> None:
    """10^5 outcomes, two and three agents: the sort-based algorithms cope."""
    space = OutcomeSpace([make_issue(10, f"i{j}") for j in range(5)])
    rng = np.random.default_rng(0)
    ufuns = [LinearUtilityFunction(rng.random(5) - 0.5, outcome_space=space) for _ in range(3)]
    outcomes, utils = evaluate(ufuns)
    assert len(outcomes) == 100_000
    for k in (2, 3):
        idx = pareto_indices(utils[:, :k])
        assert len(idx) > 0
        sample = utils[rng.choice(len(utils), 200, replace=False), :k]
        # nothing in a random sample dominates a frontier point
        front = utils[idx, :k]
        for row in sample:
            assert not ((row >= front).all(axis=1) & (row > front).any(axis=1)).any()


def test_utility_functions_over_different_spaces_are_refused() -> None:
    # The first one's space was used for all: the second was evaluated on
    # outcomes outside its own space, and the frontier was silently wrong.
    five = OutcomeSpace([make_issue(5, "p")])
    three = OutcomeSpace([make_issue(3, "p")])
    seller = LinearUtilityFunction([1.0], outcome_space=five)
    buyer = LinearUtilityFunction([-1.0], bias=4.0, outcome_space=three)
    for concept in (pareto_frontier, nash_point, kalai_point, max_welfare_points):
        with pytest.raises(ValueError, match=r"is defined over .*ufuns\[1\] is not"):
            concept([seller, buyer])
        with pytest.raises(ValueError, match=r"is not an outcome of"):
            concept([seller, buyer], five.enumerate())
    same = LinearUtilityFunction([-1.0], bias=4.0, outcome_space=OutcomeSpace(five.issues))
    assert len(pareto_frontier([seller, same])) == 5


@pytest.mark.parametrize("bad", [None, "seller", OutcomeSpace], ids=repr)
def test_something_that_is_not_a_utility_function_is_named(bad: object) -> None:
    space = OutcomeSpace([make_issue(5, "p")])
    with pytest.raises(TypeError, match=r"ufuns\[1\] must be a utility function"):
        pareto_frontier([LinearUtilityFunction([1.0], outcome_space=space), bad])  # type: ignore[list-item]


def test_a_plain_function_is_a_utility_function_for_solution_concepts() -> None:
    space = OutcomeSpace([make_issue(5, "p")])
    seller = LinearUtilityFunction([1.0], outcome_space=space)
    points = pareto_frontier([seller, lambda o: 4.0 - o[0]])  # type: ignore[list-item]
    assert len(points) == 5

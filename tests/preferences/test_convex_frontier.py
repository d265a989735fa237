"""The convex-hull (P-infinity) Pareto frontier and the distance to it."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from palaver.preferences import (
    dist_to_convex_hull_frontier,
    pareto_frontier_convex_hull,
    pareto_frontier_numpy,
)


def _mixture_beats(points: np.ndarray, i: int, tol: float = 1e-9) -> bool:
    """Brute force: does a mixture of two or three points beat point i (grid of weights)?"""
    p = points[i]
    grid = np.linspace(0.0, 1.0, 41)
    for a, b in itertools.combinations(range(len(points)), 2):
        for w in grid:
            q = w * points[a] + (1 - w) * points[b]
            if np.all(q >= p - tol) and q.sum() > p.sum() + 1e-6:
                return True
    return False


def test_a_point_beaten_only_by_a_mixture_is_dropped() -> None:
    points = np.array([[0.0, 1.0], [0.6, 0.3], [1.0, 0.0]])
    assert set(pareto_frontier_numpy(points).tolist()) == {0, 1, 2}
    assert set(pareto_frontier_convex_hull(points).tolist()) == {0, 2}


def test_a_point_above_the_chord_stays() -> None:
    points = np.array([[0.0, 1.0], [0.6, 0.5], [1.0, 0.0]])
    assert set(pareto_frontier_convex_hull(points).tolist()) == {0, 1, 2}


def test_points_inside_an_efficient_edge_stay() -> None:
    points = [(x, 1.0 - x) for x in np.linspace(0.0, 1.0, 11)]
    assert set(pareto_frontier_convex_hull(points).tolist()) == set(range(11))


def test_dominated_points_and_duplicates() -> None:
    points = np.array([[0.5, 0.5], [0.5, 0.5], [0.4, 0.4], [0.0, 0.9]])
    # (0.4, 0.4) is beaten by a point; the duplicates both stay (NegMAS's rule).
    assert set(pareto_frontier_convex_hull(points).tolist()) == {0, 1, 3}


def test_edge_cases() -> None:
    assert pareto_frontier_convex_hull(np.empty((0, 2))).tolist() == []
    assert pareto_frontier_convex_hull([[0.3, 0.7]]).tolist() == [0]
    assert pareto_frontier_convex_hull(np.ones((4, 3))).tolist() == [0, 1, 2, 3]
    one_column = np.array([[0.2], [0.9], [0.5]])
    assert pareto_frontier_convex_hull(one_column).tolist() == [1]


def test_ordering_options() -> None:
    points = np.array([[0.0, 1.0], [0.9, 0.4], [1.0, 0.0], [0.2, 0.2]])
    by_welfare = pareto_frontier_convex_hull(points)
    assert by_welfare.tolist() == [1, 0, 2]
    assert pareto_frontier_convex_hull(points, sort_by_welfare=False, presort=False).tolist() == [
        0,
        1,
        2,
    ]


@pytest.mark.parametrize("seed", range(12))
def test_matches_a_brute_force_mixture_search_in_two_dimensions(seed: int) -> None:
    rng = np.random.default_rng(seed)
    points = rng.random((15, 2))
    hull = set(pareto_frontier_convex_hull(points).tolist())
    ordinary = set(pareto_frontier_numpy(points).tolist())
    assert hull <= ordinary
    for i in ordinary:
        assert (i in hull) == (not _mixture_beats(points, i)), i


@pytest.mark.parametrize("seed", range(8))
def test_three_parties_kept_points_are_supported_by_positive_weights(seed: int) -> None:
    # A kept point maximizes some strictly positive weighted sum (and a
    # dropped one of the ordinary frontier maximizes none, on a fine grid).
    rng = np.random.default_rng(100 + seed)
    points = rng.random((25, 3))
    hull = set(pareto_frontier_convex_hull(points).tolist())
    ticks = np.linspace(0.02, 0.96, 48)
    weights = np.array([(a, b, 1 - a - b) for a in ticks for b in ticks if 1 - a - b > 0.01])
    best = set(np.argmax(points @ weights.T, axis=0).tolist())
    assert best <= hull
    assert hull <= set(pareto_frontier_numpy(points).tolist())


def test_distance_counts_the_segments_between_frontier_points() -> None:
    points = [(4.0, 1.0), (1.0, 4.0), (2.0, 2.0)]
    assert dist_to_convex_hull_frontier((2.5, 2.6), points) == pytest.approx(0.1 / math.sqrt(2))
    # Beyond an end, the nearest point is that end.
    assert dist_to_convex_hull_frontier((5.0, 1.0), points) == pytest.approx(1.0)
    assert dist_to_convex_hull_frontier((0.0, 0.0), [(1.0, 1.0)]) == pytest.approx(math.sqrt(2))
    assert math.isnan(dist_to_convex_hull_frontier((0.0, 0.0), []))


def test_distance_needs_two_parties() -> None:
    with pytest.raises(NotImplementedError, match="two utilities"):
        dist_to_convex_hull_frontier((0.0, 0.0, 0.0), np.eye(3))

"""NegMAS's convex-hull (``P∞``) Pareto frontier, with numpy only.

When a negotiation is repeated, or an agreement may be a lottery, any
mixture (convex combination) of outcomes is reachable in expectation. The
frontier of that setting, NegMAS's ``P∞`` (Mohammad 2023, "Evaluating
Automated Negotiations"), keeps the points of the ordinary Pareto frontier
that no mixture of points dominates: the efficient boundary of the points'
convex hull, where ``P`` (:func:`~palaver.preferences.pareto_frontier_numpy`)
only compares points one to one.

- :func:`pareto_frontier_convex_hull`: the positions of the ``P∞`` points;
- :func:`dist_to_convex_hull_frontier`: the distance from a point to that
  boundary, segments between its points included (two parties).

A point is mixture-dominated when the linear program "maximize the total
utility of a mixture that is at least the point in every column" beats the
point's own total. The program is solved here by a small simplex method
(Bland's rule, which cannot cycle), started from the mixture that is the
point itself, so no LP library (NegMAS uses scipy's) is needed.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["dist_to_convex_hull_frontier", "pareto_frontier_convex_hull"]

# Below this a reduced cost or a pivot is numerical noise, not a direction.
_PIVOT_TOL = 1e-12


def _tolerant_frontier(points: np.ndarray, tol: float) -> np.ndarray:
    """Positions of rows no other row beats by more than ``tol`` (duplicates all stay).

    Row ``r`` is dominated by ``c`` when ``c >= r - tol`` everywhere and
    ``c > r + tol`` somewhere (NegMAS's tolerance for this frontier).
    """
    order = np.argsort(-points.sum(axis=1), kind="stable")
    kept: list[int] = []
    for i in order.tolist():
        row = points[i]
        if kept:
            front = points[kept]
            beats = np.all(front >= row - tol, axis=1) & np.any(front > row + tol, axis=1)
            if bool(beats.any()):
                continue
        kept.append(i)
    # A row kept early can still be beaten by one kept later (tolerances are
    # not transitive): one more pass among the survivors settles it.
    front = points[kept]
    survivors = [
        i
        for i in kept
        if not bool(
            (
                np.all(front >= points[i] - tol, axis=1) & np.any(front > points[i] + tol, axis=1)
            ).any()
        )
    ]
    return np.asarray(survivors, dtype=np.int64)


def _mixture_dominated(start: int, dominators: np.ndarray, tol: float) -> bool:
    """Whether a mixture of ``dominators`` beats row ``start`` of it by more than ``tol`` in total.

    Variables: the mixture weights (one per dominator) and one surplus per
    column; constraints: ``weights @ dominators - surplus == point`` and
    ``sum(weights) == 1``; objective: the mixture's total utility. The basis
    {weight of ``start``, every surplus} is feasible (the point itself), so
    the simplex runs from there; its objective never decreases, so it stops
    as soon as the point is beaten.
    """
    n, d = dominators.shape
    point = dominators[start]
    a = np.zeros((d + 1, n + d))
    a[:d, :n] = dominators.T
    a[:d, n:] = -np.eye(d)
    a[d, :n] = 1.0
    b = np.append(point, 1.0)
    cost = np.concatenate((dominators.sum(axis=1), np.zeros(d)))
    target = float(point.sum()) + tol
    basis = [start, *range(n, n + d)]
    while True:
        inverse = np.linalg.inv(a[:, basis])
        values = inverse @ b
        if float(cost[basis] @ values) > target:
            return True
        reduced = cost - (cost[basis] @ inverse) @ a
        reduced[basis] = 0.0
        entering = np.flatnonzero(reduced > _PIVOT_TOL)
        if entering.size == 0:
            return False  # optimal, and not above the point's total
        column = int(entering[0])
        direction = inverse @ a[:, column]
        rows = np.flatnonzero(direction > _PIVOT_TOL)
        if rows.size == 0:
            return True  # unbounded above: cannot happen with weights summing to one
        ratios = values[rows] / direction[rows]
        best = ratios.min()
        ties = rows[ratios <= best + _PIVOT_TOL]
        leaving = min(ties.tolist(), key=lambda r: basis[r])
        basis[leaving] = column


def pareto_frontier_convex_hull(
    points: np.ndarray | Sequence[Sequence[float]] | Any,
    eps: float = -1e-12,
    sort_by_welfare: bool = True,
    presort: bool = True,
) -> np.ndarray:
    """The positions of the rows of ``points`` on the convex-hull (``P∞``) Pareto frontier.

    ``points`` has one row of utilities per outcome. A row is kept when no
    other row beats it (as in :func:`pareto_frontier_numpy`, but exact
    duplicates all stay) and no mixture of rows does either: ``(0.6, 0.3)``
    is on the ordinary frontier of ``(0, 1), (0.6, 0.3), (1, 0)``, but the
    mixture 60% ``(1, 0)`` and 40% ``(0, 1)`` gives ``(0.6, 0.4)``, which
    beats it, so it is dropped. Points inside an edge of the efficient
    boundary (collinear points) stay: no mixture beats them.

    ``eps`` is NegMAS's tolerance: a beat must exceed ``max(|eps|, 1e-9)``.
    The answer is ordered by decreasing total utility with
    ``sort_by_welfare``; else by decreasing total with ``presort`` (NegMAS's
    scan order) and by position without. Empty input gives an empty array.
    """
    array = np.asarray(points, dtype=float)
    if array.ndim != 2 or array.shape[0] < 1 or array.shape[1] < 1:
        return np.empty(0, dtype=np.int64)
    tol = max(abs(float(eps)), 1e-9)
    candidates = _tolerant_frontier(array, tol)
    dominators = array[candidates]
    kept = np.asarray(
        [
            int(c)
            for k, c in enumerate(candidates.tolist())
            if len(candidates) == 1 or not _mixture_dominated(k, dominators, tol)
        ],
        dtype=np.int64,
    )
    if sort_by_welfare or presort:
        return kept[np.argsort(-array[kept].sum(axis=1), kind="stable")]
    return np.sort(kept)


def _segment_distance(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """The Euclidean distance from ``p`` to the segment from ``a`` to ``b``."""
    ab = b - a
    length2 = float(ab @ ab)
    if length2 <= 0.0:
        return float(np.linalg.norm(p - a))
    t = min(1.0, max(0.0, float((p - a) @ ab) / length2))
    return float(np.linalg.norm(p - (a + t * ab)))


def dist_to_convex_hull_frontier(
    w: Sequence[float], points: np.ndarray | Sequence[Sequence[float]]
) -> float:
    """The Euclidean distance from ``w`` to the ``P∞`` frontier of ``points`` (two parties).

    The frontier is the polyline through the ``P∞`` points
    (:func:`pareto_frontier_convex_hull`) by increasing first utility, so
    a point between two frontier points (reachable only by a mixture of
    them) counts as on the frontier. NaN when ``points`` is empty. As in
    NegMAS, only two columns are supported: more raise
    ``NotImplementedError`` (the boundary is then made of facets, not
    segments).
    """
    array = np.asarray(points, dtype=float)
    if array.size == 0 or array.ndim != 2:
        return float("nan")
    if array.shape[1] != 2:
        raise NotImplementedError(
            "dist_to_convex_hull_frontier: only two utilities per point are supported, "
            f"got {array.shape[1]}"
        )
    frontier = array[pareto_frontier_convex_hull(array, sort_by_welfare=False)]
    frontier = frontier[np.argsort(frontier[:, 0], kind="stable")]
    p = np.asarray(w, dtype=float)
    if len(frontier) == 1:
        return float(np.linalg.norm(p - frontier[0]))
    return min(_segment_distance(p, a, b) for a, b in itertools.pairwise(frontier))

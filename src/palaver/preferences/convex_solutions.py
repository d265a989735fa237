"""NegMAS's bargaining solutions over mixtures of outcomes (``P∞``), exact for two parties.

When any lottery over outcomes may be agreed (or a negotiation is repeated),
every point of the convex hull of the outcomes' utilities is reachable in
expectation. NegMAS's ``kalai_point_convex_hull``, ``ks_point_convex_hull``
and ``nash_point_convex_hull`` find the egalitarian, Kalai-Smorodinsky and
Nash points over that hull with scipy (a linear program; a numerical
optimizer for Nash). For two parties the hull's efficient boundary is a chain
of segments between the points of
:func:`~palaver.preferences.pareto_frontier_convex_hull`, and each solution is
found on it in closed form here: the crossing of a line with a segment
(egalitarian, Kalai-Smorodinsky) or the top of a concave quadratic on each
segment (Nash). Three parties or more are refused (``ValueError``): their
hull would need a polytope solver Palaver does not have.

Each returns NegMAS's triple ``(utilities, indices, weights)``: the point,
the positions in ``points`` of the one or two points whose mixture gives it,
and the mixture's weights (summing to 1); ``((), (), ())`` for no points or
no feasible point. The positions are listed by decreasing utility of party
0 (NegMAS lists them in the order of scipy's ``ConvexHull.vertices``; the
pairs of position and weight are the same). The disagreement point ``d`` is
as in :func:`~palaver.preferences.nash_points`: a ufun's reserved value when
finite and not below its range's low end, else that low end (``0`` for the
"modified" variants, ``subtract_reserved_value=False``). Without ``ufuns``,
as in NegMAS, every reserved value counts as ``0``: ``d`` is ``max(low, 0)``
of each ``(low, high)`` pair of ``ranges`` (pass ``ufuns`` for another
disagreement point).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.preferences.convex_frontier import pareto_frontier_convex_hull
from palaver.preferences.frontier_points import _disagreements, _ranges

__all__ = ["kalai_point_convex_hull", "ks_point_convex_hull", "nash_point_convex_hull"]

Mixture = tuple[tuple[float, ...], tuple[int, ...], tuple[float, ...]]
_NONE: Mixture = ((), (), ())


def _chain(points: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """The efficient boundary's vertices by decreasing first utility, with their positions."""
    kept = pareto_frontier_convex_hull(points, sort_by_welfare=False, presort=False)
    order = sorted(kept.tolist(), key=lambda i: (-points[i, 0], points[i, 1], i))
    chain: list[int] = []
    for i in order:
        if not chain or not np.array_equal(points[i], points[chain[-1]]):
            chain.append(i)
    return points[chain], chain


def _limits(
    ufuns: Sequence[Any] | None,
    ranges: Sequence[tuple[float, ...]] | None,
    where: tuple[OutcomeSpace | None, Sequence[Issue] | None, Sequence[Outcome] | None],
    subtract_reserved_value: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """The disagreement and ideal points."""
    if ufuns is None:
        if not ranges:
            raise ValueError("give the ufuns, or ranges as (disagreement, ideal) pairs")
        pairs = [(float(r[0]), float(r[1])) for r in ranges]
        if not all(math.isfinite(v) for pair in pairs for v in pair):
            raise ValueError(f"ranges must be finite (disagreement, ideal) pairs, got {ranges!r}")
        # NegMAS's rule without ufuns: every party's reserved value counts as 0,
        # so a range's low end is the disagreement only when it is above 0.
        d = np.asarray([max(low, 0.0) for low, _ in pairs])
    else:
        pairs = _ranges(ufuns, ranges, *where)
        d = _disagreements(ufuns, pairs)
    if not subtract_reserved_value:
        d = np.zeros(len(pairs))
    return d, np.asarray([high for _, high in pairs])


def _points(points: Any, n_parties: int | None) -> np.ndarray | None:
    array = np.asarray(points, dtype=float)
    if array.size == 0 or array.ndim != 2:
        return None
    if array.shape[1] != 2 or (n_parties is not None and n_parties != 2):
        raise ValueError(
            f"solutions over the convex hull are computed for two parties only, got "
            f"{array.shape[1]} utilities per point"
        )
    if not np.isfinite(array).all():
        raise ValueError("points must hold finite utilities")
    return array


def _mixture(chain: np.ndarray, index: list[int], j: int, s: float, eps: float) -> Mixture:
    """The point ``s`` of the way from chain vertex ``j`` to ``j + 1``."""
    if s <= eps or j + 1 >= len(index):
        return tuple(chain[j].tolist()), (index[j],), (1.0,)
    if s >= 1 - eps:
        return tuple(chain[j + 1].tolist()), (index[j + 1],), (1.0,)
    point = (1 - s) * chain[j] + s * chain[j + 1]
    return tuple(point.tolist()), (index[j], index[j + 1]), (1 - s, s)


def _ray(
    chain: np.ndarray, index: list[int], d: np.ndarray, v: np.ndarray, eps: float
) -> tuple[float, Mixture]:
    """Where ``d + t * v`` (``v >= 0``, not 0) leaves the points the hull dominates:
    the largest such ``t``, and the boundary point that dominates it there."""
    found: list[tuple[float, Mixture]] = []
    top, right = chain[-1], chain[0]
    if v[0] > 0:  # below the rightmost vertex: dominated by it alone
        t = (right[0] - d[0]) / v[0]
        if d[1] + t * v[1] <= right[1]:
            found.append((t, _mixture(chain, index, 0, 0.0, eps)))
    if v[1] > 0:  # left of the highest vertex
        t = (top[1] - d[1]) / v[1]
        if d[0] + t * v[0] <= top[0]:
            found.append((t, _mixture(chain, index, len(index) - 1, 0.0, eps)))
    for j in range(len(index) - 1):
        a, b = chain[j], chain[j + 1]
        # a + s (b - a) = d + t v, solved for (s, t)
        m = np.column_stack([b - a, -v])
        det = float(np.linalg.det(m))
        if abs(det) < 1e-15:
            continue
        s, t = np.linalg.solve(m, d - a)
        if -1e-12 <= s <= 1 + 1e-12:
            found.append((float(t), _mixture(chain, index, j, float(min(max(s, 0.0), 1.0)), eps)))
    if not found:  # the line passes right of every point: nothing dominates it
        return -math.inf, _NONE
    return min(found, key=lambda f: f[0])


def kalai_point_convex_hull(
    ufuns: Sequence[Any] | None,
    points: np.ndarray | Sequence[tuple[float, ...]],
    ranges: Sequence[tuple[float, ...]] | None = None,
    outcome_space: OutcomeSpace | None = None,
    issues: Sequence[Issue] | None = None,
    outcomes: Sequence[Outcome] | None = None,
    eps: float = 1e-12,
    subtract_reserved_value: bool = True,
) -> Mixture:
    """The egalitarian point over the convex hull of ``points``: the largest
    ``min_i (u_i - d_i)`` (``min_i u_i`` without ``subtract_reserved_value``),
    on the efficient boundary. Two parties only (see the module)."""
    array = _points(points, None if ufuns is None else len(ufuns))
    if array is None:
        return _NONE
    d, _ = _limits(ufuns, ranges, (outcome_space, issues, outcomes), subtract_reserved_value)
    chain, index = _chain(array)
    return _ray(chain, index, d, np.ones(2), eps)[1]


def ks_point_convex_hull(
    ufuns: Sequence[Any] | None,
    points: np.ndarray | Sequence[tuple[float, ...]],
    ranges: Sequence[tuple[float, ...]] | None = None,
    outcome_space: OutcomeSpace | None = None,
    issues: Sequence[Issue] | None = None,
    outcomes: Sequence[Outcome] | None = None,
    eps: float = 1e-12,
    subtract_reserved_value: bool = True,
) -> Mixture:
    """The Kalai-Smorodinsky point over the convex hull of ``points``: where the
    line from the disagreement point to the ideal point (each party's best)
    meets the efficient boundary. ``((), (), ())`` when no mixture gives every
    party its disagreement utility, or when a party's ideal utility is below its
    disagreement utility, or both equal theirs (a modified variant over negative
    utilities: NegMAS's program may still answer there). Two parties only (see the module)."""
    array = _points(points, None if ufuns is None else len(ufuns))
    if array is None:
        return _NONE
    d, ideal = _limits(ufuns, ranges, (outcome_space, issues, outcomes), subtract_reserved_value)
    direction = ideal - d
    if (direction < 0).any() or not (direction > 0).any():
        return _NONE  # a disagreement point at or above the ideal: nothing to share
    chain, index = _chain(array)
    t, point = _ray(chain, index, d, direction, eps)
    return point if t >= 0 else _NONE


def nash_point_convex_hull(
    ufuns: Sequence[Any] | None,
    points: np.ndarray | Sequence[tuple[float, ...]],
    ranges: Sequence[tuple[float, ...]] | None = None,
    outcome_space: OutcomeSpace | None = None,
    issues: Sequence[Issue] | None = None,
    outcomes: Sequence[Outcome] | None = None,
    eps: float = 1e-12,
) -> Mixture:
    """The Nash point over the convex hull of ``points``: the largest
    ``prod_i (u_i - d_i)`` with every gain positive, on the efficient boundary
    (the top of a concave quadratic on each segment). ``((), (), ())`` when no
    mixture gives both parties more than ``d``. Two parties only (see the module)."""
    array = _points(points, None if ufuns is None else len(ufuns))
    if array is None:
        return _NONE
    d, _ = _limits(ufuns, ranges, (outcome_space, issues, outcomes), True)
    chain, index = _chain(array)
    best: tuple[float, int, float] | None = None
    for j in range(len(index)):
        ga = chain[j] - d
        gb = chain[j + 1] - d if j + 1 < len(index) else ga
        step = gb - ga
        candidates = [0.0, 1.0]
        curvature = float(step[0] * step[1])
        if curvature < 0:
            candidates.append(-float(ga[0] * step[1] + ga[1] * step[0]) / (2 * curvature))
        for s in candidates:
            if not 0 <= s <= 1:
                continue
            gains = ga + s * step
            if (gains > eps).all():
                product = float(gains[0] * gains[1])
                if best is None or product > best[0]:
                    best = (product, j, s)
    if best is None:
        return _NONE
    return _mixture(chain, index, best[1], best[2], eps)

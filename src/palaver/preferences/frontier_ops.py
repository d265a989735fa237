"""NegMAS's point-level helpers of ``negmas.preferences.ops``.

- :func:`pareto_frontier_numpy` and :func:`pareto_frontier_bf`: the positions of
  the Pareto-optimal rows of an array of utilities (one row per outcome), two
  algorithms for one frontier;
- :func:`distance_to`: the Euclidean distance from a point to the nearest of
  some points;
- :func:`calc_reserved_value`: a reserved value leaving a given fraction of the
  outcomes rational.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from palaver._util.checks import check_real
from palaver.preferences.protocol import checked_ranked_utilities

__all__ = [
    "calc_reserved_value",
    "distance_to",
    "pareto_frontier_bf",
    "pareto_frontier_numpy",
]

_NONE = np.empty(0, dtype=np.int64)


def _points(points: Any) -> np.ndarray | None:
    """``points`` as a 2-d float array, ``None`` when there is nothing to scan."""
    array = np.asarray(points, dtype=float)
    if array.ndim != 2 or array.shape[0] < 1 or array.shape[1] < 1:
        return None
    return array


def _by_welfare(array: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """``indices`` by decreasing total utility (NegMAS's ``sort_by_welfare``)."""
    return indices[np.argsort(-array[indices].sum(axis=1), kind="stable")]


def pareto_frontier_numpy(
    points: Any, eps: float = -1e-12, sort_by_welfare: bool = True, presort: bool = True
) -> np.ndarray:
    """The positions of the Pareto-optimal rows of ``points``.

    A row is dropped when another is at least as good in every column (a
    point better somewhere and worse nowhere, or an exact duplicate: of
    duplicates the one of highest position in the scan is kept). The rows
    are scanned by decreasing total utility, so a row can only be dominated
    by one already kept. The answer is ordered by decreasing total utility
    with ``sort_by_welfare`` or ``presort``, else by position. ``eps`` is
    NegMAS's (unused: comparisons are exact).
    """
    array = _points(points)
    if array is None:
        return _NONE.copy()
    order = np.argsort(-array.sum(axis=1), kind="stable")
    kept: list[int] = []
    front = np.empty((0, array.shape[1]))
    for i in order.tolist():
        row = array[i]
        if len(front) and bool(np.all(front >= row, axis=1).any()):
            continue
        kept.append(i)
        front = np.vstack((front, row))
    found = np.asarray(kept, dtype=np.int64)
    if sort_by_welfare:
        return _by_welfare(array, found)
    return found if presort else np.sort(found)


def pareto_frontier_bf(
    points: Any, eps: float = -1e-12, sort_by_welfare: bool = True
) -> np.ndarray:
    """The positions of the Pareto-optimal rows of ``points``, by comparing every pair.

    Row ``i`` is dropped when some other row ``j`` is better nowhere (no column
    with ``p_i > p_j``) and worse somewhere (a column with ``p_i < p_j - eps``;
    with the default negative ``eps`` a tie counts as worse, so exact
    duplicates drop each other, as in NegMAS). Quadratic: for small arrays
    and for checking :func:`pareto_frontier_numpy`. Ordered by decreasing
    total utility with ``sort_by_welfare``, else by position.
    """
    array = _points(points)
    if array is None:
        return _NONE.copy()
    kept = []
    for i, row in enumerate(array):
        better = (row > array).any(axis=1)
        worse = (row < array - eps).any(axis=1)
        dominated = ~better & worse
        dominated[i] = False
        if not dominated.any():
            kept.append(i)
    found = np.asarray(kept, dtype=np.int64)
    return _by_welfare(array, found) if sort_by_welfare else found


def distance_to(w: Sequence[float], p: Iterable[Sequence[float]]) -> float:
    """The Euclidean distance from ``w`` to the nearest point of ``p`` (NaN when ``p`` is empty)."""
    others = np.asarray(list(p), dtype=float)
    if others.size == 0:
        return math.nan
    return float(np.sqrt(((others - np.asarray(w, dtype=float)) ** 2).sum(axis=1)).min())


def calc_reserved_value(
    ufun: Any,
    fraction: float = math.inf,
    nmin: int = 0,
    nmax: float = math.inf,
    max_cardinality: int | float = math.inf,
    finite: bool = True,
    tight: bool = True,
) -> float:
    """A reserved value leaving ``ceil(fraction * n)`` of the ``n`` outcomes rational.

    That count is held between ``nmin`` and ``nmax`` (and ``n``). The value
    lies halfway between the last utility kept and the next (best first);
    keeping none puts it just above the best utility (``inf`` when not
    ``finite``), keeping all just below the worst (``-inf``). With ``tight``
    it is then held within ``1e-9`` of the utility range. A continuous space
    is discretized (``max_cardinality`` outcomes at most).
    """
    # NaN failed in math.ceil naming neither the parameter nor the value.
    fraction = check_real("fraction", fraction, inf_ok=True)
    space = ufun.outcome_space
    if space is None:
        raise ValueError("calc_reserved_value: the utility function has no outcome space")
    outcomes = space.enumerate_or_sample(max_cardinality=max_cardinality)
    # A NaN utility sorted to an arbitrary place and could become the value.
    utils = np.sort(checked_ranked_utilities(ufun.eval_many(outcomes), ufun, outcomes))[::-1]
    total = len(utils)
    if total == 0:
        raise ValueError("calc_reserved_value: the outcome space has no outcomes")
    n = int(min(total, nmax, max(nmin, math.ceil(fraction * total))))
    if n <= 0:
        value = float(utils[0]) + 1e-9 if finite else math.inf
    elif n < total:
        value = 0.5 * float(utils[n - 1] + utils[n])
    else:
        value = float(utils[-1]) - 1e-9 if finite else -math.inf
    if tight:
        value = max(float(utils[-1]) - 1e-9, min(float(utils[0]) + 1e-9, value))
    return value

"""Solution concepts over a discrete set of outcomes: Pareto, Nash, Kalai, welfare.

Every function takes the utility functions (one per agent) and the outcomes
to consider: a list of outcome tuples, an :class:`OutcomeSpace` (enumerated),
or ``None`` for the outcome space of the utility functions. Each ufun is
evaluated once with ``eval_many``.

Complexity for ``n`` outcomes and ``k`` agents: the Pareto frontier costs
``O(n log n)`` for ``k <= 2`` (sort, then one sweep), ``O(n log^2 n)`` for
``k = 3`` (divide and conquer, vectorized per level) and ``O(n log n + n*s*k)``
for ``k > 3`` (sort by total utility, then filter in vectorized batches), where
``s`` is the size of the frontier. Nash and Kalai points are chosen on the
frontier; max-welfare points cost ``O(n*k)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np

from palaver._util.checks import check_items
from palaver.outcomes import Outcome, OutcomeSpace, OutcomeSpaceError
from palaver.preferences.base import UtilityFunction
from palaver.preferences.protocol import check_ufun_space, checked_ufun, checked_utilities

# How many frontier candidates are checked against each other at once (k > 2),
# and how many frontier points filter the remaining outcomes at once: both bound
# the temporary arrays to a few megabytes.
_BATCH = 256
_FILTER_CHUNK = 32


@dataclass(frozen=True, slots=True)
class SolutionPoint:
    """An outcome with the agents' utilities for it.

    ``index`` is the outcome's position in the list of outcomes considered
    (the enumeration order when an outcome space was given).
    """

    outcome: Outcome
    utilities: tuple[float, ...]
    index: int


def evaluate(
    ufuns: Sequence[UtilityFunction], outcomes: Sequence[Outcome] | OutcomeSpace | None = None
) -> tuple[list[Outcome], np.ndarray]:
    """The outcomes considered and their utilities, an array of shape ``(n, len(ufuns))``."""
    ufuns = check_items("ufuns", ufuns, "utility functions")
    if not ufuns:
        raise ValueError("solution concepts need at least one utility function")
    checked = [checked_ufun(f"ufuns[{i}]", ufun) for i, ufun in enumerate(ufuns)]
    for i, ufun in enumerate(checked):
        if ufun is None:
            raise TypeError(f"ufuns[{i}] must be a utility function, got None")
    ufuns = cast("list[UtilityFunction]", checked)  # plain functions now wrapped
    space = outcomes if isinstance(outcomes, OutcomeSpace) else None
    if outcomes is None:
        space = next((u.outcome_space for u in ufuns if u.outcome_space is not None), None)
        if space is None:
            raise OutcomeSpaceError(
                "no outcomes given and none of the utility functions has an outcome space"
            )
        # Utility functions over different spaces would be evaluated on outcomes
        # that are not theirs (the first one's space), silently. (A space given
        # explicitly is the caller's choice: a discretization, say.)
        for i, ufun in enumerate(ufuns):
            check_ufun_space(ufun, space, f"the solution concept (ufuns[{i}] is not)")
    if space is not None:
        outs = space.enumerate()
    else:
        outs = check_items("outcomes", outcomes, "outcomes, an OutcomeSpace or None")
        _check_listed(ufuns, outs)
    if not outs:
        return outs, np.empty((0, len(ufuns)))
    array: np.ndarray | None = None
    columns = []
    for ufun in ufuns:
        eval_many = getattr(ufun, "eval_many", None)
        if eval_many is None:  # a utility function of one's own (UtilityFunctionLike)
            columns.append(checked_utilities(ufun.eval, outs, ufun))
        elif (
            getattr(ufun, "prefers_array", False)
            and space is not None
            and (ufun.outcome_space == space)
        ):
            if array is None:
                array = space.to_array(outs)
            columns.append(eval_many(array))
        else:
            columns.append(eval_many(outs))
    return outs, np.column_stack(columns).astype(float, copy=False)


def _check_listed(ufuns: Sequence[UtilityFunction], outcomes: list[Outcome]) -> None:
    """``ValueError`` for a listed outcome outside the ufuns' outcome space.

    Utility functions do not check membership, so NegMAS's call
    ``max_welfare_points(ufuns, frontier)`` (a frontier of *utilities*) would
    otherwise be evaluated as if the utilities were outcomes.
    """
    for space in {id(u.outcome_space): u.outcome_space for u in ufuns}.values():
        if space is None:
            continue
        bad = next((o for o in outcomes if o not in space), None)
        if bad is not None:
            raise ValueError(
                f"{bad!r} is not an outcome of {space!r}: Palaver's solution concepts take "
                "outcomes (or an outcome space), not NegMAS's frontier of utilities"
            )


def pareto_indices(utilities: np.ndarray) -> np.ndarray:
    """Rows of ``utilities`` (shape ``(n, k)``) that no other row Pareto-dominates.

    A row dominates another when it is at least as good for every agent and
    better for one. Rows with equal utilities are all kept. The result is
    ordered by decreasing utility of the first agent, then of the next ones.
    """
    u = np.asarray(utilities, dtype=float)
    if u.ndim != 2:
        raise ValueError(f"utilities must be a 2-D array (n, k), got shape {u.shape}")
    if np.isnan(u).any():
        raise ValueError("utilities contain NaN")
    if len(u) == 0:
        return np.empty(0, dtype=np.int64)
    unique, inverse = np.unique(u, axis=0, return_inverse=True)
    on_frontier = _frontier_of_unique(unique)[inverse.reshape(-1)]
    idx = np.flatnonzero(on_frontier)
    keys = tuple(-u[idx, j] for j in reversed(range(u.shape[1])))
    return idx[np.lexsort(keys)]


def _frontier_of_unique(unique: np.ndarray) -> np.ndarray:
    """A mask of the non-dominated rows of distinct rows sorted lexicographically."""
    k = unique.shape[1]
    if k == 1:
        top: np.ndarray = unique[:, 0] == unique[-1, 0]
        return top
    if k == 2:
        # Walking from the largest first utility down, a row is undominated exactly
        # when its second utility beats every row seen before it.
        second = unique[::-1, 1]
        best_before = np.concatenate(([-np.inf], np.maximum.accumulate(second)[:-1]))
        return (second > best_before)[::-1]
    if k == 3:
        return _frontier_3d(unique)
    return _skyline(unique)


def _frontier_3d(unique: np.ndarray) -> np.ndarray:
    """Divide and conquer over the lexicographic order, one vectorized pass per level.

    In decreasing lexicographic order every row before ``p`` has a first
    utility at least ``p``'s, so ``p`` is dominated exactly when an earlier row
    has both other utilities at least ``p``'s. Level ``b`` answers that for the
    earlier rows in the left half of each block of ``2b`` rows; over all levels
    each earlier row is seen once. ``O(n log^2 n)``.
    """
    rows = unique[::-1]
    m = len(rows)
    r1 = np.unique(rows[:, 1], return_inverse=True)[1].reshape(-1).astype(np.int64)
    r2 = np.unique(rows[:, 2], return_inverse=True)[1].reshape(-1).astype(np.int64)
    pos = np.arange(m, dtype=np.int64)
    dominated = np.zeros(m, dtype=bool)
    b = 1
    while b < m:
        group = pos // (2 * b)
        left = (pos % (2 * b)) < b
        lg, lr1, lr2 = group[left], r1[left], r2[left]
        # Sort the left halves by (group, second utility descending) and take a
        # running maximum of the third utility; offsetting by group keeps the
        # maximum from leaking across groups.
        keys = lg * m + (m - 1 - lr1)
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        best = np.maximum.accumulate(lr2[order] + lg[order] * m)
        right = ~left
        rg, rr1, rr2 = group[right], r1[right], r2[right]
        at = np.searchsorted(keys, rg * m + (m - 1 - rr1), side="right") - 1
        found = at >= 0
        found[found] = keys[at[found]] >= rg[found] * m
        hit = np.zeros(len(rg), dtype=bool)
        hit[found] = best[at[found]] - rg[found] * m >= rr2[found]
        dominated[pos[right][hit]] = True
        b *= 2
    return (~dominated)[::-1]


def _skyline(unique: np.ndarray) -> np.ndarray:
    """Sort-filter skyline for distinct rows: only earlier rows can dominate later ones."""
    m, k = unique.shape
    keys = (*(-unique[:, j] for j in reversed(range(k))), -unique.sum(axis=1))
    rest_idx = np.lexsort(keys)
    rest = unique[rest_idx]
    mask = np.zeros(m, dtype=bool)
    while len(rest):
        batch, batch_idx = rest[:_BATCH], rest_idx[:_BATCH]
        rest, rest_idx = rest[_BATCH:], rest_idx[_BATCH:]
        covers: np.ndarray = np.all(batch[None, :, :] >= batch[:, None, :], axis=2)
        np.fill_diagonal(covers, False)
        keep = ~covers.any(axis=1)
        mask[batch_idx[keep]] = True
        survivors = batch[keep]
        for start in range(0, len(survivors), _FILTER_CHUNK):
            if not len(rest):
                break
            chunk = survivors[start : start + _FILTER_CHUNK]
            dominated = np.all(rest[:, None, :] <= chunk[None, :, :], axis=2).any(axis=1)
            rest, rest_idx = rest[~dominated], rest_idx[~dominated]
    return mask


def _points(outs: list[Outcome], utils: np.ndarray, idx: np.ndarray) -> list[SolutionPoint]:
    return [SolutionPoint(outs[i], tuple(utils[i].tolist()), int(i)) for i in idx.tolist()]


def pareto_frontier(
    ufuns: Sequence[UtilityFunction], outcomes: Sequence[Outcome] | OutcomeSpace | None = None
) -> list[SolutionPoint]:
    """The Pareto-optimal outcomes, by decreasing utility of the first agent."""
    outs, utils = evaluate(ufuns, outcomes)
    return _points(outs, utils, pareto_indices(utils))


def _disagreement(ufuns: Sequence[UtilityFunction], utils: np.ndarray) -> np.ndarray:
    """Reserved values; an infinite one is replaced by that agent's worst utility."""
    d = np.array([u.reserved_value for u in ufuns], dtype=float)
    finite = np.isfinite(d)
    if not finite.all():
        d[~finite] = utils.min(axis=0)[~finite]
    return d


def _rational_frontier(
    ufuns: Sequence[UtilityFunction], outcomes: Sequence[Outcome] | OutcomeSpace | None
) -> tuple[list[Outcome], np.ndarray, np.ndarray, np.ndarray]:
    outs, utils = evaluate(ufuns, outcomes)
    if len(utils) == 0:
        return outs, utils, np.empty(0, dtype=np.int64), np.empty(len(ufuns))
    d = _disagreement(ufuns, utils)
    front = pareto_indices(utils)
    rational = front[(utils[front] >= d).all(axis=1)]
    return outs, utils, rational, d


def nash_point(
    ufuns: Sequence[UtilityFunction], outcomes: Sequence[Outcome] | OutcomeSpace | None = None
) -> SolutionPoint | None:
    """The Nash bargaining solution: the outcome maximizing the product of gains.

    A gain is an agent's utility minus its reserved value (an infinite
    reserved value is replaced by the agent's worst utility). Only outcomes
    that give every agent at least its reserved value count; ``None`` when
    there are none. Ties go to the first outcome in frontier order.
    """
    outs, utils, rational, d = _rational_frontier(ufuns, outcomes)
    if len(rational) == 0:
        return None
    products = np.prod(utils[rational] - d, axis=1)
    return _points(outs, utils, rational[[int(np.argmax(products))]])[0]


def kalai_point(
    ufuns: Sequence[UtilityFunction], outcomes: Sequence[Outcome] | OutcomeSpace | None = None
) -> SolutionPoint | None:
    """The Kalai-Smorodinsky solution: the largest equal share of each agent's best gain.

    Among the individually rational Pareto-optimal outcomes, picks the one
    maximizing the smallest ratio ``(u_i - d_i) / (best_i - d_i)``, where
    ``best_i`` is agent ``i``'s highest utility over those outcomes and ``d_i``
    its reserved value (an agent with nothing to gain is left out of the
    minimum). ``None`` when no outcome is individually rational. (Scenario
    statistics call this point ``kalai_smorodinsky`` and keep ``kalai`` for
    Kalai's egalitarian solution, as NegMAS does: see ``palaver.scenarios``.)
    """
    outs, utils, rational, d = _rational_frontier(ufuns, outcomes)
    if len(rational) == 0:
        return None
    gains = utils[rational] - d
    span = gains.max(axis=0)
    ratios = np.where(span > 0, gains / np.where(span > 0, span, 1.0), np.inf)
    return _points(outs, utils, rational[[int(np.argmax(ratios.min(axis=1)))]])[0]


def max_welfare_points(
    ufuns: Sequence[UtilityFunction], outcomes: Sequence[Outcome] | OutcomeSpace | None = None
) -> list[SolutionPoint]:
    """Every outcome with the highest sum of utilities, in outcome order.

    Sums within ``1e-12`` (relative) of the highest count as ties, so that
    rounding does not hide an equally good outcome.
    """
    outs, utils = evaluate(ufuns, outcomes)
    if len(utils) == 0:
        return []
    welfare = utils.sum(axis=1)
    best = welfare.max()
    return _points(outs, utils, np.flatnonzero(welfare >= best - 1e-12 * max(1.0, abs(best))))

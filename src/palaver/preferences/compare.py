"""How alike two utility functions are: NegMAS's ``compare_ufuns``.

The utilities of both functions on the same outcomes (every outcome, or a
sample of a large space) are compared with Kendall's tau-b, NDCG or a
normalised Euclidean distance, computed here with numpy (NegMAS calls
scipy and scikit-learn, which Palaver does not depend on; the values are
the same: tau-b with ties, and NDCG with tied scores averaged).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np

from palaver._util.checks import check_bool
from palaver.outcomes import Issue, Outcome, OutcomeSpace, os_or_none
from palaver.preferences.base import UtilityFunction

__all__ = ["COMPARE_UFUN_METHOD_TYPE", "compare_ufuns", "kendall_tau_b", "ndcg"]

#: The methods :func:`compare_ufuns` knows by name, or a function of two vectors.
COMPARE_UFUN_METHOD_TYPE = (
    Literal["kendall", "kendall_optimality", "ndcg", "euclidean"]
    | Callable[[np.ndarray, np.ndarray], float]
)
_METHODS = ("kendall", "kendall_optimality", "ndcg", "euclidean")


def _dense_ranks(x: np.ndarray) -> np.ndarray:
    return np.unique(x, return_inverse=True)[1].astype(np.int64)


def _tied_pairs(ranks: np.ndarray) -> int:
    counts = np.bincount(ranks)
    return int((counts * (counts - 1) // 2).sum())


def _inversions(y: np.ndarray) -> int:
    """The pairs ``i < j`` with ``y[i] > y[j]`` (``y`` are integer ranks below
    ``len(y)``), by a bottom-up merge sort whose levels are numpy operations."""
    n = len(y)
    order = np.arange(n)
    values = y.astype(np.int64).copy()
    count = 0
    width = 1
    while width < n:
        block = order // width
        pair = block // 2
        left = block % 2 == 0
        # One sorted array of every left block (blocks are sorted, keys grow by block).
        keys = pair * n + values
        left_keys = keys[left]
        right_keys = keys[~left]
        # For each right element: the left elements of its pair greater than it.
        ends = np.searchsorted(left_keys, pair[~left] * n + n, side="left")
        count += int((ends - np.searchsorted(left_keys, right_keys, side="right")).sum())
        values = values[np.argsort(keys, kind="stable")]
        width *= 2
    return count


def kendall_tau_b(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    """Kendall's tau-b of two equally long vectors (ties counted as scipy's
    ``kendalltau`` counts them); NaN when either vector is constant."""
    a, b = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"kendall_tau_b: two vectors of one length, got {a.shape} and {b.shape}")
    n = len(a)
    rx, ry = _dense_ranks(a), _dense_ranks(b)
    pairs = n * (n - 1) // 2
    tx, ty = _tied_pairs(rx), _tied_pairs(ry)
    both = _tied_pairs(_dense_ranks(rx * (int(ry.max(initial=0)) + 1) + ry))
    discordant = _inversions(ry[np.lexsort((ry, rx))])
    denominator = math.sqrt(float(pairs - tx) * float(pairs - ty))
    if denominator == 0:
        return math.nan
    concordant_minus_discordant = pairs - tx - ty + both - 2 * discordant
    return max(-1.0, min(1.0, concordant_minus_discordant / denominator))


def ndcg(true: Sequence[float] | np.ndarray, score: Sequence[float] | np.ndarray) -> float:
    """The normalised discounted cumulative gain of ranking the gains ``true``
    by ``score`` (all positions; tied scores share their positions' discounts,
    as scikit-learn's ``ndcg_score`` does); 0 when every gain is 0."""
    gains, scores = np.asarray(true, dtype=np.float64), np.asarray(score, dtype=np.float64)
    discounts = 1.0 / np.log2(np.arange(len(gains)) + 2.0)
    ideal = float(np.sort(gains)[::-1] @ discounts)
    if ideal == 0:
        return 0.0
    order = np.argsort(-scores, kind="stable")
    starts = np.unique(-scores[order], return_index=True)[1]
    group_gain = np.add.reduceat(gains[order], starts)
    sizes = np.diff(np.append(starts, len(gains)))
    group_discount = np.add.reduceat(discounts, starts)
    return float((group_gain / sizes * group_discount).sum() / ideal)


def _outcomes(
    ufun1: UtilityFunction,
    ufun2: UtilityFunction,
    max_samples: int,
    space: OutcomeSpace | None,
    outcomes: Sequence[Outcome] | None,
    seed: int | np.random.Generator | None,
) -> list[Outcome]:
    if outcomes is not None:
        return list(outcomes)
    if space is None:
        space = ufun1.outcome_space if ufun1.outcome_space is not None else ufun2.outcome_space
    if space is None:
        raise ValueError("compare_ufuns: no outcome space; give outcome_space, issues or outcomes")
    return list(space.enumerate_or_sample(max_cardinality=max_samples, seed=seed))


def _unit(u: np.ndarray) -> np.ndarray:
    low, high = float(u.min()), float(u.max())
    return (u - low) / (high - low) if high - low > 1e-10 else np.zeros_like(u)


def compare_ufuns(
    ufun1: UtilityFunction | None,
    ufun2: UtilityFunction | None,
    method: COMPARE_UFUN_METHOD_TYPE = "kendall",
    normalize: bool = True,
    max_samples: int = 100_000,
    outcome_space: OutcomeSpace | None = None,
    issues: Sequence[Issue] | None = None,
    outcomes: Sequence[Outcome] | None = None,
    seed: int | np.random.Generator | None = None,
) -> float:
    """How alike ``ufun1`` and ``ufun2`` are on the same outcomes (NegMAS's function).

    The outcomes are ``outcomes``, or those of ``outcome_space`` / ``issues``
    / the first function's space: all of them up to ``max_samples``, else
    ``max_samples`` drawn from ``seed`` (continuous issues at 10 levels). With
    ``normalize`` each function's utilities are mapped to ``[0, 1]`` first.

    ``method``: ``"kendall"`` (tau-b in ``[-1, 1]``, 1 for the same ranking;
    ``-1`` when either function is constant there), ``"kendall_optimality"``
    (``(tau + 1) / 2``; 0 when constant), ``"ndcg"`` (in ``[0, 1]``; negative
    utilities shifted to 0), ``"euclidean"`` (``|u1 - u2| / |2 u1|``; 0 for
    equal vectors) or a function of the two utility vectors. A missing
    function compares as ``-1`` under ``"kendall"`` and 0 otherwise.

    Raises:
        ValueError: An unknown method, no outcomes, or a utility that is not
            finite (NaN or infinite) on an outcome compared.
    """
    if not (callable(method) and not isinstance(method, str)) and method not in _METHODS:
        raise ValueError(
            f"compare_ufuns: Unknown method {method!r}: one of {list(_METHODS)} or a callable"
        )
    do_normalize = check_bool("normalize", normalize)
    if isinstance(max_samples, bool) or not isinstance(max_samples, int) or max_samples < 1:
        raise ValueError(f"compare_ufuns: max_samples must be an int >= 1, got {max_samples!r}")
    if ufun1 is None or ufun2 is None:
        return -1.0 if method == "kendall" else 0.0
    space = os_or_none(outcome_space, issues, None)
    chosen = _outcomes(ufun1, ufun2, max_samples, space, outcomes, seed)
    if not chosen:
        raise ValueError("compare_ufuns: no outcomes to compare on")
    u1 = np.asarray(ufun1.eval_many(chosen), dtype=np.float64)
    u2 = np.asarray(ufun2.eval_many(chosen), dtype=np.float64)
    # A NaN utility made every measure silently wrong (kendall -1, euclidean the norm of u2).
    for name, utils in (("ufun1", u1), ("ufun2", u2)):
        bad = np.flatnonzero(~np.isfinite(utils))
        if len(bad):
            raise ValueError(
                f"compare_ufuns: {name} gives no finite utility to {len(bad)} of the "
                f"{len(chosen)} outcomes compared, e.g. {chosen[int(bad[0])]!r:.80} -> "
                f"{utils[bad[0]]}"
            )
    if do_normalize:
        u1, u2 = _unit(u1), _unit(u2)
    if callable(method) and not isinstance(method, str):
        return float(method(u1, u2))
    if method in ("kendall", "kendall_optimality"):
        tau = kendall_tau_b(u1, u2)
        if math.isnan(tau):
            return -1.0 if method == "kendall" else 0.0
        return tau if method == "kendall" else (tau + 1.0) / 2.0
    if method == "ndcg":
        return ndcg(u1 - min(0.0, float(u1.min())), u2 - min(0.0, float(u2.min())))
    reach = float(np.linalg.norm(2 * u1))
    distance = float(np.linalg.norm(u1 - u2))
    return distance / reach if reach > 1e-10 else float(np.linalg.norm(u2))

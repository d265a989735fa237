"""Statistics for comparing negotiators: confidence intervals (of the mean and the
median), Welch tests, Holm correction, win shares.

Written with numpy alone: the Student t distribution's CDF comes from the
regularized incomplete beta function (evaluated by its continued fraction,
modified Lentz method), and its quantiles by bisection on the CDF. Accurate
to about 1e-10, far below what tournament statistics need.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Real
from typing import Any

import numpy as np

_EPS = 1e-15
_TINY = 1e-300


def _betacf(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c if abs(1.0 + aa / c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c if abs(1.0 + aa / c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function ``I_x(a, b)``."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_sf2(t: float, df: float) -> float:
    """Two-sided p-value of Student's t statistic ``t`` with ``df`` degrees of freedom."""
    if math.isnan(t) or not df > 0:
        return math.nan
    if math.isinf(t):
        return 0.0
    return betainc(df / 2.0, 0.5, df / (df + t * t))


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile (``0.5 < p < 1``) of Student's t with ``df`` degrees of freedom.

    Raises ``ValueError`` for another ``p``: the search for the quantile would
    never end (no tail mass is negative).
    """
    if not 0.5 < p < 1.0:
        raise ValueError(f"t_quantile needs 0.5 < p < 1, got {p!r}")
    if not df > 0:
        return math.nan
    target = 2.0 * (1.0 - p)  # two-sided tail mass beyond the quantile
    lo, hi = 0.0, 1.0
    while t_sf2(hi, df) > target:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_sf2(mid, df) > target:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12 * max(1.0, hi):
            break
    return 0.5 * (lo + hi)


def check_share(name: str, value: Any) -> float:
    """``value`` when it is a number strictly between 0 and 1 (a confidence level,
    a significance threshold), else a ``ValueError`` naming ``name``."""
    if (
        isinstance(value, bool)
        or not isinstance(value, Real)
        or not 0.0 < float(value) < 1.0  # also false for NaN
    ):
        raise ValueError(f"{name} must be a number strictly between 0 and 1, got {value!r}")
    return float(value)


def mean_ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float, float, int]:
    """``(mean, std, ci_low, ci_high, n)``: the t-based confidence interval of the mean."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    n = len(v)
    if n == 0:
        return math.nan, math.nan, math.nan, math.nan, 0
    mean = float(v.mean())
    if n == 1:
        return mean, math.nan, math.nan, math.nan, 1
    std = float(v.std(ddof=1))
    half = t_quantile(0.5 + level / 2.0, n - 1) * std / math.sqrt(n)
    return mean, std, mean - half, mean + half, n


def median_ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float, int]:
    """``(median, ci_low, ci_high, n)``: a distribution-free interval of the median.

    Over the ``n`` finite values, the interval runs from the ``k``-th smallest
    to the ``k``-th largest, ``k`` the largest for which it misses the median
    with probability at most ``1 - level``: each value lies below the median
    with probability 1/2, so it misses with probability ``2 P(B <= k - 1)``,
    ``B ~ Binomial(n, 1/2)``. Its coverage is at least ``level`` whatever the
    distribution. Too few values for any ``k`` (fewer than 6 at 95%) give a
    NaN interval.
    """
    v = np.sort(np.asarray(values, dtype=float))
    v = v[np.isfinite(v)]
    n = len(v)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    median = float(np.median(v))

    def misses(k: int) -> float:  # 2 P(B <= k - 1) = 2 I_{1/2}(n - k + 1, k)
        return 2.0 * betainc(n - k + 1.0, float(k), 0.5)

    alpha = 1.0 - level
    if misses(1) > alpha:
        return median, math.nan, math.nan, n
    lo, hi = 1, (n + 1) // 2  # misses(lo) <= alpha; misses grows with k
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if misses(mid) <= alpha:
            lo = mid
        else:
            hi = mid - 1
    return median, float(v[lo - 1]), float(v[n - lo]), n


#: The statistics a ranking can use (see :func:`ranked_score`).
RANKING_STATISTICS: dict[str, Callable[[np.ndarray], Any]] = {
    "mean": np.mean,
    "median": np.median,
    "min": np.min,
    "max": np.max,
    "std": np.std,
}


def ranked_score(
    values: np.ndarray, stat: str, level: float = 0.95
) -> tuple[float, float, float, int]:
    """``(score, ci_low, ci_high, n)``: ``stat`` of the finite ``values`` and its interval.

    The interval is that of the statistic ranked: Student t for the mean,
    :func:`median_ci` for the median; the minimum, maximum and standard
    deviation get none (NaN). ``n`` counts the finite values.
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if stat == "mean":
        mean, _, lo, hi, n = mean_ci(v, level)
        return mean, lo, hi, n
    if stat == "median":
        return median_ci(v, level)
    score = float(RANKING_STATISTICS[stat](v)) if len(v) else math.nan
    return score, math.nan, math.nan, len(v)


def interval_name(stat: str, level: float = 0.95) -> str:
    """What :func:`ranked_score`'s interval is for ``stat``, short enough for a title."""
    if stat == "mean":
        return f"{level:.0%} confidence interval of the mean"
    if stat == "median":
        return f"{level:.0%} distribution-free interval of the median"
    return f"no confidence interval for the {stat}"


def welch(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Welch's unequal-variance t-test: ``(t, two-sided p)``."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    na, nb = len(a), len(b)
    if na < 2 or nb < 2:
        return math.nan, math.nan
    va, vb = a.var(ddof=1) / na, b.var(ddof=1) / nb
    se2 = va + vb
    diff = float(a.mean() - b.mean())
    if se2 == 0.0:
        return (0.0, 1.0) if diff == 0.0 else (math.copysign(math.inf, diff), 0.0)
    t = diff / math.sqrt(se2)
    df = se2**2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
    return t, t_sf2(t, df)


def holm(p_values: list[float]) -> list[float]:
    """Holm-Bonferroni adjusted p-values (step-down, monotone, capped at 1; NaN kept)."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(len(p), math.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = len(ok)
    order = ok[np.argsort(p[ok], kind="stable")]
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out.tolist()


def bonferroni(p_values: list[float]) -> list[float]:
    """Bonferroni adjusted p-values (capped at 1; NaN kept)."""
    p = np.asarray(p_values, dtype=float)
    m = int(np.isfinite(p).sum())
    return [float(x) for x in np.minimum(1.0, p * m)]


def win_shares(
    negotiation_ids: list[str],
    competitors: list[str],
    values: list[float],
    names: list[str],
    metric: str = "advantage",
) -> np.ndarray:
    """The win matrix as an array in ``names`` order, from one row per party.

    Share of the bilateral meetings of two different competitors that the row
    won on ``metric`` (lower wins for a distance; equal values, equal
    infinities included, tie and count half); NaN where they never met. A
    meeting where either party's value is NaN (no score: an errored
    negotiation, a distance to a point the scenario lacks) is no win, loss or
    tie: it is left out, as if the pair had not met there. Shared by
    :meth:`NegotiationTournamentResults.win_matrix` and the report, which
    works without pandas.
    """
    pos = {n: i for i, n in enumerate(names)}
    by_negotiation: dict[str, list[tuple[str, float]]] = {}
    for neg, comp, value in zip(negotiation_ids, competitors, values, strict=True):
        by_negotiation.setdefault(neg, []).append((comp, value))
    wins = np.zeros((len(names), len(names)))
    meets = np.zeros((len(names), len(names)))
    sign = -1.0 if metric.endswith("distance") else 1.0
    for members in by_negotiation.values():
        if len(members) != 2 or members[0][0] == members[1][0]:
            continue
        (a, va), (b, vb) = members
        if math.isnan(va) or math.isnan(vb):
            continue
        i, j = pos[a], pos[b]
        meets[i, j] += 1
        meets[j, i] += 1
        # Compared, not subtracted: -inf against -inf is a tie, not a NaN difference.
        share = 0.5 if va == vb else 1.0 if sign * va > sign * vb else 0.0
        wins[i, j] += share
        wins[j, i] += 1.0 - share
    with np.errstate(invalid="ignore", divide="ignore"):
        matrix: np.ndarray = np.where(meets > 0, wins / np.where(meets > 0, meets, 1), np.nan)
    return matrix

"""Two-sample and normality tests with numpy alone (no SciPy dependency).

Each returns ``(statistic, two-sided p-value)`` as SciPy's function of the
same purpose does (the reference the tests compare against):

- :func:`student` and :func:`paired_t`: Student's t (pooled variance) and the
  paired t-test.
- :func:`mann_whitney`: the U statistic of the first sample; exact p-value
  when a sample has 8 values or fewer, nothing ties and ``n_a * n_b <= 20000``
  (SciPy's rule, bounded), else the normal approximation with tie and
  continuity corrections.
- :func:`wilcoxon`: the signed-rank statistic (the smaller rank sum), zero
  differences dropped; exact p-value for up to 50 pairs without ties, else
  the normal approximation with the tie correction.
- :func:`ks_two_sample`: the Kolmogorov-Smirnov ``D``; its exact p-value
  (lattice paths) while ``n_a * n_b <= 10000``, else the asymptotic
  Kolmogorov distribution (Stephens' correction).
- :func:`shapiro_wilk`: ``W`` and its p-value by Royston's approximation
  (AS R94, the algorithm SciPy wraps), for 3 to 5000 values.
- :func:`dagostino`: D'Agostino and Pearson's K² omnibus test (skewness and
  kurtosis), for 8 values or more; its statistic and ``exp(-K²/2)``.
"""

from __future__ import annotations

import math

import numpy as np

from palaver.tournaments.negotiation.stats import t_sf2

__all__ = [
    "dagostino",
    "ks_two_sample",
    "kurtosis",
    "mann_whitney",
    "paired_t",
    "shapiro_wilk",
    "skewness",
    "student",
    "wilcoxon",
]

Result = tuple[float, float]


def _norm_sf2(z: float) -> float:
    """Two-sided normal p-value of ``z``."""
    return math.erfc(abs(z) / math.sqrt(2.0))


def _ranks(x: np.ndarray) -> np.ndarray:
    """Ranks from 1, ties given their average rank."""
    order = np.argsort(x, kind="stable")
    ranks = np.empty(len(x))
    sorted_x = x[order]
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and sorted_x[j + 1] == sorted_x[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return ranks


def _tie_term(x: np.ndarray) -> float:
    """``sum(t**3 - t)`` over groups of ``t`` tied values."""
    _, counts = np.unique(x, return_counts=True)
    return float((counts.astype(float) ** 3 - counts).sum())


def student(a: np.ndarray, b: np.ndarray) -> Result:
    """Student's two-sample t-test (pooled variance)."""
    na, nb = len(a), len(b)
    pooled = ((na - 1) * a.var(ddof=1) + (nb - 1) * b.var(ddof=1)) / (na + nb - 2)
    se = math.sqrt(pooled * (1.0 / na + 1.0 / nb))
    return _t(float(a.mean() - b.mean()), se, na + nb - 2)


def paired_t(a: np.ndarray, b: np.ndarray) -> Result:
    """The paired t-test of ``a - b``."""
    d = a - b
    return _t(float(d.mean()), float(d.std(ddof=1)) / math.sqrt(len(d)), len(d) - 1)


def _t(diff: float, se: float, df: float) -> Result:
    if se == 0.0:
        return (math.nan, math.nan) if diff == 0.0 else (math.copysign(math.inf, diff), 0.0)
    t = diff / se
    return t, t_sf2(t, df)


def _count_sums(weights: list[int]) -> np.ndarray:
    """How many subsets of ``weights`` have each sum (index: the sum)."""
    counts = np.zeros(sum(weights) + 1)
    counts[0] = 1.0
    for w in weights:
        counts[w:] = counts[w:] + counts[: len(counts) - w].copy()
    return counts


def mann_whitney(a: np.ndarray, b: np.ndarray) -> Result:
    """Mann-Whitney U test, two-sided (see module doc)."""
    na, nb = len(a), len(b)
    ranks = _ranks(np.concatenate([a, b]))
    u = float(ranks[:na].sum() - na * (na + 1) / 2.0)
    ties = _tie_term(np.concatenate([a, b]))
    if min(na, nb) <= 8 and ties == 0 and na * nb <= _EXACT_MW:
        # SciPy's rule: exact unless both samples are larger than 8 (or values tie);
        # past _EXACT_MW the table costs seconds and the approximation is as good.
        # U's distribution: the number of ways n_a of n_a + n_b ranks sum to each value;
        # it is the same for (n_b, n_a), and the smaller first keeps the table small.
        dist = _subset_sums(min(na, nb), max(na, nb))
        k = round(max(u, na * nb - u))
        return u, min(1.0, 2.0 * float(dist[k:].sum() / dist.sum()))
    n = na + nb
    mean = na * nb / 2.0
    sd = math.sqrt(na * nb / 12.0 * ((n + 1) - ties / (n * (n - 1))))
    if sd == 0.0:
        return u, math.nan
    z = (abs(u - mean) - 0.5) / sd
    return u, min(1.0, _norm_sf2(max(z, 0.0)))


#: Largest ``n_a * n_b`` whose Mann-Whitney p-value is computed exactly.
_EXACT_MW = 20_000


def _subset_sums(na: int, nb: int) -> np.ndarray:
    """The number of ways to reach each U = 0..na*nb (choose na of na+nb)."""
    # dp[k][s]: ways to choose k items among the first i with U-contribution s.
    dp = np.zeros((na + 1, na * nb + 1))
    dp[0][0] = 1.0
    for i in range(na + nb):
        for k in range(min(i + 1, na), 0, -1):
            shift = i - (k - 1)  # items of b ranked below this one
            if shift > nb:
                continue
            dp[k][shift:] += dp[k - 1][: na * nb + 1 - shift]
    counts: np.ndarray = dp[na]
    return counts


def wilcoxon(a: np.ndarray, b: np.ndarray) -> Result:
    """Wilcoxon signed-rank test of ``a - b``, two-sided (see module doc)."""
    d = a - b
    d = d[d != 0]
    n = len(d)
    if n == 0:
        return math.nan, math.nan
    ranks = _ranks(np.abs(d))
    r_plus = float(ranks[d > 0].sum())
    r_minus = float(ranks[d < 0].sum())
    t = min(r_plus, r_minus)
    ties = _tie_term(np.abs(d))
    if n <= 50 and ties == 0:
        counts = _count_sums(list(range(1, n + 1)))
        return t, min(1.0, 2.0 * float(counts[: int(t) + 1].sum() / counts.sum()))
    mean = n * (n + 1) / 4.0
    sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0 - ties / 48.0)
    return t, _norm_sf2((t - mean) / sd) if sd > 0 else math.nan


def ks_two_sample(a: np.ndarray, b: np.ndarray) -> Result:
    """Two-sample Kolmogorov-Smirnov test (see module doc)."""
    na, nb = len(a), len(b)
    both = np.sort(np.concatenate([a, b]))
    cdf_a = np.searchsorted(np.sort(a), both, side="right") / na
    cdf_b = np.searchsorted(np.sort(b), both, side="right") / nb
    d = float(np.abs(cdf_a - cdf_b).max())
    if na * nb <= _EXACT_KS:
        return d, _ks_exact(na, nb, d)
    en = math.sqrt(na * nb / (na + nb))
    lam = (en + 0.12 + 0.11 / en) * d
    if lam < 1e-3:
        return d, 1.0
    total = sum((-1) ** (j - 1) * math.exp(-2.0 * j * j * lam * lam) for j in range(1, 101))
    return d, min(1.0, max(0.0, 2.0 * total))


#: Largest ``n_a * n_b`` whose KS p-value is computed exactly (lattice paths).
_EXACT_KS = 10_000


def _ks_exact(na: int, nb: int, d: float) -> float:
    """``P(D >= d)`` under the null: the share of the ``C(na + nb, na)`` equally
    likely orders of the pooled sample whose empirical CDFs differ by ``d`` or
    more somewhere (the complement counts lattice paths kept strictly inside)."""
    bound = d * na * nb - 1e-7 * max(na, nb)  # |i*nb - j*na| >= bound: outside
    row = [1] + [0] * nb
    for j in range(1, nb + 1):
        row[j] = row[j - 1] if abs(j * na) < bound else 0
    for i in range(1, na + 1):
        row[0] = row[0] if abs(i * nb) < bound else 0
        for j in range(1, nb + 1):
            row[j] = row[j] + row[j - 1] if abs(i * nb - j * na) < bound else 0
    return min(1.0, max(0.0, 1.0 - row[nb] / math.comb(na + nb, na)))


def skewness(x: np.ndarray) -> float:
    """The sample skewness (biased, as SciPy's default)."""
    c = x - x.mean()
    m2 = float((c**2).mean())
    return float((c**3).mean()) / m2**1.5 if m2 > 0 else math.nan


def kurtosis(x: np.ndarray) -> float:
    """The sample excess kurtosis (biased, Fisher's: 0 for a normal sample)."""
    c = x - x.mean()
    m2 = float((c**2).mean())
    return float((c**4).mean()) / m2**2 - 3.0 if m2 > 0 else math.nan


def _norm_ppf(p: float) -> float:
    """The standard normal quantile (bisection on ``erfc``; ample for these weights)."""
    lo, hi = -40.0, 40.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if 0.5 * math.erfc(-mid / math.sqrt(2.0)) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def _poly(c: tuple[float, ...], x: float) -> float:
    return sum(ci * x**i for i, ci in enumerate(c))


def shapiro_wilk(x: np.ndarray) -> Result:
    """Shapiro-Wilk ``W`` and p-value (Royston's AS R94; see module doc)."""
    x = np.sort(np.asarray(x, dtype=float))
    n = len(x)
    if n < 3 or x[-1] == x[0]:
        return math.nan, math.nan
    m = np.array([_norm_ppf((i - 0.375) / (n + 0.25)) for i in range(1, n + 1)])
    mm = float((m**2).sum())
    a = m / math.sqrt(mm)
    if n == 3:
        a = np.array([-math.sqrt(0.5), 0.0, math.sqrt(0.5)])
    else:
        u = 1.0 / math.sqrt(n)
        an = a[-1] + _poly((0.0, 0.221157, -0.147981, -2.071190, 4.434685, -2.706056), u)
        if n > 5:
            an1 = a[-2] + _poly((0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633), u)
            phi = (mm - 2 * m[-1] ** 2 - 2 * m[-2] ** 2) / (1 - 2 * an**2 - 2 * an1**2)
            a = m / math.sqrt(phi)
            a[-1], a[-2], a[0], a[1] = an, an1, -an, -an1
        else:
            phi = (mm - 2 * m[-1] ** 2) / (1 - 2 * an**2)
            a = m / math.sqrt(phi)
            a[-1], a[0] = an, -an
    w = float(np.dot(a, x) ** 2 / ((x - x.mean()) ** 2).sum())
    w = min(w, 1.0)
    if n == 3:
        p = 6.0 / math.pi * (math.asin(math.sqrt(w)) - math.asin(math.sqrt(0.75)))
        return w, max(0.0, min(1.0, p))
    if w >= 1.0:
        return w, 1.0
    if n <= 11:
        gamma = 0.459 * n - 2.273
        mu = _poly((0.5440, -0.39978, 0.025054, -0.0006714), n)
        sigma = math.exp(_poly((1.3822, -0.77857, 0.062767, -0.0020322), n))
        inner = gamma - math.log1p(-w)
        if inner <= 0:
            return w, 0.0
        z = (-math.log(inner) - mu) / sigma
    else:
        ln = math.log(n)
        mu = _poly((-1.5861, -0.31082, -0.083751, 0.0038915), ln)
        sigma = math.exp(_poly((-0.4803, -0.082676, 0.0030302), ln))
        z = (math.log1p(-w) - mu) / sigma
    return w, 0.5 * math.erfc(z / math.sqrt(2.0))


def dagostino(x: np.ndarray) -> Result:
    """D'Agostino and Pearson's K² and its p-value (see module doc)."""
    n = len(x)
    if n < 8:
        return math.nan, math.nan
    b1 = skewness(x)
    b2 = kurtosis(x) + 3.0
    if math.isnan(b1):
        return math.nan, math.nan
    y = b1 * math.sqrt((n + 1) * (n + 3) / (6.0 * (n - 2)))
    beta2 = (
        3.0 * (n * n + 27 * n - 70) * (n + 1) * (n + 3) / ((n - 2.0) * (n + 5) * (n + 7) * (n + 9))
    )
    w2 = -1.0 + math.sqrt(2 * (beta2 - 1))
    delta = 1.0 / math.sqrt(0.5 * math.log(w2))
    alpha = math.sqrt(2.0 / (w2 - 1))
    y = y if y != 0 else 1.0
    z1 = delta * math.log(y / alpha + math.sqrt((y / alpha) ** 2 + 1))
    mean = 3.0 * (n - 1) / (n + 1)
    var = 24.0 * n * (n - 2) * (n - 3) / ((n + 1.0) ** 2 * (n + 3) * (n + 5))
    xk = (b2 - mean) / math.sqrt(var)
    sqrt_beta1 = (6.0 * (n * n - 5 * n + 2) / ((n + 7) * (n + 9))) * math.sqrt(
        6.0 * (n + 3) * (n + 5) / (n * (n - 2) * (n - 3))
    )
    big_a = 6.0 + 8.0 / sqrt_beta1 * (2.0 / sqrt_beta1 + math.sqrt(1 + 4.0 / sqrt_beta1**2))
    denom = 1 + xk * math.sqrt(2 / (big_a - 4.0))
    term2 = math.copysign(abs((1 - 2 / big_a) / denom) ** (1 / 3), denom) if denom else math.nan
    z2 = ((1 - 2 / (9 * big_a)) - term2) / math.sqrt(2 / (9 * big_a))
    k2 = z1 * z1 + z2 * z2
    return k2, math.exp(-k2 / 2.0)

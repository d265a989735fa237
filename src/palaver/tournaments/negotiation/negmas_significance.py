"""NegMAS's significance tests of a tournament's scores (``negmas.tournaments.analysis``).

They read *records*: a pandas frame with one row per scored negotiator per
negotiation and at least ``strategy``, ``scenario`` and the metric compared
(``SimpleTournamentResults.scores`` is one).

- :func:`pairwise_tests` compares every pair of strategies (sorted by name,
  or as given) with ``test="ttest"`` (Student's t; paired: the paired t),
  ``"ranksum"`` (Mann-Whitney U; paired: Wilcoxon signed-rank) or ``"ks"``
  (Kolmogorov-Smirnov, unpaired only). ``paired=True`` compares each pair's
  per-scenario means over the scenarios both played. A pair with fewer than 2
  values on a side has NaN ``statistic`` and ``p_value``.
- :func:`apply_corrections` adds Bonferroni, Holm and Benjamini-Hochberg
  adjusted p-values (``p_bonferroni``, ``p_holm``, ``p_bh``) and
  ``significant_<raw|bonferroni|holm|bh>`` at ``alpha``; NaN p-values are
  left out of the count of comparisons and are never significant.
- :func:`significance_matrix` turns a column of those rows into a symmetric
  strategy-by-strategy frame (NaN on the diagonal and for pairs not tested).
- :func:`normality_tests` gives each strategy's ``n``, ``skewness``, excess
  ``kurtosis``, Shapiro-Wilk ``shapiro_w``/``shapiro_p`` (3 values or more)
  and D'Agostino's ``dagostino_p`` (8 or more); NaN where not computable.

The tests are Palaver's own (:mod:`~palaver.tournaments.negotiation.two_sample`,
numpy only), agreeing with SciPy's. Bad arguments (an unknown test, a metric
that is not a column, ``alpha`` outside (0, 1)) are a ``ValueError``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any

import numpy as np

from palaver._util.optional import frame_library
from palaver.tournaments.negotiation import two_sample
from palaver.tournaments.negotiation.stats import bonferroni, check_share, holm

__all__ = ["apply_corrections", "normality_tests", "pairwise_tests", "significance_matrix"]

_UNPAIRED: dict[str, Callable[[np.ndarray, np.ndarray], tuple[float, float]]] = {
    "ttest": two_sample.student,
    "ranksum": two_sample.mann_whitney,
    "ks": two_sample.ks_two_sample,
}
_PAIRED = {"ttest": two_sample.paired_t, "ranksum": two_sample.wilcoxon}
_P_COLUMNS = {"raw": "p_value", "bonferroni": "p_bonferroni", "holm": "p_holm", "bh": "p_bh"}
_PAIR_COLUMNS = ["strategy_a", "strategy_b", "statistic", "p_value", "n_a", "n_b"]


def _pd(what: str) -> Any:
    return frame_library("pandas", what, "results.significance() works on Palaver's tables")


def _strategies(records: Any, metric: str, strategies: Sequence[str] | None) -> list[str]:
    missing = [c for c in ("strategy", metric) if c not in records.columns]
    if missing:
        raise ValueError(f"records lack the column(s) {missing}; they have {list(records.columns)}")
    return sorted(records["strategy"].unique()) if strategies is None else list(strategies)


def pairwise_tests(
    records: Any,
    metric: str = "advantage",
    strategies: Sequence[str] | None = None,
    test: str = "ttest",
    paired: bool = False,
) -> Any:
    """One row per pair of strategies: ``strategy_a``, ``strategy_b``,
    ``statistic``, ``p_value``, ``n_a``, ``n_b`` (see module doc)."""
    pd = _pd("pairwise_tests")
    if test not in _UNPAIRED:
        raise ValueError(f"test must be one of {sorted(_UNPAIRED)}, got {test!r}")
    if paired and test not in _PAIRED:
        raise ValueError(
            f"the {test!r} test does not support paired samples (it compares two "
            "distributions, not matched observations); use paired=False"
        )
    names = _strategies(records, metric, strategies)
    if paired and "scenario" not in records.columns:
        raise ValueError("paired=True pairs by scenario: records lack the column 'scenario'")
    rows = []
    for a, b in combinations(names, 2):
        if paired:
            ma = records[records["strategy"] == a].groupby("scenario")[metric].mean()
            mb = records[records["strategy"] == b].groupby("scenario")[metric].mean()
            common = ma.index.intersection(mb.index)
            xa, xb = ma.loc[common].to_numpy(float), mb.loc[common].to_numpy(float)
        else:
            xa = records.loc[records["strategy"] == a, metric].dropna().to_numpy(float)
            xb = records.loc[records["strategy"] == b, metric].dropna().to_numpy(float)
        statistic = p = math.nan
        if len(xa) >= 2 and len(xb) >= 2:
            statistic, p = (_PAIRED if paired else _UNPAIRED)[test](xa, xb)
        rows.append([a, b, float(statistic), float(p), len(xa), len(xb)])
    return pd.DataFrame(rows, columns=_PAIR_COLUMNS)


def _bh(p_values: list[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (step-up, monotone, capped at 1; NaN kept)."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(len(p), math.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = len(ok)
    if m:
        order = ok[np.argsort(p[ok], kind="stable")]
        scaled = p[order] * m / np.arange(1, m + 1)
        out[order] = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    return out.tolist()


def apply_corrections(df: Any, alpha: float = 0.05) -> Any:
    """``df`` (from :func:`pairwise_tests`) with the adjusted p-values and the
    ``significant_*`` columns (see module doc)."""
    alpha = check_share("alpha", alpha)
    out = df.copy()
    p = out["p_value"].astype(float).tolist()
    out["p_bonferroni"] = bonferroni(p)
    out["p_holm"] = holm(p)
    out["p_bh"] = _bh(p)
    for name, col in _P_COLUMNS.items():
        out[f"significant_{name}"] = out[col] < alpha  # NaN compares False
    return out


def significance_matrix(
    df: Any, strategies: Sequence[str] | None = None, value_col: str = "p_value"
) -> Any:
    """``value_col`` of ``df``'s pairs as a symmetric strategy-by-strategy frame."""
    pd = _pd("significance_matrix")
    if value_col not in df.columns:
        raise ValueError(f"value_col {value_col!r} is not a column; they are {list(df.columns)}")
    names = (
        sorted(set(df["strategy_a"]) | set(df["strategy_b"]))
        if strategies is None
        else list(strategies)
    )
    matrix = pd.DataFrame(np.full((len(names), len(names)), np.nan), index=names, columns=names)
    matrix = matrix.astype(object) if df[value_col].dtype == bool else matrix
    for a, b, v in zip(df["strategy_a"], df["strategy_b"], df[value_col], strict=True):
        if a in matrix.index and b in matrix.index:
            matrix.loc[a, b] = matrix.loc[b, a] = v
    return matrix


def normality_tests(
    records: Any, metric: str = "advantage", strategies: Sequence[str] | None = None
) -> Any:
    """One row per strategy: ``strategy``, ``n``, ``skewness``, ``kurtosis``,
    ``shapiro_w``, ``shapiro_p``, ``dagostino_p`` (see module doc)."""
    pd = _pd("normality_tests")
    rows = []
    for s in _strategies(records, metric, strategies):
        x = records.loc[records["strategy"] == s, metric].dropna().to_numpy(float)
        skew = kurt = math.nan
        if len(x) >= 3:
            skew, kurt = two_sample.skewness(x), two_sample.kurtosis(x)
        w, p_w = two_sample.shapiro_wilk(x)
        _, p_k = two_sample.dagostino(x)
        rows.append([s, len(x), skew, kurt, w, p_w, p_k])
    columns = ["strategy", "n", "skewness", "kurtosis", "shapiro_w", "shapiro_p", "dagostino_p"]
    return pd.DataFrame(rows, columns=columns)

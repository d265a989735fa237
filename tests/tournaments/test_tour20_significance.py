"""NegMAS's significance tests (palaver.negmas.tournaments.analysis) and the numpy
two-sample tests behind them (tour20)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from palaver.negmas.tournaments.analysis import (
    apply_corrections,
    normality_tests,
    pairwise_tests,
    significance_matrix,
)

from palaver.tournaments.negotiation import two_sample as T

SAMPLES = [(5, 6), (7, 3), (24, 24), (30, 12), (120, 90)]


def _pair(n1: int, n2: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed + n1 * 100 + n2)
    return rng.normal(0.5, 0.1, n1), rng.normal(0.56, 0.1, n2)


def test_hand_checked_values() -> None:
    # U = 0 of 3 vs 3 fully separated: exact two-sided p = 2 / C(6, 3) = 0.1.
    assert T.mann_whitney(np.array([1.0, 2, 3]), np.array([4.0, 5, 6])) == (0.0, 0.1)
    # All 5 differences positive: T = 0, exact p = 2 / 2**5.
    assert T.wilcoxon(np.array([2.0, 3, 4, 5, 6]), np.zeros(5)) == (0.0, 0.0625)
    # Disjoint samples of 3: D = 1, exact p = 2 / C(6, 3).
    d, p = T.ks_two_sample(np.array([1.0, 2, 3]), np.array([4.0, 5, 6]))
    assert d == 1.0 and p == pytest.approx(0.1)
    assert all(math.isnan(v) for v in T.shapiro_wilk(np.array([1.0, 1.0, 1.0])))
    assert math.isnan(T.dagostino(np.arange(7.0))[1])


@pytest.mark.parametrize(("n1", "n2"), SAMPLES)
def test_the_tests_agree_with_scipy(n1: int, n2: int) -> None:
    stats = pytest.importorskip("scipy.stats")
    a, b = _pair(n1, n2)
    m = min(n1, n2)
    pairs = [
        (T.student(a, b), stats.ttest_ind(a, b)),
        (T.paired_t(a[:m], b[:m]), stats.ttest_rel(a[:m], b[:m])),
        (T.mann_whitney(a, b), stats.mannwhitneyu(a, b, alternative="two-sided")),
        (T.wilcoxon(a[:m], b[:m]), stats.wilcoxon(a[:m], b[:m])),
        (T.shapiro_wilk(np.r_[a, b]), stats.shapiro(np.r_[a, b])),
        (T.dagostino(np.r_[a, b]), stats.normaltest(np.r_[a, b])),
    ]
    if n1 * n2 <= 10_000:  # exact KS p-values; SciPy's asymptotic ones differ above
        pairs.append((T.ks_two_sample(a, b), stats.ks_2samp(a, b)))
    for mine, theirs in pairs:
        assert mine == pytest.approx((theirs.statistic, theirs.pvalue), rel=1e-6, abs=1e-9)
    x = np.r_[a, b]
    assert T.skewness(x) == pytest.approx(stats.skew(x))
    assert T.kurtosis(x) == pytest.approx(stats.kurtosis(x))


def test_ties_use_the_corrected_normal_approximation() -> None:
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(3)
    a, b = np.round(rng.normal(0.5, 0.1, 20), 1), np.round(rng.normal(0.55, 0.1, 20), 1)
    for mine, theirs in [
        (T.mann_whitney(a, b), stats.mannwhitneyu(a, b, alternative="two-sided")),
        (T.wilcoxon(a, b), stats.wilcoxon(a, b)),
    ]:
        assert mine == pytest.approx((theirs.statistic, theirs.pvalue), rel=1e-9)


def _records() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = [
        {"strategy": s, "scenario": f"s{i}", "advantage": rng.normal(mu, 0.05)}
        for s, mu in (("A", 0.5), ("B", 0.9), ("C", 0.5))
        for i in range(6)
        for _ in range(4)
    ]
    return pd.DataFrame(rows)


def test_pairwise_tests_corrections_and_matrix() -> None:
    df = apply_corrections(pairwise_tests(_records(), test="ranksum"), alpha=0.05)
    row = df.set_index(["strategy_a", "strategy_b"])
    assert row.loc[("A", "B"), "significant_holm"] and not row.loc[("A", "C"), "significant_bh"]
    assert (df.p_value <= df.p_holm).all() and (df.p_holm <= df.p_bonferroni).all()
    paired = pairwise_tests(_records(), paired=True)
    assert paired.n_a.tolist() == [6, 6, 6]
    matrix = significance_matrix(df, value_col="p_holm")
    assert matrix.loc["A", "B"] == matrix.loc["B", "A"] == row.loc[("A", "B"), "p_holm"]
    assert math.isnan(matrix.loc["C", "C"])
    # Benjamini-Hochberg by hand: 0.01, 0.02, 0.03, 0.04 of 4 are all 0.04.
    bh = apply_corrections(pd.DataFrame({"strategy_a": list("AAAB"), "strategy_b": list("BCDC"),
                                         "p_value": [0.01, 0.02, 0.03, 0.04]}))  # fmt: skip
    assert bh.p_bh.tolist() == pytest.approx([0.04] * 4)


def test_bad_arguments_are_refused_naming_them() -> None:
    with pytest.raises(ValueError, match="test must be one of"):
        pairwise_tests(_records(), test="anova")
    with pytest.raises(ValueError, match="does not support paired"):
        pairwise_tests(_records(), test="ks", paired=True)
    with pytest.raises(ValueError, match="lack the column"):
        pairwise_tests(_records(), metric="utility")
    with pytest.raises(ValueError, match="alpha"):
        apply_corrections(pairwise_tests(_records()), alpha=5)


def test_normality_tests_columns_and_small_samples() -> None:
    df = normality_tests(_records())
    assert df.n.tolist() == [24, 24, 24] and df.shapiro_p.between(0, 1).all()
    small = normality_tests(_records().groupby("strategy").head(2))
    assert small.shapiro_w.isna().all() and small.dagostino_p.isna().all()


@pytest.mark.parametrize(("n1", "n2"), [(15, 8), (8, 15), (5, 24), (8, 9), (3, 200)])
def test_mann_whitney_is_exact_when_one_sample_has_eight_values_or_fewer(n1: int, n2: int) -> None:
    # SciPy computes these exactly; Palaver used the normal approximation unless
    # both samples were under 8 (p = 0.317 where SciPy gives 0.325, for 15 vs 8).
    stats = pytest.importorskip("scipy.stats")
    a, b = _pair(n1, n2, seed=4)
    theirs = stats.mannwhitneyu(a, b, alternative="two-sided", method="exact")
    assert T.mann_whitney(a, b) == pytest.approx((theirs.statistic, theirs.pvalue), rel=1e-9)

"""The sum of two uniform distributions: NegMAS's support and mean, the exact trapezoid shape."""

from __future__ import annotations

import numpy as np
import pytest

from palaver.preferences import (
    UNIFORM_SUM,
    NormalDistribution,
    Real,
    UniformDistribution,
    UniformSumDistribution,
)


def test_sum_has_negmas_support_and_mean() -> None:
    a, b = UniformDistribution(0.2, 0.4), UniformDistribution(0.1, 0.2)
    s = a + b
    assert isinstance(s, UniformSumDistribution) and s.type() == UNIFORM_SUM
    assert (s.loc, s.scale) == pytest.approx((0.3, 0.6))
    assert (s.min, s.max) == pytest.approx((0.3, 0.9))
    assert s.mean() == pytest.approx(a.mean() + b.mean())
    assert s.widths == pytest.approx((0.2, 0.4)) and not s.is_uniform()


def test_difference_and_convex_combination() -> None:
    a, b = UniformDistribution(0.2, 0.4), UniformDistribution(0.1, 0.2)
    d = a - b  # [0.2 - 0.3, 0.6 - 0.1]
    assert (d.loc, d.scale) == pytest.approx((-0.1, 0.6))
    assert d.mean() == pytest.approx(a.mean() - b.mean())
    p = 0.6
    c = p * a + (1 - p) * b
    assert float(c) == pytest.approx(p * a.mean() + (1 - p) * b.mean())
    assert (a.loc, a.scale, b.loc, b.scale) == (0.2, 0.4, 0.1, 0.2)  # operands unchanged


def test_density_and_cumulative_are_the_trapezoid() -> None:
    s = UniformDistribution(0.0, 1.0) + UniformDistribution(0.0, 2.0)
    # rises over [0, 1] to 1/2, flat on [1, 2], falls over [2, 3]
    assert [s.prob(x) for x in (-0.1, 0.5, 1.0, 1.5, 2.5, 3.1)] == pytest.approx(
        [0.0, 0.25, 0.5, 0.5, 0.25, 0.0]
    )
    assert s.cum_prob(0.0, 1.0) == pytest.approx(0.25)
    assert s.cum_prob(1.0, 2.0) == pytest.approx(0.5)
    assert s.cum_prob(2.5, 3.0) == pytest.approx(0.0625)
    assert s.cum_prob(-1.0, 5.0) == 1.0
    triangle = UniformDistribution(0.0, 1.0) + UniformDistribution(0.0, 1.0)
    assert triangle.prob(1.0) == pytest.approx(1.0) and triangle.cum_prob(0.0, 1.0) == 0.5


def test_draws_follow_the_sum() -> None:
    s = UniformDistribution(0.0, 1.0) + UniformDistribution(0.0, 2.0)
    draws = s.sample(20_000, seed=3)
    assert np.array_equal(draws, s.sample(20_000, seed=3))
    assert draws.min() >= 0.0 and draws.max() <= 3.0
    assert draws.mean() == pytest.approx(1.5, abs=0.03)
    assert np.mean(draws < 1.0) == pytest.approx(0.25, abs=0.02)


def test_shifts_and_scalings_stay_exact() -> None:
    s = UniformDistribution(0.0, 1.0) + UniformDistribution(1.0, 2.0)
    shifted = s + 0.5
    assert (shifted.loc, shifted.scale) == (1.5, 3.0)
    assert s - Real(1.0) == UniformSumDistribution(0.0, 1.0, 2.0)
    flipped = -2.0 * s  # support [-8, -2], widths doubled
    assert flipped == UniformSumDistribution(-8.0, 2.0, 4.0)
    assert (1.0 - s) == UniformSumDistribution(-3.0, 1.0, 2.0)
    assert float(0 * s) == 0.0 and (0 * s).is_crisp()


def test_refused_when_not_exact() -> None:
    s = UniformDistribution(0.0, 1.0) + UniformDistribution(0.0, 1.0)
    with pytest.raises(TypeError, match="cannot add"):
        s + UniformDistribution(0.0, 1.0)
    with pytest.raises(TypeError, match="cannot add"):
        UniformDistribution(0.0, 1.0) - NormalDistribution(0.0, 1.0)
    with pytest.raises(TypeError, match="cannot intersect"):
        s & UniformDistribution(0.0, 1.0)
    with pytest.raises(ValueError, match="must be > 0"):
        UniformSumDistribution(0.0, 0.0, 1.0)

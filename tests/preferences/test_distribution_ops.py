"""Exact sums and intersections of distributions; NegMAS's IPUtilityFunction and family names."""

from __future__ import annotations

import math

import pytest

from palaver.preferences import (
    NORMAL,
    UNIFORM,
    IPUtilityFunction,
    NormalDistribution,
    Real,
    ScipyDistribution,
    UniformDistribution,
    canonical_distribution_type,
)


def test_family_names() -> None:
    assert (UNIFORM, NORMAL) == ("uniform", "normal")
    assert canonical_distribution_type("Gauss") == NORMAL
    assert canonical_distribution_type("unif") == UNIFORM


def test_normal_sums_are_exact_and_mixed_families_refused() -> None:
    s = NormalDistribution(1.0, 3.0) + NormalDistribution(2.0, 4.0)
    assert (s.loc, s.scale) == (3.0, 5.0) and s.is_gaussian()
    d = NormalDistribution(1.0, 3.0) - NormalDistribution(2.0, 4.0)
    assert (d.loc, d.scale) == (-1.0, 5.0)
    shifted = NormalDistribution(1.0, 2.0) + UniformDistribution(0.5, 0.0)  # a point
    assert (shifted.loc, shifted.scale) == (1.5, 2.0)
    with pytest.raises(TypeError, match="cannot add"):
        UniformDistribution(0.0, 1.0) - NormalDistribution(0.0, 1.0)


def test_intersections() -> None:
    overlap = UniformDistribution(0.2, 0.4) & UniformDistribution(0.5, 0.3)
    assert overlap.loc == pytest.approx(0.5) and overlap.scale == pytest.approx(0.1)
    apart = UniformDistribution(0.0, 0.1) & UniformDistribution(0.5, 0.1)
    assert (apart.loc, apart.scale) == (0.5, 0.0)
    fused = NormalDistribution(0.0, 1.0) & NormalDistribution(3.0, 2.0)
    # precisions 1 and 1/4: mean (0 + 3/4) / (5/4), variance 1 / (5/4)
    assert fused.loc == pytest.approx(0.6) and fused.scale == pytest.approx(math.sqrt(0.8))
    point = Real(0.5) & UniformDistribution(0.0, 1.0)
    assert point.is_crisp() and float(point) == 0.5
    assert float(UniformDistribution(0.0, 1.0) & Real(0.25)) == 0.25
    with pytest.raises(TypeError, match="both must be uniform or both normal"):
        UniformDistribution(0.0, 1.0) & NormalDistribution(0.0, 1.0)
    u = UniformDistribution(0.2, 0.4)
    _ = u & UniformDistribution(0.3, 0.4)
    assert (u.loc, u.scale) == (0.2, 0.4)  # operands unchanged


def test_ip_utility_function() -> None:
    f = IPUtilityFunction(
        outcomes=[("o1",), ("o2",)],
        distributions=[ScipyDistribution("uniform", 0.0, 0.5), 0.7],
        reserved_value=0.1,
    )
    assert str(f(("o1",))) == "U(0.0, 0.5)" and float(f(("o2",))) == 0.7
    assert f(None).mean() == 0.1 and set(f.distributions) == {("o1",), ("o2",)}
    plain = IPUtilityFunction([{"b": 1, "a": 2}])
    assert plain((2, 1)).mean() == 0.5  # dict keys read in sorted order; U(0, 1) by default
    with pytest.raises(ValueError, match="at least one outcome"):
        IPUtilityFunction([])
    with pytest.raises(ValueError, match="1 distributions for 2 outcomes"):
        IPUtilityFunction([("a",), ("b",)], [0.5])

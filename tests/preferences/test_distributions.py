"""The numpy distributions of utilities, reserved values given as distributions, and
ProbMappingUtilityFunction."""

from __future__ import annotations

import math

import numpy as np
import pytest

from palaver import make_issue
from palaver.preferences import (
    ExpDiscountedUFun,
    LinearUtilityFunction,
    NormalDistribution,
    ProbMappingUtilityFunction,
    Real,
    ScipyDistribution,
    UniformDistribution,
    make_distribution,
)


def test_uniform_follows_scipys_loc_and_scale() -> None:
    d = ScipyDistribution("uniform", loc=0.2, scale=0.6)
    assert d.type() == "uniform" and d.is_uniform() and not d.is_gaussian()
    assert d.mean() == pytest.approx(0.5)
    assert (d.min, d.max) == (0.2, pytest.approx(0.8))
    assert d.prob(0.5) == pytest.approx(1 / 0.6) and d.prob(0.9) == 0.0
    assert d(0.5) == d.prob(0.5)
    assert d.cum_prob(0.2, 0.5) == pytest.approx(0.5)
    assert d.cum_prob(-5.0, 5.0) == pytest.approx(1.0)
    draws = d.sample(1000, seed=1)
    assert draws.shape == (1000,) and draws.min() >= 0.2 and draws.max() <= 0.8
    assert float(d) == pytest.approx(0.5)
    assert ScipyDistribution("unif") == UniformDistribution(0.0, 1.0)


def test_normal_in_closed_form() -> None:
    d = ScipyDistribution("gaussian", loc=1.0, scale=2.0)
    assert d.type() == "normal" and d.is_gaussian()
    assert d.mean() == 1.0
    assert d.prob(1.0) == pytest.approx(1 / (2.0 * math.sqrt(2 * math.pi)))
    assert d.cum_prob(-1.0, 3.0) == pytest.approx(0.682689492, abs=1e-8)  # one sigma
    assert d.cum_prob(-math.inf, 1.0) == pytest.approx(0.5)
    assert (d.min, d.max) == (-1.0, 3.0)  # one standard deviation, NegMAS's bounds
    draws = d.sample(20000, seed=2)
    assert draws.mean() == pytest.approx(1.0, abs=0.05)
    assert draws.std() == pytest.approx(2.0, abs=0.05)
    assert NormalDistribution(1.0, 2.0) == d


def test_unknown_families_and_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="uniform and normal"):
        ScipyDistribution("beta")
    with pytest.raises(ValueError, match="scale"):
        ScipyDistribution("uniform", scale=-1.0)
    with pytest.raises(ValueError, match="scale must be 0"):
        Real(0.5, scale=0.1)
    with pytest.raises(TypeError, match="number"):
        ScipyDistribution("uniform", loc="0")  # type: ignore[arg-type]


def test_real_is_a_point() -> None:
    r = Real(0.4)
    assert (r.mean(), r.loc, r.scale, r.min, r.max) == (0.4, 0.4, 0.0, 0.4, 0.4)
    assert r.is_crisp() and r.prob(0.4) == 1.0 and r.prob(0.5) == 0.0
    assert r.cum_prob(0.0, 0.4) == 1.0 and r.cum_prob(0.5, 1.0) == 0.0
    assert r.sample(3).tolist() == [0.4, 0.4, 0.4]
    assert Real(-math.inf).mean() == -math.inf
    assert make_distribution(0.4) == r and make_distribution(r) is r
    assert r == 0.4


def test_arithmetic_shifts_and_scales() -> None:
    u = UniformDistribution(0.0, 1.0)
    assert u + 1.0 == UniformDistribution(1.0, 1.0)
    assert 2.0 * u == UniformDistribution(0.0, 2.0)
    assert u * -1.0 == UniformDistribution(-1.0, 1.0)
    assert 1.0 - u == UniformDistribution(0.0, 1.0)
    assert u + Real(0.5) == UniformDistribution(0.5, 1.0)
    assert Real(0.5) + u == UniformDistribution(0.5, 1.0)
    assert NormalDistribution(1.0, 2.0) * -2.0 == NormalDistribution(-2.0, 4.0)
    assert Real(1.0) * 3.0 == Real(3.0)
    with pytest.raises(TypeError):
        _ = u + NormalDistribution()


def test_comparisons_are_always_comparisons() -> None:
    low, high = UniformDistribution(0.0, 1.0), UniformDistribution(2.0, 1.0)
    overlapping = UniformDistribution(0.5, 1.0)
    assert low < high and high > low
    assert not low < overlapping and not low > overlapping
    assert low < 1.5 and not low < 0.5
    assert low <= low and low >= low


def _linear() -> LinearUtilityFunction:
    return LinearUtilityFunction([1.0, 1.0], issues=[make_issue(10), make_issue(5)])


def test_a_distribution_reserved_value_reads_as_its_mean() -> None:
    dist = UniformDistribution(0.2, 0.6)
    ufun = LinearUtilityFunction([1.0, 1.0], issues=[make_issue(3)] * 2, reserved_value=dist)
    assert ufun.reserved_value == pytest.approx(0.5) and isinstance(ufun.reserved_value, float)
    assert ufun(None) == pytest.approx(0.5)
    assert ufun.reserved_distribution is dist
    ufun.reserved_value = 0.75
    assert ufun.reserved_distribution == Real(0.75)
    ufun.reserved_value = NormalDistribution(0.1, 0.3)
    assert ufun.reserved_value == pytest.approx(0.1)
    discounted = ExpDiscountedUFun(ufun=_linear(), discount=0.9, reserved_value=dist)
    assert discounted.reserved_value == pytest.approx(0.5)
    assert _linear().reserved_distribution == Real(-math.inf)


def test_prob_mapping_gives_distributions() -> None:
    a, b = UniformDistribution(0.0, 0.5), UniformDistribution(0.5, 0.5)
    ufun = ProbMappingUtilityFunction({("a",): a, ("b",): b, ("c",): 0.3}, reserved_value=0.2)
    assert ufun(("a",)) is a and ufun(["b"]) is b
    assert ufun(("c",)) == Real(0.3)
    assert ufun(None) == Real(0.2) and ufun.reserved_value == 0.2
    with pytest.raises(KeyError, match="no default"):
        ufun(("z",))
    with_default = ProbMappingUtilityFunction({("a",): a}, default=0.0)
    assert with_default(("z",)) == Real(0.0)
    called = ProbMappingUtilityFunction(lambda o: NormalDistribution(len(o[0]), 1.0))
    assert called(("abc",)).mean() == 3.0
    reserved = UniformDistribution(0.2, 0.6)
    assert ProbMappingUtilityFunction({}, reserved_value=reserved)(None) is reserved
    with pytest.raises(ValueError, match="distributions or numbers"):
        ProbMappingUtilityFunction({("a",): "high"})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="number or a Distribution"):
        ProbMappingUtilityFunction({}, reserved_value="0.3")  # type: ignore[arg-type]


def test_sampling_is_reproducible() -> None:
    d = NormalDistribution(0.0, 1.0)
    assert np.array_equal(d.sample(5, seed=3), d.sample(5, seed=3))

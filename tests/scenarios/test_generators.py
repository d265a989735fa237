"""The ANL scenario families: seeded, sized, with the promised structure."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from palaver.scenarios import ScenarioError
from palaver.scenarios.generators import (
    ANL2024_MIX,
    GENERATORS,
    anl_scenarios,
    curve_scenario,
    monotonic_scenario,
    piecewise_linear_scenario,
    pies_scenario,
    zero_sum_scenario,
)


@pytest.mark.parametrize("family", sorted(GENERATORS))
def test_same_seed_same_scenario_other_seed_other(family: str) -> None:
    make = GENERATORS[family]
    a, b, c = make(200, seed=7), make(200, seed=7), make(200, seed=8)
    assert np.array_equal(a.utilities, b.utilities)
    assert a.reserved_values == b.reserved_values
    assert a.outcome_space == b.outcome_space
    if family != "zero_sum":
        assert not np.array_equal(a.utilities, c.utilities)
    assert a.reserved_values != c.reserved_values


@pytest.mark.parametrize("family", sorted(GENERATORS))
def test_every_family_is_normalised_with_a_rational_nash_point(family: str) -> None:
    for seed in range(5):
        s = GENERATORS[family](300, seed=seed)
        assert s.n_negotiators == 2 and s.info["family"] == family
        assert s.is_normalized()
        nash = s.stats.nash
        assert nash is not None
        assert all(u > r for u, r in zip(nash.utilities, s.reserved_values, strict=True))


@pytest.mark.parametrize("family", ["zero_sum", "monotonic", "curve", "piecewise_linear"])
def test_single_issue_families_have_exactly_n_outcomes(family: str) -> None:
    for n in (2, 17, 1000):
        assert GENERATORS[family](n, seed=1).n_outcomes == n


def test_zero_sum_is_a_linear_split() -> None:
    s = zero_sum_scenario(11, seed=0)
    assert np.allclose(s.utilities.sum(axis=1), 1.0)
    assert s.outcomes[3] == ("3_7",)
    assert s.utilities[3].tolist() == pytest.approx([0.3, 0.7])
    assert s.stats.opposition == pytest.approx(math.sqrt(0.5))
    assert all(0 <= r < 0.5 for r in s.reserved_values)


def test_monotonic_puts_every_outcome_on_the_frontier() -> None:
    s = monotonic_scenario(150, seed=3)
    assert len(s.stats.pareto_indices) == 150
    u = s.utilities
    assert np.all(np.diff(u[:, 0]) > 0) and np.all(np.diff(u[:, 1]) < 0)
    assert not np.allclose(u.sum(axis=1), u.sum(axis=1)[0])  # not zero-sum


def test_curve_and_piecewise_frontiers_hold_n_pareto_outcomes() -> None:
    c = curve_scenario(500, seed=2, n_pareto=40, shape=2.0)
    assert len(c.stats.pareto_indices) == 40
    # On the frontier, after normalisation, u1 is a decreasing function of u0.
    front = c.stats.pareto_utils
    assert np.all(np.diff(front[:, 0]) < 0) and np.all(np.diff(front[:, 1]) > 0)
    p = piecewise_linear_scenario(500, seed=2, n_pareto=0.1, n_segments=3)
    assert len(p.stats.pareto_indices) == 50
    default = curve_scenario(1000, seed=4)
    assert 2 <= len(default.stats.pareto_indices) <= 250


def test_pies_is_linear_additive_over_three_issues_of_about_n() -> None:
    s = pies_scenario(1000, seed=5)
    assert s.n_issues == 3 and s.n_outcomes == 1000
    assert pies_scenario(900, seed=5).n_outcomes == pytest.approx(900, rel=0.1)
    for u in s.ufuns:
        assert u.weights.sum() == pytest.approx(1.0)  # type: ignore[attr-defined]
    assert pies_scenario(64, seed=1, n_issues=2).n_outcomes == 64


def test_anl_mix_is_seeded_and_sized() -> None:
    a = anl_scenarios(30, seed=11)
    b = anl_scenarios(30, seed=11)
    assert [s.name for s in a] == [s.name for s in b]
    assert all(np.array_equal(x.utilities, y.utilities) for x, y in zip(a, b, strict=True))
    assert all(880 <= s.n_outcomes <= 1120 for s in a)
    families = Counter(s.info["family"] for s in anl_scenarios(200, n_outcomes=50, seed=1))
    assert set(families) == set(ANL2024_MIX)
    assert families["zero_sum"] < families["curve"]
    only = anl_scenarios(5, n_outcomes=30, seed=0, mix={"zero_sum": 1.0})
    assert [s.name for s in only] == [f"zero_sum{i}" for i in range(5)]
    uniform = anl_scenarios(20, n_outcomes=(10, 20), seed=0, log_uniform=False)
    assert all(10 <= s.n_outcomes <= 20 for s in uniform if s.info["family"] != "pies")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: zero_sum_scenario(1), "n_outcomes must be an int >= 2"),
        (lambda: zero_sum_scenario(10, seed="x"), "seed must be"),  # type: ignore[arg-type]
        (lambda: curve_scenario(10, n_pareto=20), "more than n_outcomes"),
        (lambda: curve_scenario(10, shape=-1.0), "shape exponent"),
        (lambda: piecewise_linear_scenario(10, n_segments=0), "n_segments"),
        (lambda: pies_scenario(100, n_issues=0), "n_issues"),
        (lambda: anl_scenarios(2, mix={"nope": 1.0}), "mix must map families"),
        (lambda: anl_scenarios(2, n_outcomes=(5, 2)), "low <= high"),
        (lambda: zero_sum_scenario(10, reserved_ranges=((0, 1),)), "reserved_ranges"),
        # numpy's messages named no parameter; log_uniform was read by truthiness.
        (lambda: zero_sum_scenario(10, seed=-1), r"seed must be an int >= 0, .* got -1"),
        (lambda: curve_scenario(10, n_pareto=float("nan")), "n_pareto must be .* got nan"),
        (lambda: curve_scenario(10, n_pareto=float("inf")), "n_pareto must be .* got inf"),
        (lambda: anl_scenarios(2, mix={"zero_sum": float("nan"), "curve": 1.0}), "mix must map"),
        (lambda: anl_scenarios(2, mix={"zero_sum": "1"}), "mix must map"),
        (lambda: anl_scenarios(2, log_uniform="no"), "log_uniform must be True or False, got 'no'"),
    ],
)
def test_bad_generator_arguments(call, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ScenarioError, match=match):
        call()

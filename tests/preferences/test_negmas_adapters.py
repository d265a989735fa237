"""make_rank_ufun, UFunConstraint / UtilityFunctionAdapter and ComplexNonlinearUtilityFunction."""

from __future__ import annotations

import math

import numpy as np
import pytest

from palaver import make_issue, make_os
from palaver.outcomes import OutcomeSpaceError
from palaver.preferences import (
    STABLE_DIFF_RATIOS,
    STABLE_IRRATIONAL_OUTCOMES,
    STABLE_ORDERING,
    STABLE_RATIONAL_OUTCOMES,
    STATIONARY,
    VOLATILE,
    ComplexNonlinearUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    UFunConstraint,
    UtilityFunctionAdapter,
    make_rank_ufun,
)


def _table(values: list[float], reserved: float) -> MappingUtilityFunction:
    space = make_os([make_issue(len(values))])
    return MappingUtilityFunction(
        {(i,): v for i, v in enumerate(values)}, reserved_value=reserved, outcome_space=space
    )


def test_rank_ufun_gives_dense_ranks_with_the_reserved_value_among_them() -> None:
    ranked = make_rank_ufun(_table([0.5, 0.2, 0.5, 0.9], reserved=0.3))
    assert [ranked((i,)) for i in range(4)] == [2.0, 0.0, 2.0, 3.0]
    assert ranked.reserved_value == 1.0
    assert ranked(None) == 1.0
    assert ranked.outcome_space == make_os([make_issue(4)])


def test_rank_ufun_normalized_and_reserved_ties() -> None:
    ranked = make_rank_ufun(_table([0.5, 0.2, 0.9], reserved=0.5), normalize=True)
    assert [ranked((i,)) for i in range(3)] == [0.5, 0.0, 1.0]
    assert ranked.reserved_value == 0.5
    # No reserved value (-inf) ranks below everything.
    assert make_rank_ufun(_table([0.5, 0.2], reserved=-math.inf)).reserved_value == 0.0
    # All equal: every rank is 0, even normalized.
    flat = make_rank_ufun(_table([0.4, 0.4], reserved=0.4), normalize=True)
    assert (flat((0,)), flat((1,)), flat.reserved_value) == (0.0, 0.0, 0.0)


def test_rank_ufun_keeps_the_ordering() -> None:
    rng = np.random.default_rng(3)
    values = rng.random(30).round(1).tolist()
    base = _table(values, reserved=0.45)
    ranked = make_rank_ufun(base)
    outcomes = [(i,) for i in range(30)] + [None]
    for a in outcomes:
        for b in outcomes:
            assert (base(a) < base(b)) == (ranked(a) < ranked(b))


def test_rank_ufun_needs_a_discrete_space() -> None:
    continuous = LinearUtilityFunction([1.0], outcome_space=make_os([make_issue((0.0, 1.0))]))
    with pytest.raises(OutcomeSpaceError, match="discrete"):
        make_rank_ufun(continuous)
    with pytest.raises(OutcomeSpaceError, match="discrete"):
        make_rank_ufun(MappingUtilityFunction({(0,): 1.0}))


def _linear(weights: list[float], reserved: float = -math.inf) -> LinearUtilityFunction:
    issues = [make_issue(6) for _ in weights]
    return LinearUtilityFunction(weights, reserved_value=reserved, issues=issues)


def test_constraint_gives_minus_infinity_where_the_predicate_fails() -> None:
    base = _linear([1.0, 2.0], reserved=0.5)
    constrained = UFunConstraint(base, constraint=lambda o: sum(o) <= 6)
    assert constrained((2, 3)) == 8.0
    assert constrained((4, 4)) == -math.inf
    assert constrained(None) == 0.5
    assert constrained.reserved_value == 0.5
    assert constrained.outcome_space == base.outcome_space
    assert constrained.ufun is base
    outcomes = [(0, 0), (5, 5), (3, 3), (6 - 1, 1)]
    assert constrained.eval_many(outcomes).tolist() == [0.0, -math.inf, 9.0, 7.0]
    assert constrained.minmax() == (-math.inf, 11.0)  # x + 2y with x + y <= 6: (1, 5)


def test_constraint_stability_is_anded_with_the_inner_one() -> None:
    base = _linear([1.0, 1.0])
    assert base.stability == STATIONARY
    kept = STABLE_ORDERING | STABLE_DIFF_RATIOS | STABLE_RATIONAL_OUTCOMES
    assert UFunConstraint(base, constraint=bool).stability == kept | STABLE_IRRATIONAL_OUTCOMES
    assert UFunConstraint(base, constraint=bool, stability=STABLE_ORDERING).stability == (
        STABLE_ORDERING
    )
    base.stability = VOLATILE
    assert UFunConstraint(base, constraint=bool).is_volatile()


def test_adapter_defaults_and_overrides() -> None:
    base = _linear([1.0, 1.0], reserved=0.2)
    adapter = UtilityFunctionAdapter(base)
    assert adapter((1, 2)) == 3.0
    assert adapter.eval_many([(1, 2), (0, 0)]).tolist() == [3.0, 0.0]
    assert adapter.stability == base.stability
    other = UtilityFunctionAdapter(base, reserved_value=1.0)
    assert other.reserved_value == 1.0 and base.reserved_value == 0.2
    with pytest.raises(TypeError, match="UtilityFunction"):
        UtilityFunctionAdapter(lambda o: 1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="callable"):
        UFunConstraint(base, constraint=3)  # type: ignore[arg-type]


def test_complex_nonlinear_combines_the_parts() -> None:
    u1, u2 = _linear([1.0]), _linear([0.5])
    product = ComplexNonlinearUtilityFunction([u1, u2], lambda vals: vals[0] * vals[1])
    assert product((4,)) == 8.0
    assert product.eval_many([(0,), (2,), (4,)]).tolist() == [0.0, 2.0, 8.0]
    assert product(None) == -math.inf
    assert product.ufuns == [u1, u2]
    assert not product.stability & STABLE_ORDERING
    assert not product.stability & STABLE_DIFF_RATIOS
    assert not product.is_volatile()
    stated = ComplexNonlinearUtilityFunction(
        [u1, u2], lambda vals: vals[0] + vals[1], stability=STATIONARY
    )
    assert stated.stability == STATIONARY
    with pytest.raises(TypeError, match="callable"):
        ComplexNonlinearUtilityFunction([u1], 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one"):
        ComplexNonlinearUtilityFunction([], sum)


def test_make_inverter_is_the_kept_inverter() -> None:
    ufun = _linear([1.0, 2.0])
    assert ufun.make_inverter() is ufun.invert()

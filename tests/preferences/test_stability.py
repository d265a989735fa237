"""NegMAS's stability flags on Palaver's utility functions (as NegMAS 0.16 names them)."""

from __future__ import annotations

import pickle

import pytest

from palaver.outcomes import make_issue
from palaver.preferences import (
    SCALE_INVARIANT,
    STABLE_DIFF_RATIOS,
    STABLE_MAX,
    STABLE_MIN,
    STABLE_ORDERING,
    STABLE_RESERVED_VALUE,
    STABLE_SCALE,
    STATE_INDEPENDENT,
    STATIONARY,
    VOLATILE,
    ConstUtilityFunction,
    GLAUtilityFunction,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    Stability,
    WeightedUtilityFunction,
)

ISSUES = [make_issue(4, "a"), make_issue(3, "b")]


def test_flags_values_and_strings() -> None:
    assert int(STATIONARY) == 2047 and int(VOLATILE) == 0 and int(STABLE_SCALE) == 7
    assert int(SCALE_INVARIANT) == 132
    assert str(STATIONARY) == "STATIONARY" and str(VOLATILE) == "VOLATILE"
    assert str(STABLE_MIN | STABLE_MAX) == "STABLE_MIN | STABLE_MAX"
    assert str(STABLE_ORDERING | Stability.STABLE_EXTREMES) == "STABLE_ORDERING"
    assert str(STATE_INDEPENDENT | STABLE_MIN) == "STATE_INDEPENDENT | STABLE_MIN"
    both = STABLE_MIN | STABLE_MAX
    assert both.has_stable_min and both.has_stable_max and not both.has_stable_ordering
    assert not both.is_stationary and not both.is_volatile and VOLATILE.is_volatile
    assert STABLE_DIFF_RATIOS.has_stable_extremes and not STABLE_MIN.has_stable_extremes
    assert (STABLE_SCALE | STABLE_ORDERING).has_stable_scale and not STABLE_MIN.has_stable_scale
    assert (STABLE_DIFF_RATIOS | STABLE_RESERVED_VALUE).is_scale_invariant


@pytest.mark.parametrize(
    "ufun",
    [
        LinearUtilityFunction([1.0, 2.0], issues=ISSUES),
        LinearAdditiveUtilityFunction.random(issues=ISSUES, seed=1),
        MappingUtilityFunction(lambda o: float(sum(o)), issues=ISSUES),
        GLAUtilityFunction([((0, 1), 1.0)], issues=ISSUES),
        ConstUtilityFunction(1.0),
    ],
    ids=lambda u: type(u).__name__,
)
def test_every_ufun_is_stationary_by_default(ufun: object) -> None:
    assert ufun.stability == STATIONARY  # type: ignore[attr-defined]
    assert ufun.is_stationary() and not ufun.is_volatile()  # type: ignore[attr-defined]
    assert not ufun.is_session_dependent() and not ufun.is_state_dependent()  # type: ignore[attr-defined]


def test_stability_keyword_and_what_carries_it() -> None:
    partial = STABLE_MIN | STABLE_MAX | STABLE_ORDERING
    u = MappingUtilityFunction(lambda o: float(o[0]), issues=ISSUES, stability=partial)
    assert u.stability == partial and u.has_stable_ordering and not u.has_stable_reserved_value
    assert not u.is_stationary() and u.is_session_dependent() and not u.is_volatile()
    assert LinearUtilityFunction([1.0], stability=VOLATILE).is_volatile()
    # A normalized, scaled or shifted function is as stable as the one it wraps.
    assert (
        u.normalize().stability == u.scale_by(2.0).stability == u.shift_by(1.0).stability == partial
    )
    # A weighted sum has the flags its parts share.
    w = WeightedUtilityFunction([u, LinearUtilityFunction([1.0, 1.0], stability=STABLE_MIN)])
    assert w.stability == STABLE_MIN
    assert (
        pickle.loads(pickle.dumps(LinearUtilityFunction([1.0], stability=partial))).stability
        == partial
    )
    with pytest.raises(TypeError, match="stability"):
        LinearUtilityFunction([1.0], stability="stationary")  # type: ignore[call-arg]

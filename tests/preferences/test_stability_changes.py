"""Setting a utility function's stability is a change of preferences (NegMAS's)."""

from __future__ import annotations

from typing import Any

from palaver import make_issue
from palaver.preferences import (
    STABLE_MAX,
    STABLE_MIN,
    STATIONARY,
    VOLATILE,
    LinearUtilityFunction,
    MappingUtilityFunction,
    PreferencesChange,
    PreferencesChangeType,
    UFunConstraint,
)


def _linear() -> LinearUtilityFunction:
    return LinearUtilityFunction([1.0, 1.0], issues=[make_issue(3), make_issue(3)])


def test_each_change_is_kept_with_its_kind() -> None:
    ufun = _linear()
    assert ufun.changes() == []  # stationary: never any
    ufun.stability = STATIONARY  # the same flags: no change
    assert getattr(ufun, "_changes", []) == []
    ufun.stability = VOLATILE
    ufun.stability = STABLE_MIN
    ufun.stability = STABLE_MAX
    kinds = [c.type for c in ufun.changes()]
    assert kinds == [
        PreferencesChangeType.StabilityReduced,
        PreferencesChangeType.StabilityIncreased,
        PreferencesChangeType.StabilityChanged,
    ]
    assert ufun.changes() == []  # read once
    ufun.stability = VOLATILE
    ufun.reset_changes()
    assert ufun.changes() == []


def test_the_change_carries_the_old_and_new_flags() -> None:
    ufun = _linear()
    ufun.stability = VOLATILE
    (change,) = ufun.changes()
    assert change == PreferencesChange(
        PreferencesChangeType.StabilityReduced, {"old": STATIONARY, "new": VOLATILE}
    )


def test_the_owner_is_told_at_once() -> None:
    told: list[Any] = []

    class Owner:
        def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
            told.append(changes)

    ufun = _linear()
    ufun.stability = STABLE_MIN  # no owner yet: kept only
    ufun.owner = Owner()
    ufun.stability = VOLATILE
    assert [[c.type for c in changes] for changes in told] == [
        [PreferencesChangeType.StabilityReduced]
    ]


def test_a_stability_given_at_construction_is_no_change() -> None:
    volatile = MappingUtilityFunction({(0,): 1.0}, stability=VOLATILE)
    assert volatile.stability == VOLATILE
    assert volatile.changes() == []
    constrained = UFunConstraint(_linear(), constraint=bool)
    assert not constrained.is_stationary()
    assert constrained.changes() == []

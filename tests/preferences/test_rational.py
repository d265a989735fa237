"""NegMAS's Rational: a named entity told when its preferences change."""

from __future__ import annotations

import math

import pytest

from palaver.negmas import Rational as NegmasRational
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import (
    LinearUtilityFunction,
    PreferencesChange,
    PreferencesChangeType,
    ProbMappingUtilityFunction,
)
from palaver.rational import Rational

SPACE = OutcomeSpace([make_issue(3, "a")])


class Tracker(Rational):
    def __init__(self, *args: object, **kwargs: object) -> None:
        self.seen: list[list[PreferencesChangeType]] = []
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        self.seen.append([c.type for c in changes])


def test_first_preferences_initialize_and_replacing_them_is_general() -> None:
    assert NegmasRational is Rational
    u1 = LinearUtilityFunction([1.0], outcome_space=SPACE, reserved_value=0.5)
    u2 = LinearUtilityFunction([2.0], outcome_space=SPACE)
    t = Tracker(name="t", ufun=u1)
    assert t.name == "t" and t.seen == [[PreferencesChangeType.Initialization]]
    assert t.preferences is u1 and t.ufun is u1 and t.crisp_ufun is u1 and t.prob_ufun is None
    assert t.has_preferences and t.has_ufun and t.has_cardinal_preferences
    assert t.reserved_value == 0.5 and t.reserved_outcome is None
    assert t.set_preferences(u1) is u1 and len(t.seen) == 1  # unchanged: nothing said
    t.set_preferences(u1, force=True)
    t.ufun = u2
    assert t.seen[1:] == [[PreferencesChangeType.General], [PreferencesChangeType.General]]
    assert u2.owner is None  # setting preferences does not make it their owner


def test_without_preferences_and_with_distributions() -> None:
    empty = Tracker()
    assert empty.seen == [] and not empty.has_preferences and empty.ufun is None
    assert math.isnan(empty.reserved_value)
    prob = ProbMappingUtilityFunction({(0,): 0.5}, reserved_value=0.0)
    empty.set_preferences(prob)
    assert empty.prob_ufun is prob and empty.crisp_ufun is None and empty.ufun is prob
    assert not empty.has_cardinal_preferences
    with pytest.raises(ValueError, match="crisp_ufun must be a UtilityFunction"):
        empty.crisp_ufun = prob  # type: ignore[assignment]


def test_errors_from_the_callback_and_bad_preferences() -> None:
    class Broken(Rational):
        def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
            raise RuntimeError("cannot cope")

    u = LinearUtilityFunction([1.0], outcome_space=SPACE)
    with pytest.raises(RuntimeError, match="cannot cope"):
        Broken(preferences=u)
    quiet = Broken()
    assert quiet.set_preferences(u, ignore_exceptions=True) is u
    with pytest.raises(TypeError, match="preferences must be a Preferences"):
        Rational(ufun=lambda o: 1.0)  # type: ignore[arg-type]

"""NegMAS's on_preferences_changed: Initialization before each start, General on replacement."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.mechanisms import MechanismState, SAOMechanism
from palaver.mechanisms.callbacks import defining
from palaver.negotiators import AspirationNegotiator, SAONegotiator
from palaver.outcomes import Outcome, OutcomeSpace, make_issue
from palaver.preferences import (
    LinearUtilityFunction,
    PreferencesChange,
    PreferencesChangeType,
    PresortingInverseUtilityFunction,
)

ISSUES = [make_issue(10, "price")]


class Inverting(SAONegotiator):
    """NegMAS's tutorial shape: an inverter built when the preferences are set."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.calls: list[tuple[str, Any]] = []
        self.inverter: PresortingInverseUtilityFunction | None = None

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        super().on_preferences_changed(changes)
        self.calls.append(("changed", [c.type for c in changes]))
        assert self.ufun is not None and self.ufun.outcome_space is not None
        self.inverter = PresortingInverseUtilityFunction(self.ufun)  # type: ignore[arg-type]
        self.inverter.init()

    def on_negotiation_start(self, state: MechanismState) -> None:
        super().on_negotiation_start(state)
        self.calls.append(("start", state.step))

    def propose(self, state: MechanismState) -> Outcome | None:
        assert self.inverter is not None
        return self.inverter.worst_in((0.7, 1.0), normalized=True)

    def respond(self, state: MechanismState, offer: Outcome) -> Any:
        return super().respond(state, offer)


def seller() -> LinearUtilityFunction:
    # No outcome space of its own: the mechanism lends it before Initialization.
    return LinearUtilityFunction([1.0])


def test_initialization_comes_once_before_the_start_with_the_space_lent() -> None:
    m = SAOMechanism(issues=ISSUES, n_steps=10)
    mine = Inverting(name="mine")
    m.add(mine, ufun=seller())
    m.add(AspirationNegotiator(name="other"), ufun=LinearUtilityFunction([-1.0], bias=9.0))
    m.run()
    assert mine.calls[:2] == [("changed", [PreferencesChangeType.Initialization]), ("start", 0)]
    assert [c for c in mine.calls if c[0] == "changed"] == [mine.calls[0]]
    offered = [o for _, who, o in m.history if who == mine.id]
    assert offered and all(o[0] >= 6.3 for o in offered)  # 0.7 of [0, 9] and up


def test_each_negotiation_initializes_again() -> None:
    mine = Inverting(name="mine")
    ufun = LinearUtilityFunction([1.0], outcome_space=OutcomeSpace(ISSUES))
    for _ in range(2):
        m = SAOMechanism(issues=ISSUES, n_steps=5)
        m.add(mine, ufun=ufun)
        m.add(AspirationNegotiator(name="other"), ufun=LinearUtilityFunction([-1.0], bias=9.0))
        m.run()
    kinds = [c[0] for c in mine.calls]
    assert kinds.count("changed") == 2 and kinds.count("start") == 2
    assert kinds.index("changed") < kinds.index("start")


def test_replacing_the_ufun_says_general_and_a_first_one_nothing_before_joining() -> None:
    mine = Inverting(name="mine")
    mine.ufun = LinearUtilityFunction([1.0], outcome_space=OutcomeSpace(ISSUES))
    assert mine.calls == []  # the first ufun: Initialization comes at the start
    mine.ufun = LinearUtilityFunction([2.0], outcome_space=OutcomeSpace(ISSUES))
    assert mine.calls == [("changed", [PreferencesChangeType.General])]
    same = mine.ufun
    mine.preferences = same
    assert len(mine.calls) == 1  # the same ufun again: no change


def test_negotiators_without_the_hook_are_not_called() -> None:
    # The base's default does nothing: the mechanism skips it (no list made per
    # negotiation), and calls only the negotiators that override it.
    class Plain(AspirationNegotiator):
        pass

    mine = Inverting(name="mine")
    plain, builtin = Plain(name="a"), AspirationNegotiator(name="b")
    assert defining([plain, builtin, mine], "on_preferences_changed") == [mine]
    m = SAOMechanism(issues=ISSUES, n_steps=5)
    m.add(plain, ufun=seller())
    m.add(builtin, ufun=LinearUtilityFunction([-1.0], bias=9.0))
    m.run()
    assert m.state.ended


def test_a_failing_hook_is_the_negotiators_failure() -> None:
    class Broken(Inverting):
        def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
            raise RuntimeError("no inverter today")

    m = SAOMechanism(issues=ISSUES, n_steps=5, ignore_negotiator_exceptions=False)
    m.add(Broken(name="broken"), ufun=seller())
    m.add(AspirationNegotiator(name="b"), ufun=LinearUtilityFunction([-1.0], bias=9.0))
    with pytest.raises(Exception, match="broken") as info:
        m.run()
    assert "no inverter today" in repr(info.value.__cause__)


def test_members_are_negmas_names() -> None:
    names = {t.name for t in PreferencesChangeType}
    assert {"General", "Scale", "Shift", "ReservedValue", "Initialization"} <= names
    assert PreferencesChange().type is PreferencesChangeType.General

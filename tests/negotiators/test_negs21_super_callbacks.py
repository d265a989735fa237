"""Every optional negotiator/component callback has a do-nothing base version
(NegMAS-style overrides call ``super()``), and those defaults do not make a
negotiator a watcher: a negotiation of plain strategies keeps its fast path."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.mechanisms import MechanismState, ResponseType, SAOMechanism
from palaver.mechanisms.callbacks import defining
from palaver.negotiators import AspirationNegotiator, SAONegotiator
from palaver.negotiators.callbacks import (
    ComponentCallbacks,
    NegotiatorCallbacks,
    is_default_callback,
)
from palaver.negotiators.components import RandomOfferingPolicy
from palaver.outcomes import Outcome, make_issue
from palaver.preferences import LinearUtilityFunction

ISSUES = [make_issue(10, "price")]

NEGOTIATOR_CALLBACKS = {
    "on_round_start": ("state",),
    "on_round_end": ("state",),
    "on_partner_proposal": ("state", "p", (1,)),
    "on_partner_response": ("state", "p", (1,), ResponseType.REJECT_OFFER),
    "on_partner_ended": ("p",),
    "on_partner_refused_to_propose": ("state", "p"),
    "on_leave": ("state",),
    "on_mechanism_error": ("state",),
    "on_negotiator_left": ("p", "state"),
    "on_negotiator_entered": ("p", "state"),
    "on_negotiator_didnot_enter": ("p", "state"),
}


class Hearing(AspirationNegotiator):
    """NegMAS-style: overrides the round and partner callbacks, each calling super()."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.heard: list[tuple[str, int]] = []

    def on_round_start(self, state: MechanismState) -> None:
        super().on_round_start(state)
        self.heard.append(("start", state.step))

    def on_round_end(self, state: MechanismState) -> None:
        super().on_round_end(state)
        self.heard.append(("end", state.step))

    def on_partner_proposal(self, state: MechanismState, partner_id: str, offer: Outcome) -> None:
        super().on_partner_proposal(state, partner_id, offer)
        self.heard.append(("proposal", state.step))

    def on_partner_response(
        self, state: MechanismState, partner_id: str, outcome: Outcome, response: ResponseType
    ) -> None:
        super().on_partner_response(state, partner_id, outcome, response)
        self.heard.append(("response", state.step))


def pair(first: SAONegotiator, n_steps: int = 6) -> SAOMechanism:
    m = SAOMechanism(issues=ISSUES, n_steps=n_steps)
    m.add(first, ufun=LinearUtilityFunction([1.0]))
    m.add(AspirationNegotiator(name="other"), ufun=LinearUtilityFunction([-1.0], bias=9.0))
    return m


@pytest.mark.parametrize("name", sorted(NEGOTIATOR_CALLBACKS))
def test_every_negotiator_callback_has_a_marked_default_that_does_nothing(name: str) -> None:
    n = AspirationNegotiator(name="n")
    assert is_default_callback(getattr(SAONegotiator, name))
    assert getattr(n, name)(*NEGOTIATOR_CALLBACKS[name]) is None


def test_overrides_calling_super_run_and_are_called_every_round() -> None:
    mine = Hearing(name="mine")
    m = pair(mine)
    m.run()
    assert not m.state.has_error, m.state.error_details
    kinds = {k for k, _ in mine.heard}
    assert kinds == {"start", "end", "proposal", "response"}
    starts = [s for k, s in mine.heard if k == "start"]
    assert starts == list(range(len(starts))) and len(starts) >= 2


def test_inherited_defaults_are_not_watchers() -> None:
    plain, hearing = AspirationNegotiator(name="a"), Hearing(name="b")
    for callback in NEGOTIATOR_CALLBACKS:
        assert defining([plain], callback) == []
    assert defining([plain, hearing], "on_round_start") == [hearing]
    assert defining([plain, hearing], "on_partner_proposal") == [hearing]


def test_plain_strategies_keep_the_planned_path() -> None:
    m = pair(AspirationNegotiator(name="a"))
    m.step()
    assert m._round_starts == [] and m._round_ends == []
    assert m._proposal_watchers == [] and m._response_watchers == []
    assert not m._turn_by_turn


def test_component_callbacks_including_partner_joined_left_ended_call_super() -> None:
    seen: list[str] = []

    class Listening(RandomOfferingPolicy):
        def on_partner_joined(self, partner: str) -> None:
            super().on_partner_joined(partner)
            seen.append("joined")

        def on_partner_left(self, partner: str) -> None:
            super().on_partner_left(partner)
            seen.append("left")

        def on_partner_ended(self, partner: str) -> None:
            super().on_partner_ended(partner)
            seen.append("ended")

        def on_round_start(self, state: Any) -> None:
            super().on_round_start(state)
            seen.append("round")

    part = Listening()
    part.on_partner_joined("p")
    part.on_partner_left("p")
    part.on_partner_ended("p")
    part.on_round_start("state")
    assert seen == ["joined", "left", "ended", "round"]
    assert isinstance(part, ComponentCallbacks)
    assert issubclass(ComponentCallbacks, NegotiatorCallbacks)
    assert is_default_callback(RandomOfferingPolicy.on_partner_joined)

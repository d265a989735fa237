"""A NegMAS-style reply's data (``SAOResponse(..., data={"text": ...})``) is recorded
as a message event before the offer it comes with, never dropped."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.events import EventBus, EventType, ListSink
from palaver.mechanisms import NegotiatorError, ResponseType, SAOMechanism, SAOResponse
from palaver.negotiators import AspirationNegotiator, SAONegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction

ISSUES = [make_issue(10, "price")]


class Talker(SAONegotiator):
    """Asks for 9, says why; accepts 5 or more."""

    def __init__(self, data: Any = "default", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data = data

    def __call__(self, state: Any, dest: str | None = None) -> SAOResponse:
        offer = state.current_offer
        if offer is not None and offer[0] >= 5:
            return SAOResponse(ResponseType.ACCEPT_OFFER, None)
        data = {"text": f"round {state.step}: nine, please", "mood": "firm"}
        return SAOResponse(
            ResponseType.REJECT_OFFER, (9,), data if self.data == "default" else self.data
        )


def session(talker: Talker) -> tuple[SAOMechanism, ListSink]:
    bus = EventBus()
    sink = ListSink()
    bus.add_sink(sink)
    m = SAOMechanism(issues=ISSUES, n_steps=20, seed=2, bus=bus)
    m.add(talker)
    m.add(AspirationNegotiator(name="buyer"), ufun=LinearUtilityFunction([-1.0], bias=9.0))
    m.run()
    return m, sink


def test_the_text_and_data_are_recorded_before_the_offer() -> None:
    m, sink = session(Talker(name="talker"))
    kinds = [(e.type, e.payload.get("negotiator")) for e in sink.events]
    messages = sink.of_type(EventType.MESSAGE)
    assert messages, kinds
    first = messages[0].payload
    assert first["negotiator"] == "talker" and first["recipient_ids"] == ["buyer"]
    assert first["message"] == f"round {first['round']}: nine, please"
    assert first["data"] == {"text": first["message"], "mood": "firm"}
    assert first["about"] in {"offer", "response"}
    # each message comes right before the talker's offer or response of that round
    for i, event in enumerate(sink.events):
        if event.type == EventType.MESSAGE:
            following = sink.events[i + 1]
            assert following.payload["negotiator"] == "talker"
            assert following.payload["round"] == event.payload["round"]
    assert m.agreement is None or m.agreement[0] >= 5


def test_data_that_is_not_a_dict_is_the_negotiators_error() -> None:
    with pytest.raises(NegotiatorError, match=r"data must be a dict .* got 'just a string'"):
        session(Talker(data="just a string", name="talker"))


def test_no_listener_costs_nothing_and_changes_nothing() -> None:
    m = SAOMechanism(issues=ISSUES, n_steps=20, seed=2)
    m.add(Talker(name="talker"))
    m.add(AspirationNegotiator(name="buyer"), ufun=LinearUtilityFunction([-1.0], bias=9.0))
    m.run()
    recorded, _ = session(Talker(name="talker"))
    assert m.history == recorded.history

"""The event record, the bus and plain-data copies."""

from __future__ import annotations

import dataclasses
import enum
import pickle
import re
from datetime import UTC

import numpy as np
import pytest

from palaver.events import Event, EventBus, EventSink, EventType, ListSink, plain


def test_inactive_bus_builds_nothing() -> None:
    bus = EventBus("r1")
    assert not bus.active
    assert bus.emit(EventType.OFFER, {"round": 1}) is None
    assert bus.seq == 0


def test_bus_stamps_and_fans_out_in_order() -> None:
    bus = EventBus("r1")
    a, b = ListSink(), ListSink()
    bus.add_sink(a)
    bus.add_sink(b)
    bus.add_sink(a)
    assert bus.sinks == (a, b)
    bus.step = 3
    first = bus.emit(EventType.STEP_START, {}, agent_id="x")
    second = bus.emit("custom", {"k": 1}, negotiation_id="n", contract_id="c")
    assert a.events == b.events == [first, second]
    assert (first.run_id, first.seq, first.step, first.agent_id) == ("r1", 1, 3, "x")
    assert (second.seq, second.type, second.negotiation_id, second.contract_id) == (
        2,
        "custom",
        "n",
        "c",
    )
    assert first.time <= second.time
    assert first.timestamp.tzinfo is UTC
    assert a.of_type("custom") == [second]


def test_remove_sink_deactivates() -> None:
    bus = EventBus()
    sink = ListSink()
    bus.add_sink(sink)
    bus.remove_sink(sink)
    bus.remove_sink(sink)
    assert not bus.active
    assert bus.emit("x", {}) is None
    assert len(bus.run_id) == 8


def test_add_sink_rejects_objects_without_emit() -> None:
    with pytest.raises(TypeError, match="emit"):
        EventBus().add_sink(object())  # type: ignore[arg-type]


def test_list_sink_is_an_event_sink() -> None:
    assert isinstance(ListSink(), EventSink)


def test_event_is_frozen_and_exports_iso_time() -> None:
    event = Event("r", 1, 0, 0.0, EventType.OFFER, None, None, None, {"a": 1})
    with pytest.raises(AttributeError):
        event.seq = 2  # type: ignore[misc]
    d = event.to_dict()
    assert d["timestamp"] == "1970-01-01T00:00:00+00:00"
    assert d["type"] == "offer"
    assert d["payload"] == {"a": 1}


def test_bus_pickles_without_sinks_and_keeps_its_sequence() -> None:
    bus = EventBus("r")
    bus.add_sink(ListSink())
    bus.emit("x", {})
    bus.step = 5
    restored = pickle.loads(pickle.dumps(bus))
    assert (restored.run_id, restored.step, restored.seq) == ("r", 5, 1)
    assert restored.sinks == () and not restored.active
    sink = ListSink()
    restored.add_sink(sink)
    assert restored.emit("y", {}).seq == 2


class Colour(enum.Enum):
    RED = "red"


@dataclasses.dataclass
class Point:
    x: int
    y: list[int]


def test_plain_copies_and_converts() -> None:
    inner = [1, 2]
    value = {
        1: (inner, {3}),
        "np": np.int64(4),
        "arr": np.arange(3),
        "c": Colour.RED,
        "p": Point(1, inner),
        "o": object,
    }
    out = plain(value)
    inner.append(99)
    assert out["1"] == [[1, 2], [3]]
    assert out["np"] == 4 and type(out["np"]) is int
    assert out["arr"] == [0, 1, 2]
    assert out["c"] == "red"
    assert out["p"] == {"x": 1, "y": [1, 2]}
    assert out["o"] == repr(object)


class OnlyContracts(ListSink):
    event_types = frozenset({"contract_signed"})


def test_sinks_receive_only_the_types_they_declare() -> None:
    bus = EventBus("r")
    picky, everything = OnlyContracts(), ListSink()
    bus.add_sink(picky)
    assert bus.listens("contract_signed") and not bus.listens("offer")
    assert bus.emit("offer", {}) is None
    assert bus.seq == 0
    bus.add_sink(everything)
    assert bus.listens("offer")
    bus.emit("offer", {})
    bus.emit("contract_signed", {})
    assert [e.type for e in picky.events] == ["contract_signed"]
    assert [(e.type, e.seq) for e in everything.events] == [("offer", 1), ("contract_signed", 2)]
    bus.remove_sink(everything)
    assert not bus.listens("offer")


def test_mechanism_builds_no_offer_events_for_a_sink_that_does_not_want_them() -> None:
    from palaver.mechanisms import SAOMechanism
    from palaver.negotiators import AspirationNegotiator
    from palaver.outcomes import make_issue
    from palaver.preferences import LinearUtilityFunction

    class Ends(ListSink):
        event_types = frozenset({"negotiation_ended"})

    mechanism = SAOMechanism(issues=[make_issue(5, "a"), make_issue(5, "b")], n_steps=30, seed=3)
    sink = Ends()
    mechanism.bus.add_sink(sink)
    mechanism.add(AspirationNegotiator(ufun=LinearUtilityFunction([1.0, 0.5])))
    mechanism.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0, 0.2], bias=5.0)))
    mechanism.run()
    assert [e.type for e in sink.events] == ["negotiation_ended"]
    assert mechanism.bus.seq == 1


def test_list_sink_keeps_only_the_types_it_is_given() -> None:
    from palaver.mechanisms import SAOMechanism
    from palaver.negotiators import AspirationNegotiator
    from palaver.outcomes import make_issue
    from palaver.preferences import LinearUtilityFunction

    offers = ListSink(event_types=[EventType.OFFER])
    everything = ListSink()
    single = ListSink(event_types="negotiation_ended")  # one type given as a string
    assert offers.event_types == frozenset({"offer"})
    assert single.event_types == frozenset({"negotiation_ended"})
    mechanism = SAOMechanism(issues=[make_issue(5, "a"), make_issue(5, "b")], n_steps=30, seed=3)
    for sink in (offers, everything, single):
        mechanism.bus.add_sink(sink)
    mechanism.add(AspirationNegotiator(ufun=LinearUtilityFunction([1.0, 0.5])))
    mechanism.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0, 0.2], bias=5.0)))
    mechanism.run()
    assert offers.events and {e.type for e in offers.events} == {"offer"}
    assert offers.events == everything.of_type("offer")
    assert [e.type for e in single.events] == ["negotiation_ended"]
    assert len(mechanism.history) == len(offers.events)


@pytest.mark.parametrize("bad", [5, [1, "offer"], [None]])
def test_list_sink_refuses_event_types_that_are_not_names(bad: object) -> None:
    with pytest.raises(TypeError, match="event type names"):
        ListSink(event_types=bad)  # type: ignore[arg-type]


def test_list_sink_receives_through_its_lists_append() -> None:
    sink = ListSink()
    assert isinstance(sink, EventSink)
    bus = EventBus("r")
    bus.add_sink(sink)
    event = bus.emit("offer", {"k": 1})
    sink.emit(event)  # type: ignore[arg-type]
    assert sink.events == [event, event] and sink.of_type("offer") == [event, event]
    sink.events.clear()
    bus.emit("x", {})
    assert [e.type for e in sink.events] == ["x"]


def test_sao_events_match_bus_emit_and_follow_sinks_that_come_and_go() -> None:
    from palaver.mechanisms import SAOMechanism
    from palaver.negotiators import AspirationNegotiator
    from palaver.outcomes import make_issue
    from palaver.preferences import LinearUtilityFunction

    class JoinsLate(AspirationNegotiator):
        """Attaches a second sink to the bus in round 3 and detaches the first in round 5."""

        def respond(self, state, offer):  # type: ignore[no-untyped-def]
            if state.step == 3:
                bus.add_sink(late)
            if state.step == 5:
                bus.remove_sink(early)
            return super().respond(state, offer)

    bus = EventBus("sao")
    early, late = ListSink(), ListSink()
    bus.add_sink(early)
    bus.step = 7
    bus.emit("before", {})
    issues = [make_issue(5, "a"), make_issue(5, "b")]
    m = SAOMechanism(issues=issues, n_steps=12, seed=3, bus=bus, id="neg")
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([1.0, 0.5]), id="x"))
    m.add(JoinsLate(ufun=LinearUtilityFunction([-1.0, 0.2], bias=5.0), id="y"))
    m.run()
    events = early.events + [e for e in late.events if e not in early.events]
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert all(e.run_id == "sao" and e.step == 7 for e in events)
    offers = [e for e in events if e.type == "offer"]
    responses = [e for e in events if e.type == "response"]
    assert [
        (e.payload["round"], e.payload["negotiator"], tuple(e.payload["outcome"])) for e in offers
    ] == m.history
    assert all(e.negotiation_id == "neg" and e.contract_id is None for e in offers + responses)
    assert all(isinstance(e.payload["offer"], tuple) for e in responses)
    assert late.events and late.events[0].payload["round"] == 3
    assert max(e.payload["round"] for e in early.events if "round" in e.payload) == 5
    assert late.events[-1].type == "negotiation_ended" and bus.seq == events[-1].seq


def test_plain_names_a_value_that_holds_itself() -> None:
    # RecursionError came bare from deep inside record_event or send_message.
    looped: dict[str, object] = {"a": 1}
    looped["self"] = looped
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    for value in (looped, deep):
        with pytest.raises(ValueError, match=r"holds itself \(a cycle\) or is nested deeper"):
            plain(value)
    assert plain({"a": [1, 2]}) == {"a": [1, 2]}


def test_plain_copies_repeat_across_processes() -> None:
    # A default repr names a memory address and a set iterates in hash order:
    # neither may reach a recording (the same seed must record the same data).
    import subprocess
    import sys

    code = (
        "from palaver.events.plain import plain\n"
        "class Thing: pass\n"
        "print(plain({'t': Thing(), 'tags': {'delta', 'alpha', 'omega', 'beta'},"
        " 'mixed': {3, 'x', 1}}))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(runs) == 1
    assert runs.pop().strip() == (
        "{'t': '<__main__.Thing object>', 'tags': ['alpha', 'beta', 'delta', 'omega'], "
        "'mixed': ['x', 1, 3]}"
    )


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("agent_id", 7, "agent_id must be a str or None, got 7 (int)"),
        ("negotiation_id", 5, "negotiation_id must be a str or None, got 5 (int)"),
        ("contract_id", ["c1"], "contract_id must be a str or None, got ['c1'] (list)"),
        ("payload", ["x"], "payload must be a mapping (a dict of plain data), got ['x'] (list)"),
    ],
)
def test_emit_refuses_ids_that_are_not_text_and_payloads_that_are_not_mappings(
    field: str, value: object, shown: str
) -> None:
    # Every sink stores ids as text and reads the payload's keys: such an event
    # is refused at the emitter's call, before any sink (here a plain list) took it.
    bus = EventBus(run_id="r")
    sink = ListSink()
    bus.add_sink(sink)
    arguments: dict[str, object] = {"payload": {"x": 1}, field: value}
    with pytest.raises(TypeError, match=re.escape(f"a 'note' event's {shown}")):
        bus.emit("note", **arguments)  # type: ignore[arg-type]
    assert sink.events == []
    emitted = bus.emit("note", {"x": 2}, agent_id="a", negotiation_id="n1", contract_id="c1")
    assert emitted is not None and sink.events == [emitted]
    assert emitted.seq == 1  # the refused event took no sequence number


def test_emit_takes_any_mapping_and_str_subclasses() -> None:
    from types import MappingProxyType

    bus = EventBus(run_id="r")
    sink = ListSink()
    bus.add_sink(sink)
    bus.emit(EventType.OFFER, MappingProxyType({"x": 1}), agent_id=EventType.OFFER)
    assert [e.payload["x"] for e in sink.events] == [1]


@pytest.mark.parametrize("bad", [7, None, "", b"note"])
def test_emit_refuses_an_event_type_that_is_not_text(bad: object) -> None:
    bus = EventBus(run_id="r")
    sink = ListSink()
    bus.add_sink(sink)
    with pytest.raises(TypeError, match="the event type must be a non-empty str"):
        bus.emit(bad, {"x": 1})  # type: ignore[arg-type]
    assert sink.events == []


def test_a_bus_run_id_must_be_text() -> None:
    with pytest.raises(TypeError, match=r"run_id must be a str or None, got 5 \(int\)"):
        EventBus(run_id=5)  # type: ignore[arg-type]

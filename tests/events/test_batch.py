"""Offers and responses as columnar batches: the same events, in the same order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from palaver.events import Event, EventBatch, EventBus, EventType, ListSink, row_payload
from palaver.examples.trips import build_trips
from palaver.mechanisms import STVetoMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction
from palaver.recording import SimulationRecorder
from palaver.recording import open as open_recording
from palaver.recording.batches import ContentCache
from palaver.recording.event import encode


class BatchSink:
    """Takes events one by one and offers/responses as batches, in one stream."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.batches = 0

    def emit(self, event: Event) -> None:
        self.events.append(event)

    def emit_batch(self, batch: EventBatch) -> None:
        self.batches += 1
        self.events.extend(batch.events())


class OneByOne:
    """A sink without ``emit_batch``: every event comes through ``emit``."""

    def __init__(self, event_types: list[str] | None = None) -> None:
        self.events: list[Event] = []
        if event_types is not None:
            self.event_types = frozenset(event_types)

    def emit(self, event: Event) -> None:
        self.events.append(event)


class Printing(ListSink):
    """A ListSink whose subclass looks at each event: it must see every one."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def emit(self, event: Event) -> None:  # type: ignore[override]
        self.seen += 1
        self.events.append(event)


def _stable(events: list[Event]) -> list[tuple[Any, ...]]:
    # Everything but the wall-clock time.
    return [
        (e.seq, e.step, str(e.type), e.agent_id, e.negotiation_id, e.contract_id, dict(e.payload))
        for e in events
    ]


def test_batches_carry_exactly_the_events_of_the_one_by_one_path() -> None:
    one_by_one = OneByOne()
    world = build_trips(n_agents=6, n_steps=3, seed=9)
    world.bus.add_sink(one_by_one)
    world.run()
    batched = BatchSink()
    world = build_trips(n_agents=6, n_steps=3, seed=9)
    world.bus.add_sink(batched)
    world.run()
    assert batched.batches > 0
    assert [e.seq for e in batched.events] == list(range(1, len(batched.events) + 1))
    assert _stable(batched.events) == _stable(one_by_one.events)


def test_a_sink_without_emit_batch_keeps_getting_events_one_by_one() -> None:
    listing, batching = OneByOne(), BatchSink()
    world = build_trips(n_agents=4, n_steps=2, seed=3)
    world.bus.add_sink(listing)
    world.bus.add_sink(batching)
    world.run()
    assert batching.batches == 0
    assert _stable(batching.events) == _stable(listing.events)
    assert any(e.type == EventType.OFFER for e in listing.events)


@pytest.mark.parametrize("types", [None, ["offer"], ["response", "negotiation_ended"]])
def test_a_list_sink_takes_batches_and_keeps_the_same_events(types: list[str] | None) -> None:
    one_by_one = OneByOne(types)
    world = build_trips(n_agents=6, n_steps=3, seed=9)
    world.bus.add_sink(one_by_one)
    world.run()
    listing = ListSink(event_types=types)
    world = build_trips(n_agents=6, n_steps=3, seed=9)
    world.bus.add_sink(listing)
    assert world.bus.batch_rows(EventType.OFFER, EventType.RESPONSE) is not None
    world.run()
    assert any(e.type in (EventType.OFFER, EventType.RESPONSE) for e in one_by_one.events)
    assert _stable(listing.events) == _stable(one_by_one.events)


def test_a_list_sink_subclass_that_overrides_emit_sees_every_event() -> None:
    printing, reference = Printing(), OneByOne()
    world = build_trips(n_agents=4, n_steps=2, seed=3)
    world.bus.add_sink(printing)
    assert printing.emit_batch is None
    assert world.bus.batch_rows(EventType.OFFER, EventType.RESPONSE) is None
    world.run()
    world = build_trips(n_agents=4, n_steps=2, seed=3)
    world.bus.add_sink(reference)
    world.run()
    assert printing.seen == len(printing.events) == len(reference.events)
    assert any(e.type == EventType.OFFER for e in printing.events)


def test_rows_are_flushed_before_any_other_event() -> None:
    bus = EventBus(run_id="r")
    sink = BatchSink()
    bus.add_sink(sink)
    rows = bus.batch_rows(EventType.OFFER, EventType.RESPONSE)
    assert rows is not None
    rows.append((EventType.OFFER, 1.0, "a", "n", 0, "x", None, (1, 2)))
    rows.append((EventType.RESPONSE, 2.0, "b", "n", 0, "y", "accept", (1, 2)))
    assert bus.seq == 2  # numbered already
    bus.emit("note", {"k": 1})
    assert [(e.seq, str(e.type)) for e in sink.events] == [
        (1, "offer"),
        (2, "response"),
        (3, "note"),
    ]
    assert sink.events[1].payload == {"round": 0, "negotiator": "y", "response": "accept",
                                      "offer": (1, 2)}  # fmt: skip
    bus.flush_rows()  # nothing pending: nothing sent
    assert sink.batches == 1


def test_veto_rows() -> None:
    space = [make_issue(5, "a"), make_issue(5, "b")]
    runs = []
    for sink in (ListSink(), BatchSink()):
        m = STVetoMechanism(issues=space, n_steps=6, seed=2)
        m.bus.add_sink(sink)
        for i, w in enumerate(([1.0, 0.0], [0.0, 1.0])):
            m.add(AspirationNegotiator(id=f"n{i}"), ufun=LinearUtilityFunction(w))
        m.run()
        runs.append(_stable(sink.events))
    assert runs[0] == runs[1] and any(r[2] == "response" for r in runs[0])


def _table(folder: Path) -> list[dict[str, Any]]:
    table = open_recording(folder).to_arrow().drop_columns(["timestamp", "event_id"])
    return table.to_pylist()


# A small flush_every puts a flush's single events between batches (and cuts
# batches across flushes); a small window rolls parts from the merged flushes.
@pytest.mark.parametrize("flush_every", [4096, 7])
def test_recorder_rows_are_the_same_either_way(tmp_path: Path, flush_every: int) -> None:
    folders = []
    for force_one_by_one in (False, True):
        world = build_trips(n_agents=6, n_steps=3, seed=4)
        rec = SimulationRecorder(
            world,
            output_dir=tmp_path / str(force_one_by_one),
            flush_every=flush_every,
            memory_window=2000,
        )
        if force_one_by_one:
            world.bus.add_sink(ListSink())
        world.run()
        rec.close()
        folders.append(rec.folder)
    batched, single = (_table(f) for f in folders)
    for row in (*batched, *single):
        row.pop("run_id")  # each world has its own
    assert batched == single
    assert sum(r["event_type"] == "offer" for r in batched) > 100


def test_batch_contents_match_the_encoder_for_odd_outcomes() -> None:
    T = EventType
    rows: list[Any] = [
        (T.OFFER, 1.0, "a", "n", 0, None, None, (float("nan"), 1)),
        (T.RESPONSE, 1.0, "b", "n", 0, "é", "accept", (None, "x")),
        (T.OFFER, 1.0, "a", "n", 1, "x", None, ["a", "list"]),
    ]
    texts = ContentCache().contents(list(zip(*rows, strict=True)))
    assert texts == [encode(row_payload(r)) for r in rows]


def test_a_sink_attached_while_rows_are_pending_gets_them() -> None:
    bus = EventBus(run_id="r")
    batching = BatchSink()
    bus.add_sink(batching)
    rows = bus.batch_rows(EventType.OFFER, EventType.RESPONSE)
    assert rows is not None
    rows.append((EventType.OFFER, 1.0, "a", "n", 0, "x", None, (1,)))
    late = ListSink(event_types=["offer"])
    bus.add_sink(late)  # flushes the pending row to the batching sink first
    rows.append((EventType.OFFER, 2.0, "a", "n", 1, "x", None, (2,)))
    rows.append((EventType.RESPONSE, 2.0, "b", "n", 1, "y", "reject", (2,)))
    bus.flush_rows()  # the mechanism's end of play
    assert [e.seq for e in batching.events] == [1, 2, 3]
    assert [(e.seq, e.payload["outcome"]) for e in late.events] == [(2, (2,))]


def test_columns_follow_the_rows_appended_before_them() -> None:
    bus = EventBus(run_id="r")
    sink = BatchSink()
    bus.add_sink(sink)
    rows = bus.batch_rows(EventType.OFFER, EventType.RESPONSE)
    assert rows is not None
    rows.append((EventType.OFFER, 1.0, "a", "n", 0, "x", None, (1, 2)))
    T = EventType
    bus.emit_columns(
        ([T.RESPONSE, T.OFFER], [2.0, 2.0], ["b", "b"], ["n", "n"], [0, 0], ["y", "y"],
         ["reject", None], [(1, 2), (3, 4)])
    )  # fmt: skip
    bus.emit_columns(([], [], [], [], [], [], [], []))  # nothing: no batch, no number
    bus.emit("note", {"k": 1})
    assert [(e.seq, str(e.type)) for e in sink.events] == [
        (1, "offer"),
        (2, "response"),
        (3, "offer"),
        (4, "note"),
    ]
    assert sink.events[2].payload == {"round": 0, "negotiator": "y", "outcome": (3, 4)}
    assert sink.batches == 2


def test_a_batch_is_the_same_as_rows_or_as_columns() -> None:
    T = EventType
    rows: list[Any] = [
        (T.OFFER, 1.0, "a", "n", 0, "x", None, (1, 2)),
        (T.RESPONSE, 1.5, "b", "n", 0, "y", "reject", (1, 2)),
    ]
    by_rows = EventBatch("r", 5, 2, rows)
    by_columns = EventBatch("r", 5, 2, columns=by_rows.columns)
    assert by_columns.rows == rows and len(by_columns) == len(by_rows) == 2
    assert list(by_columns.events()) == list(by_rows.events())
    assert EventBatch("r", 1, 0, []).columns == ((), (), (), (), (), (), (), ())
    with pytest.raises(ValueError, match="exactly one"):
        EventBatch("r", 1, 0)


def test_a_flush_of_blocks_keeps_arrival_order_and_per_row_negotiations() -> None:
    # Rows of two negotiations in one batch, between events recorded one by
    # one: the store gives them back in the order they came, each with its own
    # negotiation id.
    T = EventType
    rows: list[Any] = [
        (T.OFFER, 1.0, "a", "n1", 0, "x", None, (1, 2)),
        (T.RESPONSE, 1.5, "b", "n2", 0, "y", "reject", (1, 2)),
        (T.OFFER, 2.0, None, "n1", 1, "x", None, (3, 4)),
    ]
    world = build_trips(n_agents=4, n_steps=1, seed=1)
    rec = SimulationRecorder(world, output_dir=None)
    rec.record_event("note", {"k": 1}, agent_id="a")
    rec.emit_batch(EventBatch("r", 7, 3, rows))
    rec.record_event("note", {"k": 2})
    rec.emit_batch(EventBatch("r", 10, 3, rows[:1]))
    got = [(e.event_type, e.agent_id, e.content, e.metadata) for e in rec.events]
    assert [g[0] for g in got] == ["note", "offer", "response", "offer", "note", "offer"]
    assert [e.step for e in rec.events][1:4] == [3, 3, 3]
    assert got[2][2] == {"round": 0, "negotiator": "y", "response": "reject", "offer": [1, 2]}
    assert [g[3]["negotiation_id"] for g in got[1:4]] == ["n1", "n2", "n1"]
    assert [g[3]["seq"] for g in got[1:4]] == [7, 8, 9]
    assert got[3][1] is None and got[4][3] is None


def test_a_list_sink_keeps_only_its_types_of_a_batch_made_for_another_sink_too() -> None:
    offers, everything = ListSink(event_types=["offer"]), BatchSink()
    world = build_trips(n_agents=4, n_steps=2, seed=3)
    world.bus.add_sink(offers)
    world.bus.add_sink(everything)
    world.run()
    assert everything.batches > 0
    assert any(e.type == EventType.RESPONSE for e in everything.events)
    expected = [e for e in everything.events if e.type == EventType.OFFER]
    assert expected
    assert _stable(offers.events) == _stable(expected)

"""Automatic capture of a world's bus events, detail levels and state changes."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import pytest
from recording_helpers import BusWorld

import palaver.recording as recording
from palaver.events import EventType
from palaver.recording import RecordingError, SimulationRecorder


def test_everything_on_the_bus_is_recorded(tmp_path: Path, bus_world: BusWorld) -> None:
    rec = SimulationRecorder(bus_world, output_dir=tmp_path)
    bus_world.start()
    bus_world.step()
    bus_world.step()
    bus_world.finish()
    types = [e.event_type for e in rec.events]
    assert types[0] == "simulation_start" and types[-1] == "simulation_end"
    for t in (
        "step_start",
        "negotiation_requested",
        "offer",
        "response",
        "negotiation_ended",
        "contract_signed",
        "message",
        "stats",
        "step_end",
        "state_change",
    ):
        assert t in types, t
    assert types.count("simulation_end") == 1
    offer = rec.get_events_by_type("offer")[0]
    assert offer.agent_id == "a" and offer.step == 0
    assert offer.content == {"round": 0, "negotiator": "x", "outcome": [1]}
    assert offer.metadata == {
        "source": "world",
        "run_id": "run00001",
        "seq": 5,
        "negotiation_id": "n1",
    }
    signed = rec.get_events_by_type("contract_signed")[0]
    assert signed.metadata["contract_id"] == "c1"
    assert [e.step for e in rec.get_events_by_type("step_end")] == [0, 1]
    data = json.loads(rec.save("w.json").read_text())
    assert data["events"] == [
        {**e.to_dict(), "timestamp": e.timestamp.isoformat()} for e in rec.events
    ]
    assert [e["event_type"] for e in data["events"]].count("simulation_end") == 1
    assert data["metadata"]["completion_status"] == "completed"
    assert data["events"][4]["metadata"]["seq"] == 5


def test_state_changes_between_steps(tmp_path: Path, bus_world: BusWorld) -> None:
    rec = SimulationRecorder(bus_world, output_dir=tmp_path)
    bus_world.start()
    bus_world.step()
    bus_world.step(extra=False)
    changes = list(rec.get_events_by_type("state_change"))
    assert len(changes) == 1
    change = changes[0]
    assert change.agent_id == "a" and change.step == 0
    assert change.content == {"changes": {"wealth": {"old": 0, "new": 1}}}
    assert change.metadata == {"source": "recorder"}
    types = [e.event_type for e in rec.get_events_by_step(0)]
    assert types.index("state_change") < types.index("step_end")
    rec.close()  # gives back its hold on the garbage collector (taken at the start)


def test_no_state_changes_when_disabled(tmp_path: Path, bus_world: BusWorld) -> None:
    rec = SimulationRecorder(bus_world, output_dir=tmp_path, record_state_changes=False)
    bus_world.start()
    bus_world.step()
    assert len(rec.get_events_by_type("state_change")) == 0
    rec.close()


@pytest.mark.parametrize(
    ("detail", "kept", "dropped"),
    [
        (
            "contracts",
            {"contract_signed", "stats", "step_end"},
            {"offer", "response", "negotiation_started", "message"},
        ),
        (
            "negotiations",
            {"contract_signed", "negotiation_started", "message"},
            {"offer", "response"},
        ),
        ("offers", {"offer", "response", "contract_signed"}, set()),
    ],
)
def test_detail_levels(tmp_path: Path, detail: str, kept: set[str], dropped: set[str]) -> None:
    world = BusWorld()
    rec = SimulationRecorder(world, output_dir=tmp_path, detail=detail)
    world.start()
    world.step()
    world.bus.emit("custom_thing", {"x": 1})
    rec.record_event("user_note", {"y": 2})
    types = {e.event_type for e in rec.events}
    assert kept <= types and not (dropped & types)
    assert "user_note" in types  # record_event is never filtered
    # A custom bus type (an agent's awi.record_event, a model call's llm_*
    # events) is kept but at "contracts", whose types are listed.
    assert ("custom_thing" in types) == (detail != "contracts")
    # Types dropped are not even built: the bus knows nobody wants them.
    assert world.bus.listens("offer") == (detail == "offers")


def test_world_attaches_recorder_itself(tmp_path: Path) -> None:
    rec = SimulationRecorder(None, output_dir=tmp_path)
    world = BusWorld()
    rec.attach(world)  # what World(..., recorder=rec) does
    rec.attach(world)  # idempotent
    assert world.bus.sinks == (rec,)
    assert rec.simulation_metadata["model_class"] == "BusWorld"
    world.start()
    world.step()
    assert rec.events[0].event_type == "simulation_start"
    rec.record_event("note", {"a": 1}, agent_id="b")
    assert rec.events[-1].step == 1  # read from world.current_step
    with pytest.raises(RecordingError, match="another model"):
        rec.attach(BusWorld())
    rec.close()
    assert world.bus.sinks == ()


def test_recording_of_an_interrupted_world(tmp_path: Path, bus_world: BusWorld) -> None:
    rec = SimulationRecorder(bus_world, output_dir=tmp_path)
    bus_world.start()
    bus_world.step()
    bus_world.finish("timed_out")
    rec.close()
    reader = recording.open(rec.folder)
    assert reader.completion_status == "interrupted"
    assert reader.manifest["parameters"]["seed"] == 7
    assert reader.manifest["run_id"] == "run00001"
    assert len(reader.get_events_by_type(EventType.SIMULATION_END)) == 1
    assert reader.stats().to_pylist() == [{"step": 0, "name": "n_contracts", "value": 0.0}]


def test_event_field_order_that_emit_unpacks() -> None:
    # SimulationRecorder.emit unpacks events positionally.
    from palaver.events import Event

    assert Event._fields == (
        "run_id",
        "seq",
        "step",
        "time",
        "type",
        "agent_id",
        "negotiation_id",
        "contract_id",
        "payload",
    )


def test_event_types_of_every_kind_are_recorded_as_text(bus_world: BusWorld) -> None:
    class Kind(str, Enum):  # noqa: UP042 - str() of this mixin is "Kind.CUSTOM"
        CUSTOM = "custom_kind"

    rec = SimulationRecorder(bus_world, output_dir=None)
    bus_world.bus.emit(EventType.STEP_START, {})
    bus_world.bus.emit("plain_text", {})
    bus_world.bus.emit(Kind.CUSTOM, {})
    types = [e.event_type for e in rec.events]
    assert types == ["step_start", "plain_text", str(Kind.CUSTOM)]
    assert all(type(t) is str for t in types)


def test_a_worlds_own_state_changes_are_not_recorded_twice(tmp_path: Path) -> None:
    from palaver.events import ListSink
    from palaver.examples.trips import build_trips

    world = build_trips(n_agents=4, n_steps=4, seed=3)
    emitted = ListSink()
    world.bus.add_sink(emitted)
    rec = SimulationRecorder(world, output_dir=tmp_path)
    world.run()
    rec.close()
    # The world emits its own state_change events for every sink...
    assert emitted.of_type("state_change")
    # ...but the recorder keeps one record per change: its own.
    changes = list(rec.get_events_by_type("state_change"))
    assert changes and {e.metadata["source"] for e in changes} == {"recorder"}
    keys = [(e.step, e.agent_id) for e in changes]
    assert len(keys) == len(set(keys))


def test_stats_recorded_through_record_event_join_the_worlds(
    tmp_path: Path, bus_world: BusWorld
) -> None:
    # The recorder gathers the stats table's rows from the world's stats events
    # as it records them; a stats event recorded by hand is in the table too.
    rec = SimulationRecorder(bus_world, output_dir=tmp_path)
    bus_world.start()
    bus_world.step()
    rec.record_event("stats", {"mine": 2, "flag": True, "text": "x"})
    bus_world.finish("completed")
    rec.close()
    stats = recording.open(rec.folder).stats().to_pylist()
    assert stats == [
        {"step": 0, "name": "n_contracts", "value": 0.0},
        {"step": 1, "name": "mine", "value": 2.0},
    ]

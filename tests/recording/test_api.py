"""The documented recorder API: shapes, ids, queries, saves and completion status."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from recording_helpers import WalkModel

from palaver.recording import SimulationEvent, SimulationRecorder


def run(model: WalkModel, recorder: SimulationRecorder, steps: int = 3) -> None:
    model.recorder = recorder
    for _ in range(steps):
        model.step()


def test_event_fields_and_ids(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path, record_state_changes=False)
    assert re.fullmatch(r"[0-9a-f]{8}", rec.simulation_id)
    assert rec.start_time.tzinfo is not None
    assert rec.simulation_metadata == {
        "simulation_id": rec.simulation_id,
        "start_time": rec.start_time.isoformat(),
        "model_class": "WalkModel",
    }
    run(walk_model, rec, 2)
    assert [f.name for f in dataclasses.fields(SimulationEvent)] == [
        "event_id",
        "timestamp",
        "step",
        "agent_id",
        "event_type",
        "content",
        "metadata",
    ]
    first = rec.events[0]
    assert first.event_id == f"{rec.simulation_id}_000000"
    assert rec.events[9].event_id == f"{rec.simulation_id}_000009"
    assert isinstance(first.timestamp, datetime) and first.timestamp.tzinfo == UTC
    assert first.step == 1 and first.agent_id == 1 and first.event_type == "observation"
    assert first.content == {"energy": 1, "seen": [1, 2]}
    assert first.metadata is None


def test_content_formatting(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    rec.record_event("message", "hello", agent_id=1, recipient_ids=[2, 3])
    rec.record_event("message", {"text": "x"}, agent_id=1)
    rec.record_event("plan", "go north", agent_id=2)
    rec.record_event("plan", None, agent_id=2)
    rec.record_event("action", {"move": 1}, agent_id=2, metadata={"tool": "walk"})
    rec.record_model_event("tick", {"n": 1})
    events = list(rec.events)
    assert events[0].content == {"message": "hello", "recipient_ids": [2, 3]}
    assert events[1].content == {"message": {"text": "x"}, "recipient_ids": []}
    assert events[2].content == {"data": "go north"}
    assert events[3].content == {"data": None}
    assert events[4].metadata == {"tool": "walk"}
    assert events[5].agent_id is None and events[5].metadata == {"source": "model"}


def test_values_are_copied_at_record_time(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    content = {"items": [1, 2], "nested": {"k": "v"}}
    meta = {"tags": ["a"]}
    rec.record_event("observation", content, agent_id=1, metadata=meta)
    content["items"].append(3)
    content["nested"]["k"] = "changed"
    meta["tags"].clear()
    event = rec.events[0]
    assert event.content == {"items": [1, 2], "nested": {"k": "v"}}
    assert event.metadata == {"tags": ["a"]}


def test_events_sequence_protocol(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path, record_state_changes=False)
    run(walk_model, rec, 3)
    events = rec.events
    assert len(events) == 15
    assert [e.event_id for e in events] == [f"{rec.simulation_id}_{i:06d}" for i in range(15)]
    assert events[-1].event_type == "message"
    assert events[-15].event_id == events[0].event_id
    assert [e.event_id for e in events[2:5]] == [events[i].event_id for i in (2, 3, 4)]
    assert [e.event_id for e in events[::7]] == [events[i].event_id for i in (0, 7, 14)]
    with pytest.raises(IndexError):
        events[15]


def test_queries(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path, record_state_changes=False)
    run(walk_model, rec, 3)
    everything = list(rec.events)
    for agent in (1, 2, 4, 99):
        assert list(rec.get_agent_events(agent)) == [e for e in everything if e.agent_id == agent]
    assert len(rec.get_agent_events(1)) == 6
    assert list(rec.get_events_by_type("message")) == [
        e for e in everything if e.event_type == "message"
    ]
    assert list(rec.get_events_by_step(2)) == [e for e in everything if e.step == 2]
    assert len(rec.get_events_by_step(42)) == 0


def test_export_agent_memory_and_stats(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path, record_state_changes=False)
    run(walk_model, rec, 2)
    memory = rec.export_agent_memory(1)
    assert set(memory) == {"agent_id", "events", "summary"}
    assert memory["agent_id"] == 1
    assert memory["events"][0] == dataclasses.asdict(rec.get_agent_events(1)[0])
    summary = memory["summary"]
    assert summary["total_events"] == 4
    assert set(summary["event_types"]) == {"observation", "message"}
    assert summary["active_steps"] == [1, 2]
    assert summary["first_event"] == rec.get_agent_events(1)[0].timestamp.isoformat()
    empty = rec.export_agent_memory(77)["summary"]
    assert empty["total_events"] == 0 and empty["first_event"] is None
    stats = rec.get_stats()
    assert set(stats) == {
        "total_events",
        "unique_agents",
        "event_types",
        "simulation_steps",
        "recording_duration_minutes",
        "events_per_agent",
    }
    assert stats["total_events"] == 10 and stats["unique_agents"] == 4
    assert set(stats["event_types"]) == {"observation", "message"}
    assert stats["simulation_steps"] == 2
    assert stats["events_per_agent"] == {1: 4, 2: 2, 3: 2, 4: 2}


def test_save_json_layout(tmp_path: Path) -> None:
    model = WalkModel(max_steps=2)
    rec = SimulationRecorder(model, output_dir=tmp_path, record_state_changes=False)
    run(model, rec, 2)
    path = rec.save("run.json")
    assert path == (tmp_path / "run.json").resolve()
    data = json.loads(path.read_text())
    assert list(data) == ["metadata", "events", "agent_summaries"]
    meta = data["metadata"]
    assert meta["simulation_id"] == rec.simulation_id
    assert meta["model_class"] == "WalkModel"
    assert meta["total_steps"] == 2 and meta["total_events"] == 10 and meta["total_agents"] == 4
    assert meta["completion_status"] == "completed"
    assert {"start_time", "end_time", "duration_minutes"} <= set(meta)
    events = data["events"]
    assert len(events) == 11
    assert list(events[0]) == [
        "event_id",
        "timestamp",
        "step",
        "agent_id",
        "event_type",
        "content",
        "metadata",
    ]
    assert events[0]["agent_id"] == 1 and events[0]["content"] == {"energy": 1, "seen": [1, 2]}
    assert datetime.fromisoformat(events[0]["timestamp"]).tzinfo is not None
    end = events[-1]
    assert end["event_type"] == "simulation_end" and end["event_id"].endswith("_000010")
    assert end["content"] == {"status": "completed", "final_step": 2, "total_events": 10}
    assert end["metadata"] == {"source": "model"}
    assert events == [{**e.to_dict(), "timestamp": e.timestamp.isoformat()} for e in rec.events]
    assert data["agent_summaries"]["1"]["total_events"] == 4
    assert data["agent_summaries"]["1"]["active_steps"] == [1, 2]
    assert set(data["agent_summaries"]) == {"1", "2", "3", "4"}


def test_repeated_saves_keep_one_end_marker(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path, record_state_changes=False)
    run(walk_model, rec, 1)
    first = json.loads(rec.save("a.json").read_text())
    second = json.loads(rec.save("b.json").read_text())
    assert [e["event_type"] for e in second["events"]].count("simulation_end") == 1
    assert len(first["events"]) == len(second["events"]) == 6
    assert len(rec.events) == 6 and rec.events[-1].event_type == "simulation_end"
    assert len(rec.get_events_by_type("simulation_end")) == 1
    rec.record_event("late", {"x": 1})
    assert len(rec.events) == 6 and rec.events[-1].event_type == "late"
    assert len(rec.get_events_by_type("simulation_end")) == 0
    third = json.loads(rec.save("c.json").read_text())
    types = [e["event_type"] for e in third["events"]]
    assert types.count("simulation_end") == 1 and types[-2:] == ["late", "simulation_end"]


def test_completion_status(tmp_path: Path) -> None:
    unknown = WalkModel()
    rec = SimulationRecorder(unknown, output_dir=tmp_path)
    rec.save("u.json")
    assert rec.simulation_metadata["completion_status"] == "unknown"
    short = WalkModel(max_steps=5)
    rec = SimulationRecorder(short, output_dir=tmp_path)
    short.step()
    data = json.loads(rec.save("i.json").read_text())
    assert data["metadata"]["completion_status"] == "interrupted"
    assert data["events"][-1]["content"]["status"] == "interrupted"


def test_default_filename_and_parquet(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    rec.record_event("x", {"a": 1})
    path = rec.save()
    assert re.fullmatch(rf"simulation_{rec.simulation_id}_\d{{8}}_\d{{6}}\.json", path.name)
    parquet = rec.save(format="parquet")
    assert parquet.suffix == ".parquet"
    import pyarrow.parquet as pq

    table = pq.read_table(parquet)
    assert table.num_rows == 1 and table["content"][0].as_py() == '{"a":1}'


def test_in_memory_recorder_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    model = WalkModel()
    rec = SimulationRecorder(model, output_dir=None)
    run(model, rec, 2)
    assert len(rec.events) > 0 and rec.folder is None
    rec.close()
    assert list(tmp_path.iterdir()) == []

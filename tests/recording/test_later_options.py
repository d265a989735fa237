"""Options of later mesa-llm recorders (``storage_mode``,
``max_events_in_memory``, ``total_events_recorded``) and what they mean in
Palaver, which streams to disk whatever the mode."""

from __future__ import annotations

import json
from pathlib import Path
from unittest.mock import Mock

import pytest

import palaver.recording as recording
from palaver.recording import SimulationRecorder


@pytest.fixture
def town() -> Mock:
    fake = Mock()
    fake.__class__.__name__ = "Town"
    fake.steps = 0
    fake.agents = []
    return fake


def _on_disk(rec: SimulationRecorder) -> int:
    assert rec.folder is not None
    return len(recording.open(rec.folder))


def test_streaming_mode_is_accepted_and_kept_in_the_metadata(town: Mock, tmp_path: Path) -> None:
    rec = SimulationRecorder(
        town, output_dir=tmp_path, storage_mode="jsonl", max_events_in_memory=2
    )
    assert rec.storage_mode == "jsonl"
    assert rec.max_events_in_memory == 2
    assert rec.simulation_metadata["storage_mode"] == "jsonl"
    for i in range(3):
        town.steps = i
        rec.record_event("seen", {"i": i}, agent_id=i % 2)
    assert rec.total_events_recorded == 3
    # Palaver's events are the whole recording, read from disk, in any mode.
    assert [e.step for e in rec.events] == [0, 1, 2]
    data = json.loads(rec.save("all.json").read_text())
    assert data["metadata"]["storage_mode"] == "jsonl"
    assert [e["event_type"] for e in data["events"]] == ["seen"] * 3 + ["simulation_end"]
    assert rec.total_events_recorded == 3  # the save's marker is not an event recorded
    rec.close()


def test_without_the_options_the_metadata_is_the_seeds(town: Mock, tmp_path: Path) -> None:
    rec = SimulationRecorder(town, output_dir=tmp_path)
    assert rec.storage_mode == "memory"
    assert rec.max_events_in_memory is None
    assert "storage_mode" not in rec.simulation_metadata
    assert rec.total_events_recorded == 0
    rec.close()


def test_max_events_in_memory_bounds_what_waits_in_memory(town: Mock, tmp_path: Path) -> None:
    held = SimulationRecorder(town, output_dir=tmp_path / "held")
    capped = SimulationRecorder(town, output_dir=tmp_path / "capped", max_events_in_memory=2)
    at_once = SimulationRecorder(town, output_dir=tmp_path / "at_once", max_events_in_memory=0)
    for rec in (held, capped, at_once):
        for i in range(3):
            rec.record_event("seen", {"i": i})
    assert _on_disk(held) == 0  # mid-step, buffered until the step ends
    assert _on_disk(capped) == 2
    assert _on_disk(at_once) == 3
    for rec in (held, capped, at_once):
        rec.close()


@pytest.mark.parametrize(
    ("options", "error", "words"),
    [
        ({"storage_mode": "xml"}, ValueError, "'memory' or 'jsonl'"),
        ({"storage_mode": 3}, TypeError, "storage_mode"),
        ({"storage_mode": "jsonl", "output_dir": None}, ValueError, "output_dir"),
        ({"max_events_in_memory": -1}, ValueError, "max_events_in_memory"),
        ({"max_events_in_memory": "2"}, TypeError, "max_events_in_memory"),
        ({"max_events_in_memory": True}, TypeError, "max_events_in_memory"),
    ],
)
def test_bad_options(
    town: Mock, tmp_path: Path, options: dict[str, object], error: type[Exception], words: str
) -> None:
    kwargs: dict[str, object] = {"output_dir": tmp_path, **options}
    with pytest.raises(error, match=words):
        SimulationRecorder(town, **kwargs)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []  # refused before anything was written

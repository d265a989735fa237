"""Saves and autosaves in the middle of a run: what the recording folder says
afterwards, and what the classic recorder's callers see."""

from __future__ import annotations

import json
from pathlib import Path
from unittest.mock import Mock

import pytest
from recording_helpers import BusWorld

import palaver.recording as recording
from palaver.recording import SimulationRecorder


@pytest.fixture
def counter() -> Mock:
    """A Mesa-like model that is a plain mock: ``steps`` of ten."""
    fake = Mock()
    fake.__class__.__name__ = "Counter"
    fake.steps = 0
    fake.max_steps = 10
    fake.agents = []
    return fake


def _manifest_status(rec: SimulationRecorder) -> str:
    assert rec.folder is not None
    status: str = json.loads((rec.folder / "manifest.json").read_text())["status"]
    return status


def test_recording_after_a_save_is_unfinished_again(counter: Mock, tmp_path: Path) -> None:
    rec = SimulationRecorder(counter, output_dir=tmp_path)
    rec.record_event("tick", {"n": 0})
    counter.steps = 10
    rec.save("done.json")
    # A save at the end with nothing after it is what a classic script does
    # instead of close(): the folder says the run completed.
    assert _manifest_status(rec) == "completed"
    rec.record_event("tick", {"n": 1})
    # The run went on after that save: were it killed now, its folder must not
    # claim a finished run.
    assert _manifest_status(rec) == "recording"
    rec.flush()
    assert rec.folder is not None
    reader = recording.open(rec.folder)
    assert reader.status == "recording"
    assert reader.completion_status == "interrupted"
    assert len(reader) == 2
    rec.close()
    assert _manifest_status(rec) == "completed"


def test_a_world_event_after_a_save_also_resumes(tmp_path: Path, bus_world: BusWorld) -> None:
    rec = SimulationRecorder(bus_world, output_dir=tmp_path)
    bus_world.start()
    bus_world.step()
    rec.save("mid.json")
    assert _manifest_status(rec) != "recording"
    bus_world.current_step = 1
    bus_world.step()
    assert _manifest_status(rec) == "recording"
    assert rec.events[-1].event_type == "step_end"
    rec.close()

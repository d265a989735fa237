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


class _SaveSpy(SimulationRecorder):
    """A recorder subclass overriding save(), as user code may."""

    calls: list[tuple[object, str, int]]

    def save(self, filename: object = None, format: str = "json") -> Path:  # type: ignore[override]
        # What mesa-llm's subclasses read: the count of events the save is for.
        self.calls.append((filename, format, self.events_since_save))
        return super().save(filename, format)  # type: ignore[arg-type]


class _OwnSave(SimulationRecorder):
    """A subclass whose save() never calls the recorder's."""

    calls = 0

    def save(self, filename: object = None, format: str = "json") -> Path:  # type: ignore[override]
        type(self).calls += 1
        return Path(".")


def test_an_autosave_is_a_save_that_writes_no_export(counter: Mock, tmp_path: Path) -> None:
    _SaveSpy.calls = []
    rec = _SaveSpy(counter, output_dir=tmp_path, auto_save_interval=3)
    rec.record_event("tick", {"n": 0})
    rec.record_event("tick", {"n": 1})
    assert _SaveSpy.calls == []
    counter.steps = 4
    rec.record_event("tick", {"n": 2})
    # The save sees the events it is for, as in mesa-llm (it read 0).
    assert _SaveSpy.calls == [(None, "folder", 3)]
    assert rec.events_since_save == 0
    assert [p.name for p in tmp_path.iterdir()] == [f"simulation_{rec.simulation_id}"]
    # What a classic autosave leaves: the end marker after the events, with
    # the state of the run then.
    assert [e.event_type for e in rec.events] == ["tick"] * 3 + ["simulation_end"]
    assert rec.events[-1].content == {"status": "interrupted", "final_step": 4, "total_events": 3}
    assert rec.simulation_metadata["completion_status"] == "interrupted"
    assert _manifest_status(rec) == "recording"
    counter.steps = 5
    rec.record_event("tick", {"n": 3})
    assert [e.event_type for e in rec.events] == ["tick"] * 4
    rec.close()
    assert rec.folder is not None
    assert [e.event_type for e in recording.open(rec.folder).events] == ["tick"] * 4 + [
        "simulation_end"
    ]


def test_an_autosave_point_passes_when_a_subclass_save_does_its_own_thing(
    counter: Mock, tmp_path: Path
) -> None:
    _OwnSave.calls = 0
    rec = _OwnSave(counter, output_dir=tmp_path, auto_save_interval=2)
    for n in range(5):
        rec.record_event("tick", {"n": n})
    assert _OwnSave.calls == 2  # at events 2 and 4, not at every flush after the first
    assert rec.events_since_save == 1
    rec.close()


def test_save_to_the_folder(counter: Mock, tmp_path: Path) -> None:
    rec = SimulationRecorder(counter, output_dir=tmp_path)
    rec.record_event("tick", {})
    with pytest.raises(ValueError, match="no filename"):
        rec.save("x.json", format="folder")
    assert rec.save(format="folder") == rec.folder
    assert rec.events[-1].event_type == "simulation_end"
    memory_only = SimulationRecorder(counter, output_dir=None, auto_save_interval=1)
    memory_only.record_event("tick", {})  # an autosave point with nowhere to save
    assert [e.event_type for e in memory_only.events] == ["tick"]
    rec.close()


def test_a_world_autosaves_without_duplicating_its_end(tmp_path: Path, bus_world: BusWorld) -> None:
    rec = SimulationRecorder(bus_world, output_dir=tmp_path, auto_save_interval=2)
    bus_world.start()
    for step in range(3):
        bus_world.current_step = step
        bus_world.step()
    rec.close()
    assert rec.folder is not None
    types = [e.event_type for e in recording.open(rec.folder).events]
    assert types.count("simulation_end") == 1 and types[-1] == "simulation_end"


def test_a_removed_folder_is_not_flushed_at_exit(counter: Mock, tmp_path: Path) -> None:
    import shutil
    import warnings

    from palaver.recording.finishing import flush_at_exit

    rec = SimulationRecorder(counter, output_dir=tmp_path / "scratch")
    rec.record_event("tick", {})  # buffered: the finalizer would flush it
    shutil.rmtree(tmp_path / "scratch")  # as a TemporaryDirectory's cleanup does
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        flush_at_exit(rec._store)  # what the recorder's finalizer runs
    assert [str(w.message) for w in caught] == []
    assert not (tmp_path / "scratch").exists()  # and nothing was written again


@pytest.mark.parametrize("fmt", ["json", "parquet"])
def test_a_failed_save_shows_no_end_marker(counter: Mock, tmp_path: Path, fmt: str) -> None:
    rec = SimulationRecorder(counter, output_dir=tmp_path)
    rec.record_event("tick", {"n": 0})
    (tmp_path / "taken").mkdir()  # the export's name is a folder: it cannot be written
    with pytest.raises(Exception, match="taken"):
        rec.save("taken", format=fmt)
    # Nothing was saved: the events end where recording left them.
    assert [e.event_type for e in rec.events] == ["tick"]
    rec.save(f"done.{fmt}", format=fmt)
    assert [e.event_type for e in rec.events] == ["tick", "simulation_end"]
    rec.close()

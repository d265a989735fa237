"""Exports that read back as the recording: the same metadata, counts and tables."""

from __future__ import annotations

import json
from pathlib import Path

import mesa

import palaver.recording as recording
from palaver.examples.trips import build_trips
from palaver.recording import SimulationRecorder

KEYS = [
    "simulation_id",
    "start_time",
    "model_class",
    "end_time",
    "total_steps",
    "total_events",
    "total_agents",
    "duration_minutes",
    "completion_status",
]


class Walker(mesa.Agent):
    """Records one observation per step and carries a value that changes."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.energy = 5

    def step(self) -> None:
        self.energy -= 1
        self.model.recorder.record_event(
            "observation", {"s": self.model.steps}, agent_id=self.unique_id
        )


class Walk(mesa.Model):
    """Three walkers over four steps."""

    def __init__(self, folder: Path) -> None:
        super().__init__(seed=1)
        Walker.create_agents(self, 3)
        self.max_steps = 4
        self.recorder = SimulationRecorder(self, output_dir=folder)

    def step(self) -> None:
        self.agents.do("step")


def test_total_events_of_the_json_layout_is_the_same_before_and_after_close(
    tmp_path: Path,
) -> None:
    # It was 12 from save() and 13 from the reader's export of the same events.
    model = Walk(tmp_path)
    for _ in range(4):
        model.step()
    before = json.loads(model.recorder.save("before.json").read_text())
    model.recorder.close()
    after = json.loads(
        recording.open(model.recorder.folder).export_json(tmp_path / "a.json").read_text()
    )
    # The same events; the end marker is the one close() wrote (its own time).
    assert before["events"][:-1] == after["events"][:-1]
    assert before["events"][-1]["content"] == after["events"][-1]["content"]
    marker = after["events"][-1]
    assert marker["event_type"] == "simulation_end"
    assert before["metadata"]["total_events"] == after["metadata"]["total_events"]
    assert after["metadata"]["total_events"] == marker["content"]["total_events"]
    assert after["metadata"]["total_events"] == len(after["events"]) - 1


def test_a_parquet_export_reopens_as_the_recording(tmp_path: Path) -> None:
    # It lost the initial states (one agent fewer in agent_states), the
    # completion status and the steps.
    world = build_trips(n_agents=4, n_steps=3, seed=3)
    rec = SimulationRecorder(world, output_dir=tmp_path)
    world.run()
    exported = rec.save("x.parquet", format="parquet")
    rec.close()
    folder, file = recording.open(rec.folder), recording.open(exported)
    assert file.status == "exported"
    assert file.completion_status == folder.completion_status == "completed"
    assert file.get_stats()["simulation_steps"] == folder.get_stats()["simulation_steps"]
    assert file.agent_states().equals(folder.agent_states())
    assert file.model_values().equals(folder.model_values())
    data = json.loads(file.export_json(tmp_path / "from_file.json").read_text())
    assert list(data["metadata"]) == KEYS


def test_the_json_export_of_a_run_never_saved_has_every_metadata_key(tmp_path: Path) -> None:
    # A killed run's export lacked end_time, total_steps, total_agents and
    # duration_minutes: its recorder never saved them.
    model = Walk(tmp_path)
    for _ in range(3):
        model.step()
    model.recorder.flush()  # on disk, never saved nor closed (as a killed run)
    reader = recording.open(model.recorder.folder)
    assert reader.status == "recording"
    data = json.loads(reader.export_json(tmp_path / "killed.json").read_text())
    meta = data["metadata"]
    assert list(meta) == KEYS
    assert meta["total_steps"] == 3 and meta["total_agents"] == 3
    assert meta["completion_status"] == "interrupted"
    assert meta["end_time"] == data["events"][-2]["timestamp"]
    model.recorder.close()


def test_steps_of_a_world_killed_between_steps_count_as_its_recorder_would(
    tmp_path: Path,
) -> None:
    # It said 2 for a world that had run steps 0, 1 and 2 (a finished 3-step
    # world says 3), and palaver inspect "steps up to 3" for a world of steps 0 to 2.
    from typer.testing import CliRunner

    from palaver.cli.app import app

    finished = build_trips(n_agents=4, n_steps=3, seed=1)
    done = SimulationRecorder(finished, output_dir=tmp_path / "done")
    finished.run()
    done.close()
    world = build_trips(n_agents=4, n_steps=6, seed=1)
    rec = SimulationRecorder(world, output_dir=tmp_path / "killed")
    for _ in range(3):
        world.step()
    rec.flush()  # on disk, never saved nor closed (as a run killed between steps)
    killed = recording.open(rec.folder)
    assert killed.get_stats()["simulation_steps"] == 3
    assert recording.open(done.folder).get_stats()["simulation_steps"] == 3
    assert killed.step_range() == (0, 2)
    shown = CliRunner().invoke(app, ["inspect", str(done.folder)]).output
    assert "steps 0 to 2" in shown
    rec.close()


def test_total_events_of_a_world_that_ended_itself_agrees_in_both_exports(
    tmp_path: Path,
) -> None:
    # A world records its own simulation_end, so no marker is added: save()
    # counted that event in total_events (N) where the reader's export of the
    # same recording did not (N - 1), as the classic layout does not.
    world = build_trips(n_agents=3, n_steps=2, seed=5)
    rec = SimulationRecorder(world, output_dir=tmp_path)
    world.run()
    saved = json.loads(rec.save("saved.json").read_text())
    rec.close()
    exported = json.loads(
        recording.open(rec.folder).export_json(tmp_path / "exported.json").read_text()
    )
    assert saved["events"][-1]["event_type"] == "simulation_end"
    assert saved["events"][-1]["metadata"]["source"] == "world"
    assert saved["metadata"]["total_events"] == len(saved["events"]) - 1
    assert exported["metadata"]["total_events"] == saved["metadata"]["total_events"]

"""The classic recorder's behaviour as its users rely on it.

Written the way the classic recorder's own users test it: a ``Mock`` model
with ``steps = 0``, list comparisons, the counters it exposes, its error
types and messages, and the ``@record_model`` class decorator.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest.mock import Mock

import mesa
import pytest

from palaver.recording import (
    OutputDirError,
    RecordingError,
    SimulationEvent,
    SimulationRecorder,
    record_model,
)


@pytest.fixture
def model() -> Mock:
    fake = Mock()
    fake.__class__.__name__ = "FakeModel"
    fake.steps = 0
    fake.agents = []
    return fake


@pytest.fixture
def rec(model: Mock, tmp_path: Path) -> SimulationRecorder:
    return SimulationRecorder(model=model, output_dir=str(tmp_path))


def test_a_fresh_recorder(model: Mock, tmp_path: Path) -> None:
    rec = SimulationRecorder(model, output_dir=str(tmp_path), auto_save_interval=10)
    assert rec.model is model
    assert rec.output_dir == tmp_path
    assert rec.events == []
    assert [] == rec.events  # noqa: SIM300 (the list on the left, as users write it)
    assert rec.previous_agent_states == {}
    assert rec.events_since_save == 0
    assert len(rec.simulation_id) == 8
    assert isinstance(rec.start_time, datetime)
    assert rec.simulation_metadata["model_class"] == "FakeModel"


def test_events_compare_as_lists(rec: SimulationRecorder, model: Mock) -> None:
    rec.record_event("note", {"a": 1}, agent_id=7, metadata={"k": "v"})
    rec.record_event("message", "hi", agent_id=7, recipient_ids=[8, 9])
    rec.record_event("plain", "text")
    events = list(rec.events)
    assert rec.events == events and events == rec.events
    assert rec.events != events[:1]
    assert rec.events[0].content == {"a": 1} and rec.events[0].step == 0
    assert rec.events[1].content == {"message": "hi", "recipient_ids": [8, 9]}
    assert rec.events[2].content == {"data": "text"}
    assert rec.events[0].agent_id == 7 and rec.events[0].metadata == {"k": "v"}
    assert rec.events + [] == events  # noqa: RUF005 (a view concatenates like a list)
    assert rec.events_since_save == 3


def test_steps_come_from_model_steps(rec: SimulationRecorder, model: Mock) -> None:
    model.steps = 1
    rec.record_event("a", {})
    model.steps = 2
    rec.record_event("b", {})
    rec.record_event("c", {})
    assert [e.step for e in rec.get_events_by_step(2)] == [2, 2]
    assert rec.get_stats()["simulation_steps"] == 2


def test_queries_and_stats_keep_int_ids(rec: SimulationRecorder, model: Mock) -> None:
    model.steps = 3
    rec.record_event("observation", {"d": 1}, agent_id=123)
    rec.record_event("action", {"d": 2}, agent_id=123)
    rec.record_event("observation", {"d": 3}, agent_id=456)
    agent = rec.get_agent_events(123)
    assert len(agent) == 2 and all(e.agent_id == 123 for e in agent)
    stats = rec.get_stats()
    assert stats["events_per_agent"] == {123: 2, 456: 1}
    assert stats["total_events"] == 3 and stats["unique_agents"] == 2
    memory = rec.export_agent_memory(123)
    assert memory["summary"]["active_steps"] == [3]
    assert rec.export_agent_memory(999)["events"] == []


def test_event_ids(rec: SimulationRecorder) -> None:
    rec.record_event("a", {})
    rec.record_event("b", {})
    assert [e.event_id for e in rec.events] == [
        f"{rec.simulation_id}_000000",
        f"{rec.simulation_id}_000001",
    ]


def test_autosave_counts_and_flushes(model: Mock, tmp_path: Path) -> None:
    rec = SimulationRecorder(model, output_dir=tmp_path, auto_save_interval=2)
    rec.record_event("a", {})
    assert rec.events_since_save == 1
    rec.record_event("b", {})
    assert rec.events_since_save == 0  # an autosave point: flushed to the log
    rec.record_event("c", {})
    assert rec.events_since_save == 1
    # Palaver flushes instead of writing a new full file per autosave.
    assert not list(tmp_path.glob("autosave_*"))
    rec.save("x.json")
    assert rec.events_since_save == 0


def test_save_json_like_the_classic_recorder(
    rec: SimulationRecorder, model: Mock, tmp_path: Path
) -> None:
    model.steps = 5
    model.agents = [Mock(), Mock()]
    model.max_steps = 10
    rec.record_event("test_event", {"data": "x"}, agent_id=123)
    path = rec.save(filename="run.json", format="json")
    assert path == tmp_path / "run.json"
    data = json.loads(path.read_text())
    meta = data["metadata"]
    assert meta["total_steps"] == 5 and meta["total_agents"] == 2
    assert meta["model_class"] == "FakeModel"
    assert meta["completion_status"] == "interrupted"
    assert len(data["events"]) == 2 and data["events"][-1]["event_type"] == "simulation_end"
    assert "123" in data["agent_summaries"]
    model.steps = 10
    rec.save()
    assert rec.simulation_metadata["completion_status"] == "completed"


def test_completion_status_needs_max_steps(rec: SimulationRecorder, model: Mock) -> None:
    del model.max_steps
    model.n_steps = 3  # not the classic recorder's notion of a run's length
    rec.save()
    assert rec.simulation_metadata["completion_status"] == "unknown"
    model.max_steps = "ten"  # not a number: unknown, never a crash
    rec.save()
    assert rec.simulation_metadata["completion_status"] == "unknown"


def test_formats(rec: SimulationRecorder) -> None:
    with pytest.raises(ValueError, match="Format must be 'json' or 'pickle'"):
        rec.save(format="xml")
    with pytest.raises(ValueError, match="arbitrary code"):
        rec.save("x.pkl", format="pickle")


def test_output_dir_that_is_a_file_is_an_oserror(model: Mock, tmp_path: Path) -> None:
    file = tmp_path / "taken"
    file.write_text("x")
    with pytest.raises(OSError, match="not a folder"):
        SimulationRecorder(model, output_dir=str(file))
    # What the classic recorder's mkdir raises there, exactly.
    with pytest.raises(FileExistsError) as raised:
        SimulationRecorder(model, output_dir=str(file))
    assert raised.value.filename == str(file)
    with pytest.raises(RecordingError):
        SimulationRecorder(model, output_dir=str(file))
    with pytest.raises(OutputDirError):
        SimulationRecorder(model, output_dir=file / "below")


def test_output_dir_created(model: Mock, tmp_path: Path) -> None:
    target = tmp_path / "recordings" / "sub"
    rec = SimulationRecorder(model=model, output_dir=str(target))
    assert target.is_dir() and rec.output_dir == target


def test_simulation_event_dataclass() -> None:
    event = SimulationEvent("e1", datetime.now(), 1, 5, "t", {"a": 1}, {"m": 2})
    assert (event.step, event.agent_id, event.content) == (1, 5, {"a": 1})


# ------------------------------------------------------------- the right step
class Clocked(mesa.Model):
    """A Mesa model with a clock of its own called current_step (hour of day)."""

    def __init__(self) -> None:
        super().__init__(seed=1)
        self.current_step = 0
        self.n_steps = 24
        self.recorder: Any = None

    def step(self) -> None:
        self.current_step += 5
        self.recorder.record_event("tick", {"hour": self.current_step})


def test_a_mesa_model_with_its_own_current_step(tmp_path: Path) -> None:
    model = Clocked()
    model.recorder = SimulationRecorder(model, output_dir=tmp_path)
    for _ in range(3):
        model.step()
    rec = model.recorder
    assert [e.step for e in rec.get_events_by_type("tick")] == [1, 2, 3]
    # the tick, then the model's own values that changed (its clock)
    at_3 = rec.get_events_by_step(3)
    assert [(e.event_type, e.agent_id) for e in at_3] == [("tick", None), ("state_change", None)]
    assert at_3[1].content == {"changes": {"current_step": {"old": 10, "new": 15}}}
    assert rec.get_stats()["simulation_steps"] == 3
    rec.save("c.json")
    assert rec.simulation_metadata["completion_status"] == "unknown"  # no max_steps


def test_an_unusable_step_is_a_clear_error_at_the_first_event(tmp_path: Path) -> None:
    model = Mock()
    model.agents = []  # steps is left a Mock
    rec = SimulationRecorder(model, output_dir=tmp_path)
    with pytest.raises(TypeError, match=r"model\.steps is <Mock"):
        rec.record_event("a", {})
    model.steps = None
    with pytest.raises(TypeError, match=r"must be an int.*steps is None"):
        rec.record_event("a", {})
    model.steps = 4
    rec.record_event("a", {})
    assert rec.events[0].step == 4


def test_a_mesa_clock_without_steps(tmp_path: Path) -> None:
    class Timed:
        def __init__(self) -> None:
            self.time = 0.0
            self.agents: list[Any] = []

    model = Timed()
    rec = SimulationRecorder(model, output_dir=tmp_path)
    model.time = 2.0
    rec.record_event("a", {})
    assert rec.events[0].step == 2
    model.time = 2.5
    with pytest.raises(TypeError, match=r"model\.time is 2\.5"):
        rec.record_event("b", {})


# ------------------------------------------------------------- @record_model
class Helper(mesa.Agent):
    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.recorder: Any = None
        self.wealth = 1

    def step(self) -> None:
        self.wealth += 1
        self.recorder.record_event("action", {"w": self.wealth}, agent_id=self.unique_id)


def test_record_model_decorator(tmp_path: Path) -> None:
    @record_model(output_dir=str(tmp_path), auto_save_interval=100)
    class Town(mesa.Model):
        def __init__(self) -> None:
            super().__init__(seed=2)
            Helper.create_agents(self, 2)
            self.max_steps = 2

        def step(self) -> None:
            self.agents.do("step")
            if self.steps == 1:
                Helper(self)  # a late agent also gets the recorder

    town = Town()
    assert isinstance(town.recorder, SimulationRecorder)
    assert town.recorder.auto_save_interval == 100
    assert all(a.recorder is town.recorder for a in town.agents)
    town.step()
    town.step()
    types = [e.event_type for e in town.recorder.events]
    assert types[:4] == ["step_start", "action", "action", "step_end"]
    assert [e.content for e in town.recorder.get_events_by_type("step_start")] == [
        {"step": 1},
        {"step": 2},
    ]
    assert len(town.recorder.get_events_by_type("action")) == 5
    path = town.save_recording("town.json")
    assert json.loads(path.read_text())["metadata"]["completion_status"] == "completed"


def test_record_model_bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    @record_model
    class Plain(mesa.Model):
        def step(self) -> None:
            pass

    model = Plain()
    model.step()
    assert [e.event_type for e in model.recorder.events] == ["step_start", "step_end"]
    assert model.recorder.output_dir == Path("recordings")
    model.recorder.close()


def test_record_model_with_a_stand_in_recorder(tmp_path: Path) -> None:
    from palaver.recording.decorator import _attach_recorder_to_agents

    @record_model(output_dir=str(tmp_path))
    class Simple(mesa.Model):
        def step(self) -> None:
            pass

    model = Simple()
    assert model.recorder.model is model and model.recorder.output_dir == tmp_path
    model.recorder = Mock(spec=SimulationRecorder)  # as the classic recorder's users test it
    model.step()
    assert model.recorder.record_model_event.call_count == 2
    keeper, plain = Mock(), Mock()
    keeper.recorder = None
    del plain.recorder
    holder = Mock()
    holder.agents = [keeper, plain]
    _attach_recorder_to_agents(holder, "R")
    assert keeper.recorder == "R" and not hasattr(plain, "recorder")


def test_record_model_refuses_an_unknown_option_where_it_is_written() -> None:
    """A misspelt option was accepted, to fail only when a model was built
    (possibly deep in a long script, or never, for a class not yet used)."""
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'outputdir'.*'output_dir'"):
        record_model(outputdir="runs")
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'bogus'"):
        record_model(mesa.Model, bogus=1)

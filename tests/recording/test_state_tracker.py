"""The state tracker's shortcut for agents whose attributes did not change.

An agent read from its attributes, whose kept values cannot change in place,
is compared with its last read as one dict comparison; every way its state can
change must still be reported.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pytest
from mesa.discrete_space import CellAgent, OrthogonalMooreGrid

import palaver.recording as recording
from palaver.recording import RecordingWarning, SimulationRecorder
from palaver.recording.state import StateTracker


class Thing:
    """An agent read from its public attributes."""

    def __init__(self, unique_id: int, **fields: Any) -> None:
        self.unique_id = unique_id
        for name, value in fields.items():
            setattr(self, name, value)


class Model:
    """A model whose agents are a list (the tracker iterates them)."""

    def __init__(self, *agents: Thing) -> None:
        self.agents = list(agents)


def changed(tracker: StateTracker) -> dict[Any, dict[str, Any]]:
    """The changes of the next step, decoded, per agent id."""
    return {agent_id: json.loads(text) for agent_id, text in tracker.changes()}


def test_unchanged_agents_report_nothing_and_changed_scalars_are_seen() -> None:
    a, b = Thing(1, wealth=3, name="a"), Thing(2, wealth=5, name="b")
    tracker = StateTracker(Model(a, b))
    assert changed(tracker) == {}
    assert set(tracker._raw) == {1, 2}  # both take the shortcut from now on
    b.wealth = 6
    assert changed(tracker) == {2: {"changes": {"wealth": {"old": 5, "new": 6}}}}
    assert changed(tracker) == {}


def test_a_container_changed_in_place_is_seen() -> None:
    a = Thing(1, items=[1, 2], scores={"x": 1}, arr=np.array([1.0, 2.0]))
    tracker = StateTracker(Model(a))
    a.items.append(3)
    a.scores["x"] = 2
    a.arr[0] = 5.0
    assert changed(tracker)[1]["changes"] == {
        "items": {"old": [1, 2], "new": [1, 2, 3]},
        "scores": {"old": {"x": 1}, "new": {"x": 2}},
        "arr": {"old": [1.0, 2.0], "new": [5.0, 2.0]},
    }
    assert 1 not in tracker._raw  # containers: always read field by field


def test_tuples_added_and_removed_fields_and_agents_are_seen() -> None:
    a, b = Thing(1, pos=(0, 0)), Thing(2, wealth=1)
    model = Model(a, b)
    tracker = StateTracker(model)
    assert 1 in tracker._raw  # a tuple of scalars cannot change in place
    a.pos = (0, 1)
    b.mood = "calm"
    assert changed(tracker) == {
        1: {"changes": {"pos": {"old": [0, 0], "new": [0, 1]}}},
        2: {"changes": {"mood": {"old": None, "new": "calm"}}},
    }
    del b.mood
    model.agents.remove(a)
    assert changed(tracker) == {
        2: {"changes": {"mood": {"old": "calm", "new": None}}},
        1: {"changes": {}, "removed": True},
    }
    assert set(tracker._raw) == {2}  # a removed agent is forgotten


def test_an_equal_value_of_another_type_counts_as_unchanged_either_way() -> None:
    a = Thing(1, level=1)
    tracker = StateTracker(Model(a))
    a.level = 1.0
    assert changed(tracker) == {}
    a.level = float("nan")
    assert changed(tracker)[1]["changes"]["level"]["old"] == 1.0


class Walker(CellAgent):
    """A Mesa agent on a discrete grid that steps to a neighbouring cell."""

    def __init__(self, model: mesa.Model, cell: Any) -> None:
        super().__init__(model)
        self.cell = cell
        self.energy = 10

    def step(self) -> None:
        self.cell = self.cell.neighborhood.select_random_cell()


class Grid(mesa.Model):
    """Two walkers on a small torus."""

    def __init__(self) -> None:
        super().__init__(seed=3)
        self.grid = OrthogonalMooreGrid((4, 4), torus=True, random=self.random)
        for _ in range(2):
            Walker(self, self.grid.all_cells.select_random_cell())

    def step(self) -> None:
        self.agents.do("step")


def test_a_mesa_agent_that_moves_to_another_cell_is_seen() -> None:
    model = Grid()
    tracker = StateTracker(model)
    assert changed(tracker) == {}
    walker = next(iter(model.agents))
    before = walker.cell.coordinate
    walker.cell = next(c for c in model.grid.all_cells if c.coordinate != before)
    moved = changed(tracker)[walker.unique_id]["changes"]["cell"]
    assert moved == {"old": list(before), "new": list(walker.cell.coordinate)}


class _Diarist(mesa.Agent):
    """An agent with an ordinary attribute and a list appended to every step."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.energy = 0
        self.diary: list[str] = []

    def step(self) -> None:
        self.energy += 1
        self.diary.append(f"step {self.model.steps}: " + "x" * 40)


class _Diaries(mesa.Model):
    def __init__(self, folder: Path, **options: Any) -> None:
        super().__init__(seed=1)
        _Diarist.create_agents(self, 2)
        self.log: list[str] = []  # the model's own growing attribute
        self.recorder = SimulationRecorder(self, output_dir=folder, **options)

    def step(self) -> None:
        self.agents.do("step")
        self.log.append(f"step {self.steps} " + "-" * 30)


def test_a_value_that_grows_every_step_is_not_stored_whole_at_every_step(tmp_path: Path) -> None:
    """Each state_change held the whole list, old and new: a run of n steps
    stored about n**2 list items (quadratic growth of the recording)."""
    steps = 400
    with pytest.warns(RecordingWarning) as caught:
        model = _Diaries(tmp_path / "guarded")
        for _ in range(steps):
            model.step()
    said = [str(w.message) for w in caught]
    assert len(said) == 2  # once per field, whatever the number of agents
    assert re.search(r"'diary' is \d+ characters.*state_value_limit=10000", said[0])
    assert "'log'" in said[1] and "the model" in said[1]
    rec = model.recorder
    rec.close()
    reader = recording.open(rec.folder)
    changes = list(reader.get_events_by_type("state_change"))
    values = [v for e in changes for c in e.content["changes"].values() for v in c.values()]
    assert max(len(json.dumps(v, separators=(",", ":"))) for v in values) <= 10_000
    # What the last 100 steps stored: as much as any 100 steps once the
    # values passed the limit (it grew with each step's number before).
    late = sum(len(json.dumps(e.content)) for e in changes if e.step > steps - 100)
    assert late < 100 * 200
    # The ordinary attribute is recorded at every step, as before.
    energy = [e.content["changes"]["energy"] for e in changes if e.agent_id == 1]
    assert energy == [{"old": s, "new": s + 1} for s in range(steps)]
    # The grown field: recorded until it passed the limit, then gone, once.
    diary = [
        (e.step, e.content["changes"]["diary"])
        for e in changes
        if e.agent_id == 1 and "diary" in e.content["changes"]
    ]
    last_step, last = diary[-1]
    assert last["new"] is None and len(json.dumps(last["old"], separators=(",", ":"))) <= 10_000
    assert [s for s, _ in diary] == list(range(1, last_step + 1))
    [warning] = [e for e in reader.get_events_by_type("warning") if e.agent_id == 1]
    assert warning.step == last_step and warning.metadata == {"source": "recorder"}
    assert warning.content["field"] == "diary" and warning.content["limit"] == 10_000
    assert warning.content["length"] > 10_000
    # The model's own list too (its events have no agent).
    assert any(
        e.agent_id is None and e.content["field"] == "log"
        for e in reader.get_events_by_type("warning")
    )
    states = reader.agent_states()
    assert states.loc[(last_step - 1, 1), "diary"] is not None
    assert states.loc[(steps, 1), "diary"] is None and states.loc[(steps, 1), "energy"] == steps

    # With no limit, every change holds the whole list (what the option turns off).
    unlimited = _Diaries(tmp_path / "unlimited", state_value_limit=None)
    for _ in range(30):
        unlimited.step()
    unlimited.recorder.close()
    last_change = unlimited.recorder.get_events_by_type("state_change")[-1]
    assert len(last_change.content["changes"]["diary"]["new"]) == 30


@pytest.mark.parametrize("bad", [0, -1, 1.5, "10", True])
def test_state_value_limit_is_checked(tmp_path: Path, bad: Any) -> None:
    with pytest.raises(ValueError, match=r"state_value_limit"):
        _Diaries(tmp_path, state_value_limit=bad)

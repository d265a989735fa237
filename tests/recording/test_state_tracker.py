"""The state tracker's shortcut for agents whose attributes did not change.

An agent read from its attributes, whose kept values cannot change in place,
is compared with its last read as one dict comparison; every way its state can
change must still be reported.
"""

from __future__ import annotations

import json
from typing import Any

import mesa
import numpy as np
from mesa.discrete_space import CellAgent, OrthogonalMooreGrid

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

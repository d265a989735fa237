"""The modeller's tables: agent states per step against Mesa's DataCollector."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mesa
import pandas as pd
import polars as pl
import pytest
from mesa.discrete_space import CellAgent, OrthogonalMooreGrid

import palaver.recording
from palaver.examples.trips import build_trips
from palaver.recording import SimulationRecorder


class MoneyAgent(CellAgent):
    """Boltzmann wealth: move to a neighbouring cell, give a unit to a cellmate."""

    def __init__(self, model: mesa.Model, cell: Any) -> None:
        super().__init__(model)
        self.cell = cell
        self.wealth = 1

    def step(self) -> None:
        self.cell = self.cell.neighborhood.select_random_cell()
        mates = [a for a in self.cell.agents if a is not self]
        if self.wealth > 0 and mates:
            self.random.choice(mates).wealth += 1
            self.wealth -= 1


class BoltzmannWealth(mesa.Model):
    def __init__(self, out: Path, n: int = 25, seed: int = 4) -> None:
        super().__init__(seed=seed)
        self.grid = OrthogonalMooreGrid((5, 5), torus=True, random=self.random)
        cells = self.random.choices(self.grid.all_cells.cells, k=n)
        MoneyAgent.create_agents(self, n, cells)
        self.richest = 1
        self.datacollector = mesa.DataCollector(
            model_reporters={"richest": "richest"},
            agent_reporters={"Wealth": "wealth", "Cell": lambda a: a.cell.coordinate},
        )
        self.recorder = SimulationRecorder(self, output_dir=out)
        self.datacollector.collect(self)

    def step(self) -> None:
        self.agents.shuffle_do("step")
        self.richest = max(a.wealth for a in self.agents)
        self.datacollector.collect(self)


def _as_collector(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[["wealth", "cell"]].rename(columns={"wealth": "Wealth", "cell": "Cell"})
    out.index.names = ["Step", "AgentID"]
    return out


def test_agent_table_matches_the_datacollector_cell_for_cell(tmp_path: Path) -> None:
    model = BoltzmannWealth(tmp_path)
    for _ in range(12):
        model.step()
    expected = model.datacollector.get_agent_vars_dataframe()
    ours = model.recorder.agent_states()
    pd.testing.assert_frame_equal(_as_collector(ours), expected)
    assert ours.index.get_level_values("agent_id").dtype == "int64"
    values = model.recorder.model_values()
    assert (
        values["richest"].tolist()
        == model.datacollector.get_model_vars_dataframe()["richest"].tolist()
    )
    model.recorder.close()
    reader = palaver.recording.open(model.recorder.folder)
    pd.testing.assert_frame_equal(reader.agent_states(), ours)
    pd.testing.assert_frame_equal(reader.model_values(), values)


def test_initial_snapshot_and_long_layout(tmp_path: Path) -> None:
    model = BoltzmannWealth(tmp_path, n=3)
    assert model.recorder.initial_states == {
        a.unique_id: {"pos": None, "wealth": 1, "cell": a.cell.coordinate} for a in model.agents
    }
    model.step()
    long = model.recorder.agent_states(layout="long")
    assert list(long.columns) == ["step", "agent_id", "field", "value"]
    assert len(long) == 2 * 3 * 3  # steps 0 and 1, three agents, three fields
    polars = model.recorder.agent_states(library="polars")
    assert isinstance(polars, pl.DataFrame) and polars.height == 6
    with pytest.raises(ValueError, match="layout must be one of"):
        model.recorder.agent_states(layout="tall")
    with pytest.raises(ValueError, match="library must be one of"):
        model.recorder.agent_states(library="excel")


class Walker(mesa.Agent):
    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.energy = 5


class GridModel(mesa.Model):
    """Old-style space: ``pos`` set by the grid; an agent removed, one added."""

    def __init__(self, out: Path) -> None:
        super().__init__(seed=1)
        self.grid = mesa.space.MultiGrid(4, 4, torus=True)
        for i, agent in enumerate(Walker.create_agents(self, 3)):
            self.grid.place_agent(agent, (i, 0))
        self.recorder = SimulationRecorder(self, output_dir=out)

    def step(self) -> None:
        for agent in list(self.agents):
            self.grid.move_agent(agent, (agent.pos[0], agent.pos[1] + 1))
        if self.steps == 1:
            gone = next(iter(self.agents))
            self.grid.remove_agent(gone)
            gone.remove()
            newcomer = Walker(self)
            self.grid.place_agent(newcomer, (3, 3))


def test_positions_removals_and_newcomers(tmp_path: Path) -> None:
    model = GridModel(tmp_path)
    model.step()
    model.step()
    frame = model.recorder.agent_states()
    assert frame.loc[(0, 1), "pos"] == (0, 0)
    assert frame.loc[(2, 2), "pos"] == (1, 2)
    assert (2, 1) not in frame.index  # removed during step 1
    assert frame.loc[(1, 4), "pos"] == (3, 3) and frame.loc[(2, 4), "energy"] == 5
    assert sorted({s for s, _ in frame.index}) == [0, 1, 2]


def test_world_tables(tmp_path: Path) -> None:
    world = build_trips(n_agents=4, n_steps=3, seed=5)
    rec = SimulationRecorder(world, output_dir=tmp_path)
    world.run()
    rec.close()
    frame = rec.agent_states()
    assert sorted({s for s, _ in frame.index}) == [0, 1, 2, 3]
    assert set(frame.columns) == {"total_utility"}
    last = frame.xs(3, level="step")["total_utility"].to_dict()
    assert last == {a: world.get_private_state(world.agents[a])["total_utility"] for a in last}
    stats = rec.model_values()
    assert list(stats.index) == [0, 1, 2]


class Moody(mesa.Agent):
    """Its observable_state() breaks on odd steps and returns no mapping on step 4."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.mood = 0

    def observable_state(self) -> Any:
        if self.model.steps == 4:
            return ["not", "a", "mapping"]
        if self.model.steps % 2:
            raise RuntimeError("cannot say")
        return {"mood": self.mood}


class MoodyModel(mesa.Model):
    def __init__(self, out: Path) -> None:
        super().__init__(seed=1)
        Moody.create_agents(self, 1)
        self.recorder = SimulationRecorder(self, output_dir=out)

    def step(self) -> None:
        for agent in self.agents:
            agent.mood += 1


def test_a_failing_observable_state_is_a_recorded_error(tmp_path: Path) -> None:
    model = MoodyModel(tmp_path)
    for _ in range(4):
        model.step()  # never raises: recording must not break the model
    errors = model.recorder.get_events_by_type("exception")
    assert [(e.step, e.content["exception"]) for e in errors] == [
        (1, "RuntimeError"),
        (3, "RuntimeError"),
        (4, "TypeError"),
    ]
    assert "must return a mapping" in errors[2].content["message"]
    changes = model.recorder.get_events_by_type("state_change")
    assert [(e.step, e.content["changes"]["mood"]["new"]) for e in changes] == [(2, 2)]

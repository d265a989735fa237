"""The modeller's tables: agent states per step against Mesa's DataCollector."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

import mesa
import pandas as pd
import polars as pl
import pytest
from mesa.discrete_space import CellAgent, OrthogonalMooreGrid

import palaver.recording
from palaver.examples.trips import RandomPerson, TripsWorld, build_trips
from palaver.recording import SimulationRecorder
from palaver.report.contents import last_agent_states


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


def _joined(states: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """The two tables joined on ``step``, as a user would join them."""
    return states.reset_index().merge(values.reset_index(), on="step", how="left")


def test_world_tables_put_a_step_at_the_same_index(tmp_path: Path) -> None:
    """Row ``s`` of both tables is world step ``s``: the agents' state at its end
    and the world's stats of that step (the stats hold each agent's
    ``total_utility`` too, so a join on ``step`` can be checked column against
    column, and against the world's own per-step stats)."""
    world = build_trips(n_agents=4, n_steps=4, seed=5)
    rec = SimulationRecorder(world, output_dir=tmp_path)
    world.run()
    rec.close()
    states, values = rec.agent_states(), rec.model_values()
    assert sorted({s for s, _ in states.index}) == list(values.index) == [0, 1, 2, 3]
    assert set(states.columns) == {"total_utility"}
    series = world.stats
    joined = _joined(states, values)
    assert len(joined) == 4 * len(world.agents)
    for row in joined.itertuples():
        column = f"total_utility_{row.agent_id}"
        assert row.total_utility == getattr(row, column) == series[column][row.step]
    # The utilities change during the run, so a table shifted by a step differs.
    assert len({tuple(states.xs(s, level="step")["total_utility"]) for s in range(4)}) > 1
    stats = {e.step: e.content for e in rec.get_events_by_type("stats")}
    assert {s: stats[s]["total_utility_smart00"] for s in stats} == (
        states.xs("smart00", level="agent_id")["total_utility"].to_dict()
    )
    last = states.xs(3, level="step")["total_utility"].to_dict()
    assert last == {a: world.get_private_state(world.agents[a])["total_utility"] for a in last}
    reader = palaver.recording.open(rec.folder)
    pd.testing.assert_frame_equal(reader.agent_states(), states)
    pd.testing.assert_frame_equal(reader.model_values(), values)
    polars = reader.agent_states(library="polars").join(
        reader.model_values(library="polars"), on="step"
    )
    assert polars.height == len(joined)
    assert (polars["total_utility"] == polars["total_utility_smart00"]).sum() >= 4


def test_a_world_step_has_rows_once_it_has_ended(tmp_path: Path) -> None:
    world = build_trips(n_agents=3, n_steps=5, seed=2)
    rec = SimulationRecorder(world, output_dir=tmp_path)
    assert len(rec.agent_states()) == 0 and len(rec.model_values()) == 0
    world.step()
    assert sorted({s for s, _ in rec.agent_states().index}) == list(rec.model_values().index)
    assert list(rec.model_values().index) == [0]
    world.step()
    assert sorted({s for s, _ in rec.agent_states().index}) == [0, 1]
    assert list(rec.model_values().index) == [0, 1]
    rec.close()


def test_a_world_recorded_from_mid_run_has_rows_from_that_step(tmp_path: Path) -> None:
    """Attached after steps 0 and 1, the recorder starts from the state at the end
    of step 1; its first row is step 2, in both tables."""
    world = build_trips(n_agents=3, n_steps=5, seed=3)
    world.step()
    world.step()
    rec = SimulationRecorder(world, output_dir=tmp_path)
    world.run()
    rec.close()
    states, values = rec.agent_states(), rec.model_values()
    assert sorted({s for s, _ in states.index}) == list(values.index) == [2, 3, 4]
    # The run's parameters, from the world (its simulation_start was before).
    parameters = palaver.recording.open(rec.folder).manifest["parameters"]
    assert parameters == {
        "world": "TripsWorld", "name": world.name, "seed": 3, "n_steps": 5,
        "agents": list(world.agents),
    }  # fmt: skip
    for row in _joined(states, values).itertuples():
        column = f"total_utility_{row.agent_id}"
        assert row.total_utility == getattr(row, column) == world.stats[column][row.step]


def test_mesa_tables_put_a_step_at_the_same_index(tmp_path: Path) -> None:
    """On a Mesa model both tables follow the DataCollector (``Step`` is
    ``model.steps``): the model's ``richest`` at a step is the largest wealth
    among the agents' rows of that step."""
    model = BoltzmannWealth(tmp_path, n=10, seed=2)
    for _ in range(8):
        model.step()
    states, values = model.recorder.agent_states(), model.recorder.model_values()
    collected = model.datacollector.get_model_vars_dataframe()
    assert list(values.index) == list(collected.index) == list(range(9))
    assert values["richest"].tolist() == collected["richest"].tolist()
    assert len(set(values["richest"])) > 1  # a shifted table would differ
    joined = _joined(states, values)
    by_step = joined.groupby("step").agg(top=("wealth", "max"), richest=("richest", "first"))
    assert (by_step["top"] == by_step["richest"]).all()
    model.recorder.close()


class Latecomer(mesa.Model):
    """A model value and an agent field (of agent 1 only) that first appear at step 2."""

    def __init__(self, out: Path) -> None:
        super().__init__(seed=1)
        Walker.create_agents(self, 2)
        self.share = 0.5
        self.recorder = SimulationRecorder(self, output_dir=out)

    def step(self) -> None:
        if self.steps == 2:
            self.late = 1
            next(iter(self.agents)).badge = 7
        if self.steps == 3:
            self.late = 2


def test_integer_values_that_appear_mid_run_stay_integers(tmp_path: Path) -> None:
    model = Latecomer(tmp_path)
    for _ in range(3):
        model.step()
    model.recorder.close()
    reader = palaver.recording.open(model.recorder.folder)
    for source in (model.recorder, reader):
        values = source.model_values()
        assert values["late"].dtype == "Int64"
        assert values["late"].isna().tolist() == [True, True, False, False]
        assert values["late"].dropna().tolist() == [1, 2]
        assert values["share"].dtype == "float64"
        states = source.agent_states()
        assert states["badge"].dtype == "Int64" and states["energy"].dtype == "int64"
        assert states.loc[(2, 1), "badge"] == 7 and pd.isna(states.loc[(1, 1), "badge"])
        assert pd.isna(states.loc[(3, 2), "badge"])
        assert source.model_values(library="polars")["late"].dtype == pl.Int64
    # The report's table of last states shows a gap as an empty cell, not "<NA>".
    header, rows, _ = last_agent_states(reader)
    assert [row[header.index("badge")] for row in rows] == [7, None]


def test_to_pandas_keeps_seq_an_integer(tmp_path: Path) -> None:
    """``seq`` is null for events recorded by hand: pandas' nullable Int64, as in polars."""
    world = build_trips(n_agents=2, n_steps=1, seed=1)
    rec = SimulationRecorder(world, output_dir=tmp_path)
    world.run()
    rec.record_event("note", {"text": "by hand"})
    rec.close()
    reader = palaver.recording.open(rec.folder)
    frame = reader.to_pandas()
    assert frame["seq"].dtype == "Int64"
    assert frame["index"].dtype == "int64" and frame["step"].dtype == "int64"
    note = frame["event_type"] == "note"
    assert frame.loc[note, "seq"].isna().all() and frame["seq"].notna().sum() > 50
    expected = reader.to_polars()["seq"]
    assert expected.dtype == pl.Int64
    assert frame["seq"].astype(object).where(frame["seq"].notna(), None).tolist() == (
        expected.to_list()
    )


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


class LateFailing(mesa.Agent):
    """Its observable_state works when the recorder is built, then fails."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.mood = 0

    def observable_state(self) -> dict[str, Any]:
        if self.model.broken:
            raise RuntimeError("sensor down")
        return {"mood": self.mood}


class LateFailingModel(mesa.Model):
    def __init__(self, out: Path) -> None:
        super().__init__(seed=1)
        self.broken = False
        LateFailing.create_agents(self, 2)
        self.recorder = SimulationRecorder(self, output_dir=out)
        self.broken = True  # fails from the baseline taken again before the first step

    def step(self) -> None:
        for agent in self.agents:
            agent.mood += 1


def test_a_state_that_fails_before_the_first_step_keeps_the_one_taken_before(
    tmp_path: Path,
) -> None:
    """The baseline taken again before the first step must not replace a state
    read when the recorder was built by nothing, and its failure is an error of
    the step it happened at (0), not of the step after."""
    model = LateFailingModel(tmp_path)
    model.step()
    rec = model.recorder
    assert rec.initial_states == {1: {"mood": 0}, 2: {"mood": 0}}
    errors = rec.get_events_by_type("exception")
    assert [(e.step, e.agent_id) for e in errors] == [(0, 1), (0, 2), (1, 1), (1, 2)]
    assert rec.agent_states()["mood"].tolist() == [0, 0, 0, 0]
    rec.close()


class Health(Enum):
    SUSCEPTIBLE = 0
    INFECTED = 1


class Patient(mesa.Agent):
    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.health = Health.SUSCEPTIBLE

    def step(self) -> None:
        if self.unique_id == 1:
            self.health = Health.INFECTED


class Outbreak(mesa.Model):
    def __init__(self, out: Path) -> None:
        super().__init__(seed=1)
        Patient.create_agents(self, 2)
        self.phase = Health.SUSCEPTIBLE
        self.recorder = SimulationRecorder(self, output_dir=out)

    def step(self) -> None:
        self.agents.do("step")
        self.phase = Health.INFECTED


def test_an_enum_attribute_is_state_kept_as_its_value(tmp_path: Path) -> None:
    """Mesa's own examples keep an agent's state in an Enum: it was dropped
    from the state as if it were a reference, leaving no column at all."""
    model = Outbreak(tmp_path)
    model.step()
    model.step()
    rec = model.recorder
    states = rec.agent_states()
    assert states["health"].tolist() == [0, 0, 1, 0, 1, 0]
    assert rec.model_values()["phase"].tolist() == [0, 1, 1]
    [change] = rec.get_agent_events(1)
    assert change.content == {"changes": {"health": {"old": 0, "new": 1}}}
    rec.close()


class ListingTrips(TripsWorld):
    """Its get_private_state returns a list, not a mapping, at step 1."""

    def get_private_state(self, agent: Any) -> Any:
        state = super().get_private_state(agent)
        return list(state.items()) if self.current_step == 1 else state


def test_a_private_state_that_is_not_a_mapping_is_a_recorded_error(tmp_path: Path) -> None:
    """Not read as the agent's attributes instead (a Palaver agent's public
    attributes are few: its state would have been recorded as empty)."""
    world = ListingTrips(n_steps=3, seed=1)
    for i in range(3):
        world.join(RandomPerson(id=f"p{i}"))
    recorder = SimulationRecorder(world, output_dir=tmp_path)
    world.run()
    recorder.close()
    errors = recorder.get_events_by_type("exception")
    assert sorted((e.step, e.agent_id) for e in errors) == [(1, "p0"), (1, "p1"), (1, "p2")]
    assert {e.content["where"] for e in errors} == {"observable_state"}
    assert "ListingTrips.get_private_state() must return a mapping" in errors[0].content["message"]
    states = recorder.agent_states()
    assert list(states.columns) == ["total_utility"]
    kept = states.loc[1, "total_utility"].tolist()
    assert kept == states.loc[0, "total_utility"].tolist()  # kept as it was at step 0
    assert states.loc[2, "total_utility"].tolist() == [
        world.get_private_state(world.agents[f"p{i}"])["total_utility"] for i in range(3)
    ]


def test_a_damaged_initial_state_file_is_reported_not_used(tmp_path: Path) -> None:
    """initial_state.json is checked against the manifest: never silently wrong frames."""
    model = BoltzmannWealth(tmp_path, n=5, seed=1)
    rec = model.recorder
    for _ in range(3):
        model.step()
    rec.close()
    path = rec.folder / "initial_state.json"
    text = path.read_text()
    path.write_text(text.replace("1", "7", 1))
    reader = palaver.recording.open(rec.folder)
    with pytest.raises(palaver.recording.CorruptRecordingError, match=r"initial_state\.json"):
        reader.agent_states()


class _Counter(mesa.Model):
    """Agents whose wealth grows every step, and one model event per step."""

    def __init__(self, out: Path, record_state_changes: bool) -> None:
        super().__init__(seed=1)
        for _ in range(3):
            agent = mesa.Agent(self)
            agent.wealth = 1  # type: ignore[attr-defined]
        self.recorder = SimulationRecorder(
            self, output_dir=out, record_state_changes=record_state_changes
        )

    def step(self) -> None:
        for agent in self.agents:
            agent.wealth += 1
        self.recorder.record_model_event("metrics", {"total": sum(a.wealth for a in self.agents)})


def test_tables_of_untracked_state_say_why_instead_of_being_empty(tmp_path: Path) -> None:
    model = _Counter(tmp_path, record_state_changes=False)
    for _ in range(2):
        model.step()
    recorder = model.recorder
    recorder.close()
    for source in (recorder, palaver.recording.open(recorder.folder)):
        with pytest.raises(palaver.recording.QueryError, match="record_state_changes=False"):
            source.agent_states()
        with pytest.raises(ValueError, match="event_type="):
            source.model_values()
        # The model events it did record still make their table.
        assert source.model_values("metrics")["total"].tolist() == [6, 9]


def test_tables_of_tracked_state_are_unchanged_by_the_check(tmp_path: Path) -> None:
    model = _Counter(tmp_path, record_state_changes=True)
    for _ in range(2):
        model.step()
    model.recorder.close()
    reader = palaver.recording.open(model.recorder.folder)
    assert reader.agent_states()["wealth"].tolist() == [1, 1, 1, 2, 2, 2, 3, 3, 3]


class Steady(mesa.Agent):
    """Its state never changes: no state_change event after the first."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.wealth = 1

    def step(self) -> None:
        self.model.recorder.record_event("act", {}, agent_id=self.unique_id)


class SteadyModel(mesa.Model):
    def __init__(self, out: Path) -> None:
        super().__init__(seed=1)
        Steady.create_agents(self, 2)
        self.level = 1
        self.recorder = SimulationRecorder(self, output_dir=out)

    def step(self) -> None:
        self.agents.do("step")


def test_tables_of_a_recording_never_closed_reach_its_last_step(tmp_path: Path) -> None:
    """A killed (or running) recorder's manifest was written with its first log:
    the tables read from the folder stopped at that manifest's step (1) instead
    of the last step recorded (5)."""
    model = SteadyModel(tmp_path)
    for _ in range(5):
        model.step()
    reader = palaver.recording.open(model.recorder.folder)
    assert reader.manifest["status"] == "recording"
    steps = [0, 1, 2, 3, 4, 5]
    assert sorted(set(reader.agent_states().index.get_level_values("step"))) == steps
    assert reader.model_values().index.tolist() == steps
    pd.testing.assert_frame_equal(reader.agent_states(), model.recorder.agent_states())
    model.recorder.close()

    world = build_trips(n_agents=3, n_steps=6, seed=2)
    recorder = SimulationRecorder(world, output_dir=tmp_path / "world")
    for _ in range(4):
        world.step()
    reader = palaver.recording.open(recorder.folder)
    assert sorted(set(reader.agent_states().index.get_level_values("step"))) == [0, 1, 2, 3]
    recorder.close()


def test_state_tables_of_a_recording_without_states_are_refused(tmp_path: Path) -> None:
    """With record_state_changes=False there is no state to tabulate: the
    tables were empty frames, read as agents that had no state."""
    model = Outbreak(tmp_path)
    model.recorder.close()
    model.recorder = SimulationRecorder(model, output_dir=tmp_path, record_state_changes=False)
    model.step()
    model.recorder.close()
    reader = palaver.recording.open(model.recorder.folder)
    for source in (model.recorder, reader):
        with pytest.raises(palaver.recording.QueryError, match="record_state_changes=False"):
            source.agent_states()
        with pytest.raises(palaver.recording.QueryError, match="record_state_changes=False"):
            source.model_values()
        assert source.model_values(event_type="tally").empty  # model events need no states

    world = build_trips(n_agents=3, n_steps=2, seed=1)
    light = SimulationRecorder(world, output_dir=tmp_path / "world", record_state_changes=False)
    world.run()
    light.close()
    assert list(light.model_values().index) == [0, 1]  # a world's stats need no states


class Walled(mesa.Agent):
    """Its observable state is a property: its own say, not its attributes."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self._energy = 0
        self.scratch = 0

    @property
    def observable_state(self) -> dict[str, Any]:
        return {"energy": self._energy}

    def step(self) -> None:
        self._energy += 1
        self.scratch += 1


class WalledModel(mesa.Model):
    def __init__(self) -> None:
        super().__init__(seed=1)
        Walled.create_agents(self, 1)
        self.recorder = SimulationRecorder(self, output_dir=None)

    def step(self) -> None:
        self.agents.do("step")


def test_an_observable_state_property_is_the_agents_state() -> None:
    """A property was passed over silently (only a method counted) and the
    agent's public attributes recorded instead."""
    model = WalledModel()
    model.step()
    states = model.recorder.agent_states()
    assert list(states.columns) == ["energy"]
    assert states["energy"].tolist() == [0, 1]


class Shifty(mesa.Agent):
    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.label: Any = "a"
        self.level: Any = 1

    def step(self) -> None:
        self.label = 2  # a number after a text
        self.level = 1.5  # ints then floats: still numbers


class ShiftyModel(mesa.Model):
    def __init__(self) -> None:
        super().__init__(seed=1)
        Shifty.create_agents(self, 1)
        self.recorder = SimulationRecorder(self, output_dir=None)

    def step(self) -> None:
        self.agents.do("step")


def test_a_polars_column_of_mixed_types_keeps_them_apart() -> None:
    """polars turned the number 2 into the text "2" in a column that also held
    text: the column holds JSON texts instead, as the long layout does."""
    model = ShiftyModel()
    model.step()
    frame = model.recorder.agent_states(library="polars")
    assert frame["label"].to_list() == ['"a"', "2"]
    assert frame["level"].to_list() == [1.0, 1.5]
    assert model.recorder.agent_states()["label"].tolist() == ["a", 2]


def test_model_values_of_a_type_recorded_only_with_agents_says_so() -> None:
    """model_values(event_type=...) reads model events: a type recorded only with
    agents gave an empty frame, as if none had been recorded."""
    model = ShiftyModel()
    model.recorder.record_event("trade", {"price": 3}, agent_id=1)
    with pytest.raises(palaver.recording.QueryError, match="recorded with an agent"):
        model.recorder.model_values(event_type="trade")
    model.recorder.record_model_event("trade", {"price": 4})
    assert model.recorder.model_values(event_type="trade")["price"].tolist() == [4]


def test_model_values_keep_a_content_step_that_is_not_the_events_step() -> None:
    """A content key "step" was written over the events' steps: rows of a model
    clock of its own were keyed by that clock, and {"step": n} alone gave a
    frame without columns."""
    model = ShiftyModel()
    model.recorder.record_model_event("tick", {"step": 7, "load": 1.5})
    model.step()
    model.recorder.record_model_event("tick", {"step": 9, "load": 2.5})
    model.recorder.record_model_event("mark", {"step": model.steps, "n": 1})
    ticks = model.recorder.model_values(event_type="tick")
    assert ticks.index.tolist() == [0, 1]  # the events' steps
    assert ticks["content_step"].tolist() == [7, 9] and ticks["load"].tolist() == [1.5, 2.5]
    marks = model.recorder.model_values(event_type="mark")
    assert marks.index.tolist() == [1] and list(marks.columns) == ["n"]  # the same step


def test_a_reader_gives_the_initial_states_the_recorder_gave(tmp_path: Path) -> None:
    """The guide says the folder keeps the initial states, but only the recorder
    had ``initial_states``: a closed recording's needed initial_state.json parsed
    by hand (a Parquet export's, its file metadata)."""

    class Walker(mesa.Agent):
        def __init__(self, model: mesa.Model) -> None:
            super().__init__(model)
            self.energy = self.unique_id
            self.pos = (1, 2)

        def step(self) -> None:
            self.energy += 1

    model = mesa.Model(seed=1)
    Walker.create_agents(model, 3)
    rec = SimulationRecorder(model, output_dir=tmp_path)
    model.agents.do("step")
    exported = rec.save(format="parquet")
    rec.close()
    expected = {i: {"energy": i, "pos": (1, 2)} for i in (1, 2, 3)}
    assert rec.initial_states == expected
    assert palaver.recording.open(rec.folder).initial_states == expected
    assert palaver.recording.open(exported).initial_states == expected
    # As the guide says: the export holds the stored events, not the end marker
    # its save showed, which close() stores.
    folder = palaver.recording.open(rec.folder)
    assert len(palaver.recording.open(exported)) + 1 == len(folder)
    assert folder.events[-1].event_type == "simulation_end"
    untracked = SimulationRecorder(model, output_dir=tmp_path, record_state_changes=False)
    untracked.close()
    assert palaver.recording.open(untracked.folder).initial_states == {}


def test_a_state_holding_text_that_is_not_unicode_makes_a_table(tmp_path: Path) -> None:
    """pandas' and polars' string columns are UTF-8: a field holding a lone
    surrogate (kept as recorded) made agent_states() and model_values() raise
    UnicodeEncodeError; such a column now holds Python objects."""

    class Tagger(mesa.Agent):
        def __init__(self, model: mesa.Model) -> None:
            super().__init__(model)
            self.tag = "a\ud800"
            self.n = 0

        def step(self) -> None:
            self.tag += "\udc00"
            self.n += 1

    class Tags(mesa.Model):
        def __init__(self) -> None:
            super().__init__(seed=1)
            Tagger.create_agents(self, 2)
            self.recorder = SimulationRecorder(self, output_dir=tmp_path)

        def step(self) -> None:
            self.agents.do("step")
            self.recorder.record_model_event("census", {"who": "\ud800", "n": 2})

    model = Tags()
    model.step()
    model.step()
    rec = model.recorder
    rec.close()
    reader = palaver.recording.open(rec.folder)
    for source in (rec, reader):
        table = source.agent_states()
        assert table.loc[(2, 1), "tag"] == "a\ud800\udc00\udc00"
        assert table["n"].dtype == "int64"  # other columns keep their types
        polars_table = source.agent_states(library="polars")
        assert polars_table["tag"].to_list()[-1] == "a\ud800\udc00\udc00"
        assert polars_table["n"].dtype == pl.Int64
        values = source.model_values(event_type="census")
        assert values["who"].tolist() == ["\ud800", "\ud800"]


class Labelled(mesa.Agent):
    """An agent whose own attributes are named like the table's key columns."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.agent_id = f"a{self.unique_id}"
        self.value = 1

    def step(self) -> None:
        self.value += 1


class LabelledModel(mesa.Model):
    def __init__(self, out: Path) -> None:
        super().__init__(seed=1)
        Labelled.create_agents(self, 2)
        self.agent_id = 5  # a model value of that name is no key column of model_values
        self.recorder = SimulationRecorder(self, output_dir=out)

    def step(self) -> None:
        self.agents.do("step")
        self.agent_id += 1


def test_a_field_named_like_a_key_column_gets_its_own_column(tmp_path: Path) -> None:
    # A field 'agent_id' overwrote the agent_id column: the wide tables raised
    # ("All arrays must be of the same length"), the long ones mixed the two.
    model = LabelledModel(tmp_path)
    model.step()
    wide = model.recorder.agent_states()
    assert wide.index.names == ["step", "agent_id"]
    assert wide.loc[(1, 2), "state_agent_id"] == "a2" and wide.loc[(1, 2), "value"] == 2
    polars_wide = model.recorder.agent_states(library="polars")
    assert polars_wide["agent_id"].to_list() == [1, 2, 1, 2]
    assert polars_wide["state_agent_id"].to_list() == ["a1", "a2", "a1", "a2"]
    long = model.recorder.agent_states(layout="long")
    assert set(long["agent_id"]) == {1, 2}
    assert set(long["field"]) == {"pos", "state_agent_id", "value"}
    values = model.recorder.model_values()
    assert values["agent_id"].tolist() == [5, 6]
    assert model.recorder.model_values(library="polars")["agent_id"].to_list() == [5, 6]
    model.recorder.close()


def test_a_private_state_holding_its_step(tmp_path: Path) -> None:
    class Clocked(TripsWorld):
        def get_private_state(self, agent: Any) -> dict[str, Any]:
            return {"step": self.current_step, "agent_id": agent.id}

    world = Clocked(n_steps=2, seed=1)
    recorder = SimulationRecorder(world, output_dir=None)
    for i in range(2):
        world.join(RandomPerson(id=f"p{i}"))
    world.run()
    table = recorder.agent_states()
    assert list(table.columns) == ["state_step", "state_agent_id"]
    assert table.loc[(1, "p0"), "state_step"] == 1
    assert table.loc[(1, "p1"), "state_agent_id"] == "p1"


def test_the_modeller_tables_in_sql(tmp_path: Path) -> None:
    # agent_states() is indexed by step and agent_id, which DuckDB does not read:
    # registering it gave a table without them, and naming the frame in a query
    # failed with only 'Referenced column "step" not found'.
    model = BoltzmannWealth(tmp_path, n=5)
    for _ in range(3):
        model.step()
    model.recorder.close()
    reader = palaver.recording.open(model.recorder.folder)
    states = reader.agent_states()
    with pytest.raises(palaver.recording.QueryError, match=r"reset_index\(\)") as caught:
        reader.sql("SELECT step, sum(wealth) FROM states GROUP BY step")
    assert "indexed by step and agent_id" in str(caught.value)
    reader.register("wealth", states)
    rows = reader.sql("SELECT step, sum(wealth) FROM wealth GROUP BY step ORDER BY step")
    assert rows.fetchall() == [(s, 5) for s in range(4)]
    joined = reader.sql(
        "SELECT count(*) FROM events e JOIN wealth w "
        "ON e.step = w.step AND e.agent_id = CAST(w.agent_id AS VARCHAR) "
        "WHERE e.event_type = 'state_change'"
    ).fetchall()
    changed = [e for e in reader.get_events_by_type("state_change") if e.agent_id is not None]
    assert joined == [(len(changed),)]
    reader.register("richest", reader.model_values())
    assert reader.sql("SELECT step FROM richest ORDER BY step").fetchall() == [
        (s,) for s in range(4)
    ]
    plain = pd.DataFrame({"x": [1, 2]})
    reader.register("plain", plain)
    assert reader.sql("SELECT * FROM plain").fetchall() == [(1,), (2,)]
    with pytest.raises(palaver.recording.QueryError) as other:
        reader.sql("SELECT nothing FROM events")
    assert "reset_index" not in str(other.value)
    reader.close()


def test_state_tables_of_a_standalone_mechanism_are_refused(tmp_path: Path) -> None:
    """A standalone mechanism has negotiators, not agents with a state: the
    tables were empty frames (no rows, no columns, not even the index names),
    which read as "no agents" in a recording of three negotiators."""
    from palaver.mechanisms import SAOMechanism
    from palaver.negotiators import AspirationNegotiator
    from palaver.outcomes import make_issue
    from palaver.preferences import LinearUtilityFunction

    mechanism = SAOMechanism(issues=[make_issue(10, "price")], n_steps=10, seed=1)
    recorder = SimulationRecorder(mechanism, output_dir=tmp_path)
    mechanism.add(AspirationNegotiator(name="seller", ufun=LinearUtilityFunction([1.0])))
    mechanism.add(AspirationNegotiator(name="buyer", ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    mechanism.run()
    recorder.close()
    reader = palaver.recording.open(recorder.folder)
    for source in (recorder, reader):
        with pytest.raises(palaver.recording.QueryError, match="SAOMechanism"):
            source.agent_states()
        with pytest.raises(palaver.recording.QueryError, match="SAOMechanism"):
            source.model_values()
        assert len(source.model_values(event_type="negotiation_ended")) == 1
    assert last_agent_states(reader) is None  # the report shows no state table

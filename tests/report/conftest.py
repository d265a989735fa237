"""Recordings and tournament results the report tests draw (built once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

import palaver.recording as recording
from palaver.examples.trips import build_trips
from palaver.mechanisms import MechanismState
from palaver.negotiators import AspirationNegotiator
from palaver.recording import SimulationRecorder
from palaver.scenarios.generators import anl_scenarios
from palaver.tournaments import Competitor, TournamentConfig, run_tournament
from palaver.tournaments.negotiation import cartesian_tournament


@pytest.fixture(scope="session")
def demo_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's run: a 10-agent, 20-step TripsWorld with seed 1, recorded."""
    out = tmp_path_factory.mktemp("demo")
    recorder = SimulationRecorder(None, output_dir=out)
    build_trips(n_agents=10, n_steps=20, seed=1, recorder=recorder).run()
    recorder.close()
    assert recorder.folder is not None
    return Path(recorder.folder)


@pytest.fixture
def demo_reader(demo_recording: Path) -> recording.RecordingReader:
    with recording.open(demo_recording) as reader:
        yield reader


@pytest.fixture(scope="session")
def trips_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small finished tournament of the TripsWorld's people."""
    out = tmp_path_factory.mktemp("tournament") / "results"
    config = TournamentConfig(
        name="report-trips",
        world="palaver.examples.trips:TripsWorld",
        competitors=[
            Competitor("palaver.examples.trips:RandomPerson", name="random"),
            Competitor("palaver.examples.trips:SmartPerson", name="smart"),
            Competitor(
                "palaver.examples.trips:SmartPerson",
                name="smart-reliable",
                join_params={"breach_prob": 0.0},
            ),
        ],
        lineup_size=2,
        agents_per_competitor=2,
        world_params={"n_steps": 3},
        repetitions=2,
        seed=3,
    )
    run_tournament(config, out, executor="serial", progress=False)
    return out


class Crasher(AspirationNegotiator):
    """Raises on its second proposal (its negotiations end in an error)."""

    def on_negotiation_start(self, state: MechanismState) -> None:
        super().on_negotiation_start(state)
        self.calls = 0

    def propose(self, state: MechanismState) -> tuple | None:
        self.calls += 1
        if self.calls == 2:
            raise RuntimeError("boom in propose")
        return super().propose(state)


@pytest.fixture(scope="session")
def negotiation_league(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small negotiation tournament's folder: three strategies and one that crashes,
    on two generated scenarios, every offer recorded."""
    out = tmp_path_factory.mktemp("negotiation") / "league"
    cartesian_tournament(
        ["boulware", "conceder", "micro", Crasher],
        anl_scenarios(2, n_outcomes=(20, 40), seed=7),
        n_repetitions=1,
        n_steps=20,
        path=out,
        executor="serial",
        seed=1,
        detail="offers",
    )
    return out


@pytest.fixture(scope="session")
def mesa_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Mesa 3 model's recording, mesa-llm style: observations and messages recorded
    by the model, each agent's state changes captured; no negotiation, no contract."""
    mesa = pytest.importorskip("mesa")

    class Forager(mesa.Agent):
        def __init__(self, model: mesa.Model) -> None:
            super().__init__(model)
            self.food = 0

        def step(self) -> None:
            self.food += self.unique_id

    class Field(mesa.Model):
        def __init__(self) -> None:
            super().__init__(seed=3)
            Forager.create_agents(self, 5)

        def step(self) -> None:
            self.agents.do("step")
            for agent in self.agents:
                recorder.record_event("observation", {"food": agent.food}, agent_id=agent.unique_id)
            recorder.record_event("message", "share?", agent_id=1, recipient_ids=[2])

    model = Field()
    recorder = SimulationRecorder(model, output_dir=tmp_path_factory.mktemp("mesa"))
    for _ in range(6):
        model.step()
    recorder.close()
    assert recorder.folder is not None
    return Path(recorder.folder)

"""Test doubles for the recorder tests: a Mesa model and a bare-bus world."""

from __future__ import annotations

from typing import Any

import mesa

from palaver.events import EventBus, EventType


class Walker(mesa.Agent):
    """A Mesa agent with plain public state (``energy``, ``pos_x``) and a reference."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.energy = 0
        self.pos_x = 0
        self.friend: Any = None

    def step(self) -> None:
        self.energy += 1
        if self.unique_id % 2 == 0:
            self.pos_x += 1


class WalkModel(mesa.Model):
    """A Mesa 3 model whose step records a few events per agent through ``recorder``."""

    def __init__(self, n_agents: int = 4, seed: int = 1, max_steps: int | None = None) -> None:
        super().__init__(seed=seed)
        Walker.create_agents(self, n_agents)
        self.recorder: Any = None
        if max_steps is not None:
            self.max_steps = max_steps

    def step(self) -> None:
        self.agents.do("step")
        if self.recorder is not None:
            for agent in self.agents:
                self.recorder.record_event(
                    "observation",
                    {"energy": agent.energy, "seen": [1, 2]},
                    agent_id=agent.unique_id,
                )
            self.recorder.record_event("message", "hello", agent_id=1, recipient_ids=[2, 3])


class Trader:
    """A world agent with one plain public field."""

    def __init__(self) -> None:
        self.wealth = 0


class BusWorld:
    """The part of a Palaver World the recorder relies on: ``bus``, ``current_step``,
    ``n_steps`` and an ``agents`` dict, driven by hand from the tests."""

    def __init__(self, n_steps: int = 3, agents: tuple[str, ...] = ("a", "b")) -> None:
        self.bus = EventBus(run_id="run00001")
        self.current_step = 0
        self.n_steps = n_steps
        self.agents = {a: Trader() for a in agents}

    def start(self) -> None:
        self.bus.emit(
            EventType.SIMULATION_START,
            {
                "world": "BusWorld",
                "name": "w",
                "seed": 7,
                "n_steps": self.n_steps,
                "agents": list(self.agents),
            },
        )

    def step(self, extra: bool = True) -> None:
        bus = self.bus
        bus.step = self.current_step
        bus.emit(EventType.STEP_START, {})
        if extra:
            bus.emit(
                EventType.NEGOTIATION_REQUESTED,
                {
                    "request_id": "r1",
                    "initiator": "a",
                    "partners": ["a", "b"],
                    "issues": ["x"],
                    "mechanism": "SAOMechanism",
                    "annotation": {},
                },
                agent_id="a",
            )
            bus.emit(
                EventType.NEGOTIATION_STARTED, {"mechanism": "SAOMechanism"}, negotiation_id="n1"
            )
            bus.emit(
                EventType.OFFER,
                {"round": 0, "negotiator": "x", "outcome": [1]},
                agent_id="a",
                negotiation_id="n1",
            )
            bus.emit(
                EventType.RESPONSE,
                {"round": 0, "negotiator": "y", "response": "accept", "offer": [1]},
                agent_id="b",
                negotiation_id="n1",
            )
            bus.emit(
                EventType.NEGOTIATION_ENDED,
                {"result": "agreement", "agreement": [1], "rounds": 1, "error": None},
                negotiation_id="n1",
            )
            bus.emit(
                EventType.CONTRACT_SIGNED,
                {"partners": ["a", "b"], "agreement": {"x": 1}},
                contract_id="c1",
            )
            bus.emit(EventType.MESSAGE, {"message": "hi", "recipient_ids": ["b"]}, agent_id="a")
            self.agents["a"].wealth += 1
        bus.emit(EventType.STATS, {"n_contracts": self.current_step, "label": "x"})
        bus.emit(EventType.STEP_END, {})
        self.current_step += 1
        bus.step = self.current_step  # an event source's step is its bus's

    def finish(self, status: str = "completed") -> None:
        self.bus.emit(EventType.SIMULATION_END, {"status": status, "final_step": self.current_step})

"""The roster: the world's agents as the framework keeps them.

It owns what the framework knows about each agent beyond the agent itself:
its stepping priority, whether its ``init`` ran, and its random generator.
The agents dict is the world's own (``world.agents``); the roster only reads it.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from palaver.world.agent import Agent
from palaver.world.clock import RunClock
from palaver.world.guard import Guard

__all__ = ["Roster"]


class Roster:
    """Agents' priorities, initialisation and generators.

    Args:
        agents: The world's agents by id (the world adds to it at ``join``).
        clock: Tells whether the run started (agents joining later are
            initialised at once).
        guard: Calls ``agent.init``.
        seed: The world's seed, from which each agent's generator derives.
    """

    def __init__(
        self, agents: Mapping[str, Agent[Any]], clock: RunClock, guard: Guard, seed: int
    ) -> None:
        self.agents = agents
        self.clock = clock
        self.guard = guard
        self.seed = seed
        #: NegMAS's ``simulation_priority`` of the agents that have one (lower steps first).
        self.priority: dict[str, int] = {}
        self.initialised: set[str] = set()
        self.rngs: dict[str, np.random.Generator] = {}
        #: The ``annotation`` each agent joined with (only those given one).
        self.annotations: dict[str, dict[str, Any]] = {}

    def init(self, agent: Agent[Any]) -> None:
        """Call ``agent.init()`` once. A request or message made in another
        agent's ``init`` initialises its recipients first, so that no agent is
        asked anything before its own ``init`` ran."""
        aid = agent.id
        if aid in self.initialised:
            return
        self.initialised.add(aid)
        if getattr(agent, "_palaver_initialised", False):
            return  # init already ran, through step_() before the agent joined
        self.guard.agent(agent, agent.init)

    def ready(self, agent: Agent[Any]) -> None:
        """Initialise ``agent`` now if the run has started and its ``init`` has not run."""
        if self.clock.started and agent._palaver_id not in self.initialised:
            self.init(agent)

    def joined(
        self, agent: Agent[Any], priority: int, annotation: Mapping[str, Any] | None = None
    ) -> None:
        """``agent`` was added to the world's agents (with its own ``annotation``, if any)."""
        if priority:
            self.priority[agent.id] = priority
        if annotation:
            self.annotations[agent.id] = dict(annotation)
        if self.clock.started:
            self.init(agent)

    def stepping_order(self, rng: np.random.Generator, shuffle: bool) -> list[Agent[Any]]:
        """The agents in the order they step (``AgentSteps``)."""
        agents = list(self.agents.values())
        if shuffle and len(agents) > 1:
            agents = [agents[i] for i in rng.permutation(len(agents))]
        priority = self.priority
        if priority:
            # NegMAS's simulation_priority: lower first; the order within a
            # priority stays as above (stable sort).
            agents.sort(key=lambda a: priority.get(a.id, 0))
        return agents

    def rng(self, agent_id: str) -> np.random.Generator:
        """A generator for one agent, derived from the world's seed and the agent id."""
        rng = self.rngs.get(agent_id)
        if rng is None:
            rng = np.random.default_rng([self.seed, zlib.crc32(agent_id.encode())])
            self.rngs[agent_id] = rng
        return rng

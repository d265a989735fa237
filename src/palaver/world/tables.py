"""NegMAS's tables of the exceptions a run recorded without stopping (a base of ``World``).

Each table is a view of the guard's records (``world.exceptions``), by step or
by agent and by kind.
"""

from __future__ import annotations

from palaver.world.engine import Engine

__all__ = ["ExceptionTables"]


class ExceptionTables:
    """``world.simulation_exceptions``, ``world.n_agent_exceptions``, ... and ``world.times``."""

    _palaver: Engine

    @property
    def times(self) -> dict[str, float]:
        """Wall-clock seconds spent in each agent's callbacks so far, by agent id
        (its negotiators' time inside mechanisms is not included)."""
        return dict(self._palaver.guard.agent_times)

    @property
    def simulation_exceptions(self) -> dict[int, list[str]]:
        """Exceptions the world's own callbacks raised (and were ignored), by step."""
        return self._palaver.guard.by_step("simulation")

    @property
    def mechanism_exceptions(self) -> dict[int, list[str]]:
        """Exceptions mechanisms raised (and were ignored), by step."""
        return self._palaver.guard.by_step("mechanism")

    @property
    def contract_exceptions(self) -> dict[int, list[str]]:
        """Exceptions raised while executing contracts (and ignored), by step."""
        return self._palaver.guard.by_step("contract")

    @property
    def agent_exceptions(self) -> dict[str, list[tuple[int, str]]]:
        """Exceptions agents raised (and were ignored): agent id -> ``(step, text)``
        (a ``defaultdict``: an agent without exceptions reads as ``[]``)."""
        return self._palaver.guard.by_agent("agent")

    @property
    def negotiator_exceptions(self) -> dict[str, list[tuple[int, str]]]:
        """Exceptions agents' negotiators raised (and were ignored): agent -> ``(step, text)``."""
        return self._palaver.guard.by_agent("negotiator")

    @property
    def n_simulation_exceptions(self) -> dict[int, int]:
        """The number of ignored simulation exceptions, by step."""
        return self._palaver.guard.count_by_step("simulation")

    @property
    def n_contract_exceptions(self) -> dict[int, int]:
        """The number of ignored contract-execution exceptions, by step."""
        return self._palaver.guard.count_by_step("contract")

    @property
    def n_mechanism_exceptions(self) -> dict[int, int]:
        """The number of ignored mechanism exceptions, by step."""
        return self._palaver.guard.count_by_step("mechanism")

    @property
    def n_total_simulation_exceptions(self) -> dict[int, int]:
        """Simulation, contract and mechanism exceptions together, by step."""
        return self._palaver.guard.count_by_step("simulation", "contract", "mechanism")

    @property
    def n_agent_exceptions(self) -> dict[str, int]:
        """The number of ignored exceptions each agent raised (its negotiators' aside)."""
        return self._palaver.guard.count_by_agent(self._palaver.roster.agents, "agent")

    @property
    def n_negotiator_exceptions(self) -> dict[str, int]:
        """The number of ignored exceptions each agent's negotiators raised."""
        return self._palaver.guard.count_by_agent(self._palaver.roster.agents, "negotiator")

    @property
    def n_total_agent_exceptions(self) -> dict[str, int]:
        """Agent and negotiator exceptions together, by agent."""
        agents = self._palaver.roster.agents
        return self._palaver.guard.count_by_agent(agents, "agent", "negotiator")

    # ------------------------------------------------------- checkpoints

"""The TripsWorld of the world tutorial, written against NegMAS 0.16.0 (peer side only).

This follows the tutorial's design (issues, quota, forced signing, one-step
execution delay, random no-shows) with the two fixes DESIGN.md names: ``join``
reads the ``preferences`` argument it takes, and the agreement (a dict keyed by
issue name in NegMAS) is turned into an outcome tuple before a utility function
evaluates it. Imported only by ``w2_negmas.py`` in the peer environment.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Collection
from typing import Any

from negmas import LinearUtilityFunction, UtilityFunction, make_issue
from negmas.serialization import to_flat_dict
from negmas.situated import Action, Agent, AgentWorldInterface, Breach, Contract, World

ISSUES = [
    make_issue((0.0, 1.0), "cost"),
    make_issue(2, "active"),
    make_issue((1, 7), "duration"),
]


def as_outcome(agreement: dict[str, Any] | tuple[Any, ...]) -> tuple[Any, ...]:
    """An agreement as an outcome tuple in issue order."""
    if isinstance(agreement, dict):
        return tuple(agreement[issue.name] for issue in ISSUES)
    return tuple(agreement)


class TripsAWI(AgentWorldInterface):
    """The agents' view of the world: quota, the other agents, a short request call."""

    @property
    def n_negs(self) -> int:
        """How many negotiations the agent may start in one step."""
        return self._world.neg_quota_step

    @property
    def agents(self) -> list[str]:
        """The ids of every other agent."""
        return [aid for aid in self._world.agents if aid != self.agent.id]

    def request_negotiation(self, partners: list[str], negotiator: Any) -> bool:
        """Ask the world for a negotiation about the trip with ``partners``."""
        if self.agent.id not in partners:
            partners.append(self.agent.id)
        req_id = self.agent.create_negotiation_request(
            issues=ISSUES,
            partners=partners,
            negotiator=negotiator,
            annotation={},
            extra={"negotiator_id": negotiator.id},
        )
        return self.request_negotiation_about(issues=ISSUES, partners=partners, req_id=req_id)


class TripsWorld(World):
    """People agreeing on holidays; a trip happens only when every partner shows up."""

    ISSUES = ISSUES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["awi_type"] = TripsAWI
        kwargs.setdefault("negotiation_quota_per_step", 8)
        kwargs["force_signing"] = True
        kwargs["default_signing_delay"] = 0
        super().__init__(*args, **kwargs)
        self._contracts: dict[int, list[Contract]] = defaultdict(list)
        self._total_utility: dict[str, float] = defaultdict(float)
        self._ufuns: dict[str, UtilityFunction] = {}
        self._breach_prob: dict[str, float] = {}

    def join(
        self,
        x: Agent,
        preferences: UtilityFunction | None = None,
        breach_prob: float | None = None,
        **kwargs: Any,
    ) -> None:
        """Register an agent with its utility function and no-show probability."""
        super().join(x, **kwargs)
        if preferences is None:
            preferences = LinearUtilityFunction(
                [random.random() - 0.5 for _ in ISSUES], reserved_value=0.0
            )
        x.ufun = preferences
        self._ufuns[x.id] = preferences
        self._breach_prob[x.id] = random.random() * 0.1 if breach_prob is None else breach_prob

    def simulation_step(self, stage: int = 0) -> None:
        """Nothing happens in this world besides negotiations."""

    def get_private_state(self, agent: Agent) -> dict[str, float]:
        """An agent sees its total utility so far."""
        return {"total_utility": self._total_utility[agent.id]}

    def execute_action(
        self, action: Action, agent: Agent, callback: Callable | None = None
    ) -> bool:
        """There are no actions in this world."""
        return False

    def on_contract_signed(self, contract: Contract) -> bool:
        """Schedule the trip for the next step."""
        result = super().on_contract_signed(contract)
        self._contracts[self.current_step + 1].append(contract)
        return result

    def executable_contracts(self) -> Collection[Contract]:
        """The trips agreed in the previous step."""
        return self._contracts[self.current_step]

    def order_contracts_for_execution(
        self, contracts: Collection[Contract]
    ) -> Collection[Contract]:
        """Execute in random order."""
        ordered = list(contracts)
        random.shuffle(ordered)
        return ordered

    def start_contract_execution(self, contract: Contract) -> set[Breach]:
        """Each partner may fail to show up; otherwise everyone gets its utility."""
        breaches = set()
        for aid in contract.partners:
            if random.random() < self._breach_prob[aid]:
                victims = [p for p in contract.partners if p != aid]
                breaches.add(Breach(contract, aid, "breach", victims=victims))
        if breaches:
            return breaches
        outcome = as_outcome(contract.agreement)
        for aid in contract.partners:
            self._total_utility[aid] += self._ufuns[aid](outcome)
        return set()

    def complete_contract_execution(
        self, contract: Contract, breaches: list[Breach], resolution: Contract
    ) -> None:
        """Breaches cannot be resolved here."""

    def delete_executed_contracts(self) -> None:
        """Forget this step's trips."""
        self._contracts.pop(self.current_step, None)

    def contract_record(self, contract: Contract) -> dict[str, Any]:
        """A contract as a flat dict."""
        return to_flat_dict(contract)

    def breach_record(self, breach: Breach) -> dict[str, Any]:
        """A breach as a flat dict."""
        return to_flat_dict(breach)

    def contract_size(self, contract: Contract) -> float:
        """The welfare of a contract."""
        if contract.agreement is None:
            return 0.0
        outcome = as_outcome(contract.agreement)
        return sum(self._ufuns[aid](outcome) for aid in contract.partners)

    def post_step_stats(self) -> None:
        """Track every agent's total utility."""
        for aid, agent in self.agents.items():
            self._stats[f"total_utility_{agent.name}"].append(self._total_utility[aid])


class Person(Agent):
    """Base agent of the TripsWorld: no-op callbacks and a short request-response hook."""

    def init(self) -> None:
        """Nothing to prepare."""

    def step(self) -> None:
        """Subclasses act here."""

    def respond_to_negotiation_request(
        self, initiator: str, partners: list[str], mechanism: Any
    ) -> Any:
        """Return a negotiator to join, or ``None`` to refuse."""
        return None

    def _respond_to_negotiation_request(
        self,
        initiator: str,
        partners: list[str],
        issues: list[Any],
        annotation: dict[str, Any],
        mechanism: Any,
        role: str | None,
        req_id: str | None,
    ) -> Any:
        return self.respond_to_negotiation_request(initiator, partners, mechanism)

    def on_neg_request_rejected(self, req_id: str, by: list[str] | None) -> None:
        """Ignored."""

    def on_neg_request_accepted(self, req_id: str, mechanism: Any) -> None:
        """Ignored."""

    def on_negotiation_failure(
        self, partners: list[str], annotation: dict[str, Any], mechanism: Any, state: Any
    ) -> None:
        """Ignored."""

    def on_negotiation_success(self, contract: Contract, mechanism: Any) -> None:
        """Ignored."""

    def set_renegotiation_agenda(self, contract: Contract, breaches: list[Breach]) -> None:
        """No renegotiation in this world."""

    def respond_to_renegotiation_request(
        self, contract: Contract, breaches: list[Breach], agenda: Any
    ) -> None:
        """No renegotiation in this world."""

    def on_contract_executed(self, contract: Contract) -> None:
        """Ignored."""

    def on_contract_breached(
        self, contract: Contract, breaches: list[Breach], resolution: Contract | None
    ) -> None:
        """Ignored."""

"""The world tutorial's code, verbatim except for its imports and its two bugs.

Changes from the tutorial: imports come from ``palaver``; ``join`` reads its
``preferences`` argument instead of the undefined ``ufun``. (Its second bug,
calling a utility function on a dict agreement, needs no change: Palaver's
utility functions accept dicts keyed by issue name.) Everything else, including
``typing`` aliases and the global ``random`` / ``np.random`` calls, is as written.
"""

# ruff: noqa: UP006, UP035, UP045, SIM118

from __future__ import annotations

import json
import subprocess
import sys
from abc import ABC, abstractmethod
from collections import defaultdict
from pathlib import Path
from random import random, shuffle
from typing import Any, Callable, Collection, Dict, List, Optional, Set

import numpy as np
import pytest

from palaver import (
    Action,
    Agent,
    AgentMechanismInterface,
    AgentWorldInterface,
    AspirationNegotiator,
    Breach,
    Contract,
    Issue,
    LinearUtilityFunction,
    MechanismState,
    Negotiator,
    NegotiatorMechanismInterface,
    Preferences,
    RenegotiationRequest,
    SAONegotiator,
    UtilityFunction,
    World,
    make_issue,
    to_flat_dict,
)


class AWI(AgentWorldInterface):
    @property
    def n_negs(self):
        """Number of negotiations an agent can start in a step (holiday season)"""
        return self._world.neg_quota_step

    @property
    def agents(self):
        """List of all other agent IDs"""
        return list(_ for _ in self._world.agents.keys() if _ != self.agent.id)

    def request_negotiation(self, partners: List[str], negotiator: SAONegotiator) -> bool:
        """A convenient way to request negotiations"""
        if self.agent.id not in partners:
            partners.append(self.agent.id)
        req_id = self.agent.create_negotiation_request(
            issues=self._world.ISSUES,
            partners=partners,
            negotiator=negotiator,
            annotation=dict(),
            extra=dict(negotiator_id=negotiator.id),
        )
        return self.request_negotiation_about(
            issues=self._world.ISSUES, partners=partners, req_id=req_id
        )


class TripsWorld(World):
    ISSUES = [
        make_issue((0.0, 1.0), "cost"),
        make_issue(2, "active"),
        make_issue((1, 7), "duration"),
    ]

    def __init__(self, *args, **kwargs):
        """Initialize the world"""
        kwargs["awi_type"] = AWI
        kwargs["negotiation_quota_per_step"] = kwargs.get("negotiation_quota_per_step", 8)
        kwargs["force_signing"] = True
        kwargs["default_signing_delay"] = 0
        super().__init__(*args, **kwargs)
        self._contracts: Dict[int, List[Contract]] = defaultdict(list)
        self._total_utility: Dict[str, float] = defaultdict(float)
        self._ufuns: Dict[str, UtilityFunction] = dict()
        self._breach_prob: Dict[str, float] = dict()

    def join(
        self,
        x: Agent,
        preferences: Preferences | None = None,
        breach_prob: float | None = None,
        **kwargs,
    ):
        """Define the ufun and breach-probability for each agent"""
        super().join(x, **kwargs)
        weights = np.random.rand(len(self.ISSUES)) - 0.5
        x.ufun = (
            LinearUtilityFunction(weights, reserved_value=0.0)
            if preferences is None
            else preferences
        )
        self._ufuns[x.id] = x.ufun
        self._breach_prob[x.id] = random() * 0.1 if breach_prob is None else breach_prob

    def simulation_step(self, stage: int = 0):
        """What happens in this world? Nothing"""
        pass

    def get_private_state(self, agent: Agent) -> dict:
        """What is the information available to agents? total utility points"""
        return dict(total_utility=self._total_utility[agent.id])

    def execute_action(
        self, action: Action, agent: Agent, callback: Callable | None = None
    ) -> bool:
        """Executing actions by agents? No actions available"""
        pass

    def on_contract_signed(self, contract: Contract) -> None:
        """Save the contract to be executed in the following hoiday season (step)"""
        super().on_contract_signed(contract)
        self._contracts[self.current_step + 1].append(contract)

    def executable_contracts(self):
        """What contracts are to be executed in the current step?
        Ones that were signed the previous step"""
        return self._contracts[self.current_step]

    def order_contracts_for_execution(
        self, contracts: Collection[Contract]
    ) -> Collection[Contract]:
        """What should be the order of contract execution? Random"""
        shuffle(contracts)
        return contracts

    def start_contract_execution(self, contract: Contract) -> Optional[Set[Breach]]:
        """What should happen when a contract comes due?
        1. Find out if it will be breached
        2. If not, add to each agent its utility from the trip
        """
        breaches = []
        for aid in contract.partners:
            if random() < self._breach_prob[aid]:
                breaches.append(
                    Breach(
                        contract,
                        aid,
                        "breach",
                        victims=[_ for _ in contract.partners if _ != aid],
                    )
                )
        if len(breaches) > 0:
            return set(breaches)
        for aid in contract.partners:
            self._total_utility[aid] += self._ufuns[aid](contract.agreement)
        return set()

    def complete_contract_execution(
        self, contract: Contract, breaches: List[Breach], resolution: Contract
    ) -> None:
        """What happens if a breach was resolved? Nothing. They cannot"""
        pass

    def delete_executed_contracts(self) -> None:
        """Removes all contracts for the current step"""
        if self._current_step in self._contracts.keys():
            del self._contracts[self.current_step]

    def contract_record(self, contract: Contract) -> Dict[str, Any]:
        """Convert the contract into a dictionary for saving"""
        return to_flat_dict(contract)

    def breach_record(self, breach: Breach) -> Dict[str, Any]:
        """Convert the breach into a dictionary for saving"""
        return to_flat_dict(breach)

    def contract_size(self, contract: Contract) -> float:
        """How good is a contract? Welfare"""
        if contract.agreement is None:
            return 0.0
        return sum(self._ufuns[aid](contract.agreement) for aid in contract.partners)

    def post_step_stats(self):
        for aid, agent in self.agents.items():
            self._stats[f"total_utility_{agent.name}"].append(self._total_utility[aid])


class Person(Agent, ABC):
    @abstractmethod
    def step(self): ...

    @abstractmethod
    def init(self): ...

    @abstractmethod
    def respond_to_negotiation_request(
        self,
        initiator: str,
        partners: List[str],
        mechanism: NegotiatorMechanismInterface,
    ) -> Optional[Negotiator]: ...

    def _respond_to_negotiation_request(
        self,
        initiator: str,
        partners: List[str],
        issues: List[Issue],
        annotation: Dict[str, Any],
        mechanism: NegotiatorMechanismInterface,
        role: Optional[str],
        req_id: Optional[str],
    ) -> Optional[Negotiator]:
        return self.respond_to_negotiation_request(initiator, partners, mechanism)

    def on_neg_request_rejected(self, req_id: str, by: Optional[List[str]]):
        pass

    def on_neg_request_accepted(self, req_id: str, mechanism: NegotiatorMechanismInterface):
        pass

    def on_negotiation_failure(
        self,
        partners: List[str],
        annotation: Dict[str, Any],
        mechanism: NegotiatorMechanismInterface,
        state: MechanismState,
    ) -> None:
        pass

    def on_negotiation_success(
        self, contract: Contract, mechanism: NegotiatorMechanismInterface
    ) -> None:
        pass

    def set_renegotiation_agenda(
        self, contract: Contract, breaches: List[Breach]
    ) -> Optional[RenegotiationRequest]:
        pass

    def respond_to_renegotiation_request(
        self, contract: Contract, breaches: List[Breach], agenda: RenegotiationRequest
    ) -> Optional[Negotiator]:
        pass

    def on_contract_executed(self, contract: Contract) -> None:
        pass

    def on_contract_breached(
        self, contract: Contract, breaches: List[Breach], resolution: Optional[Contract]
    ) -> None:
        pass


# The tutorial leaves agents to its next part; this one is written in the same
# style (global random(), the AWI's n_negs and agents, AgentMechanismInterface).
class RandomPerson(Person):
    def init(self):
        self.requests_made = 0
        self.executed: List[Contract] = []

    def step(self):
        for _ in range(int(self.awi.n_negs)):
            partner = self.awi.agents[int(random() * len(self.awi.agents))]
            if self.awi.request_negotiation([partner], AspirationNegotiator(ufun=self.ufun)):
                self.requests_made += 1

    def respond_to_negotiation_request(
        self, initiator: str, partners: List[str], mechanism: AgentMechanismInterface
    ) -> Optional[Negotiator]:
        return AspirationNegotiator(ufun=self.ufun)

    def on_contract_executed(self, contract: Contract) -> None:
        self.executed.append(contract)


def run_tutorial(seed: int, **kwargs: Any) -> TripsWorld:
    world = TripsWorld(n_steps=6, seed=seed, **kwargs)
    for i in range(5):
        world.join(RandomPerson(name=f"person{i}"))
    world.run()
    return world


def test_the_tutorial_runs_on_palaver() -> None:
    world = run_tutorial(seed=9)  # a seed whose run has breaches (checked below)
    assert world.status == "completed"
    assert world.awi_type is AWI and world.neg_quota_step == 8
    assert world.signing_config.force_signing
    totals = world.totals
    assert totals["n_negotiations_requested"] == 5 * 8 * 6
    assert totals["n_contracts_signed"] > 0 and totals["n_contracts_executed"] > 0
    assert totals["n_breaches"] > 0  # breach probabilities up to 10% and many trips
    for c in world.saved_contracts:
        assert c.signed_at == c.concluded_at
        assert set(c.agreement) == {"cost", "active", "duration"}
    persons = list(world.agents.values())
    assert all(p.requests_made == 48 for p in persons)
    assert sum(len(p.executed) for p in persons) == 2 * totals["n_contracts_executed"]
    for p in persons:
        series = world.stats[f"total_utility_{p.name}"]
        assert len(series) == 6 and series[-1] == p.awi.state["total_utility"]
    # each person's total utility is the sum of its ufun over its executed trips,
    # evaluated on the dict agreements exactly as the tutorial's code does
    for p in persons:
        expected = sum(world._ufuns[p.id](c.agreement) for c in p.executed)
        assert p.awi.state["total_utility"] == pytest.approx(expected)
    assert any(p.awi.state["total_utility"] != 0 for p in persons)
    contract = world.saved_contracts[0]
    ufun = world._ufuns[contract.partners[0]]
    assert ufun(contract.agreement) == ufun(tuple(contract.agreement.values()))
    breached = {b.contract.id for b in world.saved_breaches}
    assert all(c.id not in breached for p in persons for c in p.executed)
    assert totals["n_contracts_executed"] + totals["n_contracts_breached"] == len(
        [c for c in world.saved_contracts if c.executed_at is not None]
    )


def test_the_tutorial_join_takes_preferences_and_breach_prob() -> None:
    world = TripsWorld(n_steps=4, seed=2)
    liked = LinearUtilityFunction([0.5, 0.2, 0.1], reserved_value=0.0)
    world.join(RandomPerson(name="flaky"), preferences=liked, breach_prob=1.0)
    world.join(RandomPerson(name="steady"), preferences=liked, breach_prob=0.0)
    flaky, steady = world.agents.values()
    assert flaky.ufun is liked and world._breach_prob == {flaky.id: 1.0, steady.id: 0.0}
    world.run()
    # the flaky person never shows up: every trip is breached by it, none executed
    assert world.totals["n_contracts_breached"] > 0
    assert world.totals["n_contracts_executed"] == 0
    assert {b.perpetrator for b in world.saved_breaches} == {flaky.id}
    assert steady.awi.state == {"total_utility": 0.0}


def test_a_tutorial_world_resumes_from_a_checkpoint_in_a_fresh_process(tmp_path: Path) -> None:
    # The tutorial's world draws from the global random generators; a resumed run
    # must restore them too.
    script = f"""
import json, sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from test_tutorial import TripsWorld, run_tutorial

def summary(w):
    return {{"contracts": [[c.id, list(c.partners), c.agreement, c.executed_at]
                           for c in w.saved_contracts],
             "breaches": [[b.perpetrator, b.contract.id] for b in w.saved_breaches],
             "stats": w.stats}}

if sys.argv[1] == "full":
    print(json.dumps(summary(run_tutorial(9, checkpoint_every=2, checkpoint_folder=sys.argv[2],
                                          single_checkpoint=False))))
else:
    w = TripsWorld.from_checkpoint(sys.argv[2])
    w.run()
    print(json.dumps(summary(w)))
"""

    def python(*args: str) -> dict:
        out = subprocess.run(
            [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
        )
        return json.loads(out.stdout)

    full = python("full", str(tmp_path))
    assert full["contracts"] and full["breaches"]
    assert python("resume", str(tmp_path / "000002_world.ckpt")) == full


def test_the_tutorial_is_reproducible_with_a_seed() -> None:
    def fingerprint(world: TripsWorld) -> tuple:
        contracts = [(c.partners, tuple(c.agreement.values())) for c in world.saved_contracts]
        breaches = [(b.perpetrator, b.contract.id) for b in world.saved_breaches]
        return contracts, breaches, world.stats

    assert fingerprint(run_tutorial(3)) == fingerprint(run_tutorial(3))
    assert fingerprint(run_tutorial(3)) != fingerprint(run_tutorial(4))

"""Type-checked with ``mypy --strict`` (not run) by tests/typing/test_typing.py.

A realistic user world, agent and negotiator, written as the guide shows them:
what a user's IDE sees for the framework's properties, the agent's typed AWI and
the negotiator's callbacks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any, assert_type

import numpy as np

from palaver import (
    Action,
    Agent,
    AgentWorldInterface,
    Breach,
    Contract,
    MechanismState,
    ResponseType,
    SAONegotiator,
    World,
)
from palaver.mechanisms import NegotiatorMechanismInterface
from palaver.negotiators import Negotiator
from palaver.world import NegotiationInfo, RunningNegotiationInfo


class ShopAWI(AgentWorldInterface):
    """A world's own interface: one extra, typed method."""

    def price_list(self) -> dict[str, float]:
        """Prices published by the shop."""
        return {"tea": 1.0}


class Haggler(SAONegotiator):
    """Offers the first outcome, accepts anything."""

    def propose(self, state: MechanismState) -> tuple[Any, ...] | None:
        """The first outcome of the space."""
        assert_type(state.step, int)
        return None

    def respond(self, state: MechanismState, offer: tuple[Any, ...]) -> ResponseType:
        """Accept."""
        return ResponseType.ACCEPT_OFFER


class Customer(Agent[ShopAWI]):
    """Reads its world through its typed AWI."""

    def init(self) -> None:
        """Look at the prices once."""
        assert_type(self.awi, ShopAWI)
        assert_type(self.awi.price_list(), dict[str, float])
        assert_type(self.awi.current_step, int)
        assert_type(self.awi.random, np.random.Generator)
        assert_type(self.id, str)

    def step(self) -> None:
        """Nothing per step."""

    def respond_to_negotiation_request(
        self, initiator: str, partners: list[str], mechanism: NegotiatorMechanismInterface
    ) -> Negotiator | None:
        """Haggle with everyone."""
        return Haggler()


class Shop(World[ShopAWI, Customer]):
    """A minimal user world with every abstract callback."""

    def simulation_step(self, stage: int = 0) -> None:
        """Read the documented properties."""
        assert_type(self.current_step, int)
        assert_type(self.agents, dict[str, Customer])
        assert_type(self.neg_quota_step, float)
        assert_type(self.rng, np.random.Generator)
        assert_type(self.relative_time, float)

    def get_private_state(self, agent: Customer) -> dict[str, Any]:
        """Nothing private."""
        return {}

    def execute_action(
        self, action: Action, agent: Customer, callback: Callable[..., Any] | None = None
    ) -> bool:
        """No actions."""
        return False

    def executable_contracts(self) -> Collection[Contract]:
        """Nothing to execute."""
        return []

    def start_contract_execution(self, contract: Contract) -> set[Breach] | None:
        """Always executed."""
        return set()

    def complete_contract_execution(
        self, contract: Contract, breaches: list[Breach], resolution: Contract | None
    ) -> None:
        """Nothing to complete."""

    def delete_executed_contracts(self) -> None:
        """Nothing kept."""

    def contract_record(self, contract: Contract) -> dict[str, Any]:
        """Plain record."""
        return {"id": contract.id}

    def breach_record(self, breach: Breach) -> dict[str, Any]:
        """Plain record."""
        return {"perpetrator": breach.perpetrator}

    def order_contracts_for_execution(
        self, contracts: Collection[Contract]
    ) -> Collection[Contract]:
        """As given."""
        return contracts


world = Shop(n_steps=3, awi_type=ShopAWI, seed=1)
customer = Customer(name="c")
world.join(customer)
assert_type(world.agents[customer.id], Customer)
assert_type(customer.awi, ShopAWI)
world.run()
assert_type(world.stats, dict[str, list[Any]])
assert_type(world.scores(), dict[str, float])
assert_type(world.totals, dict[str, float])
assert_type(world.running_negotiations, list[NegotiationInfo])
assert_type(world.agent_exceptions, dict[str, list[tuple[int, str]]])
assert_type(world.n_total_agent_exceptions, dict[str, int])
assert_type(world.status, str)
assert_type(world.time, float)
assert_type(world.remaining_time, float | None)
assert_type(world.erred_contracts, list[Contract])
assert_type(world.negs_initiated, defaultdict[str, int])
assert_type(customer.running_negotiations, list[RunningNegotiationInfo])
assert_type(customer.awi.unsigned_contracts, list[Contract])
assert_type(customer.reserved_value, float)

if TYPE_CHECKING:
    # A world's class methods return the world's own type.
    assert_type(Shop.from_checkpoint("shop.ckpt"), Shop)
    assert_type(Shop.from_checkpoint("shop.ckpt", return_info=True), tuple[Shop, dict[str, Any]])
    assert_type(Shop.from_config({"n_steps": 3}), Shop)
    assert_type(world.checkpoint("shop.ckpt"), Path)

"""A small world and configurable agents shared by the world tests."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction
from palaver.world import Action, Agent, Breach, Contract, World

ISSUES = [make_issue(5, "price"), make_issue(3, "quantity")]


def buyer_ufun() -> LinearUtilityFunction:
    """Likes low prices and large quantities."""
    return LinearUtilityFunction([-1.0, 2.0], bias=4.0, reserved_value=0.5)


def seller_ufun() -> LinearUtilityFunction:
    """Likes high prices and large quantities."""
    return LinearUtilityFunction([1.0, 2.0], reserved_value=0.5)


class LedgerWorld(World):
    """Contracts are executed the step after signing; listed agents always breach."""

    def __init__(self, breachers: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.due: dict[int, list[Contract]] = defaultdict(list)
        self.breachers = set(breachers)
        self.sim_calls: list[tuple[int, int]] = []
        self.resolutions: list[tuple[str, Contract]] = []
        self.actions: list[tuple[str, Action]] = []
        self.trace: list[str] = []

    def simulation_step(self, stage: int = 0) -> None:
        self.sim_calls.append((self.current_step, stage))
        self.trace.append(f"sim{stage}")

    def get_private_state(self, agent: Agent) -> dict[str, Any]:
        return {"step": self.current_step, "id": agent.id}

    def execute_action(self, action: Action, agent: Agent, callback: Any = None) -> bool:
        self.actions.append((agent.id, action))
        return action.type == "ok"

    def on_contract_signed(self, contract: Contract) -> None:
        super().on_contract_signed(contract)
        self.due[self.current_step + 1].append(contract)

    def executable_contracts(self) -> list[Contract]:
        self.trace.append("exec")
        return self.due.get(self.current_step, [])

    def start_contract_execution(self, contract: Contract) -> set[Breach] | None:
        breaches = {
            Breach(contract, p, "no-show", victims=[q for q in contract.partners if q != p])
            for p in contract.partners
            if p in self.breachers
        }
        return breaches

    def complete_contract_execution(
        self, contract: Contract, breaches: list[Breach], resolution: Contract
    ) -> None:
        self.resolutions.append((contract.id, resolution))

    def delete_executed_contracts(self) -> None:
        self.due.pop(self.current_step, None)

    def contract_size(self, contract: Contract) -> float:
        return 1.0

    def pre_step_stats(self) -> None:
        self.trace.append("pre")

    def post_step_stats(self) -> None:
        self.trace.append("post")
        self._stats["custom"].append(self.current_step)


class Trader(Agent):
    """Requests ``per_step`` negotiations per step with its ``targets`` in turn.

    Accepts requests when ``accept``; records every callback in ``calls``.
    """

    def __init__(
        self,
        targets: list[str] | None = None,
        per_step: int = 0,
        accept: bool = True,
        buyer: bool = True,
        steps: tuple[int, ...] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(ufun=buyer_ufun() if buyer else seller_ufun(), **kwargs)
        self.targets = list(targets or [])
        self.per_step = per_step
        self.accept = accept
        self.steps = steps
        self.calls: list[tuple[Any, ...]] = []
        self.results: list[bool] = []
        self._turn = 0

    def negotiator(self) -> AspirationNegotiator:
        return AspirationNegotiator(ufun=self.ufun)

    def request(self, partners: list[str], **kwargs: Any) -> bool:
        partners = [*partners, self.id]
        req = self.create_negotiation_request(ISSUES, partners, self.negotiator(), {}, {})
        ok = self.awi.request_negotiation_about(ISSUES, partners, req, **kwargs)
        self.results.append(ok)
        return ok

    def init(self) -> None:
        self.calls.append(("init",))

    def step(self) -> None:
        self.calls.append(("step", self.awi.current_step))
        if self.steps is not None and self.awi.current_step not in self.steps:
            return
        for _ in range(self.per_step):
            if not self.targets:
                return
            target = self.targets[self._turn % len(self.targets)]
            self._turn += 1
            self.request([target])

    def respond_to_negotiation_request(self, initiator: str, partners: list[str], mechanism: Any):
        self.calls.append(("respond", initiator))
        return self.negotiator() if self.accept else None

    def on_neg_request_rejected(self, req_id: str, by: list[str] | None) -> None:
        self.calls.append(("rejected", req_id, by))

    def on_neg_request_accepted(self, req_id: str, mechanism: Any) -> None:
        self.calls.append(("accepted", req_id))

    def on_negotiation_success(self, contract: Contract, mechanism: Any) -> None:
        self.calls.append(("success", contract.id))

    def on_negotiation_failure(self, partners, annotation, mechanism, state) -> None:
        self.calls.append(("failure", mechanism.id))

    def on_contracts_finalized(self, signed, cancelled, rejectors) -> None:
        self.calls.append(
            ("finalized", [c.id for c in signed], [c.id for c in cancelled], rejectors)
        )

    def on_contract_executed(self, contract: Contract) -> None:
        self.calls.append(("executed", contract.id))

    def on_contract_breached(self, contract, breaches, resolution) -> None:
        self.calls.append(("breached", contract.id, resolution))

    def named(self, kind: str) -> list[tuple[Any, ...]]:
        return [c for c in self.calls if c[0] == kind]


def pair_world(
    per_step: int = 1,
    n_steps: int = 3,
    seller_accepts: bool = True,
    breachers: tuple[str, ...] = (),
    **kwargs: Any,
) -> tuple[LedgerWorld, Trader, Trader]:
    """A world with a buyer requesting ``per_step`` negotiations per step with a seller."""
    kwargs.setdefault("seed", 7)
    world = LedgerWorld(breachers=breachers, n_steps=n_steps, **kwargs)
    buyer = Trader(targets=["seller"], per_step=per_step, id="buyer")
    seller = Trader(accept=seller_accepts, buyer=False, id="seller")
    world.join(buyer)
    world.join(seller)
    return world, buyer, seller

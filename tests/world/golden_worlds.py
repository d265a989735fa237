"""The worlds behind the golden event traces, and the trace format.

``Bazaar`` is a richer world than the TripsWorld: signing delays, agents that
refuse requests and signatures, quotas, all three breach modes with
renegotiation, actions, messages, user events and periodic checkpoints.

A trace is one compact JSON line per event, wall-clock fields aside (the run id
and the event time are left out, a checkpoint's path is reduced to its file
name, an exception's traceback to its last line).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from palaver.events import Event, ListSink
from palaver.examples.trips import build_trips
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction
from palaver.world import Action, Agent, Breach, Contract, RenegotiationRequest, World

ISSUES = [make_issue(10, "price"), make_issue(4, "quantity")]


class Bazaar(World):
    """Merchants trade; deliveries and payments sometimes fail; stock is bought by actions."""

    def __init__(self, fail_prob: float = 0.3, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fail_prob = fail_prob
        self.due: dict[int, list[Contract]] = defaultdict(list)
        self.stock: dict[str, int] = defaultdict(int)
        self.resolved: list[str] = []

    def simulation_step(self, stage: int = 0) -> None:
        if stage == 0:
            for aid in self.agents:
                self.stock[aid] += 1

    def get_private_state(self, agent: Agent) -> dict[str, Any]:
        return {"stock": self.stock[agent.id]}

    def execute_action(self, action: Action, agent: Agent, callback: Any = None) -> bool:
        if action.type != "restock":
            return False
        n = int(action.params.get("n", 0))
        if n > 2:
            return False
        self.stock[agent.id] += n
        return True

    def on_contract_signed(self, contract: Contract) -> bool:
        result = super().on_contract_signed(contract)
        self.due[self.current_step + 1].append(contract)
        return result is not False

    def executable_contracts(self) -> list[Contract]:
        return self.due.get(self.current_step, [])

    def start_contract_execution(self, contract: Contract) -> set[Breach]:
        buyer, seller = contract.partners[0], contract.partners[1]
        breaches = set()
        if self.rng.random() < self.fail_prob:
            breaches.add(Breach(contract, seller, "no-delivery", victims=[buyer], level=0.5))
        if self.rng.random() < self.fail_prob / 2:
            breaches.add(Breach(contract, buyer, "no-payment", victims=[seller]))
        return breaches

    def complete_contract_execution(
        self, contract: Contract, breaches: list[Breach], resolution: Contract
    ) -> None:
        if resolution is not None:
            self.resolved.append(contract.id)

    def delete_executed_contracts(self) -> None:
        self.due.pop(self.current_step, None)

    def contract_size(self, contract: Contract) -> float:
        agreement = contract.agreement or {}
        return float(agreement.get("price", 0) * agreement.get("quantity", 0))

    #: Add the ``stock_total`` statistic through the tutorial's ``self._stats``.
    track_stock = True

    def post_step_stats(self) -> None:
        if self.track_stock:
            self._stats["stock_total"].append(sum(self.stock.values()))


class Merchant(Agent):
    """A buyer (requests up to three negotiations a step) or a seller (answers them).

    ``shuns``: partners it refuses to negotiate with; ``min_price``: a seller
    refuses to sign below it; a buyer sometimes runs a negotiation at once.
    """

    def __init__(
        self, buyer: bool, shuns: tuple[str, ...] = (), min_price: int = 0, **kwargs: Any
    ) -> None:
        weights = [-1.0, 1.0] if buyer else [1.0, 0.5]
        super().__init__(ufun=LinearUtilityFunction(weights, bias=9.0 if buyer else 0.0), **kwargs)
        self.buyer = buyer
        self.shuns = set(shuns)
        self.min_price = min_price

    def negotiator(self) -> AspirationNegotiator:
        return AspirationNegotiator(ufun=self.ufun)

    def sellers(self) -> list[str]:
        return [a for a in sorted(self.awi._world.agents) if a.startswith("seller")]

    def step(self) -> None:
        rng = self.awi.random
        if rng.random() < 0.5:
            self.awi.execute(Action("restock", {"n": int(rng.integers(0, 4))}))
        if not self.buyer:
            return
        sellers = self.sellers()
        for _ in range(3):
            seller = sellers[int(rng.integers(len(sellers)))]
            partners = [self.id, seller]
            req = self.create_negotiation_request(ISSUES, partners, self.negotiator())
            self.awi.request_negotiation_about(ISSUES, partners, req)
        if self.awi.current_step % 3 == 1:
            seller = sellers[int(rng.integers(len(sellers)))]
            self.awi.run_negotiation(ISSUES, [seller], self.negotiator())

    def respond_to_negotiation_request(
        self, initiator: str, partners: list[str], mechanism: Any
    ) -> Any:
        if initiator in self.shuns:
            return None
        return self.negotiator()

    def sign_all_contracts(self, contracts: list[Contract]) -> list[str | None]:
        return [
            None if (c.agreement or {}).get("price", 0) < self.min_price else self.id
            for c in contracts
        ]

    def set_renegotiation_agenda(
        self, contract: Contract, breaches: list[Breach]
    ) -> RenegotiationRequest | None:
        agreement = contract.agreement or {}
        if any(b.perpetrator == self.id for b in breaches) and self.buyer:
            return None
        price = max(0, int(agreement.get("price", 0)) - 1)
        proposal = {"price": price, "quantity": agreement.get("quantity", 0)}
        return RenegotiationRequest(self.id, ISSUES, {"why": "breach"}, proposal)

    def respond_to_renegotiation_request(
        self, contract: Contract, breaches: list[Breach], agenda: RenegotiationRequest
    ) -> Any:
        if self.awi.current_step % 2 == 0 and not self.buyer:
            return None
        return self.negotiator()

    def on_negotiation_success(self, contract: Contract, mechanism: Any) -> None:
        other = next(p for p in contract.partners if p != self.id)
        if self.buyer:
            self.awi.send_message(other, {"thanks": contract.id})

    def on_message(self, sender: str, message: Any) -> None:
        self.awi.record_event("thanked", {"by": sender, "message": message})


def build_bazaar(
    breach_processing: str,
    seed: int = 11,
    cls: type[Bazaar] = Bazaar,
    seller: type[Merchant] = Merchant,
    **kwargs: Any,
) -> Bazaar:
    """A seeded Bazaar (or ``cls``) with three buyers and three sellers (``seller1``
    a ``seller``)."""
    options: dict[str, Any] = {
        "n_steps": 8,
        "seed": seed,
        "breach_processing": breach_processing,
        "neg_n_steps": 8,
        "negotiation_quota_per_step": 2,
        "default_signing_delay": 1,
        **kwargs,
    }
    world = cls(**options)
    world.join(Merchant(True, id="buyer0"))
    world.join(Merchant(True, id="buyer1"))
    world.join(Merchant(True, id="buyer2"))
    world.join(Merchant(False, shuns=("buyer2",), id="seller0"))
    world.join(seller(False, min_price=4, id="seller1"))
    world.join(Merchant(False, id="seller2"))
    return world


def trace_line(event: Event) -> str:
    """One event as a compact JSON line, wall-clock fields aside."""
    payload = dict(event.payload)
    if event.type == "checkpoint":
        payload["path"] = Path(str(payload["path"])).name
    if event.type == "exception" and "traceback" in payload:
        payload["traceback"] = str(payload["traceback"]).strip().splitlines()[-1:]
    row = [
        event.seq,
        event.step,
        str(event.type),
        event.agent_id,
        event.negotiation_id,
        event.contract_id,
        payload,
    ]
    return json.dumps(row, separators=(",", ":"), sort_keys=True, default=repr)


def run_traced(world: World) -> list[str]:
    """Run ``world`` to its end with a ListSink on its bus; its trace lines."""
    sink = ListSink()
    world.bus.add_sink(sink)
    world.run()
    return [trace_line(e) for e in sink.events]


def golden_run(name: str, folder: Path, **extra: Any) -> World:
    """The seeded world ``name`` whose trace is checked in (checkpoints go under
    ``folder``; ``extra`` options, e.g. a log folder, go to the world)."""
    if name == "trips":
        # seed 5: a run with breaches (seed 1's has none since the default
        # operations became NegMAS's)
        return build_trips(
            n_agents=4, n_steps=5, seed=5, negotiation_quota_per_step=2, neg_n_steps=20, **extra
        )
    if name == "bazaar_none":
        return build_bazaar("NONE", negotiation_speed=3, **extra)
    if name == "bazaar_vtp":
        return build_bazaar(
            "VICTIM_THEN_PERPETRATOR",
            checkpoint_every=3,
            checkpoint_folder=str(folder / "vtp"),
            single_checkpoint=False,
            **extra,
        )
    assert name == "bazaar_meta", name
    return build_bazaar(
        "META_NEGOTIATION",
        seed=5,
        start_negotiations_immediately=True,
        checkpoint_every=4,
        checkpoint_folder=str(folder / "meta"),
        **extra,
    )


def golden_runs(folder: Path) -> dict[str, World]:
    """The seeded worlds whose traces are checked in (checkpoints go under ``folder``)."""
    return {
        name: golden_run(name, folder)
        for name in ("trips", "bazaar_none", "bazaar_vtp", "bazaar_meta")
    }

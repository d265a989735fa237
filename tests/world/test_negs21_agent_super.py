"""A NegMAS-style world agent overrides every callback NegMAS's Agent has and
calls ``super()`` in each; the world runs it, and the agent's preferences
callback is told when its utility function is set or replaced."""

from __future__ import annotations

from typing import Any

from world_helpers import ISSUES, LedgerWorld, buyer_ufun, seller_ufun

from palaver.negotiators import AspirationNegotiator
from palaver.preferences import PreferencesChange, PreferencesChangeType
from palaver.world import Agent, Breach, Contract


class Haggler(Agent):
    """Written as a NegMAS user writes an agent: every callback calls the base's."""

    def __init__(self, *args: Any, partner: str = "", **kwargs: Any) -> None:
        self.heard: list[str] = []
        self.changes: list[PreferencesChangeType] = []
        super().__init__(*args, **kwargs)
        self.partner = partner

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        super().on_preferences_changed(changes)
        self.changes.extend(c.type for c in changes)

    def init(self) -> None:
        super().init()
        self.heard.append("init")

    def step(self) -> None:
        super().step()
        if self.partner and self.awi.current_step < 2:
            partners = [self.id, self.partner]
            negotiator = AspirationNegotiator(ufun=self.ufun)
            req = self.create_negotiation_request(ISSUES, partners, negotiator, {}, {})
            self.awi.request_negotiation_about(ISSUES, partners, req)

    def respond_to_negotiation_request(self, initiator: str, partners: list[str], mechanism: Any):
        super().respond_to_negotiation_request(initiator, partners, mechanism)
        return AspirationNegotiator(ufun=self.ufun)

    def on_neg_request_rejected(self, req_id: str, by: list[str] | None) -> None:
        super().on_neg_request_rejected(req_id, by)
        self.heard.append("rejected")

    def on_neg_request_accepted(self, req_id: str, mechanism: Any) -> None:
        super().on_neg_request_accepted(req_id, mechanism)
        self.heard.append("accepted")

    def on_negotiation_failure(self, partners, annotation, mechanism, state) -> None:  # type: ignore[no-untyped-def]
        super().on_negotiation_failure(partners, annotation, mechanism, state)
        self.heard.append("failure")

    def on_negotiation_success(self, contract: Contract, mechanism: Any) -> None:
        super().on_negotiation_success(contract, mechanism)
        self.heard.append("success")

    def sign_all_contracts(self, contracts: list[Contract]) -> list[str | None]:
        self.heard.append("sign_all")
        return super().sign_all_contracts(contracts)

    def sign_contract(self, contract: Contract) -> str | None:
        self.heard.append("sign")
        return super().sign_contract(contract)

    def on_contracts_finalized(self, signed, cancelled, rejectors) -> None:  # type: ignore[no-untyped-def]
        self.heard.append("finalized")
        super().on_contracts_finalized(signed, cancelled, rejectors)

    def on_contract_signed(self, contract: Contract) -> None:
        super().on_contract_signed(contract)
        self.heard.append("signed")

    def on_contract_cancelled(self, contract: Contract, rejectors: list[str]) -> None:
        super().on_contract_cancelled(contract, rejectors)
        self.heard.append("cancelled")

    def set_renegotiation_agenda(self, contract: Contract, breaches: list[Breach]) -> Any:
        self.heard.append("agenda")
        return super().set_renegotiation_agenda(contract, breaches)

    def respond_to_renegotiation_request(self, contract, breaches, agenda) -> Any:  # type: ignore[no-untyped-def]
        return super().respond_to_renegotiation_request(contract, breaches, agenda)

    def on_contract_executed(self, contract: Contract) -> None:
        super().on_contract_executed(contract)
        self.heard.append("executed")

    def on_contract_breached(self, contract, breaches, resolution) -> None:  # type: ignore[no-untyped-def]
        super().on_contract_breached(contract, breaches, resolution)
        self.heard.append("breached")

    def on_simulation_step_started(self) -> None:
        super().on_simulation_step_started()
        self.heard.append("started")

    def on_simulation_step_ended(self) -> None:
        super().on_simulation_step_ended()
        self.heard.append("ended")

    def on_event(self, event: Any, sender: Any) -> None:
        super().on_event(event, sender)
        self.heard.append(f"event:{event.type}")


def test_a_negmas_style_agent_calling_super_everywhere_runs() -> None:
    world = LedgerWorld(n_steps=4, seed=2, breachers=("b",))
    a = Haggler(id="a", ufun=buyer_ufun(), partner="b")
    b = Haggler(id="b", ufun=seller_ufun())
    world.join(a)
    world.join(b)
    world.register_listener("contract_signed", a)
    world.run()
    assert world.totals["n_contracts_signed"] >= 1
    heard = set(a.heard)
    assert {"init", "accepted", "success", "sign_all", "sign", "finalized", "signed"} <= heard
    assert {"started", "ended", "breached", "event:contract_signed"} <= heard
    assert a.heard.count("started") == a.heard.count("ended") == 4
    # the default sign_all_contracts signs each through sign_contract
    assert a.heard.count("sign") >= a.heard.count("sign_all")


def test_preferences_changes_reach_the_agent_as_in_negmas() -> None:
    agent = Haggler(id="x", ufun=buyer_ufun())
    assert agent.changes == [PreferencesChangeType.Initialization]
    same = agent.ufun
    agent.ufun = same  # the same object: nothing changed
    assert agent.changes == [PreferencesChangeType.Initialization]
    agent.preferences = seller_ufun()
    assert agent.changes[-1] is PreferencesChangeType.General and len(agent.changes) == 2
    late = Haggler(id="y")
    assert late.changes == []
    world = LedgerWorld(n_steps=1, seed=0)
    world.join(late, preferences=buyer_ufun())
    assert late.changes == [PreferencesChangeType.Initialization]


def test_init_by_hand_runs_init_once_in_or_out_of_a_world() -> None:
    alone = Haggler(id="alone")
    alone.init_()
    alone.init_()
    alone.step_()
    assert alone.heard.count("init") == 1
    joined = Haggler(id="joined")
    world = LedgerWorld(n_steps=2, seed=1)
    world.join(joined, ufun=buyer_ufun())
    joined.init_()
    world.run()
    assert joined.heard.count("init") == 1 and joined.initialized

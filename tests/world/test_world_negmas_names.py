"""NegMAS names of agents, AWIs and worlds that NegMAS-style code reads."""

from __future__ import annotations

import math
from typing import Any

import pytest
from world_helpers import ISSUES, LedgerWorld, Trader, pair_world

from palaver.negotiators import AspirationNegotiator
from palaver.preferences import LinearUtilityFunction
from palaver.world import (
    Agent,
    AgentError,
    Breach,
    Contract,
    NegotiationRequestError,
    RunningNegotiationInfo,
)


def test_the_world_sets_the_owner_of_its_negotiators() -> None:
    made: list[AspirationNegotiator] = []

    class Keeping(Trader):
        def negotiator(self) -> AspirationNegotiator:
            made.append(super().negotiator())
            made[-1].private_info["made_by"] = self
            return made[-1]

    world = LedgerWorld(n_steps=1, seed=7)
    buyer = Keeping(targets=["seller"], per_step=1, id="buyer")
    seller = Keeping(buyer=False, id="seller")
    world.join(buyer)
    world.join(seller)
    world.run()
    assert len(made) == 2
    for n in made:
        assert n.owner is n.private_info["made_by"] and n.owner_id == n.owner.id


class MyAgent(Agent):
    pass


class FactoryManagerAgent_X(Agent):
    pass


def test_type_names_uuid_and_reserved_value() -> None:
    a = MyAgent(id="m1", ufun=LinearUtilityFunction([1.0], reserved_value=0.25))
    assert a.type_name == f"{__name__}.MyAgent"
    assert a.short_type_name == "my"
    assert FactoryManagerAgent_X().short_type_name == "x"
    tagged = MyAgent(type_postfix="Z")
    assert (tagged.type_name, tagged.short_type_name) == (f"{__name__}.MyAgentZ", "myz")
    with pytest.raises(TypeError, match=r"type_postfix must be a str; got 3 \(int\)"):
        MyAgent(type_postfix=3)  # type: ignore[arg-type]
    assert a.uuid == "m1"
    a.uuid = "m2"
    assert a.id == "m2" and a.uuid == "m2"
    assert a.reserved_value == 0.25
    assert math.isnan(MyAgent().reserved_value)  # no utility function, as in NegMAS


def test_initialized() -> None:
    world, buyer, _ = pair_world(n_steps=1)
    assert not buyer.initialized
    world.step()
    assert buyer.initialized
    alone = MyAgent(id="alone")
    assert not alone.initialized
    alone.step_()
    assert alone.initialized


def test_running_and_requested_negotiations_of_both_sides() -> None:
    seen: dict[str, Any] = {}

    class Watching(Trader):
        def request(self, partners: list[str], **kwargs: Any) -> bool:
            ok = super().request(partners, **kwargs)
            seen["requested_after"] = self.requested_negotiations
            return ok

        def on_neg_request_accepted(self, req_id: str, mechanism: Any) -> None:
            super().on_neg_request_accepted(req_id, mechanism)
            seen["req_id"] = req_id
            seen["buyer"] = self.running_negotiations
            seen["buyer_awi"] = self.awi.running_negotiations
            seen["seller"] = self.awi._world.agents["seller"].running_negotiations

    class Asked(Trader):
        def respond_to_negotiation_request(
            self, initiator: str, partners: list[str], mechanism: Any
        ) -> Any:
            seen["requested"] = self.awi._world.agents[initiator].requested_negotiations
            return super().respond_to_negotiation_request(initiator, partners, mechanism)

    world = LedgerWorld(n_steps=1, seed=7)
    buyer = Watching(targets=["seller"], per_step=1, id="buyer")
    seller = Asked(buyer=False, id="seller")
    world.join(buyer)
    world.join(seller)
    world.step()
    # Pending while partners are asked; settled once the request call returns.
    [request] = seen["requested"]
    assert request.uuid == seen["req_id"] == request.id and request.requested
    assert request.partners == ["seller", "buyer"]
    assert seen["requested_after"] == [] and buyer.awi.requested_negotiations == []
    [mine] = seen["buyer"]
    assert seen["buyer_awi"] == [mine]
    assert isinstance(mine, RunningNegotiationInfo)
    assert mine.my_request and mine.uuid == seen["req_id"] and mine.extra == {}
    assert mine.negotiator is request.negotiator
    [theirs] = seen["seller"]
    assert not theirs.my_request and theirs.uuid is None
    assert isinstance(theirs.negotiator, AspirationNegotiator)
    assert theirs.negotiator is not mine.negotiator
    # The negotiation ran within the step: nothing is running any more.
    assert buyer.running_negotiations == [] and seller.awi.running_negotiations == []
    assert buyer.accepted_negotiation_requests == []
    assert buyer.awi.accepted_negotiation_requests == []


def test_unsigned_contracts_until_signed() -> None:
    seen: list[tuple[str, list[str], list[str]]] = []

    class Watching(Trader):
        def on_negotiation_success(self, contract: Contract, mechanism: Any) -> None:
            super().on_negotiation_success(contract, mechanism)
            seen.append(
                (
                    contract.id,
                    [c.id for c in self.unsigned_contracts],
                    [c.id for c in self.awi.unsigned_contracts],
                )
            )

    world = LedgerWorld(n_steps=3, seed=7, default_signing_delay=1, force_signing=False)
    buyer = Watching(targets=["seller"], per_step=1, id="buyer", steps=(0,))
    world.join(buyer)
    world.join(Trader(buyer=False, id="seller"))
    assert buyer.unsigned_contracts == [] and MyAgent().unsigned_contracts == []
    world.step()  # the request is made; its negotiation runs in the next step
    world.step()
    # As in NegMAS, a contract joins them after on_negotiation_success.
    [(cid, unsigned, via_awi)] = seen
    assert unsigned == via_awi == []
    assert [c.id for c in buyer.unsigned_contracts] == [cid]  # signed a step later
    assert [c.id for c in buyer.awi.unsigned_contracts] == [cid]
    world.step()
    assert buyer.unsigned_contracts == []
    assert [c.id for c in world.signed_contracts] == [cid]


def test_time_views() -> None:
    world, _, _ = pair_world(n_steps=2, time_limit=1000.0)
    assert (world.time, world.frozen_time, world.total_time) == (0.0, 0.0, 0.0)
    assert world.remaining_time == 1000.0
    world.step()
    first = world.frozen_time
    assert first > 0.0 and world.total_time == first == world.time
    assert world.remaining_time == pytest.approx(1000.0 - first)
    world.step()
    assert world.frozen_time > first and world.time == world.frozen_time  # ended: frozen
    unlimited, _, _ = pair_world(n_steps=1)
    assert unlimited.remaining_time is None


def test_request_counts_and_rounds() -> None:
    world, buyer, _ = pair_world(per_step=2, n_steps=3, negotiation_quota_per_step=1)
    assert world.negs_initiated["buyer"] == 0 and world.neg_requests_sent["buyer"] == 0
    assert math.isnan(world.n_negotiation_rounds_successful)
    assert math.isnan(world.n_negotiation_rounds_failed)
    world.run()
    # Two requests a step, one within the quota: three sent and registered.
    assert buyer.results.count(False) == 3
    assert world.neg_requests_sent == {"buyer": 3} and world.negs_initiated == {"buyer": 3}
    assert world.negs_initiated["seller"] == 0  # any id reads 0, as NegMAS's defaultdict
    rounds = [r.rounds for r in world.saved_negotiations if r.result == "agreement"]
    assert rounds and world.n_negotiation_rounds_successful == pytest.approx(
        sum(rounds) / len(rounds)
    )


def test_failed_rounds_mean() -> None:
    world, _, _ = pair_world(n_steps=3, neg_n_steps=2)  # too short to agree
    world.run()
    failed = [r.rounds for r in world.saved_negotiations if r.result != "agreement"]
    assert failed and world.n_negotiation_rounds_failed == pytest.approx(sum(failed) / len(failed))


class Settling(LedgerWorld):
    """The first contract executed is nullified, the second raises, the others execute."""

    def start_contract_execution(self, contract: Contract) -> set[Breach] | None:
        self.n_started = getattr(self, "n_started", 0) + 1
        if self.n_started == 1:
            return None
        if self.n_started == 2:
            raise RuntimeError("ledger down")
        return super().start_contract_execution(contract)


def test_erred_and_nullified_contracts() -> None:
    world = Settling(n_steps=7, seed=7, ignore_contract_execution_exceptions=True)
    world.join(Trader(targets=["seller"], per_step=1, id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    assert world.erred_contracts == [] and world.nullified_contracts == []
    world.run()
    executed = sorted(
        (
            c
            for c in world.saved_contracts
            if c.executed_at is not None or c.nullified_at is not None
        ),
        key=lambda c: (c.nullified_at if c.executed_at is None else c.executed_at, c.id),
    )
    assert len(executed) >= 3
    assert world.nullified_contracts == [executed[0]]
    assert world.erred_contracts == [executed[1]]
    assert world.totals["n_contracts_nullified"] == world.totals["n_contracts_erred"] == 1


def test_negotiations_view_as_negmas_test_code_reads_it() -> None:
    # NegMAS's own tests step a world round by round and read world._negotiations:
    # running negotiations by id, partners as agents, the mechanism itself.
    world, buyer, seller = pair_world(per_step=2, n_steps=2, negotiation_speed=3)
    assert world._negotiations == {}
    seen: set[str] = set()
    while world.step(n_neg_steps=1):
        view = world._negotiations
        running = {n.id: n for n in world.running_negotiations}
        assert set(view) == set(running)
        for nid, info in view.items():
            seen.add(nid)
            assert info.mechanism.id == nid and info.mechanism.nmi.id == running[nid].mechanism.id
            assert [a.id for a in info.partners] == running[nid].partners
            assert all(a is world.agents[a.id] for a in info.partners)
            assert info.caller is buyer and info.rejectors == [] and info.group is None
            assert info.requested_at == running[nid].requested_at
            assert info.annotation == running[nid].annotation
            assert [i.name for i in info.issues] == [i.name for i in running[nid].issues]
        # NegMAS's test finds an agent's negotiations by its partners' ids, and
        # compares them with its AWI's running_mechanism_dicts.
        mine = {nid for nid, i in view.items() if seller.id in {a.id for a in i.partners}}
        infos = seller.awi.running_mechanism_dicts
        assert mine == set(infos) == set(seller.negotiations) == set(view)
        for nid, info in infos.items():
            assert info.negotiator.id in view[nid].mechanism.negotiator_ids
            view[nid].mechanism.random_outcome()
    played = {r.id for r in world.saved_negotiations if r.started_at is not None}
    assert seen == played and len(played) == 2
    assert world._negotiations == {}  # every negotiation ended with the run


def test_awi_negmas_names_requests_and_initialized() -> None:
    world, buyer, _ = pair_world(per_step=1, n_steps=1)
    assert not buyer.awi.initialized
    req = buyer.create_negotiation_request(ISSUES, ["seller", "buyer"], buyer.negotiator())
    assert [r.id for r in buyer.awi.negotiation_requests] == [req]  # a list, as in NegMAS
    infos = buyer.awi.running_mechanism_dicts
    infos["x"] = None  # type: ignore[assignment]
    assert buyer.awi.running_mechanism_dicts == {}  # a copy
    world.run()
    assert buyer.awi.initialized


def test_negotiations_view_is_a_copy_and_yields_to_a_worlds_own_attribute() -> None:
    world, _, _ = pair_world(per_step=1, n_steps=2, negotiation_speed=1)
    world.step()
    view = world._negotiations
    assert len(view) == 1
    view.clear()
    assert len(world._negotiations) == 1  # a fresh dict on every read
    # A world's own _negotiations (docs/world.md: user attributes) wins and is left alone.
    world._negotiations = {"mine": 1}  # type: ignore[assignment]
    world.run()
    assert world._negotiations == {"mine": 1} and world.status == "completed"


def test_negmas_step_hooks_are_called_around_every_step() -> None:
    # NegMAS calls on_simulation_step_started / _ended on every agent each step;
    # Palaver's Agent had neither, so a NegMAS agent's overrides never ran.
    seen: list[tuple[str, str, int]] = []

    class Hooked(Trader):
        def on_simulation_step_started(self) -> None:
            seen.append(("started", self.id, self.awi.current_step))

        def step(self) -> None:
            seen.append(("step", self.id, self.awi.current_step))
            super().step()

        def on_simulation_step_ended(self) -> None:
            seen.append(("ended", self.id, self.awi.current_step))
            # What it does is counted in this step, and closed with the run.
            self.request(["seller"])

    world = LedgerWorld(n_steps=2, seed=3, shuffle_agents=False)
    world.join(Hooked(targets=["seller"], id="buyer"))
    world.join(Trader(buyer=False, id="seller"))  # does not override them: not called
    world.run()
    assert seen == [
        ("started", "buyer", 0),
        ("step", "buyer", 0),
        ("ended", "buyer", 0),
        ("started", "buyer", 1),
        ("step", "buyer", 1),
        ("ended", "buyer", 1),
    ]
    assert world.stats["n_negotiations_requested"] == [1, 1]
    assert world.running_negotiations == [] and world.totals["n_negotiations_cancelled"] == 1


def test_a_negmas_step_hook_that_raises_is_the_agents_error() -> None:
    class Failing(Trader):
        def on_simulation_step_started(self) -> None:
            raise RuntimeError("no coffee")

    world = LedgerWorld(n_steps=2, seed=3)
    world.join(Failing(id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    with pytest.raises(
        AgentError, match=r"'buyer' raised RuntimeError in on_simulation_step_started"
    ):
        world.run()
    ignored = LedgerWorld(n_steps=2, seed=3, ignore_agent_exceptions=True)
    ignored.join(Failing(id="buyer"))
    ignored.join(Trader(buyer=False, id="seller"))
    ignored.run()
    assert ignored.totals["n_agent_exceptions"] == 2 and ignored.status == "completed"


def test_negmas_world_contract_hooks_concluded_and_cancelled() -> None:
    # NegMAS worlds override on_contract_concluded / on_contract_cancelled (calling
    # super()); Palaver's World had neither, so the overrides never ran.
    events: list[tuple[str, str, int | None]] = []

    class Hooked(LedgerWorld):
        def on_contract_concluded(self, contract: Contract, to_be_signed_at: int) -> None:
            super().on_contract_concluded(contract, to_be_signed_at)
            assert contract.signed_at is None  # called before it is signed
            events.append(("concluded", contract.id, to_be_signed_at))

        def on_contract_cancelled(self, contract: Contract) -> None:
            super().on_contract_cancelled(contract)
            events.append(("cancelled", contract.id, None))

    class Refuser(Trader):
        def sign_all_contracts(self, contracts: list[Contract]) -> None:
            return None

    world = Hooked(n_steps=3, seed=7, default_signing_delay=1)
    world.join(Trader(targets=["seller"], per_step=1, id="buyer"))
    world.join(Refuser(buyer=False, id="seller"))
    world.run()
    concluded = [e for e in events if e[0] == "concluded"]
    cancelled = [e for e in events if e[0] == "cancelled"]
    assert len(concluded) == world.totals["n_contracts_concluded"] > 0
    assert len(cancelled) == world.totals["n_contracts_cancelled"] == len(concluded)
    by_id = {c.id: c for c in world.cancelled_contracts}
    assert all(
        by_id[cid].to_be_signed_at == at == by_id[cid].concluded_at + 1 for _, cid, at in concluded
    )


def test_negmas_request_shapes_group_and_positional_order() -> None:
    # NegMAS's request_negotiation_about takes group= (free text kept with the
    # negotiation): Palaver raised "unexpected keyword argument 'group'". NegMAS's
    # create_negotiation_request takes (issues, partners, annotation, negotiator,
    # extra): Palaver refused the negotiator as an annotation.
    class NegmasStyle(Trader):
        def step(self) -> None:
            if self.awi.current_step:
                return
            negotiator = self.negotiator()
            partners = ["seller", self.id]
            req = self.create_negotiation_request(ISSUES, partners, {"why": "x"}, negotiator, {})
            assert self.negotiation_requests[req].negotiator is negotiator
            assert self.negotiation_requests[req].annotation == {"why": "x"}
            assert self.awi.request_negotiation_about(ISSUES, partners, req, group="spring")

    world = LedgerWorld(n_steps=4, seed=1, negotiation_speed=1)
    world.join(NegmasStyle(id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    world.step()
    world.step()
    [info] = world._negotiations.values()
    assert info.group == "spring"
    world.run()
    _, buyer, _ = pair_world()
    world2 = buyer.awi._world
    world2._palaver.scheduler.start()
    req = buyer.create_negotiation_request(ISSUES, ["seller", "buyer"], buyer.negotiator())
    with pytest.raises(NegotiationRequestError, match=r"group must be a str or None; got 5"):
        buyer.awi.request_negotiation_about(ISSUES, ["seller", "buyer"], req, group=5)  # type: ignore[arg-type]
    assert world2.running_negotiations == []

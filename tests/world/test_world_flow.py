"""The ten-point flow: request, acceptance, mechanism, run, contract, signing, execution."""

from __future__ import annotations

from typing import Any

import pytest
from world_helpers import ISSUES, LedgerWorld, Trader, pair_world

from palaver.mechanisms import SAOMechanism, STVetoMechanism
from palaver.world import (
    DEFAULT_OPERATIONS,
    Agent,
    AgentWorldInterface,
    BulletinBoard,
    NegotiationConfig,
    Operations,
    UnknownMechanismError,
    resolve_mechanism,
)


def test_full_flow_from_request_to_execution() -> None:
    world, buyer, seller = pair_world(per_step=1, n_steps=5)
    world.run()
    assert world.status == "completed"
    assert world.current_step == 5
    assert buyer.named("init") == [("init",)]
    assert [c[1] for c in buyer.named("step")] == [0, 1, 2, 3, 4]
    assert len(seller.named("respond")) == 5
    assert len(buyer.named("accepted")) == 5
    successes = buyer.named("success")
    assert successes and successes == [("success", c[1]) for c in seller.named("success")]
    totals = world.totals
    assert totals["n_negotiations_requested"] == 5
    assert totals["n_negotiations_started"] == 5
    assert totals["n_negotiations_succeeded"] + totals["n_negotiations_failed"] == 5
    assert totals["n_negotiations_cancelled"] == 1  # requested in the last step
    contract = world.saved_contracts[0]
    assert contract.partners == ("seller", "buyer")  # in request order
    assert set(contract.agreement) == {"price", "quantity"}
    assert contract.signed_at == contract.concluded_at + 1  # default_signing_delay=1
    assert ("executed", contract.id) in buyer.calls
    assert world.saved_negotiations[0].result == "agreement"


def test_callbacks_in_order_for_one_negotiation() -> None:
    world, buyer, _seller = pair_world(per_step=1, n_steps=4, force_signing=True)
    world.run()
    kinds = [c[0] for c in buyer.calls if c[0] != "step"]
    first_success = kinds.index("success")
    assert kinds.index("accepted") < first_success < kinds.index("executed")


def test_request_in_last_step_is_cancelled_and_recorded() -> None:
    world, buyer, _ = pair_world(per_step=2, n_steps=1)
    world.run()
    records = world.saved_negotiations
    assert len(records) == 2
    assert {r.result for r in records} == {"cancelled"}
    assert all(r.error == "simulation ended" for r in records)
    assert len(buyer.named("failure")) == 2
    assert world.running_negotiations == []


def test_requests_made_in_init_run_in_step_zero() -> None:
    class Eager(Trader):
        def init(self) -> None:
            self.request(["seller"])

    world = LedgerWorld(n_steps=1, seed=1)
    world.join(Eager(id="buyer"))
    world.join(Trader(id="seller", buyer=False))
    world.run()
    assert world.saved_negotiations[0].started_at == 0


def test_start_negotiations_immediately_runs_inside_the_request() -> None:
    world, _buyer, _ = pair_world(per_step=1, n_steps=1, start_negotiations_immediately=True)
    world.run()
    records = world.saved_negotiations
    assert len(records) == 1 and records[0].result == "agreement"
    assert records[0].started_at == records[0].requested_at == 0


def test_negotiation_speed_spans_steps() -> None:
    world, _, _ = pair_world(per_step=1, n_steps=12, negotiation_speed=2, neg_n_steps=20)
    world.run()
    finished = [r for r in world.saved_negotiations if r.result != "cancelled"]
    assert finished
    spans = [r.ended_at - r.started_at for r in finished]
    assert max(spans) >= 1  # at most 2 rounds per step: several steps per negotiation
    for r in finished:
        assert r.rounds <= 2 * (r.ended_at - r.started_at + 1)
    assert max(world.stats["n_running_negotiations"]) >= 2


def test_acceptance_all_versus_at_least_two() -> None:
    def build(acceptance: str) -> tuple[LedgerWorld, Trader]:
        world = LedgerWorld(n_steps=2, seed=3, acceptance=acceptance)
        a = Trader(id="a")
        world.join(a)
        world.join(Trader(id="b", buyer=False))
        world.join(Trader(id="c", accept=False))
        return world, a

    world, a = build("all")
    world._start()
    assert a.request(["b", "c"]) is False
    assert a.named("rejected")[0][2] == ["c"]

    world, a = build("at_least_two")
    world._start()
    assert a.request(["b", "c"]) is True
    info = world.running_negotiations[0]
    assert sorted(info.partners) == ["a", "b"] and info.rejectors == ["c"]


def test_rejected_request_is_recorded() -> None:
    world, buyer, _ = pair_world(per_step=1, n_steps=2, seller_accepts=False)
    world.run()
    assert buyer.results == [False, False]
    assert buyer.named("rejected")[0][2] == ["seller"]
    assert world.totals["n_negotiations_rejected"] == 2
    assert buyer.negotiation_requests == {}


def test_quota_per_step_refuses_and_records() -> None:
    world, buyer, _ = pair_world(per_step=3, n_steps=2, negotiation_quota_per_step=2)
    world.run()
    assert buyer.results == [True, True, False, True, True, False]
    refused = [c for c in buyer.named("rejected") if c[2] is None]
    assert len(refused) == 2
    assert world.totals["n_negotiations_refused"] == 2
    assert world.neg_quota_step == 2


def test_quota_per_simulation() -> None:
    world, buyer, _ = pair_world(per_step=2, n_steps=3, negotiation_quota_per_simulation=3)
    world.run()
    assert buyer.results == [True, True, True, False, False, False]
    assert world.neg_quota_simulation == 3


def test_mechanism_names_resolve_to_classes() -> None:
    assert resolve_mechanism("SAOMechanism") is SAOMechanism
    assert resolve_mechanism("negmas.sao.SAOMechanism") is SAOMechanism
    assert resolve_mechanism("palaver.mechanisms.SAOMechanism") is SAOMechanism
    assert resolve_mechanism("negmas.st.STVetoMechanism") is STVetoMechanism
    assert resolve_mechanism("palaver.mechanisms.sao.SAOMechanism") is SAOMechanism
    assert resolve_mechanism(SAOMechanism) is SAOMechanism
    for bad in ("NoSuchMechanism", "negmas.sao.Nope", "nowhere.module.Mech", ""):
        with pytest.raises(UnknownMechanismError):
            resolve_mechanism(bad)
    with pytest.raises(UnknownMechanismError):
        LedgerWorld(mechanisms={"Bogus": {}})


def test_world_fixed_mechanism_params_and_requester_choice() -> None:
    seen: list[tuple[str, Any]] = []

    class Watcher(Trader):
        def on_neg_request_accepted(self, req_id: str, mechanism: Any) -> None:
            seen.append((mechanism.mechanism_type, mechanism.n_steps))

    world = LedgerWorld(
        n_steps=1,
        seed=2,
        neg_n_steps=30,
        mechanisms={
            "negmas.sao.SAOMechanism": {"offering_is_accepting": False},
            "negmas.st.STVetoMechanism": {},
        },
    )
    a = Watcher(id="a")
    world.join(a)
    world.join(Trader(id="b", buyer=False))
    world._start()
    assert a.request(["b"])
    assert a.request(["b"], mechanism_name="STVetoMechanism")
    assert seen == [("SAOMechanism", 30), ("STVetoMechanism", 30)]
    mechanisms = [n.mechanism for n in world._negotiations.values()]
    assert mechanisms[0]._offering_is_accepting is False
    with pytest.raises(UnknownMechanismError, match="not allowed"):
        a.request(["b"], mechanism_name="palaver.mechanisms.Mechanism")


def test_run_negotiation_blocks_inside_the_step() -> None:
    results: list[Any] = []

    class Runner(Trader):
        def step(self) -> None:
            contract, nmi = self.awi.run_negotiation(ISSUES, ["seller"], self.negotiator())
            results.append((self.awi.current_step, contract, nmi.state.ended))

    world = LedgerWorld(n_steps=2, seed=4, force_signing=True)
    world.join(Runner(id="buyer"))
    world.join(Trader(id="seller", buyer=False))
    world.run()
    assert [r[0] for r in results] == [0, 1]
    assert all(r[1] is not None and r[2] for r in results)
    assert results[0][1].signed_at == 0
    assert world.totals["n_contracts_executed"] == 1


def test_run_negotiation_refused_returns_none() -> None:
    out: list[Any] = []

    class Runner(Trader):
        def step(self) -> None:
            out.append(self.awi.run_negotiation(ISSUES, ["seller"], self.negotiator()))

    world = LedgerWorld(n_steps=1, seed=4)
    world.join(Runner(id="buyer"))
    world.join(Trader(id="seller", accept=False))
    world.run()
    assert out == [(None, None)]


def test_operations_in_any_order() -> None:
    ops = [Operations.AgentSteps, "Negotiations", "contract_signing", Operations.StatsUpdate]
    world, _, _ = pair_world(per_step=1, n_steps=2, operations=ops, default_signing_delay=0)
    world.run()
    assert world.operations == (
        Operations.AgentSteps,
        Operations.Negotiations,
        Operations.ContractSigning,
        Operations.StatsUpdate,
    )
    # requests wait for the next step: step 1 runs the one made in step 0
    assert world.saved_negotiations[0].started_at == 1
    assert world.sim_calls == []  # no SimulationStep in this order
    assert "exec" not in world.trace
    assert world.trace.count("pre") == 2 and "post" not in world.trace


def test_default_operations_call_simulation_and_stats_stages() -> None:
    world, _, _ = pair_world(per_step=0, n_steps=2)
    world.run()
    assert world.operations == DEFAULT_OPERATIONS
    assert world.sim_calls == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert world.trace[:5] == ["pre", "sim0", "exec", "sim1", "post"]
    assert world.stats["custom"] == [0, 1]
    with pytest.raises(ValueError, match="unknown operation"):
        LedgerWorld(operations=["Dance"])


def test_general_parameters() -> None:
    class MyAWI(AgentWorldInterface):
        def hello(self) -> str:
            return f"hi {self.agent.id}"

    board = BulletinBoard()
    world = LedgerWorld(name="w1", bulletin_board=board, awi_type=MyAWI, info={"k": 1})
    agent = Agent(id="x")
    world.join(agent)
    assert world.name == "w1" and world.info == {"k": 1}
    assert world.bulletin_board is board
    assert agent.awi.hello() == "hi x"
    assert board.read("settings", "world")["n_steps"] == world.n_steps
    assert agent.awi.state == {"step": 0, "id": "x"}
    assert agent.awi.relative_time == 0.0


def test_config_objects_and_flat_keywords_combine() -> None:
    world = LedgerWorld(negotiation=NegotiationConfig(neg_n_steps=7), negotiation_speed=3)
    assert world.negotiation_config.neg_n_steps == 7
    assert world.negotiation_config.negotiation_speed == 3
    with pytest.raises(TypeError, match="did you mean 'neg_n_steps'"):
        LedgerWorld(neg_nsteps=5)
    with pytest.raises(TypeError, match="must be a NegotiationConfig"):
        LedgerWorld(negotiation={"neg_n_steps": 3})
    with pytest.raises(ValueError, match="negotiation_speed"):
        LedgerWorld(negotiation_speed=0)
    with pytest.raises(ValueError, match="acceptance"):
        LedgerWorld(acceptance="most")


def test_actions_messages_and_bulletin_board_through_the_awi() -> None:
    got: list[Any] = []

    class Listener(Agent):
        def on_message(self, sender: str, message: Any) -> None:
            got.append((sender, message))

    world = LedgerWorld()
    a, b = Agent(id="a"), Listener(id="b")
    world.join(a)
    world.join(b)
    from palaver.world import Action

    assert a.awi.execute(Action("ok", {"x": 1})) is True
    assert a.awi.execute(Action("no")) is False
    assert [x[1].type for x in world.actions] == ["ok", "no"]
    a.awi.send_message("b", {"hello": 1})
    assert got == [("a", {"hello": 1})]
    with pytest.raises(ValueError, match="unknown agent"):
        a.awi.send_message("zz", 1)
    key = a.awi.bb_record("offers", {"p": 3})
    assert a.awi.bb_read("offers", key) == {"p": 3}
    assert a.awi.bb_query("offers", lambda k, v: v["p"] > 2) == {key: {"p": 3}}
    assert a.awi.bb_remove("offers", key) and a.awi.bb_read("offers") == {}
    assert world.totals == world.totals  # totals are a copy
    assert world._stats_book.current["n_actions"] == 2


def test_agent_ids_are_assigned_deterministically() -> None:
    world = LedgerWorld()
    first, second = Agent(), Agent(name="bob")
    world.join(first)
    world.join(second)
    assert list(world.agents) == ["Agent0", "Agent1"]
    assert second.name == "bob" and first.name == "Agent0"
    with pytest.raises(AttributeError, match="join"):
        _ = Agent().id

"""The ten-point flow: request, acceptance, mechanism, run, contract, signing, execution."""

from __future__ import annotations

import math
from typing import Any

import pytest
from world_helpers import ISSUES, LedgerWorld, Trader, pair_world

from palaver.events import EventType, ListSink
from palaver.mechanisms import SAOMechanism, STVetoMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.preferences import LinearUtilityFunction
from palaver.world import (
    DEFAULT_OPERATIONS,
    Agent,
    AgentWorldInterface,
    BulletinBoard,
    MechanismParameterError,
    NegotiationConfig,
    Operations,
    UnknownMechanismError,
    WorldParameterError,
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
    assert totals["n_negotiations_accepted"] == 5
    assert totals["n_negotiations_started"] == 4  # the last step's request never ran
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


@pytest.mark.parametrize("speed", [1, 2, 3, None])
def test_negotiation_speed_spans_steps(speed: int | None) -> None:
    world, _, _ = pair_world(per_step=1, n_steps=12, negotiation_speed=speed, neg_n_steps=20)
    world.run()
    records = world.saved_negotiations
    assert len(records) == 12
    for r in records:
        if r.started_at is None:  # requested in the last step, never ran
            assert r.result == "cancelled" and r.rounds == 0 and r.requested_at == 11
            continue
        # Open negotiations are cancelled in the last step (ended_at 11), after it ran.
        steps_run = r.ended_at - r.started_at + 1
        if speed is None:
            assert r.result == "cancelled" or steps_run == 1  # all rounds in one step
        elif r.result == "cancelled":
            assert r.rounds == speed * steps_run  # ran `speed` rounds every step until the end
        else:
            assert steps_run == -(-r.rounds // speed)  # ceil(rounds / speed) steps
    agreements = [r for r in records if r.result == "agreement"]
    if speed == 1:  # 16 rounds needed, 11 steps available: none finishes
        assert agreements == [] and world.stats["n_running_negotiations"] == [
            *range(1, 12),
            0,  # the last step's row is made after the end of the run cancelled the 12 open
        ]
    else:
        assert agreements and all(r.rounds > 2 for r in agreements)


def test_repeated_negotiations_operation_runs_more_rounds_per_step() -> None:
    ops = ["StatsUpdate", "Negotiations", "AgentSteps", "Negotiations", "StatsUpdate"]
    world, _, _ = pair_world(
        per_step=1, n_steps=3, negotiation_speed=1, neg_n_steps=20, operations=ops
    )
    world.run()
    # requested in step 0 during AgentSteps: one round in step 0's second Negotiations
    # operation, two in each of steps 1 and 2
    first = world.saved_negotiations[0]
    assert first.started_at == 0 and first.rounds == 5


def test_start_negotiations_immediately_with_a_speed_runs_the_first_rounds() -> None:
    world, buyer, _ = pair_world(
        per_step=0, n_steps=2, start_negotiations_immediately=True, negotiation_speed=3
    )
    world._palaver.scheduler.start()
    buyer.request(["seller"])
    assert world.running_negotiations[0].mechanism.state.step == 3
    world.run()
    assert world.saved_negotiations[0].started_at == 0


def test_neg_n_steps_bounds_every_negotiation() -> None:
    world, _, _ = pair_world(per_step=1, n_steps=3, neg_n_steps=2)
    world.run()
    finished = [r for r in world.saved_negotiations if r.result != "cancelled"]
    assert finished and all(r.rounds <= 2 for r in finished)
    assert {r.result for r in finished} == {"timeout"}


def test_acceptance_all_versus_at_least_two() -> None:
    def build(acceptance: str) -> tuple[LedgerWorld, Trader]:
        world = LedgerWorld(n_steps=2, seed=3, acceptance=acceptance)
        a = Trader(id="a")
        world.join(a)
        world.join(Trader(id="b", buyer=False))
        world.join(Trader(id="c", accept=False))
        return world, a

    world, a = build("all")
    world._palaver.scheduler.start()
    assert a.request(["b", "c"]) is False
    assert a.named("rejected")[0][2] == ["c"]

    world, a = build("at_least_two")
    world._palaver.scheduler.start()
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
    sink = ListSink()
    world.bus.add_sink(sink)
    world.run()
    assert buyer.results == [True, True, False, True, True, False]
    refused = [c for c in buyer.named("rejected") if c[2] is None]
    assert len(refused) == 2
    assert world.totals["n_negotiations_refused"] == 2
    assert world.neg_quota_step == 2
    events = sink.of_type(EventType.NEGOTIATION_REJECTED)
    assert [(e.step, e.payload["reason"], e.payload["by"]) for e in events] == [
        (0, "quota", None),
        (1, "quota", None),
    ]
    assert [e.payload["request_id"] for e in events] == [c[1] for c in refused]


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
    world._palaver.scheduler.start()
    assert a.request(["b"])
    assert a.request(["b"], mechanism_name="STVetoMechanism")
    assert seen == [("SAOMechanism", 30), ("STVetoMechanism", 30)]
    mechanisms = [n.mechanism for n in world._palaver.desk.active.values()]
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
    assert out == [None]


def test_run_negotiation_without_agreement_returns_none_as_negmas() -> None:
    # NegMAS's AWI.run_negotiation returns None unless there is a contract;
    # the world's own run_negotiation keeps the pair, with the finished nmi.
    out: list[Any] = []

    class Runner(Trader):
        def step(self) -> None:
            out.append(self.awi.run_negotiation(ISSUES, ["seller"], self.negotiator()))
            out.append(self.awi._world.run_negotiation(self, ISSUES, ["seller"], self.negotiator()))

    class Stubborn(Trader):
        def negotiator(self) -> AspirationNegotiator:
            # a reserved value above every outcome's utility: it never accepts
            return AspirationNegotiator(ufun=LinearUtilityFunction([1.0, 2.0], reserved_value=1e9))

    world = LedgerWorld(n_steps=1, seed=4)
    world.join(Runner(id="buyer"))
    world.join(Stubborn(id="seller", buyer=False))
    world.run()
    assert out[0] is None
    contract, nmi = out[1]
    assert contract is None and nmi is not None and nmi.state.ended


def test_run_negotiations_runs_several_to_their_end_inside_the_step() -> None:
    results: list[Any] = []

    class Runner(Trader):
        def step(self) -> None:
            results.append(
                self.awi.run_negotiations(
                    ISSUES,  # one list of issues for both, as NegMAS allows
                    [["seller"], ["other"]],
                    [self.negotiator(), self.negotiator()],
                )
            )

    world = LedgerWorld(n_steps=1, seed=4, force_signing=True)
    world.join(Runner(id="buyer"))
    world.join(Trader(id="seller", buyer=False))
    world.join(Trader(id="other", buyer=False))
    world.run()
    (pairs,) = results
    assert len(pairs) == 2 and all(c is not None and nmi.state.ended for c, nmi in pairs)
    assert {frozenset(c.partners) for c, _ in pairs} == {
        frozenset({"buyer", "seller"}),
        frozenset({"buyer", "other"}),
    }


def test_run_negotiations_all_or_none_cancels_the_accepted_ones() -> None:
    results: list[Any] = []

    class Runner(Trader):
        def step(self) -> None:
            negotiators = [self.negotiator(), self.negotiator()]
            partners = [["seller"], ["refuser"]]
            results.append(
                self.awi.run_negotiations(ISSUES, partners, negotiators, all_or_none=True)
            )
            fresh = [self.negotiator(), self.negotiator()]
            results.append(self.awi.run_negotiations(ISSUES, partners, fresh))

    world = LedgerWorld(n_steps=1, seed=4)
    world.join(Runner(id="buyer"))
    world.join(Trader(id="seller", buyer=False))
    world.join(Trader(id="refuser", buyer=False, accept=False))
    world.run()
    assert results[0] == []
    cancelled = [n for n in world.saved_negotiations if n.result == "cancelled"]
    assert len(cancelled) == 1 and cancelled[0].started_at is None  # accepted, never run
    assert "all_or_none" in str(cancelled[0].error)
    second = results[1]
    assert second[1] == (None, None) and second[0][0] is not None  # without all_or_none


def test_run_negotiations_takes_a_lone_partner_id_as_one_negotiation() -> None:
    # An entry of partners that is one id is that partner, as run_negotiation
    # takes it; list() of the id made the one-letter partners ['s', 'e', ...].
    results: list[Any] = []

    class Runner(Trader):
        def step(self) -> None:
            results.append(
                self.awi.run_negotiations(
                    ISSUES, ["seller", ("other",)], [self.negotiator(), self.negotiator()]
                )
            )

    world = LedgerWorld(n_steps=1, seed=4, force_signing=True)
    world.join(Runner(id="buyer"))
    world.join(Trader(id="seller", buyer=False))
    world.join(Trader(id="other", buyer=False))
    world.run()
    (pairs,) = results
    assert [set(c.partners) for c, _ in pairs] == [{"buyer", "seller"}, {"buyer", "other"}]


def test_run_negotiations_refuses_mismatched_lists() -> None:
    class Runner(Trader):
        def step(self) -> None:
            self.awi.run_negotiations(ISSUES, [["seller"], ["seller"]], [self.negotiator()])

    world = LedgerWorld(n_steps=1, seed=4)
    world.join(Runner(id="buyer"))
    world.join(Trader(id="seller", buyer=False))
    with pytest.raises(Exception, match="one negotiator per negotiation"):
        world.run()


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
    # as in NegMAS, Negotiations runs what AgentSteps just requested, in the same step
    assert world.saved_negotiations[0].started_at == 0
    assert world.sim_calls == []  # no SimulationStep in this order
    assert "exec" not in world.trace
    # as in NegMAS, a step with one StatsUpdate calls post_step_stats only
    assert world.trace.count("post") == 2 and "pre" not in world.trace


def test_default_operations_call_simulation_and_stats_stages() -> None:
    world, _, _ = pair_world(per_step=0, n_steps=2)
    world.run()
    # NegMAS 0.16's default order: signing after the negotiations and again at
    # the end, contracts executed after the agents step, one SimulationStep
    negmas = (
        Operations.StatsUpdate,
        Operations.Negotiations,
        Operations.ContractSigning,
        Operations.AgentSteps,
        Operations.ContractExecution,
        Operations.SimulationStep,
        Operations.ContractSigning,
        Operations.StatsUpdate,
    )
    assert world.operations == DEFAULT_OPERATIONS == negmas
    assert world.sim_calls == [(0, 0), (1, 0)]
    assert world.trace[:4] == ["pre", "exec", "sim0", "post"]
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


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        # The World's own keywords and NegMAS's were not among the suggestions:
        # n_step suggested 'neg_n_steps', seeds and operation nothing.
        ("n_step", "n_steps"),
        ("time_limt", "time_limit"),
        ("seeds", "seed"),
        ("operation", "operations"),
        ("shuffle_agent", "shuffle_agents"),
        ("anotation", "annotation"),
        ("neg_nsteps", "neg_n_steps"),
    ],
)
def test_a_misspelt_keyword_suggests_the_closest_of_every_keyword(typo: str, meant: str) -> None:
    with pytest.raises(TypeError, match=rf"argument '{typo}'; did you mean '{meant}'\?"):
        LedgerWorld(**{typo: 5})


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
    # A list of receivers raised "unhashable type: 'list'".
    with pytest.raises(ValueError, match=r"unknown agent \['b'\]"):
        a.awi.send_message(["b"], 1)  # type: ignore[arg-type]
    # A bad level passed silently while logging went nowhere (it failed inside
    # int() once a log folder was set).
    for level in (None, [1], math.nan, True, "LOUD"):
        with pytest.raises(WorldParameterError, match=r"^level must be a logging level"):
            a.awi.log("m", level)  # type: ignore[arg-type]
    key = a.awi.bb_record("offers", {"p": 3})
    assert a.awi.bb_read("offers", key) == {"p": 3}
    assert a.awi.bb_query("offers", lambda k, v: v["p"] > 2) == {key: {"p": 3}}
    assert a.awi.bb_remove("offers", key) and a.awi.bb_read("offers") == {}
    assert world.totals == world.totals  # totals are a copy
    assert world._palaver.ledger.current["n_actions"] == 2


def test_agent_ids_are_assigned_deterministically() -> None:
    world = LedgerWorld()
    first, second = Agent(), Agent(name="bob")
    world.join(first)
    world.join(second)
    assert list(world.agents) == ["Agent0", "Agent1"]
    assert second.name == "bob" and first.name == "Agent0"
    with pytest.raises(AttributeError, match="join"):
        _ = Agent().id


def test_mechanism_parameters_are_checked_when_the_world_is_built() -> None:
    with pytest.raises(MechanismParameterError, match="did you mean 'offering_is_accepting'") as e:
        LedgerWorld(mechanisms={"negmas.sao.SAOMechanism": {"offering_is_acepting": False}})
    assert "'negmas.sao.SAOMechanism' has no parameter 'offering_is_acepting'" in str(e.value)
    assert isinstance(e.value, TypeError) and isinstance(e.value, ValueError)
    with pytest.raises(MechanismParameterError, match=r"'n_steps' is set by .*neg_n_steps"):
        LedgerWorld(mechanisms={"SAOMechanism": {"n_steps": 5}})
    with pytest.raises(MechanismParameterError, match="parameters must be a dict"):
        LedgerWorld(mechanisms={"SAOMechanism": ["offering_is_accepting"]})
    # the second entry is checked as well as the default one
    with pytest.raises(MechanismParameterError, match="'STVetoMechanism' has no parameter 'x'"):
        LedgerWorld(mechanisms={"SAOMechanism": {}, "STVetoMechanism": {"x": 1}})

    class Picky(SAOMechanism):
        def __init__(self, *, patience: int = 1, **kwargs: Any) -> None:
            if patience < 0:
                raise ValueError(f"patience must be >= 0, got {patience}")
            super().__init__(**kwargs)

    # **kwargs hides the signature: constructing once runs the mechanism's own checks
    with pytest.raises(MechanismParameterError, match=r"'Picky' rejects .*patience must be >= 0"):
        LedgerWorld(mechanisms={Picky: {"patience": -1}})
    with pytest.raises(MechanismParameterError, match=r"'Picky' rejects .*bogus"):
        LedgerWorld(mechanisms={Picky: {"bogus": 1}})
    assert LedgerWorld(mechanisms={Picky: {"patience": 3}}).n_steps == 100


def test_requester_mechanism_params_are_checked_and_applied() -> None:
    world = LedgerWorld(n_steps=1, seed=2)
    a = Trader(id="a")
    world.join(a)
    world.join(Trader(id="b", buyer=False))
    world._palaver.scheduler.start()
    with pytest.raises(MechanismParameterError, match="no parameter 'speedy'"):
        a.request(["b"], mechanism_params={"speedy": True})
    with pytest.raises(MechanismParameterError, match="'seed' is set by the world"):
        a.request(["b"], mechanism_params={"seed": 1})
    # bad ones are not requests
    assert world._palaver.ledger.current["n_negotiations_requested"] == 0
    assert a.request(["b"], mechanism_params={"offering_is_accepting": False})
    assert world._palaver.desk.active["n1"].mechanism._offering_is_accepting is False


def test_operations_run_in_the_given_order_with_repeats() -> None:
    class Tracer(Agent):
        def step(self) -> None:
            self.awi._world.trace.append("agent")

        def sign_all_contracts(self, contracts):
            self.awi._world.trace.append("sign")
            return super().sign_all_contracts(contracts)

    ops = [
        Operations.AgentSteps,
        Operations.SimulationStep,
        Operations.StatsUpdate,
        Operations.ContractExecution,
        Operations.SimulationStep,
        Operations.StatsUpdate,
        Operations.StatsUpdate,
        Operations.AgentSteps,
    ]
    world = LedgerWorld(n_steps=2, seed=1, operations=ops)
    world.join(Tracer(id="t"))
    world.run()
    one_step = ["agent", "sim0", "pre", "exec", "sim1", "post", "post", "agent"]
    assert world.trace == one_step * 2
    assert world.sim_calls == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_order_contracts_for_execution_and_delete_executed_contracts_are_used() -> None:
    class Reversed(LedgerWorld):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.executed: list[str] = []
            self.deleted: list[int] = []

        def order_contracts_for_execution(self, contracts):
            return sorted(contracts, key=lambda c: -int(c.id[1:]))

        def start_contract_execution(self, contract):
            self.executed.append(contract.id)
            return set()

        def delete_executed_contracts(self) -> None:
            self.deleted.append(self.current_step)
            super().delete_executed_contracts()

    world = Reversed(n_steps=3, seed=1, force_signing=True)
    world.join(Trader(targets=["seller"], per_step=3, id="buyer"))
    world.join(Trader(id="seller", buyer=False))
    world.run()
    assert world.deleted == [0, 1, 2] and set(world.due) == {3}  # 3: after the run
    by_step: dict[int, list[str]] = {}
    for c in world.saved_contracts:
        if c.executed_at is not None:
            by_step.setdefault(c.executed_at, []).append(c.id)
    assert by_step
    expected = [
        cid for step in sorted(by_step) for cid in sorted(by_step[step], key=lambda i: -int(i[1:]))
    ]
    assert world.executed == expected


def test_awi_views_of_the_world(tmp_path: Any) -> None:
    seen: list[dict[str, Any]] = []

    class Looker(Trader):
        def step(self) -> None:
            awi = self.awi
            seen.append(
                {
                    "step": awi.current_step,
                    "relative": awi.relative_time,
                    "n_steps": awi.n_steps,
                    "draw": float(awi.random.random()),
                    "negotiations": sorted(self.negotiations),
                    "quota": awi.settings["world"]["negotiation_quota_per_step"],
                }
            )
            awi.logdebug("d")
            awi.logwarning("w")
            awi.logerror("e")
            super().step()

    def run(seed: int) -> list[dict[str, Any]]:
        seen.clear()
        world = LedgerWorld(
            n_steps=4,
            seed=seed,
            negotiation_speed=1,
            negotiation_quota_per_step=3,
            log_folder=str(tmp_path / str(seed)),
            exist_ok=True,  # run(1) runs twice into one folder: the second replaces the first
        )
        world.join(Looker(targets=["seller"], per_step=1, id="buyer"))
        world.join(Trader(id="seller", buyer=False))
        world.run()
        return list(seen)

    first = run(1)
    assert [s["step"] for s in first] == [0, 1, 2, 3]
    assert [s["relative"] for s in first] == [0.0, 0.25, 0.5, 0.75]
    assert {s["n_steps"] for s in first} == {4} and {s["quota"] for s in first} == {3}
    # negotiations requested in earlier steps are running (one round per step)
    assert [s["negotiations"] for s in first] == [[], ["n1"], ["n1", "n2"], ["n1", "n2", "n3"]]
    assert run(1) == first  # the agent's generator is derived from the seed
    assert [s["draw"] for s in run(2)] != [s["draw"] for s in first]
    log = (tmp_path / "1" / "log.txt").read_text()
    assert "[buyer] d" in log and "[buyer] w" in log and "[buyer] e" in log


@pytest.mark.parametrize("shuffle", [True, False])
def test_agents_step_in_a_seeded_random_order_unless_told_not_to(shuffle: bool) -> None:
    def orders(seed: int) -> list[list[str]]:
        order: list[str] = []

        class Stepper(Agent):
            def step(self) -> None:
                order.append(self.id)

        world = LedgerWorld(n_steps=8, seed=seed, shuffle_agents=shuffle)
        for i in range(5):
            world.join(Stepper(id=f"a{i}"))
        world.run()
        return [order[i : i + 5] for i in range(0, 40, 5)]

    first = orders(1)
    assert all(sorted(o) == [f"a{i}" for i in range(5)] for o in first)
    if shuffle:
        assert len({tuple(o) for o in first}) > 1 and orders(1) == first
    else:
        assert first == [[f"a{i}" for i in range(5)]] * 8


def test_a_mechanism_too_small_for_the_partners_is_named_as_the_reason() -> None:
    """Not "negotiator refused to join", which blamed a negotiator that never refused."""
    small = {"SAOMechanism": {"max_n_negotiators": 2}}
    world = LedgerWorld(n_steps=1, seed=2, mechanisms=small)
    sink = ListSink()
    world.bus.add_sink(sink)
    a = Trader(id="a")
    for agent in (a, Trader(id="b", buyer=False), Trader(id="c", buyer=False)):
        world.join(agent)
    world._palaver.scheduler.start()
    assert not a.request(["b", "c"])
    (rejected,) = sink.of_type(EventType.NEGOTIATION_REJECTED)
    assert rejected.payload["reason"] == (
        "mechanism full: SAOMechanism takes at most 2 negotiators (max_n_negotiators=2) "
        "and this negotiation has 3 partners"
    )
    assert a.request(["b"])  # two partners fit


@pytest.mark.parametrize("most", [0, 1])
def test_a_world_mechanism_that_takes_fewer_than_two_negotiators_is_refused(most: int) -> None:
    with pytest.raises(
        MechanismParameterError,
        match=rf"max_n_negotiators must be None or an int >= 2 in a world.*got {most}",
    ):
        LedgerWorld(n_steps=1, mechanisms={"SAOMechanism": {"max_n_negotiators": most}})


def test_run_parameters_are_what_simulation_start_said() -> None:
    world, _, _ = pair_world(per_step=1, n_steps=3)
    sink = ListSink(event_types=[EventType.SIMULATION_START])
    world.bus.add_sink(sink)
    assert world.run_parameters is None  # not started
    world.step()
    said = sink.events[0].payload
    assert world.run_parameters == said and set(said) == {
        "world",
        "name",
        "seed",
        "n_steps",
        "agents",
    }
    world.run_parameters["seed"] = -1  # a copy: the world's own is unchanged
    assert world.run_parameters == said


def test_agent_rng_needs_the_id_of_an_agent_of_the_world() -> None:
    world, buyer, _ = pair_world()
    same = world.agent_rng("buyer").integers(1000, size=3).tolist()
    assert buyer.awi.random is world.agent_rng("buyer") and len(same) == 3
    for wrong in (5, "ghost", None):
        with pytest.raises(WorldParameterError, match=r"agent_rng: agent_id must be .* 'buyer'"):
            world.agent_rng(wrong)  # type: ignore[arg-type]


def test_a_negotiator_failing_to_join_is_named_with_its_error_not_as_refusing() -> None:
    """Ignoring agents' exceptions, the mechanism records a failed join;
    the rejection's reason carries it instead of "negotiator refused to join"."""

    class Failing(AspirationNegotiator):
        def join(self, *args: Any, **kwargs: Any) -> bool:
            raise KeyError("no seat")

    class Refusing(AspirationNegotiator):
        def join(self, *args: Any, **kwargs: Any) -> bool:
            return False

    def reason(negotiator_type: type) -> str:
        class Requester(Trader):
            def negotiator(self) -> AspirationNegotiator:
                return negotiator_type(ufun=self.ufun)  # type: ignore[no-any-return]

        # The world hands its option to the mechanism's ignore_negotiator_exceptions.
        world = LedgerWorld(n_steps=1, seed=2, ignore_agent_exceptions=True)
        sink = ListSink()
        world.bus.add_sink(sink)
        a = Requester(id="a")
        for agent in (a, Trader(id="b", buyer=False)):
            world.join(agent)
        world._palaver.scheduler.start()
        a.request(["b"])
        world.step()
        (rejected,) = sink.of_type(EventType.NEGOTIATION_REJECTED)
        return str(rejected.payload["reason"])

    failed = reason(Failing)
    assert failed.startswith("negotiator failed to join: ") and "no seat" in failed
    assert reason(Refusing) == "negotiator refused to join"

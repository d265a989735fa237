"""Bad input gets a clear error; exceptions are ignored and recorded only when asked."""

from __future__ import annotations

import time
from typing import Any

import pytest
from world_helpers import ISSUES, LedgerWorld, Trader, pair_world

from palaver.events import EventType, ListSink
from palaver.mechanisms import MechanismState
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.world import (
    Agent,
    AgentError,
    Contract,
    MechanismCrashError,
    NegotiationRequestError,
    SimulationError,
)


def test_joining_two_agents_with_the_same_id() -> None:
    world = LedgerWorld()
    a = Agent(id="x")
    world.join(a)
    with pytest.raises(ValueError, match="'x' has already joined"):
        world.join(Agent(id="x"))
    with pytest.raises(ValueError, match="already joined"):
        world.join(a)
    with pytest.raises(TypeError, match="unexpected keyword"):
        world.join(Agent(), colour="red")
    assert list(world.agents) == ["x"]


def test_bad_requests_raise_clear_errors() -> None:
    world, buyer, _ = pair_world()
    world._palaver.scheduler.start()
    with pytest.raises(NegotiationRequestError, match=r"unknown partners \['ghost'\]"):
        buyer.request(["ghost"])
    req = buyer.create_negotiation_request(ISSUES, ["buyer"], buyer.negotiator())
    with pytest.raises(NegotiationRequestError, match="itself alone"):
        buyer.awi.request_negotiation_about(ISSUES, ["buyer"], req)
    with pytest.raises(NegotiationRequestError, match="with nobody"):
        buyer.awi.request_negotiation_about(ISSUES, [], req)
    with pytest.raises(NegotiationRequestError, match="twice"):
        buyer.awi.request_negotiation_about(ISSUES, ["seller", "seller"], req)
    with pytest.raises(NegotiationRequestError, match="roles"):
        buyer.awi.request_negotiation_about(ISSUES, ["seller", "buyer"], req, roles=["x"])
    assert world.running_negotiations == []


def test_issues_that_make_no_outcome_space_are_refused_before_the_request_counts() -> None:
    # Two issues named alike raised OutcomeSpaceError after the request had been
    # counted and emitted: a negotiation_requested that never ended, quota spent.
    world, buyer, _ = pair_world(negotiation_quota_per_step=1)
    sink = ListSink()
    world.bus.add_sink(sink)
    world._palaver.scheduler.start()
    twins = [make_issue(3, "price"), make_issue(4, "price")]
    req = buyer.create_negotiation_request(twins, ["seller", "buyer"], buyer.negotiator())
    with pytest.raises(
        NegotiationRequestError,
        match=r"agent 'buyer': issues \['price', 'price'\] make no outcome space: duplicate "
        "issue name 'price'",
    ):
        buyer.awi.request_negotiation_about(twins, ["seller", "buyer"], req)
    assert [e.type for e in sink.events] == [EventType.SIMULATION_START]
    assert world.totals.get("n_negotiations_requested", 0) == 0
    assert buyer.awi.request_negotiation_about(ISSUES, ["seller", "buyer"], req)  # quota left


def test_an_unknown_partner_error_says_which_agent_was_meant() -> None:
    # An agent made with name= alone joins as '<Class><index>'; asking for a
    # partner by that name said only "unknown partners ['alice']".
    world, buyer, _ = pair_world()
    world.join(Trader(buyer=False, name="alice"))
    world._palaver.scheduler.start()
    [named] = [aid for aid, agent in world.agents.items() if agent.name == "alice"]
    assert named != "alice"
    with pytest.raises(NegotiationRequestError, match="unknown partners") as caught:
        buyer.request(["alice"])
    assert f"'alice' is the name of agent {named!r}: partners are agent ids" in str(caught.value)
    with pytest.raises(NegotiationRequestError, match="did you mean 'seller' for 'sellr'"):
        buyer.request(["sellr"])
    with pytest.raises(NegotiationRequestError, match=r"unknown partners \['ghost'\]$"):
        buyer.request(["ghost"])


def test_bad_world_parameters() -> None:
    for n in (0, -3, 2.5, True):
        with pytest.raises(ValueError, match="n_steps"):
            LedgerWorld(n_steps=n)
    with pytest.raises(ValueError, match="time_limit"):
        LedgerWorld(time_limit=0)
    with pytest.raises(ValueError, match="neg_n_steps=None with neg_time_limit=None"):
        LedgerWorld(neg_n_steps=None)
    with pytest.raises(ValueError, match="default_signing_delay"):
        LedgerWorld(default_signing_delay=-1)


class Crasher(Trader):
    """Raises in the callbacks named in ``crash_in``."""

    def __init__(self, crash_in: set[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.crash_in = crash_in

    def _maybe(self, where: str) -> None:
        if where in self.crash_in:
            raise RuntimeError(f"boom in {where}")

    def step(self) -> None:
        self._maybe("step")
        super().step()

    def respond_to_negotiation_request(self, initiator, partners, mechanism):
        self._maybe("respond")
        return super().respond_to_negotiation_request(initiator, partners, mechanism)

    def on_contract_executed(self, contract: Contract) -> None:
        self._maybe("executed")


@pytest.mark.parametrize("where", ["step", "respond", "executed"])
def test_agent_exception_stops_the_run_by_default(where: str) -> None:
    world = LedgerWorld(n_steps=4, seed=1, force_signing=True)
    world.join(Trader(targets=["c"], per_step=1, id="a"))
    world.join(Crasher({where}, id="c", buyer=False))
    with pytest.raises(AgentError, match="agent 'c' raised RuntimeError") as info:
        world.run()
    assert info.value.agent_id == "c"
    assert isinstance(info.value.__cause__, RuntimeError)
    assert world.status == "error"
    assert world.step() is False


def test_agent_exceptions_ignored_and_recorded() -> None:
    sink = ListSink()
    world = LedgerWorld(n_steps=4, seed=1, ignore_agent_exceptions=True, force_signing=True)
    world.bus.add_sink(sink)
    a = Trader(targets=["c"], per_step=1, id="a")
    world.join(a)
    world.join(Crasher({"respond", "step"}, id="c", buyer=False))
    world.run()
    assert world.status == "completed"
    assert world.totals["n_agent_exceptions"] == 8  # 4 steps + 4 refused requests
    assert all(r is False for r in a.results)
    assert world.exceptions[0]["agent_id"] == "c"
    events = sink.of_type(EventType.EXCEPTION)
    assert len(events) == 8 and events[0].agent_id == "c"
    assert "boom" in events[0].payload["message"] and events[0].payload["traceback"]


def test_request_errors_inside_an_agent_step_are_attributed_to_it() -> None:
    world = LedgerWorld(n_steps=1)
    world.join(Trader(targets=["nobody"], per_step=1, id="a"))
    world.join(Trader(id="b"))
    with pytest.raises(AgentError, match="'a' raised NegotiationRequestError in step"):
        world.run()


class BrokenWorld(LedgerWorld):
    """Its simulation step and contract execution raise."""

    def simulation_step(self, stage: int = 0) -> None:
        raise KeyError("no such road")

    def start_contract_execution(self, contract: Contract):
        raise ZeroDivisionError("bad ledger")


def test_world_callback_exception_stops_the_run_by_default() -> None:
    world = BrokenWorld(n_steps=2)
    with pytest.raises(SimulationError, match="simulation_step raised KeyError"):
        world.run()
    assert world.status == "error"


def test_world_callback_exceptions_ignored_and_recorded() -> None:
    world = BrokenWorld(
        n_steps=4,
        seed=2,
        force_signing=True,
        ignore_simulation_exceptions=True,
        ignore_contract_execution_exceptions=True,
    )
    world.join(Trader(targets=["b"], per_step=1, id="a"))
    world.join(Trader(id="b", buyer=False))
    world.run()
    assert world.status == "completed"
    assert world.totals["n_simulation_exceptions"] == 4  # one SimulationStep in each of 4 steps
    assert world.totals["n_contract_exceptions"] == world.totals["n_contracts_erred"] > 0
    assert world.totals["n_contracts_executed"] == 0


def test_contract_execution_exception_stops_by_default() -> None:
    world = BrokenWorld(n_steps=4, seed=2, force_signing=True, ignore_simulation_exceptions=True)
    world.join(Trader(targets=["b"], per_step=1, id="a"))
    world.join(Trader(id="b", buyer=False))
    with pytest.raises(SimulationError, match="start_contract_execution raised ZeroDivisionError"):
        world.run()


class StatsBreaker(LedgerWorld):
    def post_step_stats(self) -> None:
        raise ValueError("bad stat")


class StatsReplacer(LedgerWorld):
    def post_step_stats(self) -> None:
        super().post_step_stats()
        self._stats["stock"].append(self.current_step)
        self._stats["mood"] = 5  # meant: self._stats["mood"].append(5)


def test_a_statistic_that_is_not_a_list_is_the_stats_hooks_error() -> None:
    # It failed making the step's row with Python's "object of type 'int' has
    # no len()", naming neither the hook nor the key.
    world = StatsReplacer(n_steps=2)
    with pytest.raises(
        SimulationError,
        match=r"post_step_stats raised ValueError: "
        r"self\._stats\['mood'\] is 5 \(int\), not a list",
    ):
        world.run()
    assert world.status == "error"
    safe = StatsReplacer(n_steps=2, safe_stats_monitoring=True)
    safe.run()
    assert safe.status == "completed" and "mood" not in safe.stats
    assert safe.stats["stock"] == [0, 1]  # the well-formed statistic is kept
    assert [e["where"] for e in safe.exceptions] == ["post_step_stats"] * 2


def test_safe_stats_monitoring() -> None:
    with pytest.raises(SimulationError, match="post_step_stats"):
        StatsBreaker(n_steps=1).run()
    world = StatsBreaker(n_steps=2, safe_stats_monitoring=True)
    world.stats_monitors.append(lambda row, w: 1 / 0)
    world.run()
    assert world.status == "completed"
    assert [e["where"] for e in world.exceptions] == ["post_step_stats", "stats monitor"] * 2
    rows: list[dict[str, Any]] = []
    world = LedgerWorld(n_steps=2)
    world.stats_monitors.append(lambda row, w: rows.append(row))
    world.run()
    assert len(rows) == 2 and "n_contracts_signed" in rows[0]


class Slow(AspirationNegotiator):
    def propose(self, state: MechanismState):
        time.sleep(0.02)
        return super().propose(state)


class SlowTrader(Trader):
    def negotiator(self) -> AspirationNegotiator:
        return Slow(ufun=self.ufun)


@pytest.mark.parametrize(
    "limit", ["negotiator_time_limit", "neg_step_time_limit", "neg_time_limit"]
)
def test_negotiator_exceeding_its_time_limit_times_out(limit: str) -> None:
    world = LedgerWorld(n_steps=2, seed=3, **{limit: 0.005})
    world.join(SlowTrader(targets=["b"], per_step=1, id="a"))
    world.join(SlowTrader(id="b", buyer=False))
    world.run()
    record = world.saved_negotiations[0]
    assert record.result == "timeout"
    assert world.totals["n_negotiations_timedout"] == 1


def test_mechanism_exceptions() -> None:
    from palaver.mechanisms import SAOMechanism

    class Exploding(SAOMechanism):
        def step(self) -> MechanismState:
            raise OSError("mechanism broke")

        def run(self) -> MechanismState:
            raise OSError("mechanism broke")

    kwargs = {"n_steps": 2, "seed": 1, "mechanisms": {Exploding: {}}}
    world = LedgerWorld(**kwargs)
    world.join(Trader(targets=["b"], per_step=1, id="a"))
    world.join(Trader(id="b", buyer=False))
    with pytest.raises(MechanismCrashError, match="OSError: mechanism broke"):
        world.run()

    world = LedgerWorld(ignore_mechanism_exceptions=True, **kwargs)
    a = Trader(targets=["b"], per_step=1, id="a")
    world.join(a)
    world.join(Trader(id="b", buyer=False))
    world.run()
    assert world.saved_negotiations[0].result == "error"
    assert world.totals["n_mechanism_exceptions"] == 1
    assert a.named("failure")


def test_time_limit_fires_and_is_recorded(tmp_path) -> None:
    class Sleepy(LedgerWorld):
        def simulation_step(self, stage: int = 0) -> None:
            time.sleep(0.03)

    sink = ListSink()
    world = Sleepy(n_steps=1000, time_limit=0.1, log_folder=str(tmp_path))
    world.bus.add_sink(sink)
    world.join(Trader(targets=["b"], per_step=1, id="a"))
    world.join(Trader(id="b", buyer=False))
    world.run()
    assert world.status == "timed_out" and world.timed_out
    assert 0 < world.current_step < 1000
    end = sink.of_type(EventType.SIMULATION_END)[0]
    assert end.payload == {"status": "timed_out", "final_step": world.current_step}
    assert all(
        r.result in ("agreement", "failure", "timeout", "cancelled")
        for r in world.saved_negotiations
    )
    assert any(r.error == "time limit" for r in world.saved_negotiations)
    assert world.totals["n_negotiations_cancelled"] >= 1
    log = (tmp_path / "log.txt").read_text()
    assert f"ended: timed_out at step {world.current_step}" in log
    assert world.step() is False  # a timed-out run stays ended


def test_bad_save_and_logging_values() -> None:
    with pytest.raises(ValueError, match="max_saved"):
        LedgerWorld(max_saved=0)
    with pytest.raises(ValueError, match="log_stats_every must be an int"):
        LedgerWorld(log_stats_every=2.0)


@pytest.mark.parametrize("option", ["checkpoint_every", "log_stats_every"])
def test_a_period_of_zero_or_less_means_never_as_negmas_documents(option: str) -> None:
    """NegMAS's tutorial: checkpoint_every "set to <= 0 to disable"."""
    world = LedgerWorld(**{option: -1}, n_steps=2)
    config = world.checkpoint_config if option == "checkpoint_every" else world.logging_config
    assert getattr(config, option) == 0
    world.run()
    assert world.status == "completed"


def test_a_failing_stats_write_stops_the_run_unless_stats_monitoring_is_safe(tmp_path) -> None:
    def world(folder, **kwargs: Any) -> LedgerWorld:
        folder.mkdir()
        # A folder where the stats file should go: only writing stats fails.
        (folder / "stats.jsonl").mkdir()
        return LedgerWorld(n_steps=3, log_folder=str(folder), log_stats_every=1, **kwargs)

    with pytest.raises(SimulationError, match="writing stats"):
        world(tmp_path / "strict").run()
    safe = world(tmp_path / "safe", safe_stats_monitoring=True)
    safe.run()
    assert safe.status == "completed"
    assert [e["where"] for e in safe.exceptions] == ["writing stats"] * 4


def test_a_world_or_agent_whose_init_skipped_super_says_so() -> None:
    """Not "'Mine' object has no attribute 'agents'" (or '_palaver_id'), which
    named a framework attribute the user never wrote."""
    from palaver.world import Agent

    class Mine(LedgerWorld):
        def __init__(self, **kwargs: Any) -> None:
            self.mine = kwargs

    with pytest.raises(AttributeError, match=r"'agents': its __init__ did not call super"):
        Mine(n_steps=2).join(Trader(id="a"))
    with pytest.raises(
        AttributeError, match=r"did not call super\(\)\.__init__\(\.\.\.\) \(World's\)"
    ):
        Mine(n_steps=2).run()

    class Forgetful(Agent):
        def __init__(self, budget: int) -> None:
            self.budget = budget

    world = LedgerWorld(n_steps=1)
    with pytest.raises(TypeError, match=r"join\(Forgetful\): .* must call super\(\)\.__init__"):
        world.join(Forgetful(3))
    assert world.agents == {}
    with pytest.raises(AttributeError, match=r"^'LedgerWorld' object has no attribute 'nope'$"):
        world.nope  # noqa: B018 - a set-up world's missing attribute: the plain message

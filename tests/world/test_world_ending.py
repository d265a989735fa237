"""However a run ends, every request, negotiation and contract ends in a recorded state."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from world_helpers import LedgerWorld, Trader

from palaver.events import EventType, ListSink
from palaver.mechanisms import MechanismState, SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.world import (
    AgentError,
    Contract,
    MechanismCrashError,
    SimulationError,
)

CONTRACT_ENDS = {
    EventType.CONTRACT_EXECUTED,
    EventType.CONTRACT_BREACHED,
    EventType.CONTRACT_NULLIFIED,
    EventType.CONTRACT_ERRED,
    EventType.CONTRACT_UNEXECUTED,
}


def assert_everything_closed(sink: ListSink, world: LedgerWorld) -> None:
    """Each request, negotiation and contract seen on the bus reached a terminal event."""
    events = sink.events
    kinds = Counter(e.type for e in events)
    assert kinds[EventType.NEGOTIATION_REQUESTED] == (
        kinds[EventType.NEGOTIATION_ACCEPTED] + kinds[EventType.NEGOTIATION_REJECTED]
    )
    accepted = {e.negotiation_id for e in sink.of_type(EventType.NEGOTIATION_ACCEPTED)}
    ended = Counter(e.negotiation_id for e in sink.of_type(EventType.NEGOTIATION_ENDED))
    assert all(ended[nid] == 1 for nid in accepted), "a negotiation never ended (or twice)"
    by_contract: dict[str, list[str]] = {}
    for e in events:
        if e.contract_id is not None and e.type.startswith("contract_"):
            by_contract.setdefault(e.contract_id, []).append(e.type)
    for cid, types in by_contract.items():
        last = types[-1]
        assert last in CONTRACT_ENDS or last == EventType.CONTRACT_CANCELLED, (cid, types)
    assert events[-1].type == EventType.SIMULATION_END
    assert events[-1].payload == {"status": world.status, "final_step": world.current_step}
    assert world.running_negotiations == []
    assert world._palaver.book.unsigned == [] and world._palaver.book.pending == {}
    assert all(not a.negotiations and not a.negotiation_requests for a in world.agents.values())
    t = world.totals
    assert t["n_negotiations_requested"] == (
        t["n_negotiations_refused"] + t["n_negotiations_rejected"] + t["n_negotiations_accepted"]
    )
    assert t["n_negotiations_accepted"] == (
        t["n_negotiations_succeeded"] + t["n_negotiations_failed"]
    )
    assert t["n_negotiations_started"] == kinds[EventType.NEGOTIATION_STARTED]
    assert t["n_contracts_concluded"] == (
        t["n_contracts_signed"] + t["n_contracts_cancelled"] + len(world._palaver.book.unsigned)
    )
    assert t["n_contracts_signed"] == (
        t["n_contracts_executed"]
        + t["n_contracts_breached"]
        + t["n_contracts_unexecuted"]
        + t["n_contracts_erred"]
        + t["n_contracts_nullified"]
    )


class Bomb(Trader):
    """Raises ``error`` in the callback ``where`` from step ``at`` on."""

    def __init__(self, where: str, at: int = 0, error: BaseException | None = None, **kw: Any):
        super().__init__(**kw)
        self.where, self.at = where, at
        self.error = error if error is not None else RuntimeError(f"boom in {where}")

    def _maybe(self, where: str) -> None:
        if where == self.where and self.awi.current_step >= self.at:
            raise self.error

    def step(self) -> None:
        self._maybe("step")
        super().step()

    def respond_to_negotiation_request(self, initiator, partners, mechanism):
        self._maybe("respond")
        return super().respond_to_negotiation_request(initiator, partners, mechanism)

    def sign_all_contracts(self, contracts: list[Contract]) -> list[str | None]:
        self._maybe("sign")
        return super().sign_all_contracts(contracts)

    def on_negotiation_failure(self, partners, annotation, mechanism, state) -> None:
        self._maybe("failure")
        super().on_negotiation_failure(partners, annotation, mechanism, state)

    def negotiator(self) -> AspirationNegotiator:
        if self.where != "negotiator":
            return super().negotiator()
        bomb = self

        class Exploding(AspirationNegotiator):
            def propose(self, state: MechanismState):
                if bomb.awi.current_step >= bomb.at:
                    raise bomb.error
                return super().propose(state)

        return Exploding(ufun=self.ufun)


def busy_world(
    bomb: Trader, tmp_path: Path, world_cls: type = LedgerWorld, **kwargs: Any
) -> tuple[LedgerWorld, ListSink, Trader]:
    """Requests every step, negotiations spanning steps, signing delayed one step:
    at any step there are open negotiations, unsigned and signed-unexecuted contracts."""
    options: dict[str, Any] = {
        "n_steps": 12,
        "seed": 5,
        "negotiation_speed": 4,
        "neg_n_steps": 20,
        "default_signing_delay": 1,
        "log_folder": str(tmp_path),
    }
    options.update(kwargs)
    world = world_cls(**options)
    sink = ListSink()
    world.bus.add_sink(sink)
    buyer = Trader(targets=["seller"], per_step=2, id="buyer")
    world.join(buyer)
    world.join(bomb)
    return world, sink, buyer


def _file_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.open()] if path.exists() else []


@pytest.mark.parametrize(
    ("where", "error_type"),
    [
        ("step", AgentError),
        ("respond", AgentError),
        ("sign", AgentError),
        ("negotiator", AgentError),
        ("failure", AgentError),
    ],
)
def test_an_agent_error_closes_everything_before_it_propagates(
    where: str, error_type: type, tmp_path: Path
) -> None:
    # "failure" only fires when the run ends and cancels negotiations; the others mid-run
    at = 0 if where == "failure" else 6
    bomb = Bomb(where, at=at, id="seller", buyer=False)
    world, sink, buyer = busy_world(bomb, tmp_path)
    with pytest.raises(error_type, match="boom"):
        world.run()
    assert world.status == "error" and world.step() is False
    assert_everything_closed(sink, world)
    run_error = [e for e in sink.of_type(EventType.EXCEPTION) if e.payload["where"] == "run"]
    assert len(run_error) == 1 and "boom" in run_error[0].payload["message"]
    # closed on record, not by calling agents back: the buyer heard of no cancellation
    cancelled = {
        e.negotiation_id
        for e in sink.of_type(EventType.NEGOTIATION_ENDED)
        if e.payload["error"] == "simulation error"
    }
    assert not cancelled & {c[1] for c in buyer.named("failure")}
    # the files tell the same story as the events
    contracts = _file_lines(tmp_path / "contracts.jsonl")
    concluded = {e.contract_id for e in sink.of_type(EventType.CONTRACT_CONCLUDED)}
    assert {c["id"] for c in contracts} == concluded
    negotiations = _file_lines(tmp_path / "negotiations.jsonl")
    assert {n["id"] for n in negotiations} == {
        e.negotiation_id for e in sink.of_type(EventType.NEGOTIATION_ACCEPTED)
    }
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert len(stats["n_negotiations_requested"]) == world.current_step


def test_a_mid_run_error_leaves_open_work_of_every_kind_closed(tmp_path: Path) -> None:
    # at=7, not 6: contracts are executed after the agents step (NegMAS's
    # order), so step 6's would not be executed before the error stops the run.
    world, sink, _ = busy_world(Bomb("step", at=7, id="seller", buyer=False), tmp_path)
    with pytest.raises(AgentError):
        world.run()
    t = world.totals
    # the scenario really had each kind of open work when the error hit
    assert t["n_negotiations_cancelled"] > 0
    assert t["n_contracts_unexecuted"] > 0
    assert any(
        e.payload["reason"] == "simulation error before signing"
        for e in sink.of_type(EventType.CONTRACT_CANCELLED)
    )
    records = {r.result for r in world.saved_negotiations}
    assert {"agreement", "cancelled"} <= records
    statuses = {c["status"] for c in _file_lines(tmp_path / "contracts.jsonl")}
    assert {"executed", "cancelled", "unexecuted"} <= statuses


def test_a_negotiator_error_ends_its_negotiation_as_error(tmp_path: Path) -> None:
    world, sink, _ = busy_world(Bomb("negotiator", at=3, id="seller", buyer=False), tmp_path)
    with pytest.raises(AgentError, match="'seller'"):
        world.run()
    errors = [r for r in world.saved_negotiations if r.result == "error"]
    assert len(errors) == 1 and "boom" in errors[0].error
    assert_everything_closed(sink, world)


def test_a_partner_error_while_asked_leaves_the_request_rejected(tmp_path: Path) -> None:
    world, sink, buyer = busy_world(Bomb("respond", at=2, id="seller", buyer=False), tmp_path)
    with pytest.raises(
        AgentError, match="'seller' raised RuntimeError in respond_to_negotiation_request"
    ):
        world.run()
    last = sink.of_type(EventType.NEGOTIATION_REJECTED)[-1]
    assert last.payload["reason"] == "error" and last.payload["by"] == ["seller"]
    assert buyer.negotiation_requests == {}


def test_a_mechanism_crash_closes_everything(tmp_path: Path) -> None:
    class Fragile(SAOMechanism):
        def step(self) -> MechanismState:
            if self.state.step >= 9:
                raise OSError("mechanism broke")
            return super().step()

    world, sink, _ = busy_world(
        Trader(id="seller", buyer=False), tmp_path, mechanisms={Fragile: {}}
    )
    with pytest.raises(MechanismCrashError, match="mechanism broke"):
        world.run()
    assert [r.result for r in world.saved_negotiations].count("error") == 1
    assert_everything_closed(sink, world)


class Collapsing(LedgerWorld):
    """Its simulation raises at step 5, or its contract execution at step 6."""

    def __init__(self, broken: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.broken = broken

    def simulation_step(self, stage: int = 0) -> None:
        if self.broken == "simulation" and self.current_step == 5:
            raise KeyError("no such road")

    def start_contract_execution(self, contract: Contract):
        if self.broken == "execution" and self.current_step == 6:
            raise ZeroDivisionError("bad ledger")
        return super().start_contract_execution(contract)


@pytest.mark.parametrize("broken", ["simulation", "execution"])
def test_a_world_error_closes_everything(broken: str, tmp_path: Path) -> None:
    world, sink, _ = busy_world(
        Trader(id="seller", buyer=False), tmp_path, world_cls=Collapsing, broken=broken
    )
    with pytest.raises(SimulationError):
        world.run()
    assert_everything_closed(sink, world)
    if broken == "execution":
        assert world.totals["n_contracts_erred"] == 1
        erred = [c for c in _file_lines(tmp_path / "contracts.jsonl") if c["status"] == "error"]
        assert len(erred) == 1
        reasons = [e.payload["reason"] for e in sink.of_type(EventType.CONTRACT_ERRED)]
        assert any(
            r.startswith("execution failed: start_contract_execution raised ZeroDivisionError")
            for r in reasons
        )


def test_an_interrupt_is_recorded_as_interrupted(tmp_path: Path) -> None:
    bomb = Bomb("step", at=4, error=KeyboardInterrupt(), id="seller", buyer=False)
    world, sink, _ = busy_world(bomb, tmp_path)
    with pytest.raises(KeyboardInterrupt):
        world.run()
    assert world.status == "interrupted" and world.step() is False
    assert_everything_closed(sink, world)


def test_a_failure_while_closing_is_recorded_not_raised(tmp_path: Path) -> None:
    class BadRecords(LedgerWorld):
        def contract_record(self, contract: Contract) -> dict[str, Any]:
            if self.status == "error":
                raise ValueError("cannot describe")
            return super().contract_record(contract)

    world, sink, _ = busy_world(
        Bomb("step", at=6, id="seller", buyer=False), tmp_path, world_cls=BadRecords
    )
    with pytest.raises(AgentError, match="boom"):  # the original error, not the later one
        world.run()
    assert sink.events[-1].type == EventType.SIMULATION_END
    assert any("ending the run" in e["where"] for e in world.exceptions)


class StateKeeper(Trader):
    """Keeps the ``state`` every ``on_negotiation_failure`` receives."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.failed_states: list[tuple[str, Any]] = []

    def on_negotiation_failure(self, partners, annotation, mechanism, state) -> None:
        self.failed_states.append((mechanism.id, state))


def test_a_cancelled_negotiation_reaches_the_callback_as_cancelled() -> None:
    """Open when the run ends (never started, or mid-way): the state says ``cancelled``,
    as the record and the event do, not ``pending`` / ``running``."""
    from palaver.mechanisms import SAOState

    world = LedgerWorld(n_steps=3, seed=7, negotiation_speed=1, neg_n_steps=50)
    buyer = StateKeeper(targets=["seller"], per_step=1, id="buyer")
    world.join(buyer)
    world.join(Trader(buyer=False, id="seller"))
    world.run()
    records = {r.id: r.result for r in world.saved_negotiations}
    assert buyer.failed_states and set(records.values()) == {"cancelled"}
    started = {False, True}
    for nid, state in buyer.failed_states:
        assert state.result == records[nid] == "cancelled"
        assert state.ended and not state.running
        assert isinstance(state, SAOState)
        started.discard(state.started)
    assert not started  # both a negotiation that ran and one that never started
    import pickle

    kept = pickle.loads(pickle.dumps(buyer.failed_states[0][1]))
    assert kept.result == "cancelled" and isinstance(kept, SAOState)

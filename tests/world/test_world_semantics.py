"""The second pass's silent wrong results, each pinned by a test (issue #9, items 1-9)."""

from __future__ import annotations

from typing import Any

import pytest
from world_helpers import ISSUES, LedgerWorld, Trader, pair_world

from palaver.events import EventType, ListSink
from palaver.negotiators import AspirationNegotiator
from palaver.world import (
    AgentError,
    Breach,
    Contract,
    Operations,
    RenegotiationRequest,
    World,
)


class Exploding(AspirationNegotiator):
    """A negotiator that raises on its first proposal."""

    def propose(self, state: Any) -> Any:
        raise RuntimeError("boom")


class ExplodingTrader(Trader):
    def negotiator(self) -> AspirationNegotiator:
        return Exploding(ufun=self.ufun)


def test_negotiator_exception_is_recorded_when_ignored() -> None:
    world = LedgerWorld(n_steps=2, seed=1, ignore_agent_exceptions=True)
    sink = ListSink()
    world.bus.add_sink(sink)
    world.join(ExplodingTrader(targets=["seller"], per_step=1, id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    world.run()
    results = [e.payload["result"] for e in sink.of_type(EventType.NEGOTIATION_ENDED)]
    ended = [r for r in results if r == "error"]
    assert ended and set(results) == {"error", "cancelled"}  # the last one never ran
    assert world.totals["n_agent_exceptions"] == len(ended)
    assert len(world.exceptions) == len(ended)
    assert all(x["agent_id"] == "buyer" for x in world.exceptions)
    exceptions = sink.of_type(EventType.EXCEPTION)
    assert len(exceptions) == len(ended)
    assert {e.agent_id for e in exceptions} == {"buyer"}
    assert "boom" in exceptions[0].payload["message"]


def test_contracts_pending_at_the_end_have_their_own_end_state() -> None:
    sink = ListSink()
    world, _, _ = pair_world(per_step=1, n_steps=3, force_signing=True)
    world.bus.add_sink(sink)
    world.run()
    pending = sink.of_type(EventType.CONTRACT_UNEXECUTED)
    assert pending, "the last step's contracts never fell due"
    cancelled = sink.of_type(EventType.CONTRACT_CANCELLED)
    assert len(cancelled) == world.totals["n_contracts_cancelled"]
    assert len(pending) == world.totals["n_contracts_unexecuted"]
    assert all(e.payload["reason"] == "simulation ended before execution" for e in pending)


def test_started_counts_negotiations_that_ran() -> None:
    sink = ListSink()
    world, _, _ = pair_world(per_step=2, n_steps=3)
    world.bus.add_sink(sink)
    world.run()
    started = sink.of_type(EventType.NEGOTIATION_STARTED)
    accepted = sink.of_type(EventType.NEGOTIATION_ACCEPTED)
    assert len(accepted) > len(started)  # the last step's requests never ran
    assert world.totals["n_negotiations_started"] == len(started)
    assert world.totals["n_negotiations_accepted"] == len(accepted)


def test_user_stats_reach_the_stats_event_and_monitors() -> None:
    sink = ListSink()
    rows: list[dict[str, Any]] = []
    world, _, _ = pair_world(n_steps=3)
    world.stats_monitors.append(lambda row, w: rows.append(row))
    world.bus.add_sink(sink)
    world.run()
    events = sink.of_type(EventType.STATS)
    assert [e.payload["custom"] for e in events] == [0, 1, 2]
    assert [r["custom"] for r in rows] == [0, 1, 2]


def test_world_on_contract_signed_returns_true() -> None:
    class Ported(LedgerWorld):
        def on_contract_signed(self, contract: Contract) -> bool:
            # NegMAS style: the framework's answer decides whether to file it.
            if not World.on_contract_signed(self, contract):
                return False
            self.due[self.current_step + 1].append(contract)
            return True

    world = Ported(n_steps=4, seed=2, force_signing=True)
    world.join(Trader(targets=["seller"], per_step=1, id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    world.run()
    assert world.totals["n_contracts_signed"] > 0
    assert world.totals["n_contracts_executed"] > 0


def test_step_returns_true_for_every_step_that_ran() -> None:
    world, _, _ = pair_world(n_steps=4)
    n = 0
    while world.step():
        n += 1
    assert n == 4
    assert world.step() is False


class NullifyingWorld(LedgerWorld):
    def start_contract_execution(self, contract: Contract) -> set[Breach] | None:
        return None


def test_none_from_start_contract_execution_nullifies() -> None:
    sink = ListSink()
    world = NullifyingWorld(n_steps=4, seed=2, force_signing=True)
    world.bus.add_sink(sink)
    buyer = Trader(targets=["seller"], per_step=1, id="buyer")
    world.join(buyer)
    world.join(Trader(buyer=False, id="seller"))
    world.run()
    t = world.totals
    assert t["n_contracts_executed"] == 0
    assert t["n_contracts_nullified"] > 0
    assert not sink.of_type(EventType.CONTRACT_EXECUTED)
    nullified = sink.of_type(EventType.CONTRACT_NULLIFIED)
    assert len(nullified) == t["n_contracts_nullified"]
    assert not buyer.named("executed")


def test_complete_contract_execution_is_called_for_every_breached_contract() -> None:
    world, _, _ = pair_world(n_steps=4, force_signing=True, breachers=("seller",))
    world.breach_processing = world.breach_processing.NONE
    world.run()
    assert world.totals["n_contracts_breached"] > 0
    assert len(world.resolutions) == world.totals["n_contracts_breached"]
    assert all(r is None for _, r in world.resolutions)


def test_agent_steps_before_negotiations_runs_the_request_in_the_same_step() -> None:
    ops = [Operations.AgentSteps, Operations.Negotiations, Operations.ContractSigning]
    sink = ListSink()
    world, _, _ = pair_world(per_step=1, n_steps=2, operations=ops)
    world.bus.add_sink(sink)
    world.run()
    for acc in sink.of_type(EventType.NEGOTIATION_ACCEPTED):
        starts = [
            e
            for e in sink.of_type(EventType.NEGOTIATION_STARTED)
            if e.negotiation_id == acc.negotiation_id
        ]
        assert starts and starts[0].step == acc.step
    assert world.totals["n_negotiations_cancelled"] == 0


class DictSigner(Trader):
    def sign_all_contracts(self, contracts: list[Contract]) -> Any:
        return {c.id: self.id for c in contracts}


class AllSigner(Trader):
    def sign_all_contracts(self, contracts: list[Contract]) -> Any:
        return self.id


class ShortSigner(Trader):
    def sign_all_contracts(self, contracts: list[Contract]) -> Any:
        return [self.id] * (len(contracts) + 1)


@pytest.mark.parametrize("signer", [DictSigner, AllSigner])
def test_sign_all_contracts_accepts_negmas_forms(signer: type[Trader]) -> None:
    world = LedgerWorld(n_steps=3, seed=1)
    sink = ListSink(event_types=[EventType.CONTRACT_CANCELLED])
    world.bus.add_sink(sink)
    world.join(signer(targets=["seller"], per_step=1, id="buyer"))
    world.join(signer(buyer=False, id="seller"))
    world.run()
    assert world.totals["n_contracts_signed"] > 0
    reasons = {e.payload["reason"] for e in sink.events}
    assert reasons <= {"simulation ended before signing"}


def test_sign_all_contracts_refusing_all_with_none() -> None:
    class Refuser(Trader):
        def sign_all_contracts(self, contracts: list[Contract]) -> Any:
            return None

    world = LedgerWorld(n_steps=3, seed=1)
    world.join(Refuser(targets=["seller"], per_step=1, id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    world.run()
    assert world.totals["n_contracts_signed"] == 0
    assert world.totals["n_contracts_cancelled"] > 0
    assert world.exceptions == deque_empty()


def deque_empty() -> Any:
    from collections import deque

    return deque(maxlen=1000)


def test_malformed_signatures_are_the_agents_error() -> None:
    world = LedgerWorld(n_steps=3, seed=1)
    world.join(ShortSigner(targets=["seller"], per_step=1, id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    with pytest.raises(AgentError, match="sign_all_contracts") as info:
        world.run()
    assert info.value.agent_id == "buyer"
    assert "2 values for 1 contracts" in str(info.value)


def test_malformed_signatures_are_recorded_when_ignored() -> None:
    world = LedgerWorld(n_steps=3, seed=1, ignore_agent_exceptions=True)
    world.join(ShortSigner(targets=["seller"], per_step=1, id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    world.run()
    assert world.totals["n_agent_exceptions"] > 0
    assert world.exceptions[0]["agent_id"] == "buyer"
    assert world.totals["n_contracts_signed"] == 0


class BadProposer(Trader):
    def set_renegotiation_agenda(
        self, contract: Contract, breaches: list[Breach]
    ) -> RenegotiationRequest | None:
        return RenegotiationRequest(self.id, ISSUES, {}, proposal={"price": 99, "quantity": 1})

    def respond_to_renegotiation_request(self, contract, breaches, agenda) -> Any:
        return True


def test_proposal_outside_the_agenda_is_the_publishers_error() -> None:
    world = LedgerWorld(
        n_steps=4,
        seed=2,
        force_signing=True,
        breachers=("seller",),
        breach_processing="VICTIM_THEN_PERPETRATOR",
    )
    world.join(BadProposer(targets=["seller"], per_step=1, id="buyer"))
    world.join(BadProposer(buyer=False, id="seller"))
    with pytest.raises(AgentError, match="set_renegotiation_agenda") as info:
        world.run()
    assert info.value.agent_id == "buyer"
    assert "price" in str(info.value)

"""A world callback that returns something malformed is that callback's error, at once
(Gymnasium's passive checker is the model), raised or recorded by the exception options."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from world_helpers import ISSUES, LedgerWorld, Trader

from palaver.events import EventType, ListSink
from palaver.world import Action, AgentError, Breach, Contract, SimulationError


class BadExecutable(LedgerWorld):
    def executable_contracts(self) -> Any:
        return 42


class ForgottenReturn(LedgerWorld):
    def executable_contracts(self) -> Any:
        super().executable_contracts()  # the contracts computed, ``return`` forgotten


class BadOrder(LedgerWorld):
    def order_contracts_for_execution(self, contracts: Any) -> Any:
        return ["not a contract"]


class TwiceDue(LedgerWorld):
    def executable_contracts(self) -> Any:
        due = super().executable_contracts()
        return due + due


class TwiceOrdered(LedgerWorld):
    def order_contracts_for_execution(self, contracts: Any) -> Any:
        return list(contracts) * 2


class UnsignedDue(LedgerWorld):
    """Files each contract when it is concluded, before its partners sign it."""

    def on_contract_concluded(self, contract: Contract, to_be_signed_at: int) -> None:
        self.due[self.current_step].append(contract)

    def on_contract_signed(self, contract: Contract) -> None:
        return None


class OrderDrops(LedgerWorld):
    """Orders the due contracts, leaving the first out (an order, not a filter)."""

    def order_contracts_for_execution(self, contracts: Any) -> Any:
        return list(contracts)[1:]


class OrderAdds(LedgerWorld):
    """Orders the due contracts, adding one that is due at a later step."""

    def order_contracts_for_execution(self, contracts: Any) -> Any:
        later = [c for c in self.due.get(self.current_step + 1, []) if c.executed_at is None]
        return list(contracts) + later


class NoPrivateState(LedgerWorld):
    def get_private_state(self, agent: Any) -> Any:
        super().get_private_state(agent)  # the state computed, ``return`` forgotten


class DueAgain(LedgerWorld):
    """Returns the contracts of the step before again (they were executed then)."""

    def executable_contracts(self) -> Any:
        return self.due.get(self.current_step - 1, []) + super().executable_contracts()

    def delete_executed_contracts(self) -> None:
        self.due.pop(self.current_step - 1, None)


class BadStart(LedgerWorld):
    def start_contract_execution(self, contract: Contract) -> Any:
        return "breach"


class BadSize(LedgerWorld):
    def contract_size(self, contract: Contract) -> Any:
        return float("nan")


class ForgottenSize(LedgerWorld):
    def contract_size(self, contract: Contract) -> Any:
        super().contract_size(contract)  # the size computed, ``return`` forgotten


def _world(cls: type, **kwargs: Any) -> LedgerWorld:
    """The pair world of world_helpers, with ``cls`` as the world class."""
    world = cls(n_steps=6, seed=7, **kwargs)
    world.join(Trader(targets=["seller"], per_step=1, id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    return world


@pytest.mark.parametrize(
    ("cls", "callback", "what"),
    [
        (BadExecutable, "executable_contracts", "not a collection of Contracts"),
        (ForgottenReturn, "executable_contracts", "None; return [] when nothing is due"),
        (BadOrder, "order_contracts_for_execution", "holding str"),
        (BadSize, "contract_size", "not a finite number"),
        (ForgottenSize, "contract_size", "None; return the contract's size"),
        (TwiceDue, "executable_contracts", "twice; list each due contract once"),
        (TwiceOrdered, "order_contracts_for_execution", "twice; list each due contract once"),
        (DueAgain, "executable_contracts", "already executed at step"),
        (OrderDrops, "order_contracts_for_execution", "leaves out the due contract"),
        (OrderAdds, "order_contracts_for_execution", "is not among the due contracts"),
        (UnsignedDue, "executable_contracts", "which is not signed (to be signed at step"),
    ],
)
def test_a_malformed_return_raises_naming_the_callback(cls: type, callback: str, what: str) -> None:
    world = _world(cls)
    with pytest.raises(SimulationError, match=callback) as info:
        world.run()
    assert what in str(info.value.__cause__ or info.value)
    assert world.status == "error"


@pytest.mark.parametrize(
    ("cls", "callback"),
    [
        (BadExecutable, "executable_contracts"),
        (ForgottenReturn, "executable_contracts"),
        (BadOrder, "order_contracts_for_execution"),
        (BadSize, "contract_size"),
        (ForgottenSize, "contract_size"),
        (TwiceDue, "executable_contracts"),
        (TwiceOrdered, "order_contracts_for_execution"),
        (DueAgain, "executable_contracts"),
        (OrderDrops, "order_contracts_for_execution"),
        (OrderAdds, "order_contracts_for_execution"),
        (UnsignedDue, "executable_contracts"),
    ],
)
def test_a_malformed_return_is_recorded_when_ignored(cls: type, callback: str) -> None:
    world = _world(cls, ignore_simulation_exceptions=True)
    world.run()
    assert world.status == "completed"
    recorded = [e for e in world.exceptions if e["where"] == callback]
    assert recorded and recorded[0]["kind"] == "simulation"
    assert recorded[0]["exception"] == "ValueError"
    assert world.totals["n_simulation_exceptions"] >= 1


@pytest.mark.parametrize("cls", [OrderDrops, OrderAdds])
def test_an_order_that_is_not_the_due_contracts_executes_them_all(cls: type) -> None:
    """Ignored, the malformed order is replaced by the given one: every due
    contract runs at its step, none is left waiting silently for the end."""
    world = _world(cls, ignore_simulation_exceptions=True)
    world.run()
    t = world.totals
    assert t["n_contracts_signed"] > 0
    plain = _world(LedgerWorld)
    plain.run()
    assert t["n_contracts_executed"] == plain.totals["n_contracts_executed"]
    assert t["n_contracts_unexecuted"] == plain.totals["n_contracts_unexecuted"]


@pytest.mark.parametrize("cls", [TwiceDue, TwiceOrdered, DueAgain, UnsignedDue])
def test_a_contract_is_never_executed_twice(cls: type) -> None:
    world = _world(cls, ignore_simulation_exceptions=True)
    world.run()
    t = world.totals
    assert t["n_contracts_signed"] > 0
    ended = ("executed", "breached", "nullified", "erred", "unexecuted")
    assert sum(t[f"n_contracts_{s}"] for s in ended) == t["n_contracts_signed"]


def test_malformed_breaches_make_the_contract_erred() -> None:
    world = _world(BadStart, ignore_contract_execution_exceptions=True)
    world.run()
    assert world.totals["n_contracts_erred"] >= 1
    assert any(
        e["kind"] == "contract" and "start_contract_execution" in e["where"]
        for e in world.exceptions
    )
    strict = _world(BadStart)
    with pytest.raises(SimulationError, match="start_contract_execution"):
        strict.run()


def _ghost_perpetrator(c: Contract, w: LedgerWorld) -> Breach:
    return Breach(c, "ghost", "late", victims=[c.partners[0]])


def _ghost_victim(c: Contract, w: LedgerWorld) -> Breach:
    return Breach(c, c.partners[1], "late", victims=["ghost"])


def _other_contract(c: Contract, w: LedgerWorld) -> Breach:
    other = Contract(partners=c.partners, agreement=None, id="elsewhere")
    return Breach(other, c.partners[1], "late", victims=[c.partners[0]])


def _level_changed(c: Contract, w: LedgerWorld) -> Breach:
    b = Breach(c, c.partners[1], "late", victims=[c.partners[0]])
    b.level = float("nan")  # changed after it was built
    return b


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (_ghost_perpetrator, "perpetrator 'ghost' is not a partner of"),
        (_ghost_victim, "victims hold 'ghost', not the id of an agent"),
        (_other_contract, "contract is 'elsewhere', not the contract executed"),
        (_level_changed, "level is nan, not a finite number >= 0"),
    ],
)
def test_a_malformed_breach_makes_the_contract_erred(make: Any, named: str) -> None:
    class World(LedgerWorld):
        def start_contract_execution(self, contract: Contract) -> Any:
            return {make(contract, self)}

    world = _world(World, ignore_contract_execution_exceptions=True)
    world.run()
    t = world.totals
    assert t["n_contracts_erred"] >= 1 and t["n_breaches"] == 0 == t["n_contracts_breached"]
    assert any(named in e["message"] for e in world.exceptions), world.exceptions[:1]
    with pytest.raises(SimulationError, match=re.escape(named)):
        _world(World).run()


class Confused(Trader):
    def respond_to_negotiation_request(self, *args: Any) -> Any:
        return True


def _confused_world(**kwargs: Any) -> LedgerWorld:
    world = LedgerWorld(n_steps=2, seed=7, **kwargs)
    world.join(Trader(targets=["seller"], per_step=1, id="buyer"))
    world.join(Confused(buyer=False, id="seller"))
    return world


def test_an_agent_answering_a_request_with_a_non_negotiator_is_its_error() -> None:
    from palaver.world import AgentError

    with pytest.raises(AgentError, match="respond_to_negotiation_request"):
        _confused_world().run()
    world = _confused_world(ignore_agent_exceptions=True)
    world.run()
    assert world.totals["n_negotiations_rejected"] == 2
    assert [e["where"] for e in world.exceptions] == ["respond_to_negotiation_request"] * 2


class AnswersWith(Trader):
    """Accepts every request with a fixed, malformed answer."""

    answer: Any = None

    def respond_to_negotiation_request(self, *args: Any) -> Any:
        return self.answer


@pytest.mark.parametrize("answer", ["AspirationNegotiator", "a string", "class"])
def test_a_negotiator_class_or_string_is_the_responders_error(answer: str) -> None:
    from palaver.negotiators import AspirationNegotiator
    from palaver.world import AgentError

    value: Any = AspirationNegotiator if answer == "class" else answer

    def world(**kwargs: Any) -> LedgerWorld:
        w = LedgerWorld(n_steps=2, seed=7, **kwargs)
        w.join(Trader(targets=["seller"], per_step=1, id="buyer"))
        seller = AnswersWith(buyer=False, id="seller")
        seller.answer = value
        w.join(seller)
        return w

    with pytest.raises(AgentError) as info:
        world().run()
    assert info.value.agent_id == "seller"
    assert "respond_to_negotiation_request" in str(info.value)
    assert repr(value)[:40] in str(info.value)
    recorded = world(ignore_agent_exceptions=True)
    recorded.run()
    assert recorded.status == "completed"
    assert recorded.totals["n_negotiations_rejected"] == 2
    assert {(e["agent_id"], e["where"]) for e in recorded.exceptions} == {
        ("seller", "respond_to_negotiation_request")
    }


def test_a_forgotten_contract_size_is_not_counted_as_zero() -> None:
    world = _world(ForgottenSize, ignore_simulation_exceptions=True)
    world.run()
    executed = world.totals["n_contracts_executed"]
    assert executed > 0 and sum(world.stats["executed_contracts_size"]) == 0.0
    assert len([e for e in world.exceptions if e["where"] == "contract_size"]) == executed


class Acting(Trader):
    """Asks its world for one ``"ok"`` action per step."""

    def step(self) -> None:
        super().step()
        self.results.append(self.awi.execute(Action("ok", {})))


def _acting_world(answer: Any, **kwargs: Any) -> LedgerWorld:
    class Answering(LedgerWorld):
        def execute_action(self, action: Action, agent: Any, callback: Any = None) -> Any:
            return answer

    world = Answering(n_steps=2, seed=7, **kwargs)
    world.join(Acting(id="actor"))
    world.join(Trader(buyer=False, id="seller"))
    return world


@pytest.mark.parametrize("answer", ["failed", None, 1, [True]])
def test_execute_action_must_answer_true_or_false(answer: Any) -> None:
    with pytest.raises(SimulationError, match="execute_action") as info:
        _acting_world(answer).run()
    assert "return True or False" in str(info.value.__cause__ or info.value)
    sink = ListSink()
    world = _acting_world(answer, ignore_simulation_exceptions=True)
    world.bus.add_sink(sink)
    world.run()
    actor = world.agents["actor"]
    assert isinstance(actor, Acting) and actor.results == [False, False]
    assert [e.payload["success"] for e in sink.of_type(EventType.ACTION)] == [False, False]
    assert [e["where"] for e in world.exceptions] == ["execute_action"] * 2
    assert world.totals["n_actions"] == 2


@pytest.mark.parametrize("answer", [True, False, np.bool_(True)])
def test_execute_action_answers_are_taken_as_given(answer: Any) -> None:
    world = _acting_world(answer)
    world.run()
    actor = world.agents["actor"]
    assert isinstance(actor, Acting) and actor.results == [bool(answer)] * 2


class SignsWith(Trader):
    """Answers every signing callback with a fixed value per contract."""

    signature: Any = None

    def sign_all_contracts(self, contracts: list[Contract]) -> Any:
        return [self.signature] * len(contracts)

    def sign_contract(self, contract: Contract) -> Any:
        return self.signature


class SignsOneWith(Trader):
    """Answers sign_contract only (signing one by one asks sign_all_contracts
    of an agent that overrides it, as NegMAS does)."""

    signature: Any = None

    def sign_contract(self, contract: Contract) -> Any:
        return self.signature


@pytest.mark.parametrize("batch_signing", [True, False])
@pytest.mark.parametrize("signature", [False, 0, True])
def test_a_signature_that_is_not_a_string_is_the_agents_error(
    batch_signing: bool, signature: Any
) -> None:
    from palaver.world import AgentError

    callback = "sign_all_contracts" if batch_signing else "sign_contract"

    def world(**kwargs: Any) -> LedgerWorld:
        w = LedgerWorld(n_steps=4, seed=7, batch_signing=batch_signing, **kwargs)
        w.join(Trader(targets=["seller"], per_step=1, id="buyer"))
        seller = (SignsWith if batch_signing else SignsOneWith)(buyer=False, id="seller")
        seller.signature = signature
        w.join(seller)
        return w

    with pytest.raises(AgentError, match=callback) as info:
        world().run()
    assert info.value.agent_id == "seller" and repr(signature) in str(info.value)
    recorded = world(ignore_agent_exceptions=True)
    recorded.run()
    t = recorded.totals
    # ``False`` meant "no": not one contract is signed on the strength of it.
    assert t["n_contracts_concluded"] > 0 and t["n_contracts_signed"] == 0
    assert t["n_contracts_cancelled"] == t["n_contracts_concluded"]
    assert {e["where"] for e in recorded.exceptions} == {callback}


def test_a_numbered_id_meeting_a_partners_id_is_suffixed_a_given_one_is_named() -> None:
    # A negotiator made outside the world's steps is numbered by the
    # process-wide counter ("AspirationNegotiator-0" in a fresh process) and may
    # meet the world's own numbering. A numbered (or name-derived) id gets a
    # suffix, as NegMAS code expects; two ids given with id=... are the
    # bringing agent's error naming both agents (the mechanism refused them
    # with "already has a negotiator with id", blamed on the requester's step).
    from palaver.negotiators import AspirationNegotiator

    class Early(Trader):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.ready = AspirationNegotiator(ufun=self.ufun, id="AspirationNegotiator-0")

        def respond_to_negotiation_request(
            self, initiator: str, partners: list[str], mechanism: Any
        ):
            return self.ready

    class Named(Trader):
        def negotiator(self) -> AspirationNegotiator:
            return AspirationNegotiator(ufun=self.ufun, id="AspirationNegotiator-0")

    def world(buyer: type[Trader], **kwargs: Any) -> LedgerWorld:
        w = LedgerWorld(n_steps=1, seed=1, **kwargs)
        w.join(buyer(targets=["seller"], per_step=1, id="buyer"))
        w.join(Early(buyer=False, id="seller"))
        return w

    made: list[AspirationNegotiator] = []

    class Numbered(Trader):
        def negotiator(self) -> AspirationNegotiator:
            made.append(super().negotiator())
            return made[-1]

    numbered = world(Numbered)
    numbered.run()
    assert numbered.totals["n_negotiations_rejected"] == 0 and not numbered.exceptions
    assert [n.id for n in made] == ["AspirationNegotiator-0-1"]  # met the seller's, suffixed
    stopped = world(Named)
    with pytest.raises(
        AgentError,
        match=re.escape(
            "create_negotiation_request gave a negotiator with id 'AspirationNegotiator-0', the "
            "id of 'seller''s negotiator in this negotiation"
        ),
    ) as caught:
        stopped.run()
    assert caught.value.agent_id == "buyer" and "must differ" in str(caught.value)
    ignored = world(Named, ignore_agent_exceptions=True)
    ignored.run()  # recorded, and the request counts as refused
    assert ignored.totals["n_negotiations_rejected"] == 1
    assert [e["where"] for e in ignored.exceptions] == ["create_negotiation_request"]


def test_one_negotiator_given_by_two_partners_is_named() -> None:
    from palaver.negotiators import AspirationNegotiator

    shared = AspirationNegotiator(id="shared")

    class Sharing(Trader):
        def respond_to_negotiation_request(
            self, initiator: str, partners: list[str], mechanism: Any
        ):
            return shared

    w = LedgerWorld(n_steps=1, seed=1, acceptance="at_least_two")
    w.join(Trader(targets=["s1", "s2"], per_step=1, id="buyer"))
    w.join(Sharing(buyer=False, id="s1"))
    w.join(Sharing(buyer=False, id="s2"))

    def three_way(self: Trader) -> None:
        req = self.create_negotiation_request(ISSUES, ["s1", "s2", "buyer"], self.negotiator())
        self.awi.request_negotiation_about(ISSUES, ["s1", "s2", "buyer"], req)

    w.agents["buyer"].step = three_way.__get__(w.agents["buyer"])  # type: ignore[method-assign]
    with pytest.raises(
        AgentError,
        match=re.escape(
            "respond_to_negotiation_request gave the negotiator 'shared' that 's1' already brought"
        ),
    ):
        w.run()


class StatePeeker(Trader):
    """Reads its private state every step (``awi.state``)."""

    def step(self) -> None:
        self.seen = self.awi.state
        super().step()


def _peeking_world(**kwargs: Any) -> LedgerWorld:
    world = NoPrivateState(n_steps=3, seed=7, **kwargs)
    world.join(StatePeeker(targets=["seller"], per_step=1, id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    return world


def test_a_forgotten_private_state_is_the_worlds_error() -> None:
    world = _peeking_world()
    with pytest.raises(SimulationError, match="get_private_state") as info:
        world.run()
    assert "None; return {} when the agent has no private state" in str(info.value)
    assert world.status == "error"


def test_a_forgotten_private_state_is_recorded_when_ignored() -> None:
    world = _peeking_world(ignore_simulation_exceptions=True)
    world.run()
    assert world.status == "completed"
    recorded = [e for e in world.exceptions if e["where"] == "get_private_state"]
    assert len(recorded) == world.n_steps
    assert recorded[0]["kind"] == "simulation"
    assert world.totals["n_simulation_exceptions"] == world.n_steps


def test_a_forgotten_private_state_is_malformed_for_state_change_listeners() -> None:
    sink = ListSink()
    world = _world(NoPrivateState, ignore_simulation_exceptions=True)
    world.bus.add_sink(sink)
    world.run()
    assert not sink.of_type(EventType.STATE_CHANGE)
    recorded = [e for e in world.exceptions if e["where"] == "get_private_state"]
    assert len(recorded) == 2 * world.n_steps  # each agent, each step

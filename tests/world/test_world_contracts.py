"""Contracts: data types, signing options, execution and the three breach-processing modes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from world_helpers import ISSUES, LedgerWorld, Trader, pair_world

from palaver.events import EventType, ListSink
from palaver.mechanisms import ResponseType
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction
from palaver.world import (
    Action,
    Agent,
    AgentError,
    Breach,
    BreachProcessing,
    Contract,
    RenegotiationRequest,
    to_flat_dict,
)


def test_contract_and_breach_are_hashable_and_flatten() -> None:
    c = Contract(partners=["a", "b"], agreement={"price": 2, "quantity": 1}, issues=ISSUES, id="c1")
    assert c.partners == ("a", "b")
    b1 = Breach(c, "a", "late", victims=["b"], level=0.5)
    b2 = Breach(c, "a", "late", victims=["b"], level=0.5)
    assert len({b1, b2}) == 2 and len({c, c}) == 1
    flat = to_flat_dict(c)
    assert flat["agreement_price"] == 2 and flat["issues"] == ["price", "quantity"]
    assert flat["partners"] == ["a", "b"] and "mechanism_state" not in flat
    assert to_flat_dict(b1)["contract"] == "c1"
    assert to_flat_dict(b1)["victims"] == ["b"]
    assert to_flat_dict({"x": {"y": 1}}) == {"x_y": 1}
    assert to_flat_dict(Action("go", {"speed": 2})) == {"type": "go", "params_speed": 2}
    with pytest.raises(TypeError):
        to_flat_dict(3)
    assert BreachProcessing.RENEGOTIATION is BreachProcessing.META_NEGOTIATION


@pytest.mark.parametrize(
    ("kwargs", "error", "named"),
    [
        ({"contract": None}, TypeError, "contract=None must be a Contract"),
        ({"perpetrator": 5}, TypeError, "perpetrator=5 must be a str"),
        ({"type": None}, TypeError, "type=None must be a str"),
        ({"victims": "b"}, TypeError, "victims='b' must be a list"),
        ({"victims": [3]}, TypeError, "victims holds 3"),
        ({"level": "high"}, TypeError, "level='high' must be a number"),
        ({"level": float("nan")}, ValueError, "level=nan must be a finite number >= 0"),
        ({"level": -5.0}, ValueError, "level=-5.0 must be a finite number >= 0"),
    ],
)
def test_a_breach_refuses_wrong_arguments_naming_them(
    kwargs: dict[str, Any], error: type, named: str
) -> None:
    c = Contract(partners=["a", "b"], agreement=None, id="c1")
    args: dict[str, Any] = {"contract": c, "perpetrator": "a", "type": "late", **kwargs}
    with pytest.raises(error, match=re.escape(named)):
        Breach(**args)


@pytest.mark.parametrize(
    ("make", "named"),
    [
        # A text was split into one-letter partners ('a', 'b').
        (lambda: Contract(partners="ab", agreement=None), "partners='ab' must be a list"),
        (lambda: Contract(partners=5, agreement=None), "partners=5 must be a list"),
        (lambda: Contract(partners=["a", 2], agreement=None), "partners holds 2 (int)"),
        (
            lambda: Contract(partners=["a", "b"], agreement=(1, 2)),
            "agreement=(1, 2) (tuple) must be a dict keyed by issue name or None",
        ),
        (lambda: Action(5, {}), "Action type=5 (int) must be a str"),
        (lambda: Action("go", [1]), "Action params=[1] (list) must be a dict"),
        (
            lambda: RenegotiationRequest(None, ISSUES),  # type: ignore[arg-type]
            "publisher=None must be an agent id",
        ),
        (lambda: RenegotiationRequest("a", 3), "issues=3 must be a list of issues"),
        (
            lambda: RenegotiationRequest("a", ISSUES, [1]),  # type: ignore[arg-type]
            "annotation=[1] must be a dict",
        ),
    ],
)
def test_contracts_actions_and_agendas_refuse_wrong_arguments_naming_them(
    make: Any, named: str
) -> None:
    with pytest.raises(TypeError, match=re.escape(named)):
        make()
    assert Contract(partners=("a", "b"), agreement={"price": 1}).partners == ("a", "b")


def test_an_agenda_built_wrong_is_the_agents_error() -> None:
    # The agenda's annotation was read only after the other partners were asked
    # ({**agenda.annotation}: "'list' object is not a mapping").
    class Builder(Trader):
        def set_renegotiation_agenda(self, contract: Contract, breaches: list[Breach]) -> Any:
            proposal = {"price": 1, "quantity": 1}
            return RenegotiationRequest(self.id, ISSUES, ["why"], proposal)  # type: ignore[arg-type]

    world = LedgerWorld(
        n_steps=4, seed=7, breachers=("seller",), force_signing=True,
        breach_processing=BreachProcessing.VICTIM_THEN_PERPETRATOR,
    )  # fmt: skip
    world.join(Builder(targets=["seller"], per_step=1, id="buyer"))
    world.join(Trader(id="seller", buyer=False))
    with pytest.raises(AgentError, match=r"set_renegotiation_agenda.*annotation=\['why'\]"):
        world.run()


def test_a_breach_takes_negmas_style_arguments() -> None:
    c = Contract(partners=["a", "b"], agreement=None, id="c1")
    b = Breach(c, "a", "late", victims=("b",), level=np.float64(0.5))
    assert b.victims == ["b"] and type(b.level) is float and b.level == 0.5
    assert Breach(c, "a", "late", level=0).level == 0


def test_force_signing_signs_at_conclusion() -> None:
    world, buyer, _ = pair_world(n_steps=3, force_signing=True)
    world.run()
    for c in world.saved_contracts:
        assert c.signed_at == c.concluded_at == c.to_be_signed_at
        assert c.signatures == {"seller": "seller", "buyer": "buyer"}
    assert buyer.named("finalized") == []


@pytest.mark.parametrize("delay", [0, 2])
def test_signing_delay(delay: int) -> None:
    world, _, _ = pair_world(n_steps=5, default_signing_delay=delay)
    world.run()
    assert world.saved_contracts
    for c in world.saved_contracts:
        assert c.signed_at == c.concluded_at + delay


@pytest.mark.parametrize(
    ("options", "delay"), [({"default_signing_delay": 2}, 2), ({"force_signing": True}, 0)]
)
def test_signing_step_is_known_when_the_contract_is_concluded(
    options: dict[str, Any], delay: int
) -> None:
    # NegMAS makes a contract with its to_be_signed_at; it was -1 in the
    # agents' on_negotiation_success and in the contract_concluded event.
    seen: list[tuple[int, int]] = []

    class Watcher(Trader):
        def on_negotiation_success(self, contract: Contract, mechanism: Any) -> None:
            seen.append((contract.concluded_at, contract.to_be_signed_at))

    world = LedgerWorld(n_steps=3, seed=7, **options)
    world.join(Watcher(targets=["seller"], per_step=1, id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    sink = ListSink()
    world.bus.add_sink(sink)
    world.run()
    assert seen and all(at == concluded_at + delay for concluded_at, at in seen)
    assert all(
        c.signed_at == c.to_be_signed_at for c in world.saved_contracts if c.signed_at is not None
    )
    concluded = [e for e in sink.events if e.type == EventType.CONTRACT_CONCLUDED]
    assert [e.payload["to_be_signed_at"] for e in concluded] == [at for _, at in seen]


class Refuser(Trader):
    """Signs nothing."""

    def __init__(self, batch_calls: list[int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.batch_calls = batch_calls

    def sign_all_contracts(self, contracts: list[Contract]) -> list[str | None]:
        self.batch_calls.append(len(contracts))
        return super().sign_all_contracts(contracts)

    def sign_contract(self, contract: Contract) -> str | None:
        return None


@pytest.mark.parametrize("batch", [True, False])
def test_refused_signature_cancels_contract(batch: bool) -> None:
    calls: list[int] = []
    world = LedgerWorld(n_steps=4, seed=5, batch_signing=batch, default_signing_delay=0)
    buyer = Trader(targets=["seller"], per_step=2, id="buyer")
    world.join(buyer)
    world.join(Refuser(calls, id="seller", buyer=False))
    world.run()
    assert world.saved_contracts == []
    cancelled = world.cancelled_contracts
    assert cancelled and all(c.nullified_at is not None for c in cancelled)
    finalized = buyer.named("finalized")
    if batch:
        assert calls and max(calls) == 2  # one call for both contracts of a step
        assert finalized
        assert all(f[1] == [] and f[3] == [["seller"]] * len(f[2]) for f in finalized)
    else:  # as in NegMAS, signing one by one never calls on_contracts_finalized,
        # and asks an agent that overrides sign_all_contracts about one contract at a time
        assert calls == [1] * len(cancelled) and finalized == []


class Signer(Trader):
    """Signs everything, counting how it was asked."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.batches: list[list[str]] = []
        self.singles: list[str] = []

    def sign_all_contracts(self, contracts: list[Contract]) -> list[str | None]:
        self.batches.append([c.id for c in contracts])
        return [self.id] * len(contracts)

    def sign_contract(self, contract: Contract) -> str | None:
        self.singles.append(contract.id)
        return self.id


@pytest.mark.parametrize("batch", [True, False])
def test_batch_signing_asks_once_per_agent_and_round(batch: bool) -> None:
    world = LedgerWorld(n_steps=4, seed=5, batch_signing=batch, default_signing_delay=1)
    buyer = Signer(targets=["seller"], per_step=3, id="buyer")
    seller = Signer(id="seller", buyer=False)
    world.join(buyer)
    world.join(seller)
    world.run()
    signed = world.saved_contracts
    assert len(signed) >= 6 and all(c.signed_at == c.concluded_at + 1 for c in signed)
    assert all(c.signatures == {"buyer": "buyer", "seller": "seller"} for c in signed)
    rounds: dict[int, list[str]] = {}
    for c in signed:
        rounds.setdefault(c.signed_at, []).append(c.id)
    per_round = [rounds[s] for s in sorted(rounds)]
    for agent in (buyer, seller):
        if batch:  # one call per agent and signing round, with all its due contracts
            assert agent.singles == [] and agent.batches == per_round
            assert [f[1] for f in agent.named("finalized")] == per_round
        else:  # one call per contract, and no on_contracts_finalized (as in NegMAS:
            # sign_all_contracts([contract]) for an agent that overrides it)
            assert agent.singles == [] and agent.batches == [[c.id] for c in signed]
            assert agent.named("finalized") == []


@pytest.mark.parametrize("batch", [True, False])
def test_an_agent_hears_of_each_signed_contract_once_as_in_negmas(batch: bool) -> None:
    """NegMAS 0.16: batch signing calls on_contracts_finalized, whose default calls
    on_contract_signed / on_contract_cancelled; one-by-one signing calls those two."""

    class Counting(Trader):
        def __init__(self, override: bool, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.override = override
            self.heard: list[tuple[str, str]] = []

        def on_contract_signed(self, contract: Contract) -> None:
            self.heard.append(("signed", contract.id))

        def on_contracts_finalized(self, signed, cancelled, rejectors) -> None:
            self.heard.extend(("finalized", c.id) for c in signed)
            if not self.override:  # the base default (Trader's own records and stops)
                Agent.on_contracts_finalized(self, signed, cancelled, rejectors)

    for override in (False, True):
        world = LedgerWorld(n_steps=4, seed=5, batch_signing=batch, default_signing_delay=1)
        buyer = Counting(override, targets=["seller"], per_step=1, id="buyer")
        world.join(buyer)
        world.join(Trader(id="seller", buyer=False))
        world.run()
        ids = [c.id for c in world.saved_contracts]
        assert ids
        kinds = [k for k, _ in buyer.heard]
        if not batch:
            assert buyer.heard == [("signed", i) for i in ids]
        elif override:  # an override that does not call super() hears no on_contract_signed
            assert buyer.heard == [("finalized", i) for i in ids]
        else:
            assert kinds.count("signed") == kinds.count("finalized") == len(ids)


def test_unsigned_contracts_are_cancelled_when_the_run_ends() -> None:
    world, _, _ = pair_world(n_steps=2, default_signing_delay=5)
    world.run()
    assert world.saved_contracts == []
    assert world.cancelled_contracts
    assert world.totals["n_contracts_cancelled"] == len(world.cancelled_contracts)


def test_execution_breaches_and_processing_none() -> None:
    world, buyer, _seller = pair_world(
        n_steps=4,
        breachers=("seller",),
        breach_processing=BreachProcessing.NONE,
        force_signing=True,
    )
    world.run()
    breaches = world.unresolved_breaches
    assert breaches and world.resolved_breaches == []
    assert all(b.perpetrator == "seller" and b.victims == ["buyer"] for b in breaches)
    assert all(b.id and b.step is not None for b in breaches)
    posted = world.bulletin_board.read("breaches")
    assert set(posted) == {b.id for b in breaches}
    breached = buyer.named("breached")
    assert breached and all(x[2] is None for x in breached)
    # As in NegMAS, complete_contract_execution sees every breached contract.
    assert len(world.resolutions) == len(breached) and all(r is None for _, r in world.resolutions)
    assert world.totals["n_contracts_breached"] == len(breaches)
    assert world.scores() == {"buyer": 0.0, "seller": 0.0}


class TutorialListener(Trader):
    """on_contract_breached as the world tutorial's do-nothing listing writes it:
    without NegMAS's resolution argument."""

    def on_contract_breached(self, contract, breaches) -> None:  # type: ignore[override]
        self.calls.append(("breached-2", contract.id, len(breaches)))


def test_an_on_contract_breached_without_resolution_is_told_contract_and_breaches() -> None:
    # It raised AgentError ('takes 3 positional arguments but 4 were given').
    world = LedgerWorld(
        n_steps=4, seed=7, breachers=("seller",), force_signing=True,
        breach_processing=BreachProcessing.VICTIM_THEN_PERPETRATOR,
    )  # fmt: skip
    buyer = TutorialListener(targets=["seller"], per_step=1, id="buyer")
    seller = Perpetrator(id="seller", buyer=False)
    world.join(buyer)
    world.join(seller)
    world.run()
    heard = buyer.named("breached-2")
    assert heard and all(n == 1 for _, _, n in heard)
    assert len(heard) == world.totals["n_contracts_breached"]
    assert len(seller.named("breached")) == len(heard)  # NegMAS's three arguments still


def test_scores_default_to_executed_contract_sizes() -> None:
    world, _, _ = pair_world(n_steps=4, force_signing=True)
    world.run()
    executed = world.totals["n_contracts_executed"]
    assert executed > 0
    assert world.scores() == {"buyer": float(executed), "seller": float(executed)}


class Victim(Trader):
    """Proposes a zero-price resolution (VICTIM_THEN_PERPETRATOR) when it is the victim."""

    def set_renegotiation_agenda(
        self, contract: Contract, breaches: list[Breach]
    ) -> RenegotiationRequest | None:
        self.calls.append(("agenda", contract.id))
        return RenegotiationRequest(
            self.id,
            ISSUES,
            {"why": "refund"},
            proposal={
                "price": 0,
                "quantity": 0,
            },
        )


class Perpetrator(Trader):
    """Accepts any proposal; proposes its own only if asked."""

    def __init__(self, accept_fix: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.accept_fix = accept_fix

    def set_renegotiation_agenda(self, contract: Contract, breaches: list[Breach]):
        self.calls.append(("agenda", contract.id))
        return RenegotiationRequest(self.id, ISSUES, proposal=(1, 1))

    def respond_to_renegotiation_request(self, contract, breaches, agenda):
        self.calls.append(("renegotiation", agenda.publisher))
        return self.negotiator() if self.accept_fix else None


def _breach_world(
    mode: BreachProcessing, buyer: Trader, seller: Trader, **kwargs: Any
) -> LedgerWorld:
    world = LedgerWorld(
        n_steps=3,
        seed=9,
        breachers=("seller",),
        breach_processing=mode,
        force_signing=True,
        **kwargs,
    )
    world.sink = ListSink()
    world.bus.add_sink(world.sink)
    world.join(buyer)
    world.join(seller)
    world.run()
    return world


def _assert_resolved_on_record(world: LedgerWorld, folder: Path, how: str) -> None:
    """Every breached contract ended resolved: in the events and in contracts.jsonl."""
    breached = [e.contract_id for e in world.sink.of_type(EventType.CONTRACT_BREACHED)]
    resolved = world.sink.of_type(EventType.BREACH_RESOLVED)
    assert breached and [e.contract_id for e in resolved] == breached
    assert {e.payload["how"] for e in resolved} == {how}
    records = {r["id"]: r for r in map(json.loads, (folder / "contracts.jsonl").open())}
    fixes = dict(world.resolutions)
    for cid in breached:
        assert records[cid]["status"] == "resolved"
        assert records[cid]["resolution_id"] == fixes[cid].id
        assert records[cid]["resolution"] == fixes[cid].agreement
    assert world.totals["n_breaches_resolved"] == world.totals["n_breaches"] == len(breached)


def test_victim_then_perpetrator_resolution_end_to_end(tmp_path: Path) -> None:
    buyer = Victim(targets=["seller"], per_step=1, id="buyer")
    seller = Perpetrator(id="seller", buyer=False)
    world = _breach_world(
        BreachProcessing.VICTIM_THEN_PERPETRATOR, buyer, seller, log_folder=str(tmp_path)
    )
    _assert_resolved_on_record(world, tmp_path, "victim_then_perpetrator")
    cid, resolution = world.resolutions[0]
    assert resolution.agreement == {"price": 0, "quantity": 0}
    assert resolution.annotation == {"why": "refund", "resolves": cid}
    assert resolution.signed_at is not None
    assert world.resolved_breaches and world.unresolved_breaches == []
    assert all(b.resolved for b in world.resolved_breaches)
    # The board's posts say so too (they kept resolved: False, as first posted).
    posted = world.bulletin_board.read("breaches")
    assert {b.id for b in world.resolved_breaches} == set(posted)
    assert all(record["resolved"] is True for record in posted.values())
    assert ("renegotiation", "buyer") in seller.calls
    assert ("agenda", cid) in buyer.calls and ("agenda", cid) not in seller.calls
    assert buyer.named("breached")[0][2] is resolution


def test_save_resolved_breaches_off() -> None:
    world = LedgerWorld(
        n_steps=3,
        seed=9,
        breachers=("seller",),
        force_signing=True,
        save_resolved_breaches=False,
        breach_processing="VICTIM_THEN_PERPETRATOR",
    )
    world.join(Victim(targets=["seller"], per_step=1, id="buyer"))
    world.join(Perpetrator(id="seller", buyer=False))
    world.run()
    assert world.resolutions and world.resolved_breaches == []
    assert world.totals["n_breaches_resolved"] == len(world.resolutions)


def test_victim_then_perpetrator_falls_back_to_perpetrator() -> None:
    class Silent(Trader):
        def respond_to_renegotiation_request(self, contract, breaches, agenda):
            return True

    buyer = Silent(targets=["seller"], per_step=1, id="buyer")
    seller = Perpetrator(id="seller", buyer=False)
    world = _breach_world(BreachProcessing.VICTIM_THEN_PERPETRATOR, buyer, seller)
    assert world.resolutions
    assert world.resolutions[0][1].agreement == {"price": 1, "quantity": 1}


class AnswersProposals(Perpetrator):
    """Answers every proposal with a fixed value."""

    answer: Any = None

    def respond_to_renegotiation_request(self, contract, breaches, agenda):
        return self.answer


def _answered(answer: Any, **kwargs: Any) -> LedgerWorld:
    seller = AnswersProposals(id="seller", buyer=False)
    seller.answer = answer
    buyer = Victim(targets=["seller"], per_step=1, id="buyer")
    return _breach_world(BreachProcessing.VICTIM_THEN_PERPETRATOR, buyer, seller, **kwargs)


@pytest.mark.parametrize("answer", [True, np.bool_(True)])
def test_a_proposal_accepted_with_true_resolves(answer: Any) -> None:
    world = _answered(answer)
    assert world.resolutions and world.resolutions[0][1].agreement == {"price": 0, "quantity": 0}


@pytest.mark.parametrize("answer", [None, False, np.bool_(False)])
def test_a_proposal_refused_stays_unresolved(answer: Any) -> None:
    """numpy's False was taken as an acceptance (it is not ``False``)."""
    world = _answered(answer)
    assert world.totals["n_breaches"] > 0 and world.totals["n_breaches_resolved"] == 0
    assert not world.exceptions


@pytest.mark.parametrize("answer", [ResponseType.REJECT_OFFER, "no", 0])
def test_an_answer_to_a_proposal_that_is_not_yes_or_no_is_the_agents_error(answer: Any) -> None:
    """Read by its truth value it accepted the proposal it meant to refuse."""
    with pytest.raises(AgentError, match="respond_to_renegotiation_request") as info:
        _answered(answer)
    assert info.value.agent_id == "seller" and repr(answer)[:30] in str(info.value)
    world = _answered(answer, ignore_agent_exceptions=True)
    assert world.totals["n_breaches"] > 0 and world.totals["n_breaches_resolved"] == 0
    assert {e["where"] for e in world.exceptions} == {"respond_to_renegotiation_request"}


def test_victim_then_perpetrator_refused_stays_unresolved(tmp_path: Path) -> None:
    buyer = Victim(targets=["seller"], per_step=1, id="buyer")
    seller = Perpetrator(accept_fix=False, id="seller", buyer=False)
    world = _breach_world(
        BreachProcessing.VICTIM_THEN_PERPETRATOR, buyer, seller, log_folder=str(tmp_path)
    )
    assert all(r is None for _, r in world.resolutions) and world.unresolved_breaches
    statuses = {json.loads(line)["status"] for line in (tmp_path / "contracts.jsonl").open()}
    assert "breached" in statuses and "resolved" not in statuses
    assert world.sink.of_type(EventType.BREACH_RESOLVED) == []


def test_renegotiation_end_to_end(tmp_path: Path) -> None:
    refund = [make_issue(3, "refund")]

    class Renegotiator(Trader):
        def set_renegotiation_agenda(self, contract, breaches):
            return RenegotiationRequest(self.id, refund)

        def respond_to_renegotiation_request(self, contract, breaches, agenda):
            weight = 1.0 if self.id == "buyer" else -1.0
            ufun = LinearUtilityFunction([weight], bias=2.0, reserved_value=0.1)
            return AspirationNegotiator(ufun=ufun)

    buyer = Renegotiator(targets=["seller"], per_step=1, id="buyer")
    seller = Renegotiator(id="seller", buyer=False)
    world = _breach_world(
        BreachProcessing.META_NEGOTIATION, buyer, seller, log_folder=str(tmp_path)
    )
    _assert_resolved_on_record(world, tmp_path, "renegotiation")
    assert world.totals["n_renegotiations"] == len(world.resolutions)
    renegotiations = [
        e
        for e in world.sink.of_type(EventType.NEGOTIATION_STARTED)
        if e.negotiation_id not in {r.id for r in world.saved_negotiations}
    ]
    assert len(renegotiations) == len(world.resolutions)
    assert all(e.payload["issues"] == ["refund"] for e in renegotiations)
    assert buyer.named("breached")[0][2] is world.resolutions[0][1]
    resolution = world.resolutions[0][1]
    assert set(resolution.agreement) == {"refund"}
    assert resolution.issues == refund
    assert world.resolved_breaches


def test_victim_then_perpetrator_negotiates_an_agenda_without_proposal(tmp_path: Path) -> None:
    # NegMAS's VICTIM_THEN_PERPETRATOR: the partners answer the agenda with
    # negotiators and negotiate it. Without a proposal the agenda was dropped
    # (the partners not even asked), leaving every breach unresolved.
    refund = [make_issue(3, "refund")]

    class NegmasStyle(Trader):
        def set_renegotiation_agenda(self, contract, breaches):
            return RenegotiationRequest(self.id, refund, {"why": "late"})

        def respond_to_renegotiation_request(self, contract, breaches, agenda):
            weight = 1.0 if self.id == "buyer" else -1.0
            ufun = LinearUtilityFunction([weight], bias=2.0, reserved_value=0.1)
            return AspirationNegotiator(ufun=ufun)

    buyer = NegmasStyle(targets=["seller"], per_step=1, id="buyer")
    seller = NegmasStyle(id="seller", buyer=False)
    world = _breach_world(
        BreachProcessing.VICTIM_THEN_PERPETRATOR, buyer, seller, log_folder=str(tmp_path)
    )
    _assert_resolved_on_record(world, tmp_path, "victim_then_perpetrator")
    assert world.totals["n_renegotiations"] == len(world.resolutions) > 0
    assert all(set(r.agreement) == {"refund"} for _, r in world.resolutions)


def test_renegotiation_refused_by_a_partner() -> None:
    class Publisher(Trader):
        def set_renegotiation_agenda(self, contract, breaches):
            return RenegotiationRequest(self.id, ISSUES)

    buyer = Publisher(targets=["seller"], per_step=1, id="buyer")
    seller = Trader(id="seller", buyer=False)
    world = _breach_world(BreachProcessing.RENEGOTIATION, buyer, seller)
    assert world.totals["n_renegotiations"] == 0
    assert all(r is None for _, r in world.resolutions) and world.unresolved_breaches


def test_breach_processing_accepts_names() -> None:
    assert LedgerWorld(breach_processing="none").breach_processing is BreachProcessing.NONE
    assert LedgerWorld(breach_processing=2).breach_processing is BreachProcessing.META_NEGOTIATION
    with pytest.raises(ValueError, match="breach_processing"):
        LedgerWorld(breach_processing="maybe")


@pytest.mark.parametrize("answer", [True, False, "yes"])
def test_renegotiation_answered_with_a_non_negotiator_is_the_agents_error(answer: Any) -> None:
    class Publisher(Trader):
        def set_renegotiation_agenda(self, contract, breaches):
            return RenegotiationRequest(self.id, ISSUES)

        def respond_to_renegotiation_request(self, contract, breaches, agenda):
            return AspirationNegotiator(ufun=self.ufun)

    class WrongMode(Trader):
        def respond_to_renegotiation_request(self, contract, breaches, agenda):
            return answer  # the VICTIM_THEN_PERPETRATOR answer, under META_NEGOTIATION

    def world(**kwargs: Any) -> LedgerWorld:
        buyer = Publisher(targets=["seller"], per_step=1, id="buyer")
        seller = WrongMode(id="seller", buyer=False)
        return _breach_world(BreachProcessing.META_NEGOTIATION, buyer, seller, **kwargs)

    with pytest.raises(AgentError) as info:
        world()
    assert info.value.agent_id == "seller"
    assert info.value.callback == "respond_to_renegotiation_request"
    assert repr(answer) in str(info.value)
    recorded = world(ignore_agent_exceptions=True)
    assert recorded.status == "completed"
    assert recorded.totals["n_renegotiations"] == 0 and recorded.unresolved_breaches
    assert {(e["agent_id"], e["where"]) for e in recorded.exceptions} == {
        ("seller", "respond_to_renegotiation_request")
    }


def test_a_renegotiations_events_say_it_is_one() -> None:
    from golden_worlds import build_bazaar

    world = build_bazaar("META_NEGOTIATION")
    sink = ListSink()
    world.bus.add_sink(sink)
    world.run()
    counted = {
        EventType.NEGOTIATION_STARTED: "n_negotiations_started",
        EventType.NEGOTIATION_ENDED: "n_negotiations_accepted",  # also those never started
    }
    for kind, counter in counted.items():
        events = sink.of_type(kind)
        marked = [e for e in events if e.payload.get("renegotiation")]
        assert len(marked) == world.totals["n_renegotiations"] > 0
        assert all(e.payload["renegotiation_of"].startswith("c") for e in marked)
        assert len(events) - len(marked) == world.totals[counter]

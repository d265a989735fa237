"""NegMAS-style worlds (written against NegMAS's situated API, imports changed
to ``palaver.negmas``) behave as they do on NegMAS 0.16.

Each test pins one behaviour a world ported from NegMAS relies on; the
expected values are those NegMAS 0.16.0 gives for the same code.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from palaver.negmas import (
    Agent,
    Breach,
    Contract,
    LinearUtilityFunction,
    ResponseType,
    SAONegotiator,
    World,
    make_issue,
)
from palaver.world import NegotiationRequestError

ISSUES = [make_issue((1, 5), "quantity"), make_issue((1, 10), "price")]


class Fixed(SAONegotiator):
    """Offers its best outcome, accepts anything worth at least its reserved value."""

    def propose(self, state: Any, dest: str | None = None) -> Any:
        return max(self.nmi.outcome_space.enumerate_or_sample(), key=lambda o: self.ufun(o))

    def respond(self, state: Any, source: str | None = None) -> ResponseType:
        offer = state.current_offer
        if offer is not None and self.ufun(offer) >= 0.0:
            return ResponseType.ACCEPT_OFFER
        return ResponseType.REJECT_OFFER


def seller_negotiator() -> Fixed:
    return Fixed(ufun=LinearUtilityFunction([0.0, 1.0], issues=ISSUES))


def buyer_negotiator() -> Fixed:
    return Fixed(ufun=LinearUtilityFunction([0.0, -1.0], bias=10.0, issues=ISSUES))


class Firm(Agent):
    """Records its callbacks; ``plan(step)`` is what it does in a step."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: list[tuple[Any, ...]] = []

    def init(self) -> None:
        self.calls.append(("init",))

    def step(self) -> None:
        self.plan(self.awi.current_step)

    def plan(self, step: int) -> None:
        pass

    def _respond_to_negotiation_request(
        self, initiator, partners, issues, annotation, mechanism, role, req_id
    ) -> Any:
        self.calls.append(("respond", req_id))
        return seller_negotiator() if self.id == "seller" else buyer_negotiator()

    def on_neg_request_rejected(self, req_id: str, by: list[str] | None) -> None:
        self.calls.append(("rejected", req_id, by))

    def on_neg_request_accepted(self, req_id: str, mechanism: Any) -> None:
        self.calls.append(("accepted", req_id))

    def on_negotiation_failure(self, partners, annotation, mechanism, state) -> None:
        self.calls.append(("failure",))

    def on_negotiation_success(self, contract: Contract, mechanism: Any) -> None:
        self.calls.append(("success", self.awi.current_step))

    def on_contract_signed(self, contract: Contract) -> None:
        self.calls.append(("signed", self.awi.current_step))

    def on_contract_cancelled(self, contract: Contract, rejectors: list[str]) -> None:
        self.calls.append(("cancelled", self.awi.current_step))

    def set_renegotiation_agenda(self, contract, breaches) -> None:
        return None

    def respond_to_renegotiation_request(self, contract, breaches, agenda) -> None:
        return None

    def on_contract_executed(self, contract: Contract) -> None:
        self.calls.append(("executed", self.awi.current_step))

    def on_contract_breached(self, contract, breaches, resolution) -> None:
        self.calls.append(("breached", self.awi.current_step))


class Shop(World):
    """Contracts are executed the step after they are signed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.due: dict[int, list[Contract]] = defaultdict(list)

    def simulation_step(self, stage: int = 0) -> None:
        pass

    def get_private_state(self, agent: Agent) -> dict[str, Any]:
        return {}

    def execute_action(self, action: Any, agent: Agent, callback: Any = None) -> bool:
        return True

    def on_contract_signed(self, contract: Contract) -> bool:
        result = super().on_contract_signed(contract)
        self.due[self.current_step + 1].append(contract)
        return result

    def executable_contracts(self) -> list[Contract]:
        return self.due.get(self.current_step, [])

    def order_contracts_for_execution(self, contracts: list[Contract]) -> list[Contract]:
        return list(contracts)

    def start_contract_execution(self, contract: Contract) -> set[Breach]:
        return set()

    def complete_contract_execution(self, contract, breaches, resolution) -> None:
        pass

    def delete_executed_contracts(self) -> None:
        self.due.pop(self.current_step, None)

    def contract_record(self, contract: Contract) -> dict[str, Any]:
        return {"id": contract.id, **(contract.agreement or {})}

    def breach_record(self, breach: Breach) -> dict[str, Any]:
        return {"perpetrator": breach.perpetrator}

    def contract_size(self, contract: Contract) -> float:
        return 1.0


def shop(buyer: Firm, **kwargs: Any) -> Shop:
    options: dict[str, Any] = {"n_steps": 4, "neg_n_steps": 10, "no_logs": True, **kwargs}
    world = Shop(**options)
    buyer.id = "buyer"
    seller = Firm(name="seller")
    seller.id = "seller"
    world.join(buyer)
    world.join(seller)
    return world


# ---------------------------------------------------------------- req_id


class OwnIdBuyer(Firm):
    """Requests with a request id of its own, not one create_negotiation_request made."""

    def plan(self, step: int) -> None:
        if step == 0:
            ok = self.awi.request_negotiation_about(ISSUES, ["buyer", "seller"], req_id="mine-0")
            self.calls.append(("requested", ok))


def test_a_request_id_of_the_callers_own_asks_the_caller_with_it() -> None:
    buyer = OwnIdBuyer(name="buyer")
    world = shop(buyer, force_signing=True)
    world.run()
    # NegMAS asks the requester through _respond_to_negotiation_request with
    # its req_id (partners get None), and does not call on_neg_request_accepted
    # for an id create_negotiation_request did not make.
    assert ("respond", "mine-0") in buyer.calls
    assert ("requested", True) in buyer.calls
    assert ("respond", None) in world.agents["seller"].calls
    assert not [c for c in buyer.calls if c[0] == "accepted"]
    assert [c[0] for c in buyer.calls].count("success") == 1
    assert len(world.signed_contracts) == 1


def test_a_request_id_that_is_not_text_is_still_refused() -> None:
    class BadId(Firm):
        def plan(self, step: int) -> None:
            self.awi.request_negotiation_about(ISSUES, ["buyer", "seller"], req_id=7)

    world = shop(BadId(name="buyer"))
    with pytest.raises(Exception) as info:
        world.step()
    cause = info.value.__cause__ or info.value
    assert isinstance(cause, NegotiationRequestError)
    assert "req_id" in str(cause) and "7" in str(cause)


# ---------------------------------------------------- run_negotiation signing


class RunBuyer(Firm):
    def plan(self, step: int) -> None:
        if step == 0:
            result = self.awi.run_negotiation(ISSUES, ["seller"], buyer_negotiator())
            self.calls.append(("ran", result is not None and result[0] is not None))
        if step == 1:
            results = self.awi.run_negotiations(ISSUES, [["seller"]], [buyer_negotiator()])
            self.calls.append(("ran", [r[0] is not None for r in results]))


def test_run_negotiation_contracts_are_signed_in_the_same_step() -> None:
    # NegMAS signs what run_negotiation(s) agree at once (to_be_signed_at is
    # the current step), whatever default_signing_delay says.
    buyer = RunBuyer(name="buyer")
    world = shop(buyer, default_signing_delay=2)
    world.run()
    assert ("ran", True) in buyer.calls and ("ran", [True]) in buyer.calls
    contracts = sorted(world.signed_contracts, key=lambda c: c.concluded_at)
    assert [(c.concluded_at, c.to_be_signed_at, c.signed_at) for c in contracts] == [
        (0, 0, 0),
        (1, 1, 1),
    ]
    assert [c for c in buyer.calls if c[0] in ("signed", "executed")] == [
        ("signed", 0),
        ("executed", 1),
        ("signed", 1),
        ("executed", 2),
    ]
    assert world.stats["n_contracts_signed"] == [1, 1, 0, 0]
    assert world.stats["n_contracts_executed"] == [0, 1, 1, 0]
    # As NegMAS (whose run_negotiation(s) make the request through
    # create_negotiation_request), the caller hears of each negotiation under a
    # request id of its own; a partner is not told.
    accepted = [c for c in buyer.calls if c[0] == "accepted"]
    assert len(accepted) == 2 and len({c[1] for c in accepted}) == 2
    assert all(isinstance(c[1], str) for c in accepted)
    assert not [c for c in world.agents["seller"].calls if c[0] == "accepted"]
    assert buyer.requested_negotiations == []  # answered: none left pending


class RefusedRun(Firm):
    def plan(self, step: int) -> None:
        if step == 0:
            result = self.awi.run_negotiation(ISSUES, ["seller"], buyer_negotiator())
            self.calls.append(("ran", result))


def test_a_refused_run_negotiation_tells_its_caller() -> None:
    class Refusing(Firm):
        def _respond_to_negotiation_request(self, *args: Any) -> Any:
            return None

    buyer = RefusedRun(name="buyer")
    buyer.id = "buyer"
    seller = Refusing(name="seller")
    seller.id = "seller"
    world = Shop(n_steps=2, neg_n_steps=10, no_logs=True)
    world.join(buyer)
    world.join(seller)
    world.step()
    assert ("ran", None) in buyer.calls
    rejected = [c for c in buyer.calls if c[0] == "rejected"]
    assert len(rejected) == 1 and rejected[0][2] == ["seller"]
    assert buyer.requested_negotiations == []


class RequestBuyer(Firm):
    def plan(self, step: int) -> None:
        if step == 0:
            req = self.create_negotiation_request(ISSUES, ["buyer", "seller"], buyer_negotiator())
            self.awi.request_negotiation_about(ISSUES, ["buyer", "seller"], req)


def test_requested_negotiations_keep_the_signing_delay() -> None:
    world = shop(RequestBuyer(name="buyer"), n_steps=5, default_signing_delay=2)
    world.run()
    [contract] = world.signed_contracts
    assert (contract.concluded_at, contract.to_be_signed_at, contract.signed_at) == (1, 3, 3)


# ------------------------------------------------------------------ signing


class Refuser(Firm):
    """Decides in sign_all_contracts only, as NegMAS's documentation suggests."""

    def __init__(self, *args: Any, answer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answer = answer
        self.asked: list[int] = []

    def sign_all_contracts(self, contracts: list[Contract]) -> Any:
        self.asked.append(len(contracts))
        return self.answer


@pytest.mark.parametrize("batch", [True, False])
def test_sign_all_contracts_decides_with_and_without_batch_signing(batch: bool) -> None:
    # NegMAS 0.16 asks sign_all_contracts([contract]) for each contract when
    # batch_signing is off: an agent refusing there refuses in both modes.
    buyer = Refuser(name="buyer", answer=None)
    world = shop(buyer, default_signing_delay=1, batch_signing=batch, n_steps=3)
    world.agents["buyer"].plan = lambda step: (  # type: ignore[method-assign]
        buyer.awi.request_negotiation_about(
            ISSUES,
            ["buyer", "seller"],
            buyer.create_negotiation_request(ISSUES, ["buyer", "seller"], buyer_negotiator()),
        )
        if step == 0
        else None
    )
    world.run()
    assert buyer.asked == [1]
    assert world.stats["n_contracts_cancelled"] == [0, 0, 1]
    assert world.signed_contracts == []
    [cancelled] = world.cancelled_contracts
    assert cancelled.nullified_at == 2


def test_unbatched_signing_reads_every_answer_form_of_sign_all_contracts() -> None:
    for answer, signed in (("buyer", 1), (["buyer"], 1), ([None], 0), ({}, 0)):
        buyer = Refuser(name="buyer", answer=answer)
        world = shop(buyer, default_signing_delay=0, batch_signing=False, n_steps=3)
        world.agents["buyer"].plan = lambda step, b=buyer: (  # type: ignore[method-assign]
            b.awi.request_negotiation_about(
                ISSUES,
                ["buyer", "seller"],
                b.create_negotiation_request(ISSUES, ["buyer", "seller"], buyer_negotiator()),
            )
            if step == 0
            else None
        )
        world.run()
        assert len(world.signed_contracts) == signed, answer


# ------------------------------------------------------- mechanism parameters


class ParamsBuyer(Firm):
    def __init__(self, *args: Any, params: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params = params
        self.mechanisms: list[Any] = []

    def plan(self, step: int) -> None:
        if step == 0:
            req = self.create_negotiation_request(ISSUES, ["buyer", "seller"], buyer_negotiator())
            self.awi.request_negotiation_about(
                ISSUES, ["buyer", "seller"], req, mechanism_params=self.params
            )
            self.mechanisms = [n.mechanism for n in self.awi._world._negotiations.values()]


def test_the_worlds_mechanism_parameters_win_over_the_requesters() -> None:
    # NegMAS 0.16 updates a request's mechanism_params with the world's
    # `mechanisms` entry: the world's rules stand, the requester adds.
    buyer = ParamsBuyer(
        name="buyer", params={"offering_is_accepting": True, "one_offer_per_step": True}
    )
    world = shop(buyer, mechanisms={"negmas.sao.SAOMechanism": {"offering_is_accepting": False}})
    world.step()
    [mechanism] = buyer.mechanisms
    assert mechanism._offering_is_accepting is False
    assert mechanism._one_offer_per_step is True  # the requester's addition is kept

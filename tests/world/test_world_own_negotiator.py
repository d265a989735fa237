"""A requester's own negotiator and partners are checked where it gives them."""

from __future__ import annotations

from typing import Any

import pytest
from world_helpers import ISSUES, buyer_ufun, pair_world

from palaver.negotiators import AspirationNegotiator
from palaver.world import NegotiationRequestError


@pytest.mark.parametrize("bad", [AspirationNegotiator, "aspiration", 3])
def test_create_negotiation_request_refuses_what_is_not_a_negotiator(bad: Any) -> None:
    # Stored as given, it failed only when the request was made, blamed on the
    # requester's respond_to_negotiation_request, which never ran.
    _, buyer, _ = pair_world()
    with pytest.raises(
        NegotiationRequestError,
        match=r"agent 'buyer': create_negotiation_request's negotiator must be a negotiator "
        r"instance .* or None; got",
    ):
        buyer.create_negotiation_request(ISSUES, ["seller", "buyer"], bad)
    assert buyer.negotiation_requests == {}


def test_create_negotiation_request_refuses_partners_that_are_not_a_list() -> None:
    _, buyer, _ = pair_world()
    for bad in (None, "seller"):
        with pytest.raises(NegotiationRequestError, match=r"partners must be a list of agent ids"):
            buyer.create_negotiation_request(ISSUES, bad, buyer.negotiator())  # type: ignore[arg-type]
    assert buyer.create_negotiation_request(ISSUES, ("seller", "buyer"), None)


@pytest.mark.parametrize(
    ("argument", "bad", "allowed"),
    [
        ("issues", None, "a non-empty list of issues"),
        ("issues", [], "a non-empty list of issues"),
        ("issues", ["price"], "a non-empty list of issues"),
        ("annotation", [1], "a dict or None"),
        ("extra", "x", "a dict or None"),
    ],
)
def test_create_negotiation_request_refuses_bad_issues_annotation_and_extra(
    argument: str, bad: Any, allowed: str
) -> None:
    # list(None), dict([1]) and dict("x") raised Python's own TypeError / ValueError,
    # naming no argument.
    _, buyer, _ = pair_world()
    given: dict[str, Any] = {"issues": ISSUES, argument: bad}
    with pytest.raises(
        NegotiationRequestError,
        match=rf"agent 'buyer': create_negotiation_request's {argument} must be {allowed}",
    ):
        buyer.create_negotiation_request(
            partners=["seller", "buyer"], negotiator=buyer.negotiator(), **given
        )
    assert buyer.negotiation_requests == {}


@pytest.mark.parametrize("bad", [None, AspirationNegotiator, "aspiration"])
def test_run_negotiation_refuses_what_is_not_a_negotiator(bad: Any) -> None:
    # None was a silent refusal of the caller's own request: (None, None).
    world, buyer, _ = pair_world()
    world._palaver.scheduler.start()
    with pytest.raises(
        NegotiationRequestError, match=r"run_negotiation's negotiator must be a negotiator instance"
    ):
        buyer.awi.run_negotiation(ISSUES, ["seller"], bad)
    assert world.totals["n_negotiations_requested"] == 0


def test_run_negotiation_takes_one_partner_as_negmas_does() -> None:
    # NegMAS 0.16 reads one partner, alone or in a list, as [caller, partner];
    # list("seller") once asked for the unknown partners 's', 'e', 'l', ...
    world, buyer, _ = pair_world()
    world._palaver.scheduler.start()
    for partners in ("seller", ("seller",), ["seller"]):
        negotiator = buyer.negotiator()
        _contract, nmi = buyer.awi.run_negotiation(ISSUES, partners, negotiator)  # type: ignore[arg-type]
        assert nmi is not None and nmi.negotiator_ids[0] == negotiator.id
    with pytest.raises(
        NegotiationRequestError, match=r"partners must be a list of agent ids; got \{'seller'\}"
    ):
        buyer.awi.run_negotiation(ISSUES, {"seller"}, buyer.negotiator())  # type: ignore[arg-type]


def test_run_negotiation_takes_negmass_preferences_keyword() -> None:
    # NegMAS's AWI.run_negotiation names the utility function preferences=.
    world, buyer, _ = pair_world()
    world._palaver.scheduler.start()
    _contract, nmi = buyer.awi.run_negotiation(
        ISSUES, ["seller"], AspirationNegotiator(), preferences=buyer_ufun()
    )
    assert nmi is not None and nmi.state.ended
    with pytest.raises(ValueError, match="give ufun or preferences"):
        buyer.awi.run_negotiation(
            ISSUES, ["seller"], AspirationNegotiator(), buyer_ufun(), preferences=buyer_ufun()
        )
    with pytest.raises(TypeError, match=r"preferences must be a utility function .*got 'cheap'"):
        buyer.awi.run_negotiation(ISSUES, ["seller"], AspirationNegotiator(), preferences="cheap")


def test_one_negotiator_reused_for_two_open_requests_is_refused_the_second() -> None:
    # It joined both negotiations and read the second's interface in the first.
    from world_helpers import Trader

    class Thrifty(Trader):
        def negotiator(self) -> AspirationNegotiator:
            if not hasattr(self, "only"):
                self.only = AspirationNegotiator(ufun=self.ufun)
            return self.only

    world, _, _ = pair_world()
    thrifty = Thrifty(id="thrifty")
    world.join(thrifty)
    world._palaver.scheduler.start()
    assert thrifty.request(["seller"]) is True
    assert thrifty.request(["seller"]) is False
    assert thrifty.calls[-1][0] == "rejected" and thrifty.calls[-1][2] == ["thrifty"]
    assert len(world.running_negotiations) == 1

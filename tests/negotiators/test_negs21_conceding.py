"""NegMAS's conceding (CAB/CAN/CAR) and wasting (WAB/WAN/WAR) negotiators."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.mechanisms import ResponseType, SAOMechanism
from palaver.negotiators import (
    AcceptAnyRational,
    AcceptBetterRational,
    AcceptNotWorseRational,
    CABNegotiator,
    CABOfferingPolicy,
    CANNegotiator,
    CARNegotiator,
    SAONegotiator,
    ToughNegotiator,
    WABNegotiator,
    WANNegotiator,
    WARNegotiator,
    WAROfferingPolicy,
)
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction

ISSUES = [make_issue(10, "price")]
CONCEDING = [CABNegotiator, CANNegotiator, CARNegotiator]
WASTING = [WABNegotiator, WANNegotiator, WARNegotiator]


class Never(SAONegotiator):
    """Rejects everything and keeps offering price 0 (irrational for the other side)."""

    def respond(self, state: Any, offer: Any) -> ResponseType:
        return ResponseType.REJECT_OFFER

    def propose(self, state: Any) -> Any:
        return (0,)


def against_tough(kind: type) -> tuple[SAOMechanism, Any]:
    m = SAOMechanism(issues=ISSUES, n_steps=14, seed=3)
    mine = kind(name="mine")
    m.add(mine, ufun=LinearUtilityFunction([1.0], reserved_value=4.0))
    m.add(Never(name="tough"))
    m.run()
    return m, mine


@pytest.mark.parametrize("kind", CONCEDING)
def test_conceders_offer_rational_outcomes_best_first_then_repeat(kind: type) -> None:
    m, mine = against_tough(kind)
    offers = [o[0] for o in m.negotiator_offers("mine")]
    assert offers[:6] == [9, 8, 7, 6, 5, 4]
    assert set(offers[6:]) == {4} and len(offers) == 14
    assert isinstance(mine.offering, CABOfferingPolicy)


@pytest.mark.parametrize("kind", WASTING)
def test_wasters_offer_irrational_outcomes_worst_first_then_concede(kind: type) -> None:
    m, mine = against_tough(kind)
    offers = [o[0] for o in m.negotiator_offers("mine")]
    assert offers[:4] == [0, 1, 2, 3]
    assert offers[4:10] == [9, 8, 7, 6, 5, 4] and set(offers[10:]) == {4}
    assert isinstance(mine.offering, WAROfferingPolicy)


def test_acceptances_differ_in_what_they_accept_after_a_first_acceptance() -> None:
    owner = SAONegotiator(name="o", ufun=LinearUtilityFunction([1.0], reserved_value=4.0))
    better, not_worse, any_ = AcceptBetterRational(), AcceptNotWorseRational(), AcceptAnyRational()
    for policy in (better, not_worse, any_):
        policy.set_negotiator(owner)
    accept, reject = ResponseType.ACCEPT_OFFER, ResponseType.REJECT_OFFER
    answers = {
        name: [p(None, (o,), "x") for o in (3, 5, 5, 4, 6)]
        for name, p in (("better", better), ("not_worse", not_worse), ("any", any_))
    }
    assert answers["better"] == [reject, accept, reject, reject, accept]
    assert answers["not_worse"] == [reject, accept, accept, reject, accept]
    assert answers["any"] == [reject, accept, accept, accept, accept]
    # per partner, and forgotten when a negotiation starts
    assert better(None, (5,), "y") is accept
    better.on_negotiation_start(None)
    assert better(None, (4,), "x") is accept


def test_nothing_rational_means_no_offer() -> None:
    m = SAOMechanism(issues=ISSUES, n_steps=5, seed=3)
    m.add(CARNegotiator(name="mine"), ufun=LinearUtilityFunction([1.0], reserved_value=100.0))
    m.add(ToughNegotiator(name="tough"), ufun=LinearUtilityFunction([-1.0], bias=9.0))
    state = m.run()
    assert state.agreement is None and m.negotiator_offers("mine") == []

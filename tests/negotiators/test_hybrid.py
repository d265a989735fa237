"""The Hybrid agent (NegMAS's HybridNegotiator) and AdditiveFirstFollowingTBNegotiator."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from palaver.mechanisms import ResponseType, SAOMechanism, SAOState
from palaver.negotiators import (
    ACNext,
    AdditiveFirstFollowingTBNegotiator,
    HybridNegotiator,
    HybridOfferingPolicy,
)
from palaver.negotiators.hybrid import nearest_index
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearAdditiveUtilityFunction, LinearUtilityFunction

# 101 outcomes with utility x / 100 to the first party, 1 - x / 100 to the second.
LINE = make_os([make_issue(101, "x")])


def mine(reserved: float = 0.0) -> LinearUtilityFunction:
    return LinearUtilityFunction([0.01], outcome_space=LINE, reserved_value=reserved)


def theirs() -> LinearUtilityFunction:
    return LinearUtilityFunction([-0.01], bias=1.0, outcome_space=LINE, reserved_value=0.0)


def at(t: float, step: int = 0) -> SimpleNamespace:
    return SimpleNamespace(relative_time=t, step=step)


def test_nearest_index() -> None:
    values = [0.0, 0.5, 1.0]
    assert nearest_index([], 0.2) == -1
    assert nearest_index(values, -1.0) == 0 and nearest_index(values, 2.0) == 2
    assert nearest_index(values, 0.25) == 0  # a tie goes to the lower value
    assert nearest_index(values, 0.26) == 1
    assert nearest_index(values, 0.01, above_only=True) == 1
    assert nearest_index(values, 2.0, above_only=True) == 2


def started(negotiator: HybridNegotiator, reserved: float = 0.0) -> HybridOfferingPolicy:
    m = SAOMechanism(outcome_space=LINE, n_steps=100, seed=1)
    m.add(negotiator, ufun=mine(reserved))
    m.add(HybridNegotiator(name="other"), ufun=theirs())
    negotiator.on_negotiation_start(m.state)
    policy = negotiator.offering
    assert isinstance(policy, HybridOfferingPolicy)
    return policy


def test_time_based_target_is_the_bezier_curve_floored_at_the_reserved_value() -> None:
    policy = started(HybridNegotiator(name="h"))
    # 101 outcomes (< 450): final utility 0.8 by NegMAS's ladder
    assert policy(at(0.0)) == (100,)
    t = 0.5
    target = 0.25 * 1.0 + 2 * 0.25 * 0.75 + 0.25 * 0.8
    assert policy(at(t, step=1)) == (round(target * 100),)
    assert policy(at(1.0, step=2)) == (80,)
    floored = started(HybridNegotiator(name="h2", final_utility=0.2), reserved=0.5)
    assert floored(at(1.0)) == (50,)


def test_partner_concessions_move_the_target_after_enough_offers() -> None:
    policy = started(HybridNegotiator(name="h", empathy_score=0.5))
    assert policy(at(0.0)) == (100,)  # its last offer: utility 1.0
    for x in (10, 20, 40):  # the partner concedes: 0.1, 0.2, 0.4 to it
        policy.on_partner_proposal(at(0.1), "other", (x,))
    t = 0.5
    delta = 0.1 * 0.25 + 0.2 * 0.75  # window of two changes: weights (0.25, 0.75)
    behaviour = 1.0 - (0.5 + 0.5 * t) * delta
    time_based = 0.25 * 1.0 + 2 * 0.25 * 0.75 + 0.25 * 0.8
    target = (1 - t * t) * behaviour + t * t * time_based
    assert policy(at(t, step=1)) == (round(target * 100),)


def test_hybrid_accepts_by_acnext_and_negotiates() -> None:
    h = HybridNegotiator(name="h")
    assert isinstance(h.acceptance, ACNext) and h.acceptance.offering_strategy is h.offering
    policy = started(h)
    assert h.acceptance(at(0.0), (100,), "other") is ResponseType.ACCEPT_OFFER
    assert policy(at(0.0)) == (100,)
    assert h.acceptance(at(0.0), (99,), "other") is ResponseType.REJECT_OFFER
    issues = [make_issue(10, "price"), make_issue(5, "quantity"), make_issue(["r", "g"], "c")]
    space = make_os(issues)
    m = SAOMechanism(outcome_space=space, n_steps=100, seed=4)
    for i in range(3):
        m.add(
            HybridNegotiator(name=f"h{i}"),
            ufun=LinearAdditiveUtilityFunction.random(outcome_space=space, reserved_value=0.0),
        )
    state = m.run()
    assert state.ended and state.step <= 100


def test_additive_first_following_weighs_utility_against_the_first_offer() -> None:
    space = make_os([make_issue(5, "x"), make_issue(5, "y")])

    def started_tb(u_weight: float) -> AdditiveFirstFollowingTBNegotiator:
        n = AdditiveFirstFollowingTBNegotiator(name="me", u_weight=u_weight, stochastic=True)
        m = SAOMechanism(outcome_space=space, n_steps=10, seed=3)
        m.add(n, ufun=LinearUtilityFunction([1.0, 0.0]))
        n.on_negotiation_start(m.state)
        n.respond(SAOState(relative_time=0.1, current_proposer="p"), (0, 3))
        return n

    end = SAOState(relative_time=1.0, current_proposer="p")
    # mostly utility: x = 4 (its best), and y nearest the first offer
    assert started_tb(0.6).propose(end) == (4, 3)
    # mostly nearness: the partner's first offer itself
    assert started_tb(0.01).propose(end) == (0, 3)
    with pytest.raises(ValueError, match="dist_power"):
        AdditiveFirstFollowingTBNegotiator(dist_power=0)

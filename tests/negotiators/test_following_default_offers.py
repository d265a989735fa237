"""NegMAS's offer-oriented and offer-following negotiators offer as the
aspiration negotiator does unless ``stochastic=True`` (NegMAS's time-based
negotiators use their offer selector only when stochastic)."""

from __future__ import annotations

import numpy as np
import pytest

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import (
    AdditiveFirstFollowingTBNegotiator,
    AdditiveLastOfferFollowingTBNegotiator,
    AdditiveParetoFollowingTBNegotiator,
    AspirationNegotiator,
    BestOfferOrientedTBNegotiator,
    FirstOfferOrientedTBNegotiator,
    LastOfferOrientedTBNegotiator,
    MultiplicativeFirstFollowingTBNegotiator,
    MultiplicativeLastOfferFollowingTBNegotiator,
    MultiplicativeParetoFollowingTBNegotiator,
    NaiveTitForTatNegotiator,
)
from palaver.outcomes import make_issue, make_os
from palaver.preferences import MappingUtilityFunction

FOLLOWERS = [
    FirstOfferOrientedTBNegotiator,
    LastOfferOrientedTBNegotiator,
    BestOfferOrientedTBNegotiator,
    AdditiveFirstFollowingTBNegotiator,
    AdditiveLastOfferFollowingTBNegotiator,
    AdditiveParetoFollowingTBNegotiator,
    MultiplicativeFirstFollowingTBNegotiator,
    MultiplicativeLastOfferFollowingTBNegotiator,
    MultiplicativeParetoFollowingTBNegotiator,
]


def opposed() -> tuple[MappingUtilityFunction, MappingUtilityFunction, object]:
    space = make_os([make_issue(50)])
    outcomes = list(space.enumerate_or_sample())
    up = np.linspace(0.0, 1.0, len(outcomes)).tolist()
    mine = MappingUtilityFunction(dict(zip(outcomes, up, strict=True)), outcomes=outcomes)
    theirs = MappingUtilityFunction(
        dict(zip(outcomes, [1.0 - u for u in up], strict=True)), outcomes=outcomes
    )
    return mine, theirs, space


def play(follower: type, stochastic: bool | None) -> SAOMechanism:
    mine, theirs, space = opposed()
    m = SAOMechanism(outcome_space=space, n_steps=200, time_limit=None, seed=1)
    m.add(NaiveTitForTatNegotiator(name="tft"), preferences=mine)
    kwargs = {} if stochastic is None else {"stochastic": stochastic}
    m.add(follower(name="f", **kwargs), preferences=theirs)
    m.run()
    return m


@pytest.mark.parametrize("follower", FOLLOWERS)
def test_by_default_it_offers_what_the_aspiration_negotiator_offers(follower: type) -> None:
    reference = play(AspirationNegotiator, None)
    m = play(follower, None)
    assert m.negotiator_offers("f") == reference.negotiator_offers("f")
    # NegMAS's figures for this negotiation (every follower: the tit-for-tat
    # agrees on 25 in round 170).
    assert m.state.agreement == (25,) and m.state.step == 170
    # The pivot is still tracked (the tit-for-tat's offers).
    if hasattr(m.negotiators[1], "pivot"):
        assert m.negotiators[1].pivot in m.negotiator_offers("tft")


def test_stochastic_followers_steer_their_offers() -> None:
    default = play(AdditiveLastOfferFollowingTBNegotiator, False)
    steered = play(AdditiveLastOfferFollowingTBNegotiator, True)
    assert default.negotiator_offers("f") != steered.negotiator_offers("f")

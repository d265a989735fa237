"""NegMAS's offer-following time-based negotiators (additive / multiplicative;
first, last or every partner offer), NegMAS module lists and NegMAS class paths."""

from __future__ import annotations

import importlib

import pytest

from palaver.helpers import get_class
from palaver.mechanisms import SAOMechanism, SAOState
from palaver.negotiators import (
    AdditiveFirstFollowingTBNegotiator,
    AdditiveLastOfferFollowingTBNegotiator,
    AdditiveParetoFollowingTBNegotiator,
    MultiplicativeFirstFollowingTBNegotiator,
    MultiplicativeLastOfferFollowingTBNegotiator,
    MultiplicativeParetoFollowingTBNegotiator,
)
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearUtilityFunction

FOLLOWERS = [
    AdditiveFirstFollowingTBNegotiator,
    AdditiveLastOfferFollowingTBNegotiator,
    AdditiveParetoFollowingTBNegotiator,
    MultiplicativeFirstFollowingTBNegotiator,
    MultiplicativeLastOfferFollowingTBNegotiator,
    MultiplicativeParetoFollowingTBNegotiator,
]
END = SAOState(relative_time=1.0, current_proposer="p")


def started(cls: type, offers: list[tuple[int, int]], **kwargs: object) -> object:
    """A negotiator of ``cls`` on a 5x5 space, valuing only x, that received ``offers``."""
    n = cls(name="me", stochastic=True, **kwargs)
    m = SAOMechanism(outcome_space=make_os([make_issue(5, "x"), make_issue(5, "y")]), n_steps=10)
    m.add(n, ufun=LinearUtilityFunction([0.25, 0.0]))
    n.on_negotiation_start(m.state)
    for offer in offers:
        n.respond(SAOState(relative_time=0.1, current_proposer="p"), offer)
    return n


def test_first_last_and_every_offer_are_followed() -> None:
    # u_weight small: nearness decides; at the end every outcome is allowed.
    offers = [(0, 4), (1, 0)]
    assert started(AdditiveFirstFollowingTBNegotiator, offers, u_weight=0.01).propose(END) == (0, 4)
    assert started(AdditiveLastOfferFollowingTBNegotiator, offers, u_weight=0.01).propose(END) == (
        1,
        0,
    )
    # Every offer followed: the nearest of them counts, so either offer is at
    # distance 0; the one worth more to it (x = 1) wins the tie.
    pareto = started(AdditiveParetoFollowingTBNegotiator, offers, u_weight=0.01)
    assert pareto.propose(END) == (1, 0)
    assert pareto.pivots == offers


def test_multiplicative_score_is_utility_times_closeness() -> None:
    # Utility x / 4, closeness (d_max - d) / d_max to (0, 0) with d_max = sqrt(32):
    # on y = 0 the product is 0.21, 0.32, 0.35, 0.29 for x = 1..4, so x = 3.
    n = started(MultiplicativeFirstFollowingTBNegotiator, [(0, 0)])
    assert n.propose(END) == (3, 0)
    # The additive one with most weight on utility takes x = 4, nearest y.
    assert started(AdditiveFirstFollowingTBNegotiator, [(0, 0)], u_weight=0.99).propose(END) == (
        4,
        0,
    )


def test_pareto_following_keeps_nearest_distances_across_offers() -> None:
    n = started(MultiplicativeParetoFollowingTBNegotiator, [(0, 4), (4, 4)])
    assert n.propose(END) == (4, 4)  # full utility and distance 0 to an offer
    # A new negotiation forgets the offers.
    m = SAOMechanism(outcome_space=make_os([make_issue(5, "x"), make_issue(5, "y")]), n_steps=10)
    fresh = MultiplicativeParetoFollowingTBNegotiator(name="again", stochastic=True)
    m.add(fresh, ufun=LinearUtilityFunction([0.25, 0.0]))
    fresh.on_negotiation_start(m.state)
    assert fresh.pivots == []


@pytest.mark.parametrize("cls", FOLLOWERS)
def test_each_follower_negotiates_and_checks_its_power(cls: type) -> None:
    space = make_os([make_issue(6, "a"), make_issue(6, "b")])
    m = SAOMechanism(outcome_space=space, n_steps=40, seed=1)
    m.add(cls(name="f"), ufun=LinearUtilityFunction([0.1, 0.1]))
    m.add(cls(name="g"), ufun=LinearUtilityFunction([-0.1, 0.1]))
    state = m.run()
    assert state.ended and state.agreement is not None
    with pytest.raises(ValueError, match="dist_power"):
        cls(dist_power=0)


def test_negmas_module_lists_and_class_paths() -> None:
    timebased = importlib.import_module("palaver.negmas.sao.negotiators.timebased")
    assert "MultiplicativeParetoFollowingTBNegotiator" in timebased.__all__
    assert "SAOMechanism" not in timebased.__all__  # NegMAS's list, not the namespace
    assert timebased.SAOMechanism is importlib.import_module("palaver.negmas").SAOMechanism
    everything = importlib.import_module("palaver.negmas.sao.negotiators").__all__
    assert set(timebased.__all__) <= set(everything)
    assert "TopFractionNegotiator" in everything
    # NegMAS's dotted paths name Palaver's classes.
    assert (
        get_class("negmas.sao.negotiators.timebased.AdditiveParetoFollowingTBNegotiator")
        is AdditiveParetoFollowingTBNegotiator
    )
    with pytest.raises(ImportError, match="NoSuchNegotiator"):
        get_class("negmas.sao.NoSuchNegotiator")


def test_negmas_base_utility_function_is_every_utility_functions_base() -> None:
    from palaver.negmas.preferences.base_ufun import BaseUtilityFunction

    from palaver.negmas import GSmithFrequencyModel

    assert isinstance(LinearUtilityFunction([1.0]), BaseUtilityFunction)
    assert isinstance(GSmithFrequencyModel(), BaseUtilityFunction)  # opponent models too

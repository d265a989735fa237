"""FirstOfferOrientedTBNegotiator and its Last/Best variants: offers near a partner's offer."""

from __future__ import annotations

import pytest

from palaver.mechanisms import SAOMechanism, SAOState
from palaver.negotiators import (
    BestOfferOrientedTBNegotiator,
    FirstOfferOrientedTBNegotiator,
    LastOfferOrientedTBNegotiator,
)
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearUtilityFunction

# Two issues; the negotiator cares only for x: every y is as good, and the
# pivot alone decides which y it offers.
SPACE = make_os([make_issue(5, "x"), make_issue(5, "y")])


def started(negotiator: FirstOfferOrientedTBNegotiator) -> FirstOfferOrientedTBNegotiator:
    m = SAOMechanism(outcome_space=SPACE, n_steps=10, seed=3)
    m.add(negotiator, ufun=LinearUtilityFunction([1.0, 0.0]))
    negotiator.on_negotiation_start(m.state)
    return negotiator


def at(t: float, proposer: str = "partner") -> SAOState:
    return SAOState(relative_time=t, running=True, started=True, current_proposer=proposer)


def test_it_offers_the_outcome_nearest_the_partners_first_offer() -> None:
    n = started(FirstOfferOrientedTBNegotiator(name="me", stochastic=True))
    n.respond(at(0.1), (0, 3))
    assert n.pivot == (0, 3)
    # early, only x = 4 meets its aspiration: of those, (4, 3) is nearest (0, 3)
    assert n.propose(at(0.1)) == (4, 3)
    n.respond(at(0.2), (0, 1))  # not its first: the pivot stays
    assert n.pivot == (0, 3) and n.propose(at(0.2)) == (4, 3)
    n.respond(at(0.2, proposer="me"), (4, 4))  # its own offer is never a pivot
    assert n.pivot == (0, 3)
    # late, lower x meet the aspiration too: the nearest of them
    assert n.propose(at(0.99)) == (1, 3)  # x >= 0.16 still demanded
    assert n.propose(at(1.0)) == (0, 3)


def test_last_and_best_variants_choose_other_pivots() -> None:
    last = started(LastOfferOrientedTBNegotiator(name="me", stochastic=True))
    best = started(BestOfferOrientedTBNegotiator(name="me", stochastic=True))
    for n in (last, best):
        n.respond(at(0.1), (1, 0))
        n.respond(at(0.2), (3, 4))
        n.respond(at(0.3), (2, 2))
    assert last.pivot == (2, 2) and last.propose(at(0.3)) == (4, 2)
    assert best.pivot == (3, 4) and best.propose(at(0.3)) == (4, 4)


def test_before_any_partner_offer_it_draws_from_the_mechanisms_generator() -> None:
    def first_offers(seed: int) -> list[tuple[int, ...]]:
        m = SAOMechanism(outcome_space=SPACE, n_steps=20, seed=seed)
        m.add(
            FirstOfferOrientedTBNegotiator(name="a", stochastic=True),
            ufun=LinearUtilityFunction([1.0, 0.0]),
        )
        m.add(
            FirstOfferOrientedTBNegotiator(name="b", stochastic=True),
            ufun=LinearUtilityFunction([-1.0, 0.0], bias=4.0),
        )
        m.run()
        return m.offers

    assert first_offers(1) == first_offers(1)
    assert any(first_offers(1) != first_offers(s) for s in range(2, 8))


def test_it_reaches_agreements_and_a_custom_distance_is_used() -> None:
    seen: list[int] = []

    def city_block(a: tuple[int, ...], b: tuple[int, ...], space: object) -> float:
        seen.append(1)
        return float(sum(abs(x - y) for x, y in zip(a, b, strict=True)))

    m = SAOMechanism(outcome_space=SPACE, n_steps=30, seed=2)
    m.add(
        FirstOfferOrientedTBNegotiator(name="s", distance_fun=city_block, stochastic=True),
        ufun=LinearUtilityFunction([1.0, 0.2]),
    )
    m.add(
        FirstOfferOrientedTBNegotiator(name="b"), ufun=LinearUtilityFunction([-1.0, 0.2], bias=4.0)
    )
    state = m.run()
    assert state.agreement is not None and seen
    with pytest.raises(TypeError, match="distance_fun must be a callable"):
        FirstOfferOrientedTBNegotiator(distance_fun=3)  # type: ignore[arg-type]


def test_categorical_issues_count_a_different_value_as_distance_one() -> None:
    space = make_os([make_issue(3, "x"), make_issue(["red", "green", "blue"], "colour")])
    m = SAOMechanism(outcome_space=space, n_steps=10, seed=0)
    n = FirstOfferOrientedTBNegotiator(name="me", stochastic=True)
    m.add(n, ufun=LinearUtilityFunction([1.0, 0.0], outcome_space=space))
    n.on_negotiation_start(m.state)
    n.respond(at(0.1), (0, "blue"))
    assert n.propose(at(0.1)) == (2, "blue")

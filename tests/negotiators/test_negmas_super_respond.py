"""A NegMAS-style subclass handing on ``super().propose(state, dest)`` gets the
built-in's offer, and one whose ``respond(self, state, source)`` hands on
``super().respond(state, source)`` gets the built-in's answer to the standing
offer (NegMAS's meaning), not an answer to the proposer's id read as an outcome."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.mechanisms import MechanismState, ResponseType, SAOMechanism
from palaver.negotiators import (
    AspirationNegotiator,
    BoulwareNegotiator,
    FirstOfferOrientedTBNegotiator,
    MiCRO,
    NaiveTitForTat,
    NiceNegotiator,
    ToughNegotiator,
    all_negotiator_types,
)
from palaver.negotiators.base import offer_of
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction

ISSUES = [make_issue(10, "price"), make_issue(5, "quantity")]
STRATEGIES = [
    AspirationNegotiator,
    BoulwareNegotiator,
    FirstOfferOrientedTBNegotiator,
    MiCRO,
    NaiveTitForTat,
    NiceNegotiator,
    ToughNegotiator,
]


def run(first: Any, second: Any) -> SAOMechanism:
    m = SAOMechanism(issues=ISSUES, n_steps=40, seed=3)
    m.add(first, ufun=LinearUtilityFunction([1.0, 0.5]))
    m.add(second, ufun=LinearUtilityFunction([-1.0, 0.2], bias=9.0))
    m.run()
    return m


@pytest.mark.parametrize("strategy", STRATEGIES, ids=lambda c: c.__name__)
def test_handing_on_the_source_answers_the_standing_offer(strategy: type) -> None:
    seen: list[Any] = []

    class Watching(strategy):  # type: ignore[valid-type, misc]
        def respond(self, state: MechanismState, source: str | None = None) -> ResponseType:
            seen.append((source, state.current_offer))
            return super().respond(state, source)  # type: ignore[no-any-return]

    plain = run(strategy(name="me"), AspirationNegotiator(name="other"))
    watched = run(Watching(name="me"), AspirationNegotiator(name="other"))
    assert watched.history == plain.history
    assert watched.agreement == plain.agreement
    assert seen and all(source == "other" and offer is not None for source, offer in seen)


def test_offer_of_reads_ids_and_none_as_the_standing_offer() -> None:
    class State:
        current_offer = (3, 1)

    state: Any = State()
    assert offer_of(state, "seller") == (3, 1)
    assert offer_of(state, None) == (3, 1)
    assert offer_of(state, [4, 2]) == (4, 2)
    assert offer_of(state, (5, 0)) == (5, 0)


@pytest.mark.parametrize("strategy", all_negotiator_types(), ids=lambda c: c.__name__)
def test_handing_on_dest_to_propose_gives_the_built_in_offer(strategy: type) -> None:
    # NegMAS's propose(state, dest=None): a subclass handing on super().propose(state, dest)
    # raised TypeError (takes 2 positional arguments but 3 were given) on every built-in.
    class Forwarding(strategy):  # type: ignore[valid-type, misc]
        def propose(self, state: MechanismState, dest: str | None = None) -> Any:
            return super().propose(state, dest)

    plain = run(strategy(name="me"), AspirationNegotiator(name="other"))
    forwarded = run(Forwarding(name="me"), AspirationNegotiator(name="other"))
    assert forwarded.history == plain.history
    assert forwarded.agreement == plain.agreement

"""NegMAS's class names for the built-in strategies, all_negotiator_types, type names."""

from __future__ import annotations

import pytest

import palaver
from palaver.mechanisms import SAOMechanism
from palaver.negotiators import (
    BoulwareNegotiator,
    BoulwareTBNegotiator,
    ConcederNegotiator,
    ConcederTBNegotiator,
    LinearNegotiator,
    LinearTBNegotiator,
    MiCRO,
    MiCRONegotiator,
    NaiveTitForTat,
    NaiveTitForTatNegotiator,
    SAONegotiator,
    all_negotiator_types,
)
from palaver.outcomes import make_issue
from palaver.preferences import LinearAdditiveUtilityFunction


def test_negmas_names_are_the_palaver_classes() -> None:
    assert NaiveTitForTatNegotiator is NaiveTitForTat is palaver.NaiveTitForTatNegotiator
    assert MiCRONegotiator is MiCRO is palaver.MiCRONegotiator
    assert BoulwareTBNegotiator is BoulwareNegotiator
    assert ConcederTBNegotiator is ConcederNegotiator
    assert LinearTBNegotiator is LinearNegotiator


@pytest.mark.parametrize("first", all_negotiator_types(), ids=lambda t: t.__name__)
def test_every_listed_type_negotiates_made_without_arguments(first: type[SAONegotiator]) -> None:
    types = all_negotiator_types()
    assert len(set(types)) == len(types) and all(issubclass(t, SAONegotiator) for t in types)
    m = SAOMechanism(issues=[make_issue(6, "price"), make_issue(["a", "b"], "kind")], n_steps=30)
    random_ufun = LinearAdditiveUtilityFunction.random
    m.add(first(), ufun=random_ufun(m.outcome_space, seed=1))
    m.add(BoulwareTBNegotiator(), ufun=random_ufun(m.outcome_space, seed=2))
    state = m.run()
    assert state.ended and not state.has_error


def test_type_names() -> None:
    assert BoulwareTBNegotiator().short_type_name == "Boulware"
    assert MiCRONegotiator().short_type_name == "MiCRO"
    assert NaiveTitForTat().type_name == "palaver.negotiators.titfortat.NaiveTitForTat"

    class Negotiator(SAONegotiator):
        pass

    assert Negotiator().short_type_name == "Negotiator"


def test_random_negotiator_takes_negmas_p_rejection() -> None:
    from palaver.mechanisms import ResponseType
    from palaver.negotiators import RandomNegotiator

    m = SAOMechanism(issues=[make_issue(6, "price")], n_steps=200, seed=5)
    quiet = RandomNegotiator(name="quiet", p_acceptance=0.0, p_rejection=0.5)
    m.add(quiet)
    m.add(RandomNegotiator(name="other", p_acceptance=0.0))
    m.run()
    answers = [quiet.respond(m.state, (1,)) for _ in range(400)]
    assert {ResponseType.REJECT_OFFER, ResponseType.NO_RESPONSE} == set(answers)
    assert RandomNegotiator().p_rejection is None
    with pytest.raises(ValueError, match="p_rejection"):
        RandomNegotiator(p_acceptance=0.5, p_rejection=0.6)

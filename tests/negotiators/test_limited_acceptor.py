"""LimitedOutcomesAcceptor: NegMAS's negotiator that only accepts listed outcomes."""

from __future__ import annotations

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import LimitedOutcomesAcceptor, LimitedOutcomesNegotiator

ACCEPTED = [(2,), (3,), (4,), (5,)]


def test_it_never_offers_and_accepts_only_its_outcomes() -> None:
    for seed in range(5):
        m = SAOMechanism(outcomes=10, n_steps=10, seed=seed)
        offerer = LimitedOutcomesNegotiator(proposable_outcomes=[(0,), (1,), (3,)])
        acceptor = LimitedOutcomesAcceptor(acceptable_outcomes=ACCEPTED)
        m.add(offerer)
        m.add(acceptor)
        state = m.run()
        assert all(who != acceptor.id for _, who, _ in m.extended_trace)
        assert state.agreement == (3,)  # the only proposable outcome it accepts


def test_it_agrees_at_once_with_a_negotiator_offering_what_it_accepts() -> None:
    m = SAOMechanism(outcomes=10, n_steps=10, seed=1)
    m.add(LimitedOutcomesNegotiator(acceptable_outcomes=ACCEPTED))
    m.add(LimitedOutcomesAcceptor(acceptable_outcomes=ACCEPTED, acceptance_probabilities=1.0))
    state = m.run()
    assert state.agreement in ACCEPTED and state.step == 1


def test_two_acceptors_make_no_offer_and_end_broken_at_the_start_as_in_negmas() -> None:
    m = SAOMechanism(outcomes=10, n_steps=6, seed=2)
    m.add(LimitedOutcomesAcceptor(acceptable_outcomes=ACCEPTED))
    m.add(LimitedOutcomesAcceptor(acceptable_outcomes=ACCEPTED))
    state = m.run()
    assert m.extended_trace == [] and state.agreement is None and not state.timedout
    assert state.broken and state.has_error and state.step == 0 and state.result == "error"


def test_a_zero_probability_is_never_accepted() -> None:
    m = SAOMechanism(outcomes=10, n_steps=8, seed=3)
    m.add(LimitedOutcomesNegotiator(proposable_outcomes=[(2,)]))
    m.add(LimitedOutcomesAcceptor(acceptable_outcomes=[(2,)], acceptance_probabilities=[0.0]))
    assert m.run().agreement is None

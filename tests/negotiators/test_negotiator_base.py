"""Negotiator and SAONegotiator bases, the outcome ranking and grid."""

from __future__ import annotations

import pytest

from palaver.mechanisms import MechanismState, NegotiatorError, ResponseType, SAOMechanism
from palaver.negotiators import (
    DEFAULT_N_LEVELS,
    AspirationNegotiator,
    Negotiator,
    OutcomeRanking,
    SAONegotiator,
    ToughNegotiator,
    outcome_grid,
)
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearUtilityFunction

SPACE = OutcomeSpace([make_issue(3, "x"), make_issue(3, "y")])


class Fixed(SAONegotiator):
    """Always proposes (1, 1); uses the base class's respond."""

    def propose(self, state: MechanismState) -> tuple | None:
        return (1, 1)


def test_ufun_and_preferences_are_aliases() -> None:
    u = LinearUtilityFunction([1.0, 1.0])
    assert Negotiator(ufun=u).preferences is u
    assert Negotiator(preferences=u).ufun is u
    n = Negotiator()
    n.preferences = u
    assert n.ufun is u
    with pytest.raises(ValueError, match="aliases"):
        Negotiator(ufun=u, preferences=LinearUtilityFunction([1.0, 1.0]))


def test_names_ids_and_owner() -> None:
    a, b = Negotiator(), Negotiator()
    assert a.name.startswith("Negotiator-") and a.id == a.name and a.id != b.id
    named = AspirationNegotiator(name="seller", ufun=LinearUtilityFunction([1.0, 1.0]))
    assert named.id == "seller" and named.name == "seller"
    assert Negotiator(name="x", id="y").id == "y"
    assert a.owner_id is None and a.nmi is None
    assert "Negotiator" in repr(a)


def test_joining_sets_the_interface_and_the_ufun_space() -> None:
    u = LinearUtilityFunction([1.0, 2.0])
    n = Fixed(ufun=u)
    m = SAOMechanism(outcome_space=SPACE, n_steps=3)
    assert m.add(n, role="seller")
    # the space is lent when the negotiation starts, not when it is joined
    assert n.nmi is not None and n.role == "seller" and u.outcome_space is None
    m.add(ToughNegotiator(ufun=LinearUtilityFunction([0.0, 1.0])))
    m.step()
    assert u.outcome_space is SPACE
    assert m.state.running
    # while that negotiation runs, a second mechanism is refused
    other = SAOMechanism(outcome_space=SPACE, n_steps=3)
    assert other.add(n) is False
    m.run()
    assert other.add(n) is True  # the first negotiation ended


def test_a_negotiator_is_in_one_negotiation_at_a_time_started_or_not() -> None:
    # Added to two mechanisms before either started, it joined both: its
    # interface became the second one's, and the first negotiation ran with a
    # negotiator reading the other's limits and mixing the two's state.
    n = Fixed(ufun=LinearUtilityFunction([1.0, 2.0]))
    first = SAOMechanism(outcome_space=SPACE, n_steps=3)
    second = SAOMechanism(outcome_space=SPACE, n_steps=30)
    assert first.add(n) is True
    assert second.add(n) is False and n.nmi is not None and n.nmi.id == first.id
    assert first.add(n) is False  # already in it
    first.add(ToughNegotiator(ufun=LinearUtilityFunction([0.0, 1.0])))
    first.run()
    assert second.add(n) is True and n.nmi.n_steps == 30


def test_ufun_given_to_add_replaces_the_negotiators_own() -> None:
    mine, theirs = LinearUtilityFunction([1.0, 1.0]), LinearUtilityFunction([2.0, 2.0])
    n = Fixed(ufun=mine)
    SAOMechanism(outcome_space=SPACE, n_steps=3).add(n, ufun=theirs)
    assert n.ufun is theirs


def test_random_needs_a_mechanism() -> None:
    with pytest.raises(RuntimeError, match="has not joined"):
        _ = Negotiator().random


def test_reserved_value_without_ufun_is_minus_infinity() -> None:
    assert Negotiator().reserved_value == float("-inf")
    assert Negotiator(ufun=LinearUtilityFunction([1.0], reserved_value=2)).reserved_value == 2.0


def test_base_respond_compares_with_its_own_proposal() -> None:
    n = Fixed(ufun=LinearUtilityFunction([1.0, 1.0]))
    state = MechanismState()
    assert n.respond(state, (2, 0)) is ResponseType.ACCEPT_OFFER
    assert n.respond(state, (1, 0)) is ResponseType.REJECT_OFFER


def test_veto_respond_default_uses_the_reserved_value() -> None:
    n = Negotiator(ufun=LinearUtilityFunction([1.0, 1.0], reserved_value=2.0))
    assert n.respond(MechanismState(), (1, 1)) is ResponseType.ACCEPT_OFFER
    assert n.respond(MechanismState(), (1, 0)) is ResponseType.REJECT_OFFER


def test_propose_must_be_implemented() -> None:
    m = SAOMechanism(outcome_space=SPACE, n_steps=3)
    m.add(SAONegotiator(ufun=LinearUtilityFunction([1.0, 1.0])))
    m.add(Fixed(ufun=LinearUtilityFunction([1.0, 1.0])))
    with pytest.raises(NegotiatorError, match="does not implement propose"):
        m.run()


def test_n_levels_is_validated() -> None:
    assert DEFAULT_N_LEVELS == 10
    assert SAONegotiator().n_levels == 10
    for bad in (1, 2.5, True):
        with pytest.raises(ValueError, match="n_levels"):
            SAONegotiator(n_levels=bad)  # type: ignore[arg-type]


def test_ranking_sorts_and_looks_up_utilities() -> None:
    u = LinearUtilityFunction([1.0, 10.0], outcome_space=SPACE)
    r = OutcomeRanking(u, SPACE)
    assert len(r) == 9
    assert r.utilities == sorted(r.utilities)
    assert [u(o) for o in r.outcomes] == r.utilities
    assert r.best == (2, 2) and r.max_utility == 22.0 and r.min_utility == 0.0
    assert r.at_least(10.5) == (1, 1) and r.at_least(100) == (2, 2)
    assert r.index_at_least(0.0) == 0 and r.index_at_least(23.0) == 9
    assert r.utility((2, 1)) == 12.0


def test_ranking_on_a_continuous_space_evaluates_off_grid_offers() -> None:
    space = OutcomeSpace([make_issue((0.0, 1.0), "p")])
    u = LinearUtilityFunction([2.0], outcome_space=space)
    r = OutcomeRanking(u, space, n_levels=3)
    assert r.outcomes == [(0.0,), (0.5,), (1.0,)]
    assert r.utility((0.3,)) == pytest.approx(0.6)
    assert r.utility((0.5,)) == 1.0


def test_outcome_grid_is_shared_per_space_and_levels() -> None:
    space = OutcomeSpace([make_issue((0.0, 1.0), "p"), make_issue(2, "q")])
    g = outcome_grid(space, 4)
    assert g is outcome_grid(OutcomeSpace(list(space.issues)), 4)  # equal spaces share it
    assert len(g.outcomes) == 8 and g.array.shape == (8, 2)
    assert g.index is not None and g.index[g.outcomes[5]] == 5
    assert g.objects[3] == g.outcomes[3]
    assert len(outcome_grid(space, 3).outcomes) == 6


def test_an_empty_name_or_id_is_refused() -> None:
    with pytest.raises(ValueError, match="name must not be empty"):
        AspirationNegotiator(name="")
    with pytest.raises(ValueError, match="id must not be empty"):
        AspirationNegotiator(name="a", id="")

"""Negotiators written as a NegMAS user writes them (imports from palaver.negmas,
callbacks calling super(), the nmi / state / ufun members NegMAS's guide uses),
run on Palaver; and NegMAS's smaller negotiator members."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from palaver.negmas import (
    AffineFun,
    AspirationNegotiator,
    IdentityFun,
    LinearAdditiveUtilityFunction,
    PresortingInverseUtilityFunction,
    ResponseType,
    SAOCallNegotiator,
    SAOMechanism,
    SAONegotiator,
    SAOPRNegotiator,
    SAOResponse,
    TableFun,
    make_issue,
)

ISSUES = [make_issue(10, "price"), make_issue(["a", "b", "c"], "kind")]


def buyer() -> LinearAdditiveUtilityFunction:
    values = {"price": AffineFun(-1.0, 9.0), "kind": TableFun({"a": 1.0, "b": 0.5, "c": 0.0})}
    weights = {"price": 0.7, "kind": 0.3}
    return LinearAdditiveUtilityFunction(
        values=values, weights=weights, issues=ISSUES, reserved_value=1.0
    )


def seller() -> LinearAdditiveUtilityFunction:
    values = {"price": IdentityFun(), "kind": TableFun({"a": 0.0, "b": 0.5, "c": 1.0})}
    weights = {"price": 0.7, "kind": 0.3}
    return LinearAdditiveUtilityFunction(
        values=values, weights=weights, issues=ISSUES, reserved_value=1.0
    )


class Boulware(SAONegotiator):
    """A time-based concession written after NegMAS's tutorial."""

    def __init__(self, *args: Any, e: float = 0.2, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.e = e
        self.rounds = 0
        self.ended_with: Any = "never"

    def on_preferences_changed(self, changes: Any) -> None:
        super().on_preferences_changed(changes)
        self.inverse = PresortingInverseUtilityFunction(self.ufun)
        self.inverse.init()
        _, self.best = self.ufun.extreme_outcomes()
        low, self.high = self.ufun.minmax()
        self.low = max(low, self.ufun.reserved_value)

    def target(self, t: float) -> float:
        return float(self.high - (self.high - self.low) * t ** (1 / self.e))

    def on_round_start(self, state: Any) -> None:
        super().on_round_start(state)
        self.rounds += 1

    def respond(self, state: Any, source: str | None = None) -> ResponseType:
        offer = state.current_offer
        if offer is not None and self.ufun(offer) >= self.target(state.relative_time):
            return ResponseType.ACCEPT_OFFER
        return ResponseType.REJECT_OFFER

    def propose(self, state: Any, dest: str | None = None) -> Any:
        found = self.inverse.one_in((self.target(state.relative_time), self.high), normalized=False)
        return found if found is not None else self.best

    def on_negotiation_end(self, state: Any) -> None:
        super().on_negotiation_end(state)
        self.ended_with = state.agreement


class Mirror(SAONegotiator):
    """Concedes one step whenever the partner conceded (it listens to the partner's offers)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partner_offers: list[Any] = []

    def on_negotiation_start(self, state: Any) -> None:
        super().on_negotiation_start(state)
        space = self.nmi.outcome_space
        self.outcomes = sorted(space.enumerate_or_sample(), key=self.ufun, reverse=True)
        self.index = 0
        assert self.nmi.n_steps == 30 and self.nmi.negotiator_index(self.id) in (0, 1)

    def on_partner_proposal(self, state: Any, partner_id: str, offer: Any) -> None:
        super().on_partner_proposal(state, partner_id, offer)
        assert partner_id != self.id
        self.partner_offers.append(offer)

    def on_partner_response(self, state: Any, partner_id: str, outcome: Any, response: Any) -> None:
        super().on_partner_response(state, partner_id, outcome, response)

    def respond(self, state: Any, source: str | None = None) -> ResponseType:
        next_one = self.outcomes[min(self.index + 1, len(self.outcomes) - 1)]
        if self.ufun(state.current_offer) >= self.ufun(next_one):
            return ResponseType.ACCEPT_OFFER
        return ResponseType.REJECT_OFFER

    def propose(self, state: Any, dest: str | None = None) -> Any:
        last = self.partner_offers[-2:]
        if len(last) == 2 and self.ufun(last[1]) > self.ufun(last[0]):
            self.index = min(self.index + 1, len(self.outcomes) - 1)
        if state.relative_time > 0.8:
            self.index = min(self.index + 2, len(self.outcomes) - 1)
        return self.outcomes[self.index]


class OneCall(SAOCallNegotiator):
    """NegMAS's __call__ style: one method answers and offers."""

    def __call__(self, state: Any, dest: str | None = None) -> SAOResponse:
        offer, t = state.current_offer, state.relative_time
        if offer is not None and self.ufun(offer) >= self.ufun.reserved_value + 3.0 * (1 - t):
            return SAOResponse(ResponseType.ACCEPT_OFFER, offer)
        rational = [o for o in self.nmi.random_outcomes(5) if self.ufun(o) >= 4.0]
        mine = rational[0] if t >= 0.5 and rational else self.ufun.best()
        return SAOResponse(ResponseType.REJECT_OFFER, mine)


def session(first: SAONegotiator, second: SAONegotiator) -> SAOMechanism:
    m = SAOMechanism(issues=ISSUES, n_steps=30, seed=5)
    m.add(first, preferences=buyer())
    m.add(second, preferences=seller())
    return m


@pytest.mark.parametrize(
    "kinds",
    [(Boulware, Mirror), (Mirror, Boulware), (Boulware, AspirationNegotiator), (OneCall, Mirror)],
)
def test_negmas_style_negotiators_agree_without_errors(kinds: tuple[type, type]) -> None:
    a, b = kinds[0](name="a"), kinds[1](name="b")
    m = session(a, b)
    state = m.run()
    assert not state.has_error, state.error_details
    assert state.agreement is not None
    assert buyer()(state.agreement) >= 1.0 and seller()(state.agreement) >= 1.0
    if isinstance(a, Boulware):
        assert a.rounds == state.step and a.ended_with == state.agreement
    if isinstance(b, Mirror):
        # one offer heard from the partner per round it offered
        assert len(b.partner_offers) == len(m.negotiator_offers("a"))


def test_call_negotiator_must_define_call() -> None:
    with pytest.raises(TypeError, match="abstract"):
        SAOCallNegotiator()  # type: ignore[abstract]
    assert SAOPRNegotiator is SAONegotiator


def test_negmas_member_names_of_a_negotiator() -> None:
    a = Boulware(name="a", private_info={"budget": 3})
    assert a.annotation is a.private_info and a.annotation == {"budget": 3}
    assert a.uuid == a.id == "a"
    assert not a.isin(None) and not a.has_preferences
    m = session(a, Mirror(name="b"))
    assert a.has_preferences and a.has_cardinal_preferences
    assert a.crisp_ufun is a.ufun and a.prob_ufun is None
    assert a.isin(m.id) and not a.isin("elsewhere")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert a.ami is a.nmi
    assert [w.category for w in caught] == [DeprecationWarning]
    assert a.before_death({}) is True and a.cancel("now") is None

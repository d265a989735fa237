"""NegMAS's modular negotiators: components, BOANegotiator / make_boa, curves, GBNegotiator."""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import pytest

from palaver.events import EventBus, EventType, ListSink
from palaver.mechanisms import (
    ExtendedResponseType,
    ResponseType,
    SAOMechanism,
    SAOResponse,
)
from palaver.negotiators import (
    AcceptAnyRational,
    AcceptImmediately,
    ACNext,
    ACTime,
    AspirationNegotiator,
    BOANegotiator,
    EndImmediately,
    ExpAspiration,
    GBNegotiator,
    NoneOfferingPolicy,
    OfferingPolicy,
    PolyAspiration,
    RandomOfferingPolicy,
    RejectAlways,
    SAONegotiator,
    TimeBasedOfferingPolicy,
    make_boa,
)
from palaver.outcomes import ExtendedOutcome, make_issue, make_os
from palaver.preferences import LinearUtilityFunction

# NegMAS-style subclasses of the policies are attrs classes.
attrs = pytest.importorskip("attrs")

# One issue of ten values; the utility of x is x / 9.
SPACE = make_os([make_issue(10, "x")])


def ufun(reserved: float = 0.0, slope: float = 1.0 / 9) -> LinearUtilityFunction:
    return LinearUtilityFunction([slope], outcome_space=SPACE, reserved_value=reserved)


def opposed() -> LinearUtilityFunction:
    return LinearUtilityFunction([-1.0 / 9], outcome_space=SPACE, bias=1.0, reserved_value=0.0)


def joined(negotiator: Any, u: LinearUtilityFunction | None = None) -> Any:
    m = SAOMechanism(outcome_space=SPACE, n_steps=10, seed=1)
    m.add(negotiator, ufun=u or ufun())
    m.add(AspirationNegotiator(name="other"), ufun=opposed())
    return negotiator


def at(t: float, step: int = 0) -> SimpleNamespace:
    return SimpleNamespace(relative_time=t, step=step)


# --- GBNegotiator and the curves -------------------------------------------


def test_every_sao_negotiator_is_a_gb_negotiator() -> None:
    assert issubclass(SAONegotiator, GBNegotiator)
    assert isinstance(AspirationNegotiator(), GBNegotiator)
    assert isinstance(make_boa(), GBNegotiator)


def test_poly_aspiration_follows_one_minus_t_to_the_exponent() -> None:
    assert PolyAspiration(1.0, "boulware").utility_at(0.5) == pytest.approx(1 - 0.5**4)
    assert PolyAspiration(0.8, "linear").utility_at(0.25) == pytest.approx(0.6)
    assert PolyAspiration(1.0, 2.0).utility_at(0.5) == pytest.approx(0.75)
    hard = PolyAspiration(1.0, "hardheaded")
    assert hard.utility_at(0.99) == 1.0 and hard.utility_at(1.0) == 0.0
    assert PolyAspiration(1.0, "conceder").utility_range(0.0) == (1.0, 1.0)
    with pytest.raises(ValueError, match="unknown aspiration_type"):
        PolyAspiration(1.0, "stubborn")


def test_exp_aspiration_goes_from_its_maximum_to_zero() -> None:
    curve = ExpAspiration(1.0, "linear")
    assert curve.utility_at(0.0) == pytest.approx(1.0)
    assert curve.utility_at(1.0) == pytest.approx(0.0)
    assert curve.utility_at(0.5) == pytest.approx(math.expm1(0.5**0.725) / math.expm1(1.0))


# --- SAOResponse.from_extended -----------------------------------------------


def test_from_extended_merges_the_data_of_the_answer_and_the_offer() -> None:
    plain = SAOResponse.from_extended(ResponseType.ACCEPT_OFFER, (1,))
    assert (plain.response, plain.outcome, plain.data) == (ResponseType.ACCEPT_OFFER, (1,), None)
    answer = ExtendedResponseType(ResponseType.REJECT_OFFER, {"text": "no", "k": 1, "a": 2})
    offer = ExtendedOutcome((3,), data={"text": "this", "k": 5, "b": 6})
    both = SAOResponse.from_extended(answer, offer)
    assert both.response is ResponseType.REJECT_OFFER and both.outcome == (3,)
    assert both.data == {"text": "no\nthis", "k_response": 1, "k_offer": 5, "a": 2, "b": 6}
    only = SAOResponse.from_extended(ResponseType.REJECT_OFFER, offer)
    assert only.outcome == (3,) and only.data == {"text": "this", "k": 5, "b": 6}

    class Joined(SAOResponse):
        @classmethod
        def text_combiner(cls, response_text: str, offer_text: str) -> str:
            return f"{response_text}|{offer_text}"

    joined_reply = Joined.from_extended(answer, offer)
    assert isinstance(joined_reply, Joined) and joined_reply.data is not None
    assert joined_reply.data["text"] == "no|this"


# --- the simple policies -----------------------------------------------------


def test_acceptance_policies_answer_as_documented() -> None:
    n = joined(make_boa(), ufun(reserved=0.5))
    rational, irrational = (9,), (2,)
    accept, reject = ResponseType.ACCEPT_OFFER, ResponseType.REJECT_OFFER
    any_rational = AcceptAnyRational(negotiator=n)
    assert any_rational(at(0.0), rational, "p") is accept
    assert any_rational(at(0.0), irrational, "p") is reject
    late = ACTime(tau=0.5, negotiator=n)
    assert late(at(0.4), rational, "p") is reject
    assert late(at(0.5), rational, "p") is accept
    assert late(at(0.9), irrational, "p") is reject  # rational only by default
    assert ACTime(tau=0.5, rational=False, negotiator=n)(at(0.9), irrational, "p") is accept
    assert AcceptImmediately()(at(0.0), irrational, "p") is accept
    assert RejectAlways()(at(1.0), rational, "p") is reject
    assert EndImmediately()(at(0.0), rational, "p") is ResponseType.END_NEGOTIATION
    assert AcceptAnyRational()(at(0.0), rational, "p") is reject  # no negotiator, no utility


def test_acnext_accepts_offers_worth_its_next_offer() -> None:
    n = joined(make_boa(), ufun())

    @attrs.define
    class Fixed(OfferingPolicy):
        outcome: tuple[int, ...] = (6,)

        def __call__(self, state: Any, dest: str | None = None) -> Any:
            return self.outcome

    nxt = ACNext(Fixed(negotiator=n), negotiator=n)
    assert nxt(at(0.1), (6,), "p") is ResponseType.ACCEPT_OFFER
    assert nxt(at(0.1, step=1), (5,), "p") is ResponseType.REJECT_OFFER
    scaled = ACNext(Fixed(negotiator=n), alpha=1.0, beta=0.2, negotiator=n)
    assert scaled(at(0.1), (5,), "p") is ResponseType.ACCEPT_OFFER


def test_offering_policies_call_once_per_step_and_subclass_with_attrs() -> None:
    @attrs.define
    class Counted(RandomOfferingPolicy):
        calls: list[int] = attrs.field(factory=list)

        def __call__(self, state: Any, dest: str | None = None) -> Any:
            self.calls.append(state.step)
            return super().__call__(state, dest)

    policy = Counted()
    n = joined(make_boa(offering=policy))
    first = policy.propose(at(0.1, step=3))
    assert policy.propose(at(0.1, step=3)) == first and policy.calls == [3]
    policy.propose(at(0.2, step=4))
    assert policy.calls == [3, 4] and n.offering is policy
    assert NoneOfferingPolicy()(at(0.0)) is None
    with pytest.raises(TypeError):
        OfferingPolicy()  # type: ignore[abstract]


def test_time_based_offering_follows_its_curve_over_rational_outcomes() -> None:
    policy = TimeBasedOfferingPolicy(curve=PolyAspiration(1.0, "linear"))
    joined(make_boa(acceptance=RejectAlways(), offering=policy), ufun(reserved=3 / 9))
    policy.on_preferences_changed([])
    # rational outcomes: x = 3..9; the level is 3/9 + (1 - t) * 6/9
    assert policy(at(0.0)) == (9,)
    assert policy(at(0.5)) == (6,)
    assert policy(at(0.6)) == (6,)  # the worst outcome at least the level (5.4 / 9)
    assert policy(at(1.0)) == (3,)


# --- BOANegotiator ------------------------------------------------------------


def run(first: Any, second: Any, n_steps: int = 20) -> SAOMechanism:
    m = SAOMechanism(outcome_space=SPACE, n_steps=n_steps, seed=5)
    m.add(first, ufun=ufun())
    m.add(second, ufun=opposed())
    m.run()
    return m


@pytest.mark.parametrize("rejector", [EndImmediately, RejectAlways])
def test_a_negotiator_offering_nothing_never_agrees(rejector: Any) -> None:
    for first in (True, False):
        boa = make_boa(acceptance=rejector(), offering=NoneOfferingPolicy())
        other = AspirationNegotiator()
        m = run(boa, other) if first else run(other, boa)
        assert m.state.agreement is None


def test_boa_names_and_agreement() -> None:
    boa = make_boa(acceptance=ACTime(tau=0.5), offering=TimeBasedOfferingPolicy(), name="b")
    assert isinstance(boa, BOANegotiator)
    assert boa.type_name == "BOANegotiator" and boa.short_type_name == "BOA"
    assert boa.component_names == ["acceptance", "offering"]
    m = run(boa, AspirationNegotiator())
    assert m.state.agreement is not None
    no_parts = make_boa()
    assert no_parts.capabilities["respond"] is False and no_parts.capabilities["propose"] is False


def test_policy_data_is_recorded_as_message_events() -> None:
    @attrs.define
    class Talking(ACTime):
        def __call__(self, state: Any, offer: Any, source: Any) -> Any:
            return ExtendedResponseType(super().__call__(state, offer, source), {"text": "hm"})

    @attrs.define
    class Telling(TimeBasedOfferingPolicy):
        def __call__(self, state: Any, dest: str | None = None) -> Any:
            return ExtendedOutcome(super().__call__(state, dest), data={"text": "take it"})

    bus, sink = EventBus(), ListSink()
    bus.add_sink(sink)
    boa = make_boa(acceptance=Talking(tau=0.9), offering=Telling(), name="b")
    m = SAOMechanism(outcome_space=SPACE, n_steps=10, seed=5, bus=bus)
    m.add(boa, ufun=ufun())
    m.add(AspirationNegotiator(name="a"), ufun=opposed())
    m.run()
    texts = [e.payload["message"] for e in sink.of_type(EventType.MESSAGE)]
    assert "take it" in texts and "hm\ntake it" in texts

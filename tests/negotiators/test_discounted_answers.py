"""Built-in strategies facing a utility function that depends on the negotiation's state."""

from __future__ import annotations

from palaver.mechanisms import MechanismState, ResponseType, SAOMechanism
from palaver.negotiators import (
    AspirationNegotiator,
    LinearNegotiator,
    MiCRO,
    SAONegotiator,
    ToughNegotiator,
)
from palaver.outcomes import Outcome, make_issue
from palaver.preferences import ExpDiscountedUFun, LinearUtilityFunction


class Fixed(SAONegotiator):
    """Offers (8,) every round and never accepts."""

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        return (8,)

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        return ResponseType.REJECT_OFFER


def _run(make: type, discount: float | None) -> tuple[SAONegotiator, MechanismState]:
    mechanism = SAOMechanism(issues=[make_issue(10, "x")], n_steps=40, seed=1)
    mechanism.add(Fixed(ufun=LinearUtilityFunction([-1.0])))
    inner = LinearUtilityFunction([1.0], reserved_value=0.0)
    negotiator = make(ufun=inner if discount is None else ExpDiscountedUFun(inner, discount=0.95))
    mechanism.add(negotiator)
    return negotiator, mechanism.run()


def test_an_aspiration_negotiator_answers_with_the_discounted_value_of_each_offer() -> None:
    # As NegMAS 0.16 does (the same program on it ends at the same steps): the
    # offer's value now, discounted, against the aspiration curve.
    _, plain = _run(AspirationNegotiator, None)
    negotiator, discounted = _run(AspirationNegotiator, 0.95)
    assert plain.agreement == (8,) and plain.step == 24
    # 8 * 0.95 ** k stays under the Boulware curve until the last round.
    assert discounted.agreement == (8,) and discounted.step == 40
    assert negotiator.round_plan(40) is None  # no plan: its answers change with the state


def test_micro_compares_offers_with_its_own_under_the_same_discount() -> None:
    # MiCRO weighs an offer against its own next one: a discount applies to both
    # and changes nothing (NegMAS's MiCRO also agrees at step 2 here).
    _, plain = _run(MiCRO, None)
    _, discounted = _run(MiCRO, 0.95)
    assert plain.agreement == discounted.agreement == (8,)
    assert plain.step == discounted.step == 2


def test_an_aspiration_method_replaced_on_the_negotiator_is_called_every_turn() -> None:
    calls: list[Outcome] = []

    def spy(state: MechanismState, offer: Outcome) -> ResponseType:
        calls.append(offer)
        return ResponseType.REJECT_OFFER

    mechanism = SAOMechanism(issues=[make_issue(5, "a"), make_issue(4, "b")], n_steps=40, seed=1)
    mine = AspirationNegotiator(ufun=LinearUtilityFunction([1.0, 0.5], reserved_value=-10.0))
    mine.respond = spy  # type: ignore[method-assign]
    mechanism.add(mine)
    other = AspirationNegotiator(
        ufun=LinearUtilityFunction([-1.0, -0.5], reserved_value=-10.0), aspiration_type="conceder"
    )
    mechanism.add(other)
    state = mechanism.run()
    assert mine.round_plan(40) is None
    # Asked in every round it faced an offer (it was never asked before: the plan answered).
    assert len(calls) >= state.step - 1 > 0


class OffersBest(Fixed):
    """Offers (9,), the other side's best outcome, every round and never accepts."""

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        return (9,)


def test_a_tough_negotiator_refuses_its_best_outcome_once_it_is_discounted() -> None:
    # NegMAS 0.16 on the same program: its best outcome, discounted below its
    # undiscounted best value, is never accepted; undiscounted, it is at once.
    def run(discount: float | None) -> MechanismState:
        mechanism = SAOMechanism(issues=[make_issue(10, "x")], n_steps=20, seed=1)
        inner = LinearUtilityFunction([0.1], reserved_value=0.0)
        ufun = inner if discount is None else ExpDiscountedUFun(inner, discount=0.8)
        mechanism.add(ToughNegotiator(name="tough", ufun=ufun))
        mechanism.add(OffersBest(name="other", ufun=LinearUtilityFunction([-1.0])))
        return mechanism.run()

    plain, discounted = run(None), run(0.8)
    assert plain.agreement == (9,) and plain.step == 2
    assert discounted.agreement is None and discounted.timedout and discounted.step == 20


class OffersEight(Fixed):
    """Offers (8,) every round and never accepts."""


def test_a_linear_negotiator_chooses_its_offers_by_the_discounted_values() -> None:
    # NegMAS 0.16 on the same program: undiscounted it offers 10, 10, 9, 9 and
    # accepts (8,) at step 5; discounted by 0.8 a step no outcome meets its level
    # by its value now, so it offers its best every round and never agrees.
    def run(discount: float | None) -> tuple[list[int], MechanismState]:
        mechanism = SAOMechanism(issues=[make_issue(11, "price")], n_steps=20, seed=1)
        inner = LinearUtilityFunction([0.1], reserved_value=0.0)
        ufun = inner if discount is None else ExpDiscountedUFun(inner, discount=0.8)
        mine = LinearNegotiator(name="linear", ufun=ufun)
        mechanism.add(mine)
        mechanism.add(OffersEight(name="other", ufun=LinearUtilityFunction([-1.0])))
        state = mechanism.run()
        offers = [o[0] for _, who, o in mechanism.extended_trace if who == "linear"]
        return offers, state

    plain_offers, plain = run(None)
    assert plain_offers == [10, 10, 9, 9] and plain.agreement == (8,) and plain.step == 5
    offers, discounted = run(0.8)
    assert discounted.agreement is None and discounted.step == 20 and set(offers) == {10}

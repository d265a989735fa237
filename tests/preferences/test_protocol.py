"""UtilityFunctionLike: what negotiators accept as a utility function, and the alias rule."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator, NaiveTitForTat, NiceNegotiator
from palaver.outcomes import Outcome, OutcomeSpace, make_issue
from palaver.preferences import LinearUtilityFunction, UtilityFunctionLike, resolve_ufun


class PriceUtility:
    """A utility function written NegMAS-style: no Palaver base class, no eval_many."""

    def __init__(self, sign: float, reserved_value: float = 0.0) -> None:
        self.sign = sign
        self.reserved_value = reserved_value
        self.outcome_space: OutcomeSpace | None = None
        self.calls = 0

    def __call__(self, offer: Outcome | None) -> float:
        return self.reserved_value if offer is None else self.eval(offer)

    def eval(self, offer: Outcome) -> float:
        self.calls += 1
        return self.sign * float(offer[0]) + 0.1 * float(offer[1])


def test_palaver_and_own_utility_functions_are_utility_function_like() -> None:
    assert isinstance(LinearUtilityFunction([1.0]), UtilityFunctionLike)
    assert isinstance(PriceUtility(1.0), UtilityFunctionLike)
    assert not isinstance(lambda o: 0.0, UtilityFunctionLike)


def test_an_own_utility_function_negotiates_end_to_end() -> None:
    seller, buyer = PriceUtility(1.0, 3.0), PriceUtility(-1.0, -6.0)
    m = SAOMechanism(issues=[make_issue(10, "price"), make_issue(3, "q")], n_steps=50, seed=3)
    m.add(AspirationNegotiator(name="seller", ufun=seller))
    # Kind enough to meet an Aspiration seller (NegMAS's tit-for-tat alone only
    # mirrors what the offers give it).
    m.add(NaiveTitForTat(name="buyer", preferences=buyer, kindness=0.5))
    state = m.run()
    # The mechanism lent both its outcome space while it ran (taken back at the
    # end); without eval_many every grid outcome was ranked through eval.
    assert seller.outcome_space is None
    assert seller.calls >= 30 and buyer.calls >= 30
    assert state.agreement is not None
    assert seller(state.agreement) >= 3.0 and buyer(state.agreement) >= -6.0


def test_the_same_negotiation_with_an_own_or_a_linear_utility_function() -> None:
    """The ranking built through eval equals the vectorized one."""
    issues = [make_issue(10, "price"), make_issue(3, "q")]

    def play(own: bool) -> Outcome | None:
        m = SAOMechanism(issues=issues, n_steps=40, seed=9)
        for sign, rv, name in ((1.0, 2.0, "a"), (-1.0, -7.0, "b")):
            u: UtilityFunctionLike = (
                PriceUtility(sign, rv)
                if own
                else LinearUtilityFunction([sign, 0.1], reserved_value=rv)
            )
            m.add(
                NiceNegotiator(name=name, ufun=u)
                if name == "b"
                else AspirationNegotiator(name=name, ufun=u)
            )
        return m.run().agreement

    agreement = play(own=True)
    assert agreement is not None
    assert agreement == play(own=False)


def test_resolve_ufun_is_the_one_alias_rule() -> None:
    u = LinearUtilityFunction([1.0])
    assert resolve_ufun(u, None) is u
    assert resolve_ufun(None, u) is u
    assert resolve_ufun(u, u) is u
    assert resolve_ufun(None, None) is None
    with pytest.raises(ValueError, match="aliases"):
        resolve_ufun(u, LinearUtilityFunction([1.0]))
    with pytest.raises(TypeError, match=r"preferences must be a utility function.*got 3"):
        resolve_ufun(None, 3)
    with pytest.raises(TypeError, match=r"ufun must be a utility function.*'x'"):
        resolve_ufun("x", None)
    # A utility function class has __call__, eval, reserved_value and
    # outcome_space as class attributes: it was taken, and failed later.
    with pytest.raises(
        TypeError, match=r"ufun .* got the class LinearUtilityFunction: give an instance"
    ):
        resolve_ufun(LinearUtilityFunction, None)
    with pytest.raises(TypeError, match="preferences must be a utility function, got the class"):
        NiceNegotiator(preferences=LinearUtilityFunction)
    with pytest.raises(TypeError, match="got the class"):
        SAOMechanism(issues=[make_issue(3)], n_steps=5).add(
            NiceNegotiator(), ufun=LinearUtilityFunction
        )


def test_mechanism_add_and_negotiator_share_the_alias_rule() -> None:
    m = SAOMechanism(issues=[make_issue(3)], n_steps=5)
    a, b = LinearUtilityFunction([1.0]), LinearUtilityFunction([1.0])
    with pytest.raises(ValueError, match="aliases"):
        m.add(NiceNegotiator(), ufun=a, preferences=b)
    with pytest.raises(ValueError, match="aliases"):
        NiceNegotiator(ufun=a, preferences=b)
    with pytest.raises(TypeError, match="preferences must be a utility function"):
        m.add(NiceNegotiator(), preferences=5)  # type: ignore[arg-type]
    n = NiceNegotiator()
    assert m.add(n, preferences=a)
    assert n.ufun is a and n.preferences is a


def test_a_class_checked_before_still_has_each_instance_checked() -> None:
    # checked_ufun answers the class's part once per class: an instance of the
    # same class lacking a member (set in __init__ here) is still refused.
    good = PriceUtility(1.0)
    assert resolve_ufun(good, None) is good
    bare = PriceUtility(1.0)
    del bare.outcome_space
    with pytest.raises(TypeError, match="lacking outcome_space"):
        resolve_ufun(bare, None)

    class Skipped(LinearUtilityFunction):
        def __init__(self) -> None:  # no base __init__: no reserved value nor space
            pass

    assert resolve_ufun(LinearUtilityFunction([1.0]), None) is not None
    with pytest.raises(TypeError, match="lacking reserved_value, outcome_space"):
        resolve_ufun(Skipped(), None)
    # A class (its members are there, as class attributes) is refused as before.
    with pytest.raises(TypeError, match="got the class LinearUtilityFunction"):
        resolve_ufun(LinearUtilityFunction, None)


def test_a_class_changed_after_its_check_is_checked_as_it_is_now() -> None:
    class Plain:
        outcome_space = None
        reserved_value = 0.0

        def __call__(self, outcome: Any) -> float:
            return 1.0

        def eval(self, outcome: Any) -> float:
            return 1.0

    assert resolve_ufun(Plain(), None) is not None
    del Plain.eval
    with pytest.raises(TypeError, match="lacking eval"):
        resolve_ufun(Plain(), None)

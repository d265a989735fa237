"""A subclass that skips its base's set-up is told so, not met with a bare error."""

from __future__ import annotations

import pytest

from palaver.mechanisms import ResponseType, SAOMechanism
from palaver.mechanisms.errors import NegotiatorError
from palaver.negotiators import (
    AspirationNegotiator,
    NaiveTitForTat,
    NiceNegotiator,
    SAONegotiator,
    ToughNegotiator,
)
from palaver.outcomes import Outcome, make_issue
from palaver.preferences import LinearUtilityFunction


def _mechanism() -> SAOMechanism:
    return SAOMechanism(issues=[make_issue(10, "price")], n_steps=20, seed=1)


@pytest.mark.parametrize(
    "base", [AspirationNegotiator, NaiveTitForTat, NiceNegotiator, ToughNegotiator]
)
def test_an_on_negotiation_start_without_super_is_named(base: type) -> None:
    # NegMAS code overrides on_negotiation_start without calling super(); the
    # built-in strategy then failed with a bare AssertionError.
    class Counting(base):  # type: ignore[misc, valid-type]
        def on_negotiation_start(self, state: object) -> None:
            self.started = True

    m = _mechanism()
    m.add(Counting(name="x", ufun=LinearUtilityFunction([1.0])))
    m.add(NiceNegotiator(name="y", ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    with pytest.raises(
        NegotiatorError, match=r"must call super\(\)\.on_negotiation_start\(state\)"
    ):
        m.run()


def test_an_init_without_super_is_named() -> None:
    class Forgetful(SAONegotiator):
        def __init__(self) -> None:
            self.level = 0.5

        def propose(self, state: object) -> Outcome | None:
            return (5,)

        def respond(self, state: object, offer: Outcome) -> ResponseType:
            return ResponseType.ACCEPT_OFFER

    with pytest.raises(TypeError, match=r"its __init__ must call super\(\)\.__init__"):
        _mechanism().add(Forgetful())

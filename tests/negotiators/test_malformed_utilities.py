"""A utility that is not a number is its utility function's error, never read as one."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from palaver.mechanisms import ResponseType, SAOMechanism
from palaver.mechanisms.errors import NegotiatorError
from palaver.negotiators import AspirationNegotiator, MiCRO, NiceNegotiator, SAONegotiator
from palaver.outcomes import Outcome, make_issue
from palaver.preferences import LinearUtilityFunction, MappingUtilityFunction, UtilityFunction


class _Returns(UtilityFunction):
    """A NegMAS-style subclass whose ``eval`` returns a fixed value."""

    def __init__(self, value: object) -> None:
        super().__init__()
        self.value = value

    def eval(self, outcome: Outcome) -> Any:
        return self.value


class _Bare:
    """A utility function of one's own, no base class and no ``eval_many``."""

    def __init__(self, value: object) -> None:
        self.value, self.reserved_value, self.outcome_space = value, 0.0, None

    def __call__(self, outcome: Outcome | None) -> Any:
        return self.reserved_value if outcome is None else self.eval(outcome)

    def eval(self, outcome: Outcome) -> Any:
        return self.value


class _ManyAsList(_Bare):
    """``eval_many`` returning a list, as a hand-written vectorized member may."""

    def eval_many(self, outcomes: object) -> list[Any]:
        return [self.value] * len(outcomes)  # type: ignore[arg-type]


def _other() -> AspirationNegotiator:
    return AspirationNegotiator(name="y", ufun=LinearUtilityFunction([-1.0], bias=9.0))


class _Offers45(SAONegotiator):
    """Offers 4.5, off the 10-level grid of a continuous issue (0, 9)."""

    def propose(self, state: object) -> Outcome:
        return (4.5,)

    def respond(self, state: object, offer: Outcome) -> ResponseType:
        return ResponseType.REJECT_OFFER


BAD = ["1", None, True, (1.0,), np.array([1.0])]


def _negotiate(
    ufun: object, strategy: type = AspirationNegotiator, continuous: bool = False
) -> None:
    issue = make_issue((0.0, 9.0), "price") if continuous else make_issue(10, "price")
    mechanism = SAOMechanism(issues=[issue], n_steps=20, seed=1)
    mechanism.add(strategy(name="x", ufun=ufun))
    other = _Offers45(name="y", ufun=LinearUtilityFunction([1.0])) if continuous else _other()
    mechanism.add(other)
    mechanism.run()


@pytest.mark.parametrize("value", BAD, ids=repr)
@pytest.mark.parametrize("kind", [_Returns, _Bare, _ManyAsList])
@pytest.mark.parametrize("strategy", [AspirationNegotiator, NiceNegotiator, MiCRO])
def test_a_utility_that_is_not_a_number_stops_the_negotiation(
    value: object, kind: type, strategy: type
) -> None:
    # "1" was read as 1.0 and None as NaN (or a raw numpy message): a deal
    # reached on utilities the function never gave.
    with pytest.raises(NegotiatorError, match=r"negotiator 'x' .*a utility must be a real number"):
        _negotiate(kind(value), strategy)


def test_a_mapping_function_returning_text_is_refused() -> None:
    ufun = MappingUtilityFunction(lambda outcome: "3")
    with pytest.raises(TypeError, match=r"gave '3' \(str\) for outcome \(1,\)"):
        ufun((1,))
    with pytest.raises(TypeError, match="a utility must be a real number"):
        ufun.eval_many([(1,), (2,)])


def test_an_offer_off_the_grid_is_checked_too() -> None:
    # Offers off the negotiator's own grid are evaluated one by one when received.
    class OffGrid(_Bare):
        def eval(self, outcome: Outcome) -> Any:
            return float(outcome[0]) if outcome[0] != 4.5 else "5"

    with pytest.raises(NegotiatorError, match=r"gave '5' \(str\)"):
        _negotiate(OffGrid(0.0), NiceNegotiator, continuous=True)


@pytest.mark.parametrize("value", [np.float64(2.0), np.int64(2), 2, np.array(2.0)], ids=repr)
def test_numbers_of_any_numeric_type_are_utilities(value: object) -> None:
    _negotiate(_Returns(value))
    _negotiate(_Bare(value), NiceNegotiator)

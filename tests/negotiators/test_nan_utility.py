"""A utility function that gives NaN is an error of its negotiator, never a silent deal."""

from __future__ import annotations

import math

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.mechanisms.errors import NegotiatorError
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import MappingUtilityFunction


def _price(outcome: tuple[int, int]) -> float:
    return outcome[0] / 3


@pytest.mark.parametrize("nan_at", [None, (1, 2)])
def test_a_nan_utility_stops_the_negotiation_naming_the_negotiator(nan_at: object) -> None:
    def odd(outcome: tuple[int, int]) -> float:
        return math.nan if nan_at is None or outcome == nan_at else 1 - outcome[0] / 3

    mechanism = SAOMechanism(issues=[make_issue(3, "a"), make_issue(3, "b")], n_steps=10, seed=1)
    mechanism.add(AspirationNegotiator(name="x", ufun=MappingUtilityFunction(odd)))
    mechanism.add(AspirationNegotiator(name="y", ufun=MappingUtilityFunction(_price)))
    with pytest.raises(NegotiatorError, match=r"negotiator 'x' .* gives NaN for outcome") as info:
        mechanism.run()
    expected = "(0, 0)" if nan_at is None else "(1, 2)"
    assert expected in str(info.value)
    assert mechanism.agreement is None

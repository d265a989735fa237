"""A NaN utility is refused by the strategies that order outcomes themselves.

CAB/WAR (their concession order) and the Genius family (their inverter) sorted
``eval_many`` as floats: a NaN compared false with everything, so it sat at an
arbitrary place and the negotiation ended in a deal (or, for the Genius family,
with ``rng[0] must not be NaN``, naming neither the utility function nor the
outcome).
"""

from __future__ import annotations

import math

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.mechanisms.errors import NegotiatorError
from palaver.negotiators import (
    AspirationNegotiator,
    CABNegotiator,
    GBoulware,
    GHardHeaded,
    WARNegotiator,
)
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearUtilityFunction, MappingUtilityFunction
from palaver.preferences.inverse import PresortingInverseUtilityFunction

SPACE = make_os([make_issue(5, "a"), make_issue(3, "b")])


def _odd(nan_at: tuple[int, int] | None) -> MappingUtilityFunction:
    def utility(outcome: tuple[int, int]) -> float:
        return math.nan if nan_at is None or outcome == nan_at else float(sum(outcome))

    return MappingUtilityFunction(utility, outcome_space=SPACE, reserved_value=0.0)


@pytest.mark.parametrize("kind", [CABNegotiator, WARNegotiator, GBoulware, GHardHeaded])
@pytest.mark.parametrize("nan_at", [None, (2, 1)])
def test_a_nan_utility_ends_the_negotiation_naming_the_outcome(
    kind: type, nan_at: tuple[int, int] | None
) -> None:
    mechanism = SAOMechanism(outcome_space=SPACE, n_steps=20)
    mechanism.add(kind(name="x", ufun=_odd(nan_at)))
    mechanism.add(
        AspirationNegotiator(name="y", ufun=LinearUtilityFunction([1.0, 1.0], outcome_space=SPACE))
    )
    with pytest.raises(NegotiatorError, match=r"negotiator 'x' .* gives NaN for outcome") as info:
        mechanism.run()
    assert str(nan_at or (0, 0)) in str(info.value)
    assert mechanism.agreement is None


def test_an_inverter_refuses_a_nan_utility() -> None:
    inverter = PresortingInverseUtilityFunction(_odd((3, 2)))
    with pytest.raises(ValueError, match=r"gives NaN for outcome \(3, 2\)"):
        inverter.init()


def test_an_inverter_refuses_a_text_utility() -> None:
    ufun = MappingUtilityFunction(lambda o: "0.5" if o == (1, 1) else 1.0, outcome_space=SPACE)
    with pytest.raises(TypeError, match=r"gave '0.5' \(str\) for outcome \(1, 1\)"):
        PresortingInverseUtilityFunction(ufun).init()

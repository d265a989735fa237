"""Strategies that evaluate offers one at a time refuse a text or NaN utility.

Acceptance rules (``AcceptAnyRational``, Genius's ``AC_*``), the binary
comparator and the other per-offer evaluations read ``float(ufun(offer))``:
a NaN compared false with every threshold and ``float`` took a text, so a
negotiation with such a utility function ended in a silent deal or timeout.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from palaver.mechanisms import NegotiatorError, SAOMechanism, VetoSTMechanism
from palaver.negotiators import (
    AcceptAnyRational,
    BinaryComparatorNegotiator,
    GACConst,
    GACNext,
    MAPNegotiator,
    RandomNegotiator,
    RandomOfferingPolicy,
)
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearUtilityFunction, UtilityFunction
from palaver.preferences.protocol import utility_of

SPACE = make_os([make_issue(5, "a"), make_issue(3, "b")])


class Constant(UtilityFunction):
    """The same value for every outcome, whatever it is."""

    def __init__(self, value: Any) -> None:
        super().__init__(outcome_space=SPACE, reserved_value=0.0)
        self.value = value

    def eval(self, outcome: Any) -> Any:
        return self.value


@pytest.mark.parametrize("value", [math.nan, "0.9", None])
@pytest.mark.parametrize(
    "acceptance",
    [AcceptAnyRational, lambda: GACNext(RandomOfferingPolicy()), GACConst],
    ids=["AcceptAnyRational", "GACNext", "GACConst"],
)
def test_an_acceptance_rule_refuses_a_bad_utility(value: Any, acceptance: Any) -> None:
    negotiator = MAPNegotiator(
        name="x", ufun=Constant(value), acceptance=acceptance(), offering=RandomOfferingPolicy()
    )
    mechanism = SAOMechanism(outcome_space=SPACE, n_steps=20, seed=1)
    mechanism.add(negotiator)
    mechanism.add(
        RandomNegotiator(name="y", ufun=LinearUtilityFunction([1.0, 1.0], outcome_space=SPACE))
    )
    with pytest.raises(NegotiatorError, match=r"negotiator 'x'.*utility function"):
        mechanism.run()
    assert mechanism.agreement is None


@pytest.mark.parametrize("value", [math.nan, "0.9"])
def test_the_binary_comparator_refuses_a_bad_utility(value: Any) -> None:
    mechanism = VetoSTMechanism(outcome_space=SPACE, n_steps=10, seed=0)
    mechanism.add(BinaryComparatorNegotiator(name="x"), ufun=Constant(value))
    mechanism.add(
        BinaryComparatorNegotiator(name="y"),
        ufun=LinearUtilityFunction([1.0, 1.0], outcome_space=SPACE),
    )
    with pytest.raises(NegotiatorError, match=r"negotiator 'x'.*is_better"):
        mechanism.run()


def test_utility_of_passes_numbers_and_names_the_rest() -> None:
    ufun = LinearUtilityFunction([1.0, 1.0], outcome_space=SPACE)
    assert utility_of(ufun, (1, 2)) == 3.0
    assert utility_of(ufun, None) == ufun.reserved_value
    with pytest.raises(TypeError, match=r"gave '0.9' \(str\) for outcome \(1, 2\)"):
        utility_of(Constant("0.9"), (1, 2))
    with pytest.raises(ValueError, match=r"gives NaN for outcome \(1, 2\)"):
        utility_of(Constant(math.nan), (1, 2))

"""NegMAS's TimeBasedConcedingNegotiator: the aspiration strategy under NegMAS's arguments."""

from __future__ import annotations

import pytest

from palaver import SAOMechanism, TimeBasedConcedingNegotiator
from palaver.negotiators import AspirationNegotiator, TimeBasedNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction


def _run(first: AspirationNegotiator, second: AspirationNegotiator) -> SAOMechanism:
    m = SAOMechanism(issues=[make_issue(30, "price")], n_steps=40, seed=4)
    m.add(first, ufun=LinearUtilityFunction([1.0], reserved_value=5.0))
    m.add(second, ufun=LinearUtilityFunction([-1.0], bias=29.0, reserved_value=5.0))
    m.run()
    return m


@pytest.mark.parametrize("curve", ["boulware", "linear", "conceder", 2.5])
def test_it_negotiates_as_the_aspiration_negotiator_with_that_curve(curve: str | float) -> None:
    negmas = _run(
        TimeBasedConcedingNegotiator(name="s", offering_curve=curve, starting_utility=0.9),
        TimeBasedConcedingNegotiator(name="b", offering_curve=curve, accepting_curve=curve),
    )
    ours = _run(
        AspirationNegotiator(name="s", aspiration_type=curve, max_aspiration=0.9),
        AspirationNegotiator(name="b", aspiration_type=curve),
    )
    assert negmas.history == ours.history and negmas.agreement == ours.agreement
    assert negmas.agreement is not None


def test_names_arguments_and_refusals() -> None:
    n = TimeBasedConcedingNegotiator(offering_curve="linear", starting_utility=0.5)
    assert (
        isinstance(n, AspirationNegotiator) and TimeBasedNegotiator is TimeBasedConcedingNegotiator
    )
    assert n.exponent == 1.0 and n.starting_utility == 0.5 and n.offering_curve == "linear"
    with pytest.raises(ValueError, match="accepting_curve must be None or the offering curve"):
        TimeBasedConcedingNegotiator(offering_curve="boulware", accepting_curve="conceder")
    # The errors name the parameter given, not the aspiration_type it stands for.
    with pytest.raises(ValueError, match="unknown offering_curve 'fast'"):
        TimeBasedConcedingNegotiator(offering_curve="fast")
    with pytest.raises(ValueError, match="offering_curve must be a name or an exponent > 0, got"):
        TimeBasedConcedingNegotiator(offering_curve=-1)
    with pytest.raises(ValueError, match=r"accepting_curve must be a name or a number, got \[1\]"):
        TimeBasedConcedingNegotiator(accepting_curve=[1])  # type: ignore[arg-type]
    with pytest.raises(
        ValueError,
        match=r"starting_utility must be a share of the utility range in \[0, 1\], got 1.5",
    ):
        TimeBasedConcedingNegotiator(starting_utility=1.5)

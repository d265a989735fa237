"""HybridNegotiator's (and its offering policy's and ACnext's) options are checked when made.

Every one of them was taken as given and read only when the first offer was
made: a text, an infinity, a NaN ``alpha`` (every acceptance test false), a
flag given as text or a window table without key 1 ran to a silent result.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import ACNext, HybridNegotiator, HybridOfferingPolicy, NiceNegotiator
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearUtilityFunction

BAD: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"alpha": math.nan}, ValueError, "alpha must be a finite number, got nan"),
    ({"beta": "0.1"}, TypeError, "beta must be a finite number, got '0.1'"),
    ({"initial_utility": math.inf}, ValueError, r"initial_utility must be a finite number or NaN"),
    ({"final_utility": "high"}, TypeError, "final_utility must be a finite number or NaN"),
    ({"auto_empathy_score": None}, TypeError, "auto_empathy_score must be a finite number"),
    ({"final_utility_floor": math.nan}, ValueError, "final_utility_floor must be"),
    ({"domain_size_cap": 0}, ValueError, "domain_size_cap must be an integer >= 1, got 0"),
    ({"behavior_min_offers": 1.5}, TypeError, "behavior_min_offers must be an integer >= 0"),
    ({"enumeration_levels": "10"}, TypeError, "enumeration_levels must be an integer >= 1"),
    ({"final_utility_ladder": [(450, "x")]}, TypeError, r"final_utility_ladder\[0\]\[1\]"),
    ({"final_utility_ladder": "abc"}, TypeError, "final_utility_ladder must be"),
    ({"frac_time_based": {}}, TypeError, "frac_time_based must be a dict"),
    ({"frac_time_based": {2: (0.5, 0.5)}}, ValueError, r"keyed 1 to n, got keys \[2\]"),
    ({"frac_time_based": {1: "a"}}, TypeError, r"frac_time_based\[1\] must be a sequence"),
    ({"above_only": "no"}, TypeError, "above_only must be True or False, got 'no'"),
]


@pytest.mark.parametrize(("options", "error", "fragment"), BAD)
def test_a_bad_option_is_refused_naming_it(
    options: dict[str, Any], error: type[Exception], fragment: str
) -> None:
    with pytest.raises(error, match=fragment):
        HybridNegotiator(**options)


def test_the_offering_policy_checks_its_options_itself() -> None:
    with pytest.raises(ValueError, match="enumeration_max_cardinality must be an integer >= 1"):
        HybridOfferingPolicy(enumeration_max_cardinality=-1)


def test_acnext_needs_an_offering_policy_and_numbers() -> None:
    with pytest.raises(TypeError, match=r"offering_strategy must be an OfferingPolicy .*, got 3"):
        ACNext(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="alpha must be a finite number, got inf"):
        ACNext(HybridOfferingPolicy(), alpha=math.inf)


def test_nan_still_means_automatic_and_the_defaults_still_negotiate() -> None:
    space = make_os([make_issue(6, "a"), make_issue(4, "b")])
    hybrid = HybridNegotiator(
        name="h",
        initial_utility=math.nan,
        frac_time_based={1: (1.0,), 2: (0.5, 0.5)},
        ufun=LinearUtilityFunction([1.0, 0.5], outcome_space=space),
    )
    mechanism = SAOMechanism(outcome_space=space, n_steps=30)
    mechanism.add(hybrid)
    mechanism.add(NiceNegotiator(ufun=LinearUtilityFunction([-1.0, 0.5], outcome_space=space)))
    state = mechanism.run()
    assert not state.has_error and state.agreement is not None

"""A mechanism's flags are booleans: a text or a number is refused, not read by truth."""

from __future__ import annotations

import numpy as np
import pytest

from palaver.mechanisms import SAOMechanism, STVetoMechanism
from palaver.mechanisms.errors import MechanismTypeError
from palaver.outcomes import make_issue

FLAGS = [
    "offering_is_accepting",
    "end_on_invalid_offer",
    "end_on_no_response",
    "one_offer_per_step",
    "extra_callbacks",
    "ignore_negotiator_exceptions",
]


@pytest.mark.parametrize("flag", FLAGS)
@pytest.mark.parametrize("value", ["no", "False", 0, 1, None, 1.0])
def test_a_flag_that_is_not_a_bool_is_refused_naming_it(flag: str, value: object) -> None:
    # offering_is_accepting="no" ran as True, end_on_invalid_offer=1 as True.
    with pytest.raises(MechanismTypeError, match=rf"{flag} must be True or False, got {value!r}"):
        SAOMechanism(issues=[make_issue(5, "price")], n_steps=10, **{flag: value})


@pytest.mark.parametrize("flag", FLAGS)
@pytest.mark.parametrize("value", [True, False, np.bool_(True), np.bool_(False)])
def test_booleans_of_either_kind_are_flags(flag: str, value: object) -> None:
    # numpy's bool is what a config read through numpy gives.
    m = SAOMechanism(issues=[make_issue(5, "price")], n_steps=10, **{flag: value})
    assert m.n_steps == 10


def test_the_veto_mechanism_checks_the_shared_flags() -> None:
    with pytest.raises(MechanismTypeError, match="ignore_negotiator_exceptions"):
        STVetoMechanism(
            issues=[make_issue(5, "price")], n_steps=10, ignore_negotiator_exceptions="yes"
        )

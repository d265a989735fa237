"""Offer-following negotiators refuse the weights that made them ignore what
they follow (review of session 20): a NaN u_weight or issue weight, or an
infinite dist_power, made them propose their best outcome, silently."""

from __future__ import annotations

import math

import pytest

from palaver.mechanisms import SAOMechanism, SAOState
from palaver.negotiators import AdditiveFirstFollowingTBNegotiator
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearUtilityFunction

END = SAOState(relative_time=1.0, current_proposer="p")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"u_weight": math.nan}, r"u_weight must be a finite number, got nan"),
        ({"dist_power": math.inf}, r"dist_power must be a finite number > 0, got inf"),
        ({"issue_weights": [math.nan, 1.0]}, r"issue_weights must be finite numbers"),
        ({"issue_weights": "ab"}, r"issue_weights must be finite numbers"),
    ],
)
def test_weights_that_are_not_finite_numbers_are_refused(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        AdditiveFirstFollowingTBNegotiator(name="me", **kwargs)  # type: ignore[arg-type]


def test_issue_weights_of_the_wrong_length_are_named() -> None:
    n = AdditiveFirstFollowingTBNegotiator(name="me", issue_weights=[1.0])
    m = SAOMechanism(outcome_space=make_os([make_issue(5, "x"), make_issue(5, "y")]), n_steps=10)
    m.add(n, ufun=LinearUtilityFunction([0.25, 0.0]))
    # Checked when the negotiation starts, also when it does not steer its offers.
    with pytest.raises(ValueError, match=r"issue_weights has 1 weights; the outcome space has 2"):
        n.on_negotiation_start(m.state)

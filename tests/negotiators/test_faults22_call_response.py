"""A NegMAS-style ``__call__`` whose SAOResponse holds no ResponseType is the
negotiator's error, never taken as "reject and offer" (a text ``"x"`` as the
response ended the negotiation in an agreement on the outcome it came with)."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.mechanisms import NegotiatorError, SAOMechanism, SAOResponse
from palaver.negotiators import NiceNegotiator, SAOCallNegotiator
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearUtilityFunction

SPACE = make_os([make_issue(5, "a")])


@pytest.mark.parametrize("response", ["accept", 0, None, True])
def test_a_response_that_is_not_a_response_type_is_an_error(response: Any) -> None:
    class Sloppy(SAOCallNegotiator):
        def __call__(self, state: Any, dest: str | None = None) -> SAOResponse:
            return SAOResponse(response, (1,))

    mechanism = SAOMechanism(outcome_space=SPACE, n_steps=5, ignore_negotiator_exceptions=True)
    mechanism.add(Sloppy(name="x", ufun=LinearUtilityFunction([1.0], outcome_space=SPACE)))
    mechanism.add(NiceNegotiator(ufun=LinearUtilityFunction([-1.0], outcome_space=SPACE)))
    state = mechanism.run()
    assert state.result == "error" and state.erred_negotiator == "x"
    assert "whose response must be a ResponseType" in state.error_details
    strict = SAOMechanism(outcome_space=SPACE, n_steps=5)
    strict.add(Sloppy(name="x", ufun=LinearUtilityFunction([1.0], outcome_space=SPACE)))
    strict.add(NiceNegotiator(ufun=LinearUtilityFunction([-1.0], outcome_space=SPACE)))
    with pytest.raises(NegotiatorError, match="negotiator 'x'"):
        strict.run()

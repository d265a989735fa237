"""With ignore_negotiator_exceptions=True a failing join is recorded in the state.

``join`` raising or returning junk ("yes", None), and a partner's
``on_negotiator_entered`` raising, were dropped without a trace: ``add()``
returned False (or the newcomer stayed in) and nothing said why, so the
negotiation went on without a party, silently. Now the state names the
negotiator and the error, and the negotiation is aborted before it starts
(as ``abort()`` leaves it); a join that returns False still just refuses.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from palaver import Scenario
from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator, NiceNegotiator
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearUtilityFunction
from palaver.tournaments.negotiation import cartesian_tournament

SPACE = make_os([make_issue(4, "a"), make_issue(3, "b")])


def _ufun(sign: float = 1.0) -> LinearUtilityFunction:
    return LinearUtilityFunction([sign, 0.5], outcome_space=SPACE)


class JunkJoin(AspirationNegotiator):
    """Joins, then returns what is not a flag."""

    answer: Any = "yes"

    def join(self, *args: Any, **kwargs: Any) -> bool:
        super().join(*args, **kwargs)
        return self.answer  # type: ignore[no-any-return]


class RaisingJoin(AspirationNegotiator):
    """Fails inside join."""

    def join(self, *args: Any, **kwargs: Any) -> bool:
        raise KeyError("no seat")


class Refusing(AspirationNegotiator):
    """Refuses, as a negotiator may."""

    def join(self, *args: Any, **kwargs: Any) -> bool:
        return False


class BadHost(AspirationNegotiator):
    """Fails when a partner enters."""

    def on_negotiator_entered(self, negotiator_id: str, state: Any) -> None:
        raise ValueError("who is that?")


@pytest.mark.parametrize(
    ("kind", "fragment"),
    [
        (JunkJoin, r"raised TypeError in join\(\) at joining .* join returned 'yes' \(str\)"),
        (RaisingJoin, r"raised KeyError in join\(\) at joining .*no seat"),
    ],
)
def test_a_failing_join_is_recorded(kind: type, fragment: str) -> None:
    mechanism = SAOMechanism(outcome_space=SPACE, n_steps=5, ignore_negotiator_exceptions=True)
    mechanism.add(NiceNegotiator(name="nice", ufun=_ufun()))
    assert mechanism.add(kind(name="x", ufun=_ufun(-1.0))) is False
    state = mechanism.state
    assert state.has_error and state.erred_negotiator == "x"
    assert re.search(fragment, state.error_details)
    mechanism.add(NiceNegotiator(name="other", ufun=_ufun(-1.0)))
    after = mechanism.run()
    assert after.agreement is None and after.has_error and not after.started


def test_a_refusal_is_no_error() -> None:
    mechanism = SAOMechanism(outcome_space=SPACE, n_steps=5, ignore_negotiator_exceptions=True)
    mechanism.add(NiceNegotiator(name="nice", ufun=_ufun()))
    assert mechanism.add(Refusing(name="x", ufun=_ufun(-1.0))) is False
    assert not mechanism.state.has_error
    mechanism.add(NiceNegotiator(name="other", ufun=_ufun(-1.0)))
    assert mechanism.run().result == "agreement"


def test_a_failing_on_negotiator_entered_is_recorded() -> None:
    mechanism = SAOMechanism(outcome_space=SPACE, n_steps=5, ignore_negotiator_exceptions=True)
    mechanism.add(BadHost(name="host", ufun=_ufun()))
    mechanism.add(NiceNegotiator(name="guest", ufun=_ufun(-1.0)))
    state = mechanism.state
    assert state.has_error and state.erred_negotiator == "host"
    assert "raised ValueError in on_negotiator_entered() at joining" in state.error_details


def test_a_tournament_row_says_why_the_join_failed() -> None:
    scenario = Scenario(SPACE, [_ufun(), _ufun(-1.0)], name="s")
    results = cartesian_tournament([JunkJoin, NiceNegotiator], [scenario], n_steps=5, njobs=-1)
    errors = results.negotiations["error"].dropna()
    assert len(errors) and all("join returned 'yes' (str)" in e for e in errors)

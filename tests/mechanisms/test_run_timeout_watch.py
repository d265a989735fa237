"""``run(timeout=)`` stops a negotiator's call that never returns (SAO)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from palaver.mechanisms import ResponseType, SAOMechanism
from palaver.negotiators import AspirationNegotiator, SAONegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction


class StuckFrom(SAONegotiator):
    """Offers 1 until round ``stuck_at``, then never returns from ``propose``."""

    def __init__(self, stuck_at: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stuck_at = stuck_at

    def propose(self, state: Any, dest: str | None = None) -> tuple[int, ...]:
        if state.step >= self.stuck_at:
            while True:
                pass
        return (1,)

    def respond(self, state: Any, offer: Any = None, source: str | None = None) -> ResponseType:
        return ResponseType.REJECT_OFFER


def stuck_negotiation(stuck_at: int, **limits: Any) -> SAOMechanism:
    m = SAOMechanism(issues=[make_issue(10)], n_steps=1000, **limits)
    m.add(AspirationNegotiator(name="a"), ufun=LinearUtilityFunction([1.0]))
    m.add(StuckFrom(stuck_at, name="s"), ufun=LinearUtilityFunction([-1.0]))
    return m


@pytest.mark.parametrize("stuck_at", [0, 3])
def test_a_call_that_never_returns_ends_the_run_timed_out(stuck_at: int) -> None:
    m = stuck_negotiation(stuck_at)
    began = time.perf_counter()
    state = m.run(timeout=0.2)
    # The timeout, then the watchdog's grace (0.1 s), with room for a busy machine.
    assert time.perf_counter() - began < 5.0
    assert state.timedout and not state.running and state.agreement is None
    assert state.step >= stuck_at
    # Nothing is watched once the run is over (the negotiation had no limits).
    assert m._call_limits is None


def test_a_run_started_after_some_steps_is_watched_too() -> None:
    m = stuck_negotiation(3)
    m.step()
    assert m._call_limits is None  # no limits in seconds: calls are not watched
    state = m.run(timeout=0.2)
    assert state.timedout and m._call_limits is None


def test_the_mechanisms_own_limits_stay_after_the_run() -> None:
    m = stuck_negotiation(10_000, time_limit=60.0)
    m.step()
    own = m._call_limits
    assert own is not None
    m.run(timeout=0.2)
    assert m._call_limits is own and own.needed

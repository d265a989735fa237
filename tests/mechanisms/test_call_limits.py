"""Time limits stop a negotiator's call that never returns (palaver.mechanisms.call_limits)."""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import pytest

from palaver._util import deadlines
from palaver._util.deadlines import CallStopped, DeadlinePassed, call_before
from palaver.mechanisms import ResponseType, SAOMechanism
from palaver.negotiators import AspirationNegotiator, SAONegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction


def _spin() -> None:
    x = 0
    while True:
        x += 1


class Hanging(SAONegotiator):
    """Proposes its best outcome; from round ``hang_at`` on, never answers."""

    def __init__(self, *args: Any, hang_at: int = 0, where: str = "respond", **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.hang_at = hang_at
        self.where = where

    def propose(self, state: Any, dest: Any = None) -> Any:
        if self.where == "propose" and state.step >= self.hang_at:
            _spin()
        assert self.ranking is not None
        return self.ranking.best

    def respond(self, state: Any, offer: Any, source: Any = None) -> Any:
        if self.where == "respond" and state.step >= self.hang_at:
            # A strategy's own catch-all must not swallow the stop.
            with contextlib.suppress(Exception):
                _spin()
        return ResponseType.REJECT_OFFER


def _mechanism(**limits: Any) -> SAOMechanism:
    return SAOMechanism(issues=[make_issue(10, "price")], n_steps=1000, **limits)


def _ufun(sign: float) -> LinearUtilityFunction:
    return LinearUtilityFunction([sign])


@pytest.mark.parametrize(
    "limits",
    [{"time_limit": 0.2}, {"hidden_time_limit": 0.2}, {"step_time_limit": 0.2}],
    ids=["time_limit", "hidden_time_limit", "step_time_limit"],
)
@pytest.mark.parametrize("where", ["respond", "propose"])
def test_a_call_that_never_returns_ends_the_negotiation_timed_out(
    limits: dict[str, float], where: str
) -> None:
    m = _mechanism(**limits)
    m.add(AspirationNegotiator(ufun=_ufun(1.0)))
    m.add(Hanging(ufun=_ufun(-1.0), hang_at=3, where=where))
    t0 = time.perf_counter()
    state = m.run()
    assert time.perf_counter() - t0 < 5.0
    assert state.timedout and not state.running and state.agreement is None
    assert not state.has_error
    assert state.step == 4  # rounds 0-2 played, round 3 stopped (and counted)
    assert state.relative_time == 1.0


def test_negotiator_time_limit_names_the_negotiator_that_hung() -> None:
    m = _mechanism(negotiator_time_limit=0.2)
    m.add(AspirationNegotiator(ufun=_ufun(1.0)))
    hanging = Hanging(ufun=_ufun(-1.0), hang_at=2)
    m.add(hanging)
    state = m.run()
    assert state.timedout and state.agreement is None
    assert state.erred_negotiator == hanging.id
    assert "negotiator_time_limit=0.2" in (state.error_details or "")
    assert "respond()" in (state.error_details or "")


def test_a_watcher_that_never_returns_is_stopped() -> None:
    class Watcher(AspirationNegotiator):
        def on_partner_proposal(self, state: Any, partner_id: str, offer: Any) -> None:
            if state.step >= 2:
                _spin()

    m = _mechanism(time_limit=0.2)
    m.add(Watcher(ufun=_ufun(1.0)))
    m.add(Hanging(ufun=_ufun(-1.0), hang_at=10**6))
    state = m.run()
    assert state.timedout and state.agreement is None and state.step == 3


def test_each_step_call_is_stopped_and_the_negotiation_stays_ended() -> None:
    m = _mechanism(time_limit=0.2)
    m.add(AspirationNegotiator(ufun=_ufun(1.0)))
    m.add(Hanging(ufun=_ufun(-1.0), hang_at=1))
    states = [m.step().step for _ in range(3)]
    assert states == [1, 2, 2]  # the second step was stopped; the third does nothing
    assert m.state.timedout


def test_limits_without_a_hang_give_the_same_negotiation_as_without() -> None:
    def run(**limits: Any) -> Any:
        m = _mechanism(**limits, seed=3)
        m.add(AspirationNegotiator(ufun=_ufun(1.0)))
        m.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0], reserved_value=-6.0)))

        return m.run(), [offer for _, offer in m.trace]

    (plain, plain_trace), (limited, limited_trace) = run(), run(time_limit=60.0)
    assert limited.agreement == plain.agreement and limited.step == plain.step
    assert limited_trace == plain_trace


def test_no_thread_per_call_and_no_stray_interrupt_afterwards() -> None:
    before = threading.active_count()
    for _ in range(5):
        m = _mechanism(hidden_time_limit=0.05)
        m.add(Hanging(ufun=_ufun(1.0), hang_at=0))
        m.add(Hanging(ufun=_ufun(-1.0), hang_at=0))
        assert m.run().timedout
    assert threading.active_count() <= before + 1  # the one watchdog thread at most
    total = 0
    for i in range(200_000):  # an interrupt left pending would surface here
        total += i
    assert total == sum(range(200_000))


def test_call_before_interrupts_returns_and_passes_an_outer_deadline_through() -> None:
    t0 = time.perf_counter()
    with pytest.raises(DeadlinePassed):
        call_before(time.perf_counter() + 0.1, _spin)
    assert time.perf_counter() - t0 < 3.0
    assert call_before(time.perf_counter() + 10.0, lambda x: x + 1, 1) == 2
    with pytest.raises(DeadlinePassed):  # already passed: not called
        call_before(time.perf_counter() - 1.0, pytest.fail)

    inner_saw = []

    def inner() -> None:
        try:
            call_before(time.perf_counter() + 30.0, _spin)
        except DeadlinePassed:
            inner_saw.append(True)
            raise

    with pytest.raises(DeadlinePassed):
        call_before(time.perf_counter() + 0.1, inner)
    assert inner_saw == [True]


def test_call_before_keeps_the_call_s_own_exception() -> None:
    def fail() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        call_before(time.perf_counter() + 10.0, fail)


def test_calls_ending_at_their_deadline_never_leak_an_interrupt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Calls that return just as their deadline passes (no grace, so that the
    interruption races the return): each either returns or is stopped inside
    call_before, never later in the code after it."""
    monkeypatch.setattr(deadlines, "GRACE", 0.0)
    stopped = returned = 0
    for k in range(300):
        budget = 0.0005 + (k % 5) * 0.0002

        def busy(budget: float = budget) -> None:
            end = time.perf_counter() + budget
            while time.perf_counter() < end:
                pass

        try:
            call_before(time.perf_counter() + budget, busy)
            returned += 1
        except DeadlinePassed:
            stopped += 1
        for _ in range(200):  # a leaked interrupt would be raised here, failing the test
            pass
    assert stopped + returned == 300


class RunsItsOwnNegotiation(SAONegotiator):
    """Answers by running a negotiation of its own (30 s limit) whose partner hangs."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.inner_states: list[Any] = []
        self.went_on = False

    def propose(self, state: Any, dest: Any = None) -> Any:
        assert self.ranking is not None
        return self.ranking.best

    def respond(self, state: Any, offer: Any, source: Any = None) -> Any:
        inner = _mechanism(time_limit=30.0)
        inner.add(AspirationNegotiator(ufun=_ufun(1.0)))
        inner.add(Hanging(ufun=_ufun(-1.0), hang_at=0))
        self.inner_states.append(inner.run())
        self.went_on = True  # never reached: the outer limit stops this call
        return ResponseType.REJECT_OFFER


def test_an_outer_negotiation_s_limit_stops_a_nested_one_and_is_not_taken_for_its_own() -> None:
    outer = _mechanism(time_limit=0.3)
    outer.add(AspirationNegotiator(ufun=_ufun(1.0)))
    nesting = RunsItsOwnNegotiation(ufun=_ufun(-1.0))
    outer.add(nesting)
    t0 = time.perf_counter()
    state = outer.run()
    assert time.perf_counter() - t0 < 5.0
    assert state.timedout and state.step == 1
    # The outer deadline stopped the outer call (through the inner negotiation):
    # the inner one did not end "timed out" 29.7 s before its own limit.
    assert nesting.inner_states == [] and not nesting.went_on


@pytest.mark.parametrize("outer_after", [0.0, 0.05])
def test_an_outer_deadline_passing_with_an_inner_one_is_not_lost(outer_after: float) -> None:
    """The inner call's handler takes its own stop and goes on: the outer deadline
    (passing at the same moment, or just after) still stops the outer call."""
    handled = []

    def inner(deadline: float) -> None:
        with contextlib.suppress(CallStopped):  # as CallLimits handles its own stop
            call_before(deadline, _spin)
            handled.append("returned")
        handled.append("went on")
        _spin()

    for _ in range(5):
        deadline = time.perf_counter() + 0.05
        with pytest.raises(CallStopped):
            call_before(deadline + outer_after, inner, deadline)
    assert "returned" not in handled
    assert not deadlines._WATCHDOG.calls  # nothing left armed


class Leaving(SAONegotiator):
    """Proposes its best outcome; leaves when first asked to answer."""

    def propose(self, state: Any, dest: Any = None) -> Any:
        assert self.ranking is not None
        return self.ranking.best

    def respond(self, state: Any, offer: Any, source: Any = None) -> Any:
        return ResponseType.LEAVE


@pytest.mark.parametrize("one_offer_per_step", [False, True])
def test_a_hang_after_a_negotiator_left_is_stopped(one_offer_per_step: bool) -> None:
    m = SAOMechanism(
        issues=[make_issue(10, "price")],
        n_steps=1000,
        time_limit=0.2,
        one_offer_per_step=one_offer_per_step,
    )
    m.add(AspirationNegotiator(ufun=_ufun(1.0)))
    m.add(Leaving(ufun=_ufun(-1.0)))
    m.add(Hanging(ufun=_ufun(-1.0), hang_at=2))
    t0 = time.perf_counter()
    state = m.run()
    assert time.perf_counter() - t0 < 5.0
    assert state.timedout and state.relative_time == 1.0 and not state.has_error
    assert len(state.left_negotiators) == 1


class SlowToLeave(Leaving):
    """Leaves when first asked to answer, after thinking ``delay`` seconds."""

    def __init__(self, *args: Any, delay: float = 0.0, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.delay = delay

    def respond(self, state: Any, offer: Any, source: Any = None) -> Any:
        time.sleep(self.delay)
        return ResponseType.LEAVE


def test_step_time_limit_counts_from_the_round_s_start_after_a_negotiator_left() -> None:
    """The rest of a round a negotiator left is played turn by turn: its calls keep
    the round's deadline (they had step_time_limit again from the leaving)."""
    m = _mechanism(step_time_limit=1.2)
    m.add(AspirationNegotiator(ufun=_ufun(1.0)))
    m.add(SlowToLeave(ufun=_ufun(-1.0), delay=1.0))
    m.add(Hanging(ufun=_ufun(-1.0), hang_at=0))
    t0 = time.perf_counter()
    state = m.run()
    took = time.perf_counter() - t0
    assert state.timedout and state.step == 1
    assert 1.0 <= took < 1.8  # stopped 1.2 s after the round began, not 2.2 s


def test_a_call_late_by_less_than_the_grace_returns_its_result() -> None:
    def late() -> str:
        end = time.perf_counter() + 0.03
        while time.perf_counter() < end:
            pass
        return "done"

    assert deadlines.GRACE >= 0.05
    assert call_before(time.perf_counter() + 0.01, late) == "done"


def test_a_late_call_within_the_grace_still_ends_the_negotiation_timed_out() -> None:
    class Late(Hanging):
        def respond(self, state: Any, offer: Any, source: Any = None) -> Any:
            if state.step >= 2:
                time.sleep(0.25)  # past the 0.2 s limit, within its grace
            return ResponseType.REJECT_OFFER

    m = _mechanism(time_limit=0.2)
    m.add(AspirationNegotiator(ufun=_ufun(1.0)))
    m.add(Late(ufun=_ufun(-1.0), hang_at=10**6))
    state = m.run()
    assert state.timedout and state.agreement is None and not state.has_error

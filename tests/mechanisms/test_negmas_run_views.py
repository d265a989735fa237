"""NegMAS's state.time, runall's callbacks, run_with_progress, ufun-less negotiators."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.mechanisms import (
    MechanismState,
    NegotiatorError,
    ResponseType,
    SAOMechanism,
    SAOResponse,
)
from palaver.negotiators import AspirationNegotiator, SAONegotiator
from palaver.outcomes import Outcome, make_issue
from palaver.preferences import LinearUtilityFunction


def session(seed: int = 0, n_steps: int = 10) -> SAOMechanism:
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=n_steps, seed=seed)
    m.add(AspirationNegotiator(name="s", ufun=LinearUtilityFunction([1.0])))
    m.add(AspirationNegotiator(name="b", ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    return m


def test_state_time_counts_seconds_from_the_start() -> None:
    m = session()
    assert m.state.time == 0.0
    m.step()
    first = m.state.time
    assert first > 0.0
    m.run()
    assert m.state.time >= first and isinstance(m.state.time, float)
    # wall-clock: left out of equality and of to_dict, so seeded runs compare equal
    again = session()
    again.run()
    assert again.state == m.state and "time" not in m.state.to_dict()


@pytest.mark.parametrize("method", ["ordered", "sequential"])
def test_runall_calls_the_callbacks_with_each_position(method: str) -> None:
    calls: dict[str, list[int]] = {"start": [], "progress": [], "end": []}
    sessions = [session(seed) for seed in range(3)]
    states = SAOMechanism.runall(
        sessions,
        method=method,
        start_callback=lambda i, m: calls["start"].append(i),
        progress_callback=lambda i, m: calls["progress"].append(i),
        completion_callback=lambda i, m: calls["end"].append(i),
    )
    assert all(s is not None and s.ended for s in states)
    assert sorted(calls["start"]) == [0, 1, 2] and calls["end"] == [0, 1, 2]
    # one progress call per step each took
    assert [calls["progress"].count(i) for i in range(3)] == [m.state.step for m in sessions]


def test_run_with_progress_runs_to_the_end_with_the_callbacks() -> None:
    seen: list[str] = []
    m = session(n_steps=8)
    state = m.run_with_progress(
        start_callback=lambda s: seen.append("start"),
        progress_callback=lambda s: seen.append("step"),
        completion_callback=lambda s: seen.append("end"),
    )
    assert state.ended and seen[0] == "start" and seen[-1] == "end"
    assert seen.count("step") == state.step


class AlwaysFive(SAONegotiator):
    """NegMAS user code: a negotiator of one's own needs no utility function."""

    def propose(self, state: MechanismState) -> Outcome | None:
        return (5,)

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        return ResponseType.ACCEPT_OFFER


def test_an_own_negotiator_negotiates_without_a_utility_function() -> None:
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=5, seed=0)
    assert m.add(AlwaysFive(name="A")) and m.add(AlwaysFive(name="B"))
    assert m.run().agreement == (5,)
    # the built-in strategies still need one, and say so
    with pytest.raises(NegotiatorError, match="needs a utility function"):
        SAOMechanism(issues=[make_issue(10, "price")], n_steps=5).add(AspirationNegotiator())


class Recorder(AspirationNegotiator):
    """NegMAS style: overrides __call__ and hands on to the strategy with super()."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: list[int] = []

    def __call__(self, state: MechanismState, dest: str | None = None) -> SAOResponse:
        self.seen.append(state.step)
        return super().__call__(state, dest)


class Stubborn(SAONegotiator):
    """NegMAS style: only __call__, answering and offering in one reply."""

    def __call__(self, state: MechanismState, dest: str | None = None) -> SAOResponse:
        return SAOResponse(ResponseType.REJECT_OFFER, (9,))


def test_a_negmas_style_call_answers_and_offers() -> None:
    def run(first: type[SAONegotiator]) -> SAOMechanism:
        m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=20, seed=4)
        m.add(first(name="r", ufun=LinearUtilityFunction([1.0])))
        m.add(AspirationNegotiator(name="b", ufun=LinearUtilityFunction([-1.0], bias=9.0)))
        m.run()
        return m

    plain, recorded = run(AspirationNegotiator), run(Recorder)
    # the same negotiation, asked through __call__ once per turn
    assert recorded.history == plain.history and recorded.agreement == plain.agreement
    r = recorded.negotiators[0]
    assert isinstance(r, Recorder) and len(r.seen) >= recorded.state.step
    stubborn = SAOMechanism(issues=[make_issue(10, "price")], n_steps=5, seed=0)
    stubborn.add(Stubborn(name="s"))
    stubborn.add(AspirationNegotiator(name="b", ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    stubborn.run()
    assert stubborn.negotiator_offers("s") == [(9,)] * 5 and stubborn.state.timedout


def test_a_call_that_returns_something_else_is_a_negotiator_error() -> None:
    class Bad(SAONegotiator):
        def __call__(self, state: MechanismState, dest: str | None = None) -> SAOResponse:
            return "accept"  # type: ignore[return-value]

    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=5, seed=0)
    m.add(Bad(name="x"))
    m.add(AspirationNegotiator(name="b", ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    with pytest.raises(NegotiatorError, match="must return an SAOResponse"):
        m.run()


def test_limits_given_with_add_end_the_negotiation_at_the_shortest() -> None:
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=50, seed=0)
    m.add(Stubborn(name="s"), n_steps=30)
    m.add(Stubborn(name="t"), n_steps=12, time_limit=float("inf"))
    assert m.n_steps == 12 and m.nmi.n_steps == 12 and m.time_limit == float("inf")
    state = m.run()
    assert state.step == 12 and state.timedout
    timed = SAOMechanism(issues=[make_issue(10, "price")], n_steps=10)
    timed.add(Stubborn(name="s"), time_limit=30.0)
    assert timed.time_limit == 30.0 and timed.n_steps == 10
    for bad, error in (({"n_steps": 0}, ValueError), ({"time_limit": -1.0}, ValueError)):
        with pytest.raises(error, match=next(iter(bad))):
            timed.add(Stubborn(name="u"), **bad)  # type: ignore[arg-type]
    assert [n.id for n in timed.negotiators] == ["s"]  # refused before joining

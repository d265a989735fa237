"""NegMAS's state.time, runall's callbacks, run_with_progress, ufun-less negotiators."""

from __future__ import annotations

import pytest

from palaver.mechanisms import MechanismState, NegotiatorError, ResponseType, SAOMechanism
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

"""NegMAS's runall(ordering=, ordering_fun=): mechanisms stepped in a given order."""

from __future__ import annotations

import pytest

from palaver.mechanisms import MechanismError, SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction


def sessions(steps: list[int]) -> list[SAOMechanism]:
    out = []
    for k, n_steps in enumerate(steps):
        m = SAOMechanism(issues=[make_issue(5, "x")], n_steps=n_steps, id=f"m{k}")
        m.add(AspirationNegotiator(name="a"), ufun=LinearUtilityFunction([1.0]))
        m.add(AspirationNegotiator(name="b"), ufun=LinearUtilityFunction([-1.0]))
        out.append(m)
    return out


def test_ordering_steps_each_listed_position_per_pass() -> None:
    seen: list[int] = []
    mechanisms = sessions([4, 4])
    states = SAOMechanism.runall(
        mechanisms, ordering=[1, 0, 1], progress_callback=lambda i, m: seen.append(i)
    )
    assert all(s is not None and not s.running for s in states)
    # Mechanism 1 steps twice per pass, so it ends first and 0 goes on alone.
    assert seen[:6] == [1, 0, 1, 1, 0, 1]
    assert seen[6:] == [0] * (len(seen) - 6)


def test_ordering_fun_names_the_next_position() -> None:
    mechanisms = sessions([3, 3])
    calls: list[int] = []

    def second_first(j: int, states: list) -> int:
        calls.append(j)
        return 1 if states[1].running or not states[1].started else 0

    stepped: list[int] = []
    SAOMechanism.runall(
        mechanisms, ordering_fun=second_first, progress_callback=lambda i, m: stepped.append(i)
    )
    # Mechanism 1 runs to its end before 0 takes a step.
    n1 = stepped.count(1)
    assert n1 > 0 and stepped == [1] * n1 + [0] * (len(stepped) - n1)
    assert not mechanisms[0].state.running and not mechanisms[1].state.running
    assert calls == list(range(len(calls)))
    # A function that only names an ended mechanism is stopped, not looped on for ever.
    fresh = sessions([3, 3])
    fresh[0].run()
    with pytest.raises(MechanismError, match="only ended mechanisms"):
        SAOMechanism.runall(fresh, ordering_fun=lambda j, states: 0)


def test_bad_orderings_are_named() -> None:
    with pytest.raises(MechanismError, match="never mentions the mechanisms at \\[1\\]"):
        SAOMechanism.runall(sessions([3, 3]), ordering=[0, 0])
    with pytest.raises(MechanismError, match="positions in mechanisms"):
        SAOMechanism.runall(sessions([3]), ordering=[0, 5])
    with pytest.raises(MechanismError, match="'ordered' method"):
        SAOMechanism.runall(sessions([3]), method="sequential", ordering=[0])
    with pytest.raises(MechanismError, match="ordering_fun must return"):
        SAOMechanism.runall(sessions([3]), ordering_fun=lambda j, states: "0")

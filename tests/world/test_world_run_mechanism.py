"""The desk's run_mechanism on a mechanism that cannot start."""

from __future__ import annotations

import threading

from palaver.mechanisms import MechanismState, SAOMechanism
from palaver.negotiators import RandomNegotiator
from palaver.preferences import MappingUtilityFunction
from palaver.world.negotiations import run_mechanism


class OwnStep(SAOMechanism):
    """A mechanism with its own step(), which run_mechanism must call round by round."""

    def step(self) -> MechanismState:
        return super().step()


def test_an_own_step_mechanism_with_one_negotiator_returns_unstarted_instead_of_spinning() -> None:
    m = OwnStep(outcomes=4, n_steps=3)
    m.add(RandomNegotiator(), ufun=MappingUtilityFunction(lambda o: 1.0))
    found: list[MechanismState] = []
    worker = threading.Thread(target=lambda: found.append(run_mechanism(m, None)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert found, "run_mechanism kept stepping a mechanism that cannot start"
    assert not found[0].started and found[0].ended_without_starting

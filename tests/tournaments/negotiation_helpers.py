"""Scenarios and misbehaving negotiators for the negotiation-tournament tests (importable)."""

from __future__ import annotations

import os
import time

import numpy as np

from palaver.mechanisms import MechanismState
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.scenarios import Scenario


def small_scenario(i: int, n_values: int = 6) -> Scenario:
    """A seeded bilateral scenario of ``n_values ** 2`` outcomes named ``t{i}``."""
    rng = np.random.default_rng(100 + i)
    space = OutcomeSpace([make_issue(n_values, "a"), make_issue(n_values, "b")])
    ufuns = []
    for _ in range(2):
        tables = [dict(enumerate(rng.random(n_values).tolist())) for _ in range(2)]
        w = rng.random(2)
        ufuns.append(
            LinearAdditiveUtilityFunction(
                tables,
                list(w / w.sum()),
                reserved_value=float(rng.random() * 0.2),
                outcome_space=space,
            )
        )
    return Scenario(space, ufuns, name=f"t{i}")


class _Misbehaving(AspirationNegotiator):
    """Proposes as an aspiration negotiator, but calls :meth:`misbehave` instead
    on its ``nth`` proposal of a negotiation."""

    nth = 0

    def on_negotiation_start(self, state: MechanismState) -> None:
        super().on_negotiation_start(state)
        self.calls = 0

    def propose(self, state: MechanismState) -> tuple | None:
        self.calls += 1
        if self.calls == self.nth:
            self.misbehave()
        return super().propose(state)

    def misbehave(self) -> None:
        raise NotImplementedError


class Sleeper(_Misbehaving):
    """Hangs (sleeps far beyond any test's hang timeout) on its third proposal."""

    nth = 3

    def misbehave(self) -> None:
        time.sleep(30)


class Crasher(_Misbehaving):
    """Raises on its second proposal."""

    nth = 2

    def misbehave(self) -> None:
        raise RuntimeError("boom")


class Exiter(_Misbehaving):
    """Ends its whole process (as a crash in native code would) on its second proposal."""

    nth = 2

    def misbehave(self) -> None:
        os._exit(3)


def note_end(folder: str, run_id: str, state: MechanismState) -> None:
    """A module-level negotiation callback (workers can import it; bind ``folder``
    with functools.partial): one file per negotiation in ``folder``."""
    with open(os.path.join(folder, f"{run_id}.txt"), "w", encoding="utf-8") as f:
        f.write(f"{state.step},{os.getpid()}")

"""What a mechanism checks before each round, when there is anything to check.

NegMAS's ``hidden_time_limit`` (seconds the negotiators do not see), its
random endings (``pend`` per round, ``pend_per_second`` per new second of
wall-clock time) and its automatic checkpoints
(:mod:`palaver.mechanisms.autosave`) are checked by one :class:`RoundGuard`,
made only for a mechanism that uses one of them: the others test one
``None`` per step.
"""

from __future__ import annotations

import math
import random
import time
from typing import TYPE_CHECKING

import numpy as np

from palaver._util.checks import check_real
from palaver.mechanisms.autosave import AutoCheckpoints
from palaver.mechanisms.errors import MechanismTypeError, MechanismValueError

if TYPE_CHECKING:
    from palaver.mechanisms.stepping import MechanismStepping


def hidden_limit(value: object) -> float | None:
    """``hidden_time_limit`` checked (seconds > 0), ``None`` for an infinite one."""
    hidden = check_real(
        "hidden_time_limit",
        value,
        positive=True,
        none_ok=True,
        inf_ok=True,
        type_error=MechanismTypeError,
        value_error=MechanismValueError,
    )
    return None if hidden is None or math.isinf(hidden) else hidden


class RoundGuard:
    """Before a round: save a due checkpoint, then say whether the hidden time
    limit or a random ending ends the negotiation (:meth:`check`)."""

    __slots__ = ("_autosave", "_endings", "_hidden", "_last_second", "_mechanism")

    def __init__(
        self,
        mechanism: MechanismStepping,
        hidden_time_limit: float | None,
        autosave: AutoCheckpoints | None,
    ) -> None:
        self._mechanism = mechanism
        self._hidden = hidden_time_limit
        self._autosave = autosave
        self._endings: random.Random | None = None  # pend draws, made at the first one
        self._last_second = 0  # pend_per_second: the last whole second drawn for

    def check(self) -> bool:
        """Whether the negotiation ends before this round (a due checkpoint is saved first).

        The random endings draw from a generator derived from the seed (NegMAS
        draws from Python's global one): a seeded negotiation ends at the same
        round every time; ``pend_per_second`` draws once per new whole second
        of wall-clock time, so where it ends depends on the clock.
        """
        mechanism = self._mechanism
        state = mechanism._state
        if self._autosave is not None:
            self._autosave.save(mechanism, state.step)
        elapsed = time.perf_counter() - mechanism._start_time
        hidden = self._hidden
        if hidden is not None and elapsed >= hidden:
            return True
        limits = mechanism._limits
        if not (limits.pend or limits.pend_per_second):
            return False
        if state.relative_time > 1.0:  # pend alone: rounds beyond the expected ones
            state.relative_time = 1.0
        endings = self._endings
        if endings is None:
            seq = np.random.SeedSequence(mechanism._seed, spawn_key=(2,))
            endings = self._endings = random.Random(int(seq.generate_state(2, np.uint64)[0]))
        if limits.pend and endings.random() < limits.pend:
            return True
        second = int(elapsed)
        if limits.pend_per_second and second > self._last_second:
            self._last_second = second
            if endings.random() < limits.pend_per_second:
                return True
        return False

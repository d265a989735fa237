"""MiCRO's rule lent to the mechanism, and the array pass over its quiet rounds.

:func:`~palaver.mechanisms.sao_duel.play_duel` plays a MiCRO negotiator
against a planned one from the :class:`MinimalConcession` MiCRO lends: its
repeat draws come from its generator in runs (:class:`Draws`), and the long
stretches in which it only repeats itself and nobody accepts are found with
array operations (:func:`skip_ahead`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from palaver.mechanisms.plan import RoundPlan
from palaver.outcomes import Outcome


@dataclass(slots=True)
class MinimalConcession:
    """A MiCRO negotiator's state, lent to the mechanism for one call.

    The rule (MiCRO's): with ``m`` distinct offers made and ``r`` distinct
    offers received (offers it made itself not counted), it proposes
    ``outcomes[n - 1 - m]`` (a new one) when ``m <= r`` and that position is
    at least ``lowest``; otherwise ``made[j]`` with ``j`` drawn by
    ``rng.integers(m)``. It accepts an offer worth at least its reserved
    value and at least the utility of what it would offer next (the new
    outcome, else the worst offer made); equal only when ``accept_same``.
    (With nothing made and nothing new allowed it would offer nothing: the
    mixed loop plays that case.)

    Attributes:
        outcomes: Its (grid) outcomes, worst first.
        utilities: Their utilities, increasing.
        index: Outcome -> grid position (the mechanism's outcome-table index).
        utility_at: Its utility of the outcome at a grid position.
        lowest: The worst position in ``outcomes`` it may still propose.
        reserved: Its reserved value.
        accept_same: Whether an offer worth exactly the threshold is accepted.
        made: Its distinct offers so far, in order (updated in place).
        made_set: The same, as a set (updated in place).
        received: Distinct offers received that it had not made (updated in place).
        rng: The generator of its repeat draws.
        values: Optionally, ``utility_at`` for every grid position, as an
            array: with it (and a plan that has arrays) long stretches of
            repeated offers are played with array operations.
    """

    outcomes: list[Outcome]
    utilities: list[float]
    index: dict[Outcome, int]
    utility_at: Callable[[int], float]
    lowest: int
    reserved: float
    accept_same: bool
    made: list[Outcome]
    made_set: set[Outcome]
    received: set[Outcome]
    rng: np.random.Generator
    values: np.ndarray | None = None


class Draws:
    """``rng.integers(high)`` one at a time, drawn from the generator in runs.

    A run has one ``high`` (the number of offers made, constant between
    concessions) and the length the caller expects to need; numpy draws a
    run exactly as it draws its values one by one. A run not used up is
    drawn again to the length used (:meth:`settle`).
    """

    __slots__ = ("_high", "_pos", "_rng", "_saved", "_values")

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._values: list[int] = []
        self._pos = 0
        self._high = 0
        self._saved: Any = None

    def take(self, high: int) -> int:
        """The next ``rng.integers(high)`` of the current run (``-1`` when the
        run is used up or was drawn for another ``high``)."""
        if self._pos < len(self._values) and self._high == high:
            value = self._values[self._pos]
            self._pos += 1
            return value
        return -1

    def left(self, high: int) -> int:
        """How many of the current run's values are not taken yet (0 when it
        was drawn for another ``high``)."""
        return len(self._values) - self._pos if self._high == high else 0

    def ahead(self) -> list[int]:
        """The current run's values not taken yet."""
        return self._values[self._pos :]

    def skip(self, n: int) -> None:
        """Take the next ``n`` values (the caller read them with :meth:`ahead`)."""
        self._pos += n

    def start(self, high: int, expected: int) -> int:
        """Start a run of ``expected`` draws of ``rng.integers(high)`` (the
        caller's guess of how many it needs); return its first value."""
        self.settle()
        self._saved = self._rng.bit_generator.state
        self._high = high
        self._values = self._rng.integers(high, size=max(1, expected)).tolist()
        self._pos = 1
        return self._values[0]

    def settle(self) -> None:
        """Leave the generator where one-by-one draws of the values used would."""
        if self._pos < len(self._values):
            self._rng.bit_generator.state = self._saved
            if self._pos:
                self._rng.integers(self._high, size=self._pos)
        self._values = []
        self._pos = 0


def repeats_ahead(proposals: list[Outcome], start: int, c: MinimalConcession) -> int:
    """How many of the planned side's ``proposals`` from ``start`` bring
    nothing new to ``c``, plus one: the length of MiCRO's coming run of
    repeats (it concedes again after the first new offer)."""
    seen = c.received
    made = c.made_set
    for k in range(start, len(proposals)):
        offer = proposals[k]
        if offer not in seen and offer not in made:
            return k - start + 1
    return len(proposals) - start + 1


MIN_SKIP = 8
"""Fewest rounds worth playing with array operations: a pass costs about as
much as a few rounds played one by one."""


def skip_ahead(
    plan: RoundPlan,
    me: int,
    c: MinimalConcession,
    values: np.ndarray,
    draws: list[int],
    made_positions: list[int],
    rnd: int,
    stop: int,
    standing: Outcome,
) -> tuple[int, list[Outcome], list[Outcome]]:
    """The quiet rounds from ``rnd`` (ending before ``stop``), when at least
    :data:`MIN_SKIP` (else none): rounds in which ``c`` repeats its earlier
    offers (``draws``: its coming draws, already drawn) and nobody accepts.
    Returns their number and the planned side's and ``c``'s offers in them
    (no offers when the stretch is too short to be worth it).

    Every planned offer ``c`` faces in these rounds is one it knows (made or
    received), so it neither counts a new offer nor concedes: its draws were
    drawn in a run as long as the planned side's coming offers that are not
    new to it (:func:`repeats_ahead`), and what it knows only grows.

    The caller checked that ``c`` does not concede now, that the negotiation
    is offering-is-accepting and that the last turn was the second
    negotiator's (``standing`` is its offer). The comparisons are those of
    the turn-by-turn play, element-wise on the same numbers.
    """
    n = min(len(draws), stop - rnd)
    if n < MIN_SKIP:
        return n, [], []
    assert plan.positions is not None and plan.utilities is not None
    assert plan.remaining_slice is not None
    index = c.index
    made = c.made
    if len(made_positions) < len(made):
        made_positions.extend(index[o] for o in made[len(made_positions) :])
    mine = np.array(made_positions)[np.array(draws[:n])]
    at = index[standing]
    planned_accepts = plan.utilities[
        mine if me == 0 else np.concatenate(([at], mine[:-1]))
    ] >= plan.floor + plan.span * plan.remaining_slice(rnd, rnd + n)
    # The planned offers c answers: this round's when the planned side moves
    # first, else the one standing from the round before.
    positions = plan.positions[rnd : rnd + n]
    faced = positions if me == 1 else np.concatenate(([at], positions[:-1]))
    u = values[faced]
    threshold = c.utilities[len(c.outcomes) - len(made)]  # the worst offer it made
    quiet = (u < c.reserved) | (u < threshold)  # c refuses
    if not c.accept_same:
        quiet |= u == threshold
    quiet &= ~planned_accepts
    quiet_rounds = n if quiet.all() else int(quiet.argmin())
    if quiet_rounds < MIN_SKIP:
        return quiet_rounds, [], []
    theirs = list(plan.proposals[rnd : rnd + quiet_rounds])
    return quiet_rounds, theirs, [made[j] for j in draws[:quiet_rounds]]

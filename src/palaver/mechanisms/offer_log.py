"""The offer history of planned rounds, kept as segments and made into tuples when read.

A bilateral negotiation played from round plans (see
:mod:`palaver.mechanisms.sao_planned`) makes its offers in one known pattern:
the first negotiator's proposals of rounds ``[start, end_a)`` and the second's
of ``[start, end_b)``, interleaved. Building a ``(round, negotiator_id,
outcome)`` tuple per offer is most of what such a negotiation costs once its
rounds are array passes, and most histories are never read (a world keeps the
agreement; a tournament wants columns). So the mechanism keeps a
:class:`Segment` per such stretch of rounds, after the tuples of the offers
made turn by turn, and :func:`settle` turns the segments into tuples when the
history is read (every view of it does, see
:class:`~palaver.mechanisms.views.MechanismViews`).

:func:`history_columns` gives the whole history as arrays (rounds,
negotiator positions, outcome positions) without making the tuples: the
segments' parts come straight from the plans' position arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from operator import itemgetter
from typing import Any

import numpy as np

from palaver.outcomes import Outcome

_ROUND, _WHO, _OUTCOME = itemgetter(0), itemgetter(1), itemgetter(2)

History = list[tuple[int, "str | None", Outcome]]


class Segment:
    """Offers of two planned negotiators over consecutive rounds (see module doc).

    Attributes:
        proposals: Each negotiator's planned proposal per round.
        positions: Each negotiator's ``index[proposal]`` per round, or ``None``.
        index: The outcome index the positions refer to.
        ids: The two negotiators' ids.
        start: The first round of the segment.
        end_a: The first negotiator offers in rounds ``[start, end_a)``.
        end_b: The second offers in rounds ``[start, end_b)`` (``end_a - 1``
            or ``end_a``: its turn comes second in a round).
    """

    __slots__ = ("end_a", "end_b", "ids", "index", "positions", "proposals", "start")

    def __init__(
        self,
        proposals: tuple[Sequence[Outcome], Sequence[Outcome]],
        positions: tuple[np.ndarray | None, np.ndarray | None],
        index: dict[Outcome, int],
        ids: tuple[str, str],
        start: int,
        end_a: int,
        end_b: int,
    ) -> None:
        self.proposals = proposals
        self.positions = positions
        self.index = index
        self.ids = ids
        self.start = start
        self.end_a = end_a
        self.end_b = end_b

    def __len__(self) -> int:
        return self.end_a + self.end_b - 2 * self.start

    def outcomes(self) -> list[Outcome]:
        """The offered outcomes, in the order they were made."""
        pa, pb = self.proposals
        first = pa[self.start : self.end_a]
        second = pb[self.start : self.end_b]
        return _interleave(first, second)

    def rounds(self) -> list[int]:
        """The round of each offer, in the order they were made."""
        return _interleave(range(self.start, self.end_a), range(self.start, self.end_b))

    def tuples(self) -> History:
        """The offers as history tuples ``(round, negotiator_id, outcome)``."""
        ida, idb = self.ids
        pa, pb = self.proposals
        first = zip(range(self.start, self.end_a), repeat(ida), pa[self.start : self.end_a])
        second = zip(range(self.start, self.end_b), repeat(idb), pb[self.start : self.end_b])
        return _interleave(list(first), list(second))

    def who(self) -> np.ndarray:
        """The position (0 or 1) of the negotiator making each offer."""
        who = np.zeros(len(self), dtype=np.int8)
        who[1::2] = 1
        return who

    def outcome_positions(self, index: dict[Outcome, int]) -> np.ndarray:
        """Each offer's position in ``index``, in the order they were made."""
        pos_a, pos_b = self.positions
        n = len(self)
        if index is self.index and pos_a is not None and pos_b is not None:
            out = np.empty(n, dtype=np.int64)
            na = self.end_a - self.start
            nb = self.end_b - self.start
            out[0 : 2 * nb : 2] = pos_a[self.start : self.start + nb]
            out[1 : 2 * nb : 2] = pos_b[self.start : self.end_b]
            if na > nb:
                out[-1] = pos_a[self.end_a - 1]
            return out
        return np.fromiter(map(index.__getitem__, self.outcomes()), dtype=np.int64, count=n)


def _interleave(first: Sequence[Any], second: Sequence[Any]) -> list[Any]:
    """``first[0], second[0], first[1], ...``; ``first`` may be one longer."""
    n_b = len(second)
    merged: list[Any] = [None] * (len(first) + n_b)
    merged[0 : 2 * n_b : 2] = first[:n_b]
    merged[1 : 2 * n_b : 2] = second
    if len(first) > n_b:  # the first negotiator's offer the second accepted
        merged[-1] = first[-1]
    return merged


def settle(history: History, pending: list[Segment]) -> History:
    """Append the tuples of the ``pending`` segments to ``history`` (emptying it)."""
    for segment in pending:
        history.extend(segment.tuples())
    pending.clear()
    return history


def offers_by(
    history: History, negotiator_ids: Sequence[str], mechanism_id: str, negotiator_id: str
) -> list[Outcome]:
    """The outcomes ``negotiator_id`` offered in ``history``, oldest first (the
    mechanism's and its interfaces' ``negotiator_offers``).

    Raises ``ValueError`` naming the negotiators when ``negotiator_id`` is not
    one of them (NegMAS returns an empty list: a typo would go unseen).
    """
    if negotiator_id not in negotiator_ids:
        raise ValueError(
            f"negotiator_id {negotiator_id!r} is not a negotiator of mechanism "
            f"{mechanism_id!r} (negotiators: {list(negotiator_ids)})"
        )
    return [outcome for _, nid, outcome in history if nid == negotiator_id]


def turn_index(negotiator_ids: Sequence[str], negotiator_id: str) -> int | None:
    """The position of ``negotiator_id`` in turn order, or ``None`` (NegMAS's)."""
    try:
        return negotiator_ids.index(negotiator_id)
    except ValueError:
        return None


def history_columns(
    history: History,
    pending: list[Segment],
    negotiator_ids: list[str],
    index: dict[Outcome, int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The offers as three equal-length arrays: round, negotiator position, outcome position.

    The negotiator position is the offerer's place in ``negotiator_ids`` (-1
    for an offer made by no negotiator, a veto mediator's); the outcome
    position is its place in ``index``. Messages (entries without an outcome,
    see :mod:`palaver.mechanisms.sao_data`) are left out. Raises ``KeyError``
    for an offer that is not in ``index``.
    """
    rounds: list[np.ndarray] = []
    who: list[np.ndarray] = []
    outcomes: list[np.ndarray] = []
    if history and None in map(_OUTCOME, history):
        history = [entry for entry in history if entry[2] is not None]  # messages: no offer
    if history:
        n = len(history)
        position_of: dict[str | None, int] = {nid: p for p, nid in enumerate(negotiator_ids)}
        position_of.setdefault(None, -1)
        # Three C-level passes, no transposed tuples of the whole history.
        rounds.append(np.fromiter(map(_ROUND, history), dtype=np.int64, count=n))
        who.append(
            np.fromiter(map(position_of.__getitem__, map(_WHO, history)), dtype=np.int8, count=n)
        )
        outcomes.append(
            np.fromiter(map(index.__getitem__, map(_OUTCOME, history)), dtype=np.int64, count=n)
        )
    for segment in pending:
        n = len(segment)
        if not n:
            continue
        ida, idb = segment.ids
        order = np.array([negotiator_ids.index(ida), negotiator_ids.index(idb)], dtype=np.int8)
        rounds.append(np.arange(n, dtype=np.int64) // 2 + segment.start)
        who.append(order[segment.who()])
        outcomes.append(segment.outcome_positions(index))
    if not rounds:
        empty = np.zeros(0, dtype=np.int64)
        return empty, np.zeros(0, dtype=np.int8), empty.copy()
    if len(rounds) == 1:
        return rounds[0], who[0], outcomes[0]
    return np.concatenate(rounds), np.concatenate(who), np.concatenate(outcomes)

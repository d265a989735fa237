"""Round plans: a time-based strategy's whole negotiation, known when it starts.

A strategy whose proposal in round ``k`` depends only on ``k``, and whose
answer to an offer depends only on the offer's utility and ``k`` (the
aspiration family: Boulware, Linear, Conceder), can hand the mechanism a
:class:`RoundPlan` once the negotiation has started. When every negotiator of
an SAO negotiation hands one, and nothing would observe the individual turns
(no time limit, no sink listening to offers or responses), the mechanism plays
the rounds from the plans without calling the negotiators at all: same offers,
same answers, same agreement and history, a fraction of the cost (a Python
call per turn is most of a round).

A plan is an optimisation a strategy offers, never a change of behaviour: a
strategy must return one only when following it gives exactly what its
``propose``/``respond`` would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from palaver.outcomes import Outcome


# Not frozen: a plan is made per negotiator and negotiation, and a frozen
# dataclass's __init__ costs three times as much. Treat it as read-only: it may
# be shared by every negotiation that reuses its negotiator's ranking.
@dataclass(slots=True)
class RoundPlan:
    """What a negotiator will do in each round of a round-limited negotiation.

    In round ``k`` (0-based, relative time ``(k + 1) / (n_steps + 1)``):

    - facing a standing offer ``o`` it accepts when
      ``utility_at(index[o]) >= floor + span * remaining[k]`` and rejects
      otherwise (it never passes or ends the negotiation);
    - when it rejects, or faces no offer, it proposes ``proposals[k]``.

    Attributes:
        proposals: The proposal of each round (at least ``n_steps`` of them),
            outcomes of the mechanism's outcome table (canonical tuples).
        floor: The acceptance threshold's lowest utility.
        span: The threshold's range above ``floor``.
        remaining: The fraction of ``span`` still demanded in each round.
        index: Outcome -> position, the mechanism's outcome-table index.
        utility_at: The negotiator's utility of the outcome at a position.
        positions: Optionally, ``index[proposals[k]]`` for every round, as an
            integer array; with ``utilities`` and ``remaining_slice`` it lets
            the mechanism find the first acceptance with array operations.
        utilities: Optionally, ``utility_at`` for every position, as an array.
        remaining_slice: Optionally, ``(start, end) -> remaining[start:end]`` as
            an array (the same numbers).
        thresholds: Optionally, ``floor + span * remaining[k]`` for every round
            as a read-only array, computed as Python computes it (the same
            numbers): the mechanism then reads the thresholds instead of
            computing them.
    """

    proposals: Sequence[Outcome]
    floor: float
    span: float
    remaining: Sequence[float]
    index: dict[Outcome, int]
    utility_at: Callable[[int], float]
    positions: np.ndarray | None = None
    utilities: np.ndarray | None = None
    remaining_slice: Callable[[int, int], np.ndarray] | None = None
    thresholds: np.ndarray | None = None

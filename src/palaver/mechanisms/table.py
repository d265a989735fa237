"""Enumerated outcome spaces with a position index, shared between negotiations.

Checking an offer issue by issue, or evaluating a utility function on it,
costs more than the rest of an SAO round. For a discrete space of moderate
size one enumeration plus a dict from outcome to position turns both into a
single lookup. Outcome spaces are immutable and hashable, so the table is
built once per space and reused by every mechanism and negotiator on it.
"""

from __future__ import annotations

from typing import Any

from palaver.outcomes import Outcome, OutcomeSpace
from palaver.outcomes.constraints import cache_key

#: Spaces with more outcomes than this are never tabulated (memory).
MAX_TABLE_SIZE = 100_000
#: The cache keeps tables holding at most this many outcomes in total.
MAX_CACHED_OUTCOMES = 1_000_000


def check_space(space: object) -> None:
    """A ``TypeError`` naming ``space`` unless it is an :class:`OutcomeSpace`."""
    if not isinstance(space, OutcomeSpace):
        raise TypeError(
            f"space must be an OutcomeSpace (make_os(issues)), got {space!r:.80} "
            f"({type(space).__name__})"
        )


class OutcomeTable:
    """Every outcome of a discrete space and the position of each.

    Attributes:
        space: The outcome space.
        outcomes: All outcomes, in :meth:`OutcomeSpace.enumerate` order.
        index: Outcome tuple -> position in ``outcomes``. Lookups use ``==``,
            so an equal tuple of other numeric types (``1.0`` for ``1``) finds
            the same position; ``outcomes[index[o]]`` is the canonical tuple.
    """

    __slots__ = ("index", "outcomes", "space")

    def __init__(self, space: OutcomeSpace) -> None:
        check_space(space)
        self.space = space
        self.outcomes: list[Outcome] = space.enumerate()
        self.index: dict[Outcome, int] = {o: i for i, o in enumerate(self.outcomes)}

    def __len__(self) -> int:
        return len(self.outcomes)


#: By :func:`~palaver.outcomes.constraints.cache_key`: the space and its constraints.
_TABLES: dict[tuple[Any, ...], OutcomeTable] = {}


def outcome_table(space: OutcomeSpace) -> OutcomeTable | None:
    """The (cached) table of a discrete space, or ``None`` when it is continuous or too large.

    Do not modify the returned table: it is shared.
    """
    key = cache_key(space)
    try:
        table = _TABLES.get(key)
    except TypeError:  # unhashable: not a space (checked only then, off the hot path)
        table = None
    if table is not None:
        return table
    check_space(space)
    if not space.is_discrete or space.cardinality > MAX_TABLE_SIZE:
        return None
    table = OutcomeTable(space)
    total = sum(len(t) for t in _TABLES.values()) + len(table)
    while _TABLES and total > MAX_CACHED_OUTCOMES:
        total -= len(_TABLES.pop(next(iter(_TABLES))))
    _TABLES[key] = table
    return table

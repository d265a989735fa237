"""One offer of a mechanism's history, readable as Palaver's tuple and NegMAS's state.

Palaver's ``mechanism.history`` lists every offer as ``(round, negotiator_id,
outcome)``; NegMAS's lists a state per step, which code reads through
``state.current_offer``, ``state.current_proposer``, ``state.step`` and
``state.new_offers``. Each entry is an :class:`Offered`: the same tuple
(unpacking, indexing and comparing with plain tuples are unchanged) with those
four names, so ``[s.current_offer for s in m.history if s.current_proposer ==
a.id]`` reads every offer of ``a`` as it does on NegMAS. The list still has one
entry per offer, not per step (see docs/negotiation.md, Coming from NegMAS).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from palaver.outcomes import Outcome

__all__ = [
    "DataEntry",
    "Offered",
    "OfferedData",
    "data_of",
    "entry_data",
    "latest_data",
    "offered_view",
]


class DataEntry(tuple[int, str | None, Outcome | None]):
    """A raw history entry ``(round, negotiator_id, outcome)`` that came with
    ``data`` (NegMAS's offer with data, or a message: ``outcome`` ``None``; see
    :mod:`palaver.mechanisms.sao_data`)."""

    data: dict[str, Any]

    def __new__(
        cls, rnd: int, negotiator_id: str | None, outcome: Outcome | None, data: dict[str, Any]
    ) -> DataEntry:
        entry = super().__new__(cls, (rnd, negotiator_id, outcome))
        entry.data = data
        return entry

    def __reduce__(self) -> tuple[type[DataEntry], tuple[Any, ...]]:
        return (DataEntry, (self[0], self[1], self[2], self.data))


def entry_data(entry: Any) -> dict[str, Any] | None:
    """The data a history entry came with (``None`` for a plain offer)."""
    return entry.data if isinstance(entry, DataEntry) else None


class Offered(tuple[int, str | None, Outcome]):
    """``(round, negotiator_id, outcome)`` with NegMAS's names for its parts."""

    __slots__ = ()

    @property
    def step(self) -> int:
        """The round of the offer (NegMAS's ``state.step``)."""
        return self[0]

    @property
    def current_proposer(self) -> str | None:
        """Who made it (``None``: a mediator's proposal)."""
        return self[1]

    @property
    def current_offer(self) -> Outcome:
        """The outcome offered."""
        return self[2]

    @property
    def new_offers(self) -> list[tuple[str | None, Outcome]]:
        """``[(proposer, outcome)]``: the offers this entry holds (one)."""
        return [(self[1], self[2])]

    @property
    def current_data(self) -> dict[str, Any] | None:
        """The data that came with the offer (NegMAS's ``state.current_data``;
        ``None``: none)."""
        return None

    @property
    def new_data(self) -> list[tuple[str | None, dict[str, Any] | None]]:
        """``[(proposer, data)]``: the data this entry holds (NegMAS's ``new_data``)."""
        return [(self[1], self.current_data)]


class OfferedData(Offered):
    """An :class:`Offered` entry that came with data (its :attr:`current_data`)."""

    # A tuple subclass keeps extra fields in a __dict__ (tuples take no slots).
    _data: dict[str, Any]

    @property
    def current_data(self) -> dict[str, Any] | None:
        """The data that came with the offer (or the message: ``current_offer`` ``None``)."""
        return self._data


def data_of(offers: Sequence[Any], step: int) -> list[tuple[str | None, dict[str, Any] | None]]:
    """NegMAS's ``new_data``: ``(proposer, data)`` of every proposal of round
    ``step - 1`` in ``offers`` (the history), oldest first (``None``: no data)."""
    if step < 1:
        return []
    last = step - 1
    found: list[tuple[str | None, dict[str, Any] | None]] = []
    for entry in reversed(offers):
        rnd = entry[0]
        if rnd < last:
            break
        if rnd == last:
            found.append((entry[1], entry_data(entry)))
    found.reverse()
    return found


def latest_data(offers: Sequence[Any], step: int) -> dict[str, Any] | None:
    """NegMAS's ``current_data``: the data of the latest proposal in ``offers``
    made by round ``step`` (``None``: it came with none, or there is none)."""
    for entry in reversed(offers):
        if entry[0] <= step:
            return entry_data(entry)
    return None


def _wrap(entry: Any) -> Offered:
    if isinstance(entry, DataEntry):
        wrapped = OfferedData(entry)
        wrapped._data = entry.data
        return wrapped
    return Offered(entry)


def offered_view(raw: list[Any], view: list[Offered]) -> list[Offered]:
    """``view`` brought up to ``raw`` (the mechanism's offer tuples): the entries
    added since the last call are wrapped, the earlier ones kept (a history
    read every round costs one wrap per new offer, not per entry)."""
    if len(view) > len(raw):  # the history was started again
        view.clear()
    if len(view) < len(raw):
        view.extend(map(_wrap, raw[len(view) :]))
    return view

"""Offers and responses handed to sinks as one columnar batch.

A negotiation makes most of a run's events: an offer per turn and a response
per partner. Building an :class:`~palaver.events.Event` (and its payload dict)
for each, only for a recorder to take it apart again, is most of what
recording a world costs. So a mechanism may append these events to its bus as
bare rows (:meth:`EventBus.batch_rows`), and the bus hands them to sinks as
one :class:`EventBatch` (their ``emit_batch`` method) before any other event is
emitted and at the end of each stretch of rounds. This happens only when every
sink that wants offers or responses has ``emit_batch``; otherwise every event
is emitted one by one, exactly as before, so a sink that takes events one by
one (one without ``emit_batch``, or a :class:`~palaver.events.ListSink`
subclass that overrides ``emit``) sees no difference. A plain ``ListSink``
takes batches: its ``events`` get the events :meth:`EventBatch.events` makes.

The rows are the same events: the bus numbers them in sequence (the batch's
``first_seq`` is the first row's ``seq``, the next row has the next number),
each keeps its own time, agent and negotiation, and :meth:`EventBatch.events`
rebuilds exactly the events :meth:`EventBus.emit` would have made.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from palaver.events.record import Event
from palaver.events.types import EventType

BatchRow = tuple[str, float, "str | None", "str | None", int, Any, "str | None", Any]
"""One batched event: ``(type, time, agent_id, negotiation_id, round, negotiator,
response, outcome)``. ``type`` is ``offer`` or ``response``; ``response`` is
the response's value (``None`` in an offer); ``outcome`` is the offer made, or
the offer responded to."""

BATCHED_TYPES: frozenset[str] = frozenset({EventType.OFFER, EventType.RESPONSE})
"""The event types a mechanism may emit as rows of a batch."""


def row_payload(row: BatchRow) -> dict[str, Any]:
    """The payload :meth:`EventBus.emit` would carry for ``row`` (see
    :class:`~palaver.events.EventType` for the keys)."""
    etype, _, _, _, rnd, negotiator, response, outcome = row
    if etype == EventType.OFFER:
        return {"round": rnd, "negotiator": negotiator, "outcome": outcome}
    return {"round": rnd, "negotiator": negotiator, "response": response, "offer": outcome}


BatchColumns = tuple[
    "Sequence[str]",
    "Sequence[float]",
    "Sequence[str | None]",
    "Sequence[str | None]",
    "Sequence[int]",
    "Sequence[Any]",
    "Sequence[str | None]",
    "Sequence[Any]",
]
"""A batch's rows as eight equal-length columns, in :data:`BatchRow`'s order."""


class EventBatch:
    """Consecutive offer/response events of one run, as rows or columns (see module doc).

    A mechanism hands the bus either rows (the turn-by-turn loop) or columns
    (planned rounds, whose events follow a pattern); each form is made from
    the other on first use, so a sink reads whichever suits it.

    Attributes:
        run_id: The run that emitted them.
        first_seq: The sequence number of the first row (the others follow).
        step: The world step of every row.
    """

    __slots__ = ("_columns", "_rows", "first_seq", "run_id", "step")

    def __init__(
        self,
        run_id: str,
        first_seq: int,
        step: int,
        rows: list[BatchRow] | None = None,
        columns: BatchColumns | None = None,
    ) -> None:
        if (rows is None) == (columns is None):
            raise ValueError("EventBatch takes exactly one of rows and columns")
        self.run_id = run_id
        self.first_seq = first_seq
        self.step = step
        self._rows = rows
        self._columns = columns

    @property
    def rows(self) -> list[BatchRow]:
        """The events in emission order (:data:`BatchRow` each). A sink must not
        mutate them; a sink that wants only some types skips the others' rows."""
        if self._rows is None:
            assert self._columns is not None
            self._rows = list(zip(*self._columns, strict=True))
        return self._rows

    @property
    def columns(self) -> BatchColumns:
        """The same events as eight columns (:data:`BatchColumns`); do not mutate them."""
        if self._columns is None:
            assert self._rows is not None
            if self._rows:
                self._columns = tuple(zip(*self._rows, strict=True))  # type: ignore[assignment]
            else:
                self._columns = ((), (), (), (), (), (), (), ())
        assert self._columns is not None
        return self._columns

    def __len__(self) -> int:
        if self._rows is not None:
            return len(self._rows)
        assert self._columns is not None
        return len(self._columns[0])

    def __repr__(self) -> str:
        return f"<EventBatch run={self.run_id} seq={self.first_seq}.. rows={len(self)}>"

    def events(self) -> Iterator[Event]:
        """The rows as the :class:`Event` objects :meth:`EventBus.emit` would make."""
        seq = self.first_seq
        for row in self.rows:
            yield Event(
                self.run_id, seq, self.step, row[1], row[0], row[2], row[3], None, row_payload(row)
            )
            seq += 1

"""Lazy, indexed views of stored events.

A query (``get_agent_events``, ``get_events_by_type``, ...) returns an
:class:`EventView` at once: its length comes from per-segment counters kept
while recording, so building it costs microseconds whatever the number of
matching events. Events are decoded only when accessed, a block at a time, by
reading just the rows the positions index points to. An agent with 10,000
events therefore answers ``len()`` and ``[0]`` in well under a millisecond,
while ``list(view)`` pays the unavoidable cost of decoding 10,000 events.

A view covers the events stored when it was made; events recorded later are
not added to it (ask again to see them).
"""

from __future__ import annotations

import datetime as dt
import gc
import operator
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from palaver.recording.arrow import numpy_values, valid_mask
from palaver.recording.errors import CorruptRecordingError
from palaver.recording.event import SimulationEvent, decode_many

if TYPE_CHECKING:
    from palaver.recording.storage import EventStore

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_BLOCK = 4096


def _values(column: pa.ChunkedArray) -> list[Any]:
    """A column's values as a Python list, by the cheapest route: an all-null
    column (a bus id in an event not from a bus) is one list of None, a null-free
    integer column goes through numpy (several times faster than Arrow's
    ``to_pylist``, which builds a scalar per value)."""
    n = len(column)
    if column.null_count == n:
        return [None] * n
    if column.null_count == 0 and pa.types.is_int64(column.type):
        # Not ChunkedArray.to_numpy, which imports pandas on its first call.
        values: list[Any] = numpy_values(column.combine_chunks(), np.int64).tolist()
        return values
    listed: list[Any] = column.to_pylist()
    return listed


def _repeated(column: pa.ChunkedArray) -> list[Any]:
    """A column of few distinct texts (agent ids, event types) as a list: each
    distinct text made once and shared, instead of one string per row."""
    n = len(column)
    if column.null_count == n:
        return [None] * n
    coded = pc.dictionary_encode(column.combine_chunks())
    keys: list[Any] = [*coded.dictionary.to_pylist(), None]
    codes = numpy_values(coded.indices, np.int32)
    if coded.indices.null_count:
        codes = codes.copy()
        codes[~valid_mask(coded.indices)] = len(keys) - 1  # the None key
    return list(map(keys.__getitem__, codes.tolist()))


def _event_ids(index: pa.ChunkedArray, simulation_id: str) -> list[str]:
    """``f"{simulation_id}_{i:06d}"`` of each index, made by Arrow (~3x faster
    than a Python format per event)."""
    # No Python scalar in a compute call: making one imports pandas.
    digits = pc.utf8_lpad(pc.cast(index, pa.string()), 6, "0")
    ids: list[str] = pc.utf8_replace_slice(
        digits, start=0, stop=0, replacement=f"{simulation_id}_"
    ).to_pylist()
    return ids


def _stamps(micros: np.ndarray) -> list[dt.datetime]:
    # numpy makes the timedelta objects in C; adding each to the epoch keeps
    # the UTC zone (about 5x faster than a timedelta built per event in Python).
    return list(map(_EPOCH.__add__, micros.astype("timedelta64[us]").astype(object)))


def _decoded_or_none(texts: list[str | None]) -> list[Any]:
    present = [t for t in texts if t is not None]
    if not present:
        return [None] * len(texts)
    if len(present) == len(texts):
        return decode_many(present)
    values = iter(decode_many(present))
    return [None if t is None else next(values) for t in texts]


def materialize(
    table: pa.Table, simulation_id: str, agents: dict[str, Any]
) -> list[SimulationEvent]:
    """Decode stored rows into :class:`SimulationEvent` objects (in row order).

    Column by column, with C-level passes (``map``) where possible: the rows
    of an agent's history are mostly this function's cost. The garbage
    collector is paused meanwhile: the thousands of dicts and events made
    here (none in a reference cycle) would otherwise set off collections that
    each scan every object the process holds, which cost more than decoding
    (about 2x on an agent's 100,000 events).
    """
    if not table.num_rows:
        return []
    if not gc.isenabled():
        return _materialize(table, simulation_id, agents)
    gc.disable()
    try:
        return _materialize(table, simulation_id, agents)
    finally:
        gc.enable()


def _materialize(
    table: pa.Table, simulation_id: str, agents: dict[str, Any]
) -> list[SimulationEvent]:
    stamps = _stamps(numpy_values(table["timestamp"].combine_chunks().cast(pa.int64()), np.int64))
    step, content, meta, run, seq, neg, contract = (
        _values(table[name])
        for name in (
            "step",
            "content",
            "metadata",
            "run_id",
            "seq",
            "negotiation_id",
            "contract_id",
        )
    )
    agent, etype = _repeated(table["agent_id"]), _repeated(table["event_type"])
    metadata = _decoded_or_none(meta)
    if seq.count(None) != len(seq):
        for i, number in enumerate(seq):
            if number is None:
                continue
            merged = dict(metadata[i] or {})
            merged["run_id"] = run[i]
            merged["seq"] = number
            if neg[i] is not None:
                merged["negotiation_id"] = neg[i]
            if contract[i] is not None:
                merged["contract_id"] = contract[i]
            metadata[i] = merged
    ids = _event_ids(table["index"], simulation_id)
    originals = list(map(agents.get, agent, agent))
    return list(
        map(SimulationEvent, ids, stamps, step, originals, etype, decode_many(content), metadata)
    )


class EventView(Sequence[SimulationEvent]):
    """A read-only sequence of recorded events, decoded on access.

    Supports ``len()``, indexing (negative too), slicing (gives a list) and
    iteration. ``kind`` is ``None`` (all events), ``"agent"``, ``"type"`` or
    ``"step"``; ``tail`` holds events that are not stored (the virtual
    ``simulation_end`` marker that :meth:`SimulationRecorder.save` adds).
    """

    def __init__(
        self,
        store: EventStore,
        simulation_id: str,
        agents: dict[str, Any],
        kind: str | None = None,
        key: Any = None,
        tail: Sequence[SimulationEvent] = (),
    ) -> None:
        self._store = store
        self._sid = simulation_id
        self._agents = agents
        self._kind = kind
        self._key = key
        self._hi = store.count
        self._tail = tuple(tail)
        self._positions: np.ndarray | None = None
        self._moves = store.moves
        if kind is None:
            self._stored = self._hi
        elif kind == "step":
            self._stored = len(self._resolve())
        else:
            self._stored = sum(seg.count(kind, key) or 0 for seg in store.segments())

    def _resolve(self) -> np.ndarray:
        # Rows move when the window becomes a part (grouped by agent) and when
        # parts are merged: addresses found before are then found again.
        if self._positions is None or self._moves != self._store.moves:
            self._moves = self._store.moves
            if self._kind is None:
                self._positions = self._store.addresses(np.arange(self._hi, dtype=np.int64))
            else:
                self._positions = self._store.positions(self._kind, self._key, 0, self._hi)
        return self._positions

    def _decode(self, positions: np.ndarray) -> list[SimulationEvent]:
        table = self._store.take(positions)
        try:
            return materialize(table, self._sid, self._agents)
        except (ValueError, OverflowError, RecursionError) as exc:
            # Only a file that was not written by Palaver gets here (checksums
            # catch damage first): say which, not what the JSON parser said.
            raise CorruptRecordingError(
                f"{self._store.source} holds events that cannot be decoded ({exc})"
            ) from None

    def __len__(self) -> int:
        return self._stored + len(self._tail)

    @overload
    def __getitem__(self, item: int) -> SimulationEvent: ...

    @overload
    def __getitem__(self, item: slice) -> list[SimulationEvent]: ...

    def __getitem__(self, item: int | slice) -> SimulationEvent | list[SimulationEvent]:
        if isinstance(item, slice):
            try:
                start, stop, stride = item.indices(len(self))
            except TypeError:
                raise TypeError(
                    f"events[...]: slice bounds must be integers or None, got {item!r}"
                ) from None
            if stride == 1:
                return self._range(start, stop)
            return [self[i] for i in range(start, stop, stride)]
        try:
            item = operator.index(item)  # ints, numpy's included; not floats or text
        except TypeError:
            raise TypeError(
                f"events[...]: an index must be an integer or a slice, "
                f"got {item!r} ({type(item).__name__})"
            ) from None
        n = len(self)
        i = item + n if item < 0 else item
        if not 0 <= i < n:
            raise IndexError(f"event index {item} out of range for {n} events")
        if i >= self._stored:
            return self._tail[i - self._stored]
        if self._kind is None:
            return self._decode(self._store.addresses(np.array([i], dtype=np.int64)))[0]
        return self._decode(self._resolve()[i : i + 1])[0]

    def _range(self, start: int, stop: int) -> list[SimulationEvent]:
        out: list[SimulationEvent] = []
        stored_stop = min(stop, self._stored)
        for lo in range(start, stored_stop, _BLOCK):
            hi = min(lo + _BLOCK, stored_stop)
            if self._kind is None:
                out.extend(self._decode(self._store.addresses(np.arange(lo, hi, dtype=np.int64))))
            else:
                out.extend(self._decode(self._resolve()[lo:hi]))
        out.extend(self._tail[max(start - self._stored, 0) : max(stop - self._stored, 0)])
        return out

    def __iter__(self) -> Iterator[SimulationEvent]:
        for lo in range(0, self._stored, _BLOCK):
            yield from self._range(lo, min(lo + _BLOCK, self._stored))
        yield from self._tail

    def __eq__(self, other: object) -> bool:
        # Code written for a recorder whose ``events`` is a list compares it
        # with lists (``recorder.events == []``): a view equals any list,
        # tuple or view holding equal events in the same order.
        if not isinstance(other, EventView | list | tuple):
            return NotImplemented
        if len(self) != len(other):
            return False
        return all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal to lists, so not hashable

    def __add__(self, other: Sequence[SimulationEvent]) -> list[SimulationEvent]:
        """The events of this view followed by ``other``'s, as a list."""
        return [*self, *other]

    def __radd__(self, other: Sequence[SimulationEvent]) -> list[SimulationEvent]:
        return [*other, *self]

    def __repr__(self) -> str:
        what = "all events" if self._kind is None else f"{self._kind}={self._key!r}"
        return f"<EventView {what}: {len(self)} events>"

"""Segments of a recording and their indexes.

A segment is a contiguous run of events: a Parquet part, or the in-memory
window. Each keeps counters (events per agent and per type, step range) that
answer ``len()`` of a query without reading events; a part also has a
positions index (``part-NNNNN.index.arrow``) giving the rows of each agent,
event type and step, so a query reads only the row groups it needs.
"""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

from palaver._util.atomic import atomic_file
from palaver.recording.arrow import dictionary_codes, distinct, numpy_values, string_array
from palaver.recording.errors import CorruptRecordingError
from palaver.recording.integrity import PartRecord, check_regular
from palaver.recording.schema import COLUMN_OF_KIND, KINDS

Tally = tuple[np.ndarray, list["str | None"]]
"""Rows given as codes, and the key of each code (``None``: no value)."""

IN_ORDER = 1
"""Layout of a part whose rows are in event order (recordings of format 2,
and single-file exports)."""
BY_AGENT = 2
"""Layout of a part whose rows are grouped by agent: the model events (no
agent) first, then each agent's events, agents in the order of their ids as
text (Python's string order), each agent's events in event order."""


@dataclass
class Segment:
    """A contiguous run of events: a Parquet part on disk, or the in-memory window."""

    start: int
    rows: int = 0
    step_min: int | None = None
    step_max: int | None = None
    path: Path | None = None
    #: The part's manifest record (a part written or verified against the manifest).
    record: PartRecord | None = None
    #: How the rows of a part are laid out (:data:`IN_ORDER` or :data:`BY_AGENT`).
    layout: int = IN_ORDER
    _agents: Counter[str] = field(default_factory=Counter, repr=False)
    _types: Counter[str] = field(default_factory=Counter, repr=False)
    # Counts by code of batches absorbed with absorb_codes(), folded into the
    # counters on first read: a batch then costs one bincount, not a Python
    # loop over its agents.
    _tallies: dict[str, Tally] = field(default_factory=dict, repr=False)

    @property
    def end(self) -> int:
        """One past the last global index in the segment."""
        return self.start + self.rows

    @property
    def agents(self) -> Counter[str]:
        """Events per agent id (as text)."""
        self._fold()
        return self._agents

    @property
    def types(self) -> Counter[str]:
        """Events per event type."""
        self._fold()
        return self._types

    def count(self, kind: str, key: Any) -> int | None:
        """Events matching ``key`` here: exact for agents and types, ``None`` for
        steps (only the range is known without reading the index)."""
        if kind == "agent":
            if key is None:  # model events: those without an agent
                return self.rows - sum(self.agents.values())
            return self.agents.get(key, 0)
        if kind == "type":
            return self.types.get(key, 0)
        if self.step_min is None or not self.step_min <= key <= self.step_max:
            return 0
        return None

    def block(self, key: str | None) -> tuple[int, int]:
        """The first row and the number of rows of ``key``'s events (``None``:
        the model events) in a part laid out :data:`BY_AGENT`, from the counters."""
        counts = self.agents
        if key is None:
            return 0, self.rows - sum(counts.values())
        start = self.rows - sum(counts.values())
        for name in sorted(counts):
            if name == key:
                return start, counts[name]
            start += counts[name]
        return start, 0

    def absorb(
        self, rows: int, agents: dict[str, int], types: dict[str, int], steps: tuple[int, int]
    ) -> None:
        """Update the counters with one batch (counts per key, step range)."""
        self.rows += rows
        self._agents.update(agents)
        self._types.update(types)
        self._steps(steps)

    def absorb_codes(self, rows: int, agents: Tally, types: Tally, steps: tuple[int, int]) -> None:
        """Update the counters with one batch whose agents and types are given as
        ``(codes, keys)``: the code of each row, and the key of each code
        (``None`` for no agent). ``keys`` may grow between calls, never change."""
        self.rows += rows
        for name, (codes, keys) in (("agents", agents), ("types", types)):
            counts = np.bincount(codes, minlength=len(keys))
            held = self._tallies.get(name)
            if held is not None:
                before = held[0]
                counts[: len(before)] += before
            self._tallies[name] = (counts, keys)
        self._steps(steps)

    def _steps(self, steps: tuple[int, int]) -> None:
        lo, hi = steps
        self.step_min = lo if self.step_min is None else min(self.step_min, lo)
        self.step_max = hi if self.step_max is None else max(self.step_max, hi)

    def _fold(self) -> None:
        if not self._tallies:
            return
        for name, (counts, keys) in self._tallies.items():
            counter = self._agents if name == "agents" else self._types
            for i in np.flatnonzero(counts).tolist():
                key = keys[i]
                if key is not None:
                    counter[key] += int(counts[i])
        self._tallies.clear()


Grouping = tuple[list[Any], np.ndarray, np.ndarray]
"""The distinct non-null values, how many times each occurs, and the positions
of the non-null values grouped by value (ascending within a group)."""


def _group(codes: np.ndarray, keys: list[Any]) -> Grouping:
    # A stable sort keeps each group's positions ascending. On int16 numpy sorts
    # by radix, about 6x faster than on int32 (this runs for every part).
    order = np.argsort(codes.astype(np.int16) if len(keys) < 2**15 else codes, kind="stable")
    counts = np.bincount(codes[codes >= 0], minlength=len(keys))
    skip = len(codes) - int(counts.sum())  # nulls are coded -1: they sort first
    return keys, counts, order[skip:]


def column_grouping(values: pa.ChunkedArray | pa.Array) -> Grouping:
    """The grouping of an Arrow column's values."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return _group(*dictionary_codes(values))


def coded_grouping(codes: np.ndarray, keys: list[str | None]) -> Grouping:
    """The grouping of values given as codes into ``keys`` (``None``: no value).

    Keys equal as text are merged (agent ``1`` and agent ``"1"`` are stored as
    the same text) and keys that do not occur are left out.
    """
    unique: dict[str, int] = {}
    remap = [-1 if k is None else unique.setdefault(k, len(unique)) for k in keys]
    names, counts, order = _group(np.array(remap, np.int32)[codes], list(unique))
    used = counts > 0
    if not used.all():
        names = [name for name, u in zip(names, used.tolist(), strict=True) if u]
        counts = counts[used]
    return names, counts, order


def step_grouping(steps: np.ndarray) -> Grouping:
    """The grouping of a part's steps (usually non-decreasing: then each step is
    one run of rows and nothing needs sorting)."""
    if len(steps) and bool((steps[1:] >= steps[:-1]).all()):
        starts = np.concatenate(([0], np.flatnonzero(np.diff(steps)) + 1))
        counts = np.diff(np.append(starts, len(steps)))
        return steps[starts].tolist(), counts, np.arange(len(steps))
    values, codes = distinct(steps)
    return _group(codes.astype(np.int32), values.tolist())


def table_groupings(table: pa.Table) -> dict[str, Grouping]:
    """The grouping of each index kind's column of ``table``."""
    return {kind: column_grouping(table[COLUMN_OF_KIND[kind]]) for kind in KINDS}


def _entries(
    groupings: dict[str, Grouping],
) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray]:
    """The ``(kind, key)`` of each entry of a part's index, the offsets of each
    entry's gaps and the gaps, from the grouping of each kind."""
    entries: list[tuple[str, str]] = []
    counts: list[np.ndarray] = []
    gaps: list[np.ndarray] = []
    for kind in KINDS:
        values, n, order = groupings[kind]
        # Gaps between positions, not positions: small repeated numbers that
        # zstd shrinks ~10x (raw positions barely compress). The first gap of
        # each group is its first position.
        gap = np.diff(order, prepend=0)
        starts = np.cumsum(n) - n
        gap[starts] = order[starts]
        entries += [(kind, str(v)) for v in values]
        counts.append(n)
        gaps.append(gap)
    offsets = np.concatenate(([0], np.cumsum(np.concatenate(counts)))).astype(np.int32)
    return entries, offsets, np.concatenate(gaps).astype(np.int32)


class PartIndex:
    """A part's positions per agent, event type and step.

    The positions of every key are held as gaps (int32, one array for the whole
    part, about 12 bytes per event of the part, as stored in the sidecar file)
    and turned into positions only for the key asked for: decoding every key up
    front held three int64 arrays of the part's length per loaded part.
    """

    __slots__ = ("_gaps", "_offsets", "_rows")

    def __init__(
        self, entries: list[tuple[str, str]], offsets: np.ndarray, gaps: np.ndarray
    ) -> None:
        self._rows = {entry: i for i, entry in enumerate(entries)}
        self._offsets = offsets
        self._gaps = gaps

    @classmethod
    def of(cls, groupings: dict[str, Grouping]) -> PartIndex:
        """The index of a part, from the grouping of each kind (see :func:`table_groupings`)."""
        return cls(*_entries(groupings))

    def get(self, kind: str, key: str) -> np.ndarray | None:
        """The ascending row positions (int64) of ``key`` of this ``kind``, or ``None``."""
        i = self._rows.get((kind, key))
        if i is None:
            return None
        return np.cumsum(self._gaps[self._offsets[i] : self._offsets[i + 1]], dtype=np.int64)

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays (the key table adds a few kB)."""
        return int(self._gaps.nbytes + self._offsets.nbytes)

    def keys(self, kind: str) -> list[str]:
        """The keys of ``kind`` this part holds."""
        return [key for k, key in self._rows if k == kind]

    def counts(self, kind: str) -> dict[str, int]:
        """Rows per key of ``kind`` (what the part's counters must agree with)."""
        sizes = np.diff(self._offsets)
        return {key: int(sizes[i]) for (k, key), i in self._rows.items() if k == kind}

    def check(self, path: Path, rows: int) -> None:
        """Raise :class:`CorruptRecordingError` unless every position lies in a
        part of ``rows`` rows and every step row is listed once."""
        offsets, gaps = self._offsets, self._gaps
        n = len(offsets) - 1
        ok = (
            n == len(self._rows)
            and n >= 0
            and offsets[0] == 0
            and offsets[-1] == len(gaps)
            and bool((np.diff(offsets) > 0).all())
            and sum(self.counts("step").values()) == rows
            and sum(self.counts("type").values()) == rows
        )
        if ok and len(gaps):
            starts = offsets[:-1]
            firsts = gaps[starts]
            rest = np.ones(len(gaps), dtype=bool)
            rest[starts] = False
            ok = bool((firsts >= 0).all()) and bool((gaps[rest] > 0).all())
            if ok:
                last = np.add.reduceat(gaps.astype(np.int64), starts)
                ok = bool((last < rows).all())
        if not ok:
            raise CorruptRecordingError(f"{path} points outside its part of {rows} events")


def write_index(groupings: dict[str, Grouping], path: Path) -> None:
    """Write a part's positions per agent, event type and step next to it
    (atomically), from the grouping of each kind (see :func:`table_groupings`).
    The file carries the CRC-32 of its arrays. It is not made durable: a
    sidecar lost in a power cut is rebuilt from its part."""
    entries, offsets, gaps = _entries(groupings)
    kinds = [kind for kind, _ in entries]
    keys = [key for _, key in entries]
    crc = _crc(kinds, keys, offsets, gaps)
    index = pa.table(
        {
            "kind": string_array(kinds),
            "key": string_array(keys),
            "rows": pa.ListArray.from_arrays(
                pa.Array.from_buffers(pa.int32(), len(offsets), [None, pa.py_buffer(offsets)]),
                pa.Array.from_buffers(pa.int32(), len(gaps), [None, pa.py_buffer(gaps)]),
            ),
        }
    ).replace_schema_metadata({_CRC_KEY: str(crc)})
    # One thread (here and in read_index): the index is a few kB, and Arrow's
    # pool threads would each keep a malloc arena of several MB resident.
    options = ipc.IpcWriteOptions(compression="zstd", use_threads=False)
    with (
        atomic_file(path) as out,
        ipc.new_file(out, index.schema, options=options) as w,
    ):
        w.write_table(index)


_READ_OPTIONS = ipc.IpcReadOptions(use_threads=False)
_CRC_KEY = b"palaver.crc32"


def _crc(kinds: list[str], keys: list[str], offsets: np.ndarray, gaps: np.ndarray) -> int:
    text = "\x00".join(kinds + keys).encode("utf-8", "surrogatepass")
    crc = zlib.crc32(text)
    # Over the arrays' own memory (no copy as bytes: a merged part's gaps are
    # several MB).
    crc = zlib.crc32(np.ascontiguousarray(offsets, np.int32).data, crc)
    return zlib.crc32(np.ascontiguousarray(gaps, np.int32).data, crc)


def read_index(path: Path, rows: int | None = None) -> PartIndex:
    """Load a part's positions index written by :func:`write_index`; raise
    :class:`CorruptRecordingError` when it is damaged, fails its checksum, or
    points outside a part of ``rows`` rows."""
    try:
        check_regular(path)
        # The file is a few kB: read whole, then parsed from memory. Opening it as
        # an OSFile made Arrow start its I/O threads (two, kept for the process).
        source = pa.BufferReader(pa.py_buffer(path.read_bytes()))
        table = ipc.open_file(source, options=_READ_OPTIONS).read_all()
        if table.schema.names != ["kind", "key", "rows"]:
            raise ValueError(f"columns {table.schema.names}")
        # Damaged offsets would make Arrow read out of bounds (an abort, not an
        # exception) when the values are used: check them all first.
        table.validate(full=True)
        stored = int((table.schema.metadata or {})[_CRC_KEY])
        column = table["rows"].combine_chunks()
        offsets = numpy_values(column.offsets, np.int32)
        gaps = numpy_values(column.values, np.int32)
        kinds = table["kind"].to_pylist()
        keys = table["key"].to_pylist()
        if column.null_count or None in kinds or None in keys:
            raise ValueError("null entries")
        if _crc(kinds, keys, offsets, gaps) != stored:
            raise ValueError("its content does not match its checksum")
    except CorruptRecordingError:
        raise
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
        raise CorruptRecordingError(f"{path} is damaged ({exc})") from None
    entries = list(zip(kinds, keys, strict=True))
    index = PartIndex(entries, offsets, gaps)
    if rows is not None:
        index.check(path, rows)
    return index


def value_counts(column: pa.Array | pa.ChunkedArray) -> dict[Any, int]:
    """How many times each non-null value occurs."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    counts = pc.value_counts(column)
    return {
        key: n
        for key, n in zip(
            counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True
        )
        if key is not None
    }


def segment_of_table(table: pa.Table | pa.RecordBatch, start: int, path: Path | None) -> Segment:
    """A segment whose counters describe ``table`` (read back from disk)."""
    seg = Segment(start=start, path=path)
    if table.num_rows:
        steps = table["step"]
        seg.absorb(
            table.num_rows,
            value_counts(table["agent_id"]),
            value_counts(table["event_type"]),
            (pc.min(steps).as_py(), pc.max(steps).as_py()),
        )
    return seg

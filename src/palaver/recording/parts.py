"""The read side of an event store: parts on disk and the window, by address.

A query finds the *addresses* of its events (:meth:`StoreReading.positions`)
and reads the rows at those addresses (:meth:`StoreReading.take`). In the
window and in a part written in event order an event's address is its index
(its position in the recording); in a part laid out by agent
(:data:`~palaver.recording.segments.BY_AGENT`) it is the part's start plus the
event's row in the file. Addresses are given in event order, so one agent's
events in such a part are one run of rows: read from the few row groups that
hold them, without the part's index. Events of a type or a step are found
through the index (in event order) and mapped to rows through the part's
``index`` column, read once per part and cached.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from palaver.recording.arrow import (
    Coder,
    dictionary_codes,
    distinct,
    int64_array,
    numpy_values,
    valid_mask,
)
from palaver.recording.cache import ByteCache, release_pool
from palaver.recording.errors import CorruptRecordingError
from palaver.recording.log import ROW_GROUP, Coded, EventLog
from palaver.recording.partfiles import (
    open_parquet,
    part_batches,
    read_part_index,
    read_row_group,
    stored,
)
from palaver.recording.schema import COLUMN_OF_KIND, EVENT_SCHEMA
from palaver.recording.segments import BY_AGENT, PartIndex, Segment, table_groupings

__all__ = ["StoreReading", "open_parquet"]


_LOG_READS = 16
"""At most this many batches of the log are read one by one (each through the
read cache) for one query; more are read in one pass over the file."""

WHOLE_READ = 100_000
"""Parts of at most this many events are read whole when every event is
read in order (an export); larger ones (merged parts) a stretch at a time."""


class StoreReading:
    """Reading stored events back (the base of
    :class:`~palaver.recording.storage.EventStore`, which writes them)."""

    parts: list[Segment]
    live: Segment
    moves: int
    verified: set[Path]
    source: Path | None
    _log: EventLog | None
    _batches: list[pa.RecordBatch]
    _starts: list[int]
    _coded: list[Coded]
    _live_table: pa.Table | None
    _agents: Coder
    _types: Coder
    _files: OrderedDict[Path, pq.ParquetFile]
    _groups: ByteCache[tuple[Path, int], pa.Table | pa.RecordBatch]
    _indexes: ByteCache[Path, PartIndex]
    _found: ByteCache[tuple[Path, str, str], np.ndarray]
    _rows: ByteCache[Path, np.ndarray]
    _bounds: dict[Path, np.ndarray]
    _footers: dict[Path, pq.FileMetaData]
    #: Parts counted, the store's moves then, and their totals (see part_counts).
    _part_totals: tuple[int, int, Counter[str], Counter[str]] | None

    def warn(self, message: str) -> None:  # pragma: no cover - EventStore's
        raise NotImplementedError

    def part_counts(self) -> tuple[Counter[str], Counter[str]]:
        """Events per agent key and per event type over the parts (the window
        left out); do not mutate them.

        Kept as running totals: a roll adds its part, so a manifest written
        at every roll does not sum every part again (which grew with the
        recording). Parts merged (fewer parts) or replaced are summed afresh.
        """
        n = len(self.parts)
        held = self._part_totals
        if held is None or n < held[0] or (n == held[0] and held[1] != self.moves):
            held = (0, self.moves, Counter(), Counter())
        counted, _, agents, types = held
        for seg in self.parts[counted:]:
            agents.update(seg.agents)
            types.update(seg.types)
        self._part_totals = (n, self.moves, agents, types)
        return agents, types

    def segments(self) -> list[Segment]:
        """All segments in order (parts, then the live window)."""
        return [*self.parts, self.live] if self.live.rows else list(self.parts)

    # ------------------------------------------------------------ the window
    def live_table(self) -> pa.Table:
        """The window as one table (read from the log by a writing store; cached
        until the next flush by a store that keeps its window in memory)."""
        if self._log is not None:
            return pa.Table.from_batches(list(self._log.read_all()), EVENT_SCHEMA)
        if self._live_table is None:
            self._live_table = pa.Table.from_batches(self._batches, EVENT_SCHEMA)
        return self._live_table

    def _live_batch(self, number: int) -> pa.RecordBatch:
        if self._log is None:
            return self._batches[number]
        key = (self._log.path, number)
        batch = self._groups.get(key)
        if batch is None:
            batch = self._log.read(number)
            self._groups.put(key, batch, batch.nbytes)
        return batch

    def _live_positions(self, kind: str, key: Any) -> np.ndarray:
        """Rows of the window (from 0) with this agent/type/step, from the codes
        kept while recording (no event is read)."""
        column = {"agent": 0, "type": 1, "step": 2}[kind]
        values = np.concatenate([coded[column] for coded in self._coded])
        if kind == "step":
            return np.flatnonzero(values == key)
        coder = self._agents if kind == "agent" else self._types
        # Every code whose key matches: ids equal as text (1 and "1") are one key.
        wanted = np.array([k == key for k in coder.keys], dtype=bool)
        return np.flatnonzero(wanted[values])

    # ----------------------------------------------------------------- parts
    def part_index(self, seg: Segment) -> PartIndex:
        """The positions index of a part (see :class:`PartIndex`)."""
        assert seg.path is not None
        return self._index(seg.path)

    def forget(self, paths: list[Path]) -> None:
        """Drop what is cached about these parts (about to be deleted)."""
        gone = set(paths)
        for path in gone:
            self._files.pop(path, None)
            self._footers.pop(path, None)
            self._bounds.pop(path, None)
            self.verified.discard(path)
        for cache in (self._groups, self._indexes, self._found, self._rows):
            cache.clear()

    def _index(self, path: Path) -> PartIndex:
        index = self._indexes.get(path)
        if index is None:
            index = self._load_index(path)
            self._indexes.put(path, index, index.nbytes)
        return index

    def _load_index(self, path: Path) -> PartIndex:
        seg = next((seg for seg in self.parts if seg.path == path), None)
        try:
            index = read_part_index(path, seg)
            if index is not None:
                return index
        except CorruptRecordingError as exc:
            self.warn(f"{exc}; the index was rebuilt from the part")
        # No sidecar (a single exported file) or a damaged one: rebuild the
        # index in memory from the part itself, its rows in event order.
        columns = ["index", *COLUMN_OF_KIND.values()]
        table = self._read(path, lambda pf: pf.read(columns=columns, use_threads=False))
        if seg is not None and seg.layout == BY_AGENT:
            table = table.take(int64_array(self._rows_of(seg)))
        return PartIndex.of(table_groupings(table))

    def _read(self, path: Path, read: Callable[[pq.ParquetFile], Any]) -> Any:
        """``read(parquet_file)``, any failure of a damaged file becoming
        :class:`CorruptRecordingError` naming it."""
        try:
            return read(self._file(path))
        except (OSError, ValueError, pa.ArrowException) as exc:
            raise CorruptRecordingError(f"{path} is damaged ({exc})") from None

    def _part_positions(self, path: Path, kind: str, key: str) -> np.ndarray | None:
        # The positions of one key in one part, kept for repeated queries (the
        # same agent asked for again): a few kB per part and key, where the
        # part's whole index is ~12 bytes per event of the part.
        found = self._found.get((path, kind, key))
        if found is None:
            found = self._index(path).get(kind, key)
            if found is None:
                return None
            self._found.put((path, kind, key), found, found.nbytes)
        return found

    def _rows_of(self, seg: Segment) -> np.ndarray:
        """The row in the file of each event of a part laid out by agent, in
        event order (from its ``index`` column; checked when the part was opened
        or written by this store)."""
        assert seg.path is not None
        path = seg.path
        rows = self._rows.get(path)
        if rows is None:
            column = self._read(path, lambda pf: pf.read(columns=["index"], use_threads=False))
            where = numpy_values(column["index"].combine_chunks(), np.int64)
            # From the part's first event index (its start in a salvaged
            # recording with events missing before it is lower).
            where = where - where.min() if len(where) else where
            rows = np.empty(seg.rows, np.int64)
            rows[where] = np.arange(seg.rows, dtype=np.int64)
            self._rows.put(path, rows, rows.nbytes)
        return rows

    def addresses(self, indices: np.ndarray) -> np.ndarray:
        """The addresses of the events at these indices (ascending)."""
        out = indices
        for seg in self.parts:
            if seg.layout != BY_AGENT or not len(indices):
                continue
            mask = (indices >= seg.start) & (indices < seg.end)
            if mask.any():
                if out is indices:
                    out = indices.copy()
                out[mask] = self._rows_of(seg)[indices[mask] - seg.start] + seg.start
        return out

    def positions(self, kind: str, key: Any, lo: int, hi: int) -> np.ndarray:
        """Addresses of the events with this agent/type/step among the events
        ``[lo, hi)`` (a part always lies whole in that range), in event order."""
        found: list[np.ndarray] = []
        for seg in self.segments():
            if seg.end <= lo or seg.start >= hi or seg.count(kind, key) == 0:
                continue
            if seg.path is not None and seg.layout == BY_AGENT:
                if kind == "agent":
                    first, n = seg.block(key)
                    pos = np.arange(first, first + n, dtype=np.int64)
                else:
                    local = self._part_positions(seg.path, kind, str(key))
                    if local is None:
                        continue
                    pos = self._rows_of(seg)[local]
                found.append(pos + seg.start)
                continue
            if seg.path is not None and key is None:
                # The positions index has no entry for "no agent": read the column.
                column = self._read(
                    seg.path, lambda pf: pf.read(columns=["agent_id"], use_threads=False)
                )["agent_id"]
                pos = np.flatnonzero(~valid_mask(column.combine_chunks())) + seg.start
            elif seg.path is not None:
                local = self._part_positions(seg.path, kind, str(key))
                if local is None:
                    continue
                pos = local + seg.start
            elif self._coded:
                pos = self._live_positions(kind, key) + seg.start
            else:  # a window read back from a log: no codes
                column = self.live_table()[COLUMN_OF_KIND[kind]].combine_chunks()
                if kind == "step":
                    pos = np.flatnonzero(numpy_values(column, np.int64) == key)
                else:
                    codes, keys = dictionary_codes(column)
                    code = -1 if key is None else keys.index(key) if key in keys else -2
                    pos = np.flatnonzero(codes == code)
                pos = pos + seg.start
            if seg.start < lo or seg.end > hi:
                pos = pos[(pos >= lo) & (pos < hi)]
            found.append(pos)
        return np.concatenate(found) if found else np.zeros(0, np.int64)

    def _file(self, path: Path) -> pq.ParquetFile:
        pf = self._files.get(path)
        if pf is None:
            # Only 16 files stay open (each holds a descriptor), but the footer
            # of every part read is kept: a query over all parts then reopens
            # them without parsing their footers again (~1 ms each).
            pf = open_parquet(
                path, verify_pages=path not in self.verified, metadata=self._footers.get(path)
            )
            self._footers[path] = pf.metadata
        self.remember(path, pf)
        return pf

    def remember(self, path: Path, pf: pq.ParquetFile) -> None:
        """Cache an open Parquet file (bounded: each holds a file descriptor)."""
        self._files[path] = pf
        self._files.move_to_end(path)
        if len(self._files) > 16:
            self._files.popitem(last=False)

    def group_bounds(self, path: Path) -> np.ndarray:
        """Where the row groups of a part start (and the last one ends)."""
        bounds = self._bounds.get(path)
        if bounds is None:
            meta = self._read(path, lambda pf: pf.metadata)
            sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
            bounds = self._bounds[path] = np.cumsum([0, *sizes])
        return bounds

    def row_group(self, path: Path, number: int) -> pa.Table:
        """Row group ``number`` of a part, its ids and event types left
        dictionary-coded (see :func:`stored`)."""
        key = (path, number)
        table = self._groups.get(key)
        if table is None:
            table = self.read_group(path, number)
            self._groups.put(key, table, table.nbytes)
        return table

    def read_group(self, path: Path, number: int) -> pa.Table:
        """Read row group ``number`` of a part (not cached), its ids and event
        types as dictionaries (see :func:`read_row_group`)."""
        self._footer(path)
        return read_row_group(path, self._footers[path], number, path not in self.verified)

    def _footer(self, path: Path) -> None:
        if path not in self._footers:
            self._file(path)

    def _take_part(self, path: Path, rows: np.ndarray) -> list[pa.Table]:
        """The rows (of the file) of a part, in the order given."""
        order = None
        if len(rows) > 1 and not bool((rows[1:] > rows[:-1]).all()):
            order = np.argsort(rows, kind="stable")
            rows = rows[order]
        bounds = self.group_bounds(path)
        groups = np.searchsorted(bounds, rows, side="right") - 1
        pieces = []
        for g in distinct(groups)[0]:
            wanted = rows[groups == g] - bounds[g]
            group = self.row_group(path, int(g))
            if len(wanted) == group.num_rows:  # the whole group (wanted is ascending)
                piece = group
            elif len(wanted) and wanted[-1] - wanted[0] + 1 == len(wanted):
                piece = group.slice(int(wanted[0]), len(wanted))
            else:
                piece = group.take(int64_array(wanted))
            pieces.append(stored(piece))
        if order is None:
            return pieces
        back = np.empty_like(order)
        back[order] = np.arange(len(order), dtype=order.dtype)
        return [pa.concat_tables(pieces).take(int64_array(back))]

    def take(self, addresses: np.ndarray) -> pa.Table:
        """The rows at these addresses (in event order; see the module doc), as one table."""
        pieces: list[pa.Table] = []
        from_disk = False
        segments = self.segments()
        # The segment of each address, found at once (a mask per segment cost
        # ~0.3 ms per block of an agent's events read over 200 parts).
        starts = np.fromiter((seg.start for seg in segments), np.int64, len(segments))
        which = np.searchsorted(starts, addresses, side="right") - 1
        for number in distinct(which)[0].tolist():
            seg = segments[number]
            local = addresses[which == number] - seg.start
            if seg.path is None:
                starts = np.asarray(self._starts)
                batches = np.searchsorted(starts, local, side="right") - 1
                wanted = distinct(batches)[0]
                if self._log is not None and len(wanted) > _LOG_READS:
                    # An agent's events are in about every batch of the log
                    # (one per step): one pass over the file, then one take,
                    # instead of opening it to read each batch.
                    pieces.append(self.live_table().take(int64_array(local)))
                    continue
                for b in wanted:
                    rows = int64_array(local[batches == b] - starts[b])
                    pieces.append(pa.Table.from_batches([self._live_batch(int(b)).take(rows)]))
                continue
            pieces += self._take_part(seg.path, local)
            from_disk = True
        if from_disk:
            # The row groups read and dropped (~1.2 MB each) would stay with
            # pyarrow's allocator, on top of what the caller keeps.
            release_pool()
        if not pieces:
            return EVENT_SCHEMA.empty_table()
        return pa.concat_tables(pieces)

    def _in_order(self, seg: Segment, table: pa.Table) -> pa.Table:
        """A part's rows (read whole) in event order."""
        if seg.layout != BY_AGENT:
            return table
        return table.take(int64_array(self._rows_of(seg)))

    def iter_batches(self, columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
        """Every stored event in order, batch by batch (memory bounded by a part)."""
        for seg in self.segments():
            if seg.path is not None and seg.layout == BY_AGENT and seg.rows > WHOLE_READ:
                # A merged part (see compaction.py): read whole it would hold
                # ten windows at once. Its events are taken in order a stretch
                # at a time instead, each stretch reading the row groups that
                # hold it (about all of them: the part is read rows/WHOLE_READ
                # times, the price of bounded memory).
                rows = self._rows_of(seg)
                for lo in range(0, len(rows), WHOLE_READ):
                    table = pa.concat_tables(self._take_part(seg.path, rows[lo : lo + WHOLE_READ]))
                    yield from (table.select(columns) if columns else table).to_batches(ROW_GROUP)
                    del table
                    release_pool()
            elif seg.path is not None and seg.layout == BY_AGENT:
                # Read whole (a part holds at most memory_window events) and
                # put in order one batch at a time (no second copy of the part).
                table = self._read(seg.path, lambda pf: pf.read(columns, use_threads=False))
                rows = self._rows_of(seg)
                for lo in range(0, len(rows), ROW_GROUP):
                    yield from table.take(int64_array(rows[lo : lo + ROW_GROUP])).to_batches()
            elif seg.path is not None:
                yield from part_batches(self._file(seg.path), seg.path, columns)
            else:
                batches = self._log.read_all() if self._log is not None else self._batches
                for batch in batches:
                    yield batch.select(columns) if columns else batch

    def to_table(self) -> pa.Table:
        """Every stored event as one table, in order (loads everything)."""
        tables = [
            self._in_order(seg, self._read(seg.path, lambda pf: pf.read()))
            if seg.path is not None
            else self.live_table()
            for seg in self.segments()
        ]
        if not tables:
            return EVENT_SCHEMA.empty_table()
        return pa.concat_tables([t.cast(EVENT_SCHEMA) for t in tables])

"""Streaming event storage: an Arrow IPC log rolled into immutable Parquet parts.

Why this layout (see docs/recording.md for the folder description):

* Events are buffered as tuples and *flushed* (at every step end, every
  ``flush_every`` events and before any query) as one Arrow record batch
  appended to ``events/wal-NNNNN.arrows``, an Arrow IPC *stream*. Appending a
  batch is a few ``write()`` calls on an open file: no reopen, no rewrite, and
  once it returns the bytes are in the kernel, so a SIGKILL loses only the
  unflushed tuples (the step in progress). A torn last message is detected and
  skipped on reading.
* When the log holds ``window`` events it is rewritten once as
  ``events/part-NNNNN.parquet`` (zstd, delta-coded integers, ~100x smaller
  than the JSON export) plus ``part-NNNNN.index.arrow``, the part's positions
  per agent, per event type and per step, and the log file is then deleted.
  Parquet parts are what DuckDB, pandas and polars read directly; IPC alone
  would be several times larger, and Parquet alone cannot be appended to safely.
* Parts are written to a temporary name and renamed, so a part either exists
  whole or not at all; a log whose part exists is ignored (killed mid-roll).

Only the events since the last roll (at most ``window``) stay in memory, as
Arrow batches; older ones are read back from their part on demand, through the
positions index and a small cache of decoded row groups.
"""

from __future__ import annotations

import os
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from palaver.recording.arrow import (
    Coder,
    Repeated,
    dictionary_codes,
    int64_array,
    json_array,
    nulls,
    numpy_values,
    string_array,
    text_array,
    valid_mask,
)
from palaver.recording.errors import RecordingWarning
from palaver.recording.schema import COLUMN_OF_KIND, EVENT_SCHEMA, KINDS, TIMESTAMP
from palaver.recording.segments import (
    Segment,
    coded_grouping,
    group_positions,
    read_index,
    step_grouping,
    write_index,
)

FIELDS = 10
"""Values per buffered event in :attr:`EventStore.pending`, in this order: time
(``time.time()``), step, event_type, agent_id, content (JSON text), metadata
(JSON text, ``""`` for none: see :func:`~palaver.recording.arrow.json_array`),
run_id, seq, negotiation_id, contract_id."""

Coded = tuple[np.ndarray, np.ndarray, np.ndarray]
"""A flushed batch's agent codes, event type codes and steps."""

ROW_GROUP = 8192
"""Rows per Parquet row group: the unit read back for a query."""
_DELTA_COLUMNS = dict.fromkeys(["index", "timestamp", "step", "seq"], "DELTA_BINARY_PACKED")


def _write_part(
    table: pa.Table,
    path: Path,
    log: _Log | None,
    coded: Coded,
    keys: tuple[list[str | None], list[str | None]],
) -> None:
    """Write a part and its index under temporary names, rename them into place,
    then delete the log they replace (in that order, so that a kill at any point
    leaves either the log or the part).

    The index comes from the codes given while recording (``coded``: agent
    codes, type codes, steps; ``keys``: the agent and type keys of the codes),
    so no column is re-encoded to build it.
    """
    agent_codes, type_codes, steps = coded
    groupings = {
        "agent": coded_grouping(agent_codes, keys[0]),
        "type": coded_grouping(type_codes, keys[1]),
        "step": step_grouping(steps),
    }
    write_index(groupings, path.with_name(path.name.replace(".parquet", ".index.arrow")))
    tmp = path.with_suffix(".tmp")
    pq.write_table(
        # One chunk per column: the window is one small batch per step, and the
        # writer's per-chunk work costs more than concatenating them once.
        table.combine_chunks(),
        tmp,
        compression="zstd",
        compression_level=1,  # level 3 is ~30% slower for ~no size gain here
        row_group_size=ROW_GROUP,
        # Delta-coded integers (positions, microseconds, steps, sequence numbers:
        # small steady increments) are written faster than dictionary or plain
        # pages and halve the part; zstd alone shrinks the repeated ids as well
        # as dictionaries do, for less work.
        use_dictionary=False,
        column_encoding=_DELTA_COLUMNS,
        # Min/max of the numeric columns let DuckDB skip row groups; those of
        # JSON text or of ids spread over every row group would not, and cost.
        write_statistics=list(_DELTA_COLUMNS),
    )
    os.replace(tmp, path)
    if log is not None:
        log.close()
        log.path.unlink(missing_ok=True)


class _Log:
    """The open Arrow IPC stream of events not yet in a part."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._raw = pa.OSFile(str(path), "wb")
        self._buffered = pa.BufferedOutputStream(self._raw, 1 << 20)
        self._writer = ipc.new_stream(self._buffered, EVENT_SCHEMA)

    def append(self, batch: pa.RecordBatch) -> None:
        """Write one batch and hand it to the kernel (what survives a killed process)."""
        # One buffered write per flush instead of one write() per Arrow buffer.
        self._writer.write_batch(batch)
        self._buffered.flush()

    def close(self) -> None:
        """Write the end-of-stream marker and close the file."""
        self._writer.close()
        self._buffered.close()
        self._raw.close()


class EventStore:
    """Append-only columnar event storage with per-agent/type/step positions.

    ``folder=None`` keeps everything in memory (nothing is written and the
    window is unbounded); otherwise the store owns ``folder/events/``.
    """

    def __init__(
        self,
        folder: Path | None,
        window: int = 50_000,
        on_new_agents: Callable[[], None] | None = None,
    ) -> None:
        if window < 1:
            raise ValueError(f"the memory window must be positive, not {window}")
        self.folder = folder
        self.window = window
        #: Buffered events, flat: ``FIELDS`` values per event. One flat list
        #: costs the recorder one ``+=`` per event, and each column is then a
        #: C-level slice (``pending[k::FIELDS]``) instead of a transpose of tuples.
        self.pending: list[Any] = []
        self.agents: dict[str, Any] = {}
        self._agents = Coder()
        self._types = Coder()
        self._metadata = Repeated(json_array)
        self.parts: list[Segment] = []
        self.live = Segment(start=0)
        self._batches: list[pa.RecordBatch] = []
        #: Per batch of the window: its agent codes, type codes and steps (numpy).
        self._coded: list[Coded] = []
        self._live_table: pa.Table | None = None
        self._log: _Log | None = None
        self._on_new_agents = on_new_agents
        self._files: OrderedDict[Path, pq.ParquetFile] = OrderedDict()
        self._groups: OrderedDict[tuple[Path, int], pa.Table] = OrderedDict()
        self._indexes: OrderedDict[Path, dict[tuple[str, str], np.ndarray]] = OrderedDict()
        self.warnings: list[str] = []
        self.readonly = False
        if folder is not None:
            (folder / "events").mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------------ writing
    @property
    def count(self) -> int:
        """Number of events stored, flushed or not."""
        return self.live.end + len(self.pending) // FIELDS

    def _batch(self, rows: list[Any]) -> tuple[pa.RecordBatch, Coded, tuple[int, int]]:
        """The buffered ``rows`` as one record batch, the batch's codes, and its
        step range."""
        n = len(rows) // FIELDS
        steps = rows[1::FIELDS]
        first = steps[0]
        # All events of a flush usually share a step (the same int object):
        # counting it is an identity test per row.
        if steps.count(first) == n:
            step_values = np.full(n, first, np.int64)
            step_range = (first, first)
        else:
            step_values = np.fromiter(steps, np.int64, n)
            step_range = (int(step_values.min()), int(step_values.max()))
        agent_codes = self._agent_codes(rows[3::FIELDS])
        type_codes, _ = self._types.encode(rows[2::FIELDS])
        start = self.live.end
        micros = (np.fromiter(rows[0::FIELDS], np.float64, n) * 1e6).astype(np.int64)
        columns = [
            int64_array(np.arange(start, start + n, dtype=np.int64)),
            int64_array(micros, TIMESTAMP),
            int64_array(step_values),
            self._types.array(type_codes),
            self._agents.array(agent_codes),
            text_array(rows[4::FIELDS]),
            self._metadata(rows[5::FIELDS]),
        ]
        seqs = rows[7::FIELDS]
        if seqs.count(None) == n:
            # No bus event here (a bus event always has a sequence number, the
            # others none of the four bus ids): one test for four columns.
            strings = nulls(n, pa.string())
            columns += [strings, nulls(n, pa.int64()), strings, strings]
        else:
            columns += [
                string_array(rows[6::FIELDS]),
                int64_array(seqs),
                string_array(rows[8::FIELDS]),
                string_array(rows[9::FIELDS]),
            ]
        coded = (agent_codes, type_codes, step_values)
        return pa.record_batch(columns, schema=EVENT_SCHEMA), coded, step_range

    def _agent_codes(self, agents: list[Any]) -> np.ndarray:
        # Agent ids are stored as strings (Mesa uses ints, Palaver strings); the
        # first id seen for each string is remembered so reads give back the
        # caller's type.
        try:
            codes, fresh = self._agents.encode(agents)
        except TypeError:  # unhashable ids: stored by their str form
            codes, fresh = self._agents.encode([a if a is None else str(a) for a in agents])
        for original in fresh:
            if original is not None:
                self.agents.setdefault(str(original), original)
        if fresh and self._on_new_agents is not None:
            self._on_new_agents()
        return codes

    def flush(self) -> None:
        """Append the buffered events to the log, and roll it into a part when full."""
        self.flush_to_log()
        if self.folder is not None and not self.readonly and self.live.rows >= self.window:
            self.roll()

    def flush_to_log(self) -> None:
        """Append the buffered events to the log (one Arrow batch), never rolling."""
        if not self.pending:
            return
        batch, coded, step_range = self._batch(self.pending)
        self.pending.clear()
        if self.folder is not None and not self.readonly:
            if self._log is None:
                self._log = _Log(self.folder / "events" / f"wal-{len(self.parts):05d}.arrows")
            self._log.append(batch)
        self._batches.append(batch)
        self._coded.append(coded)
        self._live_table = None
        self.live.absorb_codes(
            batch.num_rows,
            (coded[0], self._agents.keys),
            (coded[1], self._types.keys),
            step_range,
        )

    def roll(self) -> None:
        """Turn the in-memory window into the next Parquet part and drop it from memory.

        The part is written here, in the recording thread (about 15 ms per
        50,000 events). A writer thread would let recording go on meanwhile,
        but costs more CPU for the same work (on Workload 3, ~13% more in all,
        measured on 2 cores: the two threads slow each other down), and CPU is
        what parallel runs of many simulations share. A failed write raises here
        and leaves the window and its log as they were.
        """
        self.flush_to_log()
        if self.folder is None or self.readonly or not self._batches:
            return
        number = len(self.parts)
        table = pa.Table.from_batches(self._batches, EVENT_SCHEMA)
        agent_codes, type_codes, steps = zip(*self._coded, strict=True)
        coded = (np.concatenate(agent_codes), np.concatenate(type_codes), np.concatenate(steps))
        keys = (self._agents.keys, self._types.keys)
        path = self.folder / "events" / f"part-{number:05d}.parquet"
        _write_part(table, path, self._log, coded, keys)
        self._log = None
        self.live.path = path
        self.parts.append(self.live)
        self.live = Segment(start=self.live.end)
        self._batches = []
        self._coded = []
        self._live_table = None

    def close_log(self) -> None:
        """Close the open log file (its events stay on disk for readers)."""
        if self._log is not None:
            self._log.close()
            self._log = None

    def close(self) -> None:
        """Flush and roll what remains, then release files."""
        self.roll()
        self.close_log()
        self._files.clear()
        self._groups.clear()

    # ------------------------------------------------------------------ reading
    def adopt(self, batch: pa.RecordBatch, counted: Segment) -> None:
        """Append a batch read back from a log to the in-memory window."""
        self._batches.append(batch)
        self._live_table = None
        assert counted.step_min is not None and counted.step_max is not None  # non-empty
        self.live.absorb(
            batch.num_rows, counted.agents, counted.types, (counted.step_min, counted.step_max)
        )
        for key in counted.agents:
            self.agents.setdefault(key, key)

    def warn(self, message: str) -> None:
        """Record a problem met while reading, and issue a :class:`RecordingWarning`."""
        self.warnings.append(message)
        warnings.warn(message, RecordingWarning, stacklevel=3)

    def take_last_type(self) -> str | None:
        """The type of the last flushed event (``None`` when there is none)."""
        if self._batches:
            return self._batches[-1].column(3)[-1].as_py()
        if self.parts:
            last = np.array([self.parts[-1].end - 1], dtype=np.int64)
            return self.take(last)["event_type"][0].as_py()
        return None

    def segments(self) -> list[Segment]:
        """All segments in order (parts, then the live window)."""
        return [*self.parts, self.live] if self.live.rows else list(self.parts)

    def live_table(self) -> pa.Table:
        """The in-memory window as one table (cached until the next flush)."""
        if self._live_table is None:
            self._live_table = pa.Table.from_batches(self._batches, EVENT_SCHEMA)
        return self._live_table

    def _index(self, path: Path) -> dict[tuple[str, str], np.ndarray]:
        index = self._indexes.get(path)
        if index is None:
            sidecar = path.with_name(path.name.replace(".parquet", ".index.arrow"))
            try:
                index = read_index(sidecar)
            except (OSError, pa.ArrowInvalid):
                # Missing or damaged sidecar (or a single exported file): rebuild it
                # in memory from the part itself.
                table = self._file(path).read(columns=list(COLUMN_OF_KIND.values()))
                index = {
                    (kind, str(k)): v
                    for kind in KINDS
                    for k, v in group_positions(table[COLUMN_OF_KIND[kind]]).items()
                }
            self._indexes[path] = index
            if len(self._indexes) > 8:
                self._indexes.popitem(last=False)
        return index

    def positions(self, kind: str, key: Any, lo: int, hi: int) -> np.ndarray:
        """Global indices in ``[lo, hi)`` of the events with this agent/type/step."""
        found: list[np.ndarray] = []
        for seg in self.segments():
            if seg.end <= lo or seg.start >= hi or seg.count(kind, key) == 0:
                continue
            if seg.path is not None and key is None:
                # The positions index has no entry for "no agent": read the column.
                column = self._file(seg.path).read(columns=["agent_id"])["agent_id"]
                pos = np.flatnonzero(~valid_mask(column.combine_chunks())) + seg.start
            elif seg.path is not None:
                local = self._index(seg.path).get((kind, str(key)))
                if local is None:
                    continue
                pos = local.astype(np.int64) + seg.start
            else:
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
            pf = pq.ParquetFile(path)
        self.remember(path, pf)
        return pf

    def remember(self, path: Path, pf: pq.ParquetFile) -> None:
        """Cache an open Parquet file (bounded: each holds a file descriptor)."""
        self._files[path] = pf
        self._files.move_to_end(path)
        if len(self._files) > 16:
            self._files.popitem(last=False)

    def _row_group(self, path: Path, number: int) -> pa.Table:
        key = (path, number)
        table = self._groups.get(key)
        if table is None:
            table = self._groups[key] = self._file(path).read_row_group(number)
            if len(self._groups) > 8:
                self._groups.popitem(last=False)
        else:
            self._groups.move_to_end(key)
        return table

    def take(self, indices: np.ndarray) -> pa.Table:
        """The rows at these global indices (ascending), as one table."""
        pieces: list[pa.Table] = []
        for seg in self.segments():
            if not len(indices):
                break
            mask = (indices >= seg.start) & (indices < seg.end)
            if not mask.any():
                continue
            local = indices[mask] - seg.start
            indices = indices[~mask]
            if seg.path is None:
                pieces.append(self.live_table().take(int64_array(local)))
                continue
            meta = self._file(seg.path).metadata
            bounds = np.cumsum(
                [0] + [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
            )
            groups = np.searchsorted(bounds, local, side="right") - 1
            for g in np.unique(groups):
                rows = local[groups == g] - bounds[g]
                pieces.append(self._row_group(seg.path, int(g)).take(int64_array(rows)))
        if not pieces:
            return EVENT_SCHEMA.empty_table()
        return pa.concat_tables(pieces)

    def iter_batches(self, columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
        """Every stored event in order, batch by batch (bounded memory)."""
        for seg in self.segments():
            if seg.path is not None:
                yield from self._file(seg.path).iter_batches(
                    batch_size=ROW_GROUP, columns=columns, use_threads=False
                )
            else:
                for batch in self._batches:
                    yield batch.select(columns) if columns else batch

    def to_table(self) -> pa.Table:
        """Every stored event as one table (loads everything)."""
        tables = [
            self._file(seg.path).read() if seg.path is not None else self.live_table()
            for seg in self.segments()
        ]
        if not tables:
            return EVENT_SCHEMA.empty_table()
        return pa.concat_tables([t.cast(EVENT_SCHEMA) for t in tables])

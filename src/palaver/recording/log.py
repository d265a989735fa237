"""The write-ahead log of a store and the Parquet parts it is rolled into.

See :mod:`palaver.recording.storage` for why the recording is laid out this way.
Each batch of the log carries, in its custom metadata, a checksum of its own
serialised form (see :func:`batch_checksum`), which a reader recomputes; the
log is still a plain Arrow IPC stream that any Arrow reader opens.
"""

from __future__ import annotations

import io
import json
import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from palaver._util.atomic import atomic_file, create_exclusive
from palaver.events import plain
from palaver.recording.integrity import FileRecord, PartRecord
from palaver.recording.schema import EVENT_SCHEMA
from palaver.recording.segments import coded_grouping, step_grouping, write_index

Coded = tuple[np.ndarray, np.ndarray, np.ndarray]
"""A flushed batch's agent codes, event type codes and steps."""

ROW_GROUP = 8192
"""Most rows per Parquet row group: the unit read back for a query."""
MIN_GROUP = 6144
"""Fewest rows per row group of a part (but its last): see :func:`group_bounds`."""
_DELTA_COLUMNS = dict.fromkeys(["index", "timestamp", "step", "seq"], "DELTA_BINARY_PACKED")

LOG_BUFFER_BYTES = 1 << 20
"""Write buffer of the open log: a flush becomes one write() when it fits. A
flush is at most ``flush_every`` (4,096) events plus one mechanism batch, about
0.6 MB on a TripsWorld: with a smaller buffer such a flush was written in
several writes, and a kill between them tore the log more often."""

AGENTS_KEY = b"palaver.agents"
"""Key of a part's (and an exported file's) metadata listing the agent ids
that are not strings, with their type (JSON)."""

LAYOUT_KEY = b"palaver.layout"
"""Key of a part's metadata saying how its rows are laid out (absent: in event order)."""
LAYOUT_BY_AGENT = b"by-agent"

CHECKSUM_KEY = "palaver.crc32"
"""Custom metadata key of a log batch holding :func:`batch_checksum`."""

SUM_KEY = "palaver.checksum"
"""The key of :func:`batch_sum`, which logs written before the CRC carry
(read back, never written)."""

_weights = np.arange(1, 65537, dtype=np.uint64)


def batch_checksum(batch: pa.RecordBatch) -> str:
    """The checksum a log batch carries, of its serialised form (which covers the
    values and the lengths, null counts and offsets that say how to read them):
    its CRC-32 and its length in bytes, as hex digits.

    The CRC detects any one or two bit flips in a message shorter than 512 MB
    (and any burst of up to 32), the length any truncation; other damage goes
    unseen with probability 2**-32. zlib's CRC-32 runs at ~3.4 GB/s here,
    about 5x the 128-bit sum of :func:`batch_sum` that logs carried before
    (which cost ~5% of recording a TripsWorld, ~10% of Workload 3).
    """
    data = batch.serialize()
    return f"{zlib.crc32(data):08x}{data.size:016x}"


def batch_sum(batch: pa.RecordBatch) -> str:
    """The checksum of a log batch written before :func:`batch_checksum` (see
    :data:`SUM_KEY`): a Fletcher-style 128-bit sum over the 32-bit words
    ``w[i]`` of the serialised batch, ``sum(w[i])`` and ``sum((i + 1) * w[i])``,
    modulo 2**64."""
    global _weights
    words = np.frombuffer(batch.serialize(), np.uint32).astype(np.uint64)
    n = len(words)
    if n > len(_weights):
        _weights = np.arange(1, n + 1, dtype=np.uint64)
    plain = int(words.sum(dtype=np.uint64))
    words *= _weights[:n]  # wraps modulo 2**64
    return f"{plain:016x}{int(words.sum(dtype=np.uint64)):016x}"


class EventLog:
    """The open Arrow IPC stream of the events not yet in a part, which is also
    where those events are read back from."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Created exclusively: a file (or planted symlink) already there is an
        # error, never truncated or followed.
        self._file = io.FileIO(create_exclusive(path), "wb", closefd=True)
        self._raw = pa.PythonFile(self._file, mode="w")
        # A flush is one step's events (~40 kB on Workload 3) or at most about
        # 0.6 MB; a larger batch is written through. The buffer is held for
        # the whole run.
        self._buffered = pa.BufferedOutputStream(self._raw, LOG_BUFFER_BYTES)
        self._writer = ipc.new_stream(self._buffered, EVENT_SCHEMA)
        #: Where each batch ends in the file; a batch starts where the previous
        #: one ends (the first one after the stream's schema).
        self.ends: list[int] = []
        self.closed = False

    def append(self, batch: pa.RecordBatch) -> None:
        """Write one batch and hand it to the kernel (what survives a killed process)."""
        # One buffered write per flush instead of one write() per Arrow buffer.
        self._writer.write_batch(batch, custom_metadata={CHECKSUM_KEY: batch_checksum(batch)})
        self._buffered.flush()
        self.ends.append(self._raw.tell())

    def sync(self) -> None:
        """Make what was appended durable (``fsync``)."""
        if not self.closed:
            os.fsync(self._file.fileno())

    def read(self, number: int) -> pa.RecordBatch:
        """Batch ``number`` (from 0) of the log, read from the file."""
        with pa.OSFile(str(self.path)) as source:
            source.seek(self.ends[number - 1] if number else 0)
            message = ipc.read_message(source)
            if message.type == "schema":  # the stream's first message
                message = ipc.read_message(source)
            return ipc.read_record_batch(message, EVENT_SCHEMA)

    def read_all(self) -> Iterator[pa.RecordBatch]:
        """Every batch of the log, in order, read from the file one at a time."""
        with pa.OSFile(str(self.path)) as source:
            reader = ipc.open_stream(source)
            # zip stops on the range first: no read past the batches appended.
            for _, batch in zip(range(len(self.ends)), reader, strict=False):
                yield batch

    def close(self) -> None:
        """Write the end-of-stream marker and close the file (it stays readable)."""
        if self.closed:
            return
        self.closed = True
        self._writer.close()
        self._buffered.close()
        self._raw.close()
        self._file.close()


def agent_order(codes: np.ndarray, keys: list[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """The rows of a window in the :data:`~palaver.recording.segments.BY_AGENT`
    layout (a stable sort: model events first, then agents by id as text), and
    the size of each agent's run of rows in that order (the model events' first,
    runs of zero rows left out). ``keys`` may hold ids equal as text (``1`` and
    ``"1"``): they are one agent."""
    names = sorted({k for k in keys if k is not None})
    rank = {name: i for i, name in enumerate(names)}
    ranks = np.array([-1 if k is None else rank[k] for k in keys], np.int32)[codes]
    order = np.argsort(ranks.astype(np.int16) if len(names) < 2**15 else ranks, kind="stable")
    sizes = np.bincount(ranks + 1, minlength=len(names) + 1)
    return order, sizes[sizes > 0]


def group_bounds(sizes: np.ndarray) -> list[int]:
    """Where the row groups of a part laid out by agent end: runs of rows
    (agents) packed together until a group holds ``MIN_GROUP`` rows, a run
    longer than ``ROW_GROUP`` cut into groups of that size. A query for one
    agent then reads about ``MIN_GROUP`` rows per part besides its own."""
    bounds: list[int] = []
    end = 0
    start = 0
    for size in sizes.tolist():
        end += size
        while end - start >= ROW_GROUP:
            start += ROW_GROUP
            bounds.append(start)
        if end - start >= MIN_GROUP:
            start = end
            bounds.append(end)
    if end > start:
        bounds.append(end)
    return bounds


def part_writer(out: Any, agents: list[Any]) -> pq.ParquetWriter:
    """A Parquet writer of a part laid out by agent (see :func:`write_part`),
    writing to ``out``; ``agents``: the ids that are not strings."""
    schema = EVENT_SCHEMA.with_metadata(
        {
            **EVENT_SCHEMA.metadata,
            LAYOUT_KEY: LAYOUT_BY_AGENT,
            AGENTS_KEY: json.dumps(plain(list(agents))).encode(),
        }
    )
    return pq.ParquetWriter(
        out,
        schema,
        compression="zstd",
        compression_level=1,  # level 3 is ~30% slower for ~no size gain here
        # Delta-coded integers (positions, microseconds, steps, sequence
        # numbers: small steady increments within an agent's rows) are
        # written faster than dictionary or plain pages; the ids and event
        # types are dictionary-coded: a few distinct values in long runs,
        # which SQL engines group by without decoding each text.
        use_dictionary=["agent_id", "event_type"],
        column_encoding=_DELTA_COLUMNS,
        # Min/max of the numeric columns, and of the agent ids (sorted
        # within a part), let DuckDB skip row groups; those of JSON text
        # spread over every row group would not.
        write_statistics=[*_DELTA_COLUMNS, "agent_id"],
        write_page_checksum=True,
    )


def write_part(
    log: EventLog,
    folder: Path,
    number: int,
    start: int,
    coded: Coded,
    keys: tuple[list[str | None], list[str | None]],
    agents: list[Any] = (),  # type: ignore[assignment]
) -> PartRecord:
    """Write the events of ``log`` as part ``number`` of the recording in
    ``folder`` and its index, atomically and durably, then delete the log they
    replace (in that order, so that a kill or a power cut at any point leaves
    the log or the part). Return the part's manifest record.

    The rows are written grouped by agent (:data:`~palaver.recording.segments.
    BY_AGENT`), so that one agent's events are a run of rows in a few row
    groups; the index keeps positions in event order (a row's ``index``
    column says where it belongs).

    ``agents`` are the agent ids that are not strings (Mesa's ints), kept in the
    part's metadata so that salvage without a manifest gives them back as they
    were recorded. The index comes from the codes given while recording (``coded``: agent
    codes, type codes, steps; ``keys``: the agent and type keys of the codes),
    so no column is re-encoded to build it.
    """
    agent_codes, type_codes, steps = coded
    groupings = {
        "agent": coded_grouping(agent_codes, keys[0]),
        "type": coded_grouping(type_codes, keys[1]),
        "step": step_grouping(steps),
    }
    path = folder / "events" / f"part-{number:05d}.parquet"
    index_path = path.with_name(f"part-{number:05d}.index.arrow")
    write_index(groupings, index_path)
    order, sizes = agent_order(agent_codes, keys[0])
    # The window whole (at most memory_window events, read back from the page
    # cache): rows are reordered across it.
    table = pa.Table.from_batches(list(log.read_all()), EVENT_SCHEMA)
    rows = table.num_rows
    seqs = table["seq"]
    seq_range = None
    if seqs.null_count < rows:
        low, high = pc.min_max(seqs).values()
        seq_range = (low.as_py(), high.as_py())
    # One take of the whole window, from the log's chunks as they are, then a
    # row group at a time as slices of it (no copy): a take per row group cost
    # about twice as much (per-call overhead on eleven columns, and joining the
    # chunks first so that each take is fast). Memory holds the window twice
    # meanwhile, ~7 MB for Workload 3's 50,000-event window.
    ordered = table.take(pa.Array.from_buffers(pa.int64(), rows, [None, pa.py_buffer(order)]))
    del table
    with (
        atomic_file(path, durable=True) as out,
        part_writer(out, agents) as writer,
    ):
        first = 0
        for end in group_bounds(sizes):
            writer.write_table(ordered.slice(first, end - first), end - first)
            first = end
    del ordered
    log.close()
    # The part is durable now (fsync-ed, and its folder): the log can go.
    log.path.unlink(missing_ok=True)
    return PartRecord(
        number=number,
        start=start,
        rows=rows,
        steps=(int(steps.min()), int(steps.max())) if rows else None,
        seqs=seq_range,
        part=FileRecord.of(folder, path),
        index=FileRecord.of(folder, index_path),
    )

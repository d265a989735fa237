"""Streaming event storage: an Arrow IPC log rolled into immutable Parquet parts.

Why this layout (see docs/recording.md for the folder description):

* Events are buffered (:mod:`palaver.recording.buffer`) and *flushed* (at
  every step end, every ``flush_every`` events and before any query) as one
  Arrow record batch
  appended to ``events/wal-NNNNN.arrows``, an Arrow IPC *stream*. Appending a
  batch is a few ``write()`` calls on an open file: no reopen, no rewrite, and
  once it returns the bytes are in the kernel, so a SIGKILL loses only the
  unflushed tuples (the step in progress). A log that ends inside a message
  (torn) is read up to it, and the events from there on are reported missing
  (see :mod:`palaver.recording.recovery`).
* When the log holds ``window`` events it is rewritten once as
  ``events/part-NNNNN.parquet`` (zstd, delta-coded integers, ~100x smaller
  than the JSON export), its rows grouped by agent (see
  :data:`~palaver.recording.segments.BY_AGENT` and :mod:`palaver.recording.parts`),
  plus ``part-NNNNN.index.arrow``, the part's positions per agent, per event
  type and per step, and the log file is then deleted.
  Parquet parts are what DuckDB, pandas and polars read directly; IPC alone
  would be several times larger, and Parquet alone cannot be appended to safely.
* Parts are written to a temporary name and renamed, so a part either exists
  whole or not at all; a log whose part exists is ignored (killed mid-roll).

Once flushed, events are not kept in memory: the events since the last roll
(at most ``window``) are read back from the log when a query or the roll needs
them, through the byte offset of each batch, and older ones from their part,
through the positions index; a small cache keeps the batches and row groups
read last. What stays in memory per event of the window is its agent code,
type code and step (16 bytes; the codes are shared by flushes that repeat the
previous one), which answer queries about the window without reading it. A
store without a folder (``output_dir=None``) or opened read-only keeps its
window in memory, as Arrow batches.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from palaver.recording.arrow import (
    Coder,
)
from palaver.recording.blocks import Block
from palaver.recording.buffer import EventBuffer
from palaver.recording.cache import (
    GROUP_CACHE_BYTES,
    INDEX_CACHE_BYTES,
    POSITIONS_CACHE_BYTES,
    ROWS_CACHE_BYTES,
    ByteCache,
    release_pool,
    settle_pool,
)
from palaver.recording.errors import RecordingWarning
from palaver.recording.integrity import FileRecord, MissingEvents
from palaver.recording.log import Coded, EventLog, write_part
from palaver.recording.parts import StoreReading, open_parquet
from palaver.recording.segments import BY_AGENT, PartIndex, Segment

__all__ = ["Block", "EventStore", "open_parquet"]


class EventStore(StoreReading):
    """Append-only columnar event storage with per-agent/type/step positions.

    ``folder=None`` keeps everything in memory (nothing is written and the
    window is unbounded); otherwise the store owns ``folder/events/``.
    ``on_new_file`` is called after a flush or a roll that created a log or a
    part, for the manifest to list it (:meth:`describe`).
    """

    def __init__(
        self,
        folder: Path | None,
        window: int = 50_000,
        on_new_agents: Callable[[], None] | None = None,
        on_new_file: Callable[[], None] | None = None,
    ) -> None:
        if window < 1:
            raise ValueError(f"the memory window must be positive, not {window}")
        settle_pool()
        self.folder = folder
        self.window = window
        self.agents: dict[str, Any] = {}
        self._agents = Coder()
        self._types = Coder()
        #: The events not flushed yet (see palaver.recording.buffer).
        self.buffer = EventBuffer(self._agents, self._types, self.agents, self.warn, on_new_agents)
        #: The buffer's flat list, which the recorder appends to.
        self.pending = self.buffer.pending
        self.parts: list[Segment] = []
        self.live = Segment(start=0)
        #: The window's batches, for a store that keeps its window in memory
        #: (no folder, or read-only); a writing store reads them from its log.
        self._batches: list[pa.RecordBatch] = []
        #: Per batch of the window: the row (in the window) where it starts.
        self._starts: list[int] = []
        #: Per batch of the window: its agent codes, type codes and steps (numpy).
        self._coded: list[Coded] = []
        self._live_table: pa.Table | None = None
        self._log: EventLog | None = None
        #: Called after a flush or a roll that created a file (a log, a part),
        #: so that the manifest lists it (see :meth:`describe`).
        self.on_new_file = on_new_file
        self._new_file = False
        #: Files other than parts and logs (``stats.parquet``), as the manifest lists them.
        self.files: dict[str, FileRecord] = {}
        self._files: OrderedDict[Path, pq.ParquetFile] = OrderedDict()
        # Read-back caches, bounded by the bytes they hold (not by entries: a
        # part's index and a row group grow with the part and with event size).
        #: Row groups of parts, and batches of the log (keyed by the log's path).
        self._groups: ByteCache[tuple[Path, int], pa.Table | pa.RecordBatch] = ByteCache(
            GROUP_CACHE_BYTES
        )
        self._indexes: ByteCache[Path, PartIndex] = ByteCache(INDEX_CACHE_BYTES)
        self._found: ByteCache[tuple[Path, str, str], np.ndarray] = ByteCache(POSITIONS_CACHE_BYTES)
        #: Per part laid out by agent, the row of each event (see parts.py).
        self._rows: ByteCache[Path, np.ndarray] = ByteCache(ROWS_CACHE_BYTES)
        #: Per part, where its row groups start (a few bytes per row group).
        self._bounds: dict[Path, np.ndarray] = {}
        #: Per part read, its Parquet footer (about 2 kB per row group).
        self._footers: dict[Path, pq.FileMetaData] = {}
        self._part_totals = None
        self.warnings: list[str] = []
        #: What was opened (a recording folder or file), named by read errors.
        self.source: Path | None = folder
        #: Parts whose content is known intact (written by this store, or their
        #: SHA-256 checked against the manifest): read without page checksums,
        #: which double the time to read a row group.
        self.verified: set[Path] = set()
        #: Temporary files of killed writers removed when the store was opened.
        self.cleaned: list[Path] = []
        #: Files of a recording never closed that were rewritten after its
        #: manifest was last written (a run killed between the two writes).
        self.rewritten: list[str] = []
        #: Logs of a recording never closed whose first batch never reached
        #: the file (a run killed as it began the log): nothing counted is lost.
        self.unstarted: list[str] = []
        #: Part files a closed recording's manifest does not list: leftovers
        #: of an interrupted merge of parts, ignored (see compaction.py).
        self.leftovers: list[Path] = []
        #: Events that could not be read back (see ``RecordingReader.missing``).
        self.missing: list[MissingEvents] = []
        #: Whether the only events missing are a torn log tail after every
        #: event the manifest counted, in a recording never closed: what a
        #: killed run may leave (a strict open accepts it).
        self.torn_tail_only = False
        self.readonly = False
        #: How many times stored rows moved to other addresses (a window
        #: rolled into a part laid out by agent, parts merged): views find
        #: their events' addresses again when it changes.
        self.moves = 0
        if folder is not None:
            (folder / "events").mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------------ writing
    @property
    def count(self) -> int:
        """Number of events stored, flushed or not."""
        return self.live.end + self.buffer.count

    @property
    def buffered(self) -> bool:
        """Whether events wait in the buffer (flat or in blocks)."""
        return bool(self.buffer)

    def add_block(self, block: Block) -> None:
        """Buffer a batch's events (as columns) after those buffered so far."""
        self.buffer.add_block(block)

    def last_buffered_type(self) -> str | None:
        """The type of the last buffered event (``None`` when none is)."""
        return self.buffer.last_type()

    def flush(self) -> None:
        """Append the buffered events to the log, and roll it into a part when full."""
        self.flush_to_log()
        if self.folder is not None and not self.readonly and self.live.rows >= self.window:
            self.roll()
        self._announce()

    def _announce(self) -> None:
        # After the flush or roll, not inside it: the callback may query the store.
        if self._new_file:
            self._new_file = False
            if self.on_new_file is not None:
                self.on_new_file()

    def flush_to_log(self) -> None:
        """Append the buffered events to the log (one Arrow batch), never rolling."""
        if not self.buffer:
            return
        batch, coded, step_range = self.buffer.take(self.live.end)
        if self.folder is not None and not self.readonly:
            if self._log is None:
                self._log = EventLog(self.folder / "events" / f"wal-{len(self.parts):05d}.arrows")
                self._new_file = True
            # The batch is in the log now, and is read back from there: keeping
            # it too would hold the whole window in memory (~140 bytes per event).
            self._log.append(batch)
        else:
            self._batches.append(batch)
        self._starts.append(self.live.rows)
        self._coded.append(coded)
        self._live_table = None
        self.live.absorb_codes(
            batch.num_rows,
            (coded[0], self._agents.keys),
            (coded[1], self._types.keys),
            step_range,
        )
        self._announce()  # a new log: the manifest must list it

    def roll(self) -> None:
        """Turn the window into the next Parquet part (and its log into nothing).

        The part is written here, in the recording thread (about 20 ms per
        50,000 events, reading them back from the log included). A writer
        thread would let recording go on meanwhile, but costs more CPU for the
        same work (on Workload 3, ~13% more in all, measured on 2 cores: the two
        threads slow each other down), and CPU is what parallel runs of many
        simulations share. A failed write raises here
        and leaves the window and its log as they were.
        """
        self.flush_to_log()
        if self.folder is None or self.readonly or self._log is None:
            return
        number = len(self.parts)
        agent_codes, type_codes, steps = zip(*self._coded, strict=True)
        coded = (np.concatenate(agent_codes), np.concatenate(type_codes), np.concatenate(steps))
        keys = (self._agents.keys, self._types.keys)
        others = [a for a in self.agents.values() if not isinstance(a, str)]
        record = write_part(self._log, self.folder, number, self.live.start, coded, keys, others)
        self._log = None
        self.live.path = self.folder / record.part.name
        self.live.layout = BY_AGENT
        self.moves += 1
        self.verified.add(self.live.path)
        self.live.record = record
        self.parts.append(self.live)
        self.live = Segment(start=self.live.end)
        self._starts = []
        self._coded = []
        self._live_table = None
        # The memory the part's writing freed stays with pyarrow's allocator for
        # the next part: handing it back to the system each time (see
        # release_pool) cost ~5% more CPU in recording, in page faults, to save
        # ~3 MB while recording.
        self._groups.clear()  # may hold batches of the log just deleted
        self._new_file = True
        self._announce()

    def sync(self) -> None:
        """Make the events flushed so far durable: ``fsync`` the open log
        (parts are made durable when they are written)."""
        if self._log is not None:
            self._log.sync()

    def describe(self) -> dict[str, Any]:
        """The manifest's ``storage`` section: every part and its index with
        their checksums, the open log, and the other files (see
        :mod:`palaver.recording.integrity`)."""
        log = None
        if self._log is not None:
            assert self.folder is not None
            log = {
                "file": self._log.path.relative_to(self.folder).as_posix(),
                "start": self.live.start,
            }
        return {
            "events": self.live.end,
            "parts": [seg.record.to_json() for seg in self.parts if seg.record is not None],
            "log": log,
            "files": {name: record.to_json() for name, record in self.files.items()},
        }

    def close_log(self) -> None:
        """Close the open log file (its events stay on disk, and readable)."""
        if self._log is not None:
            self._log.close()

    def close(self) -> None:
        """Release the read caches and files, then flush and roll what remains."""
        # Caches first: the last part is then written with their memory free,
        # and what writing it frees goes back to the system once it is done.
        self._files.clear()
        self._groups.clear()
        self._indexes.clear()
        self._found.clear()
        self._rows.clear()
        self._footers.clear()
        self._bounds.clear()
        release_pool()
        self.roll()
        self.close_log()
        release_pool()

    # ------------------------------------------------------------------ reading
    def adopt(self, batch: pa.RecordBatch, counted: Segment) -> None:
        """Append a batch read back from a log to the in-memory window."""
        self._batches.append(batch)
        self._starts.append(self.live.rows)
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
        if self._coded:
            return self._types.keys[int(self._coded[-1][1][-1])]
        if self._batches:
            return str(self._batches[-1].column(3)[-1].as_py())
        if self.parts:
            last = self.addresses(np.array([self.parts[-1].end - 1], dtype=np.int64))
            return str(self.take(last)["event_type"][0].as_py())
        return None

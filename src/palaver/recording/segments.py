"""Segments of a recording and their indexes.

A segment is a contiguous run of events: a Parquet part, or the in-memory
window. Each keeps counters (events per agent and per type, step range) that
answer ``len()`` of a query without reading events; a part also has a
positions index (``part-NNNNN.index.arrow``) giving the rows of each agent,
event type and step, so a query reads only the row groups it needs.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

from palaver.recording.arrow import dictionary_codes, numpy_values, string_array
from palaver.recording.schema import COLUMN_OF_KIND, KINDS


@dataclass
class Segment:
    """A contiguous run of events: a Parquet part on disk, or the in-memory window."""

    start: int
    rows: int = 0
    agents: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    step_min: int | None = None
    step_max: int | None = None
    path: Path | None = None

    @property
    def end(self) -> int:
        """One past the last global index in the segment."""
        return self.start + self.rows

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

    def absorb(
        self, rows: int, agents: dict[str, int], types: dict[str, int], steps: tuple[int, int]
    ) -> None:
        """Update the counters with one flushed batch (counts per key, step range)."""
        self.rows += rows
        self.agents.update(agents)
        self.types.update(types)
        lo, hi = steps
        self.step_min = lo if self.step_min is None else min(self.step_min, lo)
        self.step_max = hi if self.step_max is None else max(self.step_max, hi)


def group_positions(values: pa.ChunkedArray | pa.Array) -> dict[Any, np.ndarray]:
    """Map each distinct non-null value to the sorted positions where it occurs."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    codes, keys = dictionary_codes(values)
    order = np.argsort(codes, kind="stable").astype(np.int32)
    counts = np.bincount(codes[codes >= 0], minlength=len(keys))
    skip = int((codes < 0).sum())
    bounds = np.concatenate(([0], np.cumsum(counts))) + skip
    return {k: order[bounds[i] : bounds[i + 1]] for i, k in enumerate(keys)}


def write_index(table: pa.Table, path: Path) -> None:
    """Write a part's positions per agent, event type and step next to it (atomically)."""
    kinds: list[str] = []
    keys: list[str] = []
    rows: list[np.ndarray] = []
    for kind in KINDS:
        for key, pos in group_positions(table[COLUMN_OF_KIND[kind]]).items():
            kinds.append(kind)
            keys.append(str(key))
            # Gaps between positions, not positions: small repeated numbers
            # that zstd shrinks ~10x (raw positions barely compress).
            rows.append(np.diff(pos, prepend=0))
    offsets = np.concatenate(([0], np.cumsum([len(r) for r in rows]))).astype(np.int32)
    values = (np.concatenate(rows) if rows else np.zeros(0)).astype(np.int32)
    index = pa.table(
        {
            "kind": string_array(kinds),
            "key": string_array(keys),
            "rows": pa.ListArray.from_arrays(
                pa.Array.from_buffers(pa.int32(), len(offsets), [None, pa.py_buffer(offsets)]),
                pa.Array.from_buffers(pa.int32(), len(values), [None, pa.py_buffer(values)]),
            ),
        }
    )
    tmp = path.with_suffix(".tmp")
    options = ipc.IpcWriteOptions(compression="zstd")
    with ipc.new_file(str(tmp), index.schema, options=options) as writer:
        writer.write_table(index)
    os.replace(tmp, path)


def read_index(path: Path) -> dict[tuple[str, str], np.ndarray]:
    """Load a part's positions index: ``(kind, key) -> row positions``."""
    with pa.OSFile(str(path)) as source:
        table = ipc.open_file(source).read_all()
    rows = table["rows"].combine_chunks()
    offsets = numpy_values(rows.offsets, np.int32)
    gaps = numpy_values(rows.values, np.int32)
    index = {}
    for i, (kind, key) in enumerate(
        zip(table["kind"].to_pylist(), table["key"].to_pylist(), strict=True)
    ):
        index[kind, key] = np.cumsum(gaps[offsets[i] : offsets[i + 1]], dtype=np.int64)
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

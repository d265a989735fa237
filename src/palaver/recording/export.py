"""Exports: the documented JSON layout, a single Parquet file, per-step stats.

The JSON export streams the stored rows batch by batch into the file. Content
and metadata are already JSON text in storage, so they are copied into the
output verbatim: nothing is decoded and re-encoded, and memory stays bounded
by one batch plus one summary per agent.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from palaver.recording.arrow import dictionary_codes, int64_array, numpy_values, string_array
from palaver.recording.event import SimulationEvent, encode
from palaver.recording.schema import EVENT_SCHEMA
from palaver.recording.storage import EventStore


class _AgentSummary:
    __slots__ = ("first", "last", "steps", "total", "types")

    def __init__(self) -> None:
        self.total = 0
        self.types: dict[str, None] = {}
        self.steps: set[int] = set()
        self.first: str | None = None
        self.last: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "total_events": self.total,
            "event_types": list(self.types),
            "active_steps": sorted(self.steps),
            "first_event": self.first,
            "last_event": self.last,
        }


# Every constant below is passed to Arrow as an array, never as a scalar: making
# a pyarrow scalar (or grouping with Acero) imports pandas on first use, which
# costs ~0.5 s and ~40 MB in a process that otherwise never needs it.


def _constant(text: str, n: int) -> pa.Array:
    zeros = pa.Array.from_buffers(pa.int32(), n, [None, pa.py_buffer(np.zeros(n, np.int32))])
    return string_array([text]).take(zeros)


def _summarize(
    batch: pa.RecordBatch, stamps: pa.Array, summaries: dict[str, _AgentSummary]
) -> None:
    codes, keys = dictionary_codes(batch.column("agent_id"))
    rows = np.flatnonzero(codes >= 0)
    if not len(rows):
        return
    agent = codes[rows]
    type_codes, types = dictionary_codes(batch.column("event_type"))
    steps = numpy_values(batch.column("step"), np.int64)[rows]
    order = np.argsort(agent, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(agent, minlength=len(keys)))))
    pairs = np.unique(np.stack([agent, type_codes[rows]]), axis=1)
    agent_steps = np.unique(np.stack([agent, steps]), axis=1)
    for k, key in enumerate(keys):
        lo, hi = bounds[k], bounds[k + 1]
        if lo == hi:
            continue
        summary = summaries.get(key)
        if summary is None:
            summary = summaries[key] = _AgentSummary()
            summary.first = stamps[int(rows[order[lo]])].as_py()
        summary.total += int(hi - lo)
        summary.types.update(dict.fromkeys(types[t] for t in pairs[1][pairs[0] == k]))
        summary.steps.update(agent_steps[1][agent_steps[0] == k].tolist())
        summary.last = stamps[int(rows[order[hi - 1]])].as_py()


def _as_json(values: pa.Array, original: dict[str, Any] | None = None) -> pa.Array:
    """JSON text of each value (``null`` for nulls), encoding each distinct value once."""
    codes, keys = dictionary_codes(values)
    texts = [encode(k if original is None else original.get(k, k)) for k in keys]
    codes[codes < 0] = len(texts)
    indices = pa.Array.from_buffers(pa.int32(), len(codes), [None, pa.py_buffer(codes)])
    return string_array([*texts, "null"]).take(indices)


def _or(values: pa.Array, text: str) -> pa.Array:
    """``values`` with nulls replaced by ``text``."""
    if not values.null_count:
        return values
    return pc.if_else(pc.is_valid(values), values, _constant(text, len(values)))


def _timestamps(column: pa.Array) -> pa.Array:
    """ISO-8601 UTC text with microseconds; each distinct second is formatted once."""
    micros = numpy_values(column.cast(pa.int64()), np.int64)
    seconds, inverse = np.unique(micros // 1_000_000, return_inverse=True)
    whole = string_array(
        [
            dt.datetime.fromtimestamp(int(sec), dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
            for sec in seconds
        ]
    ).take(int64_array(inverse.ravel()))
    fraction = pc.utf8_lpad(pc.cast(int64_array(micros % 1_000_000), pa.string()), 6, "0")
    n = len(micros)
    return pc.binary_join_element_wise(
        whole, _constant(".", n), fraction, _constant("+00:00", n), _constant("", n)
    )


def _metadata_texts(batch: pa.RecordBatch) -> pa.Array:
    metadata = batch.column("metadata")
    seq = batch.column("seq")
    if seq.null_count == len(seq):
        return _or(metadata, "null")
    # Events captured from a bus: the stored metadata object gains run_id, seq and,
    # when set, negotiation_id / contract_id (what SimulationEvent.metadata shows).
    n = len(seq)
    empty = _constant("", n)
    stored = _or(metadata, "{}")
    opened = pc.utf8_slice_codeunits(stored, 0, -1)
    comma = pc.if_else(pc.equal(stored, _constant("{}", n)), empty, _constant(",", n))
    ids = {}
    for name in ("negotiation_id", "contract_id"):
        column = batch.column(name)
        joined = pc.binary_join_element_wise(_constant(f',"{name}":', n), _as_json(column), empty)
        ids[name] = pc.if_else(pc.is_valid(column), joined, pa.nulls(n, pa.string()))
    merged = pc.binary_join_element_wise(
        opened,
        comma,
        _constant('"run_id":', n),
        _as_json(batch.column("run_id")),
        _constant(',"seq":', n),
        pc.cast(seq, pa.string()),
        ids["negotiation_id"],
        ids["contract_id"],
        _constant("}", n),
        empty,
        null_handling="skip",
    )
    return pc.if_else(pc.is_valid(seq), merged, _or(metadata, "null"))


def _event_text(event: SimulationEvent) -> str:
    data = event.to_dict()
    data["timestamp"] = event.timestamp.isoformat()
    return encode(data)


def _event_lines(
    batch: pa.RecordBatch, simulation_id: str, agents: dict[str, Any]
) -> tuple[pa.Array, pa.Array]:
    """Each event of the batch as ``,\n{...}`` JSON text, and the timestamps' text."""
    stamps = _timestamps(batch.column("timestamp"))
    ids = pc.utf8_lpad(pc.cast(batch.column("index"), pa.string()), 6, "0")
    n = batch.num_rows
    lines = pc.binary_join_element_wise(
        _constant(',\n{"event_id": "' + simulation_id + "_", n),
        ids,
        _constant('", "timestamp": "', n),
        stamps,
        _constant('", "step": ', n),
        pc.cast(batch.column("step"), pa.string()),
        _constant(', "agent_id": ', n),
        _as_json(batch.column("agent_id"), agents),
        _constant(', "event_type": ', n),
        _as_json(batch.column("event_type")),
        _constant(', "content": ', n),
        batch.column("content"),
        _constant(', "metadata": ', n),
        _metadata_texts(batch),
        _constant("}", n),
        _constant("", n),
    )
    return lines, stamps


def _raw_bytes(strings: pa.Array) -> memoryview:
    """The UTF-8 bytes of all values of a string array, back to back (no copy)."""
    offsets = np.frombuffer(strings.buffers()[1], np.int32)
    start, end = offsets[strings.offset], offsets[strings.offset + len(strings)]
    return memoryview(strings.buffers()[2])[start:end]


def write_json(
    path: Path,
    store: EventStore,
    simulation_id: str,
    metadata: dict[str, Any],
    agents: dict[str, Any],
    tail: Iterable[SimulationEvent] = (),
) -> Path:
    """Write the documented JSON layout (``metadata``, ``events``,
    ``agent_summaries``) to ``path``, one event per line, atomically.

    Each batch of events is turned into text by Arrow compute kernels (no Python
    loop per event); stored content and metadata text is copied verbatim.
    """
    tmp = path.with_name(path.name + ".tmp")
    summaries: dict[str, _AgentSummary] = {}
    with open(tmp, "wb") as out:
        header = '{\n"metadata": ' + json.dumps(metadata, default=str) + ',\n"events": ['
        out.write(header.encode())
        skip = 1  # the first event has no leading comma (the newline stays)
        for batch in store.iter_batches():
            if not batch.num_rows:
                continue
            lines, stamps = _event_lines(batch, simulation_id, agents)
            _summarize(batch, stamps, summaries)
            out.write(_raw_bytes(lines)[skip:])
            skip = 0
        for event in tail:
            out.write((",\n"[skip:] + _event_text(event)).encode())
            skip = 0
        out.write(b'\n],\n"agent_summaries": {')
        body = ",".join(
            f"\n{encode(str(agents.get(k, k)))}: {encode(s.as_dict())}"
            for k, s in summaries.items()
        )
        out.write((body + "\n}\n}\n").encode())
    os.replace(tmp, path)
    return path


def write_parquet(path: Path, store: EventStore, simulation_id: str) -> Path:
    """Write every stored event to one Parquet file (the ``events`` table schema,
    with the simulation id in the file's key-value metadata)."""
    tmp = path.with_name(path.name + ".tmp")
    schema = EVENT_SCHEMA.with_metadata(
        {
            **EVENT_SCHEMA.metadata,
            b"palaver.simulation_id": simulation_id.encode(),
            b"palaver.agents": json.dumps(list(store.agents.values()), default=str).encode(),
        }
    )
    with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for batch in store.iter_batches():
            writer.write_batch(batch.replace_schema_metadata(schema.metadata))
    os.replace(tmp, path)
    return path


STATS_SCHEMA = pa.schema([("step", pa.int64()), ("name", pa.string()), ("value", pa.float64())])
"""Columns of the ``stats`` table: one row per (step, statistic)."""


def stats_table(events: Iterable[SimulationEvent]) -> pa.Table:
    """The numeric per-step statistics carried by ``stats`` events, in long form."""
    steps: list[int] = []
    names: list[str] = []
    values: list[float] = []
    for event in events:
        for name, value in event.content.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                steps.append(event.step)
                names.append(name)
                values.append(float(value))
    floats = np.asarray(values, dtype=np.float64)
    columns = [
        int64_array(steps),
        string_array(names),
        pa.Array.from_buffers(pa.float64(), len(floats), [None, pa.py_buffer(floats)]),
    ]
    return pa.Table.from_arrays(columns, schema=STATS_SCHEMA)

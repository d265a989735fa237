"""Exports: the documented JSON layout, a single Parquet file, per-step stats.

The JSON export streams the stored rows batch by batch into the file. Content
and metadata are already JSON text in storage, so they are copied into the
output verbatim: nothing is decoded and re-encoded, and memory stays bounded
by one batch plus one summary per agent.
"""

from __future__ import annotations

import datetime as dt
import json
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from palaver._util.atomic import atomic_file, clean_leftovers
from palaver.recording.arrow import (
    dictionary_codes,
    distinct,
    int64_array,
    numpy_values,
    string_array,
)
from palaver.recording.cache import release_pool
from palaver.recording.errors import RecordingError
from palaver.recording.event import SimulationEvent, encode
from palaver.recording.schema import EVENT_SCHEMA
from palaver.recording.storage import EventStore


class _AgentSummary:
    """What the JSON export says about one agent, gathered batch by batch.

    Active steps are kept as runs of consecutive steps (``starts[i]`` to
    ``ends[i]``, inclusive), 16 bytes per run: an agent active at every step is
    one run however long the simulation. A set of steps held an int object per
    step and agent (18 MB for 100 agents over 2,000 steps), which grew with the
    history for as long as the export ran.
    """

    __slots__ = ("ends", "first", "last", "starts", "total", "types")

    def __init__(self) -> None:
        self.total = 0
        self.types: dict[str, None] = {}
        self.starts = array("q")
        self.ends = array("q")
        self.first: str | None = None
        self.last: str | None = None

    def add_run(self, start: int, end: int) -> None:
        """Add the steps ``start`` to ``end`` (inclusive) as active."""
        starts, ends = self.starts, self.ends
        if not ends or start > ends[-1] + 1:
            starts.append(start)
            ends.append(end)
        elif start >= starts[-1]:
            # Goes on from the last run (a step spanning two batches).
            ends[-1] = max(ends[-1], end)
        else:
            # Steps going back (a model whose step counter was reset): merge
            # everything again. Never the case for steps that only grow.
            _merge_runs(starts, ends, start, end)

    def active_steps(self) -> list[int]:
        """Every active step, in order."""
        return [
            step for s, e in zip(self.starts, self.ends, strict=True) for step in range(s, e + 1)
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "total_events": self.total,
            "event_types": list(self.types),
            "active_steps": self.active_steps(),
            "first_event": self.first,
            "last_event": self.last,
        }


def _merge_runs(starts: array[int], ends: array[int], start: int, end: int) -> None:
    """Add the run ``start``..``end`` to ``starts``/``ends`` (in place), keeping
    the runs sorted and disjoint."""
    runs = sorted([*zip(starts, ends, strict=True), (start, end)])
    merged: list[list[int]] = []
    for s, e in runs:
        if merged and s <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    starts[:] = array("q", [s for s, _ in merged])
    ends[:] = array("q", [e for _, e in merged])


# Every constant below is passed to Arrow as an array, never as a scalar: making
# a pyarrow scalar (or grouping with Acero) imports pandas on first use, which
# costs ~0.5 s and ~40 MB in a process that otherwise never needs it.


def _constant(text: str, n: int) -> pa.Array:
    zeros = pa.Array.from_buffers(pa.int32(), n, [None, pa.py_buffer(np.zeros(n, np.int32))])
    return string_array([text]).take(zeros)


def _summarize(
    batch: pa.RecordBatch, stamps: pa.Array, summaries: dict[str, _AgentSummary]
) -> None:
    # Vectorised over the batch: the distinct (agent, type) and (agent, step)
    # pairs come from sorting one int64 key each, and Python only loops over
    # agents and runs of steps (np.unique on stacked pairs sorted rows as
    # structures, and a loop per agent and batch, were ~60% of the export).
    codes, keys = dictionary_codes(batch.column("agent_id"))
    rows = np.flatnonzero(codes >= 0)
    if not len(rows):
        return
    agent = codes[rows].astype(np.int64)
    type_codes, types = dictionary_codes(batch.column("event_type"))
    steps = numpy_values(batch.column("step"), np.int64)[rows]
    counts = np.bincount(agent, minlength=len(keys))
    present = np.flatnonzero(counts)
    order = np.argsort(agent, kind="stable")
    ends = np.cumsum(counts)[present]
    firsts = stamps.take(int64_array(rows[order[ends - counts[present]]])).to_pylist()
    lasts = stamps.take(int64_array(rows[order[ends - 1]])).to_pylist()
    # Event types per agent, in code order (first seen in the batch, first).
    n_types = max(len(types), 1)
    pairs, _ = distinct(agent * n_types + type_codes[rows])
    pair_agents = (pairs // n_types).tolist()
    pair_types = (pairs % n_types).tolist()
    agent_types: dict[int, list[str]] = {}
    for a, t in zip(pair_agents, pair_types, strict=True):
        agent_types.setdefault(a, []).append(types[t])
    for k, first, last, n in zip(
        present.tolist(), firsts, lasts, counts[present].tolist(), strict=True
    ):
        key = keys[k]
        summary = summaries.get(key)
        if summary is None:
            summary = summaries[key] = _AgentSummary()
            summary.first = first
        summary.total += n
        summary.types.update(dict.fromkeys(agent_types[k]))
        summary.last = last
    # Active steps as runs: the distinct (agent, step) pairs in order, split
    # where the agent changes or the step is not the previous one plus 1.
    low = int(steps.min())
    span = int(steps.max()) - low + 1
    if span <= (1 << 62) // len(keys):
        keyed, _ = distinct(agent * span + (steps - low))  # one int64 key per pair
        owners = keyed // span
        at = keyed - owners * span + low
    else:  # steps too far apart to share an int64 key with the agent
        order = np.lexsort((steps, agent))
        owners, at = agent[order], steps[order]
        new = np.ones(len(order), dtype=bool)
        new[1:] = (owners[1:] != owners[:-1]) | (at[1:] != at[:-1])
        owners, at = owners[new], at[new]
    breaks = np.flatnonzero((np.diff(at) != 1) | (np.diff(owners) != 0)) + 1
    firsts_of_runs = np.concatenate(([0], breaks))
    lasts_of_runs = np.concatenate((breaks - 1, [len(at) - 1]))
    for a, s, e in zip(
        owners[firsts_of_runs].tolist(),
        at[firsts_of_runs].tolist(),
        at[lasts_of_runs].tolist(),
        strict=True,
    ):
        summaries[keys[a]].add_run(s, e)


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
    seconds, inverse = distinct(micros // 1_000_000)
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


def check_target(path: Path) -> None:
    """Refuse an export path that is a folder or in a folder that does not exist
    (before anything is written), and remove what killed exports left there."""
    if path.is_dir():
        raise RecordingError(f"cannot export to {path}: it is a folder; give a file name")
    if not path.parent.is_dir():
        raise RecordingError(f"cannot export to {path}: folder {path.parent} does not exist")
    clean_leftovers(path.parent)


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
    check_target(path)
    summaries: dict[str, _AgentSummary] = {}
    with atomic_file(path) as out:
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
        # One agent at a time: the text of all summaries together holds every
        # active step of every agent.
        comma = ""
        for k, summary in summaries.items():
            text = f"{comma}\n{encode(str(agents.get(k, k)))}: {encode(summary.as_dict())}"
            out.write(text.encode())
            comma = ","
        out.write(b"\n}\n}\n")
    release_pool()
    return path


MANIFEST_KEY = b"palaver.manifest"
"""Key of an exported Parquet file's metadata holding the recording's manifest
(its ``storage`` section left out): what reopening the file reads as one."""
INITIAL_STATE_KEY = b"palaver.initial_state"
"""Key of an exported Parquet file's metadata holding ``initial_state.json``'s content."""


def write_parquet(
    path: Path,
    store: EventStore,
    simulation_id: str,
    manifest: dict[str, Any] | None = None,
    initial: dict[str, Any] | None = None,
) -> Path:
    """Write every stored event to one Parquet file (the ``events`` table schema,
    with the simulation id, the ``manifest`` and the ``initial`` states in the
    file's key-value metadata: reopened, the file answers as the recording)."""
    check_target(path)
    extra = {}
    if manifest is not None:
        extra[MANIFEST_KEY] = json.dumps(manifest, default=str).encode()
    if initial is not None:
        extra[INITIAL_STATE_KEY] = encode(initial).encode()
    schema = EVENT_SCHEMA.with_metadata(
        {
            **EVENT_SCHEMA.metadata,
            b"palaver.simulation_id": simulation_id.encode(),
            b"palaver.agents": json.dumps(list(store.agents.values()), default=str).encode(),
            **extra,
        }
    )
    with (
        atomic_file(path) as out,
        pq.ParquetWriter(out, schema, compression="zstd", write_page_checksum=True) as writer,
    ):
        for batch in store.iter_batches():
            writer.write_batch(batch.replace_schema_metadata(schema.metadata))
    release_pool()
    return path

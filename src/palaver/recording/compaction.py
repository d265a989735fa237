"""Merging a closed recording's parts into fewer, larger ones.

A long recording is written as one part per ``memory_window`` events (200
parts for 10M events at the default 50,000), each grouped by agent. One
agent's events are then one short run of rows in every part: reading them
decodes one or two row groups per part, and a SQL count over the events reads
every part's footer and its many small row groups. When a recording that
holds at least :data:`COMPACT_FROM` events closes, runs of consecutive parts
are merged into parts of about :data:`MERGED_EVENTS` events, grouped by agent
over the whole merged range (an agent's run is ~20x longer).

Crash safety: the recording is already complete when merging starts (its
final manifest is on disk). Each merged part is written and made durable
under a new part number, then the manifest is rewritten, durably, to list it
instead of the parts it replaces, and only then are those parts deleted. A
kill at any point therefore leaves a final manifest that lists either the old
parts or the merged one, both complete; part files it does not list are the
leftovers of an interrupted merge, which readers of a closed recording ignore
(see :func:`palaver.recording.recovery.open_folder`).

Memory: a merge holds the current row group of each part it reads (about 1
MB each on Workload 3, 10 parts) and the rows of the group being written.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from palaver._util.atomic import atomic_file
from palaver.recording.cache import release_pool
from palaver.recording.errors import RecordingWarning
from palaver.recording.integrity import FileRecord, PartRecord
from palaver.recording.log import group_bounds, part_writer
from palaver.recording.partfiles import stored
from palaver.recording.schema import KINDS
from palaver.recording.segments import BY_AGENT, Grouping, Segment, write_index

if TYPE_CHECKING:
    from palaver.recording.storage import EventStore

MERGED_EVENTS = 500_000
"""Events per merged part (parts are merged until a run holds this many)."""
COMPACT_FROM = 2_000_000
"""Recordings holding fewer events are left as they are: their parts are few
enough (40 at the default window) that merging would cost more than it saves."""


def compact(store: EventStore, rewrite_manifest: Callable[[], None]) -> int:
    """Merge the parts of ``store`` (a closed recording) into parts of about
    :data:`MERGED_EVENTS` events; return how many parts were written.

    ``rewrite_manifest`` writes the recording's manifest (durably: the
    recording is closed) from ``store.describe()``.
    """
    if store.folder is None or store.readonly or store.count < COMPACT_FROM:
        return 0
    runs = _runs(store.parts)
    written = 0
    for first, last in runs:
        inputs = store.parts[first:last]
        number = max(seg.record.number for seg in store.parts if seg.record is not None) + 1
        try:
            merged = _merge(store, inputs, number)
        except OSError as exc:
            for name in (f"part-{number:05d}.parquet", f"part-{number:05d}.index.arrow"):
                with contextlib.suppress(OSError):  # else a leftover, ignored by readers
                    (store.folder / "events" / name).unlink(missing_ok=True)
            # The recording is complete without it: say so, and stop merging.
            warnings.warn(
                f"{store.folder}: parts not merged ({exc}); the recording is complete as it is",
                RecordingWarning,
                stacklevel=3,
            )
            return written
        store.parts[first:last] = [merged]
        store.moves += 1
        store.forget([seg.path for seg in inputs if seg.path is not None])
        # Listed durably before the parts it replaces go: at no point does the
        # manifest list a file that is not complete on disk.
        rewrite_manifest()
        for seg in inputs:
            assert seg.path is not None
            seg.path.unlink(missing_ok=True)
            seg.path.with_name(seg.path.name.replace(".parquet", ".index.arrow")).unlink(
                missing_ok=True
            )
        written += 1
        release_pool()
    return written


def _runs(parts: list[Segment]) -> list[tuple[int, int]]:
    """Runs ``[first, last)`` of consecutive parts to merge, from the end of the
    list backwards (so that merging one does not shift the next)."""
    runs: list[tuple[int, int]] = []
    first = 0
    rows = 0
    for i, seg in enumerate(parts):
        if seg.layout != BY_AGENT or seg.record is None or seg.path is None:
            first, rows = i + 1, 0
            continue
        rows += seg.rows
        if rows >= MERGED_EVENTS:
            if i + 1 - first > 1:
                runs.append((first, i + 1))
            first, rows = i + 1, 0
    if len(parts) - first > 1:
        runs.append((first, len(parts)))
    return runs[::-1]


def _agent_keys(inputs: list[Segment]) -> list[str | None]:
    """The agents of the merged part in its row order (model events first)."""
    names: set[str] = set()
    model = False
    for seg in inputs:
        names.update(seg.agents)
        model = model or bool(seg.count("agent", None))
    return ([None] if model else []) + sorted(names)


class _Cursor:
    """Reads one input part's rows in order, one row group at a time."""

    def __init__(self, store: EventStore, seg: Segment) -> None:
        assert seg.path is not None
        self.store = store
        self.path = seg.path
        self.bounds = store.group_bounds(seg.path)
        self.number = -1
        self.group: pa.Table | None = None

    def rows(self, first: int, n: int) -> list[pa.Table]:
        """Rows ``[first, first + n)`` of the part, as slices of its row groups."""
        out: list[pa.Table] = []
        stop = first + n
        while first < stop:
            g = int(np.searchsorted(self.bounds, first, side="right")) - 1
            if g != self.number:
                self.number = g
                self.group = stored(self.store.read_group(self.path, g))
            assert self.group is not None
            lo = first - int(self.bounds[g])
            take = min(stop, int(self.bounds[g + 1])) - first
            out.append(self.group.slice(lo, take))
            first += take
        return out


def _merge(store: EventStore, inputs: list[Segment], number: int) -> Segment:
    """Write the events of ``inputs`` (consecutive parts) as part ``number``,
    grouped by agent, with its index; return its segment."""
    folder = store.folder
    assert folder is not None
    path = folder / "events" / f"part-{number:05d}.parquet"
    index_path = path.with_name(f"part-{number:05d}.index.arrow")
    start = inputs[0].start
    keys = _agent_keys(inputs)
    blocks = {key: [seg.block(key) for seg in inputs] for key in keys}
    sizes = np.array([sum(n for _, n in blocks[key]) for key in keys], np.int64)
    ends = group_bounds(sizes[sizes > 0])
    cursors = [_Cursor(store, seg) for seg in inputs]
    others = [a for a in store.agents.values() if not isinstance(a, str)]
    with atomic_file(path, durable=True) as out, part_writer(out, others) as writer:
        pending: list[pa.Table] = []
        held = 0
        written = 0
        cut = iter(ends)
        target = next(cut, 0)
        for key in keys:
            for cursor, (first, n) in zip(cursors, blocks[key], strict=True):
                if n:
                    pending += cursor.rows(first, n)
                    held += n
            # Row groups end where group_bounds says (at an agent's end, or
            # cut in a long run), as in a part written from the log.
            while held and written + held >= target:
                table = pa.concat_tables(pending)
                size = target - written
                writer.write_table(table.slice(0, size), size)
                written += size
                # The input groups read and dropped would otherwise stay with
                # pyarrow's allocator: ~40 MB more resident by the end.
                release_pool()
                rest = table.slice(size)
                pending = [rest] if rest.num_rows else []
                held = rest.num_rows
                target = next(cut, written + held + 1)
    write_index(_merged_groupings(store, inputs), index_path)
    steps = [seg.record.steps for seg in inputs if seg.record is not None and seg.record.steps]
    seqs = [seg.record.seqs for seg in inputs if seg.record is not None and seg.record.seqs]
    record = PartRecord(
        number=number,
        start=start,
        rows=sum(seg.rows for seg in inputs),
        steps=(min(s[0] for s in steps), max(s[1] for s in steps)) if steps else None,
        seqs=(min(s[0] for s in seqs), max(s[1] for s in seqs)) if seqs else None,
        part=FileRecord.of(folder, path),
        index=FileRecord.of(folder, index_path),
    )
    merged = Segment(start=start, path=path, record=record, layout=BY_AGENT)
    for seg in inputs:
        assert seg.step_min is not None and seg.step_max is not None
        merged.absorb(seg.rows, dict(seg.agents), dict(seg.types), (seg.step_min, seg.step_max))
    store.verified.add(path)
    return merged


def _merged_groupings(store: EventStore, inputs: list[Segment]) -> dict[str, Grouping]:
    """The merged part's positions per agent, type and step (in event order),
    from the indexes of the parts it replaces."""
    start = inputs[0].start
    indexes = [store.part_index(seg) for seg in inputs]
    groupings: dict[str, Grouping] = {}
    for kind in KINDS:
        keys: dict[str, None] = {}
        for index in indexes:
            keys.update(dict.fromkeys(index.keys(kind)))
        values: list[Any] = list(keys)
        counts = np.zeros(len(values), np.int64)
        order: list[np.ndarray] = []
        for i, key in enumerate(values):
            for seg, index in zip(inputs, indexes, strict=True):
                found = index.get(kind, key)
                if found is not None:
                    order.append((found + (seg.start - start)).astype(np.int32))
                    counts[i] += len(found)
        positions = np.concatenate(order) if order else np.zeros(0, np.int32)
        groupings[kind] = (values, counts, positions)
    return groupings


def leftover(path: Path) -> str:
    """The note about a part that a closed recording's manifest does not list."""
    return f"{path} is not listed in the manifest (left by an interrupted merge of parts); ignored"

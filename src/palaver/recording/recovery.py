"""Opening stored events read-only, including the remains of a killed run.

A recording folder holds Parquet parts (complete by construction: each was
renamed into place) and at most one log of later events. A log whose part
already exists is a leftover of a run killed while rolling and is ignored; a
log cut in the middle of a batch (killed while writing) is read up to its last
whole batch.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from palaver.recording.errors import CorruptRecordingError
from palaver.recording.schema import EVENT_SCHEMA
from palaver.recording.segments import Segment, segment_of_table
from palaver.recording.storage import EventStore

_PART_RE = re.compile(r"part-(\d{5})\.parquet$")
_WAL_RE = re.compile(r"wal-(\d{5})\.arrows$")
_BASE_SCHEMA = EVENT_SCHEMA.remove_metadata()


def _numbers(folder: Path, pattern: re.Pattern[str]) -> list[int]:
    return sorted(int(m.group(1)) for p in folder.iterdir() if (m := pattern.search(p.name)))


def open_folder(folder: Path, strict: bool = True) -> EventStore:
    """The events of a recording folder as a read-only store (see ``open``)."""
    store = EventStore(None)
    store.folder = folder
    store.readonly = True
    events = folder / "events"
    parts = _numbers(events, _PART_RE)
    start = 0
    for number in parts:
        path = events / f"part-{number:05d}.parquet"
        try:
            seg = _open_part(store, path, start)
        except CorruptRecordingError as exc:
            if strict:
                raise CorruptRecordingError(
                    f"{exc}; open(..., strict=False) reads the intact parts"
                ) from None
            store.warn(str(exc))
            continue
        store.parts.append(seg)
        start = seg.end
    store.live = Segment(start=start)
    for number in _numbers(events, _WAL_RE):
        if number not in parts:
            _read_log(store, events / f"wal-{number:05d}.arrows")
    return store


def open_file(path: Path) -> EventStore:
    """A single events Parquet file (``save(format="parquet")``) as a read-only store."""
    store = EventStore(None)
    store.readonly = True
    seg = _open_part(store, path, 0)
    store.parts.append(seg)
    store.live = Segment(start=seg.end)
    return store


def _open_part(store: EventStore, path: Path, start: int) -> Segment:
    try:
        pf = pq.ParquetFile(path)
    except (OSError, pa.ArrowInvalid) as exc:
        raise CorruptRecordingError(f"{path} is truncated or not a Parquet file ({exc})") from None
    if pf.schema_arrow.remove_metadata() != _BASE_SCHEMA:
        raise CorruptRecordingError(
            f"{path} is a Parquet file but not a Palaver events table "
            f"(columns: {pf.schema_arrow.names})"
        )
    table = pf.read(columns=["index", "step", "event_type", "agent_id"])
    first = table["index"][0].as_py() if table.num_rows else start
    if first != start:
        raise CorruptRecordingError(
            f"{path} starts at event {first}, expected {start} (a part is missing)"
        )
    seg = segment_of_table(table, start, path)
    for key in seg.agents:
        store.agents.setdefault(key, key)
    store.remember(path, pf)
    return seg


def _read_log(store: EventStore, path: Path) -> None:
    good: list[pa.RecordBatch] = []
    try:
        with pa.OSFile(str(path)) as source:
            good.extend(ipc.open_stream(source))
    except (OSError, pa.ArrowInvalid) as exc:
        store.warn(
            f"{path}: torn or damaged tail ignored after {sum(b.num_rows for b in good)} "
            f"intact events ({exc}); this is expected after a killed run"
        )
    expected = store.live.end
    for batch in good:
        if batch.schema.remove_metadata() != _BASE_SCHEMA:
            raise CorruptRecordingError(f"{path} is not a Palaver events log")
        if batch.num_rows == 0:
            continue
        if batch.column(0)[0].as_py() != expected:
            store.warn(f"{path}: events from {expected} are missing; later ones skipped")
            break
        counted = segment_of_table(batch, 0, None)
        store.adopt(batch, counted)
        expected += batch.num_rows

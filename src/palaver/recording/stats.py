"""The ``stats`` table: numeric per-step statistics, from ``stats`` events.

Computed from the events when asked for, and written as ``stats.parquet``
when a recording is closed (checked against the manifest when read back).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from palaver._util.atomic import atomic_file
from palaver.recording.arrow import int64_array, string_array
from palaver.recording.errors import CorruptRecordingError
from palaver.recording.event import SimulationEvent
from palaver.recording.integrity import FileRecord, check_regular
from palaver.recording.storage import EventStore

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


def write_stats(store: EventStore, table: pa.Table) -> None:
    """Write ``stats.parquet`` into the store's recording folder, atomically and
    durably, and remember its checksum for the manifest."""
    assert store.folder is not None
    path = store.folder / "stats.parquet"
    with atomic_file(path, durable=True) as out:
        pq.write_table(table, out, write_page_checksum=True)
    store.files["stats.parquet"] = FileRecord.of(store.folder, path)


def read_stats(path: Path, record: FileRecord | None) -> pa.Table:
    """``stats.parquet``, checked against its manifest record and page checksums;
    :class:`CorruptRecordingError` naming it when damaged."""
    if record is not None:
        problem = record.problem(path.parent)
        if problem is not None:
            raise CorruptRecordingError(f"{path}: {problem}")
    check_regular(path)
    try:
        table = pq.read_table(path, page_checksum_verification=True)
        return table.cast(STATS_SCHEMA)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise CorruptRecordingError(f"{path} is damaged ({exc})") from None

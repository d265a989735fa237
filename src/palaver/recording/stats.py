"""The ``stats`` table: numeric per-step statistics, from ``stats`` events.

Computed from the events when asked for, and written as ``stats.parquet``
when a recording is closed (checked against the manifest when read back).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

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


class StatsRows:
    """The rows of the ``stats`` table, gathered one ``stats`` event at a time
    (a recorder gathers them as it records, so that closing a recording does
    not read the events back from every part)."""

    def __init__(self) -> None:
        #: The ``stats`` events gathered.
        self.events = 0
        self._steps: list[int] = []
        self._names: list[str] = []
        self._values: list[float] = []

    def add(self, step: int, content: Mapping[str, Any]) -> None:
        """Gather the numeric values of one ``stats`` event's content."""
        self.events += 1
        for name, value in content.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                self._steps.append(step)
                self._names.append(name)
                self._values.append(float(value))

    def table(self) -> pa.Table:
        """The gathered rows as the ``stats`` table."""
        floats = np.asarray(self._values, dtype=np.float64)
        columns = [
            int64_array(self._steps),
            string_array(self._names),
            pa.Array.from_buffers(pa.float64(), len(floats), [None, pa.py_buffer(floats)]),
        ]
        return pa.Table.from_arrays(columns, schema=STATS_SCHEMA)


def stats_table(events: Iterable[SimulationEvent]) -> pa.Table:
    """The numeric per-step statistics carried by ``stats`` events, in long form."""
    rows = StatsRows()
    for event in events:
        rows.add(event.step, event.content)
    return rows.table()


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

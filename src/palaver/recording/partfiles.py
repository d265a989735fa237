"""Opening a part's Parquet file, and reading one of its row groups."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from palaver.recording.errors import CorruptRecordingError
from palaver.recording.integrity import check_regular
from palaver.recording.log import ROW_GROUP
from palaver.recording.schema import EVENT_SCHEMA
from palaver.recording.segments import PartIndex, Segment, read_index

DICTIONARY_COLUMNS = ["agent_id", "event_type"]
"""Columns read from a row group as dictionaries (few distinct values)."""


def stored(table: pa.Table) -> pa.Table:
    """Rows read from a row group, with the stored schema (texts, not dictionaries)."""
    for name in DICTIONARY_COLUMNS:
        i = table.schema.get_field_index(name)
        if pa.types.is_dictionary(table.schema.field(i).type):
            table = table.set_column(i, EVENT_SCHEMA.field(name), table[name].cast(pa.string()))
    return table


def read_row_group(
    path: Path, metadata: pq.FileMetaData, number: int, verify_pages: bool
) -> pa.Table:
    """Row group ``number`` of the part at ``path`` (whose footer is
    ``metadata``), its ids and event types as dictionaries (see :func:`stored`);
    :class:`CorruptRecordingError` naming the file when it cannot be read."""
    # Opened for this read (footer already parsed, no descriptor kept): a
    # query over every part would otherwise cycle the 16 files kept open.
    # The ids and event types are read as dictionaries: turning each row
    # group's dictionary pages into one text per row was ~40% of reading
    # it, and a query keeps a few hundred of its rows. No pre-buffering:
    # it coalesces reads for remote storage and only copies more here. One
    # thread: Arrow's pool threads would each keep a malloc arena of
    # several MB resident after a ~1 ms read.
    try:
        check_regular(path)
        pf = pq.ParquetFile(
            path,
            metadata=metadata,
            read_dictionary=DICTIONARY_COLUMNS,
            pre_buffer=False,
            page_checksum_verification=verify_pages,
        )
        with pf:
            return pf.read_row_group(number, use_threads=False)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise CorruptRecordingError(f"{path} is damaged ({exc})") from None


def open_parquet(
    path: Path, verify_pages: bool = True, metadata: pq.FileMetaData | None = None
) -> pq.ParquetFile:
    """Open a Parquet file for reading, with its page checksums verified on every
    read unless ``verify_pages`` is false; :class:`CorruptRecordingError` naming
    it when it is not a readable Parquet file. ``metadata``: its footer, read
    before (not parsed again)."""
    check_regular(path)
    try:
        return pq.ParquetFile(path, metadata=metadata, page_checksum_verification=verify_pages)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise CorruptRecordingError(f"{path} is truncated or not a Parquet file ({exc})") from None


def read_part_index(path: Path, seg: Segment | None) -> PartIndex | None:
    """The index of the part ``path`` from its sidecar (``<part>.index.arrow``),
    checked against the part's counts per agent and type when its segment
    ``seg`` is known; ``None`` when there is no sidecar (a single exported
    file). :class:`CorruptRecordingError` naming the sidecar when it is damaged."""
    sidecar = path.with_name(path.name.replace(".parquet", ".index.arrow"))
    if not (sidecar.exists() or sidecar.is_symlink()):
        return None
    index = read_index(sidecar, None if seg is None else seg.rows)
    if seg is not None and (
        index.counts("agent") != dict(seg.agents) or index.counts("type") != dict(seg.types)
    ):
        raise CorruptRecordingError(
            f"{sidecar} disagrees with its part's events per agent and type"
        )
    return index


def part_batches(
    pf: pq.ParquetFile, path: Path, columns: list[str] | None
) -> Iterator[pa.RecordBatch]:
    """The rows of the part ``path`` (open as ``pf``) batch by batch, as stored;
    :class:`CorruptRecordingError` naming it when it is damaged."""
    try:
        yield from pf.iter_batches(batch_size=ROW_GROUP, columns=columns, use_threads=False)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise CorruptRecordingError(f"{path} is damaged ({exc})") from None

"""Opening a part's Parquet file, and reading one of its row groups."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from palaver.recording.errors import CorruptRecordingError
from palaver.recording.integrity import check_regular
from palaver.recording.schema import EVENT_SCHEMA

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

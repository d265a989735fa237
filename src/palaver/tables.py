"""Tables to files and back: NegMAS's ``save_table`` and ``load_table`` (``negmas.helpers.inout``).

A table is a list of dicts (one per row), a list of tuples or lists with
``columns`` naming them, or a pandas ``DataFrame``. It is written as CSV,
gzip-compressed CSV or Parquet (the default, :data:`DEFAULT_TABLE_STORAGE_FORMAT`),
with pyarrow; pandas is needed only to pass or get a ``DataFrame``. Files are
written atomically, with retries (``safe_write_file``).

The functions live in ``palaver._util.tables`` so that every layer (the
mechanisms' saved runs among them) can use them; this is their public home.
"""

from __future__ import annotations

from palaver._util.tables import (
    DEFAULT_TABLE_STORAGE_FORMAT,
    TableStorageFormat,
    load_table,
    safe_write_file,
    save_table,
)

__all__ = [
    "DEFAULT_TABLE_STORAGE_FORMAT",
    "TableStorageFormat",
    "load_table",
    "safe_write_file",
    "save_table",
]

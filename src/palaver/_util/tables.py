"""Tables to files and back (public home: :mod:`palaver.tables`).

A table is a list of dicts (one per row), a list of tuples or lists with
``columns`` naming them, or a pandas ``DataFrame``. It is written as CSV,
gzip-compressed CSV or Parquet (the default, :data:`DEFAULT_TABLE_STORAGE_FORMAT`),
with pyarrow; pandas is needed only to pass or get a ``DataFrame``.
"""

from __future__ import annotations

import csv
import gzip
import io
import numbers
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from palaver._util.optional import frame_library

__all__ = ["DEFAULT_TABLE_STORAGE_FORMAT", "TableStorageFormat", "load_table", "save_table"]

#: The formats :func:`save_table` writes.
TableStorageFormat = Literal["csv", "gzip", "parquet"]
#: The format :func:`save_table` writes when none is given (NegMAS's default).
DEFAULT_TABLE_STORAGE_FORMAT: TableStorageFormat = "parquet"


def _is_frame(data: object) -> bool:
    return hasattr(data, "to_csv") and hasattr(data, "columns") and hasattr(data, "to_dict")


def _rows(
    data: Any, columns: Sequence[str] | None, index: bool, index_label: str | None
) -> tuple[list[str], list[list[Any]]]:
    """The column names and the rows of ``data`` (checked as NegMAS checks them)."""
    if _is_frame(data):
        frame = data.reset_index() if index else data
        names = [str(c) for c in frame.columns]
        if index:
            names[0] = index_label or names[0]
        return names, frame.to_numpy(dtype=object).tolist()
    if not isinstance(data, list):
        raise ValueError(
            f"Unsupported data type: {type(data)}. "
            "Expected DataFrame, list of dicts, or list of tuples/lists."
        )
    if not data:
        return list(columns or ()), []
    first = data[0]
    if isinstance(first, dict):
        names_seen: dict[str, None] = {}
        for row in data:
            names_seen.update(dict.fromkeys(row))
        names = list(names_seen)
        return names, [[row.get(k) for k in names] for row in data]
    if isinstance(first, tuple | list):
        if columns is None:
            raise ValueError("columns parameter is required when data is a list of tuples/lists")
        return list(columns), [list(row) for row in data]
    raise ValueError(
        f"Unsupported list element type: {type(first)}. Expected dict, tuple, or list."
    )


def _csv_text(names: list[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(rows)
    return out.getvalue()


def _parquet_value(value: Any) -> Any:
    # Parquet holds scalars; anything else (a tuple, an object) is kept as its text.
    if value is None or isinstance(value, str | bytes | bool | numbers.Real):
        return value
    return str(value)


def save_table(
    data: Any,
    path: Path | str,
    *,
    columns: list[str] | None = None,
    index: bool = False,
    index_label: str | None = "index",
    storage_format: TableStorageFormat | None = None,
) -> Path:
    """Write ``data`` to ``path`` and return the path written.

    Args:
        data: A list of dicts, a list of tuples or lists (with ``columns``),
            or a pandas ``DataFrame``.
        path: Where to write; the folders above it are made. ``"gzip"``
            appends ``.gz`` when missing, ``"parquet"`` sets the suffix
            ``.parquet``.
        columns: The column names of a list of tuples or lists (required
            then); of an empty list, the header written.
        index: Write a ``DataFrame``'s index as the first column.
        index_label: That column's name.
        storage_format: ``"csv"``, ``"gzip"`` (compressed CSV) or
            ``"parquet"`` (default :data:`DEFAULT_TABLE_STORAGE_FORMAT`).

    Raises:
        ValueError: For data of another kind, a list of tuples without
            ``columns``, or an unknown format.
    """
    fmt = DEFAULT_TABLE_STORAGE_FORMAT if storage_format is None else storage_format
    if fmt not in ("csv", "gzip", "parquet"):
        raise ValueError(f"Unknown storage_format: {fmt!r}. Expected 'csv', 'gzip', or 'parquet'.")
    names, rows = _rows(data, columns, index, index_label)
    target = Path(path).expanduser().absolute()
    if fmt == "gzip" and target.suffix != ".gz":
        target = Path(f"{target}.gz")
    elif fmt == "parquet" and target.suffix != ".parquet":
        target = target.with_suffix(".parquet")
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        target.write_text(_csv_text(names, rows), encoding="utf-8")
    elif fmt == "gzip":
        with gzip.open(target, "wt", encoding="utf-8", newline="") as f:
            f.write(_csv_text(names, rows))
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table(
            {name: [_parquet_value(row[i]) for row in rows] for i, name in enumerate(names)}
        )
        pq.write_table(table, target)
    return target


def load_table(path: Path | str, *, as_dataframe: bool = True) -> Any:
    """Read a table :func:`save_table` wrote (the format from the suffix:
    ``.csv``, ``.gz``, ``.parquet``): a pandas ``DataFrame``, or with
    ``as_dataframe=False`` a list of dicts (no pandas needed).

    Raises:
        FileNotFoundError: When ``path`` does not exist.
        ValueError: For another suffix.
    """
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    source = Path(path).expanduser().absolute()
    if not source.exists():
        raise FileNotFoundError(f"no table at {source}")
    if source.suffix == ".parquet":
        table = pq.read_table(source)
    elif source.suffix in (".csv", ".gz"):
        table = pcsv.read_csv(source)
    else:
        raise ValueError(f"cannot tell the format of {source}: use .csv, .csv.gz or .parquet")
    if not as_dataframe:
        rows: list[dict[str, Any]] = table.to_pylist()
        return rows
    frame_library("pandas", "load_table(as_dataframe=True)", "as_dataframe=False")
    return table.to_pandas()

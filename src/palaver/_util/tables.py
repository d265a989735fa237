"""Tables to files and back (public home: :mod:`palaver.tables`).

A table is a list of dicts (one per row), a list of tuples or lists with
``columns`` naming them, or a pandas ``DataFrame``. It is written as CSV,
gzip-compressed CSV or Parquet (the default, :data:`DEFAULT_TABLE_STORAGE_FORMAT`),
with pyarrow; pandas is needed only to pass or get a ``DataFrame``.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import numbers
import os
import random
import secrets
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from palaver._util.optional import frame_library
from palaver._util.warning_types import NegmasIOWarning, warn

__all__ = [
    "DEFAULT_TABLE_STORAGE_FORMAT",
    "TableStorageFormat",
    "load_table",
    "safe_write_file",
    "save_table",
]

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


def _kind(value: Any) -> type:
    """The Parquet kind of a scalar: text, bytes, flag or number."""
    for kind in (str, bytes, bool):
        if isinstance(value, kind):
            return kind
    return numbers.Real


def _parquet_column(values: list[Any]) -> list[Any]:
    """A column's values as Parquet can hold them: scalars of one kind, so a
    column mixing numbers and texts (``[5, "x"]``) is written as texts."""
    out = [_parquet_value(v) for v in values]
    if len({_kind(v) for v in out if v is not None}) > 1:
        return [None if v is None else str(v) for v in out]
    return out


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

    def write_csv(where: Path) -> None:
        where.write_text(_csv_text(names, rows), encoding="utf-8")

    if fmt == "csv":
        return safe_write_file(write_csv, target)
    if fmt == "gzip":

        def write_gzip(where: Path) -> None:
            with gzip.open(where, "wt", encoding="utf-8", newline="") as f:
                f.write(_csv_text(names, rows))

        return safe_write_file(write_gzip, target)
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {name: _parquet_column([row[i] for row in rows]) for i, name in enumerate(names)}
    )
    return safe_write_file(
        lambda where: pq.write_table(table, where),
        target,
        fallback_func=write_csv,
        fallback_path=target.with_suffix(".csv"),
    )


def _replace_with(write_func: Callable[[Path], None], path: Path) -> None:
    """``write_func`` writing a temporary file next to ``path`` that then replaces it
    (a reader never sees half a table); the temporary file never stays behind."""
    tmp = path.with_name(f"{path.stem}_{secrets.token_hex(6)}.tmp")
    try:
        write_func(tmp)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def safe_write_file(
    write_func: Callable[[Path], None],
    path: Path,
    *,
    max_retries: int = 3,
    base_delay: float = 0.1,
    fallback_func: Callable[[Path], None] | None = None,
    fallback_path: Path | None = None,
) -> Path:
    """Write ``path`` with ``write_func(some_path)`` atomically, retrying on ``OSError``
    (NegMAS's ``safe_write_file``); return the path written.

    ``write_func`` writes a temporary file in ``path``'s folder, which then
    replaces ``path``. A write that raises an ``OSError`` (a file another
    process holds, a full disk) is tried up to ``max_retries`` times in all,
    waiting ``base_delay * 2**k`` seconds plus up to half as much again at
    random after the k-th failure. When every try failed, ``fallback_func``
    writes ``fallback_path`` instead (with a ``NegmasIOWarning`` naming both
    paths and the error) when both are given; otherwise the last error is raised.
    """
    target = Path(path)
    last: OSError | None = None
    for attempt in range(max_retries):
        try:
            _replace_with(write_func, target)
            return target
        except OSError as exc:
            last = exc
            if attempt + 1 < max_retries:
                delay = base_delay * 2**attempt
                time.sleep(delay + random.uniform(0, delay / 2))
    if fallback_func is not None and fallback_path is not None:
        warn(
            f"Could not write {target} ({last}). Falling back to: {fallback_path}",
            NegmasIOWarning,
            stacklevel=3,
        )
        _replace_with(fallback_func, Path(fallback_path))
        return Path(fallback_path)
    if last is None:
        raise ValueError(f"safe_write_file: max_retries must be at least 1, got {max_retries!r}")
    raise last


def _alternative(source: Path) -> Path | None:
    """The same table saved in another format (``.csv``, ``.parquet``, ``.csv.gz``)."""
    stem = source.name
    for ext in (".csv.gz", ".parquet", ".csv", ".gz"):
        if stem.endswith(ext):
            stem = stem[: -len(ext)]
            break
    for ext in (".csv", ".parquet", ".csv.gz"):
        candidate = source.with_name(stem + ext)
        if candidate.exists():
            return candidate
    return None


def load_table(
    path: Path | str, *, as_dataframe: bool = True, try_alternatives: bool = True
) -> Any:
    """Read a table :func:`save_table` wrote (the format from the suffix:
    ``.csv``, ``.gz``, ``.parquet``): a pandas ``DataFrame``, or with
    ``as_dataframe=False`` a list of dicts (no pandas needed).

    With ``try_alternatives``, a missing ``path`` is read from the same name
    in another format when there is one (``data.parquet`` from ``data.csv``,
    as :func:`save_table` falls back to), with a ``NegmasIOWarning`` naming both.

    Raises:
        FileNotFoundError: When ``path`` (and any alternative) does not exist.
        ValueError: For another suffix.
    """
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    source = Path(path).expanduser().absolute()
    if not source.exists():
        other = _alternative(source) if try_alternatives else None
        if other is None:
            raise FileNotFoundError(f"no table at {source}")
        warn(f"File not found: {source}. Loading from alternative: {other}", NegmasIOWarning)
        source = other
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

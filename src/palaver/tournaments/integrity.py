"""Checksums and atomic writes for the files of tournament folders.

Every Parquet part is written with page checksums (CRC-32 of each page, checked
on every read) and its SHA-256 is recorded by whatever lists it (a world's row,
a manifest line), so a flipped bit anywhere in a part, footer included, is
detected instead of read as a different number. JSON files carry the SHA-256
of their own canonical content. Every file is written to an exclusive
temporary file and renamed over its target (:mod:`palaver._util.atomic`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from palaver._util import jsontext
from palaver._util.atomic import write_bytes
from palaver._util.files import FileKindError, read_regular

__all__ = [
    "CHECK",
    "SCAN",
    "content_digest",
    "encode_part",
    "file_digest",
    "read_checked_json",
    "write_checked_json",
    "write_part",
]

#: The key under which a JSON file stores the SHA-256 of the rest of its content.
CHECK = "sha256"

#: Scan options that verify page checksums while reading parts.
SCAN = ds.ParquetFragmentScanOptions(page_checksum_verification=True)


def encode_part(table: pa.Table, **options: Any) -> tuple[bytes, str]:
    """``table`` as Parquet bytes with page checksums, and their SHA-256
    (``options`` go to ``pyarrow.parquet.write_table``)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, write_page_checksum=True, **options)
    data = sink.getvalue().to_pybytes()
    return data, hashlib.sha256(data).hexdigest()


def write_part(table: pa.Table, path: Path) -> str:
    """Write ``table`` to ``path`` atomically (see :func:`encode_part`); its SHA-256."""
    data, digest = encode_part(table)
    write_bytes(path, data)
    return digest


def file_digest(path: Path) -> str:
    """The SHA-256 of a regular file's bytes (``OSError`` when it cannot be read)."""
    return hashlib.sha256(read_regular(path)).hexdigest()


def content_digest(data: dict[str, Any]) -> str:
    """The SHA-256 of ``data``'s canonical JSON, its ``CHECK`` key left out."""
    rest = {k: v for k, v in data.items() if k != CHECK}
    text = json.dumps(rest, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def write_checked_json(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` and the SHA-256 of its content to ``path`` atomically.

    The file is strict JSON: NaN and the infinities (a world parameter of
    ``math.inf``) are written as text, and the checksum covers that text, so
    the file reads back to what it was computed over.
    """
    rest = jsontext.finite({k: v for k, v in data.items() if k != CHECK})
    body = {**rest, CHECK: content_digest(rest)}
    write_bytes(path, jsontext.dumps(body, indent=2, default=str).encode("utf-8"))


def read_checked_json(
    path: Path,
    error: type[Exception],
    legacy: Callable[[dict[str, Any]], bool] | None = None,
) -> dict[str, Any]:
    """The JSON object in ``path``, its checksum verified; ``error`` naming the file
    when it cannot be read, is not a JSON object, or fails its checksum. A file
    without a checksum passes only when ``legacy(data)`` says an older Palaver
    wrote it (so a flipped bit in the key's name is not a way around the check)."""
    try:
        data = json.loads(read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        raise error(f"{path} is missing") from None
    except FileKindError as exc:
        raise error(str(exc)) from None
    except OSError as exc:
        raise error(f"{path} cannot be read ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise error(f"{path} cannot be read: it is damaged (not JSON: {exc})") from None
    if not isinstance(data, dict):
        raise error(f"{path} is damaged (not a JSON object)")
    if CHECK not in data:
        if legacy is None or not legacy(data):
            raise error(f"{path} is damaged (its checksum is missing)")
        return data
    if data[CHECK] != content_digest(data):
        raise error(f"{path} is damaged (checksum mismatch)")
    return {k: v for k, v in data.items() if k != CHECK}

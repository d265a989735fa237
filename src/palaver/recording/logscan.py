"""Reading a write-ahead log back, batch by batch, skipping what is damaged.

Each batch of a log carries a checksum of its serialised bytes (see
:func:`palaver.recording.log.batch_checksum`; logs written before it carry
:func:`~palaver.recording.log.batch_sum`, checked as well). After a damaged message,
reading resumes at the next message that passes its checksum. A log that ends
inside a message (its header, or the body length its header declares, runs past
the end of the file) has a *torn tail*: that message and any that followed are
lost, and nothing in the file says how many there were (a killed process tears
at most the batch it was writing, but a power cut loses whatever was not yet on
the disk, and a truncated copy anything). Whether a torn tail is acceptable is
decided by the caller (see :func:`palaver.recording.recovery.open_folder`).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

from palaver.recording.arrow import numpy_values
from palaver.recording.errors import CorruptRecordingError
from palaver.recording.integrity import check_regular
from palaver.recording.log import CHECKSUM_KEY, SUM_KEY, batch_checksum, batch_sum
from palaver.recording.schema import EVENT_SCHEMA

_BASE_SCHEMA = EVENT_SCHEMA.remove_metadata()
_CONTINUATION = b"\xff\xff\xff\xff"
_SCHEMA_MESSAGE = EVENT_SCHEMA.serialize().to_pybytes()


@dataclass
class LogRun:
    """A run of intact, consecutive batches of a log."""

    first: int  # index of its first event
    rows: int
    batches: list[pa.RecordBatch] = field(default_factory=list)


@dataclass
class LogDamage:
    """A damaged stretch of a log (index range when known); ``tail``: the torn
    tail of the log, whose end is unknown (see the module docstring)."""

    reason: str
    start: int | None = None
    stop: int | None = None
    tail: bool = False


def check_indexes(
    path: Path,
    index: pa.ChunkedArray | pa.Array,
    first: int,
    consecutive: bool = True,
    sort: bool = False,
) -> None:
    """Raise unless the event indexes are ``first``, ``first + 1``, ... (or, for
    an export of a salvaged recording, at least increasing); ``sort``: once put
    in order (a part laid out by agent)."""
    if isinstance(index, pa.ChunkedArray):
        index = index.combine_chunks()
    values = numpy_values(index, np.int64) if len(index) else np.zeros(0, np.int64)
    if sort:
        values = np.sort(values)
    if consecutive:
        ok = np.array_equal(values, np.arange(first, first + len(index), dtype=np.int64))
    else:
        ok = bool((values[1:] > values[:-1]).all()) and (not len(values) or values[0] >= 0)
    if index.null_count or not ok:
        raise CorruptRecordingError(f"{path} does not hold consecutive events from {first}")


def log_batch(message: bytes) -> pa.RecordBatch:
    """The batch of one encapsulated log message, checked against its checksum."""
    reader = ipc.open_stream(pa.py_buffer(_SCHEMA_MESSAGE + message))
    batch, meta = reader.read_next_batch_with_custom_metadata()
    if meta is not None and CHECKSUM_KEY.encode() in meta:
        expected, actual = meta[CHECKSUM_KEY.encode()], batch_checksum(batch)
    elif meta is not None and SUM_KEY.encode() in meta:  # a log written before the CRC
        expected, actual = meta[SUM_KEY.encode()], batch_sum(batch)
    else:
        raise ValueError("no checksum")
    if actual.encode() != expected:
        raise ValueError("checksum mismatch")
    batch.validate(full=True)  # what passed its checksum is what was written: valid
    if batch.schema.remove_metadata() != _BASE_SCHEMA:
        raise ValueError("not a Palaver events batch")
    return batch


def cut_by_end(data: bytes, pos: int) -> bool:
    """Whether the end of ``data`` cuts the message that starts at ``pos``: the
    message's header is cut, or the body length its header declares runs past
    the end. ``False`` when the bytes at ``pos`` are not a message's start."""
    rest = len(data) - pos
    if rest < 8:
        return data[pos : pos + 4] == _CONTINUATION[: min(rest, 4)]
    size: int = struct.unpack_from("<i", data, pos + 4)[0]
    if data[pos : pos + 4] != _CONTINUATION or size <= 0:
        return False
    if rest < 8 + size:
        return True
    try:
        body = _body_length(data[pos + 8 : pos + 8 + size])
    except (struct.error, ValueError):
        return False
    return rest < 8 + size + body


def _body_length(meta: bytes) -> int:
    """The ``bodyLength`` of an IPC ``Message`` flatbuffer (field 3 of its root
    table; ``struct.error`` or ``ValueError`` when ``meta`` is not one)."""
    (root,) = struct.unpack_from("<I", meta, 0)
    (back,) = struct.unpack_from("<i", meta, root)
    vtable = root - back
    if vtable < 0:
        raise ValueError("vtable outside the message")
    (vtable_size,) = struct.unpack_from("<H", meta, vtable)
    if vtable_size < 12:
        return 0  # the field is absent: no body
    (offset,) = struct.unpack_from("<H", meta, vtable + 10)
    if not offset:
        return 0
    (length,) = struct.unpack_from("<q", meta, root + offset)
    if length < 0:
        raise ValueError("negative body length")
    return int(length)


def read_log(path: Path) -> tuple[list[LogRun], list[LogDamage]]:
    """The intact runs of batches of a log, and its damaged stretches.

    After a damaged message, reading resumes at the next message that passes
    its checksum. A torn tail (see the module docstring) is a damage with
    ``tail`` set, from the first event not read to an unknown end.
    """
    check_regular(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [LogDamage(f"cannot be read ({exc})")]
    pieces: list[LogRun] = []
    damages: list[LogDamage] = []
    pos = len(_SCHEMA_MESSAGE) if data.startswith(_SCHEMA_MESSAGE) else 0
    # A log cut inside its schema message (or empty) is torn at its start.
    bad_from: int | None = None if pos else 0
    torn = not pos and _SCHEMA_MESSAGE.startswith(data)
    expected: int | None = None
    while pos < len(data):
        source = pa.BufferReader(pa.py_buffer(data))
        source.seek(pos)
        try:
            message = ipc.read_message(source)
            end = source.tell()
            if message.type != "record batch":
                raise ValueError(f"unexpected {message.type} message")
            batch = log_batch(data[pos:end])
            first: int = batch.column(0)[0].as_py() if batch.num_rows else (expected or 0)
            check_indexes(path, batch.column(0), first)
        except EOFError:  # the end-of-stream marker: the log was closed
            break
        except (OSError, ValueError, CorruptRecordingError, pa.ArrowException):
            if bad_from is None:
                bad_from = pos
                torn = cut_by_end(data, pos)
            following = data.find(_CONTINUATION, pos + 1)
            if following < 0:
                break
            pos = following
            continue
        if bad_from is not None:
            damages.append(LogDamage(f"damaged bytes {bad_from}..{pos - 1}", expected, first))
            bad_from = None
        if batch.num_rows:
            if pieces and first == expected:
                pieces[-1].batches.append(batch)
                pieces[-1].rows += batch.num_rows
            else:
                pieces.append(LogRun(first, batch.num_rows, [batch]))
            expected = first + batch.num_rows
        pos = end
    if bad_from is not None:
        damages.append(
            _tail(len(data), bad_from, expected)
            if torn
            else LogDamage(f"damaged from byte {bad_from} on", expected)
        )
    return pieces, damages


def _tail(size: int, bad_from: int, expected: int | None) -> LogDamage:
    """The damage of a torn tail that starts at byte ``bad_from`` of ``size``."""
    if not size:
        where = "is empty: any batch it held is lost"
    elif bad_from < len(_SCHEMA_MESSAGE):
        where = f"ends inside its schema ({size} bytes): any batch it held is lost"
    else:
        after = "its schema" if expected is None else "the last intact batch"
        where = (
            f"ends inside a batch ({size - bad_from} bytes after {after}): "
            "that batch and any after it are lost"
        )
    return LogDamage(
        f"{where}, how many events is unknown (a killed run, a power cut or a truncated file)",
        expected,
        tail=True,
    )

"""Checksums of a recording's files, and what a damaged recording is missing.

What protects each file (see docs/recording.md, "Integrity"):

* ``manifest.json`` carries ``checksum``, the SHA-256 of its own canonical JSON
  (every other key), and a ``storage`` section listing each part with its first
  event, row count, step and sequence-number ranges, size and SHA-256, the same
  for its index sidecar, the open log and ``stats.parquet``;
* Parquet files carry page checksums (CRC-32 per page), verified on every read
  of a file whose SHA-256 was not checked against the manifest when opened;
* each batch of the write-ahead log carries a checksum of its serialised bytes;
* an index sidecar carries the CRC-32 of its arrays, and must agree with the
  counts of its part (otherwise it is rebuilt from the part).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from palaver._util import files
from palaver.recording.errors import CorruptRecordingError, RecordingChangedError

_CHUNK = 1 << 20


def check_regular(path: Path) -> os.stat_result:
    """``path``'s status; raise :class:`CorruptRecordingError` at once when it is
    not a regular file (a FIFO would block a reader forever)."""
    try:
        return files.check_regular(path, CorruptRecordingError)
    except OSError as exc:  # missing, no permission
        if isinstance(exc, FileNotFoundError) and replaced(path):
            raise RecordingChangedError(
                f"{path} is gone: its recorder merged it into a larger part after this "
                "reader listed it (closing a long recording merges its parts); nothing is "
                "lost, open the recording again"
            ) from None
        raise CorruptRecordingError(f"{path} cannot be read ({exc.strerror or exc})") from None


def replaced(path: Path) -> bool:
    """Whether ``path``, a part of a recording (or a part's index), is no longer
    listed by the recording's manifest: its recorder replaced it after whoever
    asks listed it. A part the manifest still lists and that is missing is
    damage, not this."""
    if path.parent.name != "events" or not path.name.startswith("part-"):
        return False
    part = path.name.replace(".index.arrow", ".parquet")
    try:
        text = (path.parent.parent / "manifest.json").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return f'"events/{part}"' not in text


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class FileRecord:
    """A file of a recording as the manifest lists it: name (relative to the
    recording folder), size in bytes and SHA-256."""

    name: str
    size: int
    sha256: str

    @classmethod
    def of(cls, folder: Path, path: Path) -> FileRecord:
        """The record of ``path`` as it is now."""
        return cls(path.relative_to(folder).as_posix(), path.stat().st_size, sha256_of(path))

    def problem(self, folder: Path) -> str | None:
        """What is wrong with the file now (``None``: it is as recorded)."""
        path = folder / self.name
        if not path.exists() and not path.is_symlink():
            return "missing"
        try:
            info = check_regular(path)
        except CorruptRecordingError as exc:
            return str(exc)
        if info.st_size != self.size:
            return f"{info.st_size} bytes where the manifest says {self.size}"
        if sha256_of(path) != self.sha256:
            return "content differs from its checksum in the manifest"
        return None

    def to_json(self) -> dict[str, Any]:
        """The manifest's form."""
        return {"file": self.name, "bytes": self.size, "sha256": self.sha256}

    @classmethod
    def from_json(cls, data: Any) -> FileRecord:
        """Parse the manifest's form (``ValueError`` when malformed)."""
        if not isinstance(data, dict):
            raise ValueError("a file record is not an object")
        name, size, digest = data.get("file"), data.get("bytes"), data.get("sha256")
        if not isinstance(name, str) or ".." in Path(name).parts or Path(name).is_absolute():
            raise ValueError(f"bad file name {name!r}")
        if type(size) is not int or size < 0 or not isinstance(digest, str) or len(digest) != 64:
            raise ValueError(f"bad size or checksum for {name!r}")
        return cls(name, size, digest)


def _range(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(type(v) is int for v in value)
        or value[0] > value[1]
    ):
        raise ValueError(f"bad range {value!r}")
    return value[0], value[1]


@dataclass(frozen=True)
class PartRecord:
    """A Parquet part as the manifest lists it."""

    number: int
    start: int
    rows: int
    steps: tuple[int, int] | None
    seqs: tuple[int, int] | None
    part: FileRecord
    index: FileRecord

    @property
    def stop(self) -> int:
        """One past the index of the part's last event."""
        return self.start + self.rows

    def to_json(self) -> dict[str, Any]:
        """The manifest's form."""
        return {
            "number": self.number,
            "start": self.start,
            "rows": self.rows,
            "steps": None if self.steps is None else list(self.steps),
            "seqs": None if self.seqs is None else list(self.seqs),
            "part": self.part.to_json(),
            "index": self.index.to_json(),
        }

    @classmethod
    def from_json(cls, data: Any) -> PartRecord:
        """Parse the manifest's form (``ValueError`` when malformed)."""
        if not isinstance(data, dict):
            raise ValueError("a part record is not an object")
        number, start, rows = data.get("number"), data.get("start"), data.get("rows")
        if not all(type(v) is int and v >= 0 for v in (number, start, rows)):
            raise ValueError(f"bad part number, start or rows: {number!r}, {start!r}, {rows!r}")
        assert isinstance(number, int) and isinstance(start, int) and isinstance(rows, int)
        return cls(
            number,
            start,
            rows,
            _range(data.get("steps")),
            _range(data.get("seqs")),
            FileRecord.from_json(data.get("part")),
            FileRecord.from_json(data.get("index")),
        )


@dataclass(frozen=True)
class MissingEvents:
    """Events of a recording that could not be read (see ``RecordingReader.missing``).

    Attributes:
        start: Index (``event_id`` number) of the first missing event.
        stop: One past the index of the last one; ``None`` when unknown (a
            torn, damaged or missing log, whose number of batches no file
            records; events that a run never closed counted but no file holds,
            which later events may have followed).
        steps: ``(first, last)`` step of the missing events, when known.
        seqs: ``(first, last)`` bus sequence number of the missing events,
            when known (world events only).
        files: The damaged or missing files, relative to the recording folder.
        reason: What is wrong with them.
    """

    start: int
    stop: int | None
    steps: tuple[int, int] | None
    seqs: tuple[int, int] | None
    files: tuple[str, ...]
    reason: str

    @property
    def count(self) -> int | None:
        """How many events are missing (``None`` when unknown)."""
        return None if self.stop is None else self.stop - self.start

    def __str__(self) -> str:
        span = (
            f"events {self.start}.."
            + ("(end unknown)" if self.stop is None else f"{self.stop - 1}")
            if self.stop != self.start + 1
            else f"event {self.start}"
        )
        extra = ""
        if self.steps is not None:
            extra += f", steps {self.steps[0]}..{self.steps[1]}"
        if self.seqs is not None:
            extra += f", seq {self.seqs[0]}..{self.seqs[1]}"
        return f"{span}{extra} missing ({self.reason})"


def canonical(data: Any) -> bytes:
    """The canonical JSON bytes of ``data`` (what the manifest checksum covers)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def seal(manifest: dict[str, Any]) -> dict[str, Any]:
    """``manifest`` with its ``checksum`` key (last)."""
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    return {**body, "checksum": "sha256:" + hashlib.sha256(canonical(body)).hexdigest()}


def unseal(path: Path, data: Any) -> dict[str, Any]:
    """Check a parsed manifest's checksum; return the manifest."""
    if not isinstance(data, dict):
        raise CorruptRecordingError(f"{path} is not a JSON object")
    checksum = data.pop("checksum", None)
    if checksum is None:
        raise CorruptRecordingError(f"{path} has no checksum")
    if checksum != "sha256:" + hashlib.sha256(canonical(data)).hexdigest():
        raise CorruptRecordingError(f"{path} does not match its checksum (it was modified)")
    return data

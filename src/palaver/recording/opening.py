"""Opening a recording for reading: a folder (also while another process
records it), its manifest, or a Parquet export, each checked against its
checksums before a :class:`~palaver.recording.reader.RecordingReader` reads it."""

from __future__ import annotations

import json
import os
import re
import time
from hashlib import sha256
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from palaver._util.checks import check_bool
from palaver.recording.checks import check_path
from palaver.recording.errors import CorruptRecordingError
from palaver.recording.export import INITIAL_STATE_KEY, MANIFEST_KEY
from palaver.recording.files import read_manifest
from palaver.recording.integrity import check_regular, unseal
from palaver.recording.reader import RecordingReader
from palaver.recording.recovery import Storage, open_file, open_folder
from palaver.recording.storage import EventStore

SID_KEY = b"palaver.simulation_id"
#: The events table's own metadata key, in every file written with its schema.
FORMAT_KEY = b"palaver.recording"
#: The key-value metadata a Parquet export carries (see ``export.write_parquet``).
_EXPORT_KEYS = frozenset({FORMAT_KEY, SID_KEY, b"palaver.agents", MANIFEST_KEY, INITIAL_STATE_KEY})


def _not_a_recording(path: Path, why: str) -> CorruptRecordingError:
    return CorruptRecordingError(
        f"{path} is not a Palaver recording ({why}); expected a recording folder "
        "(with manifest.json and events/), its manifest.json, or an events .parquet file"
    )


def _recordings_inside(path: Path) -> str:
    """What to open instead of ``path`` when it is the folder recordings are written
    into (a recorder's ``output_dir``), whose ``simulation_*`` folders are the
    recordings; ``""`` when it holds none."""
    found = sorted(p.name for p in path.glob("simulation_*") if (p / "events").is_dir())
    if not found:
        return ""
    named = ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
    example = path / found[0]
    return (
        f"; it is the folder recordings are written into (a recorder's output_dir) and "
        f"holds {len(found)}: {named}; open one of them, e.g. open({str(example)!r}), "
        "or the recorder's folder (recorder.folder)"
    )


def open(path: str | os.PathLike[str], strict: bool = True) -> RecordingReader:
    """Open a recording folder (or its ``manifest.json``, or an events ``.parquet``
    file written by ``save(format="parquet")``) for reading.

    Every file is checked against its checksums (see docs/recording.md,
    "Integrity"). Damage raises :class:`CorruptRecordingError` naming the file;
    with ``strict=False`` every intact event is read instead, and
    ``reader.missing`` lists the events that could not be (also issued as a
    :class:`RecordingWarning`). One loss does not raise: a recording never
    closed (a killed run) whose log ends inside a batch, after every event its
    manifest counted, opens strictly too, with the events from the first one
    not read listed in ``reader.missing`` to an unknown end (``stop=None``) and
    a warning.
    """
    path = Path(check_path("path", path))
    check_bool("strict", strict)
    if not path.exists():
        raise FileNotFoundError(f"no recording at {path}")
    if path.name == "manifest.json" and not path.is_dir():
        path = path.parent
    if path.is_dir():
        return _open_folder(path, strict)
    check_regular(path)
    with path.open("rb") as f:
        magic = f.read(4)
    if magic != b"PAR1":
        why = "not a folder and not a Parquet file"
        if magic[:1] == b"{":
            # save("x.json") writes the classic JSON layout, an export for other
            # tools, not a recording open() reads.
            why += (
                "; it looks like a JSON export (save(..., format='json')), read with "
                "json.load or palaver.report.AgentViewer"
            )
        raise _not_a_recording(path, why)
    store = open_file(path)
    try:
        footer = pq.read_metadata(path)
        meta = footer.schema.to_arrow_schema().metadata or {}
        # Parquet's page checksums do not cover the footer: its row counts say
        # where each row group's events are, and a flipped one read as others.
        grouped = sum(footer.row_group(i).num_rows for i in range(footer.num_row_groups))
        if not grouped == footer.num_rows == store.count:
            raise ValueError(
                f"its row groups count {grouped} rows, its footer {footer.num_rows}, "
                f"its columns {store.count}"
            )
        if FORMAT_KEY not in meta:
            raise ValueError(f"its {FORMAT_KEY.decode()} metadata is gone")
        # A damaged key name would make its value look absent (an export
        # without a manifest is an older one, read without it).
        unknown = sorted(k.decode(errors="replace") for k in meta if k not in _EXPORT_KEYS)
        if unknown:
            raise ValueError(f"its metadata holds keys an export never has: {unknown}")
        sid = meta.get(SID_KEY, path.stem.encode()).decode()
        agents = json.loads(meta.get(b"palaver.agents", b"[]"))
        if not isinstance(agents, list):
            raise ValueError("palaver.agents is not a list")
        # A file exported by a recorder carries its manifest (older ones do not).
        manifest = json.loads(meta.get(MANIFEST_KEY, b"{}"))
        if not isinstance(manifest, dict):
            raise ValueError(f"{MANIFEST_KEY.decode()} is not an object")
        initial = meta.get(INITIAL_STATE_KEY)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise CorruptRecordingError(f"{path} has damaged metadata ({exc})") from None
    if "checksum" in manifest:  # exports written before it carried none
        manifest = _checked_export(path, manifest, store.count, sid, agents, initial)
    for original in agents:
        store.agents[str(original)] = original
    reader = RecordingReader(path, store, {**manifest, "simulation_id": sid, "status": "exported"})
    if initial is not None:
        reader._embedded_initial = initial.decode("utf-8", errors="replace")
    return reader


def _checked_export(
    path: Path,
    manifest: dict[str, Any],
    rows: int,
    sid: str,
    agents: list[Any],
    initial: bytes | None,
) -> dict[str, Any]:
    """A Parquet export's manifest, checked: its checksum, and everything else the
    file's metadata holds against it (Parquet's page checksums cover the pages,
    not the footer: a flipped bit there read as fewer events, another status
    or agent ids of another type, without a word)."""
    where = f"{path} (its {MANIFEST_KEY.decode()} metadata)"
    manifest = unseal(Path(where), manifest)
    counted = (manifest.get("counts") or {}).get("events")
    problems = []
    if counted != rows:
        problems.append(f"holds {rows} events where its manifest counts {counted}")
    if manifest.get("simulation_id") != sid:
        problems.append(f"names simulation {sid!r}, its manifest {manifest.get('simulation_id')!r}")
    if manifest.get("agents") != agents:
        problems.append("lists other agents than its manifest")
    expected = manifest.get("initial_state_sha256")
    if expected is not None and (initial is None or sha256(initial).hexdigest() != expected):
        problems.append("carries initial states that differ from their checksum in its manifest")
    if problems:
        raise CorruptRecordingError(f"{path} is damaged: it " + "; it ".join(problems))
    return manifest


_LIVE_ATTEMPTS = 20
"""Times :func:`open` tries a recording whose recorder, in another process, moved
its files while they were being read (see :func:`_moved_meanwhile`)."""
_ROLL_WAIT = 2.0
"""Seconds to wait for a live recorder to list the part that replaced its log."""


def _manifest_signature(folder: Path) -> bytes | None:
    # Its text, not its inode and time: a rewrite may reuse both (an inode freed
    # by the rename, a coarse file-system clock) and keep the size.
    manifest = folder / "manifest.json"
    try:
        # Only a regular file is read: a FIFO there would block (open() refuses it).
        return manifest.read_bytes() if manifest.is_file() else None
    except OSError:
        return None


def _moved_meanwhile(folder: Path, seen: bytes | None) -> bool:
    """Whether a recorder still writing ``folder`` (in another process) rewrote
    its manifest while it was being opened, so that a failure to read a file
    the older manifest listed is that move, not damage.

    The recorder writes a part, deletes the log it replaces, then lists the
    part in a new manifest (and, closing a long recording, deletes the parts
    it merged after listing the merged one). A manifest already rewritten
    says so at once; a log gone whose part is there is a roll between its two
    last writes, and the new manifest follows within milliseconds.
    """
    if _manifest_signature(folder) != seen:
        return True
    try:
        listed = json.loads(seen or b"")["storage"]["log"]["file"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    log = folder / str(listed)
    number = re.fullmatch(r"events/wal-(\d+)\.arrows", str(listed))
    if number is None or log.exists():
        return False
    if not (folder / "events" / f"part-{number.group(1)}.parquet").exists():
        return False
    deadline = time.monotonic() + _ROLL_WAIT
    while time.monotonic() < deadline:
        time.sleep(0.005)
        if _manifest_signature(folder) != seen:
            return True
    return False


def _open_folder(path: Path, strict: bool) -> RecordingReader:
    """A reader of the recording folder ``path``, also while another process
    records it: a file moved by that recorder while it was read (a log rolled
    into a part) is read again from the recorder's next manifest."""
    for attempt in range(1, _LIVE_ATTEMPTS + 1):
        seen = _manifest_signature(path)
        try:
            return _open_folder_once(path, strict)
        except (CorruptRecordingError, OSError):
            if attempt == _LIVE_ATTEMPTS or not _moved_meanwhile(path, seen):
                raise
    raise AssertionError("unreachable")  # the loop returns or raises


def _open_folder_once(path: Path, strict: bool) -> RecordingReader:
    if not (path / "events").is_dir():
        raise _not_a_recording(path, "no events/ folder" + _recordings_inside(path))
    storage: Storage | None = None
    problem: str | None = None
    starting = not (path / "manifest.json").exists() and not any(
        p.name.endswith((".parquet", ".arrows")) for p in (path / "events").iterdir()
    )
    try:
        manifest = read_manifest(path / "manifest.json")
        storage = Storage.from_json(manifest["storage"])
    except CorruptRecordingError as exc:
        problem = str(exc)
    except ValueError as exc:
        problem = f"{path / 'manifest.json'} has a damaged storage section ({exc})"
    if starting:
        # A recorder killed while it started (before its first manifest): no
        # event was recorded, nothing is lost.
        problem = f"{path} has no manifest and no events: its recorder was killed while starting"
        strict = False
    if problem is not None:
        if strict:
            raise CorruptRecordingError(
                f"{problem}; open(..., strict=False) reads the events without it"
            )
        status = "recording" if starting else "unknown"
        manifest = {"simulation_id": path.name.removeprefix("simulation_"), "status": status}
    initial = path / "initial_state.json"
    if strict and os.path.lexists(initial):
        # Read only by a frames query, long after open(): a FIFO there would
        # block that query, so strict opening refuses it now.
        check_regular(initial)
    store = open_folder(
        path,
        storage,
        strict=strict,
        closed=problem is None and manifest["status"] != "recording",
    )
    if problem is not None:
        store.warn(problem if starting else f"{problem}; the events were read without it")
    if storage is not None:
        store.files = dict(storage.files)
        if manifest["status"] == "recording":
            _accept_rewritten(path, store)
    for original in manifest.get("agents", []):
        store.agents[str(original)] = original
    return RecordingReader(path, store, manifest)


def _accept_rewritten(folder: Path, store: EventStore) -> None:
    """In a recording never closed, a listed file that differs from its record
    (``initial_state.json`` is rewritten when the run starts) was replaced
    whole after the manifest was last written: a run killed between the two
    writes. It is read as it is (a file that does not decode is still an
    error when read), and named in ``store.rewritten``."""
    for name, record in list(store.files.items()):
        problem = record.problem(folder)
        if problem is not None and problem != "missing":
            del store.files[name]
            store.rewritten.append(name)

"""Opening stored events read-only: verified, and salvaged when damaged.

A recording folder holds Parquet parts (each renamed into place whole), at
most one write-ahead log of later events, and a manifest listing every part
with its checksum (see :mod:`palaver.recording.integrity`). Opening it checks
every part against the manifest, the page checksums and the continuity of the
event indexes, and every log batch against its checksum. Whatever fails is dropped
and reported as :class:`~palaver.recording.integrity.MissingEvents` (which
events, which steps, which sequence numbers, which file, why); every intact
part and every intact log batch after it are still read. A log whose part
exists (a run killed while rolling it) is ignored, unless that part is damaged:
then the log is read in its place.

A log that ends inside a batch (a *torn tail*, see
:mod:`palaver.recording.logscan`) is read up to that batch; the events from the
first one not read on are missing, to an unknown end (``stop=None``): nothing
says how many batches followed. A recording whose final manifest says it was
closed has no log of its own, so a torn log there is damage like any other. A
recording never closed (a killed run) may end in a torn tail: it still opens
strictly, with the loss in ``missing`` and a warning, as long as nothing the
manifest counted is lost (a killed process leaves every batch the manifest
counts on disk, so a loss below that count is damage).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from palaver._util.atomic import clean_leftovers
from palaver.recording.arrow import dictionary_codes, numpy_values
from palaver.recording.errors import CorruptRecordingError
from palaver.recording.integrity import (
    FileRecord,
    MissingEvents,
    PartRecord,
)
from palaver.recording.log import AGENTS_KEY, LAYOUT_BY_AGENT, LAYOUT_KEY
from palaver.recording.logscan import LogDamage, LogRun, check_indexes, read_log
from palaver.recording.schema import EVENT_SCHEMA
from palaver.recording.segments import BY_AGENT, IN_ORDER, Segment, segment_of_table
from palaver.recording.storage import EventStore, open_parquet

_PART_RE = re.compile(r"part-(\d{5})\.parquet$")
_WAL_RE = re.compile(r"wal-(\d{5})\.arrows$")
_BASE_SCHEMA = EVENT_SCHEMA.remove_metadata()


@dataclass
class Storage:
    """What the manifest says the events folder holds (its ``storage`` section)."""

    events: int = 0
    parts: dict[int, PartRecord] = field(default_factory=dict)
    log: tuple[str, int] | None = None
    files: dict[str, FileRecord] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any) -> Storage:
        """Parse the manifest's ``storage`` section (``ValueError`` when malformed)."""
        if not isinstance(data, dict):
            raise ValueError("storage is not an object")
        events = data.get("events")
        if type(events) is not int or events < 0:
            raise ValueError(f"bad event count {events!r}")
        parts = [PartRecord.from_json(p) for p in data.get("parts") or []]
        log = data.get("log")
        if log is not None:
            if (
                not isinstance(log, dict)
                or not isinstance(log.get("file"), str)
                or type(log.get("start")) is not int
            ):
                raise ValueError(f"bad log record {log!r}")
            log = (log["file"], log["start"])
        files = data.get("files") or {}
        if not isinstance(files, dict):
            raise ValueError("bad files record")
        return cls(
            events,
            {p.number: p for p in parts},
            log,
            {name: FileRecord.from_json(rec) for name, rec in files.items()},
        )


@dataclass
class _Piece:
    """A run of intact events: a part, or batches of a log."""

    first: int  # index of its first event
    rows: int
    table: pa.Table | None = None  # a part's counted columns
    path: Path | None = None
    record: PartRecord | None = None
    batches: list[pa.RecordBatch] = field(default_factory=list)
    agents: list[Any] = field(default_factory=list)  # non-string agent ids of a part
    layout: int = IN_ORDER  # a part's


@dataclass
class _Damage:
    """A file (or a stretch of one) whose events could not be read."""

    file: str
    reason: str
    start: int | None = None  # index range, when known
    stop: int | None = None
    record: PartRecord | None = None
    tail: bool = False  # a log's torn tail (see logscan.read_log)


def _numbers(folder: Path, pattern: re.Pattern[str]) -> list[int]:
    try:
        return sorted(int(m.group(1)) for p in folder.iterdir() if (m := pattern.search(p.name)))
    except OSError as exc:
        raise CorruptRecordingError(f"{folder} cannot be listed ({exc})") from None


def _read_part(path: Path, record: PartRecord | None, folder: Path | None) -> _Piece:
    """A part's counted columns, after checking it against its manifest record,
    its page checksums, the continuity of its indexes and its layout."""
    if record is not None and folder is not None:
        problem = record.part.problem(folder)
        if problem is not None:
            raise CorruptRecordingError(f"{path}: {problem}")
    pf = open_parquet(path, verify_pages=record is None)
    if pf.schema_arrow.remove_metadata() != _BASE_SCHEMA:
        raise CorruptRecordingError(
            f"{path} is a Parquet file but not a Palaver events table "
            f"(columns: {pf.schema_arrow.names})"
        )
    try:
        counted = ["index", "step", "event_type", "agent_id"]
        if record is None and folder is not None:
            # A part the manifest does not list (a run killed right after
            # writing it): read whole once, so that every page's checksum is
            # checked before SQL reads it (DuckDB does not check them).
            table = pf.read(use_threads=False).select(counted)
        else:
            table = pf.read(columns=counted, use_threads=False)
        meta = pf.schema_arrow.metadata or {}
        agents = json.loads(meta.get(AGENTS_KEY, b"[]"))
        if not isinstance(agents, list):
            raise ValueError("bad agent list")
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise CorruptRecordingError(f"{path} is damaged ({exc})") from None
    layout = BY_AGENT if meta.get(LAYOUT_KEY) == LAYOUT_BY_AGENT else IN_ORDER
    if layout == BY_AGENT:
        check_agent_order(path, table)
    index = table["index"].combine_chunks()
    if index.null_count:
        raise CorruptRecordingError(f"{path} has events without an index")
    first = (
        int(numpy_values(index, np.int64).min())
        if table.num_rows
        else (record.start if record else 0)
    )
    check_indexes(path, index, first, consecutive=folder is not None, sort=layout == BY_AGENT)
    if record is not None and (first, table.num_rows) != (record.start, record.rows):
        raise CorruptRecordingError(
            f"{path} holds events {first}..{first + table.num_rows - 1}, the manifest says "
            f"{record.start}..{record.stop - 1}"
        )
    return _Piece(
        first, table.num_rows, table=table, path=path, record=record, agents=agents, layout=layout
    )


def check_agent_order(path: Path, table: pa.Table) -> None:
    """Raise unless the rows are laid out by agent (see
    :data:`~palaver.recording.segments.BY_AGENT`): reads rely on it to find an
    agent's rows from the counts alone."""
    codes, keys = dictionary_codes(table["agent_id"].combine_chunks())
    ranked = sorted(range(len(keys)), key=lambda i: keys[i])
    rank = np.empty(len(keys) + 1, np.int64)
    rank[np.array(ranked, np.int64)] = np.arange(len(keys))
    rank[-1] = -1  # code -1 (no agent) sorts first
    ranks = rank[codes]
    index = table["index"].combine_chunks()
    values = numpy_values(index, np.int64) if len(index) else np.zeros(0, np.int64)
    same = ranks[1:] == ranks[:-1]
    ok = bool(((ranks[1:] > ranks[:-1]) | (same & (values[1:] > values[:-1]))).all())
    if not ok or index.null_count:
        raise CorruptRecordingError(f"{path} says its rows are grouped by agent, and they are not")


def open_folder(
    folder: Path,
    storage: Storage | None,
    strict: bool = True,
    closed: bool = False,
) -> EventStore:
    """The events of a recording folder as a read-only store (see ``open``).

    ``storage`` is what the manifest says the folder holds (``None``: no usable
    manifest); ``closed`` that the manifest is the final one of a closed
    recording, which lists every part and counts every event: a part it does
    not list is a leftover of an interrupted merge (see
    :mod:`palaver.recording.compaction`) and is ignored. Missing events are
    listed in ``store.missing`` (and issued as a warning); with ``strict`` they
    raise :class:`CorruptRecordingError`, unless the recording was never closed
    and the only loss is its log's torn tail, after every event the manifest
    counted (see the module docstring).
    """
    store = EventStore(None)
    for where in (folder, folder / "events"):
        store.cleaned += clean_leftovers(where)
    store.folder = store.source = folder
    store.readonly = True
    events = folder / "events"
    listed = storage.parts if storage is not None else {}
    on_disk = _numbers(events, _PART_RE)
    logs = _numbers(events, _WAL_RE)
    pieces: list[_Piece] = []
    damages: list[_Damage] = []
    good: set[int] = set()
    for number in sorted(set(on_disk) | set(listed)):
        record = listed.get(number)
        path = events / f"part-{number:05d}.parquet"
        name = f"events/{path.name}"
        if number not in on_disk and not path.is_symlink():
            damages.append(_Damage(name, "is missing", *_span(record), record))
            continue
        if record is None and closed and storage is not None:
            store.leftovers.append(path)
            continue
        try:
            pieces.append(_read_part(path, record, folder))
            good.add(number)
        except CorruptRecordingError as exc:
            damages.append(_Damage(name, _why(exc, path), *_span(record), record))
    last_good = max(good, default=-1)
    for number in logs:
        path = events / f"wal-{number:05d}.arrows"
        if number in good or (closed and number < last_good):
            # A leftover of a run killed while rolling the log into its part,
            # or, in a closed recording, of a part since merged. In a recording
            # never closed nothing merges: a higher-numbered part that does not
            # hold the log's events (a stray file) must not hide them.
            continue
        found, broken = read_log(path)
        if _never_started(found, broken, f"events/{path.name}", storage, closed):
            store.unstarted.append(f"events/{path.name}")
            continue
        pieces += [_Piece(run.first, run.rows, batches=run.batches) for run in found]
        damages += [
            _Damage(f"events/{path.name}", d.reason, d.start, d.stop, tail=d.tail) for d in broken
        ]
    if storage is not None and storage.log is not None:
        name, start = storage.log
        if not (folder / name).exists() and not any(
            p.first <= start < p.first + p.rows for p in pieces
        ):
            damages.append(_Damage(name, "is missing", start, None))
    counted = storage.events if storage is not None else 0
    _assemble(store, pieces, damages, counted, closed)
    if store.missing:
        summary = "; ".join(str(m) for m in store.missing)
        store.torn_tail_only = not closed and _only_torn_tail(store.missing, damages, counted)
        if strict and not store.torn_tail_only:
            raise CorruptRecordingError(
                f"{folder} is damaged: {summary}. open(..., strict=False) reads every intact "
                "event and lists the missing ones in reader.missing"
            )
        store.warn(missing_summary(store))
    return store


def _never_started(
    found: list[LogRun], broken: list[LogDamage], name: str, storage: Storage | None, closed: bool
) -> bool:
    """Whether a log of a recording never closed is empty or cut inside its
    schema and its manifest does not list it: its first batch never reached
    the file. The manifest lists a log right after its first batch is
    written, so no batch of it was ever counted: a run killed as it began the
    log lost the flush in progress, as any kill loses the step in progress."""
    if closed or found or len(broken) != 1 or not broken[0].tail or broken[0].start is not None:
        return False
    return storage is None or storage.log is None or storage.log[0] != name


def _only_torn_tail(missing: list[MissingEvents], damages: list[_Damage], counted: int) -> bool:
    """Whether the only events missing are those of a log's torn tail, after
    the ``counted`` events the manifest counted: what a killed run may leave."""
    if len(missing) != 1 or missing[0].stop is not None or missing[0].start < counted:
        return False
    blamed = [d for d in damages if d.start is None or d.start >= missing[0].start]
    return bool(blamed) and all(d.tail for d in blamed)


def missing_summary(store: EventStore) -> str:
    """The warning that lists a store's missing events."""
    return f"{store.folder}: " + "; ".join(str(m) for m in store.missing)


def _span(record: PartRecord | None) -> tuple[int | None, int | None]:
    return (record.start, record.stop) if record is not None else (None, None)


def _why(exc: CorruptRecordingError, path: Path) -> str:
    text = str(exc)
    return text[len(str(path)) :].lstrip(": ") if text.startswith(str(path)) else text


def _assemble(
    store: EventStore, pieces: list[_Piece], damages: list[_Damage], total: int, final: bool
) -> None:
    """Put the intact pieces in the store in index order; record what is missing.

    ``total`` is the manifest's event count: the exact count when ``final`` (the
    manifest of a closed recording), else the count when the manifest was last
    written, which later events may exceed: missing events at the end then
    run to an unknown end.
    """
    pieces.sort(key=lambda p: p.first)
    position = 0
    expected = 0
    window: list[_Piece] = []
    for piece in pieces:
        if piece.first < expected:
            store.warn(
                f"events {piece.first}..{piece.first + piece.rows - 1} are stored twice; "
                "the second copy is ignored"
            )
            continue
        if piece.first > expected:
            _missing(store, expected, piece.first, damages)
        if piece.path is not None and window:
            # Only forged indexes put a part after a log's events (a log is
            # rolled into the next part): its events count as missing.
            damages.append(_Damage(piece.path.name, "follows the log", piece.first, None))
            continue
        if piece.path is not None:
            assert piece.table is not None
            seg = segment_of_table(piece.table, position, piece.path)
            seg.record = piece.record
            seg.layout = piece.layout
            if piece.record is not None:  # its SHA-256 was checked: every page is intact
                store.verified.add(piece.path)
            store.parts.append(seg)
            for original in piece.agents:
                store.agents.setdefault(str(original), original)
            for key in seg.agents:
                store.agents.setdefault(key, key)
        else:
            window.append(piece)  # log batches
        position += piece.rows
        expected = piece.first + piece.rows
    store.live = Segment(start=position - sum(p.rows for p in window))
    for piece in window:
        for batch in piece.batches:
            store.adopt(batch, segment_of_table(batch, 0, None))
    unplaced = [d for d in damages if d.start is None or d.start >= expected]
    if total > expected or unplaced:
        known = [d.stop for d in unplaced if d.stop is not None]
        stop: int | None
        if final:
            stop = max([total, *known])
        elif len(known) < len(unplaced) or total > max(known, default=expected):
            stop = None
        else:
            stop = max(known)
        _missing(store, expected, stop if stop is None or stop > expected else None, damages, total)


def _missing(
    store: EventStore, start: int, stop: int | None, damages: list[_Damage], total: int = 0
) -> None:
    """Record that events ``start``..``stop - 1`` (``stop=None``: to an unknown
    end) are missing, blaming the damages that fall in that range; ``total``
    is the manifest's count, which says how many at least an unknown end loses."""
    blamed = [
        d
        for d in damages
        if (d.start is None or stop is None or d.start < stop)
        and (d.stop is None or d.stop > start)
    ]
    steps = [d.record.steps for d in blamed if d.record is not None and d.record.steps]
    seqs = [d.record.seqs for d in blamed if d.record is not None and d.record.seqs]
    complete = all(d.record is not None for d in blamed) and blamed
    if blamed:
        files = tuple(dict.fromkeys(d.file for d in blamed))
        reason = "; ".join(dict.fromkeys(f"{d.file} {d.reason}" for d in blamed))
    else:
        files = ()
        reason = "no file holds them (the manifest counts more events than were found)"
    if stop is None and total > start:
        reason += (
            f"; the manifest counted {total} events when last written: "
            f"at least {total - start} are lost"
        )
    store.missing.append(
        MissingEvents(
            start=start,
            stop=stop,
            steps=(min(s[0] for s in steps), max(s[1] for s in steps))
            if complete and steps
            else None,
            seqs=(min(s[0] for s in seqs), max(s[1] for s in seqs)) if complete and seqs else None,
            files=files,
            reason=reason,
        )
    )


def open_file(path: Path) -> EventStore:
    """A single events Parquet file (``save(format="parquet")``) as a read-only store."""
    store = EventStore(None)
    store.readonly = True
    store.source = path
    piece = _read_part(path, None, None)
    assert piece.table is not None
    seg = segment_of_table(piece.table, 0, path)
    seg.layout = piece.layout
    store.parts.append(seg)
    store.live = Segment(start=piece.rows)
    return store

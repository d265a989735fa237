"""Checking a recording completely: ``palaver verify`` and :func:`verify`.

Opening a recording already checks what reading needs (the manifest's
checksum, every part's SHA-256 and indexes, every log batch's checksum).
:func:`verify` goes further: it reads every value of every part with its page
checksums, parses every stored JSON text, rebuilds every index sidecar from its
part and compares, checks every other file the manifest lists
(``stats.parquet``, ``initial_state.json``) against its size and SHA-256, and
lists files that do not belong.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import orjson
import pyarrow as pa

from palaver._util.atomic import held_by_live_writer
from palaver._util.checks import checked_path
from palaver.recording.arrow import int64_array, numpy_values
from palaver.recording.compaction import leftover
from palaver.recording.errors import CorruptRecordingError, RecordingWarning
from palaver.recording.event import decode
from palaver.recording.frames import INITIAL_STATES
from palaver.recording.integrity import MissingEvents
from palaver.recording.log import LAYOUT_BY_AGENT, LAYOUT_KEY
from palaver.recording.opening import open
from palaver.recording.parts import open_parquet
from palaver.recording.reader import RecordingReader
from palaver.recording.recovery import check_agent_order, missing_summary
from palaver.recording.schema import COLUMN_OF_KIND
from palaver.recording.segments import PartIndex, read_index, table_groupings

# llm_cache.jsonl: an LLM run's responses, kept beside its events by
# ResponseCache.beside() (see docs/llm.md).
_KNOWN = re.compile(
    r"^(manifest\.json|stats\.parquet|initial_state\.json|llm_cache\.jsonl|events"
    r"|events/part-\d{5}\.(parquet|index\.arrow)|events/wal-\d{5}\.arrows)$"
)


@dataclass
class VerifyReport:
    """What :func:`verify` found.

    Attributes:
        path: The recording checked.
        status: The manifest's status (``recording`` for a run never closed).
        events: Events that could be read.
        missing: Events that could not (see :class:`MissingEvents`), the
            torn log tail of a killed run included: events were lost, and
            how many is unknown.
        problems: Everything wrong, one sentence each (damaged, missing or
            foreign files, rebuilt indexes, invalid stored JSON).
        notes: What is worth knowing but not wrong (a recording never closed,
            leftover temporary files removed).
        torn_tail_only: The only loss is the torn log tail of a recording
            never closed, after every event its manifest counted: what a
            killed run may leave (``state`` is then ``"incomplete"``).
    """

    path: Path
    status: str = "unknown"
    events: int = 0
    missing: list[MissingEvents] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    torn_tail_only: bool = False

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems and not self.missing

    @property
    def state(self) -> str:
        """``"ok"``; ``"incomplete"`` when the only loss is a killed run's torn
        log tail (see ``torn_tail_only``); ``"damaged"`` otherwise."""
        if self.ok:
            return "ok"
        return "incomplete" if self.torn_tail_only and not self.problems else "damaged"


def verify(path: str | os.PathLike[str]) -> VerifyReport:
    """Check the recording at ``path`` completely (see the module docstring).

    Never raises for a damaged recording: everything found is in the report.
    Raises ``FileNotFoundError`` when nothing is at ``path``.
    """
    # checked_path: Path(5) said only "expected str, bytes or os.PathLike object".
    path = checked_path("path", path)
    report = VerifyReport(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RecordingWarning)  # all are in the report
        try:
            reader = open(path, strict=False)
        except CorruptRecordingError as exc:
            report.problems.append(str(exc))
            return report
        try:
            _check(reader, report)
            damaged = _check_rewritten(reader, report)
        finally:
            reader.close()
    summary = missing_summary(reader._store)
    for message in dict.fromkeys(reader.warnings):
        if "killed while starting" in message:
            report.notes.append(message)
        elif message != summary:
            report.problems.append(message)
    report.notes += [f"removed {p}, left by a killed writer" for p in reader._store.cleaned]
    report.notes += [
        f"{name} was rewritten after the manifest was last written (a run killed between "
        "the two writes): read as it is"
        for name in reader._store.rewritten
        if name not in damaged
    ]
    report.notes += [
        f"{name} is empty or ends inside its schema and the manifest does not list it: "
        "the run was killed as it began that log, losing only the flush in progress"
        for name in reader._store.unstarted
    ]
    report.notes += [leftover(p) for p in reader._store.leftovers]
    return report


def _check(reader: RecordingReader, report: VerifyReport) -> None:
    store = reader._store
    report.status = reader.status
    report.events = len(reader)
    report.missing = list(reader.missing)
    report.torn_tail_only = store.torn_tail_only
    if reader.status == "recording":
        report.notes.append("the recording was never closed (a killed or running recorder)")
    # A Parquet export (save(format="parquet")) is one file, without index sidecars.
    exported = reader.path.is_file()
    for seg in store.parts:
        assert seg.path is not None
        try:
            _check_part(seg.path, seg.rows, indexed=not exported)
        except CorruptRecordingError as exc:
            report.problems.append(str(exc))
    if store.live.rows:
        try:
            _check_json(reader.path / "events", store.live_table())
        except CorruptRecordingError as exc:
            report.problems.append(str(exc))
    if reader.path.is_dir():
        # The other files the manifest lists (stats.parquet, initial_state.json):
        # derived or small, but listed with a checksum, so a change is damage.
        for name, record in sorted(store.files.items()):
            problem = record.problem(reader.path)
            if problem is not None:
                report.problems.append(f"{reader.path / name}: {problem}")
        if "stats.parquet" not in store.files:
            reader.stats()  # an older recording's unlisted file: its page checksums
        _foreign(reader.path, report)


def _check_rewritten(reader: RecordingReader, report: VerifyReport) -> set[str]:
    """Check the files a recording never closed holds newer than its last
    manifest lists (see ``RecordingReader``) by what they carry themselves
    (``initial_state.json``: its own checksum); return the names of the damaged."""
    damaged: set[str] = set()
    if INITIAL_STATES in reader._store.rewritten:
        try:
            reader._initial_states()
        except CorruptRecordingError as exc:
            report.problems.append(str(exc))
            damaged.add(INITIAL_STATES)
    return damaged


def _check_part(path: Path, rows: int, indexed: bool = True) -> None:
    """Every page of the part, every JSON text in it, and (``indexed``: a part of a
    recording folder) its index sidecar."""
    pf = open_parquet(path, verify_pages=True)
    try:
        for number in range(pf.num_row_groups):
            _check_json(path, pf.read_row_group(number, use_threads=False))
        counted = pf.read(columns=["index", *COLUMN_OF_KIND.values()], use_threads=False)
        by_agent = (pf.schema_arrow.metadata or {}).get(LAYOUT_KEY) == LAYOUT_BY_AGENT
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise CorruptRecordingError(f"{path} is damaged ({exc})") from None
    if by_agent:
        # The index holds positions in event order: rebuild it from the rows
        # put back in that order.
        check_agent_order(path, counted)
        order = np.argsort(numpy_values(counted["index"].combine_chunks(), np.int64))
        counted = counted.take(int64_array(order))
    if not indexed:
        return
    sidecar = path.with_name(path.name.replace(".parquet", ".index.arrow"))
    index = read_index(sidecar, rows)
    rebuilt = PartIndex.of(table_groupings(counted))
    for kind in ("agent", "type", "step"):
        if index.counts(kind) != rebuilt.counts(kind) or any(
            not np.array_equal(index.get(kind, key), rebuilt.get(kind, key))  # type: ignore[arg-type]
            for key in rebuilt.counts(kind)
        ):
            raise CorruptRecordingError(f"{sidecar} disagrees with its part ({kind} positions)")


def _check_json(path: Path, table: pa.Table | pa.RecordBatch) -> None:
    for name in ("content", "metadata"):
        for text in table[name].to_pylist():
            if text is None:
                continue
            try:
                decode(text)
            except (ValueError, RecursionError, orjson.JSONDecodeError) as exc:
                raise CorruptRecordingError(
                    f"{path}: a stored {name} is not valid JSON ({exc})"
                ) from None


def _foreign(folder: Path, report: VerifyReport) -> None:
    for item in sorted(folder.rglob("*")):
        name = item.relative_to(folder).as_posix()
        if _KNOWN.match(name):
            continue
        if held_by_live_writer(item):
            # A recorder still running writes its parts and manifest through
            # such files (a dead writer's were removed when it was opened).
            report.notes.append(
                f"{item} is being written by a live process (a recorder still running)"
            )
            continue
        report.problems.append(f"{item} does not belong to a recording")

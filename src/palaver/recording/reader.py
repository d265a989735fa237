"""Reading a recording back: the recorder's queries, data frames and SQL."""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from datetime import datetime
from hashlib import sha256
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from palaver._util.checks import check_bool
from palaver.events import display
from palaver.recording.checks import check_path
from palaver.recording.errors import CorruptRecordingError, QueryError
from palaver.recording.event import SimulationEvent
from palaver.recording.export import INITIAL_STATE_KEY, MANIFEST_KEY, write_json
from palaver.recording.files import read_manifest
from palaver.recording.frames import restored
from palaver.recording.integrity import MissingEvents, check_regular, replaced, unseal
from palaver.recording.queries import EventQueries
from palaver.recording.recovery import Storage, open_file, open_folder
from palaver.recording.schema import EVENT_SCHEMA
from palaver.recording.stats import read_stats, stats_table
from palaver.recording.storage import EventStore

_METADATA_ORDER = (
    "simulation_id",
    "start_time",
    "model_class",
    "end_time",
    "total_steps",
    "total_events",
    "total_agents",
    "duration_minutes",
    "completion_status",
)
"""The JSON layout's metadata keys, in the recorder's order."""

_CHANGES_OWN_TABLE = re.compile(
    r"\b(?:drop|alter)\s+(?:view|table)\s+(?:if\s+exists\s+)?\"?(events|steps|agents|stats)\b"
    r"|\bcreate\s+or\s+replace\s+(?:temp(?:orary)?\s+)?(?:view|table)\s+\"?(events|steps|agents|stats)\b",
    re.IGNORECASE,
)
"""SQL that drops, alters or replaces one of the reader's own tables."""

_OWN_TABLES = ("events", "steps", "agents", "stats")

_READING = frozenset({"SELECT", "EXPLAIN", "COPY", "EXPORT", "INSERT", "UPDATE", "DELETE"})
"""Kinds of statement :meth:`RecordingReader.sql` runs as they are: queries,
and writes to the caller's own tables or to files (DuckDB refuses writes to
the recording's tables, which are views)."""

_CATALOG = frozenset({"CREATE", "DROP", "ALTER", "MULTI"})
"""Kinds of statement that change the catalog (``MULTI``: a ``PIVOT``, which
creates a type): run in a transaction, undone if they changed the recording's
own tables (a ``CREATE TEMP VIEW events`` would hide the recording's)."""

_REFUSED = {
    "SET": "changes a setting of the connection (USE, SET, RESET: the catalog or "
    "schema later names resolve in, the search path, a variable)",
    "ATTACH": "attaches a database, whose tables later queries could read instead",
    "DETACH": "detaches a database",
    "TRANSACTION": "begins or ends a transaction (one left open, or aborted by an "
    "error, would hold every later query)",
    "PRAGMA": "may change a setting (the tables' descriptions are DESCRIBE, SHOW "
    "TABLES, duckdb_tables() and pragma_table_info() in a SELECT)",
    "CALL": "may change a setting (a table function reads as SELECT * FROM f())",
    "LOAD": "installs or loads an extension",
    "PREPARE": "keeps a prepared statement on the connection",
    "EXECUTE": "runs a prepared statement",
}
"""Kinds of statement :meth:`RecordingReader.sql` refuses, and why: each would
change what later queries read, silently."""

_OWN_CATALOG = (
    "SELECT database_name, schema_name, lower(view_name), sql FROM duckdb_views() "
    f"WHERE NOT internal AND lower(view_name) IN {_OWN_TABLES} "
    "UNION ALL SELECT database_name, schema_name, lower(table_name), sql FROM duckdb_tables() "
    f"WHERE lower(table_name) IN {_OWN_TABLES} ORDER BY ALL"
)
"""Every view and table named as one of the recording's own tables."""

if TYPE_CHECKING:
    import duckdb
    import pandas
    import polars

SID_KEY = b"palaver.simulation_id"
#: The events table's own metadata key, in every file written with its schema.
FORMAT_KEY = b"palaver.recording"
#: The key-value metadata a Parquet export carries (see ``export.write_parquet``).
_EXPORT_KEYS = frozenset({FORMAT_KEY, SID_KEY, b"palaver.agents", MANIFEST_KEY, INITIAL_STATE_KEY})
_NULLABLE_INTS = [f.name for f in EVENT_SCHEMA if f.nullable and pa.types.is_integer(f.type)]
"""Columns of the ``events`` table that ``to_pandas`` gives as ``Int64``."""


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
        raise _not_a_recording(path, "not a folder and not a Parquet file")
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


def _stamp(path: Path) -> tuple[int, int] | None:
    """A file's modification time and size (``None`` when it cannot be read)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


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


_INDEX_COLUMN = re.compile(r'column "(step|agent_id)" not found', re.IGNORECASE)


def _index_hint(exc: Exception) -> str:
    """What to do when a query names ``step`` or ``agent_id`` of a pandas frame
    of :meth:`RecordingReader.agent_states` or ``model_values`` read by its
    variable name: they are its index, which DuckDB does not read."""
    if _INDEX_COLUMN.search(str(exc)) is None:
        return ""
    return (
        " (a pandas frame's index is not one of its columns in SQL: agent_states() is "
        "indexed by step and agent_id, model_values() by step; query frame.reset_index(), "
        "register the frame with reader.register(name, frame), or ask for library='polars')"
    )


def _index_as_columns(obj: Any) -> Any:
    """``obj`` with its named index levels as columns, when it is a pandas frame."""
    names = getattr(getattr(obj, "index", None), "names", None)
    reset = getattr(obj, "reset_index", None)
    if names is None or reset is None or not any(n is not None for n in names):
        return obj
    if any(n in getattr(obj, "columns", ()) for n in names if n is not None):
        return obj  # already a column too: the index is a copy of it
    return reset()


class RecordingReader(EventQueries):
    """A recording opened with :func:`open`: the recorder's queries, plus frames and SQL.

    Attributes:
        path: What was opened.
        manifest: The recording's ``manifest.json`` (see docs/recording.md).
        simulation_id: The recorder's 8-character id (prefix of every event id).
        warnings: Problems met while reading (missing events, damaged file,
            rebuilt index), each also issued as a :class:`RecordingWarning`.
        missing: The events that could not be read (``open(..., strict=False)``
            on a damaged recording, or the torn log tail of a killed run), as
            :class:`MissingEvents`: index range (``stop=None`` when the end is
            unknown), steps and sequence numbers when known, files, reason.
            Empty when the recording is whole; the events that were read keep
            their ``event_id``.
    """

    #: An exported Parquet file's initial states (``initial_state.json``'s text).
    _embedded_initial: str | None = None

    def __init__(self, path: Path, store: EventStore, manifest: dict[str, Any]) -> None:
        self.path = path
        self.manifest = manifest
        self.simulation_id: str = manifest["simulation_id"]
        self._store = store
        self.warnings = store.warnings
        self.missing: list[MissingEvents] = store.missing
        self._con: duckdb.DuckDBPyConnection | None = None
        #: The recording's own tables as the connection made them (see sql()).
        self._own: list[tuple[Any, ...]] = []
        #: The manifest's time and size when its parts were last seen listed (see sql()).
        self._listed = _stamp(path / "manifest.json") if path.is_dir() else None

    @property
    def status(self) -> str:
        """``"recording"`` (never closed: still running or killed), ``"completed"``,
        ``"interrupted"``, ``"unknown"`` or ``"exported"`` (a single Parquet file)."""
        return str(self.manifest.get("status", "unknown"))

    @property
    def completion_status(self) -> str:
        """``completed`` / ``interrupted`` / ``unknown``; a recording that was never
        closed counts as interrupted."""
        if self.status == "recording":
            return "interrupted"
        return str(self.manifest.get("simulation_metadata", {}).get("completion_status", "unknown"))

    @property
    def simulation_metadata(self) -> dict[str, Any]:
        """The recorder's ``simulation_metadata`` as last written."""
        return dict(self.manifest.get("simulation_metadata", {"simulation_id": self.simulation_id}))

    def __len__(self) -> int:
        return self._store.count

    def counts(self) -> tuple[dict[Any, int], dict[str, int]]:
        """``(events per agent, events per type)`` from the index, without reading events."""
        agents, types = self._counters()
        originals = self._store.agents
        return {originals.get(k, k): n for k, n in agents.items()}, dict(types)

    def get_stats(self) -> dict[str, Any]:
        """The recorder's ``get_stats``, as the recording answers it.

        ``simulation_steps`` is the model's step when the recording was last
        saved or closed (the manifest's ``total_steps``: a world that ran 6
        steps, 0 to 5, says 6, as its recorder did), or the highest step
        stored when that is larger (a killed run); a world's recording never
        saved (a killed run) counts the steps that ended, as its recorder
        would. ``recording_duration_minutes`` is the manifest's
        ``duration_minutes``, or for a recording never saved, the time from
        its start to its last event.
        """
        agents, types = self.counts()
        stored = self.step_range()[1] or 0
        meta = self.simulation_metadata
        saved = meta.get("total_steps")
        if type(saved) is not int and self.manifest.get("run_id") is not None:
            # A world never saved (a killed run): its steps so far are those
            # that ended (numbered from 0), as its recorder would have said.
            ended = self.get_events_by_type("step_end")
            saved = ended[-1].step + 1 if len(ended) else 0
        steps = max(stored, saved) if type(saved) is int else stored
        return {
            "total_events": len(self),
            "unique_agents": len(agents),
            "event_types": list(types),
            "simulation_steps": steps,
            "recording_duration_minutes": self._duration_minutes(meta),
            "events_per_agent": agents,
        }

    @property
    def initial_states(self) -> dict[Any, dict[str, Any]]:
        """Each agent's observable state when recording started (agent id ->
        field -> value), as the recorder's ``initial_states`` gave it; empty
        for a recording made with ``record_state_changes=False``.
        :class:`CorruptRecordingError` when ``initial_state.json`` is damaged."""
        initial = self._initial_states()
        if initial is None:
            return {}
        return {a: {f: restored(f, x) for f, x in s.items()} for a, s in initial.agents}

    def step_range(self) -> tuple[int | None, int | None]:
        """The lowest and highest step an event was recorded at (``None``s
        when there is none), from the index: nothing is read."""
        segments = self._store.segments()
        lows = [s.step_min for s in segments if s.step_min is not None]
        highs = [s.step_max for s in segments if s.step_max is not None]
        return (min(lows), max(highs)) if lows and highs else (None, None)

    def _duration_minutes(self, meta: dict[str, Any]) -> float:
        duration = meta.get("duration_minutes")
        if isinstance(duration, int | float) and not isinstance(duration, bool):
            return float(duration)
        try:
            start = datetime.fromisoformat(str(meta["start_time"]))
        except (KeyError, ValueError):
            return 0.0
        if not len(self):
            return 0.0
        return max(0.0, (self.events[-1].timestamp - start).total_seconds() / 60)

    # ------------------------------------------------------------- analysis
    def to_arrow(self) -> pa.Table:
        """All events as an Arrow table: the ``events`` columns plus ``event_id``."""
        table = self._store.to_table()
        ids = pc.binary_join_element_wise(
            self.simulation_id,
            pc.utf8_lpad(pc.cast(table["index"], pa.string()), width=6, padding="0"),
            "_",
        )
        return table.append_column("event_id", ids)

    def to_pandas(self) -> pandas.DataFrame:
        """All events as a pandas DataFrame (needs pandas). An integer column
        that may hold nulls (``seq``) has pandas' nullable ``Int64`` dtype, as
        polars gives it: integers stay integers, a null is ``pd.NA``."""
        import pandas

        table = self.to_arrow()
        # pyarrow's stubs say DataFrame | Series; a Table always gives a DataFrame.
        frame = cast("pandas.DataFrame", table.to_pandas())
        for name in _NULLABLE_INTS:
            column = table[name]
            frame[name] = pandas.arrays.IntegerArray(
                column.fill_null(0).to_numpy(), column.is_null().to_numpy()
            )
        return frame

    def to_polars(self) -> polars.DataFrame:
        """All events as a polars DataFrame (needs polars)."""
        import polars

        return cast("polars.DataFrame", polars.from_arrow(self.to_arrow()))

    def stats(self) -> pa.Table:
        """Numeric per-step statistics (``step``, ``name``, ``value``) from ``stats`` events."""
        stored = self.path / "stats.parquet" if self.path.is_dir() else None
        record = self._store.files.get("stats.parquet")
        if stored is not None and (stored.exists() or stored.is_symlink() or record is not None):
            try:
                return read_stats(stored, record)
            except CorruptRecordingError as exc:
                # Derived data: computed again from the events, not lost.
                self._store.warn(f"{exc}; the statistics were computed from the events")
        return stats_table(self.get_events_by_type("stats"))

    def sql(self, query: str) -> duckdb.DuckDBPyRelation:
        """Run DuckDB SQL over the tables ``events``, ``steps``, ``agents`` and
        ``stats`` (see docs/recording.md); ``.df()``, ``.pl()``, ``.arrow()`` or
        ``.fetchall()`` on the result give the rows.

        A pandas or polars frame or an Arrow table in the caller's scope can be
        named in the query (``FROM events JOIN my_frame ...``), as with
        ``duckdb.sql``; :meth:`register` names one explicitly.
        """
        if not isinstance(query, str):
            raise TypeError(f"query must be a str of SQL, got {query!r} ({type(query).__name__})")
        self._check_parts()
        if self._con is None:
            self._con = self._connect()
            self._own = self._con.sql(_OWN_CATALOG).fetchall()
        import duckdb

        # DuckDB looks for a frame named in the query in every calling frame,
        # this one's too: the statements are checked in helpers, and the
        # frames running the query hold nothing but self and query (a local
        # list named as the caller's frame hid it, and failed the query).
        try:
            if self._changes_catalog(query):
                return self._run_in_transaction(query)
            return self._con.sql(query)
        except duckdb.Error as exc:
            # Parser, catalog (unknown table or column), binder and run-time
            # errors alike: one documented class, naming the query.
            raise QueryError(f"sql({query!r}) failed: {exc}{_index_hint(exc)}") from None

    def _check_parts(self) -> None:
        """:class:`RecordingChangedError` when parts the SQL views read were
        replaced by their recorder since this reader listed them (DuckDB would
        only say it found no file). Looked at only when the manifest changed."""
        if self._listed is None:
            return
        stamp = _stamp(self.path / "manifest.json")
        if stamp == self._listed:
            return
        for seg in self._store.parts:
            if seg.path is not None and not seg.path.exists() and replaced(seg.path):
                check_regular(seg.path)  # raises RecordingChangedError naming it
        self._listed = stamp

    @staticmethod
    def _changes_catalog(query: str) -> bool:
        """Whether ``query`` changes the catalog (see :data:`_CATALOG`);
        :class:`QueryError` for a statement that :meth:`sql` refuses."""
        import duckdb

        statements = duckdb.extract_statements(query)
        kinds = [statement.type.name for statement in statements]
        for kind in kinds:
            if kind in _READING or kind in _CATALOG:
                continue
            why = _REFUSED.get(kind, "is not a query")
            article = "an" if kind[0] in "AEIOU" else "a"
            raise QueryError(
                f"sql({query!r}): {article} {kind} statement {why}, so later queries could "
                "silently read something else; sql() runs queries (SELECT, WITH, DESCRIBE, SHOW, "
                "EXPLAIN, SUMMARIZE, PIVOT), COPY and EXPORT to files, and creates, changes "
                "and fills tables and views of your own (CREATE, ALTER, DROP, INSERT, "
                "UPDATE, DELETE); open another DuckDB connection for anything else"
            )
        for statement in statements:
            # Named before running (DuckDB's own error for ALTER TABLE on the
            # stats view would not say why); the catalog check of
            # _run_in_transaction catches what a pattern cannot (a rename).
            changed = None
            if statement.type.name in _CATALOG:
                changed = _CHANGES_OWN_TABLE.search(statement.query)
            if changed is not None:
                name = changed.group(1) or changed.group(2)
                raise QueryError(
                    f"sql({query!r}) would change {name!r}, one of the recording's own "
                    "tables (events, steps, agents, stats), which every later query "
                    "reads: they are read-only; make a view or table of your own under "
                    "another name"
                )
        return bool(_CATALOG.intersection(kinds))

    def _run_in_transaction(self, query: str) -> duckdb.DuckDBPyRelation:
        """Run ``query`` (which changes the catalog) in a transaction, rolled back
        with a :class:`QueryError` when it changed or hid one of the recording's
        own tables."""
        assert self._con is not None
        self._con.execute("BEGIN TRANSACTION")
        try:
            # Bound once DuckDB ran the query, so not seen by its frame lookup.
            result = self._con.sql(query)
            own = self._con.sql(_OWN_CATALOG).fetchall()  # names no frame
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        if own != self._own:
            self._con.execute("ROLLBACK")
            names = sorted({row[2] for row in set(own) ^ set(self._own)})
            raise QueryError(
                f"sql({query!r}) would change {names[0]!r}, one of the recording's own "
                "tables (events, steps, agents, stats), or hide it behind a table or view "
                "of that name, which every later query would read: they are read-only; "
                "make a view or table of your own under another name (nothing was changed)"
            )
        self._con.execute("COMMIT")
        return result

    def register(self, name: str, obj: Any) -> None:
        """Make ``obj`` (a pandas or polars frame, an Arrow table or a DuckDB
        relation) a table called ``name`` in :meth:`sql` queries.

        A pandas frame's named index levels are columns of the table (the
        ``step`` and ``agent_id`` of :meth:`agent_states`, the ``step`` of
        :meth:`model_values`): DuckDB reads a frame's columns only.
        """
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"register: name must be an identifier, got {name!r}")
        if name in ("events", "steps", "agents", "stats"):
            raise ValueError(f"register: {name!r} is one of the recording's own tables")
        if self._con is None:
            self._con = self._connect()
        import duckdb

        try:
            self._con.register(name, _index_as_columns(obj))
        except duckdb.Error as exc:
            # DuckDB's own message names neither the method nor what it takes.
            raise TypeError(
                f"register: obj must be a pandas or polars frame, an Arrow table or a "
                f"DuckDB relation, got {type(obj).__name__} {obj!r:.80}"
            ) from exc

    def _connect(self) -> duckdb.DuckDBPyConnection:
        import duckdb

        con = duckdb.connect()
        # Replacement scans look for a frame named in a query in every calling
        # frame, not only in this method's (where the user's frame is not).
        with contextlib.suppress(duckdb.Error):
            con.execute("SET python_scan_all_frames = true")
        # Parts never change once written: their footers are parsed once per
        # connection, not at every query (~25% of a count by agent over a
        # 10M-event recording's 200 parts).
        with contextlib.suppress(duckdb.Error):
            con.execute("SET parquet_metadata_cache = true")
        sources = []
        parts = [str(seg.path) for seg in self._store.parts]
        if parts:
            listing = ", ".join("'" + p.replace("'", "''") + "'" for p in parts)
            sources.append(f"SELECT * FROM read_parquet([{listing}])")
        live = self._store.live_table()
        if live.num_rows or not sources:
            con.register("_live_events", live)
            sources.append("SELECT * FROM _live_events")
        sid = self.simulation_id.replace("'", "''")
        con.execute(
            "CREATE VIEW events AS SELECT *, printf('%s_%06d', '"
            + sid
            + '\', "index") AS event_id '
            "FROM (" + " UNION ALL ".join(sources) + ")"
        )
        con.execute(
            "CREATE VIEW steps AS SELECT step, count(*) AS events, "
            "count(DISTINCT agent_id) AS agents, min(timestamp) AS first_time, "
            "max(timestamp) AS last_time FROM events GROUP BY step"
        )
        con.execute(
            "CREATE VIEW agents AS SELECT agent_id, count(*) AS events, min(step) AS first_step, "
            "max(step) AS last_step FROM events WHERE agent_id IS NOT NULL GROUP BY agent_id"
        )
        con.register("stats", self.stats())
        return con

    def export_json(self, path: str | os.PathLike[str]) -> Path:
        """Write the recorder's documented JSON layout to ``path``."""
        check_path("path", path)
        metadata = self.simulation_metadata
        marked = len(self) > 0 and self.events[-1].event_type == "simulation_end"
        # As the recorder's save(): the events before the end marker.
        metadata["total_events"] = len(self) - 1 if marked else len(self)
        metadata["completion_status"] = self.completion_status
        if "end_time" not in metadata:
            # Never saved (a killed run): every key of the layout, from the events.
            stats = self.get_stats()
            ended = self.events[-1].timestamp if len(self) else None
            metadata["end_time"] = None if ended is None else ended.isoformat()
            metadata["total_steps"] = stats["simulation_steps"]
            metadata["total_agents"] = stats["unique_agents"]
            metadata["duration_minutes"] = stats["recording_duration_minutes"]
        order = [k for k in _METADATA_ORDER if k in metadata]
        metadata = {**{k: metadata[k] for k in order}, **metadata}
        tail: tuple[SimulationEvent, ...] = ()
        if len(self) and not marked:
            last = self.events[-1]
            tail = (
                SimulationEvent(
                    # After the last stored event (a salvaged recording has gaps).
                    event_id=f"{self.simulation_id}_{int(last.event_id.rsplit('_', 1)[1]) + 1:06d}",
                    timestamp=last.timestamp,
                    step=last.step,
                    agent_id=None,
                    event_type="simulation_end",
                    content={
                        "status": self.completion_status,
                        "final_step": last.step,
                        "total_events": len(self),
                    },
                    metadata={"source": "model"},
                ),
            )
        return write_json(
            Path(path), self._store, self.simulation_id, metadata, self._store.agents, tail
        )

    def close(self) -> None:
        """Release the DuckDB connection and file handles."""
        if self._con is not None:
            self._con.close()
            self._con = None
        self._store.close()

    def __enter__(self) -> RecordingReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"<RecordingReader {self.simulation_id} {self.status}: "
            f"{len(self)} events at {self.path}>"
        )

    def _repr_html_(self) -> str:
        """Notebook display: the summary and a plot (drawn by palaver.report when
        installed; see palaver.events.display)."""
        return display.html("recording", self)

"""The SQL side of a recording reader: one DuckDB connection and what it may run.

:class:`SqlSession` owns the connection of a :class:`~palaver.recording.reader.RecordingReader`:
it makes the views ``events``, ``steps`` and ``agents`` over the recording's
Parquet parts and live events, registers ``stats``, and runs the caller's
statements under one policy: queries and writes to files or to the caller's
own tables run; statements that would change what later queries read (a
setting, an attached database, an open transaction) are refused; a statement
that changes the catalog runs in a transaction, undone when it touched the
recording's own tables.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from palaver.recording.errors import QueryError
from palaver.recording.integrity import check_regular, replaced
from palaver.recording.storage import EventStore

if TYPE_CHECKING:
    import duckdb

_CHANGES_OWN_TABLE = re.compile(
    r"\b(?:drop|alter)\s+(?:view|table)\s+(?:if\s+exists\s+)?\"?(events|steps|agents|stats)\b"
    r"|\bcreate\s+or\s+replace\s+(?:temp(?:orary)?\s+)?(?:view|table)\s+\"?(events|steps|agents|stats)\b",
    re.IGNORECASE,
)
"""SQL that drops, alters or replaces one of the reader's own tables."""

_OWN_TABLES = ("events", "steps", "agents", "stats")

_READING = frozenset({"SELECT", "EXPLAIN", "COPY", "EXPORT", "INSERT", "UPDATE", "DELETE"})
"""Kinds of statement :meth:`SqlSession.run` runs as they are: queries,
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
"""Kinds of statement :meth:`SqlSession.run` refuses, and why: each would
change what later queries read, silently."""

_OWN_CATALOG = (
    "SELECT database_name, schema_name, lower(view_name), sql FROM duckdb_views() "
    f"WHERE NOT internal AND lower(view_name) IN {_OWN_TABLES} "
    "UNION ALL SELECT database_name, schema_name, lower(table_name), sql FROM duckdb_tables() "
    f"WHERE lower(table_name) IN {_OWN_TABLES} ORDER BY ALL"
)
"""Every view and table named as one of the recording's own tables."""


def stamp(path: Path) -> tuple[int, int] | None:
    """A file's modification time and size (``None`` when it cannot be read)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


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


class SqlSession:
    """A reader's DuckDB connection, made at the first query (see module doc).

    ``folder`` is the recording's folder (``None`` for an exported Parquet
    file, whose parts never change); ``stats`` gives the ``stats`` table when
    the connection is made.
    """

    def __init__(
        self,
        folder: Path | None,
        store: EventStore,
        simulation_id: str,
        stats: Callable[[], pa.Table],
    ) -> None:
        self._folder = folder
        self._store = store
        self._simulation_id = simulation_id
        self._stats = stats
        self._con: duckdb.DuckDBPyConnection | None = None
        #: The recording's own tables as the connection made them (see run()).
        self._own: list[tuple[Any, ...]] = []
        #: The manifest's time and size when its parts were last seen listed.
        self._listed = stamp(folder / "manifest.json") if folder is not None else None

    def run(self, query: str) -> duckdb.DuckDBPyRelation:
        """Run ``query`` on the connection (see :meth:`RecordingReader.sql`)."""
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
        if self._folder is None or self._listed is None:
            return
        now = stamp(self._folder / "manifest.json")
        if now == self._listed:
            return
        for seg in self._store.parts:
            if seg.path is not None and not seg.path.exists() and replaced(seg.path):
                check_regular(seg.path)  # raises RecordingChangedError naming it
        self._listed = now

    @staticmethod
    def _changes_catalog(query: str) -> bool:
        """Whether ``query`` changes the catalog (see :data:`_CATALOG`);
        :class:`QueryError` for a statement that :meth:`run` refuses."""
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
        sid = self._simulation_id.replace("'", "''")
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
        con.register("stats", self._stats())
        return con

    def close(self) -> None:
        """Close the connection (a later query makes a new one)."""
        if self._con is not None:
            self._con.close()
            self._con = None

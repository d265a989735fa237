"""Reading a recording back: the recorder's queries, data frames and SQL."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pyarrow as pa
import pyarrow.compute as pc

from palaver._util.optional import frame_library
from palaver.events import display
from palaver.recording.checks import check_path
from palaver.recording.errors import CorruptRecordingError
from palaver.recording.event import SimulationEvent
from palaver.recording.export import write_json
from palaver.recording.frames import restored
from palaver.recording.integrity import MissingEvents
from palaver.recording.queries import EventQueries
from palaver.recording.schema import EVENT_SCHEMA
from palaver.recording.sql import SqlSession
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


if TYPE_CHECKING:
    import duckdb
    import pandas
    import polars

_NULLABLE_INTS = [f.name for f in EVENT_SCHEMA if f.nullable and pa.types.is_integer(f.type)]
"""Columns of the ``events`` table that ``to_pandas`` gives as ``Int64``."""


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
        folder = path if path.is_dir() else None
        self._sql = SqlSession(folder, store, self.simulation_id, self.stats)

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
        pd = frame_library("pandas", "reader.to_pandas()", "reader.to_arrow() gives the table")
        table = self.to_arrow()
        # pyarrow's stubs say DataFrame | Series; a Table always gives a DataFrame.
        frame = cast("pandas.DataFrame", table.to_pandas())
        for name in _NULLABLE_INTS:
            column = table[name]
            frame[name] = pd.arrays.IntegerArray(
                column.fill_null(0).to_numpy(), column.is_null().to_numpy()
            )
        return frame

    def to_polars(self) -> polars.DataFrame:
        """All events as a polars DataFrame (needs polars)."""
        pl = frame_library("polars", "reader.to_polars()", "reader.to_arrow() gives the table")
        return cast("polars.DataFrame", pl.from_arrow(self.to_arrow()))

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
        ``duckdb.sql``; :meth:`register` names one explicitly. Statements that
        would change what later queries read are refused with
        :class:`QueryError` (see :mod:`palaver.recording.sql`).
        """
        # Only self and query in this frame: DuckDB looks for frames named in
        # the query in every calling frame.
        return self._sql.run(query)

    def register(self, name: str, obj: Any) -> None:
        """Make ``obj`` (a pandas or polars frame, an Arrow table or a DuckDB
        relation) a table called ``name`` in :meth:`sql` queries.

        A pandas frame's named index levels are columns of the table (the
        ``step`` and ``agent_id`` of :meth:`agent_states`, the ``step`` of
        :meth:`model_values`): DuckDB reads a frame's columns only.
        """
        self._sql.register(name, obj)

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
        self._sql.close()
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

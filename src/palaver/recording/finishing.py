"""The recorder's queries, saving, closing and manifest (its output side).

:class:`RecorderOutput` is the part of
:class:`~palaver.recording.SimulationRecorder` that reads what was recorded
and writes it out; the recorder itself (recorder.py) is the part that takes
events in.
"""

from __future__ import annotations

import json
import os
import warnings
from collections import Counter
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path
from time import time
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from palaver._util.atomic import write_bytes
from palaver.recording.checks import check_export_name, check_path
from palaver.recording.compaction import compact
from palaver.recording.errors import RecordingError, RecordingWarning
from palaver.recording.event import SimulationEvent, encode
from palaver.recording.export import write_json, write_parquet
from palaver.recording.files import inside, model_seed, versions, write_manifest
from palaver.recording.frames import INITIAL_STATES, SEALED_KEY, InitialStates, seal_initial
from palaver.recording.integrity import FileRecord, seal
from palaver.recording.models import completion_status, kind_of
from palaver.recording.queries import EventQueries
from palaver.recording.stats import StatsRows, stats_table, write_stats
from palaver.recording.views import EventView

if TYPE_CHECKING:
    from collections.abc import Callable

    from palaver.recording.models import StepReader
    from palaver.recording.state import StateTracker
    from palaver.recording.storage import EventStore

_MODEL_META = '{"source":"model"}'
_FORMATS = ("json", "parquet", "folder")


class RecorderOutput(EventQueries):
    """Queries, :meth:`save`, :meth:`close` and the manifest of a recorder."""

    model: Any
    output_dir: Path | None
    folder: Path | None
    detail: str
    record_state_changes: bool
    state_value_limit: int | None
    merge_parts: bool
    auto_save_interval: int | None
    start_time: datetime
    simulation_metadata: dict[str, Any]
    _step: StepReader
    _marker: SimulationEvent | None
    _attention: bool
    _closed: bool
    _world: Any
    _world_status: str | None
    _parameters: dict[str, Any]
    _stats: StatsRows
    _saved_at: int
    _pending: list[Any]
    _status: str
    _states: StateTracker | None
    _initial: dict[Any, dict[str, Any]]
    _initial_step: int
    _unwrap: Callable[[], None] | None

    if TYPE_CHECKING:  # provided by SimulationRecorder and RecorderState

        def _current_step(self) -> int: ...

    def _set_marker(self, marker: SimulationEvent | None) -> None:
        self._marker = marker
        self._refresh_attention()

    def _refresh_attention(self) -> None:
        # An event must do more than be stored when the recorder is closed, a
        # save's end marker is showing, or a save marked the recording finished.
        self._attention = self._closed or self._marker is not None or self._status != "recording"

    def _resume(self, drop_marker: bool = True) -> None:
        """An event is about to be recorded after a save: the save's end marker
        goes (unless ``drop_marker`` is false), and a recording that the save
        marked finished is ``recording`` again, in the manifest on disk before
        the event is (a run killed afterwards must not read as finished)."""
        if self._status != "recording":
            self._write_manifest("recording")
        if drop_marker:
            self._set_marker(None)
        else:
            self._refresh_attention()

    def _settle(self) -> None:
        # Everything recorded so far into the store: a world's pending batch
        # rows (a query may come from inside a negotiation), then the buffer.
        if self._world is not None:
            self._world.bus.flush_rows()
        self._store.flush()

    # ---------------------------------------------------------------- queries
    def _view(self, kind: str | None = None, key: Any = None) -> EventView:
        self._settle()
        marker = self._marker
        tail: tuple[SimulationEvent, ...] = ()
        if marker is not None and (
            kind is None
            or (kind == "type" and key == "simulation_end")
            or (kind == "step" and key == marker.step)
        ):
            tail = (marker,)
        return EventView(self._store, self.simulation_id, self._store.agents, kind, key, tail)

    def _counts(self) -> tuple[Counter[str], Counter[str]]:
        self._settle()
        return self._counters()

    def get_stats(self) -> dict[str, Any]:
        """Counts of the recording so far (total, agents, types, per agent)."""
        agents, types = self._counts()
        originals = self._store.agents
        marker = 1 if self._marker is not None else 0
        return {
            "total_events": self._store.count + marker,
            "unique_agents": len(agents),
            "event_types": list(types)
            + (["simulation_end"] if marker and "simulation_end" not in types else []),
            "simulation_steps": self._current_step(),
            "recording_duration_minutes": (datetime.now(UTC) - self.start_time).total_seconds()
            / 60,
            "events_per_agent": {originals.get(k, k): n for k, n in agents.items()},
        }

    # ------------------------------------------------------------ completion
    def _completion_status(self) -> str:
        return completion_status(self.model, self._current_step(), self._world_status)

    def _last_type(self) -> str | None:
        buffered = self._store.last_buffered_type()
        if buffered is not None:
            return buffered
        if not self._store.count:
            return None
        return self._store.take_last_type()

    def _n_agents(self) -> int:
        agents = getattr(self.model, "agents", None)
        try:
            return len(agents)  # type: ignore[arg-type]
        except TypeError:  # no agents collection (or one without a length)
            return len(self._counts()[0])

    def _update_metadata(self) -> str:
        status = self._completion_status()
        now = datetime.now(UTC)
        # As in the classic layout, the events before the closing
        # simulation_end: the save's marker, or a world's own end event.
        ended = 1 if self._last_type() == "simulation_end" else 0
        self.simulation_metadata.update(
            {
                "end_time": now.isoformat(),
                "total_steps": self._current_step(),
                "total_events": self._store.count - ended,
                "total_agents": self._n_agents(),
                "duration_minutes": (now - self.start_time).total_seconds() / 60,
                "completion_status": status,
            }
        )
        return status

    def _end_content(self, status: str) -> dict[str, Any]:
        return {
            "status": status,
            "final_step": self._current_step(),
            "total_events": self._store.count,
        }

    def save(self, filename: str | os.PathLike[str] | None = None, format: str = "json") -> Path:
        """Export the recording to ``output_dir/filename`` and return its path.

        ``format="json"`` writes the documented layout (``metadata``, ``events``,
        ``agent_summaries``) ending with one ``simulation_end`` marker, replaced
        (never duplicated) by later saves; ``format="parquet"`` writes the
        ``events`` table as one Parquet file. Saving streams stored rows; it
        never re-encodes event content. ``format="pickle"`` is refused.

        ``format="folder"`` (``filename`` must be ``None``) writes no export: it
        brings the recording folder up to date (buffered events written to its
        log, the manifest with ``simulation_metadata``), shows the
        ``simulation_end`` marker as any save does, and returns the folder.
        Each ``auto_save_interval`` point is such a save.
        """
        check_path("filename", filename, none_ok=True)
        if format == "pickle":
            raise ValueError(
                "format='pickle' is not supported: loading a pickle file can run arbitrary "
                "code. Use format='json' (the documented layout) or format='parquet' "
                "(compact; reads with pandas, polars and DuckDB)."
            )
        if format not in _FORMATS:
            raise ValueError(
                f"Format must be 'json' or 'pickle' (the classic recorder's formats; "
                f"Palaver writes 'json' and 'parquet', updates its recording folder with "
                f"'folder', and refuses 'pickle'), not {format!r}"
            )
        if format == "folder" and filename is not None:
            raise ValueError(
                f"save(format='folder') writes no export file, so it takes no filename "
                f"(got {filename!r}); the recording folder is {self.folder}"
            )
        if filename is not None and format != "folder":
            check_export_name(filename, format)
        if self.output_dir is None or self.folder is None:
            raise RecordingError(
                "this recorder has output_dir=None (in memory only); nothing can be saved"
            )
        if format == "folder":
            self._settle()
            self._show_end(self._update_metadata())
            self._saved_at = self._store.count
            # The status stays "recording": the run goes on.
            self._write_manifest()
            return self.folder
        if filename is None:
            stamp = datetime.now(UTC).strftime("%Y%m%d_%H%M%S")
            filename = f"simulation_{self.simulation_id}_{stamp}.{format}"
        path = inside(self.output_dir, filename)
        self._settle()
        status = self._update_metadata()
        shown = self._marker
        self._show_end(status)
        tail = () if self._marker is None else (self._marker,)
        try:
            if format == "json":
                write_json(
                    path,
                    self._store,
                    self.simulation_id,
                    self.simulation_metadata,
                    self._store.agents,
                    tail,
                )
            else:
                initial = self._initial_data() if self._states is not None else None
                write_parquet(path, self._store, self.simulation_id, self._sealed(initial), initial)
        except BaseException:
            # Nothing was saved: no end marker claims otherwise in `events`.
            self._set_marker(shown)
            raise
        self._saved_at = self._store.count
        self._write_manifest(status)
        return path

    def _show_end(self, status: str) -> None:
        """Show a save's ``simulation_end`` marker after the events (none when
        the last event recorded is a ``simulation_end``, a world's own)."""
        if self._last_type() == "simulation_end":
            self._set_marker(None)
            return
        self._set_marker(
            SimulationEvent(
                event_id=f"{self.simulation_id}_{self._store.count:06d}",
                timestamp=datetime.now(UTC),
                step=self._current_step(),
                agent_id=None,
                event_type="simulation_end",
                content=self._end_content(status),
                metadata={"source": "model"},
            )
        )

    def _stats_table(self) -> pa.Table:
        # The rows gathered while recording, when they are those of every
        # stats event stored (none came through record_event, none was
        # recorded before this recorder); else read back from the events.
        if self._counters()[1].get("stats", 0) == self._stats.events:
            return self._stats.table()
        return stats_table(self.get_events_by_type("stats"))

    def close(self) -> None:
        """Finish the recording: record ``simulation_end`` (unless the world did),
        write the last Parquet part, the stats table and the final manifest."""
        if self._closed:
            return
        self._settle()
        status = self._update_metadata()
        if self._last_type() != "simulation_end":
            self._set_marker(None)
            self._pending += (
                time(),
                self._current_step(),
                "simulation_end",
                None,
                encode(self._end_content(status)),
                _MODEL_META,
                None,
                None,
                None,
                None,
            )
        self._store.close()
        if self.folder is not None:
            write_stats(self._store, self._stats_table())
        if self._world is not None:
            self._world.bus.remove_sink(self)
        if self._unwrap is not None:
            self._unwrap()
            self._unwrap = None
        self._closed = True
        self._attention = True
        self._write_manifest(status)
        # The recording is complete on disk now; a long one's parts are merged
        # into fewer, larger ones (a kill meanwhile loses nothing: see
        # recording/compaction.py).
        if self.merge_parts:
            compact(self._store, self._write_manifest)

    def _check_open(self) -> None:
        if self._closed:
            raise RecordingError("this recorder is closed; create a new one to record more")

    def __enter__(self) -> RecorderOutput:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ frames
    def _initial_states(self) -> InitialStates | None:
        if self.model is None or self._states is None:
            return None
        agents = [(k, v) for k, v in self._initial.items() if k is not None]
        return InitialStates(
            self._initial_step, kind_of(self.model), agents, self._initial.get(None)
        )

    def _final_row(self) -> int:
        try:
            return self._current_step()
        except TypeError:
            return 0

    # -------------------------------------------------------------- manifest
    def _initial_data(self) -> dict[str, Any]:
        """``initial_state.json``'s content (see docs/recording.md)."""
        return {
            "step": self._initial_step,
            "kind": "none" if self.model is None else kind_of(self.model),
            "agents": [[k, v] for k, v in self._initial.items() if k is not None],
            "model": self._initial.get(None),
        }

    def _write_initial_states(self) -> None:
        if self.folder is None:
            return
        path = self.folder / INITIAL_STATES
        write_bytes(path, seal_initial(encode(self._initial_data())).encode("utf-8"))
        self._store.files[INITIAL_STATES] = FileRecord.of(self.folder, path)

    def _write_manifest(self, status: str | None = None) -> None:
        if status is not None:
            self._status = status
            self._refresh_attention()
        if self.folder is None:
            return
        write_manifest(self.folder, {**self._manifest_data(), "storage": self._store.describe()})

    def _sealed(self, initial: dict[str, Any] | None) -> dict[str, Any]:
        """The manifest a Parquet export carries, with the SHA-256 of the initial
        states it carries too, and sealed with a checksum (as the folder's
        manifest is): a flipped bit in the file's metadata, which Parquet's page
        checksums do not cover, is then detected on reading instead of read as
        another status, seed or agent."""
        manifest = self._manifest_data()
        if initial is not None:
            manifest["initial_state_sha256"] = sha256(encode(initial).encode()).hexdigest()
        # Sealed as the file holds it (JSON text), so that a reader recomputes it.
        return seal(json.loads(json.dumps(manifest, default=str)))

    def _manifest_data(self) -> dict[str, Any]:
        """The manifest but its ``storage`` section (see docs/recording.md)."""
        model = self.model
        # Counts of what is stored, without flushing: the manifest is also
        # written from inside a flush (when new agents appear).
        agents, types = self._counters() if not self._store.buffered else (None, None)
        try:
            steps = self._current_step() if model is not None else 0
        except TypeError:  # an unusable step is reported by record_event
            steps = None
        manifest = {
            "simulation_id": self.simulation_id,
            "run_id": self._world.bus.run_id if self._world is not None else None,
            "status": self._status,
            "seed": model_seed(model),
            "model_class": type(model).__name__ if model is not None else None,
            "model_module": type(model).__module__ if model is not None else None,
            "parameters": self._parameters,
            "versions": versions(),
            "recorder": {
                "detail": self.detail,
                "record_state_changes": self.record_state_changes,
                "state_value_limit": self.state_value_limit,
                "auto_save_interval": self.auto_save_interval,
                "memory_window": self._store.window,
                "merge_parts": self.merge_parts,
            },
            "counts": {
                "events": self._store.count,
                "steps": steps,
                "agents": None if agents is None else len(agents),
                "by_type": None if types is None else dict(types),
            },
            "agents": list(self._store.agents.values()),
            "simulation_metadata": self.simulation_metadata,
            SEALED_KEY: True,
        }
        return manifest


def flush_at_exit(store: EventStore) -> None:
    """Put ``store``'s buffered events in its log on disk and close the log: a
    recorder's finalizer, run at garbage collection or interpreter exit when
    ``close()`` was not called. A failure is a :class:`RecordingWarning`; a
    folder that no longer exists (its owner removed it) is none."""
    if store.readonly or store.folder is None:
        return
    if not store.folder.exists():
        return  # the folder was removed (a temporary one): there is nowhere to flush to
    try:
        store.flush_to_log()
        store.close_log()
    except OSError as exc:
        warnings.warn(
            f"recording in {store.folder} could not be flushed: {exc}",
            RecordingWarning,
            stacklevel=1,
        )

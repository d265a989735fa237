"""The simulation recorder: the documented recorder API over streaming storage."""

from __future__ import annotations

import os
import uuid
import warnings
import weakref
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from time import time
from typing import Any

from palaver.events import Event, EventType, plain
from palaver.recording.capture import allowed_types
from palaver.recording.errors import RecordingError, RecordingWarning
from palaver.recording.event import (
    FAST_OPTIONS,
    SimulationEvent,
    encode,
    encode_slow,
    fast_default,
    fast_dumps,
)
from palaver.recording.export import stats_table, write_json, write_parquet, write_stats
from palaver.recording.files import inside, model_seed, prepare_output_dir, versions, write_manifest
from palaver.recording.models import completion_status, has_bus, step_reader, wrap_step
from palaver.recording.queries import EventQueries
from palaver.recording.state import StateTracker
from palaver.recording.storage import FIELDS, EventStore
from palaver.recording.views import EventView

_MODEL_META = encode({"source": "model"})
_WORLD_META = encode({"source": "world"})
_RECORDER_META = encode({"source": "recorder"})
_FORMATS = ("json", "parquet")
_BOUNDARIES = frozenset({"step_end", "simulation_start", "simulation_end"})
# Bus events the recorder handles itself: the boundaries, and the world's own
# state_change events, which would duplicate the recorder's state tracking (it
# compares the same get_private_state, and more; see recording/state.py).
_SPECIAL = _BOUNDARIES | {"state_change"}
"""Bus events on which emit() does more than record."""


def _finish(store: EventStore) -> None:
    # Runs at garbage collection or interpreter exit when close() was not
    # called: buffered events still reach the log on disk.
    if store.readonly or store.folder is None:
        return
    try:
        store.flush_to_log()
        store.close_log()
    except OSError as exc:
        warnings.warn(
            f"recording in {store.folder} could not be flushed: {exc}",
            RecordingWarning,
            stacklevel=1,
        )


class SimulationRecorder(EventQueries):
    """Records every event of a simulation, streamed to disk and indexed.

    Args:
        model: A Palaver ``World`` (recorded automatically once attached, see
            :meth:`attach`), a Mesa 3 ``Model``, or ``None`` when the world will
            attach the recorder itself (``World(..., recorder=recorder)``).
        output_dir: Folder receiving the recording (``simulation_<id>/``) and
            the files :meth:`save` writes. ``None`` keeps everything in memory
            and writes nothing.
        record_state_changes: Record a ``state_change`` event for each agent
            whose observable state (see :mod:`palaver.recording.state`)
            changed during a step.
        auto_save_interval: Also flush to disk every this many events (events
            are always flushed at each step end).
        detail: ``"offers"`` (everything, the default), ``"negotiations"`` (no
            offers/responses) or ``"contracts"`` (contracts, breaches, steps,
            stats, exceptions only); applies to events captured from a world.
        memory_window: Events gathered in the log on disk before it is rolled
            into a Parquet part (only with an ``output_dir``; the events of
            the log are read back from it, not kept in memory).
        flush_every: Flush after this many buffered events even mid-step.
    """

    def __init__(
        self,
        model: Any,
        output_dir: str | os.PathLike[str] | None = "recordings",
        record_state_changes: bool = True,
        auto_save_interval: int | None = None,
        *,
        detail: str = "offers",
        memory_window: int = 50_000,
        flush_every: int = 4096,
    ) -> None:
        # Every argument is checked before anything is written.
        for name, value in (("memory_window", memory_window), ("flush_every", flush_every)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int, not {value!r}")
        if auto_save_interval is not None and (
            not isinstance(auto_save_interval, int) or auto_save_interval < 1
        ):
            raise ValueError(
                f"auto_save_interval must be a positive int or None, not {auto_save_interval!r}"
            )
        self._allowed = allowed_types(detail)
        #: The bus event types this recorder wants (``None``: all). The bus reads
        #: it so that mechanisms do not even build the offers a coarse detail drops.
        self.event_types: frozenset[str] | None = self._allowed
        self._step: Callable[[Any], int] = (lambda _m: 0) if model is None else step_reader(model)
        self.model = model
        self.output_dir = prepare_output_dir(output_dir)
        self.record_state_changes = record_state_changes
        self.auto_save_interval = auto_save_interval
        self.detail = detail
        self.simulation_id = uuid.uuid4().hex[:8]
        self.start_time = datetime.now(UTC)
        self.simulation_metadata: dict[str, Any] = {
            "simulation_id": self.simulation_id,
            "start_time": self.start_time.isoformat(),
            "model_class": type(model).__name__ if model is not None else None,
        }
        self.folder: Path | None = None
        if self.output_dir is not None:
            self.folder = self.output_dir / f"simulation_{self.simulation_id}"
            try:
                self.folder.mkdir()
            except OSError as exc:
                raise RecordingError(
                    f"cannot create the recording folder {self.folder}: {exc}"
                ) from None
        self._store = EventStore(
            self.folder,
            window=memory_window,
            on_new_agents=self._write_manifest,
            on_new_file=self._write_manifest,
        )
        self._pending = self._store.pending
        # pending holds FIELDS values per event.
        self._flush_at = min(flush_every, auto_save_interval or flush_every) * FIELDS
        self._last_step: int | None = None
        self._marker: SimulationEvent | None = None
        self._world: Any = None
        self._world_status: str | None = None
        self._parameters: dict[str, Any] = {}
        self._states: StateTracker | None = None
        self._unwrap: Callable[[], None] | None = None
        self._closed = False
        #: True when record_event must look at more than the event (see _attend).
        self._attention = False
        self._status = "recording"
        self._finalizer = weakref.finalize(self, _finish, self._store)
        if model is not None:
            if has_bus(model):
                self.attach(model)
            else:
                self._hook_steps(model)
        self._write_manifest()

    # ----------------------------------------------------------------- wiring
    def attach(self, world: Any) -> None:
        """Capture every event of ``world`` (anything with a ``bus`` EventBus).

        ``SimulationRecorder(world)`` calls this itself; a world built with
        ``World(..., recorder=recorder)`` calls it too. Attaching the same world
        again does nothing; attaching a second one raises.
        """
        if not has_bus(world):
            raise TypeError(
                f"attach() needs a Palaver World (an object with a .bus EventBus); got "
                f"{type(world).__name__}. Record a Mesa model by passing it as `model`."
            )
        if self._world is world:
            return
        if self._world is not None or (self.model is not None and self.model is not world):
            raise RecordingError(
                "this recorder already records another model; use one recorder per world"
            )
        self._check_open()
        self.model = world
        self._step = step_reader(world)
        self.simulation_metadata["model_class"] = type(world).__name__
        self._world = world
        if self.record_state_changes:
            self._states = StateTracker(world)
        world.bus.add_sink(self)
        self._write_manifest()

    def _hook_steps(self, model: Any) -> None:
        if self.record_state_changes:
            self._states = StateTracker(model)
        recorder = weakref.ref(self)  # the model must not keep the recorder alive

        def after() -> None:
            rec = recorder()
            if rec is not None and not rec._closed:
                rec._end_of_step(rec._step(model))

        self._unwrap = wrap_step(model, after)

    def _end_of_step(self, step: int) -> None:
        self._end_of_step_states(step)
        self._store.flush()

    # -------------------------------------------------------------- recording
    def record_event(
        self,
        event_type: str,
        content: dict[str, Any] | str | None = None,
        agent_id: Any = None,
        metadata: dict[str, Any] | None = None,
        recipient_ids: list[Any] | None = None,
    ) -> None:
        """Record one event at the model's current step.

        A ``message`` becomes ``{"message": content, "recipient_ids": [...]}``;
        other non-dict content becomes ``{"data": content}``. Content and
        metadata are copied (as JSON text) now: later changes to the caller's
        objects do not reach the recording.
        """
        if self._attention:
            self._attend(event_type)
        if type(event_type) is not str:
            if not isinstance(event_type, str):
                raise TypeError(f"event_type must be a str, not {type(event_type).__name__}")
            event_type = str(event_type)
        if event_type == "message":
            content = {"message": content, "recipient_ids": recipient_ids or []}
        elif not isinstance(content, dict):
            content = {"data": content}
        step = self._step(self.model)
        if step != self._last_step:
            # The previous step is over: its events go to disk before this one.
            self._last_step = step
            self._store.flush()
        # Encoding is the copy: the JSON text is immutable and is what gets
        # stored, so each value is serialised once. This is encode() inlined
        # (a call costs a Python frame per event): orjson, and the standard
        # library for what orjson refuses or writes as null (maybe a NaN).
        try:
            text = fast_dumps(content, default=fast_default, option=FAST_OPTIONS).decode()
        except Exception:
            text = encode_slow(content)
        else:
            if "null" in text:
                text = encode_slow(content)
        pending = self._pending
        pending += (
            time(),
            step,
            event_type,
            agent_id,
            text,
            "" if metadata is None else encode(metadata),  # "": none (see FIELDS)
            None,
            None,
            None,
            None,
        )
        if len(pending) >= self._flush_at:
            self._store.flush()

    def _attend(self, event_type: str) -> None:
        # What record_event must check first, flagged by one attribute so that
        # the usual case costs one test: a closed recorder refuses the event, and
        # an event after save() drops the end marker that save() showed.
        self._check_open()
        if isinstance(event_type, str) and event_type != "simulation_end":
            self._set_marker(None)  # (an event refused for its type keeps the marker)

    def _set_marker(self, marker: SimulationEvent | None) -> None:
        self._marker = marker
        self._attention = self._closed or marker is not None

    def record_model_event(self, event_type: str, content: dict[str, Any]) -> None:
        """Record a model-level event (no agent, metadata ``{"source": "model"}``)."""
        self.record_event(event_type, content, None, {"source": "model"})

    def emit(self, event: Event) -> None:
        """Receive one event from a world's bus (the recorder is an ``EventSink``)."""
        # One unpacking instead of nine attribute reads (Event is a named tuple;
        # tests/recording checks its field order).
        run_id, seq, step, when, etype, agent_id, negotiation_id, contract_id, payload = event
        if type(etype) is not str:
            # A StrEnum's value is its text; str() would make a copy per event.
            etype = etype._value_ if type(etype) is EventType else str(etype)
        if self._closed or (self._allowed is not None and etype not in self._allowed):
            return
        boundary = etype in _SPECIAL
        if boundary:
            if etype == "state_change":
                return
            self._before_boundary(etype, step, payload)
        if self._attention:
            self._set_marker(None)
        # encode() inlined, as in record_event: one Python frame less per event.
        try:
            text = fast_dumps(payload, default=fast_default, option=FAST_OPTIONS).decode()
        except Exception:
            text = encode_slow(payload)
        else:
            if "null" in text:
                text = encode_slow(payload)
        pending = self._pending
        pending += (
            when,
            step,
            etype,
            agent_id,
            text,
            _WORLD_META,
            run_id,
            seq,
            negotiation_id,
            contract_id,
        )
        if boundary:
            if etype == "step_end":
                self._store.flush()
            elif etype == "simulation_end":
                self._world_status = str(payload.get("status", "unknown"))
                self.flush()
        elif len(pending) >= self._flush_at:
            self._store.flush()

    def _before_boundary(self, etype: str, step: int, payload: Any) -> None:
        # What a step end or the simulation start needs before being recorded.
        if etype == "step_end":
            self._end_of_step_states(step)
        elif etype == "simulation_start":
            self._parameters = {k: plain(v) for k, v in payload.items()}
            if self._states is not None:
                # Agents join after the world (and so the recorder) is built:
                # their state when the run starts is the baseline.
                self._states = StateTracker(self.model)

    def _end_of_step_states(self, step: int) -> None:
        if self._states is None:
            return
        now = time()
        for agent_id, content in self._states.changes():
            self._set_marker(None)
            self._pending += (
                now,
                step,
                "state_change",
                agent_id,
                content,
                _RECORDER_META,
                None,
                None,
                None,
                None,
            )

    def flush(self) -> None:
        """Write buffered events and the manifest to disk now, durably (``fsync``)."""
        self._store.flush()
        self._store.sync()
        self._write_manifest()

    # ---------------------------------------------------------------- queries
    def _view(self, kind: str | None = None, key: Any = None) -> EventView:
        self._store.flush()
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
        self._store.flush()
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
            "simulation_steps": self._step(self.model),
            "recording_duration_minutes": (datetime.now(UTC) - self.start_time).total_seconds()
            / 60,
            "events_per_agent": {originals.get(k, k): n for k, n in agents.items()},
        }

    # ------------------------------------------------------------ completion
    def _completion_status(self) -> str:
        return completion_status(self.model, self._step(self.model), self._world_status)

    def _last_type(self) -> str | None:
        if self._pending:
            return self._pending[2 - FIELDS]
        if not self._store.count:
            return None
        return self._store.take_last_type()

    def _update_metadata(self) -> str:
        status = self._completion_status()
        now = datetime.now(UTC)
        agents = getattr(self.model, "agents", None)
        self.simulation_metadata.update(
            {
                "end_time": now.isoformat(),
                "total_steps": self._step(self.model),
                "total_events": self._store.count,
                "total_agents": len(agents) if agents is not None else len(self._counts()[0]),
                "duration_minutes": (now - self.start_time).total_seconds() / 60,
                "completion_status": status,
            }
        )
        return status

    def _end_content(self, status: str) -> dict[str, Any]:
        return {
            "status": status,
            "final_step": self._step(self.model),
            "total_events": self._store.count,
        }

    def save(self, filename: str | os.PathLike[str] | None = None, format: str = "json") -> Path:
        """Export the recording to ``output_dir/filename`` and return its path.

        ``format="json"`` writes the documented layout (``metadata``, ``events``,
        ``agent_summaries``) ending with one ``simulation_end`` marker, replaced
        (never duplicated) by later saves; ``format="parquet"`` writes the
        ``events`` table as one Parquet file. Saving streams stored rows; it
        never re-encodes event content.
        """
        if format == "pickle":
            raise ValueError(
                "format='pickle' is not supported: loading a pickle file can run arbitrary "
                "code. Use format='json' (the documented layout) or format='parquet' "
                "(compact; reads with pandas, polars and DuckDB)."
            )
        if format not in _FORMATS:
            raise ValueError(f"unknown format {format!r}; use 'json' or 'parquet'")
        if self.output_dir is None:
            raise RecordingError(
                "this recorder has output_dir=None (in memory only); nothing can be saved"
            )
        if filename is None:
            stamp = datetime.now(UTC).strftime("%Y%m%d_%H%M%S")
            filename = f"simulation_{self.simulation_id}_{stamp}.{format}"
        path = inside(self.output_dir, filename)
        self._store.flush()
        status = self._update_metadata()
        if self._last_type() == "simulation_end":
            self._set_marker(None)
        else:
            self._set_marker(
                SimulationEvent(
                    event_id=f"{self.simulation_id}_{self._store.count:06d}",
                    timestamp=datetime.now(UTC),
                    step=self._step(self.model),
                    agent_id=None,
                    event_type="simulation_end",
                    content=self._end_content(status),
                    metadata={"source": "model"},
                )
            )
        tail = () if self._marker is None else (self._marker,)
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
            write_parquet(path, self._store, self.simulation_id)
        self._write_manifest(status)
        return path

    def close(self) -> None:
        """Finish the recording: record ``simulation_end`` (unless the world did),
        write the last Parquet part, the stats table and the final manifest."""
        if self._closed:
            return
        self._store.flush()
        status = self._update_metadata()
        if self._last_type() != "simulation_end":
            self._set_marker(None)
            self._pending += (
                time(),
                self._step(self.model),
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
            write_stats(self._store, stats_table(self.get_events_by_type("stats")))
        if self._world is not None:
            self._world.bus.remove_sink(self)
        if self._unwrap is not None:
            self._unwrap()
            self._unwrap = None
        self._closed = True
        self._attention = True
        self._write_manifest(status)

    def _check_open(self) -> None:
        if self._closed:
            raise RecordingError("this recorder is closed; create a new one to record more")

    def __enter__(self) -> SimulationRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -------------------------------------------------------------- manifest
    def _write_manifest(self, status: str | None = None) -> None:
        if status is not None:
            self._status = status
        if self.folder is None:
            return
        model = self.model
        agents, types = self._counts() if not self._pending else (None, None)
        manifest = {
            "simulation_id": self.simulation_id,
            "run_id": getattr(getattr(model, "bus", None), "run_id", None),
            "status": self._status,
            "seed": model_seed(model),
            "model_class": type(model).__name__ if model is not None else None,
            "model_module": type(model).__module__ if model is not None else None,
            "parameters": self._parameters,
            "versions": versions(),
            "recorder": {
                "detail": self.detail,
                "record_state_changes": self.record_state_changes,
                "auto_save_interval": self.auto_save_interval,
                "memory_window": self._store.window,
            },
            "counts": {
                "events": self._store.count,
                "steps": self._step(model) if model is not None else 0,
                "agents": None if agents is None else len(agents),
                "by_type": None if types is None else dict(types),
            },
            "agents": list(self._store.agents.values()),
            "simulation_metadata": self.simulation_metadata,
            "storage": self._store.describe(),
        }
        write_manifest(self.folder, manifest)

"""The simulation recorder: the documented recorder API over streaming storage."""

from __future__ import annotations

import os
import uuid
import weakref
from collections.abc import Callable
from datetime import UTC, datetime
from time import time
from typing import TYPE_CHECKING, Any

from palaver._util.checks import check_bool, check_int
from palaver.events import Event, EventBatch, EventType, plain
from palaver.recording.batches import ContentCache, batch_block
from palaver.recording.buffer import FIELDS
from palaver.recording.capture import Kept, allowed_types
from palaver.recording.checks import (
    check_agent_id,
    check_event_ids,
    check_event_type,
    check_metadata,
    check_path,
    check_recipients,
    check_storage_mode,
)
from palaver.recording.errors import OutputDirError, RecordingError
from palaver.recording.event import (
    ESCAPE_TEXT,
    FAST_OPTIONS,
    decode,
    encode,
    encode_slow,
    fast_default,
    fast_dumps,
    nonfinite,
)
from palaver.recording.files import prepare_output_dir
from palaver.recording.finishing import RecorderOutput, flush_at_exit
from palaver.recording.lifecycle import RecorderState
from palaver.recording.models import (
    StepReader,
    check_not_run,
    checked_step,
    has_bus,
    is_mechanism,
    negotiation_fields,
    step_reader,
)
from palaver.recording.state import StateTracker
from palaver.recording.stats import StatsRows
from palaver.recording.storage import EventStore

if TYPE_CHECKING:
    from palaver.mechanisms import Mechanism

_WORLD_META = '{"source":"world"}'
_RECORDER_META = '{"source":"recorder"}'
_BOUNDARIES = frozenset({"step_end", "simulation_start", "simulation_end"})
# Bus events the recorder handles itself: the boundaries, and the world's own
# state_change events, which would duplicate the recorder's state tracking (it
# compares the same get_private_state, and more; see recording/state.py).
_SPECIAL = _BOUNDARIES | {"state_change"}
"""Bus events on which emit() does more than record."""
_UNREAD = object()
"""The raw step before any was read."""


_FAST_IDS = frozenset({int, type(None)})
"""Agent ids ``record_event`` takes without a call (text is checked to be valid Unicode)."""


def _weakly(method: Callable[[], None]) -> Callable[[], None]:
    """``method``, called through a weak reference to its recorder.

    The recorder's finalizer keeps its store alive until it runs: a store
    holding the recorder's own bound method would keep the recorder (and its
    model) alive too, so an unclosed recorder would never be collected,
    holding its model, its memory and its open log until the process exits.
    """
    ref = weakref.WeakMethod(method)

    def call() -> None:
        bound = ref()
        if bound is not None:
            bound()

    return call


class SimulationRecorder(RecorderState, RecorderOutput):
    """Records every event of a simulation, streamed to disk and indexed.

    Args:
        model: A Palaver ``World`` (recorded automatically once attached, see
            :meth:`attach`), a Mesa 3 ``Model``, or ``None`` when the world will
            attach the recorder itself (``World(..., recorder=recorder)``).
        output_dir: Folder receiving the recording (``simulation_<id>/``) and
            the files :meth:`save` writes. ``None`` keeps everything in memory
            and writes nothing.
        record_state_changes: Record each agent's observable state when
            recording starts (see :attr:`initial_states`) and a
            ``state_change`` event for each agent whose observable state (see
            :mod:`palaver.recording.state`) changed during a step.
        auto_save_interval: Every this many events, ``save(format="folder")``:
            flush to the recording folder and show the ``simulation_end``
            marker, as mesa-llm's autosave does, without writing an export
            file (events are flushed at each step end anyway).
        detail: ``"offers"`` (everything, the default), ``"negotiations"`` (no
            offers/responses) or ``"contracts"`` (contracts, breaches, steps,
            stats, exceptions only); applies to events captured from a world.
        memory_window: Events gathered in the log on disk before it is rolled
            into a Parquet part (only with an ``output_dir``; the events of
            the log are read back from it, not kept in memory).
        flush_every: Flush after this many buffered events even mid-step.
        merge_parts: When a recording of at least 2,000,000 events closes,
            merge its parts into parts of ~500,000 events grouped by agent
            (faster agent queries and SQL, slower step queries; see
            docs/recording.md, "The recording folder"). ``False`` keeps the
            parts as written.
        storage_mode: For code written for later mesa-llm versions:
            ``"memory"`` or ``"jsonl"`` (streaming to disk, which needs an
            ``output_dir``). Palaver streams to the recording folder in both
            modes; the mode given is kept in ``simulation_metadata``.
        max_events_in_memory: For code written for later mesa-llm versions: at
            most this many events are held in memory before they are written
            to the recording folder (``flush_every`` is lowered to it; 0 writes
            each event at once). ``events`` still holds every event.
        state_value_limit: The longest JSON text (in characters) of one field's
            value that state tracking records: a field whose new value is
            longer is recorded as gone (``"new": null``) and no longer tracked
            for that agent, with a ``warning`` event and a
            :class:`RecordingWarning` saying so (a list that grows every step
            would otherwise be stored whole at every step). ``None``: no limit.
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
        merge_parts: bool = True,
        storage_mode: str | None = None,
        max_events_in_memory: int | None = None,
        state_value_limit: int | None = 10_000,
    ) -> None:
        # Every argument is checked before anything is written. A wrong type is
        # a ValueError here, as these checks raised before TypeError was used
        # elsewhere (docs/recording.md, "Errors").
        memory_window = check_int("memory_window", memory_window, minimum=1, type_error=ValueError)
        flush_every = check_int("flush_every", flush_every, minimum=1, type_error=ValueError)
        auto_save_interval = check_int(
            "auto_save_interval", auto_save_interval, minimum=1, none_ok=True, type_error=ValueError
        )
        check_bool("record_state_changes", record_state_changes)
        state_value_limit = check_int(
            "state_value_limit", state_value_limit, minimum=1, none_ok=True, type_error=ValueError
        )
        check_bool("merge_parts", merge_parts)
        check_path("output_dir", output_dir, none_ok=True)
        max_events_in_memory = check_int(
            "max_events_in_memory", max_events_in_memory, minimum=0, none_ok=True
        )
        if max_events_in_memory is not None:
            flush_every = min(flush_every, max(1, max_events_in_memory))
        check_storage_mode(storage_mode, output_dir)
        self._allowed = allowed_types(detail)
        #: The bus event types this recorder wants (``None``: all). The bus reads
        #: it so that mechanisms do not even build the offers a coarse detail drops.
        self.event_types: Kept = self._allowed
        self._step: StepReader = (lambda _m: 0) if model is None else step_reader(model)
        check_not_run(model)
        self.model = model
        try:
            self.output_dir = prepare_output_dir(output_dir)
        except OutputDirError:
            raise
        except RecordingError as exc:
            raise OutputDirError(str(exc)) from None
        self.record_state_changes = record_state_changes
        self.state_value_limit = state_value_limit
        self._warned_fields = set()
        self.merge_parts = merge_parts
        self.auto_save_interval = auto_save_interval
        self.storage_mode = "memory" if storage_mode is None else storage_mode
        self.max_events_in_memory = max_events_in_memory
        self.detail = detail
        self.simulation_id = uuid.uuid4().hex[:8]
        self.start_time = datetime.now(UTC)
        self.simulation_metadata: dict[str, Any] = {
            "simulation_id": self.simulation_id,
            "start_time": self.start_time.isoformat(),
            "model_class": type(model).__name__ if model is not None else None,
        }
        if storage_mode is not None:
            # As the mesa-llm versions that take the option record it; the
            # seed's metadata otherwise.
            self.simulation_metadata["storage_mode"] = storage_mode
        self.folder = None
        if self.output_dir is not None:
            self.folder = self.output_dir / f"simulation_{self.simulation_id}"
            try:
                self.folder.mkdir()
            except OSError as exc:
                raise OutputDirError(
                    f"cannot create the recording folder {self.folder}: {exc}"
                ) from None
        write_manifest = _weakly(self._write_manifest)
        self._store = EventStore(
            self.folder,
            window=memory_window,
            on_new_agents=write_manifest,
            on_new_file=write_manifest,
        )
        self._pending = self._store.pending
        self._flush_every = flush_every
        self._contents = ContentCache()
        # pending holds FIELDS values per event.
        self._flush_at = min(flush_every, auto_save_interval or flush_every) * FIELDS
        self._saved_at = 0
        self._autosaving = False
        self._raw_step: Any = _UNREAD
        self._last_step: int | None = None
        self._marker = None
        self._world: Any = None
        #: The world when it is a standalone mechanism: its events get their
        #: round as step and their negotiator as agent (negotiation_fields).
        self._negotiation: Mechanism | None = None
        self._world_status: str | None = None
        self._parameters: dict[str, Any] = {}
        #: The stats table's rows of the ``stats`` events captured from a world.
        self._stats = StatsRows()
        self._states: StateTracker | None = None
        self._initial: dict[Any, dict[str, Any]] = {}
        self._initial_step = 0
        self._stepped = False
        self._unwrap: Callable[[], None] | None = None
        self._closed = False
        #: True when record_event must look at more than the event (see _attend).
        self._attention = False
        self._status = "recording"
        self._finalizer = weakref.finalize(self, flush_at_exit, self._store)
        if model is not None:
            if has_bus(model):
                self.attach(model)
            else:
                self._hook_steps(model)
        self._write_manifest()

    # ----------------------------------------------------------------- wiring
    def attach(self, world: Any) -> None:
        """Capture every event of ``world`` (a Palaver ``World``, or any object
        whose ``bus`` is an ``EventBus``, such as a standalone mechanism).

        ``SimulationRecorder(world)`` calls this itself; a world built with
        ``World(..., recorder=recorder)`` calls it too. Attaching the same world
        again does nothing; attaching a second one raises.
        """
        if not has_bus(world):
            raise TypeError(
                f"attach() needs a Palaver World (or an object whose .bus is an EventBus); "
                f"got {type(world).__name__}. Record a Mesa model by passing it as `model`."
            )
        if self._world is world:
            return
        check_not_run(world)
        if self._world is not None or (self.model is not None and self.model is not world):
            raise RecordingError(
                "this recorder already records another model; use one recorder per world"
            )
        self._check_open()
        self.model = world
        self._step = step_reader(world)
        self.simulation_metadata["model_class"] = type(world).__name__
        self._world = world
        if is_mechanism(world):
            self._negotiation = world
        started = getattr(world, "run_parameters", None)
        if isinstance(started, dict):
            # Attached after the run started: its simulation_start is gone.
            self._parameters = {k: plain(v) for k, v in started.items()}
        if self.record_state_changes:
            self._baseline()
        world.bus.add_sink(self)
        self._write_manifest()

    def _end_of_step(self, step: int) -> None:
        self._end_of_step_states(step)
        self._flush()

    def _current_step(self) -> int:
        """The model's step now, checked (``TypeError`` when unusable)."""
        return checked_step(self.model, self._step(self.model))

    def _new_step(self, raw: Any) -> int:
        # The step read differs from the last one (as an object): check it, and
        # when it is another step, the previous step's events go to disk first.
        step = checked_step(self.model, raw)
        self._raw_step = raw
        if step != self._last_step:
            self._last_step = step
            self._flush()
            if self._marker is not None:
                # An autosave point just showed its end marker, and the event
                # being recorded comes after it.
                self._set_marker(None)
        return step

    def _flush(self) -> None:
        """Write buffered events to the log; an autosave point when one is due."""
        self._store.flush()
        interval = self.auto_save_interval
        if interval is None:
            self._flush_at = self._flush_every * FIELDS
        else:
            if self._store.count - self._saved_at >= interval and not self._autosaving:
                # As in mesa-llm, an autosave is a call of save(), so that a
                # subclass's save() sees it (one that writes no export file),
                # with events_since_save still at its due count; the flag keeps
                # the save's own flush from starting another.
                self._autosaving = True
                try:
                    if self.output_dir is not None:
                        self.save(format="folder")
                finally:
                    self._autosaving = False
                    # Also when a subclass's save() did not call the recorder's.
                    self._saved_at = self._store.count
            due = interval - (self._store.count - self._saved_at)
            self._flush_at = min(self._flush_every, due) * FIELDS

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
        objects do not reach the recording. Raises ``TypeError`` when the
        model's step is not an integer (a Mesa model whose ``steps`` is None).
        """
        if self._attention:
            self._attend(event_type)
        if type(event_type) is not str or not event_type or not event_type.isascii():
            event_type = check_event_type(event_type)
        if agent_id.__class__ not in _FAST_IDS:
            check_agent_id(agent_id)
        if event_type == "message":
            content = {"message": content, "recipient_ids": check_recipients(recipient_ids)}
        else:
            if recipient_ids is not None:
                check_recipients(recipient_ids)
            if content.__class__ is not dict and not isinstance(content, dict):
                content = {"data": content}
        raw = self._step(self.model)
        # The same object as last time (the usual case): already checked.
        step = self._last_step if raw is self._raw_step else self._new_step(raw)
        # Encoding is the copy: the JSON text is immutable and is what gets
        # stored, so each value is serialised once. This is encode() inlined
        # (a call costs a Python frame per event): orjson, and the standard
        # library for what orjson refuses or writes as null (maybe a NaN).
        try:
            text = fast_dumps(content, default=fast_default, option=FAST_OPTIONS).decode()
        except Exception:
            text = encode_slow(content)
        else:
            if "null" in text and (nonfinite(content) or ESCAPE_TEXT in text):
                text = encode_slow(content)
        pending = self._pending
        pending += (
            time(),
            step,
            event_type,
            agent_id,
            text,
            "" if metadata is None else encode(check_metadata(metadata)),  # "": none (FIELDS)
            None,
            None,
            None,
            None,
        )
        if len(pending) >= self._flush_at:
            self._flush()

    def _attend(self, event_type: str) -> None:
        # What record_event must check first, flagged by one attribute so that
        # the usual case costs one test: a closed recorder refuses the event, and
        # an event after save() drops the end marker that save() showed and
        # makes the recording unfinished again. An event refused for its type
        # changes nothing.
        self._check_open()
        if isinstance(event_type, str):
            self._resume(drop_marker=event_type != "simulation_end")

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
        if not (
            etype.isascii()
            and (agent_id is None or (agent_id.__class__ is str and agent_id.isascii()))
            and (
                negotiation_id is None
                or (negotiation_id.__class__ is str and negotiation_id.isascii())
            )
            and (contract_id is None or (contract_id.__class__ is str and contract_id.isascii()))
        ):
            # Refused here, in the emitter's call: buffered, an id that is not
            # text, or text UTF-8 cannot hold, would fail every later write of
            # the recording (its columns are text). Non-ASCII text is checked.
            check_event_ids(etype, agent_id, negotiation_id, contract_id)
        if self._negotiation is not None:
            step, agent_id = negotiation_fields(self._negotiation, etype, agent_id, payload)
        boundary = etype in _SPECIAL
        if boundary:
            if etype == "state_change":
                return
            self._before_boundary(etype, step, payload)
        if self._attention:
            self._resume()
        # encode() inlined, as in record_event: one Python frame less per event.
        try:
            text = fast_dumps(payload, default=fast_default, option=FAST_OPTIONS).decode()
        except Exception:
            text = encode_slow(payload)
        else:
            if "null" in text and (nonfinite(payload) or ESCAPE_TEXT in text):
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
        if etype == "stats":
            self._stats.add(step, decode(text))  # as the stored text reads back
        if boundary:
            if etype == "step_end":
                self._flush()
            elif etype == "simulation_end":
                self._world_status = str(payload.get("status", "unknown"))
                self.flush()
        elif len(pending) >= self._flush_at:
            self._flush()

    def emit_batch(self, batch: EventBatch) -> None:
        """Receive a mechanism's offers and responses as one batch (see
        :mod:`palaver.events.batch`); they are stored as the same rows that
        :meth:`emit` would store for each, without a Python object per event."""
        if self._closed:
            return
        if self._negotiation is not None:
            # Rows of one batch span rounds, and a block has one step: one
            # negotiation's events, taken one by one, cost little.
            for event in batch.events():
                self.emit(event)
            return
        block = batch_block(batch, self._allowed, _WORLD_META, self._contents)
        if block is None:
            return
        if self._attention:
            self._resume()
        # After the events buffered before: the store writes them with the rest.
        self._store.add_block(block)
        # The flush threshold counts the flat buffer's values (FIELDS per
        # event): the block's events bring it nearer, until the next flush.
        self._flush_at -= block.n * FIELDS
        if len(self._pending) >= self._flush_at:
            self._flush()

    def _before_boundary(self, etype: str, step: int, payload: Any) -> None:
        # What a step end or the simulation start needs before being recorded.
        if etype == "step_end":
            self._end_of_step_states(step)
        elif etype == "simulation_start":
            self._parameters = {k: plain(v) for k, v in payload.items()}
            if self._states is not None:
                # Agents join after the world (and so the recorder) is built:
                # their state when the run starts is the baseline.
                self._baseline()

    def flush(self) -> None:
        """Write buffered events and the manifest to disk now, durably (``fsync``)."""
        if self._world is not None:
            self._world.bus.flush_rows()
        self._store.flush()
        self._store.sync()
        self._write_manifest()

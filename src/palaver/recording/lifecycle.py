"""The recorder's state tracking, its hold on the model's steps, and the
classic recorder's attributes.

:class:`RecorderState` is the part of
:class:`~palaver.recording.SimulationRecorder` that follows the model between
events: the baseline of every agent's state and its changes at each step end,
and the wrapped ``step`` of a Mesa model.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable
from time import time
from typing import TYPE_CHECKING, Any

from palaver.recording.errors import RecordingWarning
from palaver.recording.event import encode
from palaver.recording.frames import restored
from palaver.recording.models import kind_of, wrap_step
from palaver.recording.state import StateTracker, plain_state

if TYPE_CHECKING:
    from palaver.recording.storage import EventStore

_RECORDER_META = '{"source":"recorder"}'


class RecorderState:
    """State tracking, step hooks and the seed's attributes."""

    model: Any
    record_state_changes: bool
    state_value_limit: int | None
    _store: EventStore
    _pending: list[Any]
    _states: StateTracker | None
    _initial: dict[Any, dict[str, Any]]
    _initial_step: int
    _stepped: bool
    _closed: bool
    _saved_at: int
    _unwrap: Callable[[], None] | None
    _warned_fields: set[str]

    if TYPE_CHECKING:  # provided by SimulationRecorder and RecorderOutput

        def _current_step(self) -> int: ...

        def _end_of_step(self, step: int) -> None: ...

        def _write_initial_states(self) -> None: ...

        def _resume(self, drop_marker: bool = True) -> None: ...

    def _hook_steps(self, model: Any) -> None:
        if self.record_state_changes:
            self._baseline()
        recorder = weakref.ref(self)  # the model must not keep the recorder alive

        def before() -> None:
            rec = recorder()
            if rec is not None and not rec._closed and not rec._stepped:
                rec._stepped = True
                if rec._states is not None:
                    try:
                        missed = rec._current_step() != rec._initial_step
                    except TypeError:  # reported by the first record_event
                        missed = False
                    if missed:
                        # Steps ran without this wrapper (a simulator that took the
                        # model's step before the recorder was built): what they
                        # changed is a change, not the state recording starts from.
                        rec._end_of_step(rec._current_step())
                        return
                    # What the model set up after the recorder was built (agents
                    # created, values initialised) is the state recording starts from.
                    rec._baseline()
                    # A read that failed now failed before the step: its step is the baseline's.
                    rec._state_errors(rec._initial_step, time())

        def after() -> None:
            rec = recorder()
            if rec is not None and not rec._closed:
                rec._end_of_step(rec._current_step())

        self._unwrap = wrap_step(model, before, after)

    def _baseline_again(self) -> None:
        """Take the state recording starts from again, before any step ran: what
        the caller changed since the recorder was built (``@record_model`` handing
        agents their ``recorder``) belongs to it, not to the first step's changes.
        A model stepped by a simulator set up earlier bypasses the wrapper's own
        retake, so the decorator calls this."""
        if self._states is not None and not self._stepped and not self._closed:
            self._baseline()

    def _baseline(self) -> None:
        """Take every agent's observable state as the one recording starts from.

        An agent whose state cannot be read now keeps the one taken before (when
        the recorder was built), as at any step end.
        """
        before = None if self._states is None else self._states.previous
        self._states = StateTracker(
            self.model,
            include_model=kind_of(self.model) == "mesa",
            previous=before,
            value_limit=self.state_value_limit,
        )
        self._initial = {k: plain_state(v) for k, v in self._states.previous.items()}
        try:
            self._initial_step = self._current_step()
        except TypeError:  # reported by the first record_event
            self._initial_step = 0
        self._write_initial_states()

    def _end_of_step_states(self, step: int) -> None:
        if self._states is None:
            return
        now = time()
        states = self._states
        for agent_id, content in states.changes():
            self._resume()
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
        self._state_errors(step, now)
        if states.oversized:
            self._state_oversized(step, now)

    def _state_oversized(self, step: int, now: float) -> None:
        """Record a ``warning`` event per field the tracker stopped tracking
        (see :meth:`StateTracker.changes`), and warn once per field name."""
        states = self._states
        assert states is not None
        for agent_id, name, length in states.oversized:
            message = (
                f"the value of {name!r} is {length} characters of JSON, more than "
                f"state_value_limit={self.state_value_limit}: it is no longer tracked for "
                "this agent (recorded whole at every change, a value that grows each step "
                "makes the recording grow with the square of the run's length); raise "
                "state_value_limit (None: no limit) or record it yourself"
            )
            self._resume()
            self._pending += (
                now,
                step,
                "warning",
                agent_id,
                encode(
                    {
                        "where": "state_change",
                        "field": name,
                        "length": length,
                        "limit": self.state_value_limit,
                        "message": message,
                    }
                ),
                _RECORDER_META,
                None,
                None,
                None,
                None,
            )
            if name not in self._warned_fields:
                self._warned_fields.add(name)
                who = "the model" if agent_id is None else f"agent {agent_id!r}"
                warnings.warn(
                    f"state_change: {message} (first for {who}, step {step}; a 'warning' "
                    "event is recorded for each agent)",
                    RecordingWarning,
                    stacklevel=2,
                )
        states.oversized.clear()

    def _state_errors(self, step: int, now: float) -> None:
        """Record an ``exception`` event per agent whose state could not be read."""
        states = self._states
        if states is None:
            return
        for agent_id, exc in states.errors:
            self._resume()
            failure = {
                "where": "observable_state",
                "exception": type(exc).__name__,
                "message": str(exc),
                "traceback": None,
            }
            self._pending += (
                now,
                step,
                "exception",
                agent_id,
                encode(failure),
                _RECORDER_META,
                None,
                None,
                None,
                None,
            )
        states.errors.clear()

    # ------------------------------------------------------- seed attributes
    @property
    def events_since_save(self) -> int:
        """Events recorded since the last :meth:`save` or autosave point."""
        return self._store.count - self._saved_at

    @events_since_save.setter
    def events_since_save(self, value: int) -> None:
        self._saved_at = self._store.count - int(value)

    @property
    def total_events_recorded(self) -> int:
        """Events recorded so far (a save's ``simulation_end`` marker aside);
        the attribute of later mesa-llm versions."""
        return self._store.count

    @property
    def initial_states(self) -> dict[Any, dict[str, Any]]:
        """Each agent's observable state when recording started (agent id ->
        field -> value; the key ``None`` holds a Mesa model's own values).
        Empty with ``record_state_changes=False``."""
        return {
            k: {f: restored(f, x) for f, x in v.items()}
            for k, v in self._initial.items()
            if k is not None
        }

    @property
    def previous_agent_states(self) -> dict[Any, dict[str, Any]]:
        """Each agent's observable state as last compared (agent id -> field ->
        value): at the last step end, or when recording started."""
        if self._states is None:
            return {}
        return {
            k: {f: restored(f, x) for f, x in plain_state(v).items()}
            for k, v in self._states.previous.items()
            if k is not None
        }

"""The recorder's state tracking, its hold on the model's steps and the
garbage collector, and the classic recorder's attributes.

:class:`RecorderState` is the part of
:class:`~palaver.recording.SimulationRecorder` that follows the model between
events: the baseline of every agent's state and its changes at each step end,
the wrapped ``step`` of a Mesa model, and the freezing of a world's
long-lived objects for the garbage collector.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from time import time
from typing import TYPE_CHECKING, Any

from palaver.recording.event import encode
from palaver.recording.frames import restored
from palaver.recording.models import kind_of, wrap_step
from palaver.recording.state import StateTracker, plain_state

if TYPE_CHECKING:
    from palaver.recording.storage import EventStore

_RECORDER_META = '{"source":"recorder"}'
YOUNG_THRESHOLD = 10_000
"""Allocations between young collections while a recorded world runs (see
:meth:`RecorderState._freeze_run_objects`)."""


class RecorderState:
    """State tracking, step hooks, GC freezing and the seed's attributes."""

    model: Any
    record_state_changes: bool
    _store: EventStore
    _pending: list[Any]
    _states: StateTracker | None
    _initial: dict[Any, dict[str, Any]]
    _initial_step: int
    _stepped: bool
    _closed: bool
    _frozen: bool
    _thresholds: tuple[int, int, int]
    _saved_at: int
    _unwrap: Callable[[], None] | None

    if TYPE_CHECKING:  # provided by SimulationRecorder and RecorderOutput

        def _current_step(self) -> int: ...

        def _end_of_step(self, step: int) -> None: ...

        def _write_initial_states(self) -> None: ...

        def _set_marker(self, marker: Any) -> None: ...

    def _hook_steps(self, model: Any) -> None:
        if self.record_state_changes:
            self._baseline()
        recorder = weakref.ref(self)  # the model must not keep the recorder alive

        def before() -> None:
            rec = recorder()
            if rec is not None and not rec._closed and not rec._stepped:
                rec._stepped = True
                if rec._states is not None:
                    # What the model set up after the recorder was built (agents
                    # created, values initialised) is the state recording starts from.
                    rec._baseline()

        def after() -> None:
            rec = recorder()
            if rec is not None and not rec._closed:
                rec._end_of_step(rec._current_step())

        self._unwrap = wrap_step(model, before, after)

    def _baseline(self) -> None:
        """Take every agent's observable state as the one recording starts from."""
        self._states = StateTracker(self.model, include_model=kind_of(self.model) == "mesa")
        self._initial = {k: plain_state(v) for k, v in self._states.previous.items()}
        try:
            self._initial_step = self._current_step()
        except TypeError:  # reported by the first record_event
            self._initial_step = 0
        self._write_initial_states()

    def _freeze_run_objects(self) -> None:
        """Keep the garbage collector from scanning the world's long-lived objects.

        When the run starts, everything that exists (the world, its agents,
        their negotiators and preferences, the recorder) lives until the run
        ends, yet every full collection would scan it again: the collector is
        triggered by allocations, and a world and its recording allocate many
        short-lived objects. One collection first (what is already garbage
        must not be kept), then ``gc.freeze()`` moves the survivors out of the
        collector's reach until :meth:`_thaw` (at ``simulation_end`` or
        :meth:`close`) gives them back. Objects made during the run are
        collected as usual: finished negotiations are cyclic garbage.

        The young generation's threshold is also raised (to
        :data:`YOUNG_THRESHOLD` allocations, and the older generations' to 20
        collections) for the run: the default 700 makes a collection every few
        hundred offers, each scanning what survived since the last one.
        Measured on a 500-agent TripsWorld recorded for 4 steps (loaded
        2-core machine): the collector took 1.53 s of 16.8 s CPU with the
        defaults, 0.46 s of 14.7 s with these. Both are undone by :meth:`_thaw`.
        """
        if gc.isenabled() and not self._frozen:
            gc.collect()
            gc.freeze()
            self._thresholds = gc.get_threshold()
            young, middle, old = self._thresholds
            gc.set_threshold(max(young, YOUNG_THRESHOLD), max(middle, 20), max(old, 20))
            self._frozen = True

    def _thaw(self) -> None:
        if self._frozen:
            gc.unfreeze()
            gc.set_threshold(*self._thresholds)
            self._frozen = False

    def _end_of_step_states(self, step: int) -> None:
        if self._states is None:
            return
        now = time()
        states = self._states
        for agent_id, content in states.changes():
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
        for agent_id, exc in states.errors:
            self._set_marker(None)
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

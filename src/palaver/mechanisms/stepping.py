"""How a mechanism runs: starting, stepping, the round loop's bookkeeping, ending.

:class:`MechanismStepping` is the part of :class:`~palaver.mechanisms.Mechanism`
(which derives from it) that plays the negotiation: ``step()``, ``run()`` and
``abort()``, the start (negotiators told, utility functions lent the outcome
space, ``negotiation_started``), the counting of each round
(:meth:`_round_played`, which every round loop ends its rounds with) and the
end (negotiators told, ``negotiation_ended``, a pending error raised). It is
a base class rather than an owned component because the round loops are the
hot path: they read the mechanism's attributes directly. The pieces that are
not on every round live in their own modules: NegMAS-style ``__call__``
rounds (:mod:`.call_rounds`), round callbacks (:mod:`.callbacks`), the checks
before a round (:mod:`.round_guard`) and watched runs (:mod:`.watched`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from palaver.events import EventType
from palaver.mechanisms import acting, watched
from palaver.mechanisms.autosave import AutoCheckpoints
from palaver.mechanisms.call_rounds import play_calls
from palaver.mechanisms.callbacks import defining, play_with_callbacks
from palaver.mechanisms.errors import MechanismTypeError, NegotiatorError
from palaver.mechanisms.options import MechanismLimits
from palaver.mechanisms.own_limits import Clocks, call_in_own_time, own_clocks
from palaver.mechanisms.payloads import ended_payload, started_payload
from palaver.mechanisms.saving import MechanismSaving
from palaver.mechanisms.state import MechanismState
from palaver.mechanisms.ufun_binding import (
    bind_owners,
    lend_space,
    release_owners,
    take_back_space,
)
from palaver.mechanisms.watched import StateCallback
from palaver.outcomes import Outcome
from palaver.preferences.changes import PreferencesChange, PreferencesChangeType

if TYPE_CHECKING:
    from palaver.mechanisms.nmi import MechanismFacts

__all__ = ["MechanismStepping", "StateCallback"]


class MechanismStepping(MechanismSaving):
    """Starting, stepping, running, aborting and ending a negotiation (see :class:`Mechanism`)."""

    #: Fields its creator adds to the ``negotiation_started`` and
    #: ``negotiation_ended`` payloads (a world marks a renegotiation so).
    event_fields: dict[str, Any] | None = None

    # Limits of negotiators of their own (palaver.mechanisms.own_limits); set
    # only by a negotiator that joins with some, so other mechanisms pay nothing.
    #: The limits the mechanism was made with, once a negotiator's own tightened them.
    _shared_limits: MechanismLimits | None = None
    #: Per negotiator index: the limits that negotiator sees, when it has its own.
    _own_views: dict[int, MechanismLimits] | None = None
    #: Per negotiator (from the start): its clock, when some negotiator sees
    #: limits other than those the negotiation ends at.
    _own_clocks: Clocks | None = None

    # Set by Mechanism.__init__.
    _dynamic_entry: bool
    _inv_steps: float
    _to_payload: Callable[[Any], Any] | None
    #: Checked before every round when there is anything to check (see round_guard).
    _step_guard: Callable[[], bool] | None
    _autosave: AutoCheckpoints | None
    #: Negotiators with on_round_start / on_round_end (found when it starts).
    _round_starts: list[Any]
    _round_ends: list[Any]
    #: Utility functions lent the outcome space while it runs (see ufun_binding).
    _lent_ufuns: list[Any]
    #: What its interfaces read (palaver.mechanisms.nmi); told when it starts.
    _facts: MechanismFacts

    def step(self, action: Mapping[str, Any] | None = None) -> MechanismState:
        """Run one round (starting the negotiation first if needed) and return the state.

        Does nothing once the negotiation has ended. NegMAS's ``action`` maps
        negotiator ids to their moves for this step, made for them instead of
        calling them (``None`` for an id: it acts itself); see
        :mod:`palaver.mechanisms.acting` and :meth:`_stand_in`.
        """
        if action is not None:
            return acting.step_with(self, action)
        state = self._state
        if not state.started:
            if state.broken:  # aborted before it started
                return state
            if len(self._negotiators) < 2:
                return self._too_few()
            self._start()
            if not state.running:
                self._finish()
                return state
        elif not state.running:
            return state
        limits = self._limits
        time_limit = limits.time_limit
        if time_limit is not None and time.perf_counter() - self._start_time >= time_limit:
            self._time_out()
            return state
        guard = self._step_guard
        if guard is not None and guard():
            self._time_out()
            return state
        step_limit = limits.step_time_limit
        play = self._play_with_callbacks if self._round_starts or self._round_ends else self._play
        if step_limit is None:
            play(1)
        else:
            round_start = time.perf_counter()
            play(1)
            if state.running and time.perf_counter() - round_start > step_limit:
                state.timedout = True
                state.running = False
        state.time = time.perf_counter() - self._start_time
        if time_limit is not None and not state.timedout:
            state.relative_time = min(1.0, max(state.relative_time, state.time / time_limit))
        if not state.running:
            self._finish()
        return state

    def run(
        self,
        timeout: float | None = None,
        start_callback: StateCallback | None = None,
        progress_callback: StateCallback | None = None,
        completion_callback: StateCallback | None = None,
    ) -> MechanismState:
        """Step until the negotiation ends and return the final state.

        Does nothing once the negotiation has ended. NegMAS's arguments:
        ``timeout`` (seconds for this call; when they run out the negotiation
        ends as timed out), and callbacks called with the state once before
        the first step, after every step, and once at the end.
        """
        if (
            timeout is not None
            or start_callback is not None
            or progress_callback is not None
            or completion_callback is not None
        ):
            return watched.run_watched(
                self, timeout, start_callback, progress_callback, completion_callback
            )
        state = self._state
        if state.started and not state.running:
            return state
        limits = self._limits
        if (
            limits.time_limit is None
            and limits.step_time_limit is None
            and self._step_guard is None
            and limits.n_steps
        ):
            # Only the round limit applies: play all rounds in one call, which
            # lets a subclass keep its loop variables across rounds.
            if not state.started:
                if state.broken:  # aborted before it started
                    return state
                if len(self._negotiators) < 2:
                    return self._too_few()
                self._start()
            if state.running:
                if self._round_starts or self._round_ends:
                    self._play_with_callbacks(limits.n_steps - state.step)
                else:
                    self._play(limits.n_steps - state.step)
            if not state.running:
                self._finish()
            return state
        step = self.step
        step()
        while state.running:
            step()
        return state

    def run_with_progress(
        self,
        timeout: float | None = None,
        start_callback: StateCallback | None = None,
        progress_callback: StateCallback | None = None,
        completion_callback: StateCallback | None = None,
    ) -> MechanismState:
        """NegMAS's ``run_with_progress``: :meth:`run` step by step under a progress bar.

        The bar (rich, on standard error, removed when done) follows
        ``state.relative_time``; the arguments are :meth:`run`'s.
        """
        return watched.run_with_progress(
            self, timeout, start_callback, progress_callback, completion_callback
        )

    def abort(self) -> MechanismState:
        """End the negotiation now, broken with an error, and return the state (NegMAS's ``abort``).

        As NegMAS's: ``broken`` and ``has_error`` are set, ``agreement`` is
        cleared, the aborted round counts as a step, negotiators that define
        ``on_round_end`` are told (when the mechanism has ``extra_callbacks``
        and the negotiation was running), then every negotiator gets
        ``on_negotiation_end`` and ``negotiation_ended`` is emitted (result
        ``"error"``). ``error_details`` says it was aborted. An aborted
        negotiation never starts or resumes: later ``step()`` and ``run()``
        return the state unchanged.

        Unlike NegMAS's, aborting a negotiation that already ended changes
        nothing (its agreement and recorded end stand). Call it between steps,
        not from inside a negotiator's callback.
        """
        state = self._state
        if not state.running and (state.started or state.broken):
            return state
        was_running = state.running
        state.has_error = True
        state.error_details = f"{type(self).__name__} {self._id!r} was aborted (abort())"
        state.broken = True
        state.timedout = False
        state.agreement = None
        state.running = False
        if was_running:
            for negotiator in self._round_ends:
                try:
                    negotiator.on_round_end(state)
                except Exception as exc:
                    self._failures.failed_at_end(negotiator, exc, "on_round_end")
        state.step += 1
        self._finish()
        return state

    def _watch_run(self, deadline: float | None) -> None:
        """A ``run(timeout=)`` ends at ``deadline`` (a ``time.perf_counter``
        reading; ``None``: it is over). This base stops at the timeout between
        steps only; SAO also stops a negotiator's call that overruns it."""

    def _time_out(self) -> None:
        state = self._state
        state.timedout = True
        state.running = False
        state.relative_time = 1.0
        self._finish()

    def _play(self, rounds: int) -> None:
        """Play up to ``rounds`` rounds, stopping early when the negotiation ends.

        After each round: count it (``state.step += 1``), end the negotiation
        as timed out when ``n_steps`` rounds are done, and otherwise advance
        ``relative_time``. This default calls :meth:`_round` once per round;
        subclasses with a hot loop override it as a whole.
        """
        state = self._state
        for _ in range(rounds):
            self._round()
            if not self._round_played(state.step + 1):
                return

    #: :meth:`_play` for a NegMAS-style subclass (chosen once per class, in
    #: ``Mechanism.__init_subclass__``; see :mod:`palaver.mechanisms.call_rounds`).
    _play_calls = play_calls
    #: :meth:`_play` between the negotiators' round callbacks (see :mod:`.callbacks`).
    _play_with_callbacks = play_with_callbacks

    def _round_played(self, played: int) -> bool:
        """Count ``played`` rounds as done and return whether the negotiation goes on.

        Ends it as timed out when ``n_steps`` rounds are done; otherwise sets
        the relative time of the next round. Every round loop ends its rounds here.
        """
        state = self._state
        state.step = played
        state.time = time.perf_counter() - self._start_time
        if not state.running:
            # NegMAS's ended state: the fraction of the round after it
            state.relative_time = min(1.0, (played + 1) * self._inv_steps)
            return False
        n_steps = self._limits.n_steps
        if n_steps is not None and played >= n_steps:
            state.timedout = True
            state.running = False
            state.relative_time = 1.0
            return False
        state.relative_time = (played + 1) * self._inv_steps
        return True

    def _round(self) -> None:
        """Run one round of the protocol; end it by setting the state's flags.

        A round that ends the negotiation sets ``state.running = False`` (and
        ``agreement``, ``broken`` or ``timedout``); the base class then counts
        the round, notifies the negotiators and emits ``negotiation_ended``.
        Negotiator exceptions go to :meth:`_negotiator_failed`.
        """
        raise NotImplementedError(
            f"{type(self).__name__} implements neither _round() nor __call__(state, action=None)"
        )

    def _stand_in(
        self, negotiator: Any, action: Any, spend: Callable[[], None]
    ) -> Mapping[str, Callable[..., Any]]:
        """The methods that make ``action`` for ``negotiator`` during a ``step(action)``
        (by name: they shadow its own for that step; they call ``spend()`` when the
        action is used, and act as the negotiator's own afterwards). This
        protocol has none."""
        raise MechanismTypeError(
            f"{type(self).__name__} takes no actions for its negotiators in step(action); "
            f"got {action!r} for {negotiator.id!r} (SAOMechanism does)"
        )

    def _too_few(self) -> MechanismState:
        """The state of a mechanism asked to start with fewer than two negotiators.

        It stays unstarted, as NegMAS's does: with ``dynamic_entry`` it waits
        for more; without, ``ended_without_starting`` says it gave up (a later
        call, once enough negotiators joined, still starts it).
        """
        state = self._state
        state.ended_without_starting = not self._dynamic_entry
        return state

    def _start(self) -> None:
        state = self._state
        state.ended_without_starting = False
        state.started = True
        state.running = True
        if self._extra_callbacks:
            self._round_starts = defining(self._negotiators, "on_round_start")
            self._round_ends = defining(self._negotiators, "on_round_end")
        self._start_time = time.perf_counter()
        self._facts.started_at = self._start_time
        state.relative_time = self._inv_steps
        self._lent_ufuns = lend_space(
            [getattr(n, "ufun", None) for n in self._negotiators], self._outcome_space
        )
        bind_owners(self._negotiators)
        if self._bus.active and self._bus.listens(EventType.NEGOTIATION_STARTED):
            payload = started_payload(self)
            if self.event_fields:
                payload.update(self.event_fields)
            self._bus.emit(EventType.NEGOTIATION_STARTED, payload, negotiation_id=self._id)
        told = defining(self._negotiators, "on_preferences_changed")
        if self._own_views:
            self._own_clocks = own_clocks(self)
        for negotiator in self._negotiators:
            try:
                if negotiator in told and getattr(negotiator, "ufun", None) is not None:
                    # NegMAS's order: the preferences' Initialization first.
                    negotiator.on_preferences_changed(
                        [PreferencesChange(PreferencesChangeType.Initialization)]
                    )
                if self._own_clocks is None:
                    negotiator.on_negotiation_start(state)
                else:
                    call_in_own_time(self, negotiator, negotiator.on_negotiation_start)
            except Exception as exc:
                self._negotiator_failed(negotiator, "on_negotiation_start", exc)
                return

    def _finish(self) -> None:
        """Notify every negotiator of the end, emit ``negotiation_ended``, raise a pending error."""
        state = self._state
        if state.started:
            state.time = time.perf_counter() - self._start_time
        for negotiator in self._negotiators:
            try:
                if self._own_clocks is None:
                    negotiator.on_negotiation_end(state)
                else:
                    call_in_own_time(self, negotiator, negotiator.on_negotiation_end)
            except Exception as exc:
                self._failures.failed_at_end(negotiator, exc)
        release_owners(self._negotiators)
        take_back_space(self._lent_ufuns)
        self._lent_ufuns = []
        if self._autosave is not None:
            self._autosave.save_final(self)
        if self._bus.active:
            payload = ended_payload(self)
            if self.event_fields:
                payload.update(self.event_fields)
            self._bus.emit(EventType.NEGOTIATION_ENDED, payload, negotiation_id=self._id)
        self._failures.raise_pending()

    def _payload_outcome(self, outcome: Outcome | None) -> Any:
        """``outcome`` as event payload data (see :func:`.spaces.outcome_copier`)."""
        if outcome is None or self._to_payload is None:
            return outcome
        return self._to_payload(outcome)

    # -- failures (recorded by self._failures: see palaver.mechanisms.failures) --

    def _negotiator_failed(
        self,
        negotiator: Any,
        where: str,
        exc: BaseException,
        error_type: type[NegotiatorError] = NegotiatorError,
        message: str | None = None,
    ) -> None:
        """Record a negotiator's failure and stop the negotiation.

        The error is raised (as ``error_type``) once the negotiation has been
        closed properly, unless exceptions are ignored.
        """
        self._failures.failed(negotiator, where, exc, error_type, message)

    def _negotiator_too_slow(self, negotiator: Any, where: str, seconds: float) -> None:
        """End the negotiation as timed out because one call exceeded the per-negotiator limit."""
        self._failures.too_slow(negotiator, where, seconds, self._limits.negotiator_time_limit)

"""The mechanism base: negotiators, limits, the step loop, errors and events."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from palaver._util.checks import (
    check_bool,
    check_int,
    check_optional_str,
    check_real,
    is_text,
)
from palaver._util.snapshots import Checkpointing
from palaver.events import EventBus, EventType, display
from palaver.mechanisms import acting, many
from palaver.mechanisms.autosave import AutoCheckpoints
from palaver.mechanisms.entry import EntryRules
from palaver.mechanisms.errors import (
    MechanismTypeError,
    MechanismValueError,
    NegotiatorError,
)
from palaver.mechanisms.failures import Failures
from palaver.mechanisms.joining import admit
from palaver.mechanisms.nmi import MechanismFacts, NegotiatorMechanismInterface
from palaver.mechanisms.offer_log import Segment
from palaver.mechanisms.offered import Offered
from palaver.mechanisms.options import (
    MechanismLimits,
    adopt_shared_keywords,
    check_sync_calls,
    checked_seed,
)
from palaver.mechanisms.own_limits import Clocks, call_in_own_time, own_clocks, own_view
from palaver.mechanisms.participants import Joined
from palaver.mechanisms.payloads import ended_payload, started_payload
from palaver.mechanisms.protocol import NegotiatorProtocol
from palaver.mechanisms.saving import MechanismSaving
from palaver.mechanisms.spaces import mechanism_space, outcome_copier
from palaver.mechanisms.state import MechanismState
from palaver.mechanisms.step_result import MechanismStepResult
from palaver.mechanisms.ufun_binding import (
    bind_owners,
    lend_space,
    release_owners,
    take_back_space,
)
from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.preferences.changes import PreferencesChange, PreferencesChangeType
from palaver.preferences.protocol import UtilityFunctionLike, resolve_ufun


def _default_id(cls: type, seed: int) -> str:
    """``<class name in lower case>-<12 hex digits of the seed's hash>``."""
    digest = hashlib.blake2b(str(seed).encode(), digest_size=6).hexdigest()
    return f"{cls.__name__.lower()}-{digest}"


#: A NegMAS ``run()`` callback: called with the mechanism's state.
StateCallback = Callable[[Any], None]


def _flag(name: str, value: object) -> bool:
    """``value`` when it is a bool; else a ``MechanismTypeError`` naming ``name``."""
    return check_bool(name, value, type_error=MechanismTypeError)


_CLASS_DEFINES: dict[tuple[type, str], bool] = {}
"""Whether a negotiator class has a callable ``method`` of its own (asked once
per class: every negotiation asks it of each negotiator)."""


def _defining(negotiators: list[Any], method: str) -> list[Any]:
    """The negotiators that have a callable ``method`` (on their class, or set on
    the negotiator itself). A base class's default that does nothing (marked
    ``_palaver_default``, such as ``on_preferences_changed``) does not count:
    only the negotiators that define their own are called."""
    found = []
    for n in negotiators:
        key = (type(n), method)
        defines = _CLASS_DEFINES.get(key)
        if defines is None:
            defined = getattr(type(n), method, None)
            defines = _CLASS_DEFINES[key] = callable(defined) and not getattr(
                defined, "_palaver_default", False
            )
        if defines or callable(getattr(n, "__dict__", {}).get(method)):
            found.append(n)
    return found


_KEPT_BY_MECHANISM = frozenset(
    {"step", "relative_time", "started", "running", "time", "offer_source"}
)


def _adopt(live: MechanismState, returned: MechanismState) -> None:
    """Copy ``returned``'s fields into ``live``, except those the base class keeps."""
    for name in live.__dataclass_fields__:
        if name not in _KEPT_BY_MECHANISM:
            setattr(live, name, getattr(returned, name))


def _defines_call(cls: type) -> bool:
    """Whether ``cls`` (or a base below :class:`Mechanism`) defines ``__call__``."""
    for klass in cls.__mro__:
        if klass is Mechanism:
            return False
        if "__call__" in klass.__dict__:
            return True
    return False


class Mechanism(Checkpointing, EntryRules, MechanismSaving):
    """Base class of negotiation protocols.

    A mechanism holds the negotiators, the outcome space, the limits and one
    live state object. ``step()`` runs one round of the protocol (subclasses
    implement ``_round``); ``run()`` steps until the negotiation ends.

    The limits (keywords, or ``limits=``) are one
    :class:`~palaver.mechanisms.MechanismLimits`. Exceeding any of them ends
    the negotiation with ``timedout=True`` (unless it already ended with an
    agreement). The outcome space is ``outcome_space=``, ``issues=`` or
    NegMAS's ``outcomes=`` (exactly one).

    Exceptions raised by negotiators end the negotiation with ``has_error``,
    ``error_details`` and ``erred_negotiator`` set in the state. With
    ``ignore_negotiator_exceptions=False`` (the default) a
    :class:`~palaver.mechanisms.NegotiatorError` naming the negotiator, the
    callback and the round is then raised (the original exception is its
    cause); with ``True`` the mechanism returns normally.

    Randomness comes only from generators derived from ``seed`` (a random seed
    is drawn and kept in :attr:`seed` when none is given).

    Negotiators are called one at a time, in the caller's thread; NegMAS's
    ``sync_calls=True`` says so and is accepted, ``sync_calls=False`` (each
    call in a thread abandoned at its time limit) is refused with a
    ``MechanismValueError``.

    A subclass implements one round either as ``_round()`` (Palaver's hook)
    or, NegMAS-style, as ``__call__(state, action=None)`` returning a
    :class:`~palaver.mechanisms.MechanismStepResult` (see
    :meth:`_play_calls`); which one is decided once, when the class is made.

    NegMAS's entry rules: ``max_n_negotiators`` (the most that may join),
    ``requirements`` (what a negotiator's ``capabilities`` must satisfy; see
    :mod:`palaver.mechanisms.entry`) and ``dynamic_entry`` (negotiators may
    leave while it runs, and with fewer than two negotiators ``step()`` and
    ``run()`` wait). Without ``dynamic_entry``, ``step()`` and ``run()`` with
    fewer than two negotiators return the unstarted state with
    ``ended_without_starting`` set, as NegMAS's do. Palaver never admits a negotiator
    after the start, with or without ``dynamic_entry``.

    NegMAS's ``hidden_time_limit`` (seconds) ends the negotiation as timed
    out like ``time_limit``, but negotiators do not see it: it is not in their
    interface's limits and does not advance ``relative_time``.

    NegMAS's random endings: before each round the negotiation ends, timed
    out, with probability ``pend``, and once per new second of wall-clock time
    with probability ``pend_per_second`` (drawn from the seed; either one
    bounds a negotiation without ``n_steps`` or ``time_limit``). NegMAS's
    ``checkpoint_folder`` (with ``checkpoint_every``, ``checkpoint_filename``,
    ``extra_checkpoint_info``, ``single_checkpoint``, ``exist_ok``) saves the
    mechanism before every ``checkpoint_every``-th round and at its end (see
    :mod:`palaver.mechanisms.autosave`). Off (the defaults), neither costs
    anything per round.

    NegMAS's ``name=`` names the mechanism (:attr:`name`; the id when not
    given). With ``extra_callbacks=True`` (the default, as in NegMAS's SAO)
    negotiators that define ``on_round_start(state)`` or
    ``on_round_end(state)`` are called before and after every round (every
    turn with ``one_offer_per_step``); built-in negotiators define neither, so
    this costs nothing unless yours do. ``time``, ``remaining_time`` and
    ``remaining_steps`` say how much of the budget is used and left.

    Events (``negotiation_started``, ``offer``, ``response``,
    ``negotiation_ended``) go to ``bus`` (a private :class:`EventBus` whose
    ``run_id`` is the mechanism's id when none is given); their ``agent_id``
    is the negotiator's ``owner_id`` and their ``negotiation_id`` the
    mechanism's id.
    """

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

    #: The state class of this mechanism.
    state_type: ClassVar[type[MechanismState]] = MechanismState
    #: The attributes and methods ``add`` requires of a negotiator.
    negotiator_needs: ClassVar[tuple[str, ...]] = (
        "id",
        "owner_id",
        "join",
        "on_negotiation_start",
        "on_negotiation_end",
    )

    def __init__(
        self,
        outcome_space: OutcomeSpace | None = None,
        issues: Iterable[Issue] | None = None,
        n_steps: int | None = None,
        time_limit: float | None = None,
        step_time_limit: float | None = None,
        negotiator_time_limit: float | None = None,
        ignore_negotiator_exceptions: bool = False,
        seed: int | None = None,
        bus: EventBus | None = None,
        id: str | None = None,
        annotation: dict[str, Any] | None = None,
        limits: MechanismLimits | None = None,
        outcomes: int | Sequence[Outcome] | None = None,
        sync_calls: bool = True,
        name: str | None = None,
        extra_callbacks: bool = True,
        hidden_time_limit: float | None = None,
        dynamic_entry: bool = False,
        max_n_negotiators: int | None = None,
        pend: float = 0.0,
        pend_per_second: float = 0.0,
        checkpoint_every: int = 1,
        checkpoint_folder: str | Path | None = None,
        checkpoint_filename: str | None = None,
        extra_checkpoint_info: dict[str, Any] | None = None,
        single_checkpoint: bool = True,
        exist_ok: bool = True,
    ) -> None:
        check_sync_calls(sync_calls)
        # A mechanism is built per negotiation (thousands in a world or a
        # tournament): the checks below take their common case first.
        outcome_space = mechanism_space(outcome_space, issues, outcomes)
        self._limits = limits = MechanismLimits.resolve(
            limits,
            n_steps,
            time_limit,
            step_time_limit,
            negotiator_time_limit,
            pend,
            pend_per_second,
        )
        seed = checked_seed(seed)
        if id is not None and type(id) is not str:
            check_optional_str("id", id, type_error=MechanismTypeError)
        if bus is not None and not isinstance(bus, EventBus):
            raise MechanismTypeError(f"bus must be an EventBus or None, got {bus!r}")
        self._outcome_space = outcome_space
        self._seed = seed
        if id is None:  # named after the seed: a seeded negotiation's events repeat exactly
            id = _default_id(type(self), seed)
        elif not id:
            # Every event of the negotiation carries it: "" reads as no negotiation.
            raise MechanismValueError("id must be a non-empty str or None (a seeded id), got ''")
        self._id = id
        if name is not None and type(name) is not str:
            check_optional_str("name", name, type_error=MechanismTypeError)
        if not id.isascii() or (name is not None and not name.isascii()):
            _check_text(id, name)
        self._name = name if name is not None else id
        # The defaults are taken without a call: a negotiation is built per
        # meeting of a tournament, so its set-up is on the hot path.
        if extra_callbacks is not True:
            extra_callbacks = _flag("extra_callbacks", extra_callbacks)
        if ignore_negotiator_exceptions is not False:
            ignore_negotiator_exceptions = _flag(
                "ignore_negotiator_exceptions", ignore_negotiator_exceptions
            )
        self._extra_callbacks = extra_callbacks
        hidden = hidden_time_limit
        if hidden is not None:
            hidden = check_real(
                "hidden_time_limit",
                hidden,
                positive=True,
                none_ok=True,
                inf_ok=True,
                type_error=MechanismTypeError,
                value_error=MechanismValueError,
            )
        self._hidden_time_limit = None if hidden is None or math.isinf(hidden) else hidden
        self._autosave: AutoCheckpoints | None = None
        if checkpoint_folder is not None:
            self._autosave = AutoCheckpoints(
                checkpoint_every,
                checkpoint_folder,
                checkpoint_filename,
                extra_checkpoint_info,
                single_checkpoint,
                exist_ok,
            )
        elif (
            not (type(checkpoint_every) is int and checkpoint_every == 1)
            or checkpoint_filename is not None
            or extra_checkpoint_info is not None
            or single_checkpoint is not True
            or exist_ok is not True
        ):
            # Unused without a folder, but a wrong value is still the caller's
            # mistake: checked (and dropped) rather than silently ignored.
            AutoCheckpoints(
                checkpoint_every,
                ".",
                checkpoint_filename,
                extra_checkpoint_info,
                single_checkpoint,
                exist_ok,
            )
        # Checked before every round when there is anything to check (a hidden
        # limit, a random ending, checkpoints): None costs one test per step.
        self._step_guard: Callable[[], bool] | None = None
        if (
            self._hidden_time_limit is not None
            or limits.pend
            or limits.pend_per_second
            or self._autosave is not None
        ):
            self._step_guard = self._guard_round
        self._endings: random.Random | None = None  # pend draws, made at the first one
        self._last_second = 0  # pend_per_second: the last whole second drawn for
        # Negotiators with on_round_start / on_round_end (found when it starts).
        self._round_starts: list[Any] = []
        self._round_ends: list[Any] = []
        # A private bus is named after the negotiation, so that a standalone
        # seeded negotiation produces the same events every time.
        self._bus = bus if bus is not None else EventBus(run_id=id)
        if annotation is None:
            self._annotation = {}
        elif isinstance(annotation, Mapping):
            self._annotation = dict(annotation)
        else:
            # dict() would take a list of pairs, or fail inside with "not iterable".
            raise MechanismTypeError(
                f"annotation must be a dict or None, got {annotation!r:.80} "
                f"({type(annotation).__name__})"
            )
        self._negotiators: list[Any] = []
        # Utility functions lent the outcome space while it runs (see ufun_binding).
        self._lent_ufuns: list[Any] = []
        self._history: list[tuple[int, str | None, Outcome]] = []
        self._offered: list[Offered] = []  # the history as read (see views.history)
        self._pending: list[Segment] = []  # planned offers, not yet in _history
        self._state = state = self.state_type()
        self._negotiator_ids: list[str] = []
        self._owner_ids: list[str | None] = []
        self._joined: list[Joined] = []
        self._facts = MechanismFacts(self, self._negotiator_ids)
        self._nmi: NegotiatorMechanismInterface | None = None
        self._to_payload = outcome_copier(outcome_space)
        self._start_time = 0.0
        self._inv_steps = limits.time_step
        self._failures = Failures(type(self).__name__, id, state, ignore_negotiator_exceptions)
        # The defaults are EntryRules' class attributes: nothing is set for them.
        if dynamic_entry is not False:
            self._dynamic_entry = _flag("dynamic_entry", dynamic_entry)
            self._facts.dynamic_entry = self._dynamic_entry
        if max_n_negotiators is not None:
            self._max_n_negotiators = check_int(
                "max_n_negotiators",
                max_n_negotiators,
                minimum=1,
                type_error=MechanismTypeError,
                value_error=MechanismValueError,
            )
            self._facts.max_n_negotiators = self._max_n_negotiators

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        adopt_shared_keywords(cls, Mechanism.__init__)
        # Decided once per class, so that the rounds of mechanisms written with
        # _round (SAO's among them) pay nothing for NegMAS-style ones.
        if cls._round is not Mechanism._round:
            if cls._play is Mechanism._play_calls:  # _round under a NegMAS-style base
                cls._play = Mechanism._play  # type: ignore[method-assign]
        elif cls._play is Mechanism._play and _defines_call(cls):
            cls._play = Mechanism._play_calls  # type: ignore[method-assign]

    def _payload_outcome(self, outcome: Outcome | None) -> Any:
        """``outcome`` as event payload data (see :func:`.spaces.outcome_copier`)."""
        if outcome is None or self._to_payload is None:
            return outcome
        return self._to_payload(outcome)

    # -- read-only properties (the rest: palaver.mechanisms.views) -----------

    @property
    def nmi(self) -> NegotiatorMechanismInterface:
        """An interface to this mechanism for observers (not tied to a negotiator)."""
        if self._nmi is None:  # made on first use: most negotiations are never observed
            self._nmi = NegotiatorMechanismInterface(self, (0,))
        return self._nmi

    @property
    def facts(self) -> MechanismFacts:
        """What this mechanism's negotiator interfaces share (see :class:`MechanismFacts`)."""
        return self._facts

    @property
    def negotiators(self) -> list[Any]:
        """The negotiators in turn order (the mechanism's own list: do not modify it)."""
        return self._negotiators

    # -- joining --------------------------------------------------------------

    def add(
        self,
        negotiator: NegotiatorProtocol,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        role: str | None = None,
        *,
        n_steps: int | None = None,
        time_limit: float | None = None,
    ) -> bool:
        """Add a negotiator; return whether it joined.

        ``ufun`` (or its alias ``preferences``) is handed to the negotiator's
        ``join``; when neither is given the negotiator uses its own. A utility
        function without an outcome space is lent this mechanism's while the
        negotiation runs. Returns ``False`` when the negotiation already
        started, when this negotiator is already in, or when its ``join`` refuses.

        ``n_steps`` and ``time_limit`` are NegMAS's limits of one negotiator
        (``None``, or an infinite time, for none): the negotiation ends at the
        shortest of its own limits and those of every negotiator that joined.
        Each negotiator sees, as in NegMAS, the shorter of the mechanism's
        limits and its own: its ``nmi.n_steps`` and ``nmi.time_limit``, and
        the ``state.relative_time`` of its calls (``(step + 1) / (n_steps + 1)``
        by its own round limit, elapsed seconds over its own time limit); the
        mechanism's ``n_steps``, ``time_limit``, ``nmi`` and the state that
        events and history see keep the shortest (see
        :mod:`palaver.mechanisms.own_limits`). SAO gives each negotiator its
        own relative time; the other mechanisms show every negotiator the
        relative time of the shortest limit.

        Raises:
            TypeError: the negotiator lacks something in :attr:`negotiator_needs`;
                ``role`` is not a str or None, ``n_steps`` not an int or
                ``time_limit`` not a number.
            ValueError: ``n_steps`` < 1 or ``time_limit`` <= 0.
            ValueError: ``ufun`` and ``preferences`` are both given and differ.
            MechanismError: another negotiator with the same id is already in.
            NegotiatorError: ``join`` raised, or returned something other than
                ``True`` or ``False`` (unless exceptions are ignored, in which
                case the negotiator is simply not added).
        """
        if role is not None and type(role) is not str:
            check_optional_str("role", role, type_error=MechanismTypeError)
        if n_steps is not None:
            n_steps = check_int("n_steps", n_steps, minimum=1)
        if time_limit is not None:
            time_limit = check_real("time_limit", time_limit, positive=True, inf_ok=True)
            if math.isinf(time_limit):
                time_limit = None
        if n_steps is None and time_limit is None:
            return admit(self, negotiator, resolve_ufun(ufun, preferences), role)
        view = own_view(self._shared_limits or self._limits, n_steps, time_limit)
        joined = admit(self, negotiator, resolve_ufun(ufun, preferences), role, view)
        if joined:
            if self._own_views is None:
                self._own_views = {}
            self._own_views[len(self._negotiators) - 1] = view
            self._tighten_limits(n_steps, time_limit)
        return joined

    def _tighten_limits(self, n_steps: int | None, time_limit: float | None) -> None:
        """Lower the round and time limits to a joining negotiator's own (before the start)."""
        limits = self._limits
        if self._shared_limits is None:
            self._shared_limits = limits
        if n_steps is not None and limits.n_steps is not None:
            n_steps = min(n_steps, limits.n_steps)
        if time_limit is not None and limits.time_limit is not None:
            time_limit = min(time_limit, limits.time_limit)
        self._limits = dataclasses.replace(
            limits,
            n_steps=n_steps if n_steps is not None else limits.n_steps,
            time_limit=time_limit if time_limit is not None else limits.time_limit,
        )
        self._facts.limits = self._limits
        self._inv_steps = self._limits.time_step

    # -- running --------------------------------------------------------------

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
            return self._run_watched(
                timeout, start_callback, progress_callback, completion_callback
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
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("Negotiating", total=100)

            def show(state: MechanismState) -> None:
                bar.update(task, completed=int(state.relative_time * 100))
                if progress_callback is not None:
                    progress_callback(state)

            return self._run_watched(timeout, start_callback, show, completion_callback)

    def _run_watched(
        self,
        timeout: float | None,
        start_callback: StateCallback | None,
        progress_callback: StateCallback | None,
        completion_callback: StateCallback | None,
    ) -> MechanismState:
        """:meth:`run` step by step, with NegMAS's timeout and callbacks."""
        if timeout is not None:
            check_real(
                "timeout", timeout, positive=True, inf_ok=True, type_error=MechanismTypeError
            )
        for name, callback in (
            ("start_callback", start_callback),
            ("progress_callback", progress_callback),
            ("completion_callback", completion_callback),
        ):
            if callback is not None and not callable(callback):
                # Found before the first round, not as "'int' object is not callable" after it.
                raise MechanismTypeError(
                    f"{name} must be a function of the state or None, got {callback!r:.80} "
                    f"({type(callback).__name__})"
                )
        state = self._state
        began = time.perf_counter()
        if start_callback is not None:
            start_callback(state)
        while not (state.started and not state.running):
            self.step()
            if not state.started:  # too few negotiators to start
                break
            if progress_callback is not None:
                progress_callback(state)
            if state.running and timeout is not None and time.perf_counter() - began > timeout:
                self._time_out()
        if completion_callback is not None:
            completion_callback(state)
        return state

    @staticmethod
    def stepall(
        mechanisms: Sequence[Mechanism | None], keep_order: bool = True, seed: int | None = None
    ) -> list[MechanismState | None]:
        """NegMAS's ``stepall``: one step of each running mechanism (see :mod:`.many`)."""
        return many.stepall(mechanisms, keep_order, seed)

    @staticmethod
    def runall(
        mechanisms: Sequence[Mechanism | None],
        keep_order: bool = True,
        method: str = "ordered",
        seed: int | None = None,
        start_callback: many.MechanismCallback | None = None,
        progress_callback: many.MechanismCallback | None = None,
        completion_callback: many.MechanismCallback | None = None,
        *,
        ordering: Sequence[int] | None = None,
        ordering_fun: many.OrderingFun | None = None,
    ) -> list[MechanismState | None]:
        """NegMAS's ``runall``: run many mechanisms to their ends (see :func:`.many.runall`,
        which also says when each callback is called, and NegMAS's ``ordering`` /
        ``ordering_fun``)."""
        return many.runall(
            mechanisms,
            keep_order,
            method,
            seed,
            start_callback,
            progress_callback,
            completion_callback,
            ordering=ordering,
            ordering_fun=ordering_fun,
        )

    def _guard_round(self) -> bool:
        """Before a round: save a due checkpoint, then say whether the hidden time
        limit or a random ending (``pend``, ``pend_per_second``) ends the negotiation.

        The random endings draw from a generator derived from the seed (NegMAS
        draws from Python's global one): a seeded negotiation ends at the same
        round every time; ``pend_per_second`` draws once per new whole second
        of wall-clock time, so where it ends depends on the clock.
        """
        state = self._state
        if self._autosave is not None:
            self._autosave.save(self, state.step)
        elapsed = time.perf_counter() - self._start_time
        hidden = self._hidden_time_limit
        if hidden is not None and elapsed >= hidden:
            return True
        limits = self._limits
        if not (limits.pend or limits.pend_per_second):
            return False
        if state.relative_time > 1.0:  # pend alone: rounds beyond the expected ones
            state.relative_time = 1.0
        endings = self._endings
        if endings is None:
            seq = np.random.SeedSequence(self._seed, spawn_key=(2,))
            endings = self._endings = random.Random(int(seq.generate_state(2, np.uint64)[0]))
        if limits.pend and endings.random() < limits.pend:
            return True
        second = int(elapsed)
        if limits.pend_per_second and second > self._last_second:
            self._last_second = second
            if endings.random() < limits.pend_per_second:
                return True
        return False

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

    def _play_calls(self, rounds: int) -> None:
        """:meth:`_play` for a NegMAS-style subclass: each round calls ``self(state)``.

        Chosen once per class (in ``__init_subclass__``) for a subclass that
        defines ``__call__`` and not ``_round``. A round whose result says it
        did not complete (``completed=False`` or ``waiting=True``) is not
        counted: one ``step()`` then makes one call, while ``run()`` calls
        again until ``rounds`` rounds completed or the negotiation ended.
        Each completed round's state is kept for :attr:`history` (NegMAS's).
        """
        state = self._state
        states = self._states
        if states is None:
            states = self._states = []
        done = 0
        while done < rounds:
            if not self._call_round():
                if rounds == 1 or not state.running:
                    return
                continue
            done += 1
            states.append(state.copy())
            if not self._round_played(state.step + 1):
                return

    def _call_round(self) -> bool:
        """Call ``self(state)`` once, apply its result to the state, return whether it completed.

        The result ends the negotiation when, in the returned state or in the
        result itself, there is an agreement, ``broken`` or ``timedout``, or an
        error (``state.has_error`` / ``error=True``; ``error_details`` is kept).
        A returned state other than the live one has its fields copied into the
        live state (the round count and the running flags stay the
        mechanism's). Anything but a ``MechanismStepResult`` ends the
        negotiation with an error naming the class and the value, raised as a
        ``MechanismTypeError`` once the negotiation is closed.
        """
        state = self._state
        result = self(state)  # type: ignore[operator]
        if not isinstance(result, MechanismStepResult):
            self._failures.mechanism_failed(
                MechanismTypeError(
                    f"{type(self).__name__}.__call__ must return a MechanismStepResult, "
                    f"returned {result!r} ({type(result).__name__}) at round {state.step} "
                    f"of {self._id!r}"
                )
            )
            return True
        returned = result.state
        if returned is not state:
            if not isinstance(returned, type(state)):
                self._failures.mechanism_failed(
                    MechanismTypeError(
                        f"{type(self).__name__}.__call__ returned a MechanismStepResult whose "
                        f"state is {returned!r} ({type(returned).__name__}); allowed: the state "
                        f"it was given or another {type(state).__name__}"
                    )
                )
                return True
            _adopt(state, returned)
        if result.agreement is not None:
            state.agreement = result.agreement
        if result.broken:
            state.broken = True
        if result.timedout:
            state.timedout = True
        if result.error:
            state.has_error = True
            if result.error_details:
                state.error_details = result.error_details
        if state.agreement is not None or state.broken or state.timedout or state.has_error:
            state.running = False
        return result.completed and not result.waiting

    def random_outcomes(self, n: int = 1) -> list[Outcome]:
        """``n`` outcomes drawn uniformly (with replacement) from the seed (NegMAS's method)."""
        return self.nmi.random_outcomes(n)

    def random_outcome(self) -> Outcome:
        """One outcome drawn uniformly from the seed (NegMAS's method)."""
        return self.nmi.random_outcome()

    def _play_with_callbacks(self, rounds: int) -> None:
        """:meth:`_play`, one round at a time, between the negotiators' round callbacks.

        ``on_round_start(state)`` before each round and ``on_round_end(state)``
        after it (also after the round that ended the negotiation, unless a
        negotiator failed in it; it sees that round's ``step`` and
        ``relative_time``, as in NegMAS), for the negotiators that define them
        (NegMAS's extra callbacks). A callback that raises fails the
        negotiation like any other negotiator call. A NegMAS-style round that
        did not complete (not counted) gets no ``on_round_end`` and does not
        count towards ``rounds``, as in :meth:`_play_calls`.
        """
        state = self._state
        # Only a NegMAS-style round is skipped when uncounted: the turns of
        # SAO's one_offer_per_step leave the count unchanged too, and each one
        # gets both callbacks.
        may_not_complete = type(self)._play is Mechanism._play_calls
        done = 0
        while done < rounds:
            for negotiator in self._round_starts:
                try:
                    negotiator.on_round_start(state)
                except Exception as exc:
                    self._negotiator_failed(negotiator, "on_round_start", exc)
                    return
            before, during = state.step, state.relative_time
            self._play(1)
            if state.has_error:
                return
            if may_not_complete and state.step == before and state.running:
                if rounds == 1:
                    return
                continue
            done += 1
            # NegMAS's on_round_end sees the round it ends: its step and
            # relative time, not the next round's (the flags are current).
            after, later = state.step, state.relative_time
            state.step, state.relative_time = before, during
            try:
                for negotiator in self._round_ends:
                    try:
                        negotiator.on_round_end(state)
                    except Exception as exc:
                        self._negotiator_failed(negotiator, "on_round_end", exc)
                        return
            finally:
                state.step, state.relative_time = after, later
            if not state.running:
                return

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
            self._round_starts = _defining(self._negotiators, "on_round_start")
            self._round_ends = _defining(self._negotiators, "on_round_end")
        self._start_time = time.perf_counter()
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
        told = _defining(self._negotiators, "on_preferences_changed")
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

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(id={self._id!r}, negotiators={len(self._negotiators)}, "
            f"result={self._state.result!r})"
        )

    def _repr_html_(self) -> str:
        """Notebook display: result, agreement, distances and the offers' plot
        (drawn by palaver.report when installed; see palaver.events.display)."""
        return display.html("mechanism", self)

    def _palaver_checkpoint_step(self) -> int:
        # checkpoint() writes the round the negotiation is at (NegMAS's current_step).
        return self._state.step


def _check_text(id: str, name: str | None) -> None:
    """Refuse an id or name holding a lone surrogate: every event of the
    negotiation carries them, and a recorder could then write nothing more
    (UnicodeEncodeError deep inside, close() included)."""
    for label, text in (("id", id), ("name", name)):
        if text is not None and not is_text(text):
            raise MechanismValueError(
                f"{label}={text!r:.80} is not valid text (it holds a lone surrogate): "
                "give a str that can be written as UTF-8"
            )

"""The mechanism base: its settings, its negotiators and NegMAS's class-level surface.

:class:`Mechanism` is what a protocol derives from. This module makes one:
the constructor checks and keeps the settings (limits, seed, id, events,
entry rules, NegMAS's keywords) and :meth:`Mechanism.add` lets negotiators
join (:mod:`.joining`, :mod:`.own_limits`). Playing the negotiation is
:class:`~palaver.mechanisms.stepping.MechanismStepping`'s, the read-only views
:class:`~palaver.mechanisms.views.MechanismViews`' and saving
:class:`~palaver.mechanisms.saving.MechanismSaving`'s; ``Mechanism`` derives
from them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from palaver._util.checks import check_int, check_optional_str, check_real
from palaver._util.snapshots import Checkpointing
from palaver.events import EventBus, display
from palaver.mechanisms import many
from palaver.mechanisms.autosave import AutoCheckpoints
from palaver.mechanisms.call_rounds import defines_call
from palaver.mechanisms.entry import EntryRules
from palaver.mechanisms.errors import MechanismTypeError, MechanismValueError
from palaver.mechanisms.failures import Failures
from palaver.mechanisms.joining import admit
from palaver.mechanisms.nmi import MechanismFacts, NegotiatorMechanismInterface
from palaver.mechanisms.nmi_members import MechanismLogs
from palaver.mechanisms.offer_log import Segment
from palaver.mechanisms.offered import Offered
from palaver.mechanisms.options import (
    MechanismLimits,
    adopt_shared_keywords,
    check_sync_calls,
    check_text,
    checked_seed,
    default_id,
    flag,
)
from palaver.mechanisms.own_limits import admit_with_own_limits
from palaver.mechanisms.participants import Joined
from palaver.mechanisms.protocol import NegotiatorProtocol
from palaver.mechanisms.round_guard import RoundGuard, hidden_limit
from palaver.mechanisms.spaces import mechanism_space, outcome_copier
from palaver.mechanisms.state import MechanismState
from palaver.mechanisms.stepping import MechanismStepping, StateCallback
from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.preferences.protocol import UtilityFunctionLike, resolve_ufun

__all__ = ["Mechanism", "StateCallback"]


class Mechanism(Checkpointing, EntryRules, MechanismLogs, MechanismStepping):
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
    :mod:`palaver.mechanisms.call_rounds`); which one is decided once, when the class is made.

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
            id = default_id(type(self), seed)
        elif not id:
            # Every event of the negotiation carries it: "" reads as no negotiation.
            raise MechanismValueError("id must be a non-empty str or None (a seeded id), got ''")
        self._id = id
        if name is not None and type(name) is not str:
            check_optional_str("name", name, type_error=MechanismTypeError)
        if not id.isascii() or (name is not None and not name.isascii()):
            check_text(id, name)
        self._name = name if name is not None else id
        # The defaults are taken without a call: a negotiation is built per
        # meeting of a tournament, so its set-up is on the hot path.
        if extra_callbacks is not True:
            extra_callbacks = flag("extra_callbacks", extra_callbacks)
        if ignore_negotiator_exceptions is not False:
            ignore_negotiator_exceptions = flag(
                "ignore_negotiator_exceptions", ignore_negotiator_exceptions
            )
        self._extra_callbacks = extra_callbacks
        hidden = None if hidden_time_limit is None else hidden_limit(hidden_time_limit)
        # Also read when it starts, by the calls' deadlines (palaver.mechanisms.call_limits).
        self._hidden_time_limit = hidden
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
            hidden is not None
            or limits.pend
            or limits.pend_per_second
            or self._autosave is not None
        ):
            self._step_guard = RoundGuard(self, hidden, self._autosave).check
        # Negotiators with on_round_start / on_round_end (found when it starts).
        self._round_starts: list[Any] = []
        self._round_ends: list[Any] = []
        # A private bus is named after the negotiation, so that a standalone
        # seeded negotiation produces the same events every time.
        self._bus = bus if bus is not None else EventBus(run_id=id)
        if annotation is None:
            self._annotation = {}
        elif type(annotation) is dict or isinstance(annotation, Mapping):
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
            self._dynamic_entry = flag("dynamic_entry", dynamic_entry)
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
        elif cls._play is Mechanism._play and defines_call(cls, Mechanism):
            cls._play = Mechanism._play_calls  # type: ignore[method-assign,assignment]

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
            if ufun is None and preferences is None:  # the negotiator's own (resolved: None)
                return admit(self, negotiator, None, role)
            return admit(self, negotiator, resolve_ufun(ufun, preferences), role)
        return admit_with_own_limits(
            self, negotiator, resolve_ufun(ufun, preferences), role, n_steps, time_limit
        )

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

    def random_outcomes(self, n: int = 1) -> list[Outcome]:
        """``n`` outcomes drawn uniformly (with replacement) from the seed (NegMAS's method)."""
        return self.nmi.random_outcomes(n)

    def random_outcome(self) -> Outcome:
        """One outcome drawn uniformly from the seed (NegMAS's method)."""
        return self.nmi.random_outcome()

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

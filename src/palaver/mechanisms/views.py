"""What a mechanism shows: its settings, its state and the offer history (NegMAS's views).

:class:`MechanismViews` is the read-only half of
:class:`~palaver.mechanisms.Mechanism` (which derives from it): the
properties reading its settings and live state, and NegMAS's views of the
offer history (``extended_trace``, ``trace``, ``offers``,
``negotiator_offers``) and of the outcome space (``outcomes``,
``n_outcomes``). None of it is used by the round loop.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from palaver.events import EventBus
from palaver.mechanisms import plotting
from palaver.mechanisms.failures import Failures
from palaver.mechanisms.offer_log import Segment, history_columns, offers_by, settle, turn_index
from palaver.mechanisms.offered import Offered, offered_view
from palaver.mechanisms.options import MechanismLimits
from palaver.mechanisms.participants import Joined, NegotiatorDescriptor, participants_of
from palaver.mechanisms.state import MechanismState
from palaver.mechanisms.table import outcome_table
from palaver.outcomes import Issue, Outcome, OutcomeSpace


class MechanismViews:
    """The read-only properties and history views of a mechanism (see :class:`Mechanism`)."""

    # Set by Mechanism.__init__.
    _id: str
    _seed: int
    _bus: EventBus
    _outcome_space: OutcomeSpace
    _limits: MechanismLimits
    _failures: Failures
    _annotation: dict[str, Any]
    _state: MechanismState
    _history: list[tuple[int, str | None, Outcome]]
    _pending: list[Segment]
    _negotiator_ids: list[str]
    _owner_ids: list[str | None]
    _joined: list[Joined]
    _negotiators: list[Any]
    _name: str
    _extra_callbacks: bool
    _start_time: float
    #: A NegMAS-style mechanism's state after each completed round (made by its first round).
    _states: list[MechanismState] | None = None
    #: The history as read (its tuples as Offered entries, kept up to date on reading).
    _offered: list[Offered]

    @property
    def id(self) -> str:
        """The mechanism's id (the ``negotiation_id`` of its events)."""
        return self._id

    @property
    def name(self) -> str:
        """NegMAS's mechanism name: ``name=`` when given, else the id."""
        return self._name

    @property
    def extra_callbacks(self) -> bool:
        """Whether negotiators' ``on_round_start`` / ``on_round_end`` are called."""
        return self._extra_callbacks

    @property
    def time(self) -> float:
        """Seconds since the negotiation started (0 before it starts)."""
        if not self._state.started:
            return 0.0
        return time.perf_counter() - self._start_time

    @property
    def remaining_time(self) -> float | None:
        """Seconds left of ``time_limit`` (never below 0), or ``None`` without a time limit."""
        limit = self._limits.time_limit
        if limit is None or math.isinf(limit):
            return None
        return max(0.0, limit - self.time)

    @property
    def relative_time(self) -> float:
        """NegMAS's view of ``state.relative_time``: the fraction of the budget used.

        Before the start it is the relative time of the first round,
        ``1 / (n_steps + 1)``, as in NegMAS (``state.relative_time`` is 0 then).
        """
        state = self._state
        return state.relative_time if state.started else self._limits.time_step

    def discrete_outcomes(self, levels: int = 10, max_cardinality: int = 10_000) -> list[Outcome]:
        """NegMAS's method: ``outcome_space.enumerate_or_sample(levels, max_cardinality)``.

        The sample of a large space is drawn from the mechanism's seed.
        """
        return self._outcome_space.enumerate_or_sample(levels, max_cardinality, self._seed)

    @property
    def current_step(self) -> int:
        """NegMAS's name of ``state.step``: the rounds played so far."""
        return self._state.step

    @property
    def negotiators(self) -> list[Any]:
        """The negotiators in turn order (the mechanism's own list: do not modify it)."""
        return self._negotiators

    @property
    def negotiator_ids(self) -> list[str]:
        """The negotiators' ids, in turn order (a copy)."""
        return list(self._negotiator_ids)

    @property
    def agent_ids(self) -> list[str | None]:
        """The ids of the agents the negotiators act for, in turn order (``None`` for a
        negotiator without one; NegMAS's ``agent_ids``)."""
        return list(self._owner_ids)

    @property
    def agent_names(self) -> list[str | None]:
        """The names of the agents the negotiators act for, in turn order (``None`` for
        a negotiator without one; NegMAS's ``agent_names``)."""
        return [owner for _, _, owner in self._joined]

    @property
    def participants(self) -> list[NegotiatorDescriptor]:
        """The negotiators as NegMAS describes them (name, id, snake_case class name),
        in turn order."""
        return participants_of(self._negotiator_ids, self._joined)

    @property
    def negotiator_names(self) -> list[str]:
        """The negotiators' names, in turn order (NegMAS's ``negotiator_names``)."""
        return [name for name, _, _ in self._joined]

    def is_valid(self, outcome: Outcome) -> bool:
        """Whether ``outcome`` is an outcome of the outcome space (NegMAS's ``is_valid``)."""
        return outcome in self._outcome_space

    def get_negotiator(self, source: str) -> Any | None:
        """The negotiator with id ``source``, or ``None`` when none in this negotiation has it."""
        for negotiator_id, negotiator in zip(self._negotiator_ids, self._negotiators, strict=True):
            if negotiator_id == source:
                return negotiator
        return None

    def get_negotiator_raise(self, source: str) -> Any:
        """The negotiator with id ``source``.

        Raises:
            KeyError: no negotiator in this negotiation has that id (the message
                lists the ids that are).
        """
        found = self.get_negotiator(source)
        if found is None:
            raise KeyError(
                f"no negotiator with id {source!r} in {type(self).__name__} {self._id!r}; "
                f"negotiator ids: {self._negotiator_ids}"
            )
        return found

    @property
    def remaining_steps(self) -> int | None:
        """Rounds left of ``n_steps`` (turns with ``one_offer_per_step``), or ``None``."""
        n_steps = self._limits.n_steps
        return None if n_steps is None else max(0, n_steps - self._state.step)

    @property
    def expected_remaining_steps(self) -> int | None:
        """Rounds to expect before the end: :attr:`remaining_steps`, or with ``pend``
        the expected rounds of a random ending, ``ceil(1 / pend)``, when fewer
        (NegMAS's expectation); ``None`` without either."""
        remaining = self.remaining_steps
        pend = self._limits.pend
        if not pend:
            return remaining
        expected = math.ceil(1.0 / pend)
        return expected if remaining is None else min(remaining, expected)

    @property
    def expected_relative_time(self) -> float:
        """NegMAS's ``expected_relative_time``: the budget used relative to when the
        negotiation is expected to end, counting random endings.

        The larger of ``(step + 1) / (expected rounds + 1)`` (the expected rounds
        are ``n_steps``, or ``ceil(1 / pend)`` when fewer) and ``time /
        expected seconds`` (``time_limit``, or ``ceil(1 / pend_per_second)``
        when fewer); not capped at 1, as in NegMAS.
        """
        limits = self._limits
        fractions = [0.0]
        steps = limits.expected_n_steps
        if steps is not None:
            fractions.append((self._state.step + 1) / (steps + 1))
        seconds = limits.time_limit
        if limits.pend_per_second:
            guess = float(math.ceil(1.0 / limits.pend_per_second))
            seconds = guess if seconds is None else min(seconds, guess)
        if seconds is not None and not math.isinf(seconds):
            fractions.append(self.time / seconds)
        return max(fractions)

    @property
    def expected_remaining_time(self) -> float | None:
        """Seconds to expect before the end: :attr:`remaining_time`, or with
        ``pend_per_second`` ``1 / pend_per_second`` when fewer (NegMAS's);
        ``None`` without either."""
        remaining = self.remaining_time
        per_second = self._limits.pend_per_second
        if not per_second:
            return remaining
        expected = 1.0 / per_second
        return expected if remaining is None else min(remaining, expected)

    @property
    def seed(self) -> int:
        """The seed every random generator of this negotiation derives from."""
        return self._seed

    @property
    def bus(self) -> EventBus:
        """The event bus the mechanism emits to."""
        return self._bus

    @property
    def outcome_space(self) -> OutcomeSpace:
        """The outcome space under negotiation."""
        return self._outcome_space

    @property
    def issues(self) -> tuple[Issue, ...]:
        """The issues under negotiation."""
        return tuple(self._outcome_space.issues)

    @property
    def limits(self) -> MechanismLimits:
        """The limits (one immutable object, shared with the negotiators' interfaces)."""
        return self._limits

    @property
    def n_steps(self) -> int | None:
        """The round limit, or ``None`` (``limits.n_steps``)."""
        return self._limits.n_steps

    @property
    def time_limit(self) -> float:
        """The wall-clock limit of the negotiation in seconds; ``inf`` without one, as in NegMAS
        (``limits.time_limit`` is ``None`` then)."""
        limit = self._limits.time_limit
        return math.inf if limit is None else limit

    @property
    def step_time_limit(self) -> float:
        """The wall-clock limit of one round in seconds; ``inf`` without one, as in NegMAS
        (``limits.step_time_limit`` is ``None`` then)."""
        limit = self._limits.step_time_limit
        return math.inf if limit is None else limit

    @property
    def negotiator_time_limit(self) -> float:
        """The wall-clock limit of one negotiator call in seconds; ``inf`` without one, as in NegMAS
        (``limits.negotiator_time_limit`` is ``None`` then)."""
        limit = self._limits.negotiator_time_limit
        return math.inf if limit is None else limit

    @property
    def ignore_negotiator_exceptions(self) -> bool:
        """Whether negotiator exceptions are recorded (True) or re-raised (False)."""
        return self._failures.ignore

    @property
    def annotation(self) -> dict[str, Any]:
        """Free-form information attached by the creator."""
        return self._annotation

    @property
    def state(self) -> MechanismState:
        """The live state object (mutated in place; ``state.copy()`` for a snapshot)."""
        return self._state

    @property
    def agreement(self) -> Outcome | None:
        """The agreement, or ``None``."""
        return self._state.agreement

    @property
    def history(self) -> list[Any]:
        """Every offer so far as ``(round, negotiator_id, outcome)``, oldest first.

        Each entry also reads as NegMAS's state (``current_offer``,
        ``current_proposer``, ``step``, ``new_offers``: see
        :class:`~palaver.mechanisms.offered.Offered`); the list is kept by the
        mechanism (do not modify it). Offers of planned rounds
        (:mod:`palaver.mechanisms.offer_log`) are added to it when it is read,
        so read it again after the mechanism played on. For a mechanism
        written NegMAS-style (``__call__``), which makes no offers of its own,
        it is NegMAS's history instead: a snapshot of the state
        (:meth:`MechanismState.copy`) after each completed round, oldest first.
        :attr:`extended_trace` is always the offers.
        """
        states = self._states
        if states is not None:
            return states
        return offered_view(self._offers(), self._offered)

    def _offers(self) -> list[tuple[int, str | None, Outcome]]:
        # The history with the planned segments made into tuples.
        if self._pending:
            settle(self._history, self._pending)
        return self._history

    @property
    def running(self) -> bool:
        """``state.running``."""
        return self._state.running

    @property
    def completed(self) -> bool:
        """Ended with an agreement or broken by a negotiator (not timed out, not running)."""
        state = self._state
        return state.agreement is not None or state.broken

    @property
    def ended(self) -> bool:
        """NegMAS's: ``state.ended`` (started, and no longer running)."""
        return self._state.ended

    # -- NegMAS's views of the outcome space ----------------------------------

    @property
    def outcomes(self) -> list[Outcome]:
        """Every outcome of the outcome space, in lexicographic issue order (a new list).

        Raises :class:`~palaver.outcomes.OutcomeSpaceError` when the space
        cannot be enumerated (a continuous issue, or too many outcomes), as
        ``OutcomeSpace.enumerate`` does; NegMAS returns ``None`` there instead.
        """
        return self._outcome_space.enumerate()

    @property
    def n_outcomes(self) -> int | float:
        """The number of outcomes (``math.inf`` when an issue is continuous)."""
        return self._outcome_space.cardinality

    # -- NegMAS's views of the offer history ----------------------------------

    @property
    def extended_trace(self) -> list[tuple[int, str | None, Outcome]]:
        """Every offer as ``(step, negotiator_id, outcome)``, oldest first (a new list).

        The same rows as :attr:`history`. The agreement, if any, is the last
        offer: an agreement is always the standing offer.
        """
        return list(self._offers())

    @property
    def trace(self) -> list[tuple[str | None, Outcome]]:
        """Every offer as ``(negotiator_id, outcome)``, oldest first."""
        return [(nid, outcome) for _, nid, outcome in self._offers()]

    @property
    def offers(self) -> list[Outcome]:
        """Every offer's outcome, oldest first."""
        return [outcome for _, _, outcome in self._offers()]

    def negotiator_offers(self, negotiator_id: str) -> list[Outcome]:
        """The offers made by ``negotiator_id``, oldest first.

        Raises ``ValueError`` naming the negotiators when ``negotiator_id`` is
        not one of them (NegMAS returns an empty list: a typo would go unseen).
        """
        return offers_by(self._offers(), self._negotiator_ids, self._id, negotiator_id)

    def negotiator_index(self, negotiator_id: str) -> int | None:
        """The position of ``negotiator_id`` in turn order, or ``None`` (NegMAS's)."""
        return turn_index(self._negotiator_ids, negotiator_id)

    def offer_columns(
        self, index: dict[Outcome, int] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The offer history as three arrays, without a tuple per offer.

        Returns ``(rounds, negotiators, outcomes)``: each offer's round, the
        offerer's position in the turn order (-1 for a mediator's proposal)
        and the offer's position in ``index`` (outcome -> position; default:
        the outcome space's enumeration order). The same offers, in the same
        order, as :attr:`history`.

        Raises:
            ValueError: ``index`` is not given and the outcome space cannot be
                enumerated (continuous or too large).
            KeyError: an offer is not in ``index``.
        """
        if index is None:
            table = outcome_table(self._outcome_space)
            if table is None:
                raise ValueError(
                    f"offer_columns() needs an index for mechanism {self._id!r}: its outcome "
                    "space cannot be enumerated (continuous or too large)"
                )
            index = table.index
        return history_columns(self._history, self._pending, self._negotiator_ids, index)

    def plot(self, **options: Any) -> Any:
        """NegMAS's ``plot()``: the negotiation's figure, as
        :func:`palaver.report.plot_negotiation` draws it (needs the report extra,
        ``pip install 'palaver[report]'``), returned as a matplotlib ``Figure``.

        Takes NegMAS's ``save_fig``, ``path`` and ``fig_name`` (the figure is
        written to ``path/fig_name``, default ``<negotiation id>.png`` in the
        current folder) and ``show`` (ignored: figures are drawn off-screen);
        NegMAS's other options (markers, colours, which points to mark, ...)
        have no effect here and are named in a warning.
        """
        return plotting.plot(self, **options)

"""The negotiator-facing view of a mechanism."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver.mechanisms.nmi_members import InterfaceMembers
from palaver.mechanisms.offer_log import offers_by, settle, turn_index
from palaver.mechanisms.offered import Offered, offered_view
from palaver.mechanisms.participants import Joined, NegotiatorDescriptor, participants_of

if TYPE_CHECKING:
    from palaver.events import EventBus
    from palaver.mechanisms.base import Mechanism
    from palaver.mechanisms.options import MechanismLimits
    from palaver.mechanisms.state import MechanismState
    from palaver.outcomes import Issue, Outcome, OutcomeSpace


class MechanismFacts:
    """What every interface to one mechanism reads, held without the mechanism itself.

    The mechanism makes one when it is built and its interfaces share it. An
    interface that held the mechanism would close a reference cycle (negotiator
    -> interface -> mechanism -> negotiator) around every negotiation, and
    everything the negotiation allocated (its history, a sink's events) would
    then wait for the cyclic garbage collector instead of being freed as soon
    as the last reference goes; at thousands of negotiations a second that
    collector costs more than the rounds themselves.

    Attributes:
        id: The mechanism's id.
        mechanism_type: The mechanism's class name.
        outcome_space: The outcome space.
        limits: The mechanism's :class:`~palaver.mechanisms.MechanismLimits`.
        seed: The mechanism's seed.
        state: The mechanism's live state object.
        history: The mechanism's offers (planned ones added when read, see
            :mod:`palaver.mechanisms.offer_log`), as ``mechanism.history`` lists them.
        annotation: The mechanism's annotation dict.
        bus: The event bus the mechanism emits to.
        negotiator_ids: The mechanism's own list of the negotiators' ids, in turn order.
        owner_ids: The mechanism's own list of the agents they act for (their
            ``owner_id`` when they joined), in the same order.
        joined: The mechanism's own notes of each negotiator's name, class and
            agent name (:data:`~palaver.mechanisms.participants.Joined`), in the same order.
        dynamic_entry: The mechanism's ``dynamic_entry``.
        offering_is_accepting: SAO's ``offering_is_accepting`` (True elsewhere).
        allow_none_with_data: SAO's ``allow_none_with_data`` (True elsewhere).
        max_n_negotiators: The mechanism's ``max_n_negotiators``.
        one_offer_per_step: SAO's ``one_offer_per_step`` (False elsewhere).
        end_on_no_response: SAO's ``end_on_no_response`` (False elsewhere).
        started_at: When the negotiation started (``time.perf_counter``), or ``None``.
        logs: The negotiators' notes (``nmi.log_info`` ...), made on the first one.
    """

    __slots__ = (
        "_history",
        "_offered",
        "_pending",
        "allow_none_with_data",
        "annotation",
        "bus",
        "dynamic_entry",
        "end_on_no_response",
        "id",
        "joined",
        "limits",
        "logs",
        "max_n_negotiators",
        "mechanism_type",
        "negotiator_ids",
        "offering_is_accepting",
        "one_offer_per_step",
        "outcome_space",
        "owner_ids",
        "seed",
        "started_at",
        "state",
    )

    def __init__(self, mechanism: Mechanism, negotiator_ids: list[str]) -> None:
        # Settings from the mechanism's own attributes (set before it makes
        # its facts), not its properties: one of these is made per negotiation.
        self.id = mechanism._id
        self.mechanism_type = type(mechanism).__name__
        self.outcome_space = mechanism._outcome_space
        self.limits = mechanism._limits
        self.seed = mechanism._seed
        self.state = mechanism.state
        self._history = mechanism._history
        self._pending = mechanism._pending
        self._offered = mechanism._offered
        self.annotation = mechanism._annotation
        self.bus = mechanism._bus
        self.negotiator_ids = negotiator_ids
        self.owner_ids: list[str | None] = mechanism._owner_ids
        self.joined: list[Joined] = mechanism._joined
        # The defaults: a mechanism made with other entry rules sets them here.
        self.dynamic_entry = False
        self.max_n_negotiators: int | None = None
        self.offering_is_accepting = True
        self.allow_none_with_data = True
        self.one_offer_per_step = False
        self.end_on_no_response = False
        self.started_at: float | None = None
        self.logs: dict[str, list[dict[str, Any]]] | None = None

    @property
    def history(self) -> list[Offered]:
        """The mechanism's offers, up to date: the list ``mechanism.history`` gives
        (of :class:`~palaver.mechanisms.offered.Offered` entries)."""
        if self._pending:
            settle(self._history, self._pending)
        return offered_view(self._history, self._offered)


class NegotiatorMechanismInterface(InterfaceMembers):
    """What a negotiator may know about, and draw from, the mechanism it is in.

    Each negotiator gets its own interface when it joins; ``mechanism.nmi`` is
    one more for observers (e.g. a world deciding whether to accept a request).
    Every interface carries its own random generator, :attr:`random`, derived
    from the mechanism's seed and the negotiator's position, so negotiators
    never share or disturb each other's randomness.

    An interface reads the mechanism's :class:`MechanismFacts`, not the
    mechanism object, so it stays valid (and keeps reporting the final state)
    after the mechanism itself is gone.

    A negotiator's interface reports that negotiator's own limits (NegMAS's):
    those of the mechanism as it was made, each lowered to the negotiator's own
    ``n_steps`` / ``time_limit`` given to :meth:`Mechanism.add
    <palaver.mechanisms.Mechanism.add>`. The observers' interface
    (``mechanism.nmi``) reports the limits the negotiation ends at, the
    shortest of all.
    """

    __slots__ = ("_facts", "_key", "_limits", "_random")

    def __init__(
        self,
        mechanism: Mechanism,
        key: tuple[int, ...],
        limits: MechanismLimits | None = None,
    ) -> None:
        self._facts: MechanismFacts = mechanism.facts
        self._key = key
        # None: the mechanism's limits, read when asked (they tighten as
        # negotiators with limits of their own join).
        self._limits = limits
        self._random: np.random.Generator | None = None

    @property
    def id(self) -> str:
        """The mechanism's (negotiation's) id."""
        return self._facts.id

    @property
    def mechanism_type(self) -> str:
        """The mechanism's class name (e.g. ``"SAOMechanism"``)."""
        return self._facts.mechanism_type

    @property
    def outcome_space(self) -> OutcomeSpace:
        """The outcome space under negotiation."""
        return self._facts.outcome_space

    @property
    def issues(self) -> tuple[Issue, ...]:
        """The issues under negotiation, in outcome order."""
        return tuple(self._facts.outcome_space.issues)

    @property
    def limits(self) -> MechanismLimits:
        """The limits this interface reports (see :class:`~palaver.mechanisms.MechanismLimits`):
        a negotiator's own, or the mechanism's for observers."""
        limits = self._limits
        return self._facts.limits if limits is None else limits

    @property
    def n_steps(self) -> int | None:
        """The round limit (a negotiator's own, see :attr:`limits`), or ``None``."""
        # Not through self.limits: strategies read this when they plan.
        limits = self._limits
        return (self._facts.limits if limits is None else limits).n_steps

    @property
    def pend(self) -> float:
        """NegMAS's probability that the negotiation ends before a round (0: never)."""
        return self.limits.pend

    @property
    def pend_per_second(self) -> float:
        """NegMAS's probability that the negotiation ends in a second (0: never)."""
        return self.limits.pend_per_second

    @property
    def time_limit(self) -> float:
        """The wall-clock limit of the whole negotiation in seconds (a negotiator's own,
        see :attr:`limits`); ``inf`` without one, as in NegMAS (``limits.time_limit``
        is ``None`` then)."""
        limits = self._limits
        limit = (self._facts.limits if limits is None else limits).time_limit
        return math.inf if limit is None else limit

    @property
    def step_time_limit(self) -> float:
        """The wall-clock limit of one round in seconds; ``inf`` without one, as in NegMAS
        (``limits.step_time_limit`` is ``None`` then)."""
        limit = self.limits.step_time_limit
        return math.inf if limit is None else limit

    @property
    def negotiator_time_limit(self) -> float:
        """The wall-clock limit of one negotiator call in seconds; ``inf`` without one, as in NegMAS
        (``limits.negotiator_time_limit`` is ``None`` then)."""
        limit = self.limits.negotiator_time_limit
        return math.inf if limit is None else limit

    @property
    def n_negotiators(self) -> int:
        """How many negotiators have joined."""
        return len(self._facts.negotiator_ids)

    @property
    def negotiator_ids(self) -> list[str]:
        """The ids of the negotiators, in turn order (a copy)."""
        return list(self._facts.negotiator_ids)

    @property
    def owner_ids(self) -> list[str | None]:
        """The ids of the agents the negotiators act for, in turn order (a copy):
        in a world, each negotiator's agent; ``None`` for a negotiator without one."""
        return list(self._facts.owner_ids)

    @property
    def agent_ids(self) -> list[str | None]:
        """NegMAS's name of :attr:`owner_ids`."""
        return list(self._facts.owner_ids)

    @property
    def agent_names(self) -> list[str | None]:
        """The names of the agents the negotiators act for, in turn order (``None``
        for a negotiator without one; NegMAS's ``agent_names``)."""
        return [owner for _, _, owner in self._facts.joined]

    @property
    def participants(self) -> list[NegotiatorDescriptor]:
        """The negotiators as NegMAS describes them (name, id, snake_case class name),
        in turn order."""
        facts = self._facts
        return participants_of(facts.negotiator_ids, facts.joined)

    @property
    def offering_is_accepting(self) -> bool:
        """Whether making an offer counts as accepting it (SAO's setting, NegMAS's
        ``SAONMI.offering_is_accepting``; True for other mechanisms)."""
        return self._facts.offering_is_accepting

    @property
    def allow_none_with_data(self) -> bool:
        """SAO's ``allow_none_with_data`` (NegMAS's field of the interface; True
        for other mechanisms): whether a ``None`` proposal with data is a message."""
        return self._facts.allow_none_with_data

    @property
    def dynamic_entry(self) -> bool:
        """The mechanism's ``dynamic_entry`` (NegMAS's field of the interface)."""
        return self._facts.dynamic_entry

    @property
    def max_n_negotiators(self) -> int | None:
        """The most negotiators the mechanism lets join (``None``: no limit)."""
        return self._facts.max_n_negotiators

    @property
    def state(self) -> MechanismState:
        """The live state (see :mod:`palaver.mechanisms.state`)."""
        return self._facts.state

    @property
    def relative_time(self) -> float:
        """``state.relative_time`` (in a negotiator's call, its own: see
        :meth:`Mechanism.add <palaver.mechanisms.Mechanism.add>`)."""
        return self._facts.state.relative_time

    @property
    def history(self) -> list[Offered]:
        """Every offer made so far as ``(round, negotiator_id, outcome)``, oldest first.

        Each entry also reads as NegMAS's state (``current_offer``,
        ``current_proposer``, ``step``, ``new_offers``). The list the mechanism
        keeps (not a copy): do not modify it. In the veto mechanism the
        mediator's proposals appear with ``negotiator_id=None``.
        """
        return self._facts.history

    # NegMAS's views of the offers, read by NegMAS-style negotiators from their
    # interface (self.nmi.negotiator_offers(partner), self.nmi.trace, ...).
    def _offers(self) -> list[tuple[int, str | None, Outcome]]:
        facts = self._facts
        if facts._pending:
            settle(facts._history, facts._pending)
        return facts._history

    @property
    def mechanism_id(self) -> str:
        """NegMAS's name for :attr:`id` (the mechanism's id)."""
        return self._facts.id

    @property
    def extended_trace(self) -> list[tuple[int, str | None, Outcome]]:
        """Every offer as ``(step, negotiator id, outcome)``, oldest first (a copy)."""
        return [(rnd, nid, outcome) for rnd, nid, outcome in self._offers()]

    @property
    def trace(self) -> list[tuple[str | None, Outcome]]:
        """Every offer as ``(negotiator id, outcome)``, oldest first."""
        return [(nid, outcome) for _, nid, outcome in self._offers()]

    @property
    def offers(self) -> list[Outcome]:
        """Every offered outcome, oldest first."""
        return [outcome for _, _, outcome in self._offers()]

    def negotiator_offers(self, negotiator_id: str) -> list[Outcome]:
        """The offers made by ``negotiator_id``, oldest first.

        Raises ``ValueError`` naming the negotiators when ``negotiator_id`` is
        not one of them, as the mechanism's does (NegMAS returns ``[]``).
        """
        facts = self._facts
        return offers_by(self._offers(), facts.negotiator_ids, facts.id, negotiator_id)

    def negotiator_index(self, negotiator_id: str) -> int | None:
        """The position of ``negotiator_id`` in turn order, or ``None`` (NegMAS's)."""
        return turn_index(self._facts.negotiator_ids, negotiator_id)

    @property
    def annotation(self) -> dict[str, Any]:
        """Free-form information the creator of the mechanism attached."""
        return self._facts.annotation

    @property
    def bus(self) -> EventBus:
        """The mechanism's event bus, for negotiators that record events of their own.

        Events a negotiator emits here land in the same stream (and recording)
        as the mechanism's offers and responses.
        """
        return self._facts.bus

    @property
    def random(self) -> np.random.Generator:
        """This interface's generator, derived from the mechanism's seed (made on first use)."""
        if self._random is None:
            seq = np.random.SeedSequence(self._facts.seed, spawn_key=self._key)
            # What default_rng(seq) makes (the same stream), without its
            # dispatch on the argument's type: ~8 us of a ~20 us call, paid by
            # every randomised negotiator in every negotiation.
            self._random = np.random.Generator(np.random.PCG64(seq))
        return self._random

    @property
    def n_outcomes(self) -> int | float:
        """The number of outcomes (``math.inf`` when an issue is continuous), as the mechanism's."""
        return self._facts.outcome_space.cardinality

    @property
    def outcomes(self) -> list[Outcome]:
        """Every outcome, as the mechanism's ``outcomes``.

        Raises :class:`~palaver.outcomes.OutcomeSpaceError` when the space
        cannot be enumerated (a continuous issue, or too many outcomes).
        """
        return self._facts.outcome_space.enumerate()

    def discrete_outcomes(self, levels: int = 10, max_cardinality: int = 10_000) -> list[Outcome]:
        """NegMAS's method, as the mechanism's: ``enumerate_or_sample(levels, max_cardinality)``.

        The sample of a large space is drawn from the mechanism's seed, so every
        negotiator (and the mechanism) gets the same one.
        """
        return self._facts.outcome_space.enumerate_or_sample(
            levels, max_cardinality, self._facts.seed
        )

    def random_outcome(self) -> Outcome:
        """One outcome drawn uniformly using :attr:`random` (NegMAS's ``random_outcome``)."""
        return self._facts.outcome_space.sample(self.random, 1)[0]

    def random_outcomes(self, n: int = 1) -> list[Outcome]:
        """``n`` outcomes drawn uniformly (with replacement) using :attr:`random`."""
        return self._facts.outcome_space.sample(self.random, n)

    def __repr__(self) -> str:
        return f"NegotiatorMechanismInterface({self.mechanism_type} {self.id!r})"


#: Short alias.
NMI = NegotiatorMechanismInterface
#: The name the tutorial uses.
AgentMechanismInterface = NegotiatorMechanismInterface
#: NegMAS's name for the interface an SAO negotiation gives (``negmas.sao.SAONMI``).
SAONMI = NegotiatorMechanismInterface

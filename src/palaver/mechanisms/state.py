"""Mechanism state objects.

A mechanism owns one state object and updates it in place as the negotiation
advances (building a fresh object every round would cost more than the round
itself). ``mechanism.state`` and the ``state`` argument negotiators receive are
therefore *live*: read them when you need them and call :meth:`MechanismState.copy`
to keep a snapshot.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from palaver.mechanisms.offered import data_of, latest_data
from palaver.outcomes import Outcome


@dataclass(slots=True)
class MechanismState:
    """Where a negotiation stands.

    Attributes:
        step: Rounds completed so far (during a round: the 0-based index of the
            current round).
        relative_time: Fraction of the negotiation's budget used, in ``[0, 1]``:
            during round ``k`` the larger of ``(k + 1) / (n_steps + 1)`` and
            ``elapsed / time_limit`` (whichever limits are set); 1 once the
            negotiation timed out.
        running: True between the start and the end of the negotiation.
        started: True once the negotiation has started (stays True after it ends).
        agreement: The agreed outcome (a tuple), or ``None``.
        broken: True when a negotiator ended the negotiation (END_NEGOTIATION,
            an invalid offer with ``end_on_invalid_offer``, or an exception,
            with ``has_error`` too, as NegMAS's).
        timedout: True when a round, time or per-negotiator limit ended it.
        has_error: True when a negotiator raised an exception that was ignored
            (``ignore_negotiator_exceptions=True``) or that was re-raised as a
            :class:`~palaver.mechanisms.NegotiatorError`.
        error_details: What went wrong (empty when nothing did).
        erred_negotiator: The id of the negotiator responsible for an error, an
            invalid offer or an exceeded per-negotiator time limit, else ``""``
            (NegMAS's empty string).
        erred_agent: The id of the agent that negotiator acts for (its
            ``owner_id``), ``""`` when there is none or nothing went wrong
            (NegMAS's field).
        n_negotiators: How many negotiators have joined (NegMAS's field).
        ended_without_starting: True when ``step()`` or ``run()`` was called
            with fewer than two negotiators and no ``dynamic_entry``: the
            negotiation did not start (``started`` stays False). NegMAS's field.
        time: Seconds from the start of the negotiation to the end of its
            latest :meth:`~palaver.mechanisms.Mechanism.step` (NegMAS's
            ``state.time``; 0 before). ``run()`` without a time limit plays
            its rounds in one loop that leaves it alone (a clock read per
            round would slow the hottest loop) and sets it when the
            negotiation ends. Wall-clock time: it differs between runs of
            the same seed, so states compare equal whatever it holds, and
            :meth:`to_dict` leaves it out.
    """

    step: int = 0
    relative_time: float = 0.0
    running: bool = False
    started: bool = False
    agreement: Outcome | None = None
    broken: bool = False
    timedout: bool = False
    has_error: bool = False
    error_details: str = ""
    erred_negotiator: str = ""
    erred_agent: str = ""
    n_negotiators: int = 0
    ended_without_starting: bool = False
    time: float = field(default=0.0, compare=False, metadata={"data": False})

    @property
    def ended(self) -> bool:
        """True once the negotiation has started and stopped running."""
        return self.started and not self.running

    @property
    def result(self) -> str:
        """How the negotiation stands or ended, in a word.

        ``"pending"`` before the start, ``"running"`` while it runs, then
        ``"agreement"``, ``"error"``, ``"timeout"`` or ``"failure"`` (the
        ``result`` values of the ``negotiation_ended`` event).
        """
        if not self.started:
            return "pending"
        if self.running:
            return "running"
        if self.agreement is not None:
            return "agreement"
        if self.has_error:
            return "error"
        if self.timedout:
            return "timeout"
        return "failure"

    # NegMAS's views of the state: scripts written against it read them.
    @property
    def done(self) -> bool:
        """NegMAS's: started, and ended by an agreement, a break or a time-out."""
        return self.started and (self.broken or self.timedout or self.agreement is not None)

    @property
    def completed(self) -> bool:
        """NegMAS's alias of :attr:`done`."""
        return self.done

    @property
    def ended_or_never_started(self) -> bool:
        """NegMAS's: no more rounds will be played (ended, ended without starting, or
        an agreement, break or time-out set before the start)."""
        return (
            self.ended
            or self.ended_without_starting
            or self.broken
            or self.timedout
            or self.agreement is not None
        )

    def asdict(self) -> dict[str, Any]:
        """NegMAS's name for :meth:`to_dict`."""
        return self.to_dict()

    def keys(self) -> list[str]:
        """The field names of :meth:`to_dict` (NegMAS's state reads like a dict)."""
        return list(self.to_dict())

    def values(self) -> list[Any]:
        """The field values of :meth:`to_dict`, in :meth:`keys`' order."""
        return list(self.to_dict().values())

    def __getitem__(self, name: str) -> Any:
        """``state["step"]`` is ``state.step`` (NegMAS's state reads like a dict)."""
        if not isinstance(name, str) or name.startswith("_"):
            raise KeyError(name)
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(
                f"{name!r} is not a field of {type(self).__name__}; fields: {self.keys()}"
            ) from None

    def copy(self) -> MechanismState:
        """A snapshot that later rounds do not change."""
        return copy.copy(self)

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (outcomes stay tuples), without the wall-clock ``time``
        (so that the dicts of two runs of one seed are equal)."""
        return {
            f.name: copy.deepcopy(getattr(self, f.name))
            for f in fields(self)
            if f.metadata.get("data", True)
        }


@dataclass(slots=True)
class SAOState(MechanismState):
    """The state of a stacked-alternating-offers negotiation.

    Attributes:
        current_offer: The standing offer (a tuple) or ``None``.
        current_proposer: The id of the negotiator that made the standing offer.
        n_acceptances: How many negotiators have accepted the standing offer
            (the proposer included when offering counts as accepting).
        left_negotiators: The ids of the negotiators that left the negotiation
            (``ResponseType.LEAVE``) while the others went on (NegMAS's field;
            immutable, replaced when one more leaves, so a copied state keeps
            its own).
        n_participating: How many negotiators take part: all of them from the
            start, less those that left (NegMAS's; 0 before the start).
        offer_source: Where :attr:`new_offers` reads the offers: the mechanism's
            history, ``(round, negotiator id, outcome)`` entries (set by the
            mechanism; not part of the state's data: it is left out of
            comparisons, ``repr`` and :meth:`to_dict`).
    """

    current_offer: Outcome | None = None
    current_proposer: str | None = None
    n_acceptances: int = 0
    left_negotiators: frozenset[str] = frozenset()
    n_participating: int = 0
    offer_source: Callable[[], Sequence[tuple[int, str | None, Outcome]]] | None = field(
        default=None, compare=False, repr=False, metadata={"data": False}
    )

    @property
    def waiting(self) -> bool:
        """NegMAS's flag that a negotiator answered ``WAIT``: always ``False``, as
        Palaver's mechanisms have no ``WAIT`` answer (a turn is never put off)."""
        return False

    @property
    def new_offers(self) -> list[tuple[str | None, Outcome]]:
        """NegMAS's ``new_offers``: ``(proposer, outcome)`` of every offer made in the
        latest completed step (round ``step - 1``; a turn with
        ``one_offer_per_step``), oldest first; ``[]`` before the first.

        Read from the mechanism's history when asked (nothing is kept per
        round), so a snapshot from :meth:`copy` answers for its own ``step``.
        """
        source = self.offer_source
        if source is None or self.step < 1:
            return []
        last = self.step - 1
        found: list[tuple[str | None, Outcome]] = []
        for rnd, proposer, outcome in reversed(source()):
            if rnd < last:
                break
            if rnd == last:
                found.append((proposer, outcome))
        found.reverse()
        return found

    @property
    def current_proposer_agent(self) -> str | None:
        """NegMAS's ``current_proposer_agent``: the id of the agent the standing
        offer's proposer acts for (``None`` without an offer or an agent)."""
        agent_of = getattr(self.offer_source, "agent_of", None)
        proposer = self.current_proposer
        return None if agent_of is None or proposer is None else agent_of(proposer)

    @property
    def new_offerer_agents(self) -> list[str | None]:
        """NegMAS's ``new_offerer_agents``: the agent of each proposer of
        :attr:`new_offers`, in the same order (``None`` for one without)."""
        agent_of = getattr(self.offer_source, "agent_of", None)
        return [
            None if agent_of is None or proposer is None else agent_of(proposer)
            for proposer, _ in self.new_offers
        ]

    @property
    def current_data(self) -> dict[str, Any] | None:
        """NegMAS's ``current_data``: the data that came with the latest proposal
        (an offer, or a message withdrawing the offer), ``None`` when it came
        with none (see :mod:`palaver.mechanisms.sao_data`). Read from the
        history when asked."""
        source = self.offer_source
        return None if source is None else latest_data(source(), self.step)

    @property
    def new_data(self) -> list[tuple[str | None, dict[str, Any] | None]]:
        """NegMAS's ``new_data``: ``(proposer, data)`` of every proposal of the
        latest completed step, as :attr:`new_offers` lists them (``None``: no data)."""
        source = self.offer_source
        return [] if source is None else data_of(source(), self.step)

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (see :meth:`MechanismState.to_dict`);
        ``left_negotiators`` as a sorted list."""
        fields = MechanismState.to_dict(self)
        fields["left_negotiators"] = sorted(self.left_negotiators)
        return fields


@dataclass(slots=True)
class STState(MechanismState):
    """The state of a single-text (veto) negotiation.

    Attributes:
        current_offer: The current single text (a tuple).
        proposal: The mediator's latest proposed text, or ``None``.
        n_vetoes: How many negotiators vetoed the latest proposal.
    """

    current_offer: Outcome | None = None
    proposal: Outcome | None = None
    n_vetoes: int = 0

    @property
    def new_offer(self) -> Outcome | None:
        """NegMAS's name of :attr:`proposal`."""
        return self.proposal

"""SAO: the stacked alternating offers protocol."""

from __future__ import annotations

import sys
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Unpack

from palaver.events import EventType
from palaver.mechanisms.base import Mechanism, StateCallback
from palaver.mechanisms.callbacks import defining
from palaver.mechanisms.entry import capabilities_of
from palaver.mechanisms.errors import InvalidOfferError, MechanismTypeError, MechanismValueError
from palaver.mechanisms.failures import erred_agent
from palaver.mechanisms.full_trace import (
    TraceElement,
    full_trace,
    full_trace_with_utils,
    negotiator_full_trace,
)
from palaver.mechanisms.nmi import NegotiatorMechanismInterface
from palaver.mechanisms.offer_log import settle
from palaver.mechanisms.options import MechanismOptions, flag
from palaver.mechanisms.plan import RoundPlan
from palaver.mechanisms.responses import ResponseType, SAOResponse, bad_response
from palaver.mechanisms.sao_data import take_extended
from palaver.mechanisms.sao_duel import duel_of, play_duel
from palaver.mechanisms.sao_duel_tft import play_tft_duel, tft_duel_of
from palaver.mechanisms.sao_mixed import play_mixed
from palaver.mechanisms.sao_options import (
    check_avoid_ultimatum,
    check_max_wait,
)
from palaver.mechanisms.sao_planned import collect_plans, play_planned
from palaver.mechanisms.sao_turns import hand_over, play_turns, play_watched_rounds
from palaver.mechanisms.state import SAOState
from palaver.mechanisms.table import outcome_table
from palaver.outcomes import ExtendedOutcome, Issue, Outcome, OutcomeSpace

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER
_END = ResponseType.END_NEGOTIATION
_NONE = ResponseType.NO_RESPONSE
_LEAVE = ResponseType.LEAVE
_OFFER = EventType.OFFER
_RESPONSE = EventType.RESPONSE
_NOTHING = object()  # no proposal validated yet (None is a proposal: "no offer")


def _check_offer_option(name: str, value: object) -> None:
    """NegMAS's ``check_offers`` / ``enforce_issue_types`` / ``cast_offers``: only ``True``.

    Palaver always checks every offer against the outcome space and stores
    the issues' own values (``1`` for ``1.0``); it has no mode that lets an
    invalid or uncast offer through, so asking for one is an error rather than
    a silent difference.
    """
    if value is True:
        return
    if value is False:
        raise MechanismValueError(
            f"{name}=False is not supported: allowed is {name}=True (the default). Palaver "
            "checks every offer against the outcome space and stores the issues' own values "
            "(1 for 1.0); see end_on_invalid_offer for what an invalid offer does"
        )
    raise MechanismTypeError(f"{name} must be True, got {value!r}")


def _may_propose(negotiator: Any) -> bool:
    """Whether ``negotiator`` makes offers: not when its ``can_propose`` or NegMAS's
    ``capabilities["propose"]`` says it never does."""
    if getattr(negotiator, "can_propose", True) is False:
        return False
    return capabilities_of(negotiator).get("propose", True) is not False


class _OffersOf:
    """A mechanism's offer history for its state's ``new_offers``, without a cycle.

    It holds the mechanism weakly, so a finished negotiation is freed by
    reference counting alone; pickled, it is rebuilt around the (unpickled)
    mechanism; copies of a state share it.
    """

    __slots__ = ("_ref",)

    def __init__(self, mechanism: SAOMechanism | None) -> None:
        # None: a snapshot pickled after its mechanism was freed (no offers).
        self._ref = None if mechanism is None else weakref.ref(mechanism)

    def __call__(self) -> list[tuple[int, str | None, Outcome]]:
        mechanism = None if self._ref is None else self._ref()
        return [] if mechanism is None else mechanism._offers()

    def __reduce__(self) -> tuple[type[_OffersOf], tuple[SAOMechanism | None]]:
        return (_OffersOf, (None if self._ref is None else self._ref(),))

    def __copy__(self) -> _OffersOf:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _OffersOf:
        return self


class SAOMechanism(Mechanism):
    """Stacked alternating offers, bilateral or multilateral.

    The negotiators take turns in the order they were added; one round
    (``step()``) gives each of them one turn. On its turn a negotiator facing a
    standing offer is asked to ``respond``:

    - ``ACCEPT_OFFER``: it accepts the standing offer. When every negotiator
      has accepted it, it becomes the agreement and the negotiation ends.
    - ``REJECT_OFFER``: it is asked to ``propose``; its proposal becomes the
      standing offer (acceptances start over). Proposing ``None`` withdraws the
      standing offer without replacing it; with ``end_on_no_response=True``
      (NegMAS's option; NegMAS's default) it ends the negotiation instead, as
      ``broken``, whether the negotiator faced an offer or not.
    - ``END_NEGOTIATION``: the negotiation ends without agreement (``broken``).
    - ``NO_RESPONSE``: it passes; the standing offer and its acceptances stay.
    - ``LEAVE``: it leaves; with ``allow_negotiators_to_leave=True`` (the
      default, NegMAS's) the others go on without it while at least two
      remain (``state.left_negotiators``, :attr:`participating_negotiators`;
      see :mod:`palaver.mechanisms.sao_leaving`), with ``False`` it ends the
      negotiation like ``END_NEGOTIATION``.

    A negotiator facing no standing offer (the very first turn, or after a
    withdrawal) is asked to ``propose`` directly. With
    ``offering_is_accepting=True`` (the default) making an offer counts as
    accepting it, and a proposer whose offer is still standing when its turn
    comes back (others passed) proposes again instead of responding to itself;
    with ``False`` the proposer accepts its own offer like anyone else, on its
    next turn.

    The negotiation also ends after ``n_steps`` rounds or when a time limit
    expires (``timedout``), or on a negotiator error (see :class:`Mechanism`).

    Offers are validated against the outcome space. An invalid offer (wrong
    length, a value outside an issue) raises
    :class:`~palaver.mechanisms.InvalidOfferError` (recorded as an error
    instead with ``ignore_negotiator_exceptions=True``); with
    ``end_on_invalid_offer=True`` it ends the negotiation as if the offender had
    answered ``END_NEGOTIATION`` (``broken``, with ``erred_negotiator`` and
    ``error_details`` saying why). An offer given as a dict keyed by issue name
    (or a list) is converted to a tuple first; a number equal to an issue value
    (``1.0`` for ``1``, a numpy scalar) is replaced by the plain value.

    NegMAS's ``check_offers``, ``enforce_issue_types`` and ``cast_offers``
    are accepted as ``True`` (what Palaver always does); ``False`` is refused
    with a ``MechanismValueError``.

    NegMAS's ``allow_offering_just_rejected_outcome=False`` makes a proposal
    equal to the standing offer count as no proposal (the negotiation is then
    played turn by turn, without round plans). NegMAS's ``pend`` and
    ``pend_per_second`` (random endings) and ``checkpoint_*`` keywords are
    :class:`Mechanism`'s. ``avoid_ultimatum=True`` warns and has no effect
    (as in NegMAS 0.16); ``max_wait`` (Palaver has no ``WAIT`` answer) and
    ``allow_none_with_data`` (proposals carry no data) are accepted only at
    their defaults (see :mod:`palaver.mechanisms.sao_options`).

    With ``one_offer_per_step=True`` (NegMAS's option) a step is one
    negotiator's turn instead of a whole round: ``step()`` lets the next
    negotiator respond and, if it rejected or faced no offer, propose;
    ``n_steps`` then counts turns, and the relative time advances per turn
    (see :mod:`palaver.mechanisms.sao_turns`).
    """

    state_type: ClassVar[type[SAOState]] = SAOState
    negotiator_needs: ClassVar[tuple[str, ...]] = (
        *Mechanism.negotiator_needs,
        "propose",
        "respond",
    )

    def __init__(
        self,
        outcome_space: OutcomeSpace | None = None,
        issues: Iterable[Issue] | None = None,
        *,
        offering_is_accepting: bool = True,
        end_on_invalid_offer: bool = False,
        one_offer_per_step: bool = False,
        end_on_no_response: bool = False,
        check_offers: bool = True,
        enforce_issue_types: bool = True,
        cast_offers: bool = True,
        allow_negotiators_to_leave: bool = True,
        allow_offering_just_rejected_outcome: bool = True,
        avoid_ultimatum: bool = False,
        allow_none_with_data: bool = True,
        max_wait: int | None = sys.maxsize,
        **options: Unpack[MechanismOptions],
    ) -> None:
        if not (check_offers is True and enforce_issue_types is True and cast_offers is True):
            for name, value in (
                ("check_offers", check_offers),
                ("enforce_issue_types", enforce_issue_types),
                ("cast_offers", cast_offers),
            ):
                _check_offer_option(name, value)
        if avoid_ultimatum is not False:
            check_avoid_ultimatum(avoid_ultimatum)
        if max_wait != sys.maxsize:
            check_max_wait(max_wait)
        super().__init__(outcome_space, issues, **options)
        # Flags, not truth values: offering_is_accepting="no" would be True.
        # The defaults are taken without a call (a mechanism per negotiation).
        if offering_is_accepting is not True:
            offering_is_accepting = flag("offering_is_accepting", offering_is_accepting)
        self._offering_is_accepting = offering_is_accepting
        self._facts.offering_is_accepting = offering_is_accepting
        if end_on_invalid_offer is not False:
            end_on_invalid_offer = flag("end_on_invalid_offer", end_on_invalid_offer)
        self._end_on_invalid_offer = end_on_invalid_offer
        if end_on_no_response is not False:
            end_on_no_response = flag("end_on_no_response", end_on_no_response)
        self._end_on_no_response = end_on_no_response
        if one_offer_per_step is not False:
            one_offer_per_step = flag("one_offer_per_step", one_offer_per_step)
        self._one_offer_per_step = one_offer_per_step
        if allow_negotiators_to_leave is not True:
            allow_negotiators_to_leave = flag(
                "allow_negotiators_to_leave", allow_negotiators_to_leave
            )
        self._allow_negotiators_to_leave = allow_negotiators_to_leave
        if allow_offering_just_rejected_outcome is not True:
            allow_offering_just_rejected_outcome = flag(
                "allow_offering_just_rejected_outcome", allow_offering_just_rejected_outcome
            )
        self._allow_offering_just_rejected_outcome = allow_offering_just_rejected_outcome
        if allow_none_with_data is not True:
            allow_none_with_data = flag("allow_none_with_data", allow_none_with_data)
        self._allow_none_with_data = allow_none_with_data
        self._facts.allow_none_with_data = allow_none_with_data
        # Whole rounds are played turn by turn (play_watched_rounds) when a
        # negotiator watches the others, one left, a turn's rules change, or
        # negotiators see limits of their own (palaver.mechanisms.own_limits).
        self._turn_by_turn = not allow_offering_just_rejected_outcome
        self._left_mask = 0  # bit i set: negotiator i left (ResponseType.LEAVE)
        self._turn = 0  # one_offer_per_step: index of the negotiator whose turn is next
        # Offers are validated by one dict lookup in the space's outcome table
        # (when the space is discrete and not huge); otherwise issue by issue,
        # remembering the outcomes already found valid.
        self._index: dict[Outcome, int] | None = None
        self._canonical: list[Outcome] = []
        self._valid: dict[Outcome, Outcome] = {}  # offered -> canonical outcome
        self._accepted = 0  # bit i set: negotiator i accepts the standing offer
        self._proposer = -1  # index of the negotiator whose offer stands
        self._plans: list[RoundPlan | None] = []
        # Negotiators told of the others' proposals and responses (NegMAS's
        # on_partner_proposal / on_partner_response, found when it starts).
        self._proposal_watchers: list[Any] = []
        self._response_watchers: list[Any] = []
        # state.new_offers reads the history when asked, never per round.
        self._state.offer_source = _OffersOf(self)

    @property
    def offering_is_accepting(self) -> bool:
        """Whether making an offer counts as accepting it."""
        return self._offering_is_accepting

    @property
    def one_offer_per_step(self) -> bool:
        """Whether a step is one negotiator's turn (``True``) or a whole round."""
        return self._one_offer_per_step

    def next_negotitor_ids(self) -> list[str]:
        """The ids of the negotiators the next :meth:`step` calls, in order.

        NegMAS's method, with NegMAS's spelling: with ``one_offer_per_step``
        the one whose turn is next (the id to key ``step(action)`` with),
        otherwise every negotiator still in the negotiation.
        """
        negotiators, left = self._negotiators, self._left_mask
        if not self._one_offer_per_step:
            return [n.id for i, n in enumerate(negotiators) if not left >> i & 1]
        n = len(negotiators)
        for k in range(n):
            i = (self._turn + k) % n
            if not left >> i & 1:
                return [negotiators[i].id]
        return []

    @property
    def end_on_no_response(self) -> bool:
        """Whether proposing ``None`` ends the negotiation (instead of withdrawing the offer)."""
        return self._end_on_no_response

    @property
    def allow_negotiators_to_leave(self) -> bool:
        """Whether ``LEAVE`` lets the others go on (``True``) or ends the negotiation."""
        return self._allow_negotiators_to_leave

    @property
    def allow_none_with_data(self) -> bool:
        """Whether a ``None`` proposal carrying data is a message that lets the
        negotiation go on (see :mod:`palaver.mechanisms.sao_data`)."""
        return self._allow_none_with_data

    @property
    def _internal_nmi(self) -> NegotiatorMechanismInterface:
        """NegMAS's name for the mechanism's own interface (:attr:`nmi`)."""
        return self.nmi

    @property
    def allow_offering_just_rejected_outcome(self) -> bool:
        """Whether a negotiator may offer the standing offer again (``False``: that
        proposal counts as no proposal, NegMAS's rule)."""
        return self._allow_offering_just_rejected_outcome

    @property
    def participating_negotiators(self) -> list[Any]:
        """The negotiators that have not left, in turn order (NegMAS's)."""
        left = self._left_mask
        return [n for i, n in enumerate(self._negotiators) if not left >> i & 1]

    @property
    def agreement_partners(self) -> list[Any]:
        """The negotiators party to the agreement: those that did not leave (NegMAS's)."""
        return self.participating_negotiators

    @property
    def n_participating(self) -> int:
        """How many negotiators have not left (NegMAS's)."""
        return len(self._negotiators) - self._left_mask.bit_count()

    @property
    def full_trace(self) -> list[TraceElement]:
        """NegMAS's ``full_trace``: every offer as a
        :class:`~palaver.mechanisms.full_trace.TraceElement` (``time`` is ``nan``:
        no clock is read per round; see :mod:`palaver.mechanisms.full_trace`)."""
        return full_trace(self)

    def negotiator_full_trace(
        self, negotiator_id: str
    ) -> list[tuple[float, float, int, Outcome | None, str, str | None, dict[str, Any] | None]]:
        """NegMAS's ``negotiator_full_trace``: ``(time, relative_time, step, offer,
        state, text, data)`` of each offer ``negotiator_id`` made, oldest first."""
        return negotiator_full_trace(self, negotiator_id)

    @property
    def full_trace_with_utils(self) -> list[tuple[Any, ...]]:
        """:attr:`full_trace` rows with each negotiator's utility of the offer appended."""
        return full_trace_with_utils(self)

    @property
    def end_on_invalid_offer(self) -> bool:
        """Whether an invalid offer ends the negotiation (instead of raising)."""
        return self._end_on_invalid_offer

    @property
    def state(self) -> SAOState:
        """The live state object (mutated in place; ``state.copy()`` for a snapshot)."""
        return self._state

    if TYPE_CHECKING:
        # The base class's step() and run() return the live state: a SAOState here.
        _state: SAOState

        def step(self, action: Mapping[str, Any] | None = None) -> SAOState: ...

        def run(
            self,
            timeout: float | None = None,
            start_callback: StateCallback | None = None,
            progress_callback: StateCallback | None = None,
            completion_callback: StateCallback | None = None,
        ) -> SAOState: ...

    def _stand_in(
        self, negotiator: Any, action: Any, spend: Callable[[], None]
    ) -> dict[str, Callable[..., Any]]:
        """NegMAS's SAO action for ``negotiator``'s next turn: an :class:`SAOResponse`
        (its answer to the standing offer, and its offer when it rejects) or a
        bare outcome (reject and offer it), for one turn (its answer and the
        offer that follows), as NegMAS uses it. The rest of
        the negotiation is played turn by turn, so that no planned round skips
        the stand-ins."""
        if isinstance(action, SAOResponse):
            response, offer = action.response, action.outcome
        elif isinstance(action, tuple | dict):
            response, offer = ResponseType.REJECT_OFFER, action
        else:
            raise MechanismTypeError(
                f"the action for {negotiator.id!r} must be an SAOResponse or an outcome; "
                f"got {action!r}"
            )
        if not self._turn_by_turn:
            self._turn_by_turn = True
            self._plans = []
        # A negotiator has one turn per step (a round, or a turn with
        # one_offer_per_step), and the stand-ins last one step.

        def respond(state: Any, offer_shown: Any = None, source: Any = None) -> ResponseType:
            spend()
            return response

        def propose(state: Any, dest: Any = None) -> Any:
            spend()
            return offer

        return {"respond": respond, "propose": propose}

    def _start(self) -> None:
        table = outcome_table(self._outcome_space)
        if table is not None:
            self._index, self._canonical = table.index, table.outcomes
        self._state.n_participating = len(self._negotiators)
        super()._start()
        if not self._dynamic_entry and not any(map(_may_propose, self._negotiators)):
            # NegMAS's ending: nobody will ever make an offer to answer.
            state = self._state
            state.broken = state.has_error = True
            state.running = False
            state.error_details = (
                f"no negotiator of {self._id!r} can propose (can_propose=False or the "
                "capability 'propose' is False), and none can join (dynamic_entry=False)"
            )
        if self._extra_callbacks:
            self._proposal_watchers = defining(self._negotiators, "on_partner_proposal")
            self._response_watchers = defining(self._negotiators, "on_partner_response")
        # Negotiators that see limits of their own (own_limits) each get their
        # relative time around their calls: only the turn-by-turn play does that.
        if self._proposal_watchers or self._response_watchers or self._own_clocks is not None:
            self._turn_by_turn = True
        if self._state.running and not self._one_offer_per_step and not self._turn_by_turn:
            self._plans = collect_plans(self, self._index)

    def _validate(self, offer: Any) -> Outcome | None:
        """The offer as a valid (canonical) tuple, or ``None`` when it is not an outcome."""
        space = self._outcome_space
        if type(offer) is not tuple:
            if isinstance(offer, dict):
                try:
                    offer = space.to_tuple(offer)
                except Exception:
                    return None
            elif isinstance(offer, list | tuple):
                offer = tuple(offer)
            elif isinstance(offer, ExtendedOutcome) and offer.outcome is not None:
                return self._validate(offer.outcome)  # NegMAS's offer with data
            else:
                return None
        outcome: Outcome = offer  # a tuple from here on
        try:
            if self._index is not None:
                position = self._index.get(outcome)
                return self._canonical[position] if position is not None else None
            known = self._valid.get(outcome)
        except TypeError:  # unhashable values are never outcomes
            return None
        if known is not None:
            return known
        # The issues' own values (1 for 1.0, plain numbers for numpy scalars),
        # as the outcome table gives them: agreements and event payloads hold
        # plain data whatever the size of the space.
        canonical = space.canonical(outcome)
        if canonical is not None:
            self._valid[outcome] = canonical
        return canonical

    def _invalid_offer(self, negotiator: Any, offer: Any) -> None:
        state = self._state
        msg = (
            f"negotiator {negotiator.id!r} offered {offer!r} at round {state.step} of "
            f"SAOMechanism {self._id!r}, which is not an outcome of the outcome space "
            f"(issues {list(self._outcome_space.issue_names)})"
        )
        if self._end_on_invalid_offer:
            state.broken = True
            state.running = False
            state.erred_negotiator = negotiator.id
            state.erred_agent = erred_agent(negotiator)
            state.error_details = msg
            return
        self._negotiator_failed(
            negotiator, "propose", ValueError(msg), InvalidOfferError, message=msg
        )

    def _play_plans(
        self,
        plans: list[RoundPlan | None],
        rounds: int,
        rows: list[Any] | None,
        to_offers: bool,
        to_responses: bool,
    ) -> None:
        """Play ``rounds`` rounds from the plans: all planned, MiCRO against a
        planned negotiator (sao_duel), or some planned and others called."""
        if None not in plans:
            play_planned(self, plans, rounds, rows, to_offers, to_responses)  # type: ignore[arg-type]
            return
        if self._pending:  # the turns below append after the planned offers
            settle(self._history, self._pending)
        duel = duel_of(self, plans)
        if duel is not None:
            play_duel(self, *duel, rounds, rows, to_offers, to_responses)
        else:
            play_mixed(self, plans, rounds, rows, to_offers, to_responses)

    def _play(self, rounds: int) -> None:
        if self._one_offer_per_step:
            play_turns(self, rounds)
            return
        if self._turn_by_turn:
            # Turn by turn, each proposal and response told to the watchers,
            # skipping those that left (the rules of the loop below, without
            # its optimisations).
            if self._pending:  # planned offers of earlier steps come first
                settle(self._history, self._pending)
            play_watched_rounds(self, rounds)
            return
        bus = self._bus
        # Negotiators planned their rounds (a sink may start listening
        # mid-negotiation: each call decides anew).
        plans = self._plans
        if plans:
            if not (bus.active and (bus.listens(_OFFER) or bus.listens(_RESPONSE))):
                self._play_plans(plans, rounds, None, False, False)
                return
            # Watched: planned play still works when every sink that watches
            # takes the offers and responses as batch rows (the same rows).
            rows = bus.batch_rows(_OFFER, _RESPONSE)
            if rows is not None:
                try:
                    self._play_plans(
                        plans, rounds, rows, bus.listens(_OFFER), bus.listens(_RESPONSE)
                    )
                finally:
                    bus.flush_rows()
                return
        if self._pending:  # the turns below append after the planned offers
            settle(self._history, self._pending)
        # The hot loop: everything it touches per turn is a local variable, and
        # the state object is updated in place (see palaver.mechanisms.state).
        state = self._state
        negotiators = self._negotiators
        n = len(negotiators)
        full = (1 << n) - 1
        ofa = self._offering_is_accepting
        end_on_none = self._end_on_no_response
        # Asked once per call rather than per turn: a sink that keeps only
        # coarse events (a recorder at detail="contracts") then costs nothing
        # here, not even the payloads.
        to_responses = bus.active and bus.listens(_RESPONSE)
        to_offers = bus.active and bus.listens(_OFFER)
        # --- event emission: offers/responses as batch rows when every sink
        # takes batches (palaver.events.batch), else one emit() per event.
        rows = bus.batch_rows(_OFFER, _RESPONSE) if to_offers or to_responses else None
        if (
            rounds > 1
            and self._limits.negotiator_time_limit is None
            and (rows is not None or not (to_offers or to_responses))
        ):
            # MiCRO against a naive tit-for-tat: both played inline (not for
            # a single round, step(): setting up costs more than it saves).
            duel = tft_duel_of(self)
            if duel is not None:
                try:
                    play_tft_duel(self, *duel, rounds, rows, to_offers, to_responses)
                finally:
                    if rows:
                        bus.flush_rows()
                return
        now = time.time
        history = self._history
        index = self._index
        canonical = self._canonical
        # Per negotiator, its last proposal that passed validation: strategies
        # often repeat an offer (the same tuple object) for many rounds, and an
        # identity check is cheaper than hashing it again.
        checked_last: list[Any] = [_NOTHING] * n
        to_payload = self._to_payload
        mechanism_id = self._id
        limit = self._limits.negotiator_time_limit
        n_steps = self._limits.n_steps
        inv_steps = self._inv_steps
        offer = state.current_offer
        accepted = self._accepted
        proposer = self._proposer
        rnd = state.step
        try:
            for done in range(rounds):
                for i in range(n):
                    negotiator = negotiators[i]
                    if offer is not None and not (ofa and proposer == i):
                        try:
                            if limit is None:
                                response = negotiator.respond(state, offer)
                            else:
                                t0 = time.perf_counter()
                                response = negotiator.respond(state, offer)
                                spent = time.perf_counter() - t0
                                if spent > limit:
                                    self._negotiator_too_slow(negotiator, "respond", spent)
                                    break
                        except Exception as exc:
                            self._negotiator_failed(negotiator, "respond", exc)
                            break
                        if to_responses and type(response) is ResponseType:
                            shown = offer if to_payload is None else to_payload(offer)
                            if rows is not None:
                                rows.append(
                                    (_RESPONSE, now(), negotiator.owner_id, mechanism_id,
                                     rnd, negotiator.id, response._value_, shown)
                                )  # fmt: skip
                            else:
                                payload = {
                                    "round": rnd,
                                    "negotiator": negotiator.id,
                                    "response": response._value_,
                                    "offer": shown,
                                }
                                bus.emit(_RESPONSE, payload, negotiator.owner_id, mechanism_id)
                        # Rejection first: it is the answer in all rounds but the last.
                        if response is not _REJECT:
                            if response is _ACCEPT:
                                bit = 1 << i
                                if not accepted & bit:
                                    accepted |= bit
                                    state.n_acceptances += 1
                                if accepted == full:
                                    state.agreement = offer
                                    state.running = False
                                    break
                                continue
                            if response is _NONE:
                                continue
                            if response is _END:
                                state.broken = True
                                state.running = False
                                break
                            if response is _LEAVE:
                                # The rest of the negotiation is played turn by turn.
                                if rows:
                                    bus.flush_rows()
                                self._accepted = accepted
                                self._proposer = proposer
                                hand_over(self, i, rounds - done - 1)
                                accepted = self._accepted
                                proposer = self._proposer
                                return
                            self._negotiator_failed(negotiator, "respond", bad_response(response))
                            break
                    try:
                        if limit is None:
                            proposal = negotiator.propose(state)
                        else:
                            t0 = time.perf_counter()
                            proposal = negotiator.propose(state)
                            spent = time.perf_counter() - t0
                            if spent > limit:
                                self._negotiator_too_slow(negotiator, "propose", spent)
                                break
                    except Exception as exc:
                        self._negotiator_failed(negotiator, "propose", exc)
                        break
                    if proposal is not checked_last[i]:
                        if proposal is None:
                            if end_on_none:
                                state.broken = True
                                state.running = False
                                break
                            offer = None
                            accepted = 0
                            proposer = -1
                            state.current_offer = None
                            state.current_proposer = None
                            state.n_acceptances = 0
                            continue
                        try:
                            position = index.get(proposal) if index is not None else None
                        except TypeError:  # unhashable (list, dict): _validate converts or rejects
                            position = None
                        checked: Outcome | None
                        if position is not None:
                            checked = canonical[position]
                        elif proposal.__class__ is ExtendedOutcome:
                            # NegMAS's proposal with data: played apart (sao_data).
                            if rows:
                                bus.flush_rows()
                            self._accepted, self._proposer = accepted, proposer
                            take_extended(self, i, negotiator, proposal)
                            offer = state.current_offer
                            accepted, proposer = self._accepted, self._proposer
                            if not state.running:
                                break
                            continue
                        else:
                            checked = self._validate(proposal)
                            if checked is None:
                                self._invalid_offer(negotiator, proposal)
                                break
                        if checked is proposal:
                            checked_last[i] = proposal
                        proposal = checked
                    offer = proposal
                    proposer = i
                    nid = negotiator.id
                    state.current_offer = offer
                    state.current_proposer = nid
                    if ofa:
                        accepted = 1 << i
                        state.n_acceptances = 1
                    else:
                        accepted = 0
                        state.n_acceptances = 0
                    history.append((rnd, nid, offer))
                    if to_offers:
                        shown = offer if to_payload is None else to_payload(offer)
                        if rows is not None:
                            rows.append(
                                (_OFFER, now(), negotiator.owner_id, mechanism_id,
                                 rnd, nid, None, shown)
                            )  # fmt: skip
                        else:
                            payload = {"round": rnd, "negotiator": nid, "outcome": shown}
                            bus.emit(_OFFER, payload, negotiator.owner_id, mechanism_id)
                # The round is over (completed, or cut short by a break above):
                # Mechanism._round_played, inlined in this hottest loop only.
                rnd += 1
                state.step = rnd
                if not state.running:
                    # NegMAS's ended state: the fraction of the round after it
                    state.relative_time = min(1.0, (rnd + 1) * inv_steps)
                    return
                if n_steps is not None and rnd >= n_steps:
                    state.timedout = True
                    state.running = False
                    state.relative_time = 1.0
                    return
                state.relative_time = (rnd + 1) * inv_steps
        finally:
            self._accepted = accepted
            self._proposer = proposer
            if rows:  # event emission: the batch rows of this stretch of rounds
                bus.flush_rows()

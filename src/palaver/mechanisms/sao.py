"""SAO: the stacked alternating offers protocol."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Unpack

from palaver.mechanisms.base import Mechanism, StateCallback
from palaver.mechanisms.call_limits import CallLimits
from palaver.mechanisms.callbacks import defining
from palaver.mechanisms.entry import may_propose
from palaver.mechanisms.errors import InvalidOfferError, MechanismTypeError
from palaver.mechanisms.failures import erred_agent
from palaver.mechanisms.nmi import NegotiatorMechanismInterface
from palaver.mechanisms.options import MechanismOptions, flag
from palaver.mechanisms.plan import RoundPlan
from palaver.mechanisms.responses import ResponseType, SAOResponse
from palaver.mechanisms.sao_loop import play_rounds
from palaver.mechanisms.sao_options import (
    check_avoid_ultimatum,
    check_max_wait,
    check_offer_options,
)
from palaver.mechanisms.sao_planned import collect_plans
from palaver.mechanisms.sao_views import OffersOf, SAOViews
from palaver.mechanisms.state import SAOState
from palaver.mechanisms.table import outcome_table
from palaver.outcomes import ExtendedOutcome, Issue, Outcome, OutcomeSpace


class SAOMechanism(SAOViews, Mechanism):
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
            check_offer_options(check_offers, enforce_issue_types, cast_offers)
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
        self._facts.end_on_no_response = end_on_no_response
        if one_offer_per_step is not False:
            one_offer_per_step = flag("one_offer_per_step", one_offer_per_step)
        self._one_offer_per_step = one_offer_per_step
        self._facts.one_offer_per_step = one_offer_per_step
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
        # The deadlines of the negotiators' calls (set at the start when it has limits in seconds).
        self._call_limits: CallLimits | None = None
        # The end of a run(timeout=) under way (a perf_counter reading), else None.
        self._run_deadline: float | None = None
        # state.new_offers reads the history when asked, never per round.
        self._state.offer_source = OffersOf(self)

    @property
    def _internal_nmi(self) -> NegotiatorMechanismInterface:
        """NegMAS's name for the mechanism's own interface (:attr:`nmi`)."""
        return self.nmi

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
        if not self._dynamic_entry and not any(map(may_propose, self._negotiators)):
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
        # Limits in seconds stop a call that overruns them (palaver.mechanisms.call_limits):
        # every call made round by round then goes through CallLimits.call, in the
        # general loop or the turns' loop (the planned duels call negotiators unwatched).
        self._call_limits = CallLimits.of(self) if self._state.running else None
        if self._call_limits is not None and None in self._plans:
            self._plans = []

    def _watch_run(self, deadline: float | None) -> None:
        """Stop negotiators' calls at the end of a ``run(timeout=)`` too
        (:meth:`CallLimits.run_until`); a negotiation without limits of its own
        is watched only while that run lasts."""
        self._run_deadline = deadline
        limits = self._call_limits
        if deadline is None:
            if limits is not None and not limits.needed:
                self._call_limits = None
            elif limits is not None:
                limits.run_until(None)
        elif limits is not None:
            limits.run_until(deadline)
        elif self._state.running:  # not started yet: _start makes them with the deadline
            self._call_limits = CallLimits.of(self)
            if None in self._plans:  # as _start: the duels would call the others unwatched
                self._plans = []

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

    #: The rounds of a step or a run (see :mod:`palaver.mechanisms.sao_loop`).
    _play = play_rounds

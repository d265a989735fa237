"""The single-text veto mechanism and what Palaver's single-text mechanisms share."""

from __future__ import annotations

import enum
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Unpack

import numpy as np

from palaver.events import EventType
from palaver.mechanisms.base import Mechanism, StateCallback
from palaver.mechanisms.errors import InvalidOfferError
from palaver.mechanisms.options import MechanismOptions
from palaver.mechanisms.responses import ResponseType, bad_response
from palaver.mechanisms.state import STState
from palaver.outcomes import Issue, Outcome, OutcomeSpace, OutcomeSpaceError

_MEDIATOR_KEY = (2,)


class _Failed(enum.Enum):
    FAILED = "failed"


#: What :meth:`SingleTextMechanism._compare` returns when the negotiator failed.
FAILED = _Failed.FAILED
#: A checked ``is_better`` answer, or :data:`FAILED`.
Verdict = bool | None | Literal[_Failed.FAILED]


class SingleTextMechanism(Mechanism):
    """What Palaver's single-text mechanisms share (not a protocol of its own).

    One current text (``state.current_offer``) that a mediator changes by
    proposals (``state.proposal``); the mediator draws from its own generator,
    derived from ``seed``. Subclasses implement :meth:`_run_round`; the
    helpers here ask a negotiator's ``is_better`` and emit the ``offer`` (by
    the mediator: ``negotiator=None``) and ``response`` events.
    """

    state_type: ClassVar[type[STState]] = STState

    def __init__(
        self,
        outcome_space: OutcomeSpace | None = None,
        issues: Iterable[Issue] | None = None,
        *,
        initial_outcome: Outcome | None = None,
        **options: Unpack[MechanismOptions],
    ) -> None:
        super().__init__(outcome_space, issues, **options)
        if initial_outcome is not None:
            given = initial_outcome
            try:
                initial_outcome = self._outcome_space.to_tuple(initial_outcome)
            except OutcomeSpaceError as e:
                # to_tuple's message says what is wrong, not which argument it was.
                raise InvalidOfferError(
                    f"initial_outcome {given!r:.80} is not an outcome of the outcome space: {e}",
                    "mediator",
                    -1,
                    self._id,
                ) from None
            if initial_outcome not in self._outcome_space:
                raise InvalidOfferError(
                    f"initial_outcome {initial_outcome!r} is not an outcome of the outcome space",
                    "mediator",
                    -1,
                    self._id,
                )
        self._initial_outcome = initial_outcome
        self._rng = np.random.default_rng(
            np.random.SeedSequence(self._seed, spawn_key=_MEDIATOR_KEY)
        )

    @property
    def state(self) -> STState:
        """The live state object (mutated in place; ``state.copy()`` for a snapshot)."""
        return self._state

    if TYPE_CHECKING:
        # The base class's step() and run() return the live state: a STState here.
        _state: STState

        def step(self, action: Mapping[str, Any] | None = None) -> STState: ...

        def run(
            self,
            timeout: float | None = None,
            start_callback: StateCallback | None = None,
            progress_callback: StateCallback | None = None,
            completion_callback: StateCallback | None = None,
        ) -> STState: ...

    # --- event emission: as batch rows when every sink takes batches
    # (palaver.events.batch; flushed at the end of _round and _vote), else emit().
    def _emit_response(self, negotiator: Any, response: ResponseType, offer: Outcome) -> None:
        bus = self._bus
        if not bus.active or not bus.listens(EventType.RESPONSE):
            return
        shown = self._payload_outcome(offer)
        rows = bus.batch_rows(EventType.OFFER, EventType.RESPONSE)
        if rows is not None:
            rows.append(
                (EventType.RESPONSE, time.time(), negotiator.owner_id, self._id,
                 self._state.step, negotiator.id, response.value, shown)
            )  # fmt: skip
            return
        bus.emit(
            EventType.RESPONSE,
            {
                "round": self._state.step,
                "negotiator": negotiator.id,
                "response": response.value,
                "offer": shown,
            },
            agent_id=negotiator.owner_id,
            negotiation_id=self._id,
        )

    def _emit_offer(self, proposal: Outcome) -> None:
        bus = self._bus
        if not bus.active or not bus.listens(EventType.OFFER):
            return
        shown = self._payload_outcome(proposal)
        rows = bus.batch_rows(EventType.OFFER, EventType.RESPONSE)
        if rows is not None:
            rows.append(
                (EventType.OFFER, time.time(), None, self._id, self._state.step, None, None, shown)
            )
            return
        bus.emit(
            EventType.OFFER,
            {"round": self._state.step, "negotiator": None, "outcome": shown},
            negotiation_id=self._id,
        )

    def _compare(self, negotiator: Any, first: Outcome, second: Outcome | None) -> Verdict:
        """``negotiator.is_better(first, second)``, checked: ``True``, ``False`` or
        ``None``; :data:`FAILED` once the negotiator's failure has been recorded."""
        try:
            verdict = negotiator.is_better(first, second)
        except Exception as exc:
            self._negotiator_failed(negotiator, "is_better", exc)
            return FAILED
        if verdict is None or verdict is True or verdict is False:
            return verdict
        if isinstance(verdict, np.bool_):
            return bool(verdict)
        self._negotiator_failed(
            negotiator,
            "is_better",
            TypeError(f"is_better() must return True, False or None, got {verdict!r}"),
        )
        return FAILED

    def _round(self) -> None:
        try:
            self._run_round()
        finally:
            self._bus.flush_rows()

    def _run_round(self) -> None:
        """One round of the protocol (the base's ``_round`` flushes batched events after it)."""
        raise NotImplementedError


class STVetoMechanism(SingleTextMechanism):
    """Single-text negotiation with a veto: a mediator edits one text, anyone may veto an edit.

    The protocol, precisely:

    1. At the start the current text is ``initial_outcome`` or, when none is
       given, an outcome drawn uniformly by the mediator.
    2. Every round the mediator proposes a change: it picks one issue
       uniformly and replaces that issue's value in the current text by another
       value drawn uniformly from the issue (a different value for a discrete
       issue; a fresh draw for a continuous one). The proposal is an ``offer``
       event with ``negotiator=None`` and enters the history with
       ``negotiator_id=None``.
    3. Every negotiator, in turn order, is asked ``is_better(proposal,
       current)``. ``False`` is a veto (a ``response`` event ``reject``);
       ``True`` or ``None`` (indifferent) let it pass (``accept``). If nobody
       vetoed, the proposal becomes the current text.
    4. In the last round (round ``n_steps - 1``), after step 3, the final text is
       put to a vote: every negotiator is asked ``respond(state, text)``. If all
       answer ``ACCEPT_OFFER`` it is the agreement; ``END_NEGOTIATION`` from
       anyone ends the negotiation ``broken``; any other answer ends it
       without agreement (result ``failure``). During the vote
       ``state.relative_time`` is 1: the deadline has come.

    A ``time_limit`` that expires before the last round ends the negotiation
    ``timedout`` without a vote, so give ``n_steps`` when you want an agreement.
    All draws come from the mediator's generator, derived from ``seed``.
    """

    negotiator_needs: ClassVar[tuple[str, ...]] = (
        *Mechanism.negotiator_needs,
        "is_better",
        "respond",
    )

    def _start(self) -> None:
        state = self._state
        if self._initial_outcome is not None:
            state.current_offer = self._initial_outcome
        else:
            state.current_offer = self._outcome_space.sample(self._rng, 1)[0]
        super()._start()

    def _mediator_proposal(self, text: Outcome) -> Outcome:
        rng = self._rng
        issues = list(self._outcome_space.issues)
        movable = [i for i, issue in enumerate(issues) if issue.cardinality != 1]
        if not movable:
            return text
        k = movable[int(rng.integers(len(movable)))]
        issue = issues[k]
        if issue.is_continuous:
            value = issue.sample(rng, 1)[0]
        else:
            others = [v for v in issue.all_values if v != text[k]]
            value = others[int(rng.integers(len(others)))]
        return (*text[:k], value, *text[k + 1 :])

    def _run_round(self) -> None:
        state = self._state
        text = state.current_offer
        assert text is not None  # set by _start
        proposal = self._mediator_proposal(text)
        state.proposal = proposal
        self._history.append((state.step, None, proposal))
        self._emit_offer(proposal)
        vetoes = 0
        for negotiator in self._negotiators:
            verdict = self._compare(negotiator, proposal, text)
            if verdict is FAILED:
                return
            vetoed = verdict is not None and not verdict
            vetoes += vetoed
            self._emit_response(
                negotiator,
                ResponseType.REJECT_OFFER if vetoed else ResponseType.ACCEPT_OFFER,
                proposal,
            )
        state.n_vetoes = vetoes
        if not vetoes:
            state.current_offer = text = proposal
        n_steps = self._limits.n_steps
        if n_steps is not None and state.step == n_steps - 1:
            self._vote(text)

    def _vote(self, text: Outcome) -> None:
        state = self._state
        state.relative_time = 1.0
        accepted = True
        for negotiator in self._negotiators:
            try:
                response = negotiator.respond(state, text)
            except Exception as exc:
                self._negotiator_failed(negotiator, "respond", exc)
                return
            if not isinstance(response, ResponseType) or response is ResponseType.WAIT:
                self._negotiator_failed(negotiator, "respond", bad_response(response))
                return
            self._emit_response(negotiator, response, text)
            if response is ResponseType.END_NEGOTIATION:
                state.broken = True
                state.running = False
                return
            accepted = accepted and response is ResponseType.ACCEPT_OFFER
        state.running = False
        if accepted:
            state.agreement = text

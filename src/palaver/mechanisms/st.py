"""NegMAS's single-text mechanisms, under NegMAS's names: veto by random texts, and hill climbing.

These are not :class:`~palaver.mechanisms.STVetoMechanism` (Palaver's own
single-text protocol, which edits one issue per round and ends with a vote).
They follow NegMAS 0.16's ``negmas.st`` protocol, so code written for NegMAS
runs with only its imports changed; docs/negotiation.md lists the differences
and the NegMAS defects mended here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Unpack

import numpy as np

from palaver._util.checks import check_bool, check_real
from palaver.mechanisms.base import Mechanism
from palaver.mechanisms.errors import MechanismTypeError, MechanismValueError
from palaver.mechanisms.options import MechanismOptions
from palaver.mechanisms.responses import ResponseType
from palaver.mechanisms.veto import FAILED, SingleTextMechanism
from palaver.outcomes import ContinuousIssue, IntegerIssue, Issue, Outcome, OutcomeSpace

__all__ = ["HillClimbingSTMechanism", "VetoSTMechanism"]


class VetoSTMechanism(SingleTextMechanism):
    """NegMAS's single-text veto: a random text each round, adopted only if all prefer it.

    The protocol, precisely:

    1. The current text (``state.current_offer``) starts as ``initial_outcome``,
       which may be ``None`` (no text yet).
    2. Every round the mediator proposes :meth:`next_outcome` of the current
       text: by default an outcome drawn uniformly from the whole outcome
       space. It is ``state.proposal`` (alias ``state.new_offer``), an
       ``offer`` event with ``negotiator=None`` and an entry of the history
       with ``negotiator_id=None``. A proposal of ``None`` ends the run.
    3. Every negotiator, in turn order, is asked ``is_better(proposal,
       current)`` (with ``current`` ``None`` before the first adopted text:
       compared with no agreement). Only ``True`` counts as consent:
       ``False`` and ``None`` (indifferent) are vetoes (``response`` events
       ``accept``/``reject``). The answers are :attr:`last_responses`. If all
       consent, the proposal becomes the current text.
    4. The run ends when the rounds (``n_steps``) or the time run out, or at
       a ``None`` proposal. Then every negotiator is asked
       ``is_acceptable_as_agreement(current)`` (``response`` events again); if
       all say ``True`` the current text is the agreement, even when the
       run timed out (``state.timedout`` stays ``True``, as in NegMAS, and
       ``state.result`` is ``"agreement"``).

    Unlike NegMAS, every draw comes from the mediator's generator, derived
    from ``seed``: the same seed gives the same run.

    Args:
        outcome_space: The outcome space (or ``issues=``, or NegMAS's ``outcomes=``).
        issues: The issues, instead of ``outcome_space``.
        epsilon: NegMAS's comparison threshold, kept as :attr:`epsilon`; the
            protocol does not use it (NegMAS's does not either). A real ``>= 0``.
        initial_outcome: The first current text, or ``None``.
        initial_responses: NegMAS's initial answers (bools), kept as
            :attr:`initial_responses` and as :attr:`last_responses` until the
            first round; the protocol does not use them.
        **options: The shared mechanism keywords (``n_steps``, ``seed``, ``bus``, ...).
    """

    negotiator_needs: ClassVar[tuple[str, ...]] = (
        *Mechanism.negotiator_needs,
        "is_better",
        "is_acceptable_as_agreement",
    )

    def __init__(
        self,
        outcome_space: OutcomeSpace | None = None,
        issues: Iterable[Issue] | None = None,
        *,
        epsilon: float = 1e-6,
        initial_outcome: Outcome | None = None,
        initial_responses: Iterable[bool] = (),
        **options: Unpack[MechanismOptions],
    ) -> None:
        super().__init__(outcome_space, issues, initial_outcome=initial_outcome, **options)
        epsilon = check_real(
            "epsilon", epsilon, type_error=MechanismTypeError, value_error=MechanismValueError
        )
        if epsilon < 0:
            raise MechanismValueError(f"epsilon must be a real number >= 0, got {epsilon!r}")
        if isinstance(initial_responses, str | bytes) or not isinstance(
            initial_responses, Iterable
        ):
            raise MechanismTypeError(
                f"initial_responses must be a sequence of bools, got {initial_responses!r}"
            )
        responses = tuple(
            check_bool(f"initial_responses[{i}]", r, type_error=MechanismTypeError)
            for i, r in enumerate(initial_responses)
        )
        #: NegMAS's comparison threshold (unused by the protocol).
        self.epsilon: float = epsilon
        #: NegMAS's initial answers (unused by the protocol).
        self.initial_responses: tuple[bool, ...] = responses
        #: The answers to the latest proposal, in turn order (``True``, ``False`` or ``None``).
        self.last_responses: list[bool | None] = list(responses)
        self._state.current_offer = self._initial_outcome
        self._state.proposal = self._initial_outcome

    @property
    def initial_outcome(self) -> Outcome | None:
        """The first current text (``None`` when the run starts without one)."""
        return self._initial_outcome

    @property
    def current_offer(self) -> Outcome | None:
        """The current text (``state.current_offer``)."""
        return self._state.current_offer

    def next_outcome(self, outcome: Outcome | None) -> Outcome | None:
        """The mediator's next proposal given the current text ``outcome``; ``None`` ends the run.

        This one ignores ``outcome`` and draws uniformly from the outcome
        space. Override it for another mediator; draw from :attr:`mediator_random`
        to stay reproducible.
        """
        return self._outcome_space.sample(self._rng, 1)[0]

    @property
    def mediator_random(self) -> np.random.Generator:
        """The mediator's generator (derived from ``seed``): every draw of the protocol."""
        return self._rng

    def _adopted(self, text: Outcome) -> None:
        """Called when ``text`` becomes the current text (hill climbing re-plans here)."""

    def _checked_proposal(self, proposal: Any) -> Outcome:
        """``proposal`` (from a possibly overridden :meth:`next_outcome`) as an outcome tuple."""
        space = self._outcome_space
        problem = (
            f"next_outcome() must return an outcome of the outcome space or None, got {proposal!r}"
        )
        try:
            outcome = space.to_tuple(proposal)
        except Exception as exc:
            raise MechanismValueError(problem) from exc
        if outcome not in space:
            raise MechanismValueError(problem)
        return outcome

    def _run_round(self) -> None:
        state = self._state
        text = state.current_offer
        proposal = self.next_outcome(text)
        if proposal is None:
            state.running = False
            return
        proposal = self._checked_proposal(proposal)
        state.proposal = proposal
        self._history.append((state.step, None, proposal))
        self._emit_offer(proposal)
        responses: list[bool | None] = []
        for negotiator in self._negotiators:
            verdict = self._compare(negotiator, proposal, text)
            if verdict is FAILED:
                return
            responses.append(verdict)
            self._emit_response(
                negotiator,
                ResponseType.ACCEPT_OFFER if verdict is True else ResponseType.REJECT_OFFER,
                proposal,
            )
        self.last_responses = responses
        state.n_vetoes = sum(r is not True for r in responses)
        if not state.n_vetoes:
            state.current_offer = proposal
            self._adopted(proposal)

    def _finish(self) -> None:
        state = self._state
        text = state.current_offer
        if text is not None and state.agreement is None and not state.has_error:
            try:
                self._final_check(text)
            finally:
                self._bus.flush_rows()
        super()._finish()

    def _final_check(self, text: Outcome) -> None:
        """Ask everyone whether the final text is acceptable; all ``True``: the agreement."""
        accepted = True
        for negotiator in self._negotiators:
            try:
                ok = negotiator.is_acceptable_as_agreement(text)
            except Exception as exc:
                self._negotiator_failed(negotiator, "is_acceptable_as_agreement", exc)
                return
            if not isinstance(ok, bool | np.bool_):
                self._negotiator_failed(
                    negotiator,
                    "is_acceptable_as_agreement",
                    TypeError(f"is_acceptable_as_agreement() must return a bool, got {ok!r}"),
                )
                return
            self._emit_response(
                negotiator, ResponseType.ACCEPT_OFFER if ok else ResponseType.REJECT_OFFER, text
            )
            accepted = accepted and bool(ok)
        if accepted:
            self._state.agreement = text


class HillClimbingSTMechanism(VetoSTMechanism):
    """NegMAS's hill-climbing single-text mechanism: move to a neighbour everyone prefers.

    As :class:`VetoSTMechanism`, except for the proposals:

    * The current text starts as ``initial_outcome`` or, when none is given,
      an outcome the mediator draws uniformly when the mechanism is made.
    * The mediator keeps :attr:`possible_offers`, the :meth:`neighbors` of the
      current text not yet proposed. Each round it removes one, drawn
      uniformly, and proposes it; when everyone answers ``True`` it becomes
      the current text and the neighbours are those of the new text.
    * When no neighbour is left (a local optimum: none was an improvement for
      everyone) the run ends, and the current text is the agreement if every
      negotiator finds it acceptable (``is_acceptable_as_agreement``).

    Unlike NegMAS, continuous issues are allowed (see :meth:`neighbors`).
    """

    def __init__(
        self,
        outcome_space: OutcomeSpace | None = None,
        issues: Iterable[Issue] | None = None,
        *,
        epsilon: float = 1e-6,
        initial_outcome: Outcome | None = None,
        initial_responses: Iterable[bool] = (),
        **options: Unpack[MechanismOptions],
    ) -> None:
        super().__init__(
            outcome_space,
            issues,
            epsilon=epsilon,
            initial_outcome=initial_outcome,
            initial_responses=initial_responses,
            **options,
        )
        if self._initial_outcome is None:
            self._initial_outcome = self._outcome_space.sample(self._rng, 1)[0]
        text = self._initial_outcome
        self._state.current_offer = self._state.proposal = text
        #: The neighbours of the current text not proposed yet.
        self.possible_offers: list[Outcome] = self.neighbors(text)

    def neighbors(self, outcome: Outcome) -> list[Outcome]:
        """The outcomes that differ from ``outcome`` in exactly one issue, issue by issue.

        For an integer range: one less and one more (within its bounds). For
        a continuous issue: the value moved down and up by one distance drawn
        uniformly in ``[0, max - min)`` from the mediator's generator (clipped
        to the bounds). For any other issue: each of its other values.
        """
        found: list[Outcome] = []
        for k, issue in enumerate(self._outcome_space.issues):
            x = outcome[k]
            values: list[Any]
            if isinstance(issue, IntegerIssue):
                values = [v for v in (x - 1, x + 1) if issue.min_value <= v <= issue.max_value]
            elif isinstance(issue, ContinuousIssue):
                lo, hi = issue.min_value, issue.max_value
                delta = float(self._rng.random()) * (hi - lo)
                values = [max(lo, x - delta), min(hi, x + delta)]
            else:
                values = list(issue.all_values)
            for value in values:
                if value != x:
                    found.append((*outcome[:k], value, *outcome[k + 1 :]))
        return found

    def next_outcome(self, outcome: Outcome | None) -> Outcome | None:
        """An unproposed neighbour of the current text, drawn uniformly (``None``: none left)."""
        offers = self.possible_offers
        if not offers:
            return None
        return offers.pop(int(self._rng.integers(len(offers))))

    def _adopted(self, text: Outcome) -> None:
        self.possible_offers = self.neighbors(text)

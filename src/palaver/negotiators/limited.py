"""Two strategies NegMAS-style code often uses: a fixed set of outcomes, and the top fraction."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from palaver._util.checks import (
    check_bool,
    check_items,
    check_outcome_list,
    check_probability,
    check_real,
)
from palaver.mechanisms import MechanismState, ResponseType
from palaver.negotiators.base import SAONegotiator, offer_of
from palaver.negotiators.ranking import DEFAULT_N_LEVELS, outcome_grid
from palaver.outcomes import Outcome
from palaver.preferences.protocol import UtilityFunctionLike

__all__ = ["LimitedOutcomesAcceptor", "LimitedOutcomesNegotiator", "TopFractionNegotiator"]

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER
_END = ResponseType.END_NEGOTIATION
_NONE = ResponseType.NO_RESPONSE


class LimitedOutcomesNegotiator(SAONegotiator):
    """Accepts only listed outcomes (each with a probability) and proposes from a list.

    It needs no utility function (one it is given is ignored). Every draw comes
    from the generator the mechanism hands it.

    Args:
        acceptable_outcomes: The outcomes it may accept (``None``: every outcome).
        acceptance_probabilities: The probability of accepting each acceptable
            outcome: one number for all, or one per outcome (``None``: 1 when
            ``acceptable_outcomes`` is given, else ``default_acceptance_probability``).
        proposable_outcomes: The outcomes it proposes from, uniformly (``None``:
            the acceptable outcomes with a nonzero probability).
        p_ending: Probability of ending the negotiation when asked to respond.
        p_no_response: Probability of not responding (``NO_RESPONSE``).
        default_acceptance_probability: See ``acceptance_probabilities``.
    """

    needs_ufun = False
    uses_ranking = False

    def __init__(
        self,
        acceptable_outcomes: Sequence[Outcome] | None = None,
        acceptance_probabilities: float | Sequence[float] | None = None,
        proposable_outcomes: Sequence[Outcome] | None = None,
        p_ending: float = 0.0,
        p_no_response: float = 0.0,
        default_acceptance_probability: float = 0.5,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        n_levels: int = DEFAULT_N_LEVELS,
        owner: Any = None,
        private_info: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            name=name,
            ufun=ufun,
            preferences=preferences,
            id=id,
            owner=owner,
            private_info=private_info,
            n_levels=n_levels,
        )
        self.p_ending = check_probability("p_ending", p_ending)
        self.p_no_response = check_probability("p_no_response", p_no_response)
        if self.p_ending + self.p_no_response > 1.0:
            raise ValueError("p_ending + p_no_response must not exceed 1")
        default = check_probability(
            "default_acceptance_probability", default_acceptance_probability
        )
        self._acceptable = check_outcome_list("acceptable_outcomes", acceptable_outcomes)
        if acceptance_probabilities is None:
            probabilities: float | list[float] = 1.0 if self._acceptable is not None else default
        elif isinstance(acceptance_probabilities, int | float):
            probabilities = check_probability("acceptance_probabilities", acceptance_probabilities)
        else:
            probabilities = [
                check_probability("acceptance_probabilities", p)
                for p in check_items(
                    "acceptance_probabilities", acceptance_probabilities, "probabilities"
                )
            ]
            if self._acceptable is None or len(probabilities) != len(self._acceptable):
                raise ValueError(
                    "a list of acceptance_probabilities needs acceptable_outcomes of the same "
                    "length"
                )
        self._probabilities = probabilities
        self._proposable = check_outcome_list("proposable_outcomes", proposable_outcomes)
        self._table: dict[Outcome, float] = {}
        self._offers: list[Outcome] = []

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Resolve the outcome lists against the negotiation's outcome space."""
        assert self.nmi is not None
        acceptable = self._acceptable
        if acceptable is None:
            acceptable = outcome_grid(self.nmi.outcome_space, self.n_levels).outcomes
        probabilities = self._probabilities
        if isinstance(probabilities, float):
            self._table = dict.fromkeys(acceptable, probabilities)
        else:
            self._table = dict(zip(acceptable, probabilities, strict=True))
        if self._proposable is not None:
            self._offers = list(self._proposable)
        else:
            self._offers = [o for o, p in self._table.items() if p > 0.0]

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """A proposable outcome drawn uniformly (``None`` when there is none)."""
        if not self._offers:
            return None
        return self._offers[int(self.random.integers(len(self._offers)))]

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """End, pass, or accept an acceptable offer with its probability."""
        if offer.__class__ is not tuple:  # NegMAS: super().respond(state, source)
            offer = offer_of(state, offer)
        r = float(self.random.random())
        if r < self.p_ending:
            return _END
        if r < self.p_ending + self.p_no_response:
            return _NONE
        p = self._table.get(tuple(offer), 0.0)
        if p >= 1.0 or (p > 0.0 and float(self.random.random()) < p):
            return _ACCEPT
        return _REJECT


class TopFractionNegotiator(SAONegotiator):
    """Offers and accepts only its top outcomes.

    The top set is the best ``top_fraction`` of the outcomes by utility (at
    least one), without those below ``min_utility`` (``None``: no floor); when
    that leaves nothing, its best outcome. It accepts an offer worth at least
    the worst outcome of the set (and its reserved value).

    Args:
        min_utility: The lowest utility it offers or accepts (absolute, ``None``: no floor).
        top_fraction: The fraction of its outcomes, best first, it offers or accepts.
        best_first: Offer the set from the best down, one per round, then stay at
            the last (offers never increase in utility).
        probabilistic_offering: Without ``best_first``, offer uniformly from the
            set (else always its best outcome).
        can_propose: ``False``: never propose, only answer.
    """

    needs_ufun = True

    def __init__(
        self,
        min_utility: float | None = 0.95,
        top_fraction: float = 0.05,
        best_first: bool = True,
        probabilistic_offering: bool = True,
        can_propose: bool = True,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        n_levels: int = DEFAULT_N_LEVELS,
        owner: Any = None,
        private_info: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            name=name,
            ufun=ufun,
            preferences=preferences,
            id=id,
            owner=owner,
            private_info=private_info,
            n_levels=n_levels,
        )
        if not 0.0 < check_real("top_fraction", top_fraction) <= 1.0:
            raise ValueError(f"top_fraction must be in (0, 1]; got {top_fraction!r}")
        check_real("min_utility", min_utility, none_ok=True)
        self.min_utility = min_utility
        self.top_fraction = float(top_fraction)
        self.best_first = check_bool("best_first", best_first)
        self.probabilistic_offering = check_bool("probabilistic_offering", probabilistic_offering)
        self.can_propose = check_bool("can_propose", can_propose)
        self._lo = 0
        self._next = 0

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Find the top set in the ranking."""
        super().on_negotiation_start(state)
        ranking = self.ranking
        assert ranking is not None
        n = len(ranking)
        lo = n - max(1, math.ceil(self.top_fraction * n))
        if self.min_utility is not None:
            lo = max(lo, ranking.index_at_least(self.min_utility))
        self._lo = min(lo, n - 1)
        self._next = n - 1

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """The next outcome of the top set (see the class docstring)."""
        if not self.can_propose:
            return None
        ranking = self.ranking
        assert ranking is not None
        outcomes = ranking.outcomes
        if self.best_first:
            offer = outcomes[self._next]
            self._next = max(self._lo, self._next - 1)
            return offer
        if self.probabilistic_offering:
            n = len(outcomes) - self._lo
            return outcomes[self._lo + int(self.random.integers(n))]
        return ranking.best

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """Accept an offer worth at least the worst outcome of the top set."""
        if offer.__class__ is not tuple:  # NegMAS: super().respond(state, source)
            offer = offer_of(state, offer)
        ranking = self.ranking
        assert ranking is not None
        u = ranking.utility(offer)
        floor = ranking.utilities[self._lo]
        return _ACCEPT if u >= floor and u >= self.reserved_value else _REJECT


class LimitedOutcomesAcceptor(LimitedOutcomesNegotiator):
    """Only answers: accepts listed outcomes (each with a probability) and never proposes.

    NegMAS's ``LimitedOutcomesAcceptor``: a
    :class:`LimitedOutcomesNegotiator` whose :meth:`propose` always returns
    ``None`` (it makes no offer when its turn to propose comes).

    Args:
        acceptable_outcomes: The outcomes it may accept (``None``: every outcome).
        acceptance_probabilities: The probability of accepting each acceptable
            outcome: one number for all, or one per outcome (``None``: 1 when
            ``acceptable_outcomes`` is given, else ``default_acceptance_probability``).
        p_ending: Probability of ending the negotiation when asked to respond.
        p_no_response: Probability of not responding (``NO_RESPONSE``).
        default_acceptance_probability: See ``acceptance_probabilities``.
    """

    def __init__(
        self,
        acceptable_outcomes: Sequence[Outcome] | None = None,
        acceptance_probabilities: float | Sequence[float] | None = None,
        p_ending: float = 0.0,
        p_no_response: float = 0.0,
        default_acceptance_probability: float = 0.5,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        n_levels: int = DEFAULT_N_LEVELS,
        owner: Any = None,
        private_info: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            acceptable_outcomes=acceptable_outcomes,
            acceptance_probabilities=acceptance_probabilities,
            p_ending=p_ending,
            p_no_response=p_no_response,
            default_acceptance_probability=default_acceptance_probability,
            name=name,
            ufun=ufun,
            preferences=preferences,
            id=id,
            owner=owner,
            private_info=private_info,
            n_levels=n_levels,
        )
        #: Never proposes (NegMAS's capability ``propose=False``): a negotiation of
        #: acceptors only cannot go anywhere, and SAO ends it at the start.
        self.can_propose = False

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """``None``: an acceptor makes no offers."""
        return None

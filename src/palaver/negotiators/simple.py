"""Simple strategies: tough, nice and random."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from palaver._util.checks import check_bool, check_probability
from palaver.mechanisms import MechanismState, ResponseType
from palaver.negotiators.base import SAONegotiator, offer_of, state_dependent
from palaver.negotiators.ranking import DEFAULT_N_LEVELS, outcome_grid
from palaver.outcomes import Outcome
from palaver.preferences.protocol import UtilityFunctionLike, checked_utility

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER
_END = ResponseType.END_NEGOTIATION
_NONE = ResponseType.NO_RESPONSE


class ToughNegotiator(SAONegotiator):
    """Always offers its best outcome and accepts nothing worse than it.

    Args:
        can_propose: NegMAS's option: ``False`` never proposes (its turns
            pass with no offer), only answers.
    """

    needs_ufun = True

    def __init__(
        self,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        n_levels: int = DEFAULT_N_LEVELS,
        *,
        can_propose: bool = True,
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
        self.can_propose = check_bool("can_propose", can_propose)

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """Its best outcome (``None`` when it cannot propose)."""
        return self._ranked().best if self.can_propose else None

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """Accept only an offer as good as its best outcome."""
        if offer.__class__ is not tuple:  # NegMAS: super().respond(state, source)
            offer = offer_of(state, offer)
        ranking = self._ranked()
        if state_dependent(self._ufun):
            # A discounted function: the offer's value now against the best value,
            # as NegMAS's reads it (so a discount makes it refuse even its best outcome).
            u = checked_utility(self._own_ufun()(offer), self._own_ufun(), offer)
        else:
            u = ranking.utility(offer)
        return _ACCEPT if u >= ranking.max_utility else _REJECT


class NiceNegotiator(SAONegotiator):
    """Accepts any offer worth at least its reserved value.

    It proposes an outcome drawn uniformly (from the generator the mechanism
    handed it) among its outcomes worth at least the reserved value, or its
    best outcome when none is.
    """

    needs_ufun = True

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """A random outcome it would accept itself."""
        ranking = self._ranked()
        lo = ranking.index_at_least(self.reserved_value)
        n = len(ranking)
        if lo >= n:
            return ranking.best
        return ranking.outcomes[lo + int(self.random.integers(n - lo))]

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """Accept when the offer is worth at least the reserved value."""
        if offer.__class__ is not tuple:  # NegMAS: super().respond(state, source)
            offer = offer_of(state, offer)
        return _ACCEPT if self._ranked().utility(offer) >= self.reserved_value else _REJECT


class RandomNegotiator(SAONegotiator):
    """Offers outcomes drawn uniformly; answers at random.

    Each answer is ``END_NEGOTIATION`` with probability ``p_ending``,
    ``ACCEPT_OFFER`` with probability ``p_acceptance`` and ``REJECT_OFFER``
    otherwise; given NegMAS's ``p_rejection``, it rejects with that
    probability and passes (``NO_RESPONSE``) with what is left of 1. It needs
    no utility function. All draws come from the
    generator the mechanism handed it, so a seeded mechanism replays it exactly.

    Args:
        p_acceptance: Probability of accepting an offer (default 0.15).
        p_ending: Probability of ending the negotiation (default 0).
        n_levels: Levels per continuous issue for its proposals.
        p_rejection: Probability of rejecting (NegMAS's); ``None``: all the rest.
    """

    needs_ufun = False
    uses_ranking = False

    def __init__(
        self,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        p_acceptance: float = 0.15,
        p_ending: float = 0.0,
        n_levels: int = DEFAULT_N_LEVELS,
        p_rejection: float | None = None,
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
        check_probability("p_acceptance", p_acceptance)
        check_probability("p_ending", p_ending)
        if p_acceptance + p_ending > 1.0:
            raise ValueError("p_acceptance + p_ending must not exceed 1")
        if p_rejection is not None:
            check_probability("p_rejection", p_rejection)
            if p_acceptance + p_ending + p_rejection > 1.0 + 1e-12:
                raise ValueError("p_acceptance + p_rejection + p_ending must not exceed 1")
        self.p_acceptance = float(p_acceptance)
        self.p_ending = float(p_ending)
        #: The probability of rejecting; ``None``: every answer that is not
        #: an acceptance or an ending.
        self.p_rejection = None if p_rejection is None else float(p_rejection)
        self._outcomes: list[Outcome] = []

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Get the (discretized) outcomes to draw from."""
        assert self.nmi is not None
        self._outcomes = outcome_grid(self.nmi.outcome_space, self.n_levels).outcomes

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """An outcome drawn uniformly."""
        return self._outcomes[int(self.random.integers(len(self._outcomes)))]

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """A random answer (see the class docstring)."""
        if offer.__class__ is not tuple:  # NegMAS: super().respond(state, source)
            offer = offer_of(state, offer)
        r = float(self.random.random())
        if r < self.p_ending:
            return _END
        if r < self.p_ending + self.p_acceptance:
            return _ACCEPT
        if self.p_rejection is None or r < self.p_ending + self.p_acceptance + self.p_rejection:
            return _REJECT
        return _NONE

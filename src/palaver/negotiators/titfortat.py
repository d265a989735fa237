"""Naive tit-for-tat: concede as much as the others concede."""

from __future__ import annotations

from palaver._util.checks import check_probability
from palaver.mechanisms import MechanismState, ResponseType
from palaver.negotiators.base import SAONegotiator
from palaver.negotiators.ranking import DEFAULT_N_LEVELS
from palaver.outcomes import Outcome
from palaver.preferences.protocol import UtilityFunctionLike

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER


class NaiveTitForTat(SAONegotiator):
    """Mirrors the concessions of the others, measured in its own utility.

    It keeps a target utility, starting at its best. Whenever an offer from
    someone else is worth more to it than the previous such offer, it lowers
    its target by the same amount (that is the "naive" part: the others'
    concession is judged by its own utility function). On every response it
    also concedes ``kindness`` times its utility range, so that two tit-for-tat
    negotiators do not wait for each other forever. The target never goes
    below the reserved value (or the lowest utility). It proposes the
    least-utility outcome meeting the target and accepts offers worth at least
    the target. Deterministic.

    Args:
        kindness: Unconditional concession per response, as a fraction of the
            range between its best utility and its floor (default 0.01).
        n_levels: Levels per continuous issue for its own proposals.
    """

    def __init__(
        self,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        kindness: float = 0.01,
        n_levels: int = DEFAULT_N_LEVELS,
    ) -> None:
        super().__init__(name=name, ufun=ufun, preferences=preferences, id=id, n_levels=n_levels)
        check_probability("kindness", kindness)
        self.kindness = float(kindness)
        self.target = 0.0
        self._floor = 0.0
        self._step = 0.0
        self._last: float | None = None

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Start at the best utility."""
        super().on_negotiation_start(state)
        ranking = self.ranking
        assert ranking is not None
        self._floor = max(self.reserved_value, ranking.min_utility)
        self.target = max(ranking.max_utility, self._floor)
        self._step = self.kindness * (ranking.max_utility - self._floor)
        self._last = None

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """Update the target from the others' concession, then accept if the offer meets it."""
        u = self._ranked().utility(offer)
        if getattr(state, "current_proposer", None) != self.id:
            conceded = u - self._last if self._last is not None else 0.0
            self._last = u
            self.target = max(self._floor, self.target - max(conceded, 0.0) - self._step)
        return _ACCEPT if u >= self.target else _REJECT

    def propose(self, state: MechanismState) -> Outcome | None:
        """The least-utility outcome meeting the target."""
        return self._ranked().at_least(self.target)

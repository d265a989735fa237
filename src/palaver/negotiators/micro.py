"""MiCRO: minimal concession in response to the opponent."""

from __future__ import annotations

from typing import Any

from palaver.mechanisms import MechanismState, ResponseType
from palaver.negotiators.base import SAONegotiator
from palaver.negotiators.ranking import DEFAULT_N_LEVELS

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER


class MiCRO(SAONegotiator):
    """Concedes one outcome at a time, and only as often as the others make new offers.

    It walks down its outcomes from the best, one at a time. It makes a new
    (not yet proposed) offer only while the number of distinct offers it has
    made is at most the number of distinct offers it has received from the
    others; otherwise it repeats one of its earlier offers, drawn uniformly from
    the generator the mechanism handed it. It never proposes below its
    reserved value. It accepts an offer worth at least the utility of the offer
    it would make next (if it would concede) or of the worst offer it has made
    (if it would repeat).

    Args:
        n_levels: Levels per continuous issue for its own proposals.
    """

    def __init__(
        self,
        name: str | None = None,
        ufun: Any = None,
        preferences: Any = None,
        id: str | None = None,
        n_levels: int = DEFAULT_N_LEVELS,
    ) -> None:
        super().__init__(name=name, ufun=ufun, preferences=preferences, id=id, n_levels=n_levels)
        self._made: list[tuple] = []
        self._made_set: set[tuple] = set()
        self._received: set[tuple] = set()
        self._lowest = 0  # index (in the ranking) of the worst outcome it may still propose
        self._draw: Any = None

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Rank the outcomes and forget earlier negotiations."""
        super().on_negotiation_start(state)
        assert self.ranking is not None
        self._made = []
        self._made_set = set()
        self._received = set()
        self._lowest = self.ranking.index_at_least(self.reserved_value)
        self._draw = None  # the generator's integers(), looked up at the first repeat

    def _next_new(self) -> int | None:
        """Ranking index of the next new outcome to propose, or ``None`` when it should repeat."""
        assert self.ranking is not None
        if len(self._made) > len(self._received):
            return None
        i = len(self.ranking) - 1 - len(self._made)
        return i if i >= self._lowest else None

    def respond(self, state: MechanismState, offer: tuple) -> ResponseType:
        """Count the offer if new, then accept if it is worth what it would offer next."""
        ranking = self.ranking
        assert ranking is not None
        if offer not in self._made_set:
            self._received.add(offer)
        i = self._next_new()
        if i is not None:
            threshold = ranking.utilities[i]
        elif self._made:
            threshold = ranking.utilities[len(ranking) - len(self._made)]
        else:
            threshold = ranking.max_utility
        u = ranking.utility(offer)
        return _ACCEPT if u >= threshold and u >= self.reserved_value else _REJECT

    def propose(self, state: MechanismState) -> tuple | None:
        """A new outcome one step down, or a repeat of an earlier offer."""
        ranking = self.ranking
        assert ranking is not None
        i = self._next_new()
        if i is not None:
            outcome = ranking.outcomes[i]
            self._made.append(outcome)
            self._made_set.add(outcome)
            return outcome
        if not self._made:
            return ranking.best if ranking.max_utility >= self.reserved_value else None
        draw = self._draw
        if draw is None:
            draw = self._draw = self.random.integers
        return self._made[int(draw(len(self._made)))]

"""MiCRO: minimal concession in response to the opponent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from palaver._util.checks import check_bool
from palaver.mechanisms import MechanismState, ResponseType
from palaver.mechanisms.minimal_concession import MinimalConcession
from palaver.negotiators.base import SAONegotiator, offer_of
from palaver.negotiators.ranking import DEFAULT_N_LEVELS
from palaver.outcomes import Outcome
from palaver.preferences.protocol import UtilityFunctionLike

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

    needs_ufun = True

    def __init__(
        self,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        n_levels: int = DEFAULT_N_LEVELS,
        *,
        accept_same: bool = True,
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
        #: NegMAS's option: accept an offer worth exactly what it would offer
        #: next (``True``) or only a better one (``False``).
        self.accept_same = check_bool("accept_same", accept_same)
        self._made: list[Outcome] = []
        self._made_set: set[Outcome] = set()
        self._received: set[Outcome] = set()
        self._lowest = 0  # index (in the ranking) of the worst outcome it may still propose
        self._draw: Any = None
        self._n = 0
        self._reserved = 0.0
        self._max = 0.0
        self._outcomes: list[Outcome] = []
        self._utils: list[float] = []
        self._utility: Any = None

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Rank the outcomes and forget earlier negotiations."""
        super().on_negotiation_start(state)
        assert self.ranking is not None
        self._made = []
        self._made_set = set()
        self._received = set()
        ranking = self.ranking
        self._reserved = self.reserved_value
        self._lowest = ranking.index_at_least(self._reserved)
        # Read once: the hot methods below run every turn.
        self._n = len(ranking)
        self._outcomes = ranking.outcomes
        self._utils = ranking.utilities
        self._max = ranking.max_utility
        self._utility = ranking.utility
        self._draw = None  # the generator's integers(), looked up at the first repeat

    def minimal_concession(self) -> MinimalConcession | None:
        """Its rule and state, for the mechanism to play its turns inline
        against a planned negotiator (see :mod:`palaver.mechanisms.sao_duel`);
        ``None`` for a subclass (which may change the rule), for a negotiator
        whose ``propose`` or ``respond`` was replaced on the instance (a
        wrapper or a spy must be called), or before the negotiation started."""
        ranking = self.ranking
        if type(self) is not MiCRO or ranking is None or self.nmi is None:
            return None
        own = self.__dict__
        if "propose" in own or "respond" in own:
            return None
        index, utility_at = ranking.lookup
        return MinimalConcession(
            outcomes=self._outcomes,
            utilities=self._utils,
            index=index,
            utility_at=utility_at,
            lowest=self._lowest,
            reserved=self._reserved,
            accept_same=self.accept_same,
            made=self._made,
            made_set=self._made_set,
            received=self._received,
            rng=self.random,
            values=ranking.values,
        )

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """Count the offer if new, then accept if it is worth what it would offer next."""
        if offer.__class__ is not tuple:  # NegMAS: super().respond(state, source)
            offer = offer_of(state, offer)
        if offer not in self._made_set:
            self._received.add(offer)
        made = len(self._made)
        utils = self._utils
        i = self._n - 1 - made
        if made <= len(self._received) and i >= self._lowest:
            threshold = utils[i]  # it would concede to outcome i next
        elif made:
            threshold = utils[self._n - made]  # the worst offer it made
        else:
            threshold = self._max
        u = self._utility(offer)
        if u < self._reserved or u < threshold or (u == threshold and not self.accept_same):
            return _REJECT
        return _ACCEPT

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """A new outcome one step down, or a repeat of an earlier offer."""
        made = self._made
        i = self._n - 1 - len(made)
        if len(made) <= len(self._received) and i >= self._lowest:
            outcome = self._outcomes[i]
            made.append(outcome)
            self._made_set.add(outcome)
            return outcome
        if not made:
            ranking = self.ranking
            assert ranking is not None
            return ranking.best if ranking.max_utility >= self._reserved else None
        draw = self._draw
        if draw is None:
            draw = self._draw = self.random.integers
        return made[int(draw(len(made)))]

"""Time-based negotiators that offer what lies nearest a partner's offer.

NegMAS's ``FirstOfferOrientedTBNegotiator`` family: the aspiration curve of
:class:`~palaver.negotiators.AspirationNegotiator` says how much utility it
still demands; among the outcomes meeting that demand it offers the one
nearest a *pivot*, one of the partners' offers (their first, their last, or
the best one for it), as the likeliest to be accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from numbers import Real
from typing import Any

import numpy as np

from palaver.mechanisms import MechanismState, ResponseType
from palaver.negotiators.aspiration import AspirationNegotiator
from palaver.negotiators.base import offer_of
from palaver.negotiators.ranking import DEFAULT_N_LEVELS
from palaver.outcomes import Outcome, OutcomeSpace
from palaver.preferences.protocol import UtilityFunctionLike

#: A distance between two outcomes of an outcome space (NegMAS's ``DistanceFun``).
DistanceFun = Callable[[Outcome, Outcome, OutcomeSpace], float]


def _is_number(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


class FirstOfferOrientedTBNegotiator(AspirationNegotiator):
    """Offers, among the outcomes its aspiration allows, the nearest to a partner's first offer.

    Its aspiration (what it demands and accepts) follows the concession curve
    of :class:`~palaver.negotiators.AspirationNegotiator` (Boulware by
    default). It always tracks the pivot, for this class the first offer it
    received from someone else. How it proposes depends on ``stochastic``,
    as in NegMAS:

    - ``False`` (the default): it proposes as
      :class:`~palaver.negotiators.AspirationNegotiator` does, the worst
      outcome still worth the aspiration. NegMAS's time-based negotiators
      use their offer selector only when stochastic, so with the default
      the pivot does not change what it offers; the same negotiations as
      NegMAS's reach the same agreements.
    - ``True``: it takes every outcome worth at least the aspiration and
      offers the one nearest the pivot. Before any partner offer it draws one
      of those outcomes from the generator the mechanism hands it (so a
      seeded negotiation repeats). Equal distances go to the outcome worth
      more to it.

    The distance is Euclidean over the issues' values: the difference of two
    numbers, and 1 between two different values of a categorical issue
    (computed for all candidates at once). A ``distance_fun(a, b,
    outcome_space)`` replaces it (called once per candidate).

    Args:
        distance_fun: The distance between two outcomes, or ``None`` for the
            built-in one.
        stochastic: ``True`` to steer proposals towards the pivot (see above).
        aspiration_type, max_aspiration, tolerance, n_levels: As for
            :class:`~palaver.negotiators.AspirationNegotiator`.
        name, ufun, preferences, id, owner, private_info: As for every negotiator.

    Attributes:
        pivot: The partner's offer it steers towards (``None`` until known).
    """

    def __init__(
        self,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        *,
        distance_fun: DistanceFun | None = None,
        aspiration_type: str | float | None = None,
        n_levels: int = DEFAULT_N_LEVELS,
        max_aspiration: float = 1.0,
        tolerance: float = 0.0,
        stochastic: bool = False,
        owner: Any = None,
        private_info: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            name=name,
            ufun=ufun,
            preferences=preferences,
            id=id,
            aspiration_type=aspiration_type,
            n_levels=n_levels,
            max_aspiration=max_aspiration,
            tolerance=tolerance,
            stochastic=stochastic,
            owner=owner,
            private_info=private_info,
        )
        if distance_fun is not None and not callable(distance_fun):
            raise TypeError(
                f"distance_fun must be a callable (a, b, outcome_space) -> float or None; "
                f"got {distance_fun!r:.80}"
            )
        self.distance_fun = distance_fun
        self.pivot: Outcome | None = None
        self._pivot_utility = -np.inf
        # Per issue: the column of numbers (numeric issue) or of codes (categorical).
        self._columns: list[np.ndarray] = []
        self._codes: list[dict[Any, int] | None] = []

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Rank the outcomes, plan the aspiration and forget any pivot."""
        super().on_negotiation_start(state)
        self.pivot = None
        self._pivot_utility = -np.inf
        outcomes = self._ranked().outcomes
        self._columns, self._codes = [], []
        if not outcomes:
            return
        for values in zip(*outcomes, strict=True):
            if all(_is_number(v) for v in values):
                self._columns.append(np.asarray(values, dtype=float))
                self._codes.append(None)
            else:
                codes: dict[Any, int] = {}
                column = np.fromiter((codes.setdefault(v, len(codes)) for v in values), int)
                self._columns.append(column)
                self._codes.append(codes)

    def update_pivot(self, offer: Outcome, utility: float) -> None:
        """Take a partner's ``offer`` (worth ``utility`` to it) as the pivot if there is none yet.

        Subclasses steer towards another offer by overriding this.
        """
        if self.pivot is None:
            self.pivot = offer
            self._pivot_utility = utility

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """Note a partner's offer for the pivot, then answer as the aspiration negotiator does."""
        if offer.__class__ is not tuple:  # NegMAS: super().respond(state, source)
            offer = offer_of(state, offer)
        if getattr(state, "current_proposer", None) != self.id:
            self.update_pivot(offer, self._ranked().utility(offer))
        return super().respond(state, offer)

    def _distances(self, start: int, pivot: Outcome) -> np.ndarray:
        """The distance from ``pivot`` of each ranked outcome from position ``start`` on."""
        outcomes = self._ranked().outcomes
        if self.distance_fun is not None:
            assert self.nmi is not None
            space = self.nmi.outcome_space
            fun = self.distance_fun
            return np.array([float(fun(o, pivot, space)) for o in outcomes[start:]])
        total = np.zeros(len(outcomes) - start)
        for column, codes, value in zip(self._columns, self._codes, pivot, strict=True):
            part = column[start:]
            if codes is None and _is_number(value):
                total += (part - float(value)) ** 2
            else:
                code = codes.get(value, -1) if codes is not None else -1
                total += part != code
        return np.sqrt(total)

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """The outcome nearest the pivot among those meeting the aspiration
        (``stochastic``), else the aspiration negotiator's proposal."""
        if not self.stochastic:
            return AspirationNegotiator.propose(self, state, dest)
        if self._hopeless:
            return None
        ranking = self._ranked()
        level = self._floor + self._span * (1.0 - state.relative_time**self.exponent)
        start, n = ranking.index_at_least(level), len(ranking)
        if start >= n:
            return ranking.at_least(level)
        pivot = self.pivot
        if pivot is None:
            return ranking.outcomes[start + int(self.random.integers(n - start))]
        distances = self._distances(start, pivot)
        # Ranked by increasing utility: the last of the nearest is worth the most.
        nearest = len(distances) - 1 - int(np.argmin(distances[::-1]))
        return ranking.outcomes[start + nearest]


class LastOfferOrientedTBNegotiator(FirstOfferOrientedTBNegotiator):
    """:class:`FirstOfferOrientedTBNegotiator` steering towards the partners' latest offer."""

    def update_pivot(self, offer: Outcome, utility: float) -> None:
        """Take every partner offer as the new pivot."""
        self.pivot = offer
        self._pivot_utility = utility


class BestOfferOrientedTBNegotiator(FirstOfferOrientedTBNegotiator):
    """:class:`FirstOfferOrientedTBNegotiator` steering towards the partners' offer
    worth the most to it so far (the earlier one on a tie)."""

    def update_pivot(self, offer: Outcome, utility: float) -> None:
        """Take a partner offer as the pivot when it is worth more than the current one."""
        if self.pivot is None or utility > self._pivot_utility:
            self.pivot = offer
            self._pivot_utility = utility

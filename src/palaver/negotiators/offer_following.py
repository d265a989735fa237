"""Time-based negotiators that score the outcomes their aspiration allows by
utility and by nearness to the partners' offers.

NegMAS's ``...FollowingTBNegotiator`` family. Each one concedes as
:class:`~palaver.negotiators.AspirationNegotiator` does. With NegMAS's default
``stochastic=False`` it also proposes as that negotiator does (the worst
outcome still worth its aspiration: NegMAS's time-based negotiators use their
offer selector only when stochastic), so the same negotiations reach the same
agreements as NegMAS's. With ``stochastic=True``, to propose it scores every
outcome worth at least its aspiration by its utility ``u`` and its
*closeness* ``(dmax - d) / dmax`` to the partners' offers it follows (``d`` the
distance to the nearest of them, ``dmax`` the largest such distance among the
candidates). The *additive* ones score ``u_weight * u + (1 - u_weight) *
closeness``, the *multiplicative* ones ``u * closeness``. What they follow:

- ``...FirstFollowing...``: the partners' first offer;
- ``...LastOfferFollowing...``: their latest offer;
- ``...ParetoFollowing...``: every offer they made (the nearest one counts).

The distance is Minkowski's of power ``dist_power`` over the issues, each
difference scaled by its ``issue_weights`` entry (1 between two different values
of a categorical issue), or ``distance_fun``'s when given. Before any partner
offer they propose as :class:`~palaver.negotiators.FirstOfferOrientedTBNegotiator`
does (a seeded draw among the allowed outcomes); with every distance 0 the best
allowed outcome; ties go to the outcome worth more.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from palaver.mechanisms import MechanismState
from palaver.negotiators.offer_oriented import FirstOfferOrientedTBNegotiator, _is_number
from palaver.outcomes import Outcome

__all__ = [
    "AdditiveFirstFollowingTBNegotiator",
    "AdditiveLastOfferFollowingTBNegotiator",
    "AdditiveParetoFollowingTBNegotiator",
    "MultiplicativeFirstFollowingTBNegotiator",
    "MultiplicativeLastOfferFollowingTBNegotiator",
    "MultiplicativeParetoFollowingTBNegotiator",
]


class AdditiveFirstFollowingTBNegotiator(FirstOfferOrientedTBNegotiator):
    """Weighs utility against nearness to a partner's first offer (NegMAS's class of this name).

    See the module doc for the score and the distance.

    Args:
        dist_power: The power of the distance (2: Euclidean).
        issue_weights: One weight per issue (default all 1).
        u_weight: The weight of utility in an additive score (NegMAS's 0.6).
        *args, **kwargs: As for :class:`FirstOfferOrientedTBNegotiator`.
    """

    def __init__(
        self,
        *args: Any,
        dist_power: float = 2,
        issue_weights: list[float] | None = None,
        u_weight: float = 0.6,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # NaN or infinite values made every score NaN (or every distance equal), and the
        # negotiator then proposed its best outcome, silently ignoring what it follows.
        if not (_is_number(dist_power) and 0 < float(dist_power) < math.inf):
            raise ValueError(f"dist_power must be a finite number > 0, got {dist_power!r}")
        if not (_is_number(u_weight) and math.isfinite(float(u_weight))):
            raise ValueError(f"u_weight must be a finite number, got {u_weight!r}")
        if issue_weights is not None and (
            isinstance(issue_weights, str | bytes)
            or not all(_is_number(w) and math.isfinite(float(w)) for w in issue_weights)
        ):
            raise ValueError(
                f"issue_weights must be finite numbers (one per issue) or None, got "
                f"{issue_weights!r:.80}"
            )
        self.dist_power = float(dist_power)
        self.issue_weights = None if issue_weights is None else [float(w) for w in issue_weights]
        self.u_weight = float(u_weight)

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Start as the offer-oriented negotiator does, then check ``issue_weights``
        against the outcome space (once, whether or not it steers its offers)."""
        super().on_negotiation_start(state)
        weights = self.issue_weights
        if weights is not None and self._columns and len(weights) != len(self._columns):
            raise ValueError(
                f"issue_weights has {len(weights)} weights; the outcome space has "
                f"{len(self._columns)} issues"
            )

    def _distances(self, start: int, pivot: Outcome) -> np.ndarray:
        """Weighted Minkowski distances of the ranked outcomes from ``start`` on to ``pivot``."""
        if self.distance_fun is not None:
            return super()._distances(start, pivot)
        n = len(self._ranked().outcomes) - start
        weights = self.issue_weights or [1.0] * len(self._columns)
        total = np.zeros(n)
        power = self.dist_power
        for column, codes, value, weight in zip(
            self._columns, self._codes, pivot, weights, strict=True
        ):
            part = column[start:]
            if codes is None and _is_number(value):
                total += np.abs(weight * (part - float(value))) ** power
            else:
                code = codes.get(value, -1) if codes is not None else -1
                total += np.abs(weight) ** power * (part != code)
        return np.asarray(total ** (1.0 / power))

    def followed_distances(self, start: int) -> np.ndarray | None:
        """The distance of each ranked outcome from ``start`` on to what it follows
        (``None`` before any partner offer)."""
        return None if self.pivot is None else self._distances(start, self.pivot)

    def score(self, utilities: np.ndarray, closeness: np.ndarray) -> np.ndarray:
        """The score of candidates worth ``utilities`` at ``closeness`` (additive)."""
        return np.asarray(self.u_weight * utilities + (1.0 - self.u_weight) * closeness)

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """The allowed outcome of best score (see the module doc)."""
        if self.pivot is None or self._hopeless or not self.stochastic:
            return super().propose(state, dest)
        ranking = self._ranked()
        level = self._floor + self._span * (1.0 - state.relative_time**self.exponent)
        start, n = ranking.index_at_least(level), len(ranking)
        if start >= n:
            return ranking.at_least(level)
        distances = self.followed_distances(start)
        assert distances is not None  # a pivot is known
        furthest = float(distances.max())
        if furthest < 1e-8:
            return ranking.outcomes[n - 1]
        utilities = np.asarray(ranking.utilities[start:], dtype=float)
        scores = self.score(utilities, (furthest - distances) / furthest)
        # Ranked by increasing utility: the last of the best scores is worth the most.
        best = len(scores) - 1 - int(np.argmax(scores[::-1]))
        return ranking.outcomes[start + best]


class MultiplicativeFirstFollowingTBNegotiator(AdditiveFirstFollowingTBNegotiator):
    """Scores ``u * closeness`` to a partner's first offer (``u_weight`` unused)."""

    def score(self, utilities: np.ndarray, closeness: np.ndarray) -> np.ndarray:
        """The product of utility and closeness."""
        return np.asarray(utilities * closeness)


class AdditiveLastOfferFollowingTBNegotiator(AdditiveFirstFollowingTBNegotiator):
    """Weighs utility against nearness to the partners' latest offer."""

    def update_pivot(self, offer: Outcome, utility: float) -> None:
        """Take every partner offer as the new pivot."""
        self.pivot = offer
        self._pivot_utility = utility


class MultiplicativeLastOfferFollowingTBNegotiator(AdditiveLastOfferFollowingTBNegotiator):
    """Scores ``u * closeness`` to the partners' latest offer (``u_weight`` unused)."""

    def score(self, utilities: np.ndarray, closeness: np.ndarray) -> np.ndarray:
        """The product of utility and closeness."""
        return np.asarray(utilities * closeness)


class AdditiveParetoFollowingTBNegotiator(AdditiveFirstFollowingTBNegotiator):
    """Weighs utility against nearness to the nearest of all the partners' offers.

    The distance of every outcome to the nearest offer so far is kept and
    updated once per partner offer (one pass over the outcomes), so proposing
    costs the same however many offers were seen.

    Attributes:
        pivots: The partners' offers so far, in order.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pivots: list[Outcome] = []
        self._nearest: np.ndarray | None = None

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Forget the offers of any earlier negotiation."""
        super().on_negotiation_start(state)
        self.pivots = []
        self._nearest = None

    def update_pivot(self, offer: Outcome, utility: float) -> None:
        """Add a partner offer to those followed."""
        self.pivots.append(offer)
        self.pivot = offer
        self._pivot_utility = utility
        if not self._ranked().outcomes:
            return
        distances = self._distances(0, offer)
        nearest = self._nearest
        self._nearest = distances if nearest is None else np.minimum(nearest, distances)

    def followed_distances(self, start: int) -> np.ndarray | None:
        """The distance of each ranked outcome from ``start`` on to the nearest partner offer."""
        return None if self._nearest is None else self._nearest[start:]


class MultiplicativeParetoFollowingTBNegotiator(AdditiveParetoFollowingTBNegotiator):
    """Scores ``u * closeness`` to the nearest partner offer (``u_weight`` unused)."""

    def score(self, utilities: np.ndarray, closeness: np.ndarray) -> np.ndarray:
        """The product of utility and closeness."""
        return np.asarray(utilities * closeness)

"""NegMAS's Genius opponent models: the baselines and the frequency models.

Each is a :class:`~palaver.negotiators.genius_base.GeniusOpponentModel` (a
utility function estimating the partner's, in ``[0, 1]``; ``None`` is worth
0.0):

- :class:`GDefaultModel`: every outcome is worth ``utility`` (0.5);
- :class:`GUniformModel`: every outcome a random value, drawn once and kept;
- :class:`GOppositeModel` / :class:`GWorstModel`: ``1 - u(outcome)``, ``u``
  the negotiator's own utility function (the partner wants the opposite);
- :class:`GSmithFrequencyModel`: issues weigh the same; a value is worth its
  count in the partner's offers over the issue's largest count (a value never
  offered counts ``default_value``, and an offered one starts there);
- :class:`GHardHeadedFrequencyModel`, :class:`GNashFrequencyModel`,
  :class:`GAgentXFrequencyModel`: the same counts, and issues weighted:
  starting equal, the weights move after each partner offer by which issues
  the partner left unchanged since its last offer (each model its own rule),
  then are divided by their sum;
- :class:`GPerfectModel`: the partner's true utility function, when given.

The counts are kept with each issue's largest, so evaluating an outcome costs
one look-up per issue whatever the number of offers seen.
"""

from __future__ import annotations

from typing import Any

from palaver._util.checks import check_real
from palaver.negotiators.genius_base import GeniusOpponentModel, draw_uniform
from palaver.negotiators.opponent_models import PeekingOpponentModel
from palaver.outcomes import Outcome
from palaver.preferences.changes import PreferencesChange
from palaver.preferences.protocol import utility_of

__all__ = [
    "GAgentXFrequencyModel",
    "GDefaultModel",
    "GHardHeadedFrequencyModel",
    "GNashFrequencyModel",
    "GOppositeModel",
    "GPerfectModel",
    "GSmithFrequencyModel",
    "GUniformModel",
    "GWorstModel",
]


class GDefaultModel(GeniusOpponentModel):
    """Genius's ``DefaultModel``: learns nothing; every outcome is worth ``utility``.

    Args:
        utility: The value of every outcome (default 0.5).
    """

    def __init__(self, utility: float = 0.5) -> None:
        super().__init__()
        self.utility = check_real("utility", utility)

    def eval(self, offer: Outcome | None) -> float:
        """``utility`` (0.0 for ``None``)."""
        return 0.0 if offer is None else self.utility


class GUniformModel(GeniusOpponentModel):
    """Genius's ``UniformModel``: each outcome a uniform random value in ``[0, 1)``,
    drawn the first time it is evaluated (from the negotiator's generator when
    it has one) and kept until the preferences change."""

    def __init__(self) -> None:
        super().__init__()
        self._outcome_utils: dict[Outcome, float] = {}

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Forget the drawn values."""
        super().on_preferences_changed(changes)
        self._outcome_utils = {}

    def eval(self, offer: Outcome | None) -> float:
        """The value drawn for ``offer`` (0.0 for ``None``)."""
        if offer is None:
            return 0.0
        key = tuple(offer)
        value = self._outcome_utils.get(key)
        if value is None:
            value = draw_uniform(self._negotiator)
            self._outcome_utils[key] = value
        return value


class GOppositeModel(GeniusOpponentModel):
    """Genius's ``OppositeModel``: ``1 - u(outcome)`` with the negotiator's own ``u``.

    Args:
        no_information_utility: The value without a utility function (0.5).
    """

    def __init__(self, no_information_utility: float = 0.5) -> None:
        super().__init__()
        self.no_information_utility = check_real("no_information_utility", no_information_utility)

    def eval(self, offer: Outcome | None) -> float:
        """``1 - u(offer)`` (0.0 for ``None``)."""
        if offer is None:
            return 0.0
        ufun = getattr(self._negotiator, "ufun", None)
        if not ufun:
            return self.no_information_utility
        return 1.0 - utility_of(ufun, offer)


class GWorstModel(GeniusOpponentModel):
    """Genius's ``WorstModel``: ``1 - u(outcome)``, 0.0 without a utility function."""

    def eval(self, offer: Outcome | None) -> float:
        """``1 - u(offer)`` (0.0 for ``None`` or without a utility function)."""
        ufun = getattr(self._negotiator, "ufun", None)
        if offer is None or not ufun:
            return 0.0
        return 1.0 - utility_of(ufun, offer)


class _ValueCounts(GeniusOpponentModel):
    """Counts of each issue's values in the partner's offers, with each issue's largest."""

    def __init__(self, default_value: float = 1) -> None:
        super().__init__()
        self.default_value = check_real("default_value", default_value)
        self._initialized = False
        self._n_issues = 0
        self._value_weights: dict[int, dict[Any, float]] = {}
        self._largest: list[float] = []

    def _initialize(self) -> None:
        """Read the number of issues from the negotiator's outcome space."""
        nmi = getattr(self._negotiator, "nmi", None)
        space = getattr(nmi, "outcome_space", None)
        if space is None:
            space = self._follow_space()
        if space is None:
            return
        self._n_issues = len(space.issues)
        self._value_weights = {i: {} for i in range(self._n_issues)}
        self._largest = [self.default_value] * self._n_issues
        self._initialized = True

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Start learning afresh."""
        super().on_preferences_changed(changes)
        self._initialized = False
        self._value_weights = {}

    def _count(self, offer: Outcome) -> None:
        default, largest = self.default_value, self._largest
        for i, value in enumerate(offer[: self._n_issues]):
            counts = self._value_weights[i]
            count = counts.get(value, default) + 1
            counts[value] = count
            if count > largest[i]:
                largest[i] = count

    def _value(self, i: int, value: Any) -> float:
        """The value's count over its issue's largest count."""
        largest = self._largest[i]
        if largest <= 0:
            return 1.0
        return self._value_weights[i].get(value, self.default_value) / largest

    def _weight(self, i: int) -> float:
        return 1.0 / self._n_issues

    def eval(self, offer: Outcome | None) -> float:
        """The issue-weighted sum of the offer's values' relative counts."""
        if offer is None:
            return 0.0
        if not self._initialized:
            self._initialize()
        if self._n_issues == 0:
            return 0.0
        return sum(self._weight(i) * self._value(i, v) for i, v in enumerate(offer))


class GSmithFrequencyModel(_ValueCounts):
    """Genius's ``SmithFrequencyModel`` (AgentSmith, ANAC 2010): see the module doc.

    Args:
        default_value: The count of a value never offered (default 1).
    """

    def _observe(self, offer: Outcome) -> None:
        """Count the values of the partner's offer."""
        if not self._initialized:
            self._initialize()
        if self._initialized:
            self._count(offer)


class _WeightedCounts(_ValueCounts):
    """Value counts with issue weights, moved by :meth:`_reweigh` between
    consecutive partner offers and then divided by their sum."""

    def __init__(self, default_value: float = 1) -> None:
        super().__init__(default_value)
        self._issue_weights: dict[int, float] = {}
        self._last_opponent_bid: Outcome | None = None

    def _initialize(self) -> None:
        super()._initialize()
        if self._initialized and self._n_issues:
            self._issue_weights = dict.fromkeys(range(self._n_issues), 1.0 / self._n_issues)

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Start learning afresh."""
        super().on_preferences_changed(changes)
        self._issue_weights = {}
        self._last_opponent_bid = None

    def _weight(self, i: int) -> float:
        return self._issue_weights.get(i, 1.0 / self._n_issues)

    def _reweigh(self, unchanged: list[int]) -> bool:
        """Move the weights given the issues left unchanged; whether they moved."""
        raise NotImplementedError

    def _observe(self, offer: Outcome) -> None:
        """Count the offer's values; reweigh the issues against the last offer."""
        if not self._initialized:
            self._initialize()
        if not self._initialized:
            return
        self._count(offer)
        last = self._last_opponent_bid
        if last is not None:
            unchanged = [i for i in range(self._n_issues) if offer[i] == last[i]]
            if self._reweigh(unchanged):
                weights = self._issue_weights
                total = sum(weights.values())
                if total > 0:
                    for i in weights:
                        weights[i] /= total
        self._last_opponent_bid = offer


def _rate(name: str, value: Any) -> float:
    number = check_real(name, value)
    if number < 0:
        raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    return number


class GHardHeadedFrequencyModel(_WeightedCounts):
    """Genius's ``HardHeadedFrequencyModel``: each issue left unchanged gains
    ``learning_coef`` (see the module doc).

    Args:
        learning_coef: The weight an unchanged issue gains per offer (default 0.2).
        learning_value_addition: NegMAS's parameter, kept (default 1).
        default_value: The count of a value never offered (default 1).
    """

    def __init__(
        self,
        learning_coef: float = 0.2,
        learning_value_addition: int = 1,
        default_value: float = 1,
    ) -> None:
        super().__init__(default_value)
        self.learning_coef = _rate("learning_coef", learning_coef)
        # Unused (as in NegMAS), but a number: a text or NaN is a mistake to name now.
        self.learning_value_addition = check_real(
            "learning_value_addition", learning_value_addition
        )

    def _reweigh(self, unchanged: list[int]) -> bool:
        for i in unchanged:
            self._issue_weights[i] += self.learning_coef
        return bool(unchanged)


class GNashFrequencyModel(_WeightedCounts):
    """Genius's ``NashFrequencyModel``: the issues left unchanged share
    ``unchanged_issue_weight_addition`` (0.1) equally.

    Args:
        unchanged_issue_weight_addition: The weight added per offer, in total.
        default_value: The count of a value never offered (default 1).
    """

    def __init__(
        self, unchanged_issue_weight_addition: float = 0.1, default_value: float = 1
    ) -> None:
        super().__init__(default_value)
        self.unchanged_issue_weight_addition = _rate(
            "unchanged_issue_weight_addition", unchanged_issue_weight_addition
        )

    def _reweigh(self, unchanged: list[int]) -> bool:
        if unchanged:
            share = self.unchanged_issue_weight_addition / len(unchanged)
            for i in unchanged:
                self._issue_weights[i] += share
        return bool(unchanged)


class GAgentXFrequencyModel(_WeightedCounts):
    """Genius's ``AgentXFrequencyModel`` (ANAC 2015): an unchanged issue's weight
    ``w`` moves to ``w + learning_rate * (1 - w)``, a changed one's shrinks by
    ``learning_rate * decay_ratio`` of itself.

    Args:
        learning_rate: The smoothing rate (default 0.25).
        default_value: The count of a value never offered (default 1).
        decay_ratio: The share of the rate by which a changed issue shrinks (0.5).
    """

    def __init__(
        self, learning_rate: float = 0.25, default_value: float = 1, decay_ratio: float = 0.5
    ) -> None:
        super().__init__(default_value)
        self.learning_rate = _rate("learning_rate", learning_rate)
        self.decay_ratio = _rate("decay_ratio", decay_ratio)

    def _reweigh(self, unchanged: list[int]) -> bool:
        weights, rate = self._issue_weights, self.learning_rate
        kept = set(unchanged)
        for i in weights:
            if i in kept:
                weights[i] += rate * (1.0 - weights[i])
            else:
                weights[i] *= 1.0 - rate * self.decay_ratio
        return True


class GPerfectModel(PeekingOpponentModel):
    """Genius's ``PerfectModel``: the partner's true utility function (``ufun``),
    as :class:`~palaver.negotiators.PeekingOpponentModel` reads it (0.5 for every
    outcome without one); it publishes itself as the negotiator's opponent model."""

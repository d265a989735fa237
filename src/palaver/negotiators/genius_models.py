"""NegMAS's ports of Genius's Bayesian opponent models.

NegMAS's ``GScalableBayesianModel`` (``negmas.gb.components.genius.models``,
after Genius's ``ScalableBayesianModel``) learns a partner's utility online:
each issue counts equally, every value starts at ``initial_value_util``, and
each partner offer moves the value it holds towards 1 by ``learning_rate``
while the issue's other values shrink by ``learning_rate * decay_ratio``;
each issue's values are then divided by their largest. An outcome is worth
the mean of its values' utilities. This is that model, as a
:class:`~palaver.negotiators.UFunModel` (continuous issues are counted on
``levels`` values, as the frequency models do).
"""

from __future__ import annotations

import math
from typing import Any

from palaver._util.checks import check_int, check_real
from palaver.negotiators.genius_base import GeniusOpponentModel, draw_uniform
from palaver.negotiators.opponent_models import _bucket, _FrequencyModel
from palaver.outcomes import Outcome
from palaver.preferences.changes import PreferencesChange

__all__ = ["GBayesianModel", "GScalableBayesianModel"]


class GScalableBayesianModel(_FrequencyModel, GeniusOpponentModel):
    """Genius's scalable Bayesian opponent model, as NegMAS defines it (see the module doc).

    Args:
        learning_rate: How far an offered value moves towards 1 (default 0.1).
        initial_value_util: Every value's utility before any offer (0.5).
        decay_ratio: The share of ``learning_rate`` by which the values not
            offered shrink (0.1).
        levels: Values per continuous issue (at least 2; default 10).
    """

    def __init__(
        self,
        learning_rate: float = 0.1,
        initial_value_util: float = 0.5,
        decay_ratio: float = 0.1,
        levels: int = 10,
    ) -> None:
        super().__init__(True, levels)
        self.learning_rate = check_real("learning_rate", learning_rate)
        self.initial_value_util = check_real("initial_value_util", initial_value_util)
        self.decay_ratio = check_real("decay_ratio", decay_ratio)
        self._utils: list[dict[Any, float]] | None = None

    @property
    def _initialized(self) -> bool:
        """Whether the issues are known (NegMAS's flag)."""
        return self._issues is not None

    @property
    def _bid_count(self) -> int:
        """The number of partner offers learned from (NegMAS's name)."""
        return self._total

    @property
    def _value_utils(self) -> dict[int, dict[Any, float]]:
        """Per issue index, each value's learned utility (NegMAS's view)."""
        return dict(enumerate(self._table() or ()))

    def _table(self) -> list[dict[Any, float]] | None:
        """Per issue, each value's learned utility (made at the first use)."""
        if self._utils is None and self._ready():
            assert self._issues is not None
            self._utils = [
                dict.fromkeys(
                    grid if grid is not None else issue.all_values, self.initial_value_util
                )
                for issue, grid in zip(self._issues, self._grids, strict=True)
            ]
        return self._utils

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Start learning afresh (NegMAS resets the model on a change of preferences)."""
        super().on_preferences_changed(changes)
        self._utils = None
        self._total = 0

    def _observe(self, offer: Outcome) -> None:
        table = self._table()
        if table is None:
            return
        self._total += 1
        rate, shrink = self.learning_rate, 1.0 - self.learning_rate * self.decay_ratio
        for utils, value, grid in zip(table, offer, self._grids, strict=True):
            key = _bucket(value, grid)
            if key in utils:
                for other in utils:
                    if other != key:
                        utils[other] *= shrink
                utils[key] += rate * (1.0 - utils[key])
            top = max(utils.values())
            if top > 0:
                for v in utils:
                    utils[v] /= top

    def eval(self, outcome: Outcome | None) -> float:
        """The mean of the learned utilities of ``outcome``'s values (0.0 for ``None``)."""
        if outcome is None:
            return 0.0
        table = self._table()
        if not table:
            return self.initial_value_util
        total = 0.0
        for utils, value, grid in zip(table, outcome, self._grids, strict=True):
            total += utils.get(_bucket(value, grid), self.initial_value_util)
        return total / len(table)


class GBayesianModel(GeniusOpponentModel):
    """Genius's Bayesian opponent model, as NegMAS simplifies it.

    It holds ``n_hypotheses`` random issue weightings (each summing to 1),
    equally likely at first, and a random utility for each value of each
    discrete issue (a value it has none for is worth ``initial_value_util``),
    all drawn from the negotiator's generator when the model first needs
    them. Each partner offer ``x`` multiplies each hypothesis' probability by
    ``exp(rationality * u_h(x))`` (``u_h`` the weighted sum of the value
    utilities under that weighting; the partner is assumed to offer what it
    likes) and renormalizes. An outcome is worth its expected ``u_h``.

    Args:
        n_hypotheses: How many weightings (at least 1; default 10).
        rationality: How strongly offers reveal preferences (default 5.0).
        initial_value_util: The utility of a value without a drawn one (0.5).
    """

    def __init__(
        self, n_hypotheses: int = 10, rationality: float = 5.0, initial_value_util: float = 0.5
    ) -> None:
        super().__init__()
        self.n_hypotheses = check_int("n_hypotheses", n_hypotheses, minimum=1)
        self.rationality = check_real("rationality", rationality)
        self.initial_value_util = check_real("initial_value_util", initial_value_util)
        self._initialized = False
        self._n_issues = 0
        self._issue_weight_hypotheses: list[list[float]] = []
        self._hypothesis_probs: list[float] = []
        self._value_utils: dict[int, dict[Any, float]] = {}

    def _initialize(self) -> None:
        space = self._follow_space()
        if space is None:
            return
        issues = list(space.issues)
        negotiator = self._negotiator
        self._n_issues = n = len(issues)
        self._issue_weight_hypotheses = []
        for _ in range(self.n_hypotheses):
            weights = [draw_uniform(negotiator) for _ in range(n)]
            total = sum(weights)
            self._issue_weight_hypotheses.append(
                [w / total for w in weights] if total > 0 else [1.0 / n] * n
            )
        self._hypothesis_probs = [1.0 / self.n_hypotheses] * self.n_hypotheses
        self._value_utils = {
            i: {v: draw_uniform(negotiator) for v in issue.all_values}
            if issue.is_discrete()
            else {}
            for i, issue in enumerate(issues)
        }
        self._initialized = True

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Draw the hypotheses afresh when next needed."""
        super().on_preferences_changed(changes)
        self._initialized = False

    def _utilities(self, outcome: Outcome) -> list[float]:
        """``u_h(outcome)`` under each hypothesis."""
        values = [
            self._value_utils[i].get(v, self.initial_value_util)
            for i, v in enumerate(outcome[: self._n_issues])
        ]
        return [
            sum(w * u for w, u in zip(weights, values, strict=False))
            for weights in self._issue_weight_hypotheses
        ]

    def _observe(self, offer: Outcome) -> None:
        if not self._initialized:
            self._initialize()
        if not self._initialized:
            return
        posteriors = [
            p * math.exp(self.rationality * u)
            for p, u in zip(self._hypothesis_probs, self._utilities(offer), strict=True)
        ]
        total = sum(posteriors)
        if total > 0:
            self._hypothesis_probs = [p / total for p in posteriors]

    def eval(self, outcome: Outcome | None) -> float:
        """The expected utility of ``outcome`` over the hypotheses (0.0 for ``None``)."""
        if outcome is None:
            return 0.0
        if not self._initialized:
            self._initialize()
        if not self._n_issues:
            return 0.0
        utilities = self._utilities(outcome)
        return sum(p * u for p, u in zip(self._hypothesis_probs, utilities, strict=True))

"""``WeightedUtilityFunction``: NegMAS's weighted sum of utility functions."""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Iterable, Sequence

import numpy as np

from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.preferences.base import Outcomes, UtilityFunction
from palaver.preferences.linear import float_vector
from palaver.preferences.parts import checked_parts, give_space

__all__ = ["WeightedUtilityFunction"]


class WeightedUtilityFunction(UtilityFunction):
    """``sum(w_i * u_i(o))`` over utility functions ``ufuns`` (weights 1 each by default).

    The reserved value is this function's own (``-inf`` by default), not
    derived from the parts'. A part without an outcome space is given this
    one's (on a copy). It is as stable as its least stable part (the flags
    all parts share).
    """

    def __init__(
        self,
        ufuns: Iterable[UtilityFunction],
        weights: Sequence[float] | np.ndarray | None = None,
        reserved_value: float = -math.inf,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        self._ufuns = checked_parts(ufuns, "WeightedUtilityFunction")
        given = [1.0] * len(self._ufuns) if weights is None else weights
        self._weights = float_vector(given, "weights")
        if len(self._weights) != len(self._ufuns):
            raise ValueError(
                f"{len(self._weights)} weights for {len(self._ufuns)} utility functions"
            )
        self._stability = functools.reduce(operator.and_, (u.stability for u in self._ufuns))
        super().__init__(reserved_value, outcome_space)

    def _on_outcome_space(self, outcome_space: OutcomeSpace | None) -> None:
        give_space(self._ufuns, outcome_space)

    @property
    def ufuns(self) -> list[UtilityFunction]:
        """The utility functions summed."""
        return list(self._ufuns)

    @property
    def values(self) -> list[UtilityFunction]:
        """NegMAS's name for :attr:`ufuns`."""
        return self.ufuns

    @property
    def weights(self) -> list[float]:
        """Their weights."""
        return [float(w) for w in self._weights]

    def eval(self, outcome: Outcome) -> float:
        """The weighted sum of the parts' utilities of an outcome tuple."""
        return float(
            sum(w * u.eval(outcome) for w, u in zip(self._weights, self._ufuns, strict=True))
        )

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """The weighted sums for many outcomes (each part vectorized)."""
        total = np.zeros(len(outcomes))
        for w, u in zip(self._weights, self._ufuns, strict=True):
            total += w * u.eval_many(outcomes)
        return total

"""NegMAS's utility-function adapters: one utility function wrapped in another.

- :class:`UtilityFunctionAdapter`: the inner function's utilities, with its
  outcome space and reserved value unless others are given;
- :class:`UFunConstraint`: the inner utility where a predicate holds on the
  outcome, ``-inf`` where it does not (a budget, a capacity, ...).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from palaver.outcomes import Outcome, OutcomeSpace
from palaver.preferences.base import Outcomes, UtilityFunction
from palaver.preferences.stability import (
    STABLE_DIFF_RATIOS,
    STABLE_IRRATIONAL_OUTCOMES,
    STABLE_ORDERING,
    STABLE_RATIONAL_OUTCOMES,
    Stability,
    checked_stability,
)
from palaver.preferences.wrappers import _Wrapping

__all__ = ["UFunConstraint", "UtilityFunctionAdapter"]


class UtilityFunctionAdapter(_Wrapping):
    """A utility function giving what ``ufun`` gives (NegMAS's adapter base).

    ``outcome_space`` and ``reserved_value`` default to ``ufun``'s. Its
    stability is ``ufun``'s, and-ed with ``stability`` when one is given (an
    adapter is never more stable than what it wraps). Subclasses change
    :meth:`eval` (and :meth:`eval_many`).
    """

    def __init__(
        self,
        ufun: UtilityFunction,
        *,
        outcome_space: OutcomeSpace | None = None,
        reserved_value: float | None = None,
        stability: Stability | int | None = None,
    ) -> None:
        if not isinstance(ufun, UtilityFunction):
            raise TypeError(
                f"ufun must be a UtilityFunction, got {ufun!r:.80} ({type(ufun).__name__})"
            )
        super().__init__(
            ufun,
            ufun.reserved_value if reserved_value is None else reserved_value,
            ufun.outcome_space if outcome_space is None else outcome_space,
        )
        if stability is not None:
            self._stability = checked_stability(stability) & ufun.stability

    @property
    def ufun(self) -> UtilityFunction:
        """The wrapped utility function (NegMAS's name for :attr:`inner`)."""
        return self._ufun

    def eval(self, outcome: Outcome) -> float:
        """The inner utility of an outcome tuple."""
        return self._ufun.eval(outcome)

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """The inner utilities of many outcomes (vectorized like the inner ufun)."""
        return self._ufun.eval_many(outcomes)


class UFunConstraint(UtilityFunctionAdapter):
    """``ufun``'s utility where ``constraint(outcome)`` is true, ``-inf`` where it is false.

    ``constraint`` gets the outcome tuple. No agreement (``None``) is worth
    the reserved value, as always. Unless ``stability`` is given, the
    adapter keeps ``ufun``'s ordering, difference ratios and rational and
    irrational outcomes (NegMAS's default): the outcomes it excludes are
    worth ``-inf``, below any reserved value.
    """

    def __init__(
        self,
        ufun: UtilityFunction,
        constraint: Callable[[Outcome], bool],
        *,
        outcome_space: OutcomeSpace | None = None,
        reserved_value: float | None = None,
        stability: Stability | int | None = None,
    ) -> None:
        if not callable(constraint):
            raise TypeError(f"constraint must be callable, got {constraint!r:.80}")
        if stability is None:
            stability = (
                STABLE_ORDERING
                | STABLE_DIFF_RATIOS
                | STABLE_RATIONAL_OUTCOMES
                | STABLE_IRRATIONAL_OUTCOMES
            )
        super().__init__(
            ufun, outcome_space=outcome_space, reserved_value=reserved_value, stability=stability
        )
        self._constraint = constraint

    @property
    def constraint(self) -> Callable[[Outcome], bool]:
        """The predicate an outcome must satisfy."""
        return self._constraint

    def eval(self, outcome: Outcome) -> float:
        """The inner utility when the constraint holds, else ``-inf``."""
        if not self._constraint(outcome):
            return -math.inf
        return self._ufun.eval(outcome)

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """The inner utilities (vectorized), ``-inf`` where the constraint fails."""
        rows = self.as_rows(outcomes)
        utilities = np.array(self._ufun.eval_many(rows), dtype=float)
        allowed = np.fromiter((bool(self._constraint(o)) for o in rows), bool, len(rows))
        utilities[~allowed] = -math.inf
        return utilities

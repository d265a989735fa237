"""``ComplexNonlinearUtilityFunction``: NegMAS's utility functions combined by any function."""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.preferences.base import Outcomes, UtilityFunction
from palaver.preferences.parts import checked_parts, give_space
from palaver.preferences.stability import STABLE_DIFF_RATIOS, STABLE_ORDERING

__all__ = ["ComplexNonlinearUtilityFunction"]


class ComplexNonlinearUtilityFunction(UtilityFunction):
    """``f([u_1(o), ..., u_n(o)])`` for utility functions ``ufuns`` and a function ``f``.

    ``combination_function`` gets the list of the parts' utilities of an
    outcome and returns a number. The reserved value is this function's own
    (``-inf`` by default). A part without an outcome space is given this
    one's (on a copy).

    Stability: the flags all parts share, without ``STABLE_ORDERING`` and
    ``STABLE_DIFF_RATIOS`` (an arbitrary ``f`` may reorder outcomes); give
    ``stability=`` to state more when ``f`` is known to keep them (it is then
    taken as given, as in NegMAS).
    """

    def __init__(
        self,
        ufuns: Iterable[UtilityFunction],
        combination_function: Callable[[Sequence[float]], float],
        reserved_value: float = -math.inf,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        self._ufuns = checked_parts(ufuns, "ComplexNonlinearUtilityFunction")
        if not callable(combination_function):
            raise TypeError(
                f"combination_function must be callable, got {combination_function!r:.80}"
            )
        self._combine = combination_function
        shared = functools.reduce(operator.and_, (u.stability for u in self._ufuns))
        self._stability = shared & ~STABLE_ORDERING & ~STABLE_DIFF_RATIOS
        super().__init__(reserved_value, outcome_space)

    def _on_outcome_space(self, outcome_space: OutcomeSpace | None) -> None:
        give_space(self._ufuns, outcome_space)

    @property
    def ufuns(self) -> list[UtilityFunction]:
        """The utility functions combined."""
        return list(self._ufuns)

    @property
    def combination_function(self) -> Callable[[Sequence[float]], float]:
        """The function of the parts' utilities."""
        return self._combine

    def eval(self, outcome: Outcome) -> float:
        """The combination of the parts' utilities of an outcome tuple."""
        return float(self._combine([u.eval(outcome) for u in self._ufuns]))

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """The combinations for many outcomes (each part vectorized, ``f`` once per outcome)."""
        rows = self.as_rows(outcomes)
        parts = np.column_stack([u.eval_many(rows) for u in self._ufuns]).reshape(
            len(rows), len(self._ufuns)
        )
        return np.fromiter(
            (float(self._combine(p)) for p in parts.tolist()), dtype=float, count=len(rows)
        )

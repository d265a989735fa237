"""Utility functions computed from another one: normalized, scaled and shifted.

What ``UtilityFunction.normalize``, ``scale_by``, ``shift_by`` and
``scale_max`` return; they live apart from the base class they build on.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from palaver._util.checks import check_real
from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.preferences.base import Outcomes, UtilityFunction
from palaver.preferences.draws import ReservedValue, Seed
from palaver.preferences.linear import LinearUtilityFunction

__all__ = ["AffineUtilityFunction", "NormalizedUtilityFunction", "ScaledUtilityFunction"]


class _Wrapping(UtilityFunction):
    """A utility function computed from another one (``inner``): what the
    normalized and affine forms share. It is as stable as the inner one."""

    def __init__(
        self, ufun: UtilityFunction, reserved_value: float, outcome_space: OutcomeSpace | None
    ) -> None:
        self._ufun = ufun
        self._stability = ufun.stability
        super().__init__(reserved_value, outcome_space)

    @property
    def prefers_array(self) -> bool:  # type: ignore[override]
        """Whether the inner utility function prefers arrays."""
        return self._ufun.prefers_array

    @property
    def inner(self) -> UtilityFunction:
        """The utility function this one is computed from."""
        return self._ufun

    def _on_outcome_space(self, outcome_space: OutcomeSpace | None) -> None:
        # The inner ufun needs the space to read dicts and categorical values; a
        # copy gets it so that the caller's ufun is left as it was.
        if outcome_space is not None and self._ufun.outcome_space is None:
            self._ufun = copy.copy(self._ufun)
            self._ufun.outcome_space = outcome_space


class NormalizedUtilityFunction(_Wrapping):
    """``u`` mapped linearly from ``[lo, hi]`` onto ``to`` (``[0, 1]``): see ``normalize``.

    Computed as ``to[0] * (1 - n) + to[1] * n`` with ``n = (u(o) - lo) / (hi - lo)``,
    so the ends map to exactly ``to[0]`` and ``to[1]``.
    """

    def __init__(
        self,
        ufun: UtilityFunction,
        lo: float,
        hi: float,
        outcome_space: OutcomeSpace | None,
        to: tuple[float, float] = (0.0, 1.0),
    ) -> None:
        self._lo, self._span = float(lo), float(hi) - float(lo)
        self._to = (float(to[0]), float(to[1]))
        super().__init__(ufun, self.rescale(ufun.reserved_value), outcome_space)

    def rescale(self, u: Any) -> Any:
        """A utility (or an array of them) of the inner function, mapped as this one maps it."""
        n = (u - self._lo) / self._span
        low, high = self._to
        if (low, high) == (0.0, 1.0):
            return n
        if isinstance(n, np.ndarray):
            with np.errstate(invalid="ignore"):
                exact = low * (1.0 - n) + high * n
            return np.where(np.isfinite(n), exact, low + (high - low) * n)
        # An infinite reserved value: the weighted form would give inf - inf.
        return low * (1.0 - n) + high * n if math.isfinite(n) else low + (high - low) * n

    def eval(self, outcome: Outcome) -> float:
        """The normalized utility of an outcome tuple."""
        return float(self.rescale(self._ufun.eval(outcome)))

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """The normalized utilities of many outcomes (vectorized like the inner ufun)."""
        return self.rescale(self._ufun.eval_many(outcomes))  # type: ignore[no-any-return]

    def minmax(self, outcome_space: OutcomeSpace | None = None) -> tuple[float, float]:
        """``to`` on the space it was normalized over."""
        space = self.space_for(outcome_space)
        if space == self._outcome_space:
            return self._to
        lo, hi = self._ufun.minmax(space)
        return float(self.rescale(lo)), float(self.rescale(hi))


class AffineUtilityFunction(_Wrapping):
    """``scale * u(o) + shift`` for a utility function ``u`` and ``scale > 0``.

    What :meth:`Scenario.normalize` returns for utility functions it cannot
    rewrite in their own kind (a mapping given as a callable, a user subclass),
    and the base of :class:`ScaledUtilityFunction`. The reserved value is given.

    NegMAS's ``AffineUtilityFunction(weights, bias=0, ...)`` is a linear
    utility function with a bias: called so (a first argument, or
    ``weights=``, that is not a utility function), this makes the
    :class:`~palaver.preferences.LinearUtilityFunction` that is, with the same
    arguments.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        given = args[0] if args else kwargs.get("ufun", kwargs.get("weights"))
        # No arguments at all is pickle or copy making an empty instance.
        negmas_form = (args or kwargs) and not isinstance(given, UtilityFunction)
        if cls is AffineUtilityFunction and negmas_form:
            return LinearUtilityFunction(*args, **kwargs)
        return super().__new__(cls)

    def __init__(
        self,
        ufun: UtilityFunction,
        scale: float,
        shift: float,
        reserved_value: float,
        outcome_space: OutcomeSpace | None,
    ) -> None:
        # Each named with its own value (a bad shift was reported as the scale).
        self._scale = check_real("scale", scale, positive=True)
        self._shift = check_real("shift", shift)
        super().__init__(ufun, reserved_value, outcome_space)

    @classmethod
    def random(
        cls,
        issues: OutcomeSpace | Iterable[Issue] | None = None,
        reserved_value: ReservedValue = (0.0, 1.0),
        normalized: bool = True,
        *,
        outcome_space: OutcomeSpace | None = None,
        seed: Seed = None,
    ) -> LinearUtilityFunction:
        """NegMAS's ``AffineUtilityFunction.random``: a random linear utility
        function with a bias, what ``AffineUtilityFunction(weights, bias)``
        makes (see :meth:`LinearUtilityFunction.random
        <palaver.preferences.LinearUtilityFunction.random>`, same arguments)."""
        return LinearUtilityFunction.random(
            issues, reserved_value, normalized, outcome_space=outcome_space, seed=seed
        )

    @property
    def scale(self) -> float:
        """The factor applied to the inner utility."""
        return self._scale

    @property
    def shift(self) -> float:
        """The constant added after scaling."""
        return self._shift

    def eval(self, outcome: Outcome) -> float:
        """The scaled utility of an outcome tuple."""
        return self._ufun.eval(outcome) * self._scale + self._shift

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """The scaled utilities of many outcomes (vectorized like the inner ufun)."""
        return self._ufun.eval_many(outcomes) * self._scale + self._shift

    def minmax(self, outcome_space: OutcomeSpace | None = None) -> tuple[float, float]:
        """The inner function's range, scaled and shifted."""
        lo, hi = self._ufun.minmax(self.space_for(outcome_space))
        return lo * self._scale + self._shift, hi * self._scale + self._shift


class ScaledUtilityFunction(AffineUtilityFunction):
    """``scale * u(o)`` for a utility function ``u`` and ``scale > 0``: see ``scale_by``
    (the reserved value is scaled too)."""

    def __init__(self, ufun: UtilityFunction, scale: float) -> None:
        scale = check_real("scale", scale, positive=True)
        if not isinstance(ufun, UtilityFunction):
            raise TypeError(
                f"ufun must be a UtilityFunction, got {ufun!r:.80} ({type(ufun).__name__})"
            )
        super().__init__(ufun, scale, 0.0, ufun.reserved_value * scale, ufun.outcome_space)

"""Inverters that rank outcomes: presorting, brute force and sampling.

:class:`PresortingInverseUtilityFunction` ranks every outcome once (a
continuous space discretized); :class:`BruteForceInverseUtilityFunction` ranks
the same way but is *strict*: ``worst_in``/``best_in`` answer ``None`` when no
outcome is in the range asked instead of clamping to the nearest one.
:class:`SamplingInverseUtilityFunction` ranks a fresh random sample at every
query. The queries and their shared rules are in
:mod:`palaver.preferences.inverse_base`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from palaver.outcomes import Outcome, OutcomeSpace, OutcomeSpaceError
from palaver.preferences.inverse_base import InverseUtilityFunction
from palaver.preferences.inverse_rules import Range, _number, _Ranking

if TYPE_CHECKING:
    from palaver.preferences.base import UtilityFunction

__all__ = [
    "BruteForceInverseUtilityFunction",
    "PresortingInverseUtilityFunction",
    "PresortingInverseUtilityFunctionBruteForce",
    "PresortingLegacyInverseUtilityFunction",
    "SamplingInverseUtilityFunction",
]


class PresortingInverseUtilityFunction(InverseUtilityFunction):
    """Every outcome evaluated once and sorted; each query a binary search.

    Args:
        ufun: The utility function to invert (it needs an outcome space).
        levels: Values per continuous issue when the space is discretized.
        max_cache_size: At most this many outcomes are ranked: fewer levels per
            continuous issue are used, down to 1; ``ValueError`` when even that
            makes more outcomes.
        rational_only: Answer only with outcomes at least the reserved value.
        eps, rel_eps: NegMAS's tie tolerances, taken for its signature (ties are
            answered by rank order).
        clamp_tolerance: How far outside the asked range a clamped answer may be
            (see :meth:`~InverseUtilityFunction.worst_in`); unbounded by default.
        seed: Draw random answers from ``random.Random(seed)`` instead of the
            global ``random``.
    """

    def __init__(
        self,
        ufun: UtilityFunction,
        levels: int = 10,
        max_cache_size: int = 10_000_000_000,
        rational_only: bool = False,
        eps: float = 1e-12,
        rel_eps: float = 1e-6,
        clamp_tolerance: float = math.inf,
        seed: int | None = None,
    ) -> None:
        super().__init__(ufun, rational_only, clamp_tolerance, seed)
        for name, value in (("levels", levels), ("max_cache_size", max_cache_size)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        self.levels = levels
        self.max_cache_size = max_cache_size
        self.eps, self.rel_eps = _number("eps", eps), _number("rel_eps", rel_eps)

    def _rank(self, space: OutcomeSpace) -> list[Outcome]:
        for levels in range(self.levels, 0, -1):
            if space.cardinality_if_discretized(levels) <= self.max_cache_size:
                break
        else:
            raise ValueError(
                f"cannot rank the outcomes within max_cache_size={self.max_cache_size}: "
                f"{space.cardinality} outcomes even with 1 level per continuous issue"
            )
        return space.enumerate_or_sample(levels=levels, max_cardinality=self.max_cache_size)


class BruteForceInverseUtilityFunction(PresortingInverseUtilityFunction):
    """The strict exhaustive inverter: NegMAS's ground truth for the others.

    It ranks every outcome as :class:`PresortingInverseUtilityFunction` does,
    but ``worst_in`` and ``best_in`` answer ``None`` when no answer is within
    ``eps`` of the range asked (``clamp_tolerance`` is 0), and ``one_in``
    falls back (to a higher range, then the best answer) instead of drawing a
    neighbour outside the range. Every other query answers as presorting's.
    """

    def __init__(
        self,
        ufun: UtilityFunction,
        levels: int = 10,
        max_cache_size: int = 10_000_000_000,
        rational_only: bool = False,
        seed: int | None = None,
    ) -> None:
        super().__init__(
            ufun, levels, max_cache_size, rational_only, clamp_tolerance=0.0, seed=seed
        )


class PresortingInverseUtilityFunctionBruteForce(BruteForceInverseUtilityFunction):
    """NegMAS's second strict exhaustive inverter: answers as
    :class:`BruteForceInverseUtilityFunction` (NegMAS's differ only in how they
    search the same ranking)."""


class PresortingLegacyInverseUtilityFunction(PresortingInverseUtilityFunction):
    """NegMAS's older presorting inverter (binary search narrowed by waypoints).

    Palaver answers it as :class:`PresortingInverseUtilityFunction`, whose
    answers NegMAS's legacy one approximates (its clamping may answer outside
    the range, and its ``one_in`` is not random); the name is kept for code
    that uses it.
    """


class SamplingInverseUtilityFunction(InverseUtilityFunction):
    """Answers from a fresh random sample of the outcome space at every query.

    Nothing is ranked in advance, so it suits spaces too large to enumerate
    (continuous ones included); answers are approximate: an outcome the sample
    missed is never an answer. ``max_samples_per_call`` outcomes are drawn
    per query, at most ``rel_max_samples_per_call`` times the size of a
    finite space. ``min``, ``max``, ``worst``, ``best`` and normalized ranges
    are the ufun's own extremes when it can compute them (a discrete space),
    else the sample's. :meth:`all` raises
    ``ValueError``: a sample cannot list every outcome. NegMAS's ``eps``,
    ``rel_eps``, ``multiplier`` and ``strict_limit`` are taken for its
    signature; the sample decides.
    """

    def __init__(
        self,
        ufun: UtilityFunction,
        max_samples_per_call: int = 10_000,
        rel_max_samples_per_call: float = 1.5,
        eps: float = 0.001,
        rel_eps: float = 0.05,
        multiplier: int = 3,
        strict_limit: float = 0.1,
        rational_only: bool = False,
        clamp_tolerance: float = math.inf,
        seed: int | None = None,
    ) -> None:
        super().__init__(ufun, rational_only, clamp_tolerance, seed)
        count = max_samples_per_call
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f"max_samples_per_call must be a positive int, got {count!r}")
        relative = _number("rel_max_samples_per_call", rel_max_samples_per_call)
        if relative <= 0:
            raise ValueError(
                f"rel_max_samples_per_call must be > 0, got {rel_max_samples_per_call!r}"
            )
        self.max_samples_per_call = count
        self.rel_max_samples_per_call = relative
        self.eps, self.rel_eps = _number("eps", eps), _number("rel_eps", rel_eps)
        self.multiplier, self.strict_limit = multiplier, strict_limit
        #: The ufun's (worst, best), () when it cannot tell; None: not asked yet.
        self._exact: tuple[Outcome, Outcome] | tuple[()] | None = None

    def _rank(self, space: OutcomeSpace) -> list[Outcome]:
        n = self.max_samples_per_call
        if space.is_finite():
            n = max(1, min(n, int(space.cardinality * self.rel_max_samples_per_call)))
        generator = np.random.default_rng(self._random.getrandbits(64))
        return space.sample(generator, n)

    def _extremes(self) -> tuple[Outcome, Outcome] | None:
        # Once: extreme_outcomes() enumerates a discrete space; a space it
        # cannot enumerate (continuous) has none, and each sample its own range.
        if self._exact is None:
            try:
                self._exact = self._ufun.extreme_outcomes()
            except (ValueError, OutcomeSpaceError):
                self._exact = ()
        return self._exact or None

    def _ranked(self) -> _Ranking:
        self.init()  # a fresh sample for every query
        assert self._ranking is not None
        ranking = self._ranking
        extremes = self._extremes()
        if extremes is not None:
            ranking.low, ranking.high = (float(self._ufun(o)) for o in extremes)
        return ranking

    def _exact_extreme(self, which: int) -> Outcome | None:
        # The ufun's own extremes answer min/max/worst/best, as in NegMAS,
        # unless answers are limited to rational outcomes (then the sample's).
        extremes = None if self.rational_only else self._extremes()
        if extremes is None:
            return super().best() if which else super().worst()
        return extremes[which]

    def worst(self) -> Outcome | None:
        """The ufun's worst outcome when it can tell, else the sample's worst answer."""
        return self._exact_extreme(0)

    def best(self) -> Outcome | None:
        """The ufun's best outcome when it can tell, else the sample's best answer."""
        return self._exact_extreme(1)

    def min(self) -> float:
        """The utility of :meth:`worst` (``inf`` when there is none)."""
        worst = self.worst()
        return math.inf if worst is None else float(self._ufun(worst))

    def max(self) -> float:
        """The utility of :meth:`best` (``-inf`` when there is none)."""
        best = self.best()
        return -math.inf if best is None else float(self._ufun(best))

    def all(self, rng: Range, normalized: bool = False) -> list[Outcome]:
        """Refused: a sample cannot list every outcome in a range."""
        raise ValueError(
            f"SamplingInverseUtilityFunction cannot list all outcomes in {rng!r}: "
            "use PresortingInverseUtilityFunction"
        )

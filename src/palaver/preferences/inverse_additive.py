"""Inverters for additive utility functions: BIDS and attribute planning.

An additive ufun is a constant plus one contribution per issue, so an outcome
of utility ``u`` is a choice of one value per issue whose contributions sum to
``u`` minus the constant. Both inverters read the contributions once (one
``eval_many`` of ``1 + Σ values`` outcomes, each differing from a base outcome
in one issue) and construct outcomes without enumerating the space, so they
scale to spaces far too large to rank. Only :class:`LinearAdditiveUtilityFunction`
and :class:`LinearUtilityFunction` are accepted (``TypeError`` from ``init``
otherwise): their additivity is what the construction relies on.

* :class:`BIDSInverseUtilityFunction` (Koça et al. 2024) rounds each
  contribution to a grid of ``10**-precision`` of the utility range and keeps,
  per issue, which grid sums the remaining issues can reach (a dynamic
  programme). A target sum is then reached exactly on the grid by choosing,
  issue by issue, a random value that leaves a reachable remainder: answers are
  diverse and off by at most the rounding (``n_issues / 2`` grid steps).
* :class:`AttributePlanningInverseUtilityFunction` (Jonker & Treur) gives each
  issue a share of the target proportional to its range and picks the value
  nearest that share, correcting the shares of later issues for the error so
  far; cheaper, less exact and less diverse.

Answers are checked against the ufun (see
:mod:`palaver.preferences.inverse_constructive`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver.outcomes import DEFAULT_LEVELS, Outcome, OutcomeSpace
from palaver.preferences.inverse_constructive import ConstructiveInverter, Toward
from palaver.preferences.protocol import checked_ranked_utilities

if TYPE_CHECKING:
    from palaver.preferences.base import UtilityFunction

__all__ = ["AttributePlanningInverseUtilityFunction", "BIDSInverseUtilityFunction"]

#: At most this many grid points (``10**precision``): the table has one row of
#: them per issue.
_MAX_PRECISION = 6


def _contributions(ufun: Any, values: list[list[Any]]) -> tuple[float, list[np.ndarray]]:
    """The utility of the base outcome (every issue at its first value) and,
    per issue, each value's contribution relative to the first."""
    from palaver.preferences.additive import LinearAdditiveUtilityFunction
    from palaver.preferences.linear import LinearUtilityFunction

    if not isinstance(ufun, LinearAdditiveUtilityFunction | LinearUtilityFunction):
        raise TypeError(
            f"this inverter needs an additive ufun (LinearAdditiveUtilityFunction or "
            f"LinearUtilityFunction), got {type(ufun).__name__}: use "
            "PresortingInverseUtilityFunction or MCTSInverseUtilityFunction"
        )
    base = tuple(vs[0] for vs in values)
    outcomes: list[Outcome] = [base]
    for j, vs in enumerate(values):
        outcomes.extend((*base[:j], v, *base[j + 1 :]) for v in vs)
    utils = checked_ranked_utilities(ufun.eval_many(outcomes), ufun, outcomes)
    u0, start, parts = float(utils[0]), 1, []
    for vs in values:
        parts.append(utils[start : start + len(vs)] - u0)
        start += len(vs)
    return u0, parts


class _Additive(ConstructiveInverter):
    """Reads the contributions and the exact extremes of an additive ufun."""

    def __init__(
        self,
        ufun: UtilityFunction,
        n_samples: int = 50,
        continuous_levels: int = DEFAULT_LEVELS,
        seed: int | None = None,
    ) -> None:
        super().__init__(ufun, n_samples, continuous_levels, seed)
        self._parts: list[np.ndarray] = []
        #: Per issue, each value's contribution above the issue's lowest.
        self._excess: list[np.ndarray] = []
        self._floor = 0.0  # the utility when every issue is at its lowest

    def _prepare(self, space: OutcomeSpace) -> tuple[Outcome, Outcome]:
        u0, self._parts = _contributions(self._ufun, self._values)
        lows = [float(c.min()) for c in self._parts]
        self._excess = [c - low for c, low in zip(self._parts, lows, strict=True)]
        self._floor = u0 + sum(lows)
        worst = tuple(
            vs[int(np.argmin(c))] for vs, c in zip(self._values, self._parts, strict=True)
        )
        best = tuple(vs[int(np.argmax(c))] for vs, c in zip(self._values, self._parts, strict=True))
        return worst, best


class BIDSInverseUtilityFunction(_Additive):
    """BIDS: reachable grid sums per issue, outcomes built to hit a target sum.

    Args:
        ufun: An additive utility function with an outcome space.
        precision: The grid has ``10**precision`` steps over the utility range
            (0 to 6); each answer is within about ``n_issues / 2`` steps of its
            target, and always checked against the range asked.
        n_samples: Targets tried per query.
        continuous_levels: Values per continuous issue.
        seed: Draw from ``random.Random(seed)`` instead of the global ``random``.
    """

    def __init__(
        self,
        ufun: UtilityFunction,
        precision: int = 3,
        n_samples: int = 50,
        continuous_levels: int = DEFAULT_LEVELS,
        seed: int | None = None,
    ) -> None:
        super().__init__(ufun, n_samples, continuous_levels, seed)
        if isinstance(precision, bool) or not isinstance(precision, int):
            raise TypeError(f"precision must be an int, got {precision!r}")
        if not 0 <= precision <= _MAX_PRECISION:
            raise ValueError(f"precision must be from 0 to {_MAX_PRECISION}, got {precision!r}")
        self.precision = precision
        self._steps: list[np.ndarray] = []
        self._reach = np.zeros((1, 1), bool)
        self._unit = 1.0

    def _prepare(self, space: OutcomeSpace) -> tuple[Outcome, Outcome]:
        extremes = super()._prepare(space)
        span = sum(float(e.max()) for e in self._excess)
        self._unit = span / 10**self.precision if span > 1e-12 else 1.0
        self._steps = [np.rint(e / self._unit).astype(np.int64) for e in self._excess]
        width = sum(int(s.max()) for s in self._steps) + 1
        n = len(self._steps)
        # reach[j, t]: issues j.. can sum to t grid steps.
        reach = np.zeros((n + 1, width), bool)
        reach[n, 0] = True
        for j in range(n - 1, -1, -1):
            for step in np.unique(self._steps[j]).tolist():
                reach[j, step:] |= reach[j + 1, : width - step]
        self._reach = reach
        return extremes

    def _candidates(
        self, low: float, high: float, count: int, toward: Toward
    ) -> tuple[list[Outcome], np.ndarray | None]:
        width = self._reach.shape[1]
        first = max(math.floor((low - self._floor) / self._unit), 0)
        last = min(math.ceil((high - self._floor) / self._unit), width - 1)
        slack = len(self._steps) // 2 + 1  # the rounding of every issue may add up
        lo, hi = max(first - slack, 0), min(last + slack, width - 1)
        if lo > hi:
            return [], None
        targets = np.flatnonzero(self._reach[0, lo : hi + 1]) + lo
        if not len(targets):
            # The reachable sums nearest the window: never answers to a range
            # query (their utility is outside it), but closest() needs them.
            below = np.flatnonzero(self._reach[0, :lo])[-1:]
            above = np.flatnonzero(self._reach[0, hi + 1 :])[:1] + hi + 1
            targets = np.concatenate((below, above))
        generator = self._generator()
        if toward == "high":
            targets = targets[::-1][:count]
        elif toward == "low":
            targets = targets[:count]
        else:
            core = targets[(targets >= first) & (targets <= last)]
            targets = generator.choice(core if len(core) else targets, size=count)
        return self._build(targets, generator), None

    def _build(self, targets: np.ndarray, generator: np.random.Generator) -> list[Outcome]:
        """One outcome per target sum, each issue's value drawn among those that
        leave a sum the later issues can reach."""
        remaining = targets.astype(np.int64)
        chosen = np.empty((len(targets), len(self._steps)), np.int64)
        for j, steps in enumerate(self._steps):
            left = remaining[:, None] - steps[None, :]
            ok = (left >= 0) & self._reach[j + 1][np.clip(left, 0, None)]
            # The k-th allowed value, k uniform: the first column whose running
            # count of allowed values exceeds k.
            counts = np.cumsum(ok, axis=1)
            k = np.floor(generator.random(len(targets)) * counts[:, -1]).astype(np.int64)
            pick = np.argmax(counts > k[:, None], axis=1)
            chosen[:, j] = pick
            remaining = remaining - steps[pick]
        return self._outcomes(chosen)


class AttributePlanningInverseUtilityFunction(_Additive):
    """Attribute planning: per issue, the value nearest its share of the target.

    Args:
        ufun: An additive utility function with an outcome space.
        n_samples: Targets tried per query.
        continuous_levels: Values per continuous issue.
        seed: Draw from ``random.Random(seed)`` instead of the global ``random``.
    """

    def _candidates(
        self, low: float, high: float, count: int, toward: Toward
    ) -> tuple[list[Outcome], np.ndarray | None]:
        generator = self._generator()
        if toward == "any":
            targets = generator.uniform(low, high, count) if high > low else np.full(count, low)
        else:
            ends = (high, low) if toward == "high" else (low, high)
            targets = np.linspace(*ends, count)
        ranges = np.array([float(e.max()) for e in self._excess])
        order = generator.permutation(len(ranges))
        left = targets - self._floor  # still to be contributed, above the floor
        capacity = float(ranges.sum())  # the most the unplanned issues can add
        chosen = np.empty((count, len(ranges)), np.int64)
        for j in order.tolist():
            share = np.clip(left / capacity, 0.0, 1.0) if capacity > 0 else np.zeros(count)
            excess = self._excess[j]
            pick = np.argmin(np.abs(excess[None, :] - (share * ranges[j])[:, None]), axis=1)
            chosen[:, j] = pick
            left = left - excess[pick]
            capacity -= ranges[j]
        return self._outcomes(chosen), None

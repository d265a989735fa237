"""Scenario statistics: Pareto frontier, bargaining solutions, welfare, opposition.

Everything here works on the utilities array of a scenario (one row per
outcome, one column per party), computed once by :class:`Scenario`. The
definitions, with ``d_i`` party ``i``'s reserved value (an infinite one is
replaced by the party's worst utility) and only individually rational
Pareto-optimal outcomes (``u_i >= d_i`` for every party) as candidates:

- **Nash** (Nash 1950): maximises ``prod_i (u_i - d_i)``.
- **Kalai** (Kalai 1977, the egalitarian solution; NegMAS's ``kalai_points``):
  maximises ``min_i (u_i - d_i)``, the smallest absolute gain.
- **Kalai-Smorodinsky** (Kalai and Smorodinsky 1975; NegMAS's ``ks_points``):
  maximises ``min_i (u_i - d_i) / (best_i - d_i)``, the smallest share of each
  party's best rational gain (the same point as
  :func:`palaver.preferences.kalai_point`).
- **Max welfare**: every outcome with the highest ``sum_i u_i``.
- **Opposition** (as in the Genius/ANAC literature, e.g. Baarslag et al. 2013):
  the distance from the ideal point ``(1, ..., 1)`` to the nearest outcome, each
  party's utilities scaled linearly onto ``[0, 1]`` over the outcomes. 0 when
  one outcome is everybody's best; ``1/sqrt(2)`` for a linear zero-sum split
  between two parties; at most ``sqrt(n_parties)``. Unlike NegMAS, outcomes
  below a reserved value are not skipped: opposition is a property of the
  preferences alone and does not change with the reserved values.

Ties go to the first candidate in frontier order (decreasing utility of the
first party).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np

from palaver.preferences import SolutionPoint, pareto_indices

#: An outcome tuple (``palaver.outcomes.Outcome`` with its items typed).
Outcome: TypeAlias = tuple[Any, ...]


@dataclass(frozen=True, eq=False)
class ScenarioStats:
    """The statistics of a scenario, computed once and cached by :class:`Scenario`.

    Indices (``pareto_indices``, ``SolutionPoint.index``) are positions in
    ``Scenario.outcomes`` (or in the sample the stats were computed on, when
    ``sampled`` is true). ``pareto_utils`` has one row per frontier outcome,
    ordered by decreasing utility of the first party.
    """

    n_outcomes: int
    sampled: bool
    utility_ranges: tuple[tuple[float, float], ...]
    reserved_values: tuple[float, ...]
    pareto_indices: np.ndarray
    pareto_utils: np.ndarray
    pareto_outcomes: tuple[Outcome, ...]
    nash: SolutionPoint | None
    kalai: SolutionPoint | None
    kalai_smorodinsky: SolutionPoint | None
    max_welfare: tuple[SolutionPoint, ...]
    opposition: float
    rational_fraction: float

    # NegMAS's ScenarioStats spells the points as lists of utilities and
    # outcomes; these views let scripts written against it keep their names.
    @property
    def nash_utils(self) -> list[tuple[float, ...]]:
        """The Nash point's utilities, as a list of zero or one tuple."""
        return _utils(self.nash)

    @property
    def nash_outcomes(self) -> list[Outcome]:
        """The Nash point's outcome, as a list of zero or one outcome."""
        return _outcomes(self.nash)

    @property
    def kalai_utils(self) -> list[tuple[float, ...]]:
        """The (egalitarian) Kalai point's utilities, as a list."""
        return _utils(self.kalai)

    @property
    def kalai_outcomes(self) -> list[Outcome]:
        """The (egalitarian) Kalai point's outcome, as a list."""
        return _outcomes(self.kalai)

    @property
    def ks_utils(self) -> list[tuple[float, ...]]:
        """The Kalai-Smorodinsky point's utilities, as a list."""
        return _utils(self.kalai_smorodinsky)

    @property
    def ks_outcomes(self) -> list[Outcome]:
        """The Kalai-Smorodinsky point's outcome, as a list."""
        return _outcomes(self.kalai_smorodinsky)

    @property
    def max_welfare_utils(self) -> list[tuple[float, ...]]:
        """The utilities of every max-welfare outcome."""
        return [p.utilities for p in self.max_welfare]

    @property
    def max_welfare_outcomes(self) -> list[Outcome]:
        """Every max-welfare outcome."""
        return [p.outcome for p in self.max_welfare]

    def to_dict(self, include_pareto_frontier: bool = True) -> dict[str, Any]:
        """The statistics as plain JSON-ready data (infinite reserved values as text)."""

        def point(p: SolutionPoint | None) -> dict[str, Any] | None:
            return (
                None if p is None else {"outcome": list(p.outcome), "utilities": list(p.utilities)}
            )

        out: dict[str, Any] = {
            "n_outcomes": self.n_outcomes,
            "sampled": self.sampled,
            "opposition": self.opposition,
            "utility_ranges": [list(r) for r in self.utility_ranges],
            "reserved_values": [r if np.isfinite(r) else str(r) for r in self.reserved_values],
            "rational_fraction": self.rational_fraction,
            "nash": point(self.nash),
            "kalai": point(self.kalai),
            "kalai_smorodinsky": point(self.kalai_smorodinsky),
            "max_welfare": [point(p) for p in self.max_welfare],
        }
        if include_pareto_frontier:
            out["pareto_utils"] = self.pareto_utils.tolist()
            out["pareto_outcomes"] = [list(o) for o in self.pareto_outcomes]
        return out

    def pareto_distance(self, utilities: Sequence[float] | np.ndarray) -> float | np.ndarray:
        """Euclidean distance from utility vector(s) to the nearest frontier point.

        ``utilities`` is one vector (``k`` values; returns a float) or an array
        of shape ``(n, k)`` (returns ``n`` distances). 0 on the frontier.
        """
        u = np.asarray(utilities, dtype=float)
        k = self.pareto_utils.shape[1]
        if u.shape[-1] != k or u.ndim > 2:
            raise ValueError(f"utilities must have {k} values per row, got shape {u.shape}")
        if len(self.pareto_utils) == 0:
            return np.full(u.shape[:-1], np.inf) if u.ndim == 2 else float("inf")
        rows = u.reshape(-1, k)
        best = np.full(len(rows), np.inf)
        # Chunks of the frontier bound the temporary array to a few megabytes.
        step = max(1, 1_000_000 // max(1, len(rows)))
        for start in range(0, len(self.pareto_utils), step):
            chunk = self.pareto_utils[start : start + step]
            d = np.sqrt(((rows[:, None, :] - chunk[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
            np.minimum(best, d, out=best)
        return float(best[0]) if u.ndim == 1 else best


def _utils(point: SolutionPoint | None) -> list[tuple[float, ...]]:
    return [] if point is None else [point.utilities]


def _outcomes(point: SolutionPoint | None) -> list[Outcome]:
    return [] if point is None else [point.outcome]


def disagreement(reserved: Sequence[float], utils: np.ndarray) -> np.ndarray:
    """Reserved values as an array; an infinite one becomes that party's worst utility."""
    d = np.array(reserved, dtype=float)
    bad = ~np.isfinite(d)
    if bad.any() and len(utils):
        d[bad] = utils.min(axis=0)[bad]
    return d


def opposition(utils: np.ndarray) -> float:
    """The distance from ``(1, ..., 1)`` to the nearest outcome in normalised utilities."""
    if len(utils) == 0:
        return float("nan")
    lo, hi = utils.min(axis=0), utils.max(axis=0)
    span = hi - lo
    # A party indifferent between all outcomes is fully satisfied by every one.
    scaled = np.where(span > 0, (utils - lo) / np.where(span > 0, span, 1.0), 1.0)
    return float(np.sqrt(((1.0 - scaled) ** 2).sum(axis=1)).min())


def compute_stats(
    outcomes: Sequence[Outcome], utils: np.ndarray, reserved: Sequence[float], sampled: bool
) -> ScenarioStats:
    """The statistics of ``outcomes`` with utilities ``utils`` (shape ``(n, k)``)."""
    k = utils.shape[1]
    n = len(utils)
    if n == 0:
        empty = np.empty(0, dtype=np.int64)
        return ScenarioStats(
            0, sampled, tuple((np.nan, np.nan) for _ in range(k)), tuple(reserved),
            empty, np.empty((0, k)), (), None, None, None, (), float("nan"), 0.0,
        )  # fmt: skip
    lo, hi = utils.min(axis=0), utils.max(axis=0)
    d = disagreement(reserved, utils)
    front = pareto_indices(utils)
    rational = front[(utils[front] >= d).all(axis=1)]

    def point(i: int) -> SolutionPoint:
        return SolutionPoint(outcomes[i], tuple(utils[i].tolist()), int(i))

    nash = kalai = ks = None
    if len(rational):
        gains = utils[rational] - d
        nash = point(int(rational[int(np.argmax(np.prod(gains, axis=1)))]))
        kalai = point(int(rational[int(np.argmax(gains.min(axis=1)))]))
        span = gains.max(axis=0)
        ratios = np.where(span > 0, gains / np.where(span > 0, span, 1.0), np.inf)
        ks = point(int(rational[int(np.argmax(ratios.min(axis=1)))]))
    welfare = utils.sum(axis=1)
    best = welfare.max()
    tied = np.flatnonzero(welfare >= best - 1e-12 * max(1.0, abs(float(best))))
    return ScenarioStats(
        n_outcomes=n,
        sampled=sampled,
        utility_ranges=tuple((float(a), float(b)) for a, b in zip(lo, hi, strict=True)),
        reserved_values=tuple(float(r) for r in reserved),
        pareto_indices=front,
        pareto_utils=utils[front],
        pareto_outcomes=tuple(outcomes[i] for i in front.tolist()),
        nash=nash,
        kalai=kalai,
        kalai_smorodinsky=ks,
        max_welfare=tuple(point(int(i)) for i in tied.tolist()),
        opposition=opposition(utils),
        rational_fraction=float((utils >= d).all(axis=1).mean()),
    )

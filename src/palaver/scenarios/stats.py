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
- NegMAS's variants, for scripts that read them: **modified Kalai**
  maximises ``min_i u_i`` (no reserved value subtracted); **modified KS**
  maximises ``min_i u_i / max_i`` (``max_i`` the party's best utility);
  **max relative welfare** is every candidate with the highest
  ``sum_i (u_i - e_i) / (max_i - e_i)``, ``e_i = max(d_i, min_i)``.
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
from typing import Any

import numpy as np

from palaver.outcomes import Outcome
from palaver.preferences import SolutionPoint, pareto_indices
from palaver.scenarios.errors import ScenarioError


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
    modified_kalai: SolutionPoint | None = None
    modified_kalai_smorodinsky: SolutionPoint | None = None
    max_relative_welfare: tuple[SolutionPoint, ...] = ()

    @property
    def convex_hull(self) -> bool:
        """NegMAS's flag for statistics of mixtures of outcomes (``P∞``): always false here.

        Palaver's statistics are those of single outcomes (NegMAS's view of
        mixtures, for two parties, is ``palaver.negmas.calc_scenario_stats(...,
        convex_hull=True)``), so :func:`calc_outcome_distances` measures to the
        frontier's points.
        """
        return False

    @property
    def has_pareto_frontier(self) -> bool:
        """Whether the frontier is known (not empty), as NegMAS spells it."""
        return len(self.pareto_indices) > 0

    @property
    def modified_kalai_utils(self) -> list[tuple[float, ...]]:
        """NegMAS's spelling of :attr:`modified_kalai`'s utilities."""
        return _utils(self.modified_kalai)

    @property
    def modified_kalai_outcomes(self) -> list[Outcome]:
        """NegMAS's spelling of :attr:`modified_kalai`'s outcome."""
        return _outcomes(self.modified_kalai)

    @property
    def modified_ks_utils(self) -> list[tuple[float, ...]]:
        """NegMAS's spelling of :attr:`modified_kalai_smorodinsky`'s utilities."""
        return _utils(self.modified_kalai_smorodinsky)

    @property
    def modified_ks_outcomes(self) -> list[Outcome]:
        """NegMAS's spelling of :attr:`modified_kalai_smorodinsky`'s outcome."""
        return _outcomes(self.modified_kalai_smorodinsky)

    @property
    def max_relative_welfare_utils(self) -> list[tuple[float, ...]]:
        """NegMAS's spelling: the utilities of every max-relative-welfare point."""
        return [p.utilities for p in self.max_relative_welfare]

    @property
    def max_relative_welfare_outcomes(self) -> list[Outcome]:
        """NegMAS's spelling: the outcomes of every max-relative-welfare point."""
        return [p.outcome for p in self.max_relative_welfare]

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

    def to_dict(
        self,
        include_pareto_frontier: bool = True,
        include_pareto_utils: bool | None = None,
        include_pareto_outcomes: bool | None = None,
    ) -> dict[str, Any]:
        """The statistics as plain JSON-ready data (infinite reserved values as text);
        without ``include_pareto_frontier``, ``pareto_utils`` and ``pareto_outcomes``
        are empty lists (NegMAS's shape). ``include_pareto_utils`` and
        ``include_pareto_outcomes``, when not ``None``, decide each list alone."""
        utils = include_pareto_frontier if include_pareto_utils is None else include_pareto_utils
        outcomes = (
            include_pareto_frontier if include_pareto_outcomes is None else include_pareto_outcomes
        )

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
            "modified_kalai": point(self.modified_kalai),
            "modified_kalai_smorodinsky": point(self.modified_kalai_smorodinsky),
            "max_relative_welfare": [point(p) for p in self.max_relative_welfare],
        }
        # Without the frontier its keys hold empty lists, as in NegMAS's to_dict.
        out["pareto_utils"] = self.pareto_utils.tolist() if utils else []
        out["pareto_outcomes"] = [list(o) for o in self.pareto_outcomes] if outcomes else []
        return out

    def pareto_distance(self, utilities: Sequence[float] | np.ndarray) -> float | np.ndarray:
        """Euclidean distance from utility vector(s) to the nearest frontier point.

        ``utilities`` is one vector (``k`` values; returns a float) or an array
        of shape ``(n, k)`` (returns ``n`` distances). 0 on the frontier.
        """
        try:
            u = np.asarray(utilities, dtype=float)
        except (TypeError, ValueError):
            raise ScenarioError(
                f"pareto_distance: utilities must be numbers, got {utilities!r}"
            ) from None
        k = self.pareto_utils.shape[1]
        if u.ndim == 0 or u.shape[-1] != k or u.ndim > 2:
            raise ScenarioError(
                f"pareto_distance: utilities must have {k} values per row, got shape {u.shape}"
            )
        if np.isnan(u).any():
            raise ScenarioError("pareto_distance: utilities must not be NaN")
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
    outcomes: Sequence[Outcome],
    utils: np.ndarray,
    reserved: Sequence[float],
    sampled: bool,
    known: ScenarioStats | None = None,
) -> ScenarioStats:
    """The statistics of ``outcomes`` with utilities ``utils`` (shape ``(n, k)``).

    ``known`` are statistics of the same outcomes with the parties in another
    order (a rotation): the frontier and the opposition do not depend on the
    order, so they are reused instead of recomputed.
    """
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
    if known is None:
        front = pareto_indices(utils)
    else:
        # The same frontier, ordered as pareto_indices orders it.
        idx = known.pareto_indices
        front = idx[np.lexsort(tuple(-utils[idx, j] for j in reversed(range(k))))]
    rational = front[(utils[front] >= d).all(axis=1)]

    def point(i: int) -> SolutionPoint:
        return SolutionPoint(outcomes[i], tuple(utils[i].tolist()), int(i))

    nash = kalai = ks = modified_kalai = modified_ks = None
    relative: tuple[SolutionPoint, ...] = ()
    if len(rational):
        gains = utils[rational] - d
        nash = point(int(rational[int(np.argmax(np.prod(gains, axis=1)))]))
        kalai = point(int(rational[int(np.argmax(gains.min(axis=1)))]))
        span = gains.max(axis=0)
        ratios = np.where(span > 0, gains / np.where(span > 0, span, 1.0), np.inf)
        ks = point(int(rational[int(np.argmax(ratios.min(axis=1)))]))
        raw = utils[rational]
        modified_kalai = point(int(rational[int(np.argmax(raw.min(axis=1)))]))
        shares = np.where(hi > 0, raw / np.where(hi > 0, hi, 1.0), raw)
        modified_ks = point(int(rational[int(np.argmax(shares.min(axis=1)))]))
        e = np.maximum(d, lo)
        width = np.where(hi - e > 0, hi - e, 1.0)
        value = ((raw - e) / width).sum(axis=1)
        top = value.max()
        best_rel = np.flatnonzero(value >= top - 1e-12 * max(1.0, abs(float(top))))
        relative = tuple(point(int(rational[i])) for i in best_rel.tolist())
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
        opposition=opposition(utils) if known is None else known.opposition,
        rational_fraction=float((utils >= d).all(axis=1).mean()),
        modified_kalai=modified_kalai,
        modified_kalai_smorodinsky=modified_ks,
        max_relative_welfare=relative,
    )


def calc_scenario_stats(
    ufuns: Sequence[Any],
    outcomes: Sequence[Outcome] | None = None,
    eps: float = 1e-12,
    convex_hull: bool = False,
) -> ScenarioStats:
    """NegMAS's ``calc_scenario_stats``: the statistics of the parties ``ufuns``.

    Over ``outcomes`` (default: every outcome of the first utility function's
    space, a continuous one discretized as ``enumerate_or_sample`` does), with
    the definitions of this module, as ``Scenario.stats`` computes them.
    ``eps`` is NegMAS's tolerance (ties here are exact). NegMAS's
    ``convex_hull=True`` (statistics of mixtures of outcomes) is refused.
    """
    if not ufuns:
        raise ScenarioError("calc_scenario_stats: give the utility functions (got none)")
    if convex_hull is not False:
        raise ScenarioError(
            "calc_scenario_stats: convex_hull=True (NegMAS's statistics of mixtures of "
            "outcomes) is not supported here; use convex_hull=False (the default), or "
            "palaver.negmas.calc_scenario_stats(..., convex_hull=True) for two parties"
        )
    if outcomes is None:
        space = ufuns[0].outcome_space
        if space is None:
            raise ScenarioError(
                "calc_scenario_stats: the first utility function has no outcome space; "
                "give outcomes="
            )
        outcomes = space.enumerate_or_sample()
    listed = list(outcomes)
    utils = np.column_stack([np.asarray(u.eval_many(listed), dtype=float) for u in ufuns]).reshape(
        len(listed), len(ufuns)
    )
    return compute_stats(listed, utils, [float(u.reserved_value) for u in ufuns], False)

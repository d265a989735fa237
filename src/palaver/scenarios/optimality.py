"""How far an outcome's utilities lie from a scenario's solution points, and its optimality.

NegMAS's ``calc_outcome_distances``, ``estimate_max_dist`` and
``calc_outcome_optimality`` (with their ``OutcomeDistances`` and
``OutcomeOptimality`` records), for scripts that grade an agreement with them:

- a distance is the Euclidean distance from the utilities to the nearest point
  of a kind (the rational Pareto frontier, Nash, Kalai, modified Kalai,
  Kalai-Smorodinsky, modified Kalai-Smorodinsky), NaN when the scenario has no
  point of that kind; ``max_welfare`` is the utilities' sum (not a distance);
- an optimality is ``max(0, 1 - distance / max_dist)``; that of welfare is the
  sum over the highest sum on the rational frontier. Both are NaN without a
  point of the kind, or when the divisor is (almost) zero.

The frontier is that of NegMAS's stats: the Pareto-optimal utilities that give
every party at least its reserved value (Palaver's ``pareto_utils`` also keeps
the irrational ones, which would be nearer than NegMAS's to a poor outcome).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

import attrs
import numpy as np

from palaver.preferences import UtilityFunction
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.negmas_stats import RationalFrontierStats
from palaver.scenarios.stats import ScenarioStats

#: Palaver's statistics or NegMAS's view of them (the distances are the same).
AnyStats = ScenarioStats | RationalFrontierStats

#: Below this a divisor is taken as zero (the optimality is then NaN).
_TINY = 1e-12


@dataclass(frozen=True)
class OutcomeDistances:
    """The distances from one outcome's utilities to a scenario's solution points.

    ``max_welfare`` is the utilities' sum (NegMAS's name for it); every other
    field is a Euclidean distance in utility space, NaN when the scenario has
    no point of that kind.
    """

    pareto_dist: float
    nash_dist: float
    kalai_dist: float
    modified_kalai_dist: float
    max_welfare: float
    ks_dist: float = math.nan
    modified_ks_dist: float = math.nan


@attrs.define(frozen=True)
class OutcomeOptimality:
    """The distances of :class:`OutcomeDistances` as scores: 1 at the point, 0 from ``max_dist``.

    An attrs class, as NegMAS's: ``attrs.fields`` and ``attrs.asdict`` read it.
    """

    pareto_optimality: float
    nash_optimality: float
    kalai_optimality: float
    modified_kalai_optimality: float
    max_welfare_optimality: float
    ks_optimality: float = math.nan
    modified_ks_optimality: float = math.nan


def _check_stats(what: str, stats: object) -> None:
    if not isinstance(stats, ScenarioStats | RationalFrontierStats):
        raise ScenarioError(
            f"{what}: stats must be a ScenarioStats (Scenario.calc_stats()), got "
            f"{stats!r:.80} ({type(stats).__name__})"
        )


def rational_frontier(stats: AnyStats) -> list[tuple[float, ...]]:
    """The rows of ``stats.pareto_utils`` that give every party at least its reserved value."""
    reserved = stats.reserved_values
    return [
        tuple(float(x) for x in row)
        for row in stats.pareto_utils
        if all(float(x) >= r for x, r in zip(row, reserved, strict=True))
    ]


def _nearest(utils: tuple[float, ...], points: Sequence[Sequence[float]]) -> float:
    """The smallest Euclidean distance from ``utils`` to ``points`` (NaN when there are none)."""
    if len(points) == 0:
        return math.nan
    return min(math.dist(utils, tuple(float(x) for x in p)) for p in points)


def calc_outcome_distances(utils: Sequence[float], stats: AnyStats) -> OutcomeDistances:
    """The distances from ``utils`` (one utility per party) to the solution points of ``stats``."""
    _check_stats("calc_outcome_distances", stats)
    try:
        point = tuple(float(u) for u in utils)
    except (TypeError, ValueError):
        raise ScenarioError(
            f"calc_outcome_distances: utils must be numbers, one per party, got {utils!r}"
        ) from None
    n_parties = len(stats.reserved_values)
    if len(point) != n_parties:
        raise ScenarioError(
            f"calc_outcome_distances: utils must have one value per party ({n_parties}), "
            f"got {len(point)}: {utils!r}"
        )
    # Over mixtures (NegMAS's convex_hull stats) the frontier is the hull's boundary.
    pareto = float(stats.pareto_distance(point)) if stats.convex_hull else None
    return OutcomeDistances(
        pareto_dist=_nearest(point, rational_frontier(stats)) if pareto is None else pareto,
        nash_dist=_nearest(point, stats.nash_utils),
        kalai_dist=_nearest(point, stats.kalai_utils),
        modified_kalai_dist=_nearest(point, stats.modified_kalai_utils),
        max_welfare=sum(point),
        ks_dist=_nearest(point, stats.ks_utils),
        modified_ks_dist=_nearest(point, stats.modified_ks_utils),
    )


def estimate_max_dist(ufuns: Sequence[UtilityFunction]) -> float:
    """The utility box's diagonal, ``sqrt(sum((max_i - min_i) ** 2))``, on the first ufun's space.

    Reserved values play no part: each range is over all outcomes.
    """
    if isinstance(ufuns, str | bytes) or not isinstance(ufuns, Sequence):
        raise ScenarioError(
            f"estimate_max_dist: ufuns must be a list of utility functions, got {ufuns!r:.80} "
            f"({type(ufuns).__name__})"
        )
    if len(ufuns) == 0:
        raise ScenarioError(
            "estimate_max_dist: ufuns must hold at least one utility function, got none"
        )
    for i, ufun in enumerate(ufuns):
        if not isinstance(ufun, UtilityFunction):
            raise ScenarioError(
                f"estimate_max_dist: ufuns[{i}] must be a UtilityFunction, got {ufun!r:.80} "
                f"({type(ufun).__name__})"
            )
    space = ufuns[0].outcome_space
    total = 0.0
    for ufun in ufuns:
        low, high = ufun.minmax(space)
        total += (float(high) - float(low)) ** 2
    return math.sqrt(total)


def estimate_max_dist_using_outcomes(
    ufuns: Sequence[UtilityFunction], outcome_utils: Sequence[Sequence[float]]
) -> float:
    """The largest distance among the points ``outcome_utils`` and the parties' minima.

    ``outcome_utils`` holds one utility per party for each outcome. The
    answer is the largest Euclidean distance between two of those points,
    or between one of them and the point of each party's lowest utility on
    the first utility function's space (NegMAS's estimate; it does not use
    the highest utilities). With no points it is :func:`estimate_max_dist`.
    """
    points = [tuple(float(x) for x in p) for p in outcome_utils]
    if not points:
        return estimate_max_dist(ufuns)
    space = ufuns[0].outcome_space
    lows = tuple(float(u.minmax(space)[0]) for u in ufuns)
    if any(len(p) != len(lows) for p in points):
        raise ScenarioError(
            f"estimate_max_dist_using_outcomes: every point must have one utility per "
            f"party ({len(lows)}), got {outcome_utils!r:.80}"
        )
    array = np.asarray(points)
    to_lows = np.sqrt(((array - np.asarray(lows)) ** 2).sum(axis=1)).max()
    between = max(
        (float(np.sqrt(((array - row) ** 2).sum(axis=1)).max()) for row in array), default=0.0
    )
    return float(max(to_lows, between))


def _score(distance: float, has_point: bool, max_dist: float) -> float:
    if not has_point or abs(max_dist) < _TINY:
        return math.nan
    return max(0.0, 1.0 - distance / max_dist)


def calc_outcome_optimality(
    dists: OutcomeDistances, stats: AnyStats, max_dist: float
) -> OutcomeOptimality:
    """The scores of ``dists``: ``max(0, 1 - distance / max_dist)``; welfare over the best sum."""
    if not isinstance(dists, OutcomeDistances):
        raise ScenarioError(
            f"calc_outcome_optimality: dists must be the OutcomeDistances that "
            f"calc_outcome_distances gives, got {dists!r:.80} ({type(dists).__name__})"
        )
    _check_stats("calc_outcome_optimality", stats)
    if isinstance(max_dist, bool) or not isinstance(max_dist, Real):  # numpy's are Real
        raise ScenarioError(
            f"calc_outcome_optimality: max_dist must be a number, got {max_dist!r:.80} "
            f"({type(max_dist).__name__})"
        )
    frontier = rational_frontier(stats)
    best_sum = max((float(sum(p)) for p in frontier), default=math.nan)
    if len(frontier) == 0 or abs(best_sum) < _TINY:
        welfare = math.nan
    else:
        welfare = max(0.0, dists.max_welfare / best_sum)
    return OutcomeOptimality(
        pareto_optimality=_score(dists.pareto_dist, len(frontier) > 0, max_dist),
        nash_optimality=_score(dists.nash_dist, bool(stats.nash_utils), max_dist),
        kalai_optimality=_score(dists.kalai_dist, bool(stats.kalai_utils), max_dist),
        modified_kalai_optimality=_score(
            dists.modified_kalai_dist, bool(stats.modified_kalai_utils), max_dist
        ),
        max_welfare_optimality=welfare,
        ks_optimality=_score(dists.ks_dist, bool(stats.ks_utils), max_dist),
        modified_ks_optimality=_score(
            dists.modified_ks_dist, bool(stats.modified_ks_utils), max_dist
        ),
    )

"""NegMAS's view of a scenario's statistics: a frontier of rational outcomes only.

Palaver's :class:`~palaver.scenarios.ScenarioStats` keeps every Pareto-optimal
outcome in ``pareto_utils`` (a numpy array) and ``pareto_outcomes``, also
those that give some party less than its reserved value: the frontier is a
property of the preferences and does not move when a reserved value changes.
NegMAS's ``calc_scenario_stats`` keeps only the *rational* frontier (every
party gets at least its reserved value), holds its utilities as a tuple of
tuples ordered by decreasing welfare, and takes its max-welfare points on
that frontier.
:class:`RationalFrontierStats` is that view over Palaver's statistics;
``palaver.negmas.calc_scenario_stats`` returns one, while
``Scenario.stats``/``Scenario.calc_stats()`` stay Palaver's. Everything else
(the solution points, opposition, ranges) is read from the statistics it
wraps, and the optimality scores are the same for both (they use the rational
frontier already).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from palaver._util.checks import check_bool
from palaver.outcomes import Outcome
from palaver.preferences import SolutionPoint
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.stats import ScenarioStats, calc_scenario_stats

__all__ = ["RationalFrontierStats", "negmas_scenario_stats"]


class RationalFrontierStats:
    """``stats`` with NegMAS's frontier: only the points that give every party at
    least its reserved value.

    ``pareto_utils`` is a tuple of utility tuples ordered by decreasing
    welfare (as NegMAS orders it; Palaver's by the first party's utility),
    ``pareto_outcomes`` a list and ``pareto_indices`` the matching positions; :meth:`to_dict` and
    :meth:`pareto_distance` use that frontier. Any other attribute is the one
    of :attr:`base`, the Palaver statistics wrapped.
    """

    __slots__ = ("_base", "_keep")

    def __init__(self, stats: ScenarioStats) -> None:
        if not isinstance(stats, ScenarioStats):
            raise ScenarioError(
                f"RationalFrontierStats wraps a ScenarioStats, got {type(stats).__name__}"
            )
        reserved = np.asarray(stats.reserved_values, dtype=float)
        rows = np.asarray(stats.pareto_utils, dtype=float).reshape(-1, len(reserved))
        self._base = stats
        keep = np.flatnonzero((rows >= reserved).all(axis=1))
        # NegMAS orders its frontier by decreasing welfare (ties keep Palaver's order)
        self._keep = keep[np.argsort(-rows[keep].sum(axis=1), kind="stable")]

    @property
    def base(self) -> ScenarioStats:
        """The Palaver statistics (their frontier keeps the irrational points)."""
        return self._base

    @property
    def pareto_indices(self) -> np.ndarray:
        """The rational frontier's positions in the outcomes the stats were computed on."""
        return np.asarray(self._base.pareto_indices)[self._keep]

    @property
    def pareto_utils(self) -> tuple[tuple[float, ...], ...]:
        """The rational frontier's utilities, ordered by decreasing welfare (utility sum)."""
        rows = self._base.pareto_utils
        return tuple(tuple(float(x) for x in rows[i]) for i in self._keep.tolist())

    @property
    def pareto_outcomes(self) -> list[Outcome]:
        """The rational frontier's outcomes, in the order of :attr:`pareto_utils`."""
        return [self._base.pareto_outcomes[i] for i in self._keep.tolist()]

    @property
    def has_pareto_frontier(self) -> bool:
        """Whether some Pareto-optimal outcome is rational."""
        return len(self._keep) > 0

    @property
    def max_welfare(self) -> tuple[SolutionPoint, ...]:
        """The rational frontier's points of the highest utility sum (NegMAS's max
        welfare; Palaver's stats take it over every outcome)."""
        rows = self._base.pareto_utils
        keep = self._keep.tolist()
        if not keep:
            return ()
        sums = [float(np.sum(rows[i])) for i in keep]
        best = max(sums)
        tol = 1e-12 * max(1.0, abs(best))
        indices = np.asarray(self._base.pareto_indices)
        return tuple(
            SolutionPoint(
                self._base.pareto_outcomes[i],
                tuple(float(x) for x in rows[i]),
                int(indices[i]),
            )
            for i, total in zip(keep, sums, strict=True)
            if total >= best - tol
        )

    @property
    def max_welfare_utils(self) -> list[tuple[float, ...]]:
        """The utilities of every :attr:`max_welfare` point."""
        return [p.utilities for p in self.max_welfare]

    @property
    def max_welfare_outcomes(self) -> list[Outcome]:
        """The outcomes of every :attr:`max_welfare` point."""
        return [p.outcome for p in self.max_welfare]

    def to_dict(
        self,
        include_pareto_frontier: bool = True,
        include_pareto_utils: bool | None = None,
        include_pareto_outcomes: bool | None = None,
    ) -> dict[str, Any]:
        """:meth:`ScenarioStats.to_dict` with the rational frontier."""
        out = self._base.to_dict(
            include_pareto_frontier, include_pareto_utils, include_pareto_outcomes
        )
        if out["pareto_utils"]:
            out["pareto_utils"] = [list(row) for row in self.pareto_utils]
        if out["pareto_outcomes"]:
            out["pareto_outcomes"] = [list(o) for o in self.pareto_outcomes]
        return out

    def pareto_distance(self, utilities: Sequence[float]) -> float:
        """The distance from one utility vector to the nearest rational frontier point
        (``inf`` without one)."""
        point = tuple(float(u) for u in utilities)
        if len(point) != len(self._base.reserved_values):
            raise ScenarioError(
                f"pareto_distance: utilities must have {len(self._base.reserved_values)} "
                f"values, got {utilities!r}"
            )
        return min((math.dist(point, p) for p in self.pareto_utils), default=math.inf)

    def __getattr__(self, name: str) -> Any:
        # Only reached for names this view does not define; private ones are not
        # forwarded so copying and pickling see this class as it is.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._base, name)

    def __repr__(self) -> str:
        return (
            f"RationalFrontierStats({len(self._keep)} rational frontier points of {self._base!r})"
        )


def negmas_scenario_stats(
    ufuns: Sequence[Any],
    outcomes: Sequence[Outcome] | None = None,
    eps: float = 1e-12,
    convex_hull: bool = False,
) -> RationalFrontierStats:
    """NegMAS's ``calc_scenario_stats``: :func:`~palaver.scenarios.calc_scenario_stats`
    (same arguments and refusals) seen through :class:`RationalFrontierStats`;
    with ``convex_hull=True``, through
    :class:`~palaver.scenarios.negmas_hull_stats.ConvexHullStats` (two parties)."""
    # checked here: Palaver's calc_scenario_stats refuses anything but False
    # with advice to call this very function
    hull = check_bool("calc_scenario_stats: convex_hull", convex_hull, type_error=ScenarioError)
    if hull:
        # negmas_hull_stats builds on this module's view: imported here, not above.
        from palaver.scenarios.negmas_hull_stats import ConvexHullStats

        return ConvexHullStats(calc_scenario_stats(ufuns, outcomes, eps), ufuns)
    return RationalFrontierStats(calc_scenario_stats(ufuns, outcomes, eps))

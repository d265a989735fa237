"""NegMAS's statistics over mixtures of outcomes (``calc_scenario_stats(convex_hull=True)``).

When any lottery over outcomes may be agreed, NegMAS's statistics take the
frontier of the convex hull of the outcomes' utilities (``P∞``, see
:func:`~palaver.preferences.pareto_frontier_convex_hull`) and its Nash, Kalai
and Kalai-Smorodinsky points over that hull: points a lottery reaches, which
no single outcome may give, so their ``*_outcomes`` lists are empty.
:class:`ConvexHullStats` is that view over Palaver's statistics of single
outcomes, for two parties (the solutions are exact there, see
:mod:`palaver.preferences.convex_solutions`); ``palaver.negmas.calc_scenario_stats(...,
convex_hull=True)`` returns one. ``Scenario.stats`` stays the statistics of
single outcomes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from palaver.outcomes import Outcome
from palaver.preferences import (
    dist_to_convex_hull_frontier,
    kalai_point_convex_hull,
    ks_point_convex_hull,
    max_relative_welfare_points,
    nash_point_convex_hull,
    pareto_frontier_convex_hull,
)
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.negmas_stats import RationalFrontierStats
from palaver.scenarios.stats import ScenarioStats

__all__ = ["ConvexHullStats"]

_SOLUTIONS = ("nash", "kalai", "modified_kalai", "ks", "modified_ks")


class ConvexHullStats(RationalFrontierStats):
    """``stats`` (two parties) seen as NegMAS's convex-hull (``P∞``) statistics.

    ``pareto_utils`` / ``pareto_outcomes`` / ``pareto_indices`` are the
    ``P∞`` frontier's points, by decreasing welfare (rational or not, as in
    NegMAS); ``nash_utils``, ``kalai_utils``, ``ks_utils``,
    ``modified_kalai_utils`` and ``modified_ks_utils`` hold the one point of
    each over the hull, and their ``*_outcomes`` are empty; ``max_welfare``
    and ``max_relative_welfare`` are taken on the ``P∞`` points (a linear
    score is best at one of them); :meth:`pareto_distance` measures to the
    hull's boundary, segments included. The disagreement point is a party's
    reserved value when finite and within its utility range, else the
    range's low end. Palaver's own fields (``nash``, ``kalai``, ...: single
    outcomes) and everything else are those of :attr:`base`.
    """

    __slots__ = ("_points", "_relative")

    def __init__(
        self, stats: ScenarioStats, ufuns: Sequence[Any], *, where: str = "calc_scenario_stats"
    ) -> None:
        """``where``: the function the user called, named by the error for three parties."""
        super().__init__(stats)
        if len(stats.reserved_values) != 2 or len(ufuns) != 2:
            raise ScenarioError(
                f"{where}: convex_hull=True is computed for two parties only, got "
                f"{len(stats.reserved_values)}"
            )
        rows = np.asarray(stats.pareto_utils, dtype=float).reshape(-1, 2)
        self._keep = pareto_frontier_convex_hull(rows, sort_by_welfare=True)
        ranges = [(float(lo), float(hi)) for lo, hi in stats.utility_ranges]
        # Given the ufuns, the solutions take their reserved values as the
        # disagreement point (without, NegMAS's rule counts every one as 0).
        parties = list(ufuns)
        found = {
            "nash": nash_point_convex_hull(parties, rows, ranges=ranges),
            "kalai": kalai_point_convex_hull(parties, rows, ranges=ranges),
            "modified_kalai": kalai_point_convex_hull(
                parties, rows, ranges=ranges, subtract_reserved_value=False
            ),
            "ks": ks_point_convex_hull(parties, rows, ranges=ranges),
            "modified_ks": ks_point_convex_hull(
                parties, rows, ranges=ranges, subtract_reserved_value=False
            ),
        }
        self._points = {name: [m[0]] if m[0] else [] for name, m in found.items()}
        relative = max_relative_welfare_points(list(ufuns), self.pareto_utils, ranges=ranges)
        self._relative = [self._keep[i] for _, i in relative]

    @property
    def convex_hull(self) -> bool:
        """True: these are statistics of mixtures of outcomes."""
        return True

    @property
    def nash_utils(self) -> list[tuple[float, ...]]:
        """The Nash point over the hull (empty when no mixture gains for both)."""
        return list(self._points["nash"])

    @property
    def kalai_utils(self) -> list[tuple[float, ...]]:
        """The egalitarian point over the hull."""
        return list(self._points["kalai"])

    @property
    def modified_kalai_utils(self) -> list[tuple[float, ...]]:
        """The egalitarian point over the hull, gains measured from 0."""
        return list(self._points["modified_kalai"])

    @property
    def ks_utils(self) -> list[tuple[float, ...]]:
        """The Kalai-Smorodinsky point over the hull."""
        return list(self._points["ks"])

    @property
    def modified_ks_utils(self) -> list[tuple[float, ...]]:
        """The Kalai-Smorodinsky point over the hull, gains measured from 0."""
        return list(self._points["modified_ks"])

    @property
    def nash_outcomes(self) -> list[Outcome]:
        """Empty: a point over the hull is a lottery, not an outcome (as in NegMAS)."""
        return []

    kalai_outcomes = modified_kalai_outcomes = ks_outcomes = modified_ks_outcomes = nash_outcomes

    @property
    def max_relative_welfare_utils(self) -> list[tuple[float, ...]]:
        """The ``P∞`` points of the highest sum of relative utilities."""
        rows = self.base.pareto_utils
        return [tuple(float(x) for x in rows[i]) for i in self._relative]

    @property
    def max_relative_welfare_outcomes(self) -> list[Outcome]:
        """The outcomes of :attr:`max_relative_welfare_utils`."""
        return [self.base.pareto_outcomes[i] for i in self._relative]

    def to_dict(
        self,
        include_pareto_frontier: bool = True,
        include_pareto_utils: bool | None = None,
        include_pareto_outcomes: bool | None = None,
    ) -> dict[str, Any]:
        """The statistics as plain data, with ``"convex_hull": True`` and the
        points over the hull (``"outcome": None``)."""
        out = super().to_dict(
            include_pareto_frontier, include_pareto_utils, include_pareto_outcomes
        )
        out["convex_hull"] = True
        keys = {"ks": "kalai_smorodinsky", "modified_ks": "modified_kalai_smorodinsky"}
        for name in _SOLUTIONS:
            points = self._points[name]
            out[keys.get(name, name)] = (
                {"outcome": None, "utilities": list(points[0])} if points else None
            )
        out["max_welfare"] = [
            {"outcome": list(p.outcome), "utilities": list(p.utilities)} for p in self.max_welfare
        ]
        out["max_relative_welfare"] = [
            {"outcome": list(o), "utilities": list(u)}
            for o, u in zip(
                self.max_relative_welfare_outcomes, self.max_relative_welfare_utils, strict=True
            )
        ]
        return out

    def pareto_distance(self, utilities: Sequence[float]) -> float:
        """The distance from one utility vector to the hull's efficient boundary
        (``inf`` without a frontier)."""
        point = tuple(float(u) for u in utilities)
        if len(point) != 2:
            raise ScenarioError(f"pareto_distance: utilities must have 2 values, got {utilities!r}")
        if not self.has_pareto_frontier:
            return math.inf
        return dist_to_convex_hull_frontier(point, self.pareto_utils)

    def __repr__(self) -> str:
        return f"ConvexHullStats({len(self._keep)} P∞ frontier points of {self.base!r})"

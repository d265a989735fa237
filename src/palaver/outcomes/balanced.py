"""NegMAS's utility-aware ("balanced") discretizers.

Each selects outcomes from a dense pool of candidates so that the selection
is spread over the utilities of one or more utility functions:

- the pool: a discrete space's outcomes, or a continuous space on a grid of
  100 values per continuous issue, shrunk (evenly, deterministically) to
  ``max_candidates`` outcomes;
- bins: each utility function's range is cut into ``n_bins`` bins, of equal
  frequency (quantiles: the *variance* discretizers, where crowded utilities
  get more of the selection) or of equal width (the *outcome counts* ones,
  which flatten the utilities of the selection); with several utility
  functions an outcome's cell is its tuple of bins;
- the budget ``max_outcomes`` is shared as evenly as possible between the
  non-empty cells, what a small cell cannot take going to the others (so the
  budget is met whenever there are enough candidates); without a budget every
  cell gives as many as the smallest has. Within a cell, outcomes evenly
  spaced in the order of their (mean) utility are taken, from the lowest.

The result is a :class:`~palaver.outcomes.SubsetCartesianOutcomeSpace`. With
``full_grid=True`` it is instead an ordinary space over the issues (every
combination of the kept values, no holes): the number of values per issue is
fixed by ``min_levels`` and ``max_outcomes``, and coordinate descent chooses
which values, so that the grid's outcomes fill the pool's bins as evenly as
possible (NegMAS's ``grid_optimizer="coordinate"``; its ``"scipy"`` backend,
differential evolution, is not provided: Palaver does not depend on scipy).
Everything is deterministic.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from palaver.outcomes.base import Issue
from palaver.outcomes.discretizers import (
    DISCRETIZERS,
    BaseDiscretizer,
    GridBasedDiscretizer,
    balanced_levels,
    grid_indices,
    limit_cardinality,
    listed_issue,
)
from palaver.outcomes.space import Outcome, OutcomeSpace
from palaver.outcomes.subset import SubsetCartesianOutcomeSpace

__all__ = [
    "BalancedOutcomeCountsInUFunBinsDiscretizer",
    "BalancedOutcomeCountsInUFunsBinsDiscretizer",
    "BalancedUFunVarianceDiscretizer",
    "BalancedUFunsVarianceDiscretizer",
    "BaseBalancedDiscretizer",
]

#: The most candidate outcomes the selection is made from, by default.
DEFAULT_MAX_CANDIDATES = 10_000
#: Values per continuous issue in the pool of candidates.
DENSE_LEVELS = 100


class BaseBalancedDiscretizer(BaseDiscretizer):
    """The shared selection of the balanced discretizers (see the module)."""

    #: ``"quantile"`` (equal-frequency bins) or ``"equal_width"``.
    binning = "quantile"

    def __init__(
        self,
        ufuns: Sequence[Callable[[Outcome], float]],
        n_bins: int,
        max_outcomes: int | None = None,
        min_levels: int | None = None,
        *,
        max_candidates: int = DEFAULT_MAX_CANDIDATES,
        full_grid: bool = False,
        grid_optimizer: str = "coordinate",
        max_opt_iters: int = 50,
    ) -> None:
        super().__init__(max_outcomes, min_levels)
        self.ufuns = list(ufuns)
        if not self.ufuns:
            raise ValueError("ufuns: at least one utility function is required, got none")
        for name, value in (
            ("n_bins", n_bins),
            ("max_candidates", max_candidates),
            ("max_opt_iters", max_opt_iters),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an int >= 1, got {value!r}")
        if grid_optimizer != "coordinate":
            raise ValueError(
                f"grid_optimizer must be 'coordinate', got {grid_optimizer!r} (NegMAS's "
                "'scipy' backend is not provided: Palaver does not depend on scipy)"
            )
        self.n_bins = n_bins
        self.max_candidates = max_candidates
        self.full_grid = bool(full_grid)
        self.grid_optimizer = grid_optimizer
        self.max_opt_iters = max_opt_iters

    def candidates(self, outcome_space: OutcomeSpace) -> OutcomeSpace:
        """The discrete space whose outcomes the selection is made from."""
        pool = outcome_space
        if not pool.is_discrete:
            pool = GridBasedDiscretizer(self.max_candidates, DENSE_LEVELS)(pool)
        if pool.cardinality > self.max_candidates:
            pool = limit_cardinality(pool, self.max_candidates)
        return pool

    def utilities(self, outcomes: list[Outcome]) -> np.ndarray:
        """One column per utility function: their utilities of ``outcomes``."""
        columns = []
        for f in self.ufuns:
            many = getattr(f, "eval_many", None)
            if many is not None:
                columns.append(np.asarray(many(outcomes), dtype=float))
            else:
                columns.append(np.array([float(f(o)) for o in outcomes], dtype=float))
        return np.column_stack(columns) if columns else np.empty((len(outcomes), 0))

    def edges(self, values: np.ndarray) -> np.ndarray | None:
        """The bin edges of ``values`` (``None``: one bin)."""
        if self.n_bins == 1 or len(values) == 0:
            return None
        low, high = float(values.min()), float(values.max())
        if not high > low:
            return None
        if self.binning == "equal_width":
            return np.linspace(low, high, self.n_bins + 1)
        found = np.unique(np.quantile(values, np.linspace(0.0, 1.0, self.n_bins + 1)))
        return found if len(found) >= 2 else None

    @staticmethod
    def digitize(values: np.ndarray, edges: np.ndarray | None) -> np.ndarray:
        """The bin of each value (the highest value in the last bin)."""
        if edges is None:
            return np.zeros(len(values), dtype=int)
        bins: np.ndarray = np.clip(np.digitize(values, edges[1:-1]), 0, len(edges) - 2)
        return bins

    def __call__(self, outcome_space: OutcomeSpace) -> OutcomeSpace:
        pool = self.candidates(outcome_space)
        outcomes = pool.enumerate()
        if not outcomes:
            return SubsetCartesianOutcomeSpace(pool.issues, (), outcome_space.name)
        utils = self.utilities(outcomes)
        if self.full_grid:
            return self._grid(pool, outcomes, utils, outcome_space.name)
        return SubsetCartesianOutcomeSpace(
            pool.issues, self._select(outcomes, utils), outcome_space.name
        )

    def _select(self, outcomes: list[Outcome], utils: np.ndarray) -> list[Outcome]:
        cells: dict[tuple[int, ...], list[int]] = {}
        bins = np.column_stack(
            [self.digitize(utils[:, d], self.edges(utils[:, d])) for d in range(utils.shape[1])]
        )
        for i, key in enumerate(map(tuple, bins.tolist())):
            cells.setdefault(key, []).append(i)
        members = list(cells.values())
        sizes = [len(m) for m in members]
        if self.max_outcomes is None:
            counts = [min(sizes)] * len(sizes)
        else:
            counts = share_budget(sizes, self.max_outcomes)
        mean = utils.mean(axis=1)
        selected: list[Outcome] = []
        for group, k in zip(members, counts, strict=True):
            ordered = sorted(group, key=lambda i: (mean[i], i))
            selected.extend(outcomes[ordered[j]] for j in _spread(len(ordered), k))
        return selected

    def _grid(
        self, pool: OutcomeSpace, outcomes: list[Outcome], utils: np.ndarray, name: str | None
    ) -> OutcomeSpace:
        values = [list(issue.all_values) for issue in pool.issues]
        caps = [len(v) if self.min_levels is None else min(len(v), self.min_levels) for v in values]
        caps = [max(1, c) for c in caps]
        kept = caps if self.max_outcomes is None else balanced_levels(caps, self.max_outcomes)
        edges = [self.edges(utils[:, d]) for d in range(utils.shape[1])]
        sizes = [1 if e is None else len(e) - 1 for e in edges]
        cells = math.prod(sizes)
        # A plain pool holds every combination of its issues' values: look them up.
        table = {o: utils[i] for i, o in enumerate(outcomes)}

        def utility(o: Outcome) -> np.ndarray:
            found: np.ndarray | None = table.get(o)
            if found is None:
                found = table[o] = self.utilities([o])[0]
            return found

        def imbalance(chosen: list[list[int]]) -> float:
            kept_values = [[vals[j] for j in c] for vals, c in zip(values, chosen, strict=True)]
            grid = list(itertools.product(*kept_values))
            u = np.array([utility(o) for o in grid], dtype=float).reshape(len(grid), -1)
            flat = np.zeros(len(grid), dtype=int)
            for d, (e, n) in enumerate(zip(edges, sizes, strict=True)):
                flat = flat * n + self.digitize(u[:, d], e)
            counts = np.bincount(flat, minlength=cells).astype(float)
            return float(((counts - len(grid) / cells) ** 2).sum())

        chosen = [grid_indices(len(v), k) for v, k in zip(values, kept, strict=True)]
        if cells > 1:
            chosen = coordinate_descent(
                chosen, [len(v) for v in values], imbalance, self.max_opt_iters
            )
        issues: list[Issue] = [
            listed_issue([vals[j] for j in sorted(c)], issue.name)
            for vals, c, issue in zip(values, chosen, pool.issues, strict=True)
        ]
        return OutcomeSpace(issues, name)


def _spread(n: int, k: int) -> list[int]:
    """At most ``k`` positions among ``n``, evenly spaced from the first (NegMAS's
    picks within a bin: one is the lowest utility, two the lowest and highest)."""
    if k <= 0:
        return []
    if k == 1:
        return [0]
    return grid_indices(n, k)


def share_budget(sizes: list[int], budget: int) -> list[int]:
    """``min(budget, sum(sizes))`` slots shared as evenly as possible between
    groups of ``sizes``, none getting more than its size."""
    counts = [0] * len(sizes)
    left = min(budget, sum(sizes))
    while left > 0:
        open_ = [i for i, s in enumerate(sizes) if counts[i] < s]
        share = left // len(open_)
        if share == 0:
            # Fewer slots than open groups: the largest spare capacity first.
            for i in sorted(open_, key=lambda j: (counts[j] - sizes[j], j))[:left]:
                counts[i] += 1
            break
        for i in open_:
            give = min(share, sizes[i] - counts[i])
            counts[i] += give
            left -= give
    return counts


def coordinate_descent(
    chosen: list[list[int]],
    sizes: list[int],
    cost: Callable[[list[list[int]]], float],
    max_rounds: int,
) -> list[list[int]]:
    """``chosen`` (positions kept per issue) improved by replacing one position
    at a time with one not kept, keeping strict improvements of ``cost``,
    until a round changes nothing or after ``max_rounds`` rounds."""
    best = cost(chosen)
    for _ in range(max_rounds):
        improved = False
        for i, size in enumerate(sizes):
            for slot in range(len(chosen[i])):
                for candidate in range(size):
                    if candidate in chosen[i]:
                        continue
                    trial = [list(c) for c in chosen]
                    trial[i][slot] = candidate
                    value = cost(trial)
                    if value < best:
                        best, chosen, improved = value, trial, True
        if not improved:
            break
    return chosen


class BalancedUFunVarianceDiscretizer(BaseBalancedDiscretizer):
    """Equal-frequency (quantile) bins of one utility function's utilities."""

    binning = "quantile"

    def __init__(self, ufun: Callable[[Outcome], float], n_bins: int, *args: Any, **kwargs: Any):
        super().__init__([ufun], n_bins, *args, **kwargs)


class BalancedUFunsVarianceDiscretizer(BaseBalancedDiscretizer):
    """Equal-frequency bins of each of several utility functions, jointly."""

    binning = "quantile"


class BalancedOutcomeCountsInUFunBinsDiscretizer(BaseBalancedDiscretizer):
    """Equal-width bins of one utility function, the same count taken from each."""

    binning = "equal_width"

    def __init__(self, ufun: Callable[[Outcome], float], n_bins: int, *args: Any, **kwargs: Any):
        super().__init__([ufun], n_bins, *args, **kwargs)


class BalancedOutcomeCountsInUFunsBinsDiscretizer(BaseBalancedDiscretizer):
    """Equal-width bins of each of several utility functions, jointly."""

    binning = "equal_width"


DISCRETIZERS.update(
    balanced_ufun_variance=BalancedUFunVarianceDiscretizer,
    balanced_ufuns_variance=BalancedUFunsVarianceDiscretizer,
    balanced_outcome_counts_in_ufun_bins=BalancedOutcomeCountsInUFunBinsDiscretizer,
    balanced_outcome_counts_in_ufuns_bins=BalancedOutcomeCountsInUFunsBinsDiscretizer,
)

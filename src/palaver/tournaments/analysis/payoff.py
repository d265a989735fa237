"""The empirical payoff table of a bilateral tournament.

Every game-theoretic analysis of a tournament (EGTA evaluation, sequential
elimination, replicator dynamics, regret) reads one square matrix: ``M[i, j]``
is what strategy ``i`` got, aggregated over scenarios, repetitions and roles,
when it negotiated against strategy ``j``. The matrix is built from *records*
(see :mod:`palaver.tournaments.analysis.records`): one row per negotiator side
with at least ``strategy``, ``partner`` and the metric.

A cell with no data is NaN. The diagonal (self-play) is what EGTA and the
elimination ranking compare against, so :func:`build_payoff_table` refuses a
table without it unless ``require_self_play=False``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from palaver._util.optional import frame_library

__all__ = ["PayoffTable", "build_payoff_table", "iterated_elimination"]

_STATS: dict[str, Callable[[np.ndarray], Any]] = {
    "mean": np.mean,
    "median": np.median,
    "std": np.std,
    "min": np.min,
    "max": np.max,
}


def pandas(wanted: str) -> Any:
    """pandas, or a clear error naming the extra that installs it."""
    return frame_library("pandas", wanted, "the analysis works on pandas frames")


@dataclass
class PayoffTable:
    """A square payoff matrix over ``strategies``: ``matrix[i, j]`` is the
    aggregated ``metric`` of ``strategies[i]`` against ``strategies[j]``.

    The matrix describes a symmetric game (either strategy may take either
    role) but is not a symmetric matrix: the row player's payoff is always
    ``matrix[row, column]``. ``counts`` holds how many values each cell
    aggregates; ``samples`` (when kept) the values themselves.
    """

    strategies: list[str]
    matrix: np.ndarray
    counts: np.ndarray
    metric: str
    stat: str
    samples: dict[tuple[str, str], np.ndarray] | None = field(default=None)

    @property
    def n(self) -> int:
        """The number of strategies."""
        return len(self.strategies)

    def index(self, strategy: str) -> int:
        """The row (and column) of ``strategy``; a ``ValueError`` if it is not in the table."""
        try:
            return self.strategies.index(strategy)
        except ValueError:
            raise ValueError(
                f"{strategy!r} is not a strategy of this payoff table ({self.strategies})"
            ) from None

    def has_missing(self) -> bool:
        """Whether some pair of strategies never met (a NaN cell)."""
        return bool(np.isnan(self.matrix).any())

    def to_frame(self) -> Any:
        """The matrix as a pandas frame indexed (rows and columns) by strategy."""
        pd = pandas("PayoffTable.to_frame")
        return pd.DataFrame(self.matrix, index=self.strategies, columns=self.strategies)

    def restrict(self, strategies: Sequence[str]) -> PayoffTable:
        """A new table over ``strategies`` only (in that order)."""
        names = list(strategies)
        idx = [self.index(s) for s in names]
        keep = set(names)
        samples = None
        if self.samples is not None:
            samples = {k: v for k, v in self.samples.items() if k[0] in keep and k[1] in keep}
        return PayoffTable(
            strategies=names,
            matrix=self.matrix[np.ix_(idx, idx)].copy(),
            counts=self.counts[np.ix_(idx, idx)].copy(),
            metric=self.metric,
            stat=self.stat,
            samples=samples,
        )


def build_payoff_table(
    records: Any,
    metric: str = "advantage",
    stat: str = "mean",
    strategies: Sequence[str] | None = None,
    keep_samples: bool = False,
    require_self_play: bool = True,
) -> PayoffTable:
    """The :class:`PayoffTable` of ``records`` (a frame with ``strategy``,
    ``partner`` and ``metric`` columns).

    Args:
        records: one row per negotiator side (see ``load_records``).
        metric: the column aggregated (``advantage``, ``utility``, ...).
        stat: ``mean``, ``median``, ``std``, ``min`` or ``max``; NaN values are
            left out of each cell.
        strategies: the rows in this order (others are ignored); default: every
            strategy and partner, sorted by name.
        keep_samples: keep each cell's values in ``PayoffTable.samples``.
        require_self_play: raise a ``ValueError`` naming the strategies whose
            self-play cell is empty (EGTA and sequential elimination need it).
    """
    for column in ("strategy", "partner", metric):
        if column not in records.columns:
            raise ValueError(
                f"records lack the column {column!r} (metric={metric!r}); "
                f"they have {list(records.columns)}"
            )
    if stat not in _STATS:
        raise ValueError(f"stat must be one of {sorted(_STATS)}, got {stat!r}")
    aggregate = _STATS[stat]
    names = (
        sorted(set(records["strategy"]) | set(records["partner"]))
        if strategies is None
        else list(strategies)
    )
    pos = {s: i for i, s in enumerate(names)}
    n = len(names)
    matrix = np.full((n, n), np.nan)
    counts = np.zeros((n, n), dtype=int)
    samples: dict[tuple[str, str], np.ndarray] | None = {} if keep_samples else None
    for (s, p), values in records.groupby(["strategy", "partner"], sort=True)[metric]:
        if s not in pos or p not in pos:
            continue
        x = values.to_numpy(dtype=float)
        x = x[~np.isnan(x)]
        if x.size == 0:
            continue
        matrix[pos[s], pos[p]] = float(aggregate(x))
        counts[pos[s], pos[p]] = x.size
        if samples is not None:
            samples[(s, p)] = x
    if require_self_play:
        missing = [names[i] for i in range(n) if np.isnan(matrix[i, i])]
        if missing:
            raise ValueError(
                f"no self-play data for {missing}: EGTA evaluation and sequential "
                "elimination need the diagonal of the payoff matrix (run the "
                "tournament with self_play=True, or pass require_self_play=False)"
            )
    return PayoffTable(names, matrix, counts, metric, stat, samples)


def iterated_elimination(payoff: PayoffTable) -> PayoffTable:
    """``payoff`` without its strictly dominated strategies, removed one at a
    time until none is left (the order of removal does not change the result
    for strict dominance).

    Strategy ``i`` is strictly dominated by ``k`` when ``M[k, j] > M[i, j]``
    for every remaining opponent ``j`` where both cells are known (and at
    least one is).
    """
    remaining = list(range(payoff.n))
    m = payoff.matrix
    removed = True
    while removed and len(remaining) > 1:
        removed = False
        for i in remaining:
            row_i = m[i, remaining]
            for k in remaining:
                if k == i:
                    continue
                row_k = m[k, remaining]
                known = ~(np.isnan(row_i) | np.isnan(row_k))
                if known.any() and bool(np.all(row_k[known] > row_i[known])):
                    remaining.remove(i)
                    removed = True
                    break
            if removed:
                break
    return payoff.restrict([payoff.strategies[i] for i in remaining])

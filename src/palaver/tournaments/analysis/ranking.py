"""Rankings of the strategies of a payoff table.

- :func:`tournament_evaluation_ranking`: by the mean of each row (every
  opponent, self included), the usual tournament score.
- :func:`sequential_elimination_ranking`: the strategy with the lowest mean
  against the strategies *still in* is removed and takes the last free rank,
  until one is left (de Jonge's sequential elimination). A uniformly weak
  strategy added to the field leaves first and changes nobody's order.

Both break ties by strategy name (alphabetical first ranks better in the
row-mean ranking, leaves first in the elimination), so a ranking is a
function of the table alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from palaver.tournaments.analysis.payoff import PayoffTable, pandas

__all__ = ["sequential_elimination_ranking", "tournament_evaluation_ranking"]


def _row_means(matrix: np.ndarray) -> np.ndarray:
    """Each row's mean over its known cells (NaN for a row with none), quietly."""
    known = ~np.isnan(matrix)
    counts = known.sum(axis=1)
    sums = np.where(known, matrix, 0.0).sum(axis=1)
    return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def tournament_evaluation_ranking(payoff: PayoffTable) -> Any:
    """Columns ``rank``, ``strategy``, ``score`` (row mean), best first."""
    pd = pandas("tournament_evaluation_ranking")
    frame = pd.DataFrame({"strategy": payoff.strategies, "score": _row_means(payoff.matrix)})
    frame["_key"] = -frame["score"]
    frame = frame.sort_values(["_key", "strategy"], kind="stable", na_position="last")
    frame = frame.drop(columns="_key").reset_index(drop=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    return frame


def sequential_elimination_ranking(payoff: PayoffTable) -> Any:
    """Columns ``strategy``, ``rank`` (1 is the last one standing), best first.

    Each round scores every remaining strategy by its mean against the
    remaining ones (self-play included; unknown cells left out, a strategy
    with none scores lowest) and removes the lowest."""
    pd = pandas("sequential_elimination_ranking")
    remaining = list(range(payoff.n))
    ranks: dict[str, int] = {}
    while remaining:
        sub = payoff.matrix[np.ix_(remaining, remaining)]
        scores = np.nan_to_num(_row_means(sub), nan=-np.inf)
        lowest = scores.min()
        worst = min(
            (payoff.strategies[i] for i, s in zip(remaining, scores, strict=True) if s <= lowest)
        )
        ranks[worst] = len(remaining)
        remaining.remove(payoff.index(worst))
    order = sorted(ranks, key=ranks.__getitem__)
    return pd.DataFrame({"strategy": order, "rank": [ranks[s] for s in order]})

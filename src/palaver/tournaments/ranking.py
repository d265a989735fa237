"""Ranking competitors from per-agent scores: mean with 95% CI, pairwise win matrix.

One observation per (world, competitor): the mean score of the competitor's
agents in that world. Worlds are the independent units (their seeds differ), so
the confidence interval is a Student-t interval over worlds.

The computations need only numpy and pyarrow (the command line uses them as
they are); :func:`ranking` and :func:`win_matrix` wrap them in pandas frames.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from palaver._util.optional import frame_library

if TYPE_CHECKING:
    import pandas as pd


def _t_two_sided_mass(t: float, df: int) -> float:
    """P(|T| <= t) for Student's t with ``df`` degrees of freedom (exact finite series)."""
    theta = math.atan(t / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    if df % 2 == 1:
        term, total = math.cos(theta), 0.0
        if df > 1:
            total = term
            for k in range(1, (df - 3) // 2 + 1):
                term *= c2 * (2 * k) / (2 * k + 1)
                total += term
        return 2.0 / math.pi * (theta + math.sin(theta) * total)
    term, total = 1.0, 1.0
    for k in range(1, (df - 2) // 2 + 1):
        term *= c2 * (2 * k - 1) / (2 * k)
        total += term
    return math.sin(theta) * total


def t_critical(df: int, confidence: float = 0.95) -> float:
    """The two-sided Student-t critical value (1.96 as ``df`` grows) for ``confidence``."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be >= 1, got {df}")
    if df > 2000:
        # The series needs df/2 terms; this far out a two-term Cornish-Fisher
        # expansion around the normal quantile is exact to ~1e-7.
        from statistics import NormalDist

        z = NormalDist().inv_cdf(0.5 + confidence / 2)
        return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
    lo, hi = 0.0, 1.0
    while _t_two_sided_mass(hi, df) < confidence:
        hi *= 2
    for _ in range(100):
        mid = (lo + hi) / 2
        if _t_two_sided_mass(mid, df) < confidence:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


@dataclass(frozen=True)
class Standing:
    """One competitor's line of the ranking (see :func:`standings`)."""

    competitor: str
    mean: float
    ci_low: float
    ci_high: float
    std: float
    n_worlds: int
    n_agents: int


_SCORE_COLUMNS = ["world_id", "competitor", "score"]


def _as_table(scores: pa.Table | pd.DataFrame) -> pa.Table:
    # Checked here, the one entry of every ranking function: pyarrow and pandas
    # would fail with "'int' object is not subscriptable" or a bare KeyError.
    if isinstance(scores, pa.Table):
        names = list(scores.column_names)
    elif "pandas" in sys.modules and isinstance(scores, sys.modules["pandas"].DataFrame):
        # pandas is optional: a DataFrame exists only once it was imported.
        names = [str(c) for c in scores.columns]
    else:
        raise TypeError(
            "scores must be a pyarrow Table or a pandas DataFrame with the columns "
            f"{_SCORE_COLUMNS} (a results folder's scores), got {type(scores).__name__} "
            f"{scores!r:.80}"
        )
    missing = [c for c in _SCORE_COLUMNS if c not in names]
    if missing:
        raise ValueError(
            f"scores lacks the column(s) {missing}; it has {names[:20]} "
            f"(give a results folder's scores, with {_SCORE_COLUMNS})"
        )
    if isinstance(scores, pa.Table):
        return scores.select(_SCORE_COLUMNS)
    return pa.Table.from_pandas(scores[_SCORE_COLUMNS], preserve_index=False)


def per_world_scores(scores: pa.Table | pd.DataFrame) -> tuple[list[str], np.ndarray]:
    """Competitor names and a worlds x competitors array of mean agent scores (NaN: absent)."""
    table = _as_table(scores)
    means = table.group_by(["world_id", "competitor"]).aggregate([("score", "mean")])
    competitors = sorted(set(means.column("competitor").to_pylist()))
    worlds = sorted(set(means.column("world_id").to_pylist()))
    row = {w: i for i, w in enumerate(worlds)}
    col = {c: j for j, c in enumerate(competitors)}
    values = np.full((len(worlds), len(competitors)), np.nan)
    for w, c, v in zip(
        means.column("world_id").to_pylist(),
        means.column("competitor").to_pylist(),
        means.column("score_mean").to_pylist(),
        strict=True,
    ):
        values[row[w], col[c]] = v
    return competitors, values


def standings(scores: pa.Table | pd.DataFrame) -> list[Standing]:
    """Competitors by mean score over worlds, best first, with a 95% Student-t interval.

    Each world contributes one value per competitor (the mean of its agents'
    scores there). With a single world the interval and spread are NaN.
    """
    table = _as_table(scores)
    competitors, values = per_world_scores(table)
    agents = table.group_by("competitor").aggregate([("score", "count")]).to_pydict()
    n_agents = dict(zip(agents["competitor"], agents["score_count"], strict=True))
    rows = []
    for j, competitor in enumerate(competitors):
        column = values[:, j]
        column = column[~np.isnan(column)]
        n = len(column)
        mean = float(column.mean()) if n else math.nan
        std = float(column.std(ddof=1)) if n > 1 else math.nan
        half = t_critical(n - 1) * std / math.sqrt(n) if n > 1 else math.nan
        rows.append(
            Standing(competitor, mean, mean - half, mean + half, std, n, n_agents[competitor])
        )
    return sorted(rows, key=lambda r: (-r.mean, r.competitor))


def win_rates(scores: pa.Table | pd.DataFrame) -> tuple[list[str], np.ndarray]:
    """Competitors in ranking order and the matrix of row-beats-column win rates.

    Entry ``[i, j]`` is the share of worlds holding both competitors in which
    ``i`` scored higher than ``j``, a tie counting as half; a world where either
    score is NaN is left out (not a tie). NaN on the diagonal and for pairs that
    never met.
    """
    table = _as_table(scores)
    competitors, values = per_world_scores(table)
    order = [s.competitor for s in standings(table)]
    index = [competitors.index(c) for c in order]
    rates = np.full((len(order), len(order)), np.nan)
    for i, a in enumerate(index):
        for j, b in enumerate(index):
            both = ~np.isnan(values[:, a]) & ~np.isnan(values[:, b])
            if a != b and both.any():
                x, y = values[both, a], values[both, b]
                rates[i, j] = ((x > y).sum() + 0.5 * (x == y).sum()) / both.sum()
    return order, rates


def ranking(scores: pa.Table | pd.DataFrame) -> pd.DataFrame:
    """:func:`standings` as a pandas frame indexed by rank (1 = best).

    Columns: ``competitor``, ``mean``, ``ci_low``, ``ci_high``, ``std``,
    ``n_worlds``, ``n_agents``.
    """
    pd = frame_library("pandas", "ranking()", "standings() gives the same rows as dataclasses")

    frame = pd.DataFrame(
        [vars(s) for s in standings(scores)], columns=[f.name for f in fields(Standing)]
    )
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="rank")
    return frame


def win_matrix(scores: pa.Table | pd.DataFrame) -> pd.DataFrame:
    """:func:`win_rates` as a pandas frame: rows beat columns, in ranking order."""
    pd = frame_library("pandas", "win_matrix()", "win_rates() gives the same numbers as lists")

    order, rates = win_rates(scores)
    matrix = pd.DataFrame(rates, index=order, columns=order)
    matrix.index.name = "competitor"
    matrix.columns.name = "versus"
    return matrix

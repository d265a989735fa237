"""Plots of a tournament from plain tables, so any tournament's results can use them.

Every function takes a pandas DataFrame, a pyarrow Table or a mapping of
column name -> list; none needs a results folder. :func:`tournament_figures`
draws the usual set from a :class:`~palaver.tournaments.TournamentResults`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver.report.style import (
    PALETTE,
    SEQUENTIAL_CMAP,
    empty,
    expect,
    new_figure,
    series_style,
    tidy,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def columns(table: Any, names: Sequence[str]) -> dict[str, list[Any]]:
    """The named columns of a DataFrame, Arrow table or mapping, as lists.

    Raises ``ValueError`` naming the missing columns and the ones there are.
    """
    if hasattr(table, "column_names"):  # pyarrow
        have = list(table.column_names)
        kind = "arrow"
    elif hasattr(table, "columns") and hasattr(table, "to_dict"):  # pandas / polars
        have = [str(c) for c in table.columns]
        kind = "frame"
    elif isinstance(table, Mapping):
        have = [str(k) for k in table]
        kind = "frame"
    else:
        raise TypeError(f"expected a DataFrame, Arrow table or mapping, got {type(table).__name__}")
    missing = [n for n in names if n not in have]
    if missing:
        raise ValueError(f"the table lacks column(s) {missing}; it has {have}")
    if kind == "arrow":
        return {n: list(table.column(n).to_pylist()) for n in names}
    return {n: list(table[n]) for n in names}


def _mean_ci(values: np.ndarray) -> tuple[float, float, float]:
    from palaver.tournaments.ranking import t_critical

    n = len(values)
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = float(values.mean())
    if n == 1:
        return mean, mean, mean
    half = t_critical(n - 1) * float(values.std(ddof=1)) / math.sqrt(n)
    return mean, mean - half, mean + half


def plot_ranking(ranking: Any, title: str = "Ranking", xlabel: str | None = None) -> Figure:
    """Competitors with their score and 95% confidence interval, best on top.

    Takes a world tournament's ranking (columns ``competitor``, ``mean``,
    ``ci_low``, ``ci_high``: ``TournamentResults.ranking()``) or a negotiation
    tournament's (``competitor``, ``score``, ``ci_low``, ``ci_high`` and ``rank``:
    ``NegotiationTournamentResults.ranking()``). A ``rank`` column orders the rows
    (so a ranking by a distance, lower first, keeps its order; an unranked
    competitor comes last); without one the highest value is on top.
    """
    value = "mean" if "mean" in _column_names(ranking) else "score"
    data = columns(ranking, ["competitor", value, "ci_low", "ci_high"])
    ranks = columns(ranking, ["rank"])["rank"] if "rank" in _column_names(ranking) else None
    if xlabel is None:
        xlabel = "mean score per world" if value == "mean" else "score"
    n = len(data["competitor"])
    figure, axes = new_figure(6.4, max(2.2, 0.9 + 0.35 * n))
    if not n:
        empty(axes, "no finished world to rank")
        tidy(axes, title, xlabel, "competitor", legend=False)
        return figure
    if ranks is not None:
        # A competitor without a rank (nothing scored) is NaN: math.inf puts it last.
        order = sorted(range(n), key=lambda i: _finite(ranks[i], math.inf))
    else:
        order = sorted(range(n), key=lambda i: -_finite(data[value][i]))
    y = np.arange(n)[::-1]
    means = np.array([_finite(data[value][i]) for i in order])
    lows = np.array([_finite(data["ci_low"][i], means[k]) for k, i in enumerate(order)])
    highs = np.array([_finite(data["ci_high"][i], means[k]) for k, i in enumerate(order)])
    axes.errorbar(
        means,
        y,
        xerr=[means - lows, highs - means],
        fmt="o",
        color=PALETTE[0],
        ecolor=PALETTE[0],
        capsize=3,
        label=f"{value} and 95% CI",
    )
    axes.set_yticks(y, [str(data["competitor"][i]) for i in order], fontsize=8)
    tidy(axes, title, xlabel, "competitor")
    return figure


def _column_names(table: Any) -> list[str]:
    """The column names of a DataFrame, Arrow table or mapping (empty for anything else:
    :func:`columns` then says what was expected)."""
    if hasattr(table, "column_names"):
        return [str(c) for c in table.column_names]
    if hasattr(table, "columns") and hasattr(table, "to_dict"):
        return [str(c) for c in table.columns]
    if isinstance(table, Mapping):
        return [str(k) for k in table]
    return []


def _finite(value: Any, default: float = math.nan) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


def plot_score_distributions(
    scores: Any, value: str = "score", title: str = "Score distribution per competitor"
) -> Figure:
    """A box per competitor over the ``value`` column (one row per agent or per world),
    with the individual values as dots; competitors by median, best on top.

    A negotiation tournament's ``parties`` table has no ``score``: name its column,
    e.g. ``value="advantage"``.
    """
    have = _column_names(scores)
    if have and value not in have:
        raise ValueError(
            f"the table lacks column {value!r} (value={value!r}); it has {have}: "
            "give value= the column to draw"
        )
    data = columns(scores, ["competitor", value])
    groups: dict[str, list[float]] = {}
    for name, v in zip(data["competitor"], data[value], strict=True):
        number = _finite(v)
        if not math.isnan(number):
            groups.setdefault(str(name), []).append(number)
    figure, axes = new_figure(6.4, max(2.2, 0.9 + 0.35 * len(groups)))
    if not groups:
        empty(axes, "no scores yet")
        tidy(axes, title, value, "competitor", legend=False)
        return figure
    names = sorted(groups, key=lambda g: (float(np.median(groups[g])), g))
    boxes = [groups[g] for g in names]
    try:  # matplotlib >= 3.10 names the direction; older ones only know vert=False
        box = axes.boxplot(
            boxes, orientation="horizontal", widths=0.5, patch_artist=True, showfliers=False
        )
    except TypeError:
        box = axes.boxplot(boxes, vert=False, widths=0.5, patch_artist=True, showfliers=False)
    for i, patch in enumerate(box["boxes"]):
        patch.set_facecolor(series_style(i)["color"])
        patch.set_alpha(0.35)
    rng = np.random.default_rng(0)  # the same jitter every time: reproducible pictures
    for i, g in enumerate(names):
        jitter = rng.uniform(-0.15, 0.15, len(groups[g]))
        axes.scatter(
            groups[g],
            np.full(len(groups[g]), i + 1) + jitter,
            s=6,
            color=series_style(i)["color"],
            alpha=0.7,
            zorder=3,
        )
    axes.set_yticks(range(1, len(names) + 1), names, fontsize=8)
    tidy(axes, title, value, "competitor", legend=False)
    return figure


def plot_win_matrix(
    matrix: Any,
    names: Sequence[str] | None = None,
    title: str = "Win matrix\n(share of shared worlds the row beat the column)",
) -> Figure:
    """A heat map of a square matrix (a DataFrame indexed by competitor, e.g.
    ``TournamentResults.win_matrix()``, or an array with ``names``); NaN cells are blank."""
    if names is None:
        if not callable(getattr(matrix, "to_numpy", None)):  # a list's .index is a method
            raise TypeError(
                "matrix must be a DataFrame indexed by competitor, or an array with names=, "
                f"got {matrix!r} without names"
            )
        if not hasattr(matrix, "index"):  # a polars frame: columns, no row labels
            raise TypeError(
                f"matrix ({type(matrix).__name__}) has no index naming its rows: give "
                "names=, e.g. plot_win_matrix(frame.to_numpy(), names=frame.columns), "
                "or a pandas DataFrame indexed by competitor"
            )
        names = [str(n) for n in matrix.index]
        values = matrix.to_numpy()
    else:
        if isinstance(names, str) or not isinstance(names, Sequence):
            raise TypeError(f"names must be a list of competitor names, got {names!r}")
        values = matrix
    try:
        values = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        message = f"matrix must be a square table of numbers, got {matrix!r}: {exc}"
        raise TypeError(message) from None
    n = len(names)
    # A matrix of another size than the names was drawn with the wrong labels, or failed
    # deep in numpy ("'builtin_function_or_method' object is not iterable").
    if values.shape != (n, n) and not (n == 0 and values.size == 0):
        raise ValueError(
            f"matrix must be {n} x {n}, one row and column per name in {list(names)}, got shape "
            f"{values.shape}" + ("" if n else " (give names=, or a DataFrame indexed by name)")
        )
    figure, axes = new_figure(max(4.6, 1.8 + 0.6 * n), max(3.4, 1.4 + 0.5 * n))
    if not n:
        empty(axes, "no pairs met yet")
        axes.set_title(title, fontsize=10)
        return figure
    image = axes.imshow(np.ma.masked_invalid(values), cmap=SEQUENTIAL_CMAP, vmin=0, vmax=1)
    axes.set_xticks(range(n), names, rotation=45, ha="right", fontsize=8)
    axes.set_yticks(range(n), names, fontsize=8)
    for i in range(n):
        for j in range(n):
            if not math.isnan(values[i, j]):
                axes.text(
                    j,
                    i,
                    f"{values[i, j]:.2f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if values[i, j] < 0.5 else "black",
                )
    axes.set_xlabel("versus (column)")
    axes.set_ylabel("competitor (row)")
    axes.set_title(title, fontsize=10)
    figure.colorbar(image, ax=axes, label="win rate", shrink=0.8)
    return figure


def plot_metric_per_competitor(
    table: Any,
    metric: str,
    title: str | None = None,
    ylabel: str | None = None,
    lower_is_better: bool | None = None,
) -> Figure:
    """Mean of ``metric`` per competitor with a 95% Student-t interval, from any table
    with a ``competitor`` column (advantage, welfare, distance to Pareto, ...), the
    best on top. ``lower_is_better`` defaults to whether ``metric`` is a distance."""
    data = columns(table, ["competitor", metric])
    groups: dict[str, list[float]] = {}
    for name, v in zip(data["competitor"], data[metric], strict=True):
        number = _finite(v)
        if not math.isnan(number):
            groups.setdefault(str(name), []).append(number)
    figure, axes = new_figure(6.4, max(2.2, 0.9 + 0.35 * len(groups)))
    label = ylabel or metric.replace("_", " ")
    heading = title or f"{label} per competitor (mean, 95% CI)"
    if not groups:
        empty(axes, f"no values of {metric}")
        tidy(axes, heading, label, "competitor", legend=False)
        return figure
    stats = {g: _mean_ci(np.array(v)) for g, v in groups.items()}
    if lower_is_better is None:
        lower_is_better = metric.endswith("distance")
    sign = -1.0 if lower_is_better else 1.0
    names = sorted(stats, key=lambda g: (sign * stats[g][0], g))
    means = np.array([stats[g][0] for g in names])
    axes.errorbar(
        means,
        range(len(names)),
        xerr=[means - [stats[g][1] for g in names], [stats[g][2] for g in names] - means],
        fmt="o",
        color=PALETTE[2],
        capsize=3,
    )
    axes.set_yticks(range(len(names)), names, fontsize=8)
    tidy(axes, heading, label, "competitor", legend=False)
    return figure


def tournament_figures(results: Any) -> dict[str, Figure]:
    """The ranking, score distributions and win matrix of a tournament's results
    (computed with numpy and Arrow: pandas is not needed)."""
    expect(
        "results",
        results,
        ("table",),
        "a tournament's results (load a folder with palaver.tournaments.load_results(path))",
    )
    from palaver.tournaments import standings, win_rates

    scores = results.table("scores")
    ranked = [vars(s) for s in standings(scores)] if scores.num_rows else []
    table = {k: [row[k] for row in ranked] for k in ("competitor", "mean", "ci_low", "ci_high")}
    order, rates = win_rates(scores) if scores.num_rows else ([], np.empty((0, 0)))
    return {
        "Ranking": plot_ranking(table),
        "Score distributions": plot_score_distributions(scores),
        "Win matrix": plot_win_matrix(rates, order),
    }

"""Figures of a tournament's game-theoretic analysis
(:func:`palaver.tournaments.analysis.analyze_tournament`).

Each function draws one figure of a :class:`TournamentAnalysisReport` (or of a
part of it) and returns the matplotlib ``Figure``; :func:`save_analysis_plots`
writes all that apply as PNG files. It is the ``tournament_analysis`` plotter
(the ``palaver.plotters`` entry point), which ``analyze_tournament(...,
make_plots=True)`` calls without importing this layer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver._util.plotters import register_plotter
from palaver.report.style import PALETTE, SEQUENTIAL_CMAP, new_figure, series_style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from palaver.tournaments.analysis import PayoffTable, ReplicatorTrajectory

__all__ = [
    "plot_deviation_graph",
    "plot_payoff_heatmap",
    "plot_ranking",
    "plot_replicator_dynamics",
    "plot_scores_bar",
    "save_analysis_plots",
]


def plot_payoff_heatmap(payoff: PayoffTable) -> Figure:
    """The payoff table as a heat map, each cell labelled (blank: never met)."""
    n = payoff.n
    figure, ax = new_figure(1.2 + 0.9 * n, 1.0 + 0.8 * n)
    image = ax.imshow(np.ma.masked_invalid(payoff.matrix), cmap=SEQUENTIAL_CMAP)
    figure.colorbar(image, ax=ax, label=f"{payoff.stat} {payoff.metric}")
    ax.set_xticks(range(n), payoff.strategies, rotation=45, ha="right")
    ax.set_yticks(range(n), payoff.strategies)
    ax.set_xlabel("partner")
    ax.set_ylabel("strategy")
    for i in range(n):
        for j in range(n):
            if not np.isnan(payoff.matrix[i, j]):
                ax.text(j, i, f"{payoff.matrix[i, j]:.2f}", ha="center", va="center",
                        color="white", fontsize=8)  # fmt: skip
    ax.set_title("Payoff table")
    return figure


def plot_ranking(ranking: Any, title: str = "Ranking") -> Figure:
    """A ranking frame (``rank``, ``strategy`` and a ``score``/``regret`` column,
    if any) as horizontal bars, best at the top."""
    ordered = ranking.sort_values("rank")
    value = next((c for c in ("score", "regret", "deviation_payoff") if c in ordered), None)
    heights = ordered[value].to_numpy(float) if value else ordered["rank"].to_numpy(float)
    figure, ax = new_figure(6.4, 0.8 + 0.4 * len(ordered))
    positions = np.arange(len(ordered))[::-1]
    ax.barh(positions, heights, color=PALETTE[0])
    ax.set_yticks(
        positions, [f"{r}. {s}" for r, s in zip(ordered["rank"], ordered["strategy"], strict=True)]
    )
    ax.set_xlabel(value or "rank")
    ax.set_title(title)
    return figure


def plot_scores_bar(scores: Any, name_col: str = "strategy", value_col: str = "score",
                    title: str = "Tournament scores") -> Figure:  # fmt: skip
    """A ``name_col``/``value_col`` frame as vertical bars, highest first."""
    ordered = scores.sort_values(value_col, ascending=False)
    figure, ax = new_figure(1.5 + 0.8 * len(ordered), 3.6)
    ax.bar(ordered[name_col].astype(str), ordered[value_col].to_numpy(float), color=PALETTE[1])
    ax.tick_params(axis="x", labelrotation=45)
    ax.set_ylabel(value_col)
    ax.set_title(title)
    return figure


def plot_deviation_graph(payoff: PayoffTable) -> Figure:
    """Each strategy on a circle, an arrow from ``k`` to the best response to
    ``k`` when that is not ``k`` itself; a strategy without an outgoing arrow
    is a pure symmetric equilibrium (circled)."""
    n = payoff.n
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    xy = np.column_stack([np.cos(angles), np.sin(angles)])
    figure, ax = new_figure(5.0, 5.0)
    for k in range(n):
        column = payoff.matrix[:, k]
        if np.isnan(column).all():
            continue
        best = int(np.nanargmax(column))
        stable = not np.isnan(column[k]) and column[k] >= column[best]
        ax.plot(*xy[k], "o", ms=14, color=PALETTE[2] if stable else PALETTE[0],
                markeredgecolor="black" if stable else "none")  # fmt: skip
        if not stable:
            ax.annotate("", xy=xy[best] * 0.9, xytext=xy[k] * 0.9,
                        arrowprops={"arrowstyle": "->", "color": PALETTE[5]})  # fmt: skip
    for k, name in enumerate(payoff.strategies):
        ax.text(*(xy[k] * 1.2), name, ha="center", va="center", fontsize=8)
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.6, 1.6)
    ax.set_axis_off()
    ax.set_title("Best responses (circled: pure symmetric equilibria)")
    return figure


def plot_replicator_dynamics(trajectory: ReplicatorTrajectory) -> Figure:
    """Each strategy's population share over time (two panels for two populations)."""
    populations = [(trajectory.x, trajectory.strategies_x, "population")]
    if trajectory.y is not None and trajectory.strategies_y is not None:
        populations = [(trajectory.x, trajectory.strategies_x, "row population"),
                       (trajectory.y, trajectory.strategies_y, "column population")]  # fmt: skip
    figure, axes = new_figure(6.4 * len(populations), 3.6, ncols=len(populations))
    for ax, (shares, names, label) in zip(np.atleast_1d(axes), populations, strict=True):
        for i, name in enumerate(names):
            style = series_style(i)
            ax.plot(trajectory.times, shares[:, i], label=name, color=style["color"],
                    linestyle=style["linestyle"])  # fmt: skip
        ax.set_xlabel("time")
        ax.set_ylabel(f"share of the {label}")
        ax.set_ylim(-0.02, 1.02)
        ax.legend(fontsize=8)
    figure.suptitle("Replicator dynamics")
    return figure


def plot_significance(tests: Any, column: str = "p_bonferroni") -> Figure:
    """The pairwise tests' ``column`` p-values as a strategy-by-strategy heat map."""
    names = sorted(set(tests["strategy_a"]) | set(tests["strategy_b"]))
    pos = {s: i for i, s in enumerate(names)}
    matrix = np.full((len(names), len(names)), np.nan)
    for a, b, p in zip(tests["strategy_a"], tests["strategy_b"], tests[column], strict=True):
        matrix[pos[a], pos[b]] = matrix[pos[b], pos[a]] = p
    figure, ax = new_figure(1.2 + 0.9 * len(names), 1.0 + 0.8 * len(names))
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=SEQUENTIAL_CMAP, vmin=0.0, vmax=1.0)
    figure.colorbar(image, ax=ax, label=column)
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
    ax.set_yticks(range(len(names)), names)
    ax.set_title("Pairwise tests")
    return figure


def save_analysis_plots(
    report: Any, plots_dir: str | Path, original_scores: Any = None
) -> list[Path]:
    """Write every figure that applies to ``report`` as PNG into ``plots_dir``
    (created); returns the files written."""
    folder = Path(plots_dir)
    folder.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Figure] = {
        "payoff_heatmap": plot_payoff_heatmap(report.payoff),
        "tournament_evaluation_ranking": plot_ranking(
            report.tournament_ranking, "Row-mean ranking"
        ),
    }
    if original_scores is not None and len(original_scores):
        figures["tournament_scores"] = plot_scores_bar(original_scores)
    if report.sequential_elimination_ranking is not None:
        figures["sequential_elimination_ranking"] = plot_ranking(
            report.sequential_elimination_ranking, "Sequential elimination ranking"
        )
    if report.nash_averaging is not None:
        figures["nash_averaging_ranking"] = plot_ranking(report.nash_averaging, "Regret ranking")
    if report.has_self_play:
        figures["deviation_graph"] = plot_deviation_graph(report.payoff)
    if report.replicator_dynamics is not None:
        figures["replicator_dynamics"] = plot_replicator_dynamics(report.replicator_dynamics)
    if len(report.significance_unpaired):
        figures["significance_unpaired"] = plot_significance(report.significance_unpaired)
    written = []
    for name, figure in figures.items():
        target = folder / f"{name}.png"
        figure.savefig(target, format="png")
        written.append(target)
    return written


register_plotter("tournament_analysis", save_analysis_plots)

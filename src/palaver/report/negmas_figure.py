"""NegMAS's negotiation figure, drawn with matplotlib.

The layout is NegMAS's: the offers in the utility space of two negotiators on
the left (all outcomes, the Pareto frontier, the Nash, Kalai, KS and
max-welfare points, each negotiator's offers, the agreement, the regions
above the reserved values, and a text block: the agreement's distances to the
frontier and the points, the relative time, the steps, how it ended), and on
the right one panel per negotiator with the utilities of its offers over
relative time or steps. ``only2d`` keeps the left, ``no2d`` the right.
"""

from __future__ import annotations

import math
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver.report.negmas_options import PlotOptions
from palaver.report.negmas_run import Offer, RunData, distances, pick, solutions, utility
from palaver.report.style import new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: NegMAS's look of the solution points: (marker, colour).
_POINTS = {
    "Nash": ("<", "brown", "mark_nash_points"),
    "Kalai": ("v", "green", "mark_kalai_points"),
    "KS": ("^", "cyan", "mark_ks_points"),
    "Max. Welfare": (">", "blue", "mark_max_welfare_points"),
}
_DISTANCES = {
    "Pareto": "show_pareto_distance",
    "Nash": "show_nash_distance",
    "Kalai": "show_kalai_distance",
    "KS": "show_ks_distance",
    "Max. Welfare": "show_max_welfare_distance",
    "Max. Relative Welfare": "show_max_relative_welfare_distance",
}
_XLABELS = {"relative_time": "Relative Time", "step": "Step", "time": "Time (s)"}


def _x(offers: list[Offer], xdim: str) -> list[float]:
    values = [float(getattr(o, xdim)) for o in offers]
    if xdim == "time" and any(math.isnan(v) for v in values):
        raise ValueError(
            "xdim='time' needs each offer's time; Palaver's traces do not time offers "
            "(TraceElement.time is nan): use xdim='relative_time' or 'step'"
        )
    return values


def _offer_panel(
    axes: Axes,
    run: RunData,
    a: int,
    options: PlotOptions,
    style: tuple[list[Any], list[Any]],
    last: bool,
) -> None:
    """Negotiator ``a``'s offers: their utility for each negotiator (or only
    for ``a`` with ``simple_offers_view``) over ``xdim``."""
    colors, markers = style
    mine = [
        o
        for o in run.offers
        if o.negotiator == run.ids[a] and (o.outcome is not None or not options.ignore_none_offers)
    ]
    x = _x(mine, options.xdim)
    judges = [a] if options.simple_offers_view else range(len(run.ids))
    for j in judges:
        y = [math.nan if o.outcome is None else utility(run.ufuns[j], o.outcome) for o in mine]
        axes.plot(
            x,
            y,
            color=colors[j],
            marker=markers[j] if options.mark_offers_view else None,
            markersize=4,
            lw=1.0,
            label=run.names[j],
        )
        reserved = getattr(run.ufuns[j], "reserved_value", None)
        if options.show_reserved and reserved is not None and math.isfinite(reserved):
            axes.axhline(float(reserved), color=colors[j], lw=0.8, ls="--", alpha=0.6)
    if options.ylimits is not None:
        axes.set_ylim(*options.ylimits)
    axes.set_ylabel(run.names[a])
    axes.set_title(f"{run.names[a]}'s offers", fontsize="small")
    axes.grid(True, alpha=0.3, linewidth=0.6)
    if last:
        axes.set_xlabel(_XLABELS[options.xdim])


def _annotation(run: RunData, agreed: Any, found: Any, options: PlotOptions) -> list[str]:
    lines = []
    if options.show_agreement:
        lines.append(f"Agreement:{run.agreement}")
    if run.agreement is not None and not options.fast:
        for label, value in distances(agreed, found).items():
            if getattr(options, _DISTANCES[label]) and math.isfinite(value):
                lines.append(f"{label.replace('. ', '')}-distance={value:5.2f}")
    last = run.offers[-1] if run.offers else None
    # A trace without relative times (NaN, truthy) printed "Relative Time=  nan".
    if options.show_relative_time and last is not None and math.isfinite(last.relative_time):
        lines.append(f"Relative Time={last.relative_time:5.2f}")
    if options.show_total_time and last is not None and math.isfinite(last.time):
        lines.append(f"Total Time={last.time:.3f}s")
    if options.show_n_steps:
        lines.append(f"N. Steps={last.step + 1 if last is not None else 0}")
    if run.end_reason:
        lines.append(run.end_reason)
    if options.extra_annotation:
        lines.append(options.extra_annotation)
    return lines


def _reserved_regions(
    axes: Axes, run: RunData, pair: tuple[int, int], utils: Any, colors: list[Any]
) -> None:
    """The region where each of the pair gets more than its reserved value, shaded."""
    for k, i in enumerate(pair):
        reserved = getattr(run.ufuns[i], "reserved_value", None)
        column = utils[:, k] if len(utils) else np.array([0.0, 1.0])
        finite = column[np.isfinite(column)]
        if reserved is None or not math.isfinite(reserved) or not len(finite):
            continue
        high = max(float(finite.max()), float(reserved))
        span = axes.axvspan if k == 0 else axes.axhspan
        span(float(reserved), high, color=colors[i], alpha=0.08, lw=0)


def _utility_space(
    axes: Axes,
    run: RunData,
    options: PlotOptions,
    style: tuple[list[Any], list[Any]],
) -> None:
    colors, markers = style
    pair = pick(run.ids, options.negotiators)
    found = solutions(run, pair, options)
    if options.mark_all_outcomes and len(found.outcomes):
        axes.scatter(
            found.outcomes[:, 0],
            found.outcomes[:, 1],
            s=10,
            color="gray",
            alpha=0.3,
            lw=0,
            label="Outcomes",
        )
    if options.mark_pareto_points and len(found.frontier):
        frontier = found.frontier[np.argsort(found.frontier[:, 0])]
        axes.plot(*frontier.T, "o--", color="dimgray", ms=4, lw=0.8, alpha=0.7, label="Pareto")
    for label, (marker, color, flag) in _POINTS.items():
        points = found.points.get(label)
        if getattr(options, flag) and points is not None and len(points):
            axes.scatter(
                points[:, 0],
                points[:, 1],
                marker=marker,
                s=110,
                color=color,
                alpha=0.7,
                label=f"{label} Point",
            )
            if options.show_annotations:
                for x, y in points:
                    axes.annotate(f"{label} Point", (x, y), fontsize="x-small")
    for k, who in enumerate(run.ids):
        mine = [o for o in run.offers if o.negotiator == who and o.outcome is not None]
        if not mine:
            continue
        xy = np.array(
            [
                [utility(run.ufuns[pair[0]], o.outcome), utility(run.ufuns[pair[1]], o.outcome)]
                for o in mine
            ]
        )
        if options.with_lines:
            axes.plot(*xy.T, color=colors[k], lw=0.8, alpha=0.5)
        alpha: Any = 0.7
        if options.colorizer is not None:
            alpha = np.clip([float(options.colorizer(o.element)) for o in mine], 0.0, 1.0)
        axes.scatter(
            xy[:, 0],
            xy[:, 1],
            marker=markers[k],
            s=24,
            color=colors[k],
            alpha=alpha,
            label=run.names[k],
        )
    agreed = None
    if run.agreement is not None:
        agreed = (
            utility(run.ufuns[pair[0]], run.agreement),
            utility(run.ufuns[pair[1]], run.agreement),
        )
        axes.scatter(
            [agreed[0]], [agreed[1]], marker="*", s=320, color="black", alpha=0.9, label="Agreement"
        )
        if options.show_annotations:
            axes.annotate("Agreement", agreed, fontsize="x-small")
    if options.show_reserved:
        _reserved_regions(axes, run, pair, found.outcomes, colors)
    lines = _annotation(run, agreed, found, options)
    if lines:
        axes.text(
            0.03,
            0.03,
            "\n".join(lines),
            transform=axes.transAxes,
            fontsize="x-small",
            va="bottom",
            ha="left",
            bbox={"boxstyle": "round", "facecolor": "wheat", "alpha": 0.4},
        )
    axes.set_xlabel(f"{run.names[pair[0]]} utility")
    axes.set_ylabel(f"{run.names[pair[1]]} utility")
    axes.grid(True, alpha=0.3, linewidth=0.6)
    if options.square:
        axes.set_aspect("equal", adjustable="datalim")


def draw(run: RunData, options: PlotOptions) -> Figure:
    """NegMAS's figure of ``run`` with ``options`` (see the module's doc)."""
    from matplotlib import rc_context, style

    n = len(run.ids)
    if n < 2 and not options.no2d:
        raise ValueError(
            f"the 2D plot needs two negotiators; the run has {n} ({run.ids}): pass no2d=True"
        )
    look = (list(options.series_colors(n)), options.series_markers(n))
    with ExitStack() as stack:
        if options.dark:
            stack.enter_context(style.context("dark_background"))
        if options.fontsize is not None:
            stack.enter_context(rc_context({"font.size": options.fontsize}))
        rows = max(n, 1)
        if options.only2d:
            figure, left = new_figure(6.4, 6.0, ncols=1)
            panels: list[Axes] = []
        elif options.no2d:
            figure, _ = new_figure(7.0, max(2.2 * rows, 3.0), ncols=0)
            grid = figure.add_gridspec(rows, 1)
            panels = [figure.add_subplot(grid[a, 0]) for a in range(rows)]
            left = None
        else:
            figure, _ = new_figure(12.8, max(2.2 * rows, 6.0), ncols=0)
            grid = figure.add_gridspec(rows, 2)
            left = figure.add_subplot(grid[:, 0])
            panels = [figure.add_subplot(grid[a, 1]) for a in range(rows)]
        for a, axes in enumerate(panels):
            _offer_panel(axes, run, a, options, look, last=a == len(panels) - 1)
            if a:
                axes.sharex(panels[0])
        if left is not None:
            _utility_space(left, run, options, look)
        _legend(figure, left, panels, options)
    return figure


def _legend(figure: Figure, left: Axes | None, panels: list[Axes], options: PlotOptions) -> None:
    """NegMAS's legends: the 2D plot's (every series is in it), else one for the
    offer panels (one shared with ``common_legend``, one per panel otherwise)."""
    if left is not None:
        handles, labels = left.get_legend_handles_labels()
        if handles:
            figure.legend(
                handles,
                labels,
                loc="outside lower center",
                ncols=min(len(labels), 6),
                fontsize="small",
                frameon=False,
            )
        return
    if options.common_legend and panels:
        handles, labels = panels[0].get_legend_handles_labels()
        figure.legend(handles, labels, loc="outside right upper", fontsize="small", frameon=False)
    else:
        for axes in panels:
            axes.legend(fontsize="x-small", frameon=False)

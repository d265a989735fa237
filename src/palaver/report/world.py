"""Plots of a world recording: activity per step, agents' values, breaches, contracts."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver._util.checks import check_int
from palaver.report.style import (
    PALETTE,
    SEQUENTIAL_CMAP,
    empty,
    integer_steps,
    new_figure,
    series_style,
    tidy,
)
from palaver.report.world_data import (
    CONTRACT_SERIES,
    LIFECYCLE,
    NEGOTIATION_SERIES,
    WorldSummary,
    summarize_world,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The agents drawn by name in per-agent plots (the rest are summed up in the legend).
MAX_AGENTS_DRAWN = 16


def _summary(source: Any) -> WorldSummary:
    return source if isinstance(source, WorldSummary) else summarize_world(source)


def _counts_per_step(
    summary: WorldSummary,
    series: dict[str, np.ndarray],
    names: tuple[str, ...],
    title: str,
    ylabel: str,
) -> Figure:
    figure, axes = new_figure(6.4, 3.2)
    if not len(summary.steps) or not any(series[n].any() for n in names):
        empty(axes, f"no {ylabel} in this recording")
        tidy(axes, title, "step", ylabel, legend=False)
        return figure
    for i, name in enumerate(names):
        style = series_style(i)
        axes.plot(
            summary.steps,
            series[name],
            color=style["color"],
            marker=style["marker"],
            linestyle=style["linestyle"],
            markersize=3,
            lw=1.2,
            label=name,
        )
    axes.set_ylim(bottom=0)
    integer_steps(axes)
    tidy(axes, title, "step", ylabel)
    return figure


def plot_negotiations_per_step(source: Any) -> Figure:
    """Negotiations requested, started, agreed and failed per step (a reader or a summary)."""
    summary = _summary(source)
    return _counts_per_step(
        summary, summary.negotiations, NEGOTIATION_SERIES, "Negotiations per step", "negotiations"
    )


def plot_contracts_per_step(source: Any) -> Figure:
    """Contracts signed per step, and how they ended (executed, breached, cancelled, ...)."""
    summary = _summary(source)
    return _counts_per_step(
        summary, summary.contracts, CONTRACT_SERIES, "Contracts per step", "contracts"
    )


def plot_events_per_step(source: Any, top: int = 6) -> Figure:
    """The ``top`` most frequent event types per step (any recording, Mesa too), the
    run's bookkeeping (start, end, step start and end) left out."""
    top = check_int("top", top, minimum=1)  # -1 dropped the last type; 1.5 failed in a slice
    summary = _summary(source)
    names = tuple([t for t in summary.events_by_type if t not in LIFECYCLE][:top])
    return _counts_per_step(summary, summary.events_by_type, names, "Events per step", "events")


def _bars(labels: list[str], counts: list[int], title: str, xlabel: str, empty_text: str) -> Figure:
    figure, axes = new_figure(6.4, max(2.2, 0.9 + 0.22 * len(labels)))
    if not labels:
        empty(axes, empty_text)
        tidy(axes, title, "events", xlabel, legend=False)
        return figure
    y = np.arange(len(labels))[::-1]  # the largest on top
    axes.barh(y, counts, color=PALETTE[0])
    axes.set_yticks(y, labels, fontsize=7)
    tidy(axes, title, "events", xlabel, legend=False)
    return figure


def plot_events_by_type(source: Any, top: int = 30) -> Figure:
    """How many events of each type the recording holds (the ``top`` most frequent)."""
    top = check_int("top", top, minimum=1)
    summary = _summary(source)
    items = list(summary.event_totals.items())[:top]
    title = "Events by type" + (
        f" (top {top} of {len(summary.event_totals)})" if len(summary.event_totals) > top else ""
    )
    return _bars([t for t, _ in items], [n for _, n in items], title, "event type", "no events")


def plot_events_per_agent(source: Any, top: int = 30) -> Figure:
    """How many events each agent has (the ``top`` most active agents)."""
    top = check_int("top", top, minimum=1)
    summary = _summary(source)
    items = summary.agents[:top]
    title = "Events per agent" + (
        f" (top {top} of {summary.n_agents})" if summary.n_agents > top else ""
    )
    return _bars(
        [a["agent"] for a in items], [a["events"] for a in items], title, "agent", "no agent events"
    )


def plot_agent_values(source: Any) -> Figure:
    """Each agent's score or utility over the steps, from the per-step stats
    (``<quantity>_<agent id>``) or, failing that, from its recorded state."""
    summary = _summary(source)
    figure, axes = new_figure(6.4, 3.4)
    values = summary.agent_values
    if values is None or not values.values:
        empty(axes, "no per-agent score or utility recorded")
        tidy(axes, "Agents over time", "step", "value", legend=False)
        return figure
    final = {
        a: v[~np.isnan(v)][-1] if (~np.isnan(v)).any() else -math.inf
        for a, v in values.values.items()
    }
    ranked = sorted(values.values, key=lambda a: (-final[a], a))
    for i, agent in enumerate(ranked[:MAX_AGENTS_DRAWN]):
        style = series_style(i)
        axes.plot(
            values.steps,
            values.values[agent],
            color=style["color"],
            linestyle=style["linestyle"],
            marker=style["marker"],
            markersize=2.5,
            lw=1.1,
            label=agent,
        )
    hidden = len(ranked) - MAX_AGENTS_DRAWN
    title = f"{values.name} per agent (from {values.source})"
    if hidden > 0:
        title += f"; top {MAX_AGENTS_DRAWN} of {len(ranked)}"
    integer_steps(axes)
    tidy(axes, title, "step", values.name)
    if axes.get_legend() is not None:
        axes.legend(fontsize=6, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return figure


def plot_breaches_by_agent(source: Any) -> Figure:
    """How many breaches each agent committed (the perpetrators), most first."""
    summary = _summary(source)
    figure, axes = new_figure(6.4, 3.2)
    items = list(summary.breaches_by_agent.items())[:30]
    if not items:
        empty(axes, "no breaches in this recording")
        tidy(axes, "Breaches by agent", "agent", "breaches", legend=False)
        return figure
    names, counts = zip(*items, strict=True)
    axes.bar(range(len(names)), counts, color=PALETTE[5])
    axes.set_xticks(range(len(names)), names, rotation=45, ha="right", fontsize=7)
    tidy(axes, "Breaches by agent (as perpetrator)", "agent", "breaches", legend=False)
    return figure


def plot_contract_graph(source: Any) -> Figure:
    """Agents on a circle, joined by a line per pair that signed contracts together;
    line width and colour grow with the number of contracts, node size with the
    agent's contracts."""
    summary = _summary(source)
    figure, axes = new_figure(5.2, 5.0)
    axes.set_title("Contract graph (signed contracts between agents)", fontsize=10)
    agents = sorted({a for pair in summary.edges for a in pair})
    if not agents:
        empty(axes, "no contracts were signed")
        return figure
    angle = np.linspace(0, 2 * np.pi, len(agents), endpoint=False)
    where = {a: (math.cos(t), math.sin(t)) for a, t in zip(agents, angle, strict=True)}
    heaviest = max(summary.edges.values())
    from matplotlib import colormaps

    cmap = colormaps[SEQUENTIAL_CMAP]
    degree: dict[str, int] = dict.fromkeys(agents, 0)
    for (a, b), n in sorted(summary.edges.items(), key=lambda kv: kv[1]):
        degree[a] += n
        degree[b] += n
        (x1, y1), (x2, y2) = where[a], where[b]
        share = n / heaviest
        axes.plot(
            [x1, x2],
            [y1, y2],
            color=cmap(0.15 + 0.75 * share),
            lw=0.5 + 4 * share,
            alpha=0.8,
            zorder=1,
        )
    most = max(degree.values()) or 1
    xs, ys = zip(*(where[a] for a in agents), strict=True)
    axes.scatter(
        xs,
        ys,
        s=[60 + 240 * degree[a] / most for a in agents],
        color=PALETTE[1],
        edgecolors="black",
        linewidths=0.6,
        zorder=2,
    )
    for a in agents:
        x, y = where[a]
        axes.annotate(a, (x, y), xytext=(x * 1.16, y * 1.16), ha="center", va="center", fontsize=7)
    axes.set_xlim(-1.4, 1.4)
    axes.set_ylim(-1.4, 1.4)
    axes.set_aspect("equal")
    axes.axis("off")
    axes.text(-1.35, -1.38, f"thickest line: {heaviest} contracts", fontsize=7)
    return figure


def world_figures(source: Any) -> dict[str, Figure]:
    """The plots of a recording (a reader or a summary) that have something to show,
    by title: the negotiation and contract plots when it holds negotiations and
    contracts, each agent's value over time when one is recorded, the events per
    step; a recording without negotiations or contracts (a Mesa model's) also gets
    its events by type and per agent. An empty recording gets none."""
    summary = _summary(source)
    figures: dict[str, Figure] = {}
    if summary.has_negotiations:
        figures["Negotiations per step"] = plot_negotiations_per_step(summary)
    if summary.has_contracts:
        figures["Contracts per step"] = plot_contracts_per_step(summary)
    if summary.agent_values is not None and summary.agent_values.values:
        figures["Agents over time"] = plot_agent_values(summary)
    if summary.breaches_by_agent:
        figures["Breaches by agent"] = plot_breaches_by_agent(summary)
    if summary.edges:
        figures["Contract graph"] = plot_contract_graph(summary)
    if summary.has_activity:
        figures["Events per step"] = plot_events_per_step(summary)
        if not (summary.has_negotiations or summary.has_contracts):
            figures["Events by type"] = plot_events_by_type(summary)
            if summary.agents:
                figures["Events per agent"] = plot_events_per_agent(summary)
    return figures

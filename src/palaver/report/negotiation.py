"""Plots of one negotiation: offers in utility space, and utilities over time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver.report.negotiation_data import NegotiationTrace, mechanism_trace, recorded_trace
from palaver.report.style import PALETTE, empty, integer_steps, new_figure, series_style, tidy

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def negotiation_trace(
    source: Any,
    negotiation_id: str | None = None,
    ufuns: Mapping[str, Any] | None = None,
    outcome_space: Any = None,
) -> NegotiationTrace:
    """The trace of a mechanism (running or finished), of a recording's negotiation
    ``negotiation_id`` (a reader from ``palaver.recording.open``), or ``source``
    itself when it already is a :class:`NegotiationTrace`."""
    if ufuns is not None and not isinstance(ufuns, Mapping):
        raise TypeError(
            "ufuns must be a mapping of agent or negotiator id -> utility function, or None; "
            f"got {type(ufuns).__name__} {ufuns!r:.80}"
        )
    own = isinstance(source, NegotiationTrace) or (
        hasattr(source, "history") and hasattr(source, "negotiators")
    )
    if own:
        # A mechanism or trace carries its own id, utility functions and space:
        # ignoring the ones given would draw something other than what was asked.
        given = {"ufuns": ufuns, "outcome_space": outcome_space}
        if negotiation_id is not None and negotiation_id != getattr(
            source, "id", getattr(source, "negotiation_id", None)
        ):
            given["negotiation_id"] = negotiation_id
        named = [name for name, value in given.items() if value is not None]
        if named:
            raise ValueError(
                f"{', '.join(named)} apply to a recording's negotiation; a "
                f"{type(source).__name__} uses its own (got {named[0]}="
                f"{given[named[0]]!r:.60})"
            )
    if isinstance(source, NegotiationTrace):
        return source
    if own:
        return mechanism_trace(source)
    if hasattr(source, "sql"):
        if negotiation_id is None:
            ids = [
                i
                for (i,) in source.sql(
                    "SELECT DISTINCT negotiation_id FROM events WHERE negotiation_id IS NOT NULL "
                    "AND event_type IN ('offer', 'negotiation_started') ORDER BY 1 LIMIT 6"
                ).fetchall()
            ]
            held = (
                f"it holds {', '.join(map(repr, ids[:5]))}{', ...' if len(ids) > 5 else ''}"
                if ids
                else "it holds no negotiation"
            )
            raise ValueError(
                "negotiation_id is required to plot a negotiation of a recording "
                f"(which one to draw: {held})"
            )
        return recorded_trace(source, negotiation_id, ufuns, outcome_space)
    raise TypeError(
        "source must be a mechanism, a recording reader or a NegotiationTrace, "
        f"got {type(source).__name__}"
    )


def _mark(axes: Axes, point: Any, label: str, marker: str, color: str, size: float = 90) -> None:
    if point is not None:
        axes.scatter(
            [point[0]],
            [point[1]],
            marker=marker,
            s=size,
            color=color,
            edgecolors="black",
            linewidths=0.6,
            zorder=5,
            label=label,
        )


def _proposers(trace: NegotiationTrace) -> list[tuple[int, str]]:
    """``(proposer index, label)`` of each party, then of the mediator (index -1)
    when a single-text mechanism's mediator made proposals."""
    who = list(enumerate(trace.parties))
    if (trace.proposers == -1).any():
        who.append((-1, "the mediator"))
    return who


def _utility_space(axes: Axes, trace: NegotiationTrace) -> None:
    utils = trace.utilities
    assert utils is not None
    if trace.frontier is not None and len(trace.frontier):
        label = "Pareto frontier (sampled)" if trace.frontier_is_sampled else "Pareto frontier"
        axes.plot(
            trace.frontier[:, 0],
            trace.frontier[:, 1],
            color="#999999",
            lw=1.2,
            drawstyle="steps-post",
            label=label,
            zorder=1,
        )
    for i, (who, party) in enumerate(_proposers(trace)):
        mine = trace.proposers == who
        if mine.any():
            style = series_style(i)
            axes.plot(
                utils[mine, 0],
                utils[mine, 1],
                color=style["color"],
                lw=0.8,
                alpha=0.6,
                marker=style["marker"],
                markersize=3,
                label=f"offers by {party}",
                zorder=2,
            )
    _mark(axes, trace.nash, "Nash", "D", PALETTE[2])
    _mark(axes, trace.kalai, "Kalai", "s", PALETTE[3])
    _mark(axes, trace.agreement_utilities, "agreement", "*", PALETTE[6], 220)
    if trace.reserved is not None:
        axes.axvline(trace.reserved[0], color="#bbbbbb", lw=0.6, ls=":")
        axes.axhline(trace.reserved[1], color="#bbbbbb", lw=0.6, ls=":")
    tidy(
        axes,
        f"Offers in utility space ({trace.result})",
        f"utility of {trace.parties[0]}",
        f"utility of {trace.parties[1]}",
    )


def _own_offers(axes: Axes, trace: NegotiationTrace) -> None:
    """Multilateral: each party's utility of its own offers (its concession curve)."""
    utils = trace.utilities
    assert utils is not None
    for i, party in enumerate(trace.parties):
        mine = trace.proposers == i
        if mine.any():
            style = series_style(i)
            axes.plot(
                trace.rounds[mine],
                utils[mine, i],
                color=style["color"],
                linestyle=style["linestyle"],
                marker=style["marker"],
                markersize=3,
                label=party,
            )
    tidy(
        axes,
        f"Each party's utility of its own offers ({trace.result})",
        "round",
        "utility (own offers)",
    )


def _over_time(axes: Axes, trace: NegotiationTrace) -> None:
    """Each party's utility over the rounds: of its own offers (solid) and of the
    other parties' offers (dotted)."""
    utils = trace.utilities
    assert utils is not None
    for i, party in enumerate(trace.parties):
        color = series_style(i)["color"]
        mine = trace.proposers == i
        if mine.any():
            axes.plot(
                trace.rounds[mine],
                utils[mine, i],
                color=color,
                lw=1.2,
                label=f"{party}: own offers",
            )
        if (~mine).any():
            axes.plot(
                trace.rounds[~mine],
                utils[~mine, i],
                color=color,
                lw=1.0,
                ls=":",
                label=f"{party}: others' offers",
            )
    if trace.agreement_utilities is not None and len(trace.rounds):
        axes.axvline(trace.rounds[-1], color="black", lw=0.6, ls="--", label="agreement")
    integer_steps(axes)
    tidy(axes, "Each party's utility of the offers over time", "round", "utility")


def _issues_over_time(figure: Figure, trace: NegotiationTrace) -> None:
    """Without utility functions: each issue's offered value per round and proposer."""
    n = max(1, len(trace.issue_names))
    axes_list = np.atleast_1d(figure.subplots(1, min(n, 3)))
    for k, axes in enumerate(axes_list):
        name = trace.issue_names[k] if k < len(trace.issue_names) else f"issue {k}"
        for i, (who, party) in enumerate(_proposers(trace)):
            mine = np.flatnonzero(trace.proposers == who)
            values = [trace.outcomes[j][k] for j in mine]
            if not values:
                continue
            style = series_style(i)
            numeric = all(isinstance(v, int | float) for v in values)
            y = values if numeric else [str(v) for v in values]
            axes.plot(
                trace.rounds[mine],
                y,
                color=style["color"],
                marker=style["marker"],
                markersize=3,
                lw=0.8,
                label=party,
            )
        tidy(axes, f"Offered {name}", "round", name)


def plot_negotiation(
    source: Any,
    negotiation_id: str | None = None,
    ufuns: Mapping[str, Any] | None = None,
    outcome_space: Any = None,
) -> Figure:
    """Plot a negotiation: a mechanism (live or finished), or negotiation
    ``negotiation_id`` of a recording (``ufuns`` maps agent or negotiator ids to
    utility functions; without them the offered values per issue are drawn).

    Bilateral: offers of each party in utility space with the Pareto frontier,
    the agreement and the Nash and Kalai points, next to each party's utility of
    the offers over time. Multilateral: each party's utility of its own offers
    over rounds, next to every party's utility of the offers over time.
    Returns a matplotlib ``Figure`` (``fig.savefig(path)`` writes it).
    """
    trace = negotiation_trace(source, negotiation_id, ufuns, outcome_space)
    if trace.utilities is None:
        figure, _ = new_figure(9.6, 3.4, ncols=0)
        if trace.n_offers:
            _issues_over_time(figure, trace)
        else:
            empty(figure.subplots(), f"negotiation {trace.negotiation_id}: no offers")
        figure.suptitle(f"Negotiation {trace.negotiation_id} ({trace.result})", fontsize=10)
        return figure
    figure, (left, right) = new_figure(9.6, 3.8, ncols=2)
    if not trace.n_offers:
        empty(left, "no offers were made")
        empty(right, "no offers were made")
    else:
        if len(trace.parties) == 2:
            _utility_space(left, trace)
        else:
            _own_offers(left, trace)
        _over_time(right, trace)
    figure.suptitle(f"Negotiation {trace.negotiation_id}", fontsize=10)
    return figure


def plot_mechanism(mechanism: Any, **options: Any) -> Figure:
    """What NegMAS's ``mechanism.plot(**options)`` and ``CompletedRun.plot(**options)``
    give on Palaver.

    An SAO mechanism (one with a ``full_trace``) and a completed run are drawn
    as NegMAS draws them, with NegMAS's keywords
    (:func:`palaver.report.negmas_plot.plot_mechanism_run`,
    :func:`~palaver.report.negmas_plot.plot_completed_run`;
    ``plotting_negotiators`` names the 2D plot's two negotiators). Other
    mechanisms (single-text) get :func:`plot_negotiation`'s figure, which
    takes only NegMAS's saving keywords (``save_fig``, ``path``, ``fig_name``,
    ``image_format``; ``show`` is ignored): another keyword is a ``TypeError``.
    """
    from palaver.report.negmas_options import PlotOptions
    from palaver.report.negmas_plot import plot_completed_run, plot_mechanism_run, save_figure

    pair = options.pop("plotting_negotiators", (0, 1))
    if hasattr(mechanism, "history_type"):
        return plot_completed_run(mechanism, negotiators=pair, **options)
    if hasattr(mechanism, "full_trace"):
        return plot_mechanism_run(mechanism, pair, **options)
    kept = {"save_fig", "path", "fig_name", "image_format", "show"}
    unused = sorted(set(options) - kept)
    if unused:
        raise TypeError(
            f"{type(mechanism).__name__}.plot() draws plot_negotiation's figure, which takes only "
            f"{sorted(kept)}; got {unused}"
        )
    chosen = PlotOptions.of(options, "mechanism.plot()")
    figure = plot_negotiation(mechanism)
    save_figure(figure, chosen, str(mechanism.id), "mechanism.plot()")
    return figure

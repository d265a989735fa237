"""Notebook display (``_repr_html_``) of a negotiation, a recording and a tournament.

The classes call :func:`palaver.events.display.html`; :func:`register` (run on
import, and found through the ``palaver.html`` entry point) hands them the
renderers below. Each shows a compact summary table and one plot; without
matplotlib the table alone, with a note on how to get the plot.
"""

from __future__ import annotations

import math
from typing import Any

from palaver.events.display import register_html
from palaver.report import page
from palaver.report.style import ReportDependencyError, expect

_NOTE = '<p class="muted">pip install "palaver[report]" to see the plot here.</p>'


def _plot(make: Any) -> str:
    try:
        figure = make()
    except ReportDependencyError:
        return _NOTE
    return page.figures({"": figure}, dpi=72).replace("<figcaption></figcaption>", "")


def _number(value: float) -> str:
    return (
        "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.3f}"
    )


def mechanism_html(mechanism: Any) -> str:
    """A mechanism's result, rounds, agreement, distances to Pareto/Nash/Kalai, and its plot."""
    expect(
        "mechanism",
        mechanism,
        ("negotiators", "extended_trace", "state"),
        "a mechanism (an SAOMechanism, say)",
    )
    from palaver.report.negotiation import plot_negotiation
    from palaver.report.negotiation_data import mechanism_trace

    trace = mechanism_trace(mechanism)
    distances = trace.distances()
    agreement = (
        "-"
        if trace.agreement is None
        else ", ".join(f"{k}={v}" for k, v in zip(trace.issue_names, trace.agreement, strict=False))
    )
    rows = [
        ("mechanism", f"{type(mechanism).__name__} {mechanism.id}"),
        ("negotiators", ", ".join(trace.parties)),
        ("result", trace.result),
        ("rounds", mechanism.state.step),
        ("offers", trace.n_offers),
        ("agreement", agreement),
    ]
    if trace.agreement_utilities is not None:
        rows.append(("utilities", ", ".join(_number(u) for u in trace.agreement_utilities)))
        rows += [(f"distance to {k}", _number(v)) for k, v in distances.items()]
    table = page.key_value_table(rows, "negotiation")
    return f"<div>{table}{_plot(lambda: plot_negotiation(trace))}</div>"


def reader_html(reader: Any) -> str:
    """A recording's summary table and its negotiations per step (events per step
    for a recording without negotiations, such as a Mesa model's)."""
    expect(
        "reader",
        reader,
        ("manifest", "counts"),
        "a recording reader (palaver.recording.open(path))",
    )
    from palaver.report.html import recording_summary
    from palaver.report.world import plot_events_per_step, plot_negotiations_per_step
    from palaver.report.world_data import LIFECYCLE

    _, per_type = reader.counts()
    rows = recording_summary(reader, 0)[:9]
    rows.append(
        (
            "busiest event types",
            ", ".join(f"{t} {n}" for t, n in sorted(per_type.items(), key=lambda kv: -kv[1])[:5]),
        )
    )
    table = page.key_value_table(rows, "recording")
    if not set(per_type) - LIFECYCLE:  # nothing but the run's start and end: no plot
        return f"<div>{table}</div>"
    plot = (
        plot_negotiations_per_step if "negotiation_requested" in per_type else plot_events_per_step
    )
    return f"<div>{table}{_plot(lambda: plot(reader))}</div>"


def results_html(results: Any) -> str:
    """A tournament's counts, ranking table and ranking plot."""
    expect(
        "results",
        results,
        ("counts", "table"),
        "a tournament's results (load a folder with palaver.tournaments.load_results(path))",
    )
    from palaver.report.tournament import plot_ranking
    from palaver.tournaments import standings

    counts = results.counts()
    scores = results.table("scores")
    ranked = standings(scores) if scores.num_rows else []
    rows = [
        [i, s.competitor, s.mean, s.ci_low, s.ci_high, s.n_worlds]
        for i, s in enumerate(ranked, start=1)
    ]
    head = page.key_value_table(
        [("tournament", results.manifest.get("name")), *counts.items()], "tournament"
    )
    ranking = page.table(
        ["rank", "competitor", "mean", "CI low", "CI high", "worlds"], rows, "ranking"
    )
    data = {k: [getattr(s, k) for s in ranked] for k in ("competitor", "mean", "ci_low", "ci_high")}
    return f"<div>{head}{ranking}{_plot(lambda: plot_ranking(data))}</div>"


def negotiation_results_html(results: Any) -> str:
    """A negotiation tournament's counts, ranking table and advantage plot."""
    from palaver.report.negotiation_tournament import party_metrics, ranking_rows
    from palaver.report.tournament import plot_metric_per_competitor

    counts = results.counts()
    head = page.key_value_table(
        [("negotiation tournament", str(results.path or "in memory")), *counts.items()],
        "tournament",
    )
    if not len(results):
        return f"<div>{head}</div>"
    table = party_metrics(results)
    metric, stat = results.setup["final_score"]
    keys = ("rank", "competitor", "score", "ci_low", "ci_high", "n")
    rows = [[r[k] for k in keys] for r in ranking_rows(results, table)]
    ranking = page.table(
        ["rank", "competitor", f"{stat} {metric}", "CI low", "CI high", "n"], rows, "ranking"
    )
    return (
        f"<div>{head}{ranking}{_plot(lambda: plot_metric_per_competitor(table, 'advantage'))}</div>"
    )


def register() -> None:
    """Register the renderers with :mod:`palaver.events.display`."""
    register_html("mechanism", mechanism_html)
    register_html("recording", reader_html)
    register_html("tournament", results_html)
    register_html("negotiation_tournament", negotiation_results_html)


register()

"""The report of a negotiation tournament: ranking, the field's metrics per competitor, wins.

Everything is computed from the folder's Arrow tables with numpy (pandas is not
needed, as for a world tournament's report): the ranking and the win matrix
follow the rules of :meth:`NegotiationTournamentResults.ranking` and
:meth:`NegotiationTournamentResults.win_matrix` (the tests hold them equal).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver.report import page
from palaver.report.style import expect
from palaver.tournaments.negotiation.results import win_shares
from palaver.tournaments.negotiation.stats import interval_name, ranked_score

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The metrics drawn per competitor: column, plot title, axis label.
PER_COMPETITOR: tuple[tuple[str, str, str], ...] = (
    ("advantage", "Advantage per competitor", "advantage (u - r) / (max u - r)"),
    ("welfare", "Welfare per competitor", "welfare (sum of the parties' utilities)"),
    (
        "pareto_distance",
        "Distance to Pareto per competitor",
        "distance to the Pareto frontier (lower is better)",
    ),
)
_MEANS = ("mean advantage", "mean welfare", "mean distance to Pareto")
#: Columns of the negotiations table joined to each party's row.
_NEGOTIATION_COLUMNS = (
    "welfare",
    "pareto_distance",
    "nash_distance",
    "kalai_distance",
    "ks_distance",
)
#: Rows of the table of negotiations that ended in an error or hung.
FAILED_ROWS = 50


def party_metrics(results: Any) -> Any:
    """One row per negotiator in a negotiation (a pyarrow Table): the ``parties``
    columns (competitor, advantage, utility, agreement, rounds, ...) and its
    negotiation's welfare and distances to the Pareto frontier, Nash, Kalai and
    Kalai-Smorodinsky points, so that any of them can be drawn per competitor."""
    expect(
        "results",
        results,
        ("table", "setup"),
        "a negotiation tournament's results (load a folder with load_negotiation_results(path))",
    )
    import pyarrow as pa
    import pyarrow.compute as pc

    parties = results.table("parties")
    negotiations = results.table("negotiations")
    ids = negotiations.column("negotiation_id")
    # Each party's negotiation, by position: no hash join, and the parties' order is kept.
    where = pc.index_in(parties.column("negotiation_id"), value_set=ids)
    for name in _NEGOTIATION_COLUMNS:
        if name in negotiations.column_names:
            values = pc.take(negotiations.column(name), where)
            parties = parties.append_column(name, values.cast(pa.float64()))
    return parties


def _values(table: Any, metric: str) -> tuple[np.ndarray, np.ndarray]:
    comps = np.asarray(table.column("competitor").to_pylist(), dtype=object)
    column = table.column(metric).cast("double").to_numpy(zero_copy_only=False)
    return comps, np.asarray(column, dtype=float)


def ranking_rows(results: Any, table: Any) -> list[dict[str, Any]]:
    """The competitors by the tournament's final score, best first: rank, competitor,
    score, its 95% interval (see :func:`ranked_score`: none for min, max and std),
    n, and the means of the usual metrics."""
    metric, stat = results.setup["final_score"]
    comps, values = _values(table, metric)
    extra = {m: _values(table, m)[1] for m, _, _ in PER_COMPETITOR}
    rows = []
    for name in results.setup["competitors"]:
        everything = values[comps == name]
        score, low, high, n = ranked_score(everything, stat, 0.95)
        row = {
            "competitor": name,
            "score": score,
            "ci_low": low,
            "ci_high": high,
            "n": n,
            "n_dropped": len(everything) - n,
        }
        for m, v in extra.items():
            v = v[comps == name]
            v = v[np.isfinite(v)]
            row[m] = float(v.mean()) if len(v) else math.nan
        rows.append(row)
    # Lower is better for distances; a competitor without a value comes last.
    sign = 1.0 if metric.endswith("distance") else -1.0
    rows.sort(key=lambda r: (1, 0.0) if math.isnan(r["score"]) else (0, sign * r["score"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank if row["n"] else None  # nothing scored: no rank
    return rows


def win_matrix(table: Any, names: list[str], metric: str = "advantage") -> np.ndarray:
    """Share of the bilateral meetings of two different competitors that the row won
    on ``metric`` (ties count half; a meeting with a NaN value is left out; NaN where
    they never met), in ``names`` order."""
    comps, values = _values(table, metric)
    return win_shares(
        table.column("negotiation_id").to_pylist(), comps.tolist(), values.tolist(), names, metric
    )


def negotiation_tournament_figures(results: Any, table: Any | None = None) -> dict[str, Figure]:
    """The plots of a negotiation tournament by title: advantage, welfare and
    distance to Pareto per competitor (mean and 95% interval), the final score's
    metric when it is another one, the advantage of every negotiation per
    competitor, and the win matrix."""
    expect(
        "results",
        results,
        ("table", "setup"),
        "a negotiation tournament's results (load a folder with load_negotiation_results(path))",
    )
    from palaver.report.tournament import (
        plot_metric_per_competitor,
        plot_score_distributions,
        plot_win_matrix,
    )

    table = party_metrics(results) if table is None else table
    figures = {
        title: plot_metric_per_competitor(
            table, metric, title=f"{title} (mean, 95% CI)", ylabel=label
        )
        for metric, title, label in PER_COMPETITOR
    }
    metric = results.setup["final_score"][0]
    if metric not in {m for m, _, _ in PER_COMPETITOR} and metric in table.column_names:
        label = metric.replace("_", " ")
        figures[f"{label.capitalize()} per competitor"] = plot_metric_per_competitor(table, metric)
    figures["Advantage distribution"] = plot_score_distributions(
        table, "advantage", title="Advantage in each negotiation, per competitor"
    )
    # Fixed opponents take part in the meetings: they are rows and columns too.
    names = [*results.setup["competitors"], *results.setup.get("opponents", ())]
    figures["Win matrix"] = plot_win_matrix(
        win_matrix(table, names),
        names,
        title="Win matrix on advantage\n(share of meetings the row beat the column)",
    )
    return figures


def _summary_rows(results: Any) -> list[tuple[str, Any]]:
    setup = results.setup
    counts = results.counts()
    scenarios = list(setup.get("scenarios") or [])
    shown = ", ".join(scenarios[:12]) + (
        f", ... ({len(scenarios)} in all)" if len(scenarios) > 12 else ""
    )
    ended = ", ".join(f"{k} {v}" for k, v in counts.items() if k not in ("planned", "recorded"))
    return [
        ("folder", str(results.path) if results.path is not None else "- (in memory)"),
        ("kind", "negotiation tournament"),
        ("negotiations planned", counts["planned"]),
        ("negotiations recorded", counts["recorded"]),
        ("how they ended", ended or "-"),
        ("competitors", ", ".join(setup.get("competitors") or [])),
        ("scenarios", shown),
        ("repetitions", setup.get("n_repetitions")),
        ("rounds (n_steps)", setup.get("n_steps")),
        ("time limit", setup.get("time_limit")),
        ("rotate ufuns", setup.get("rotate_ufuns")),
        ("self play", setup.get("self_play")),
        ("seed", setup.get("seed")),
        ("detail", setup.get("detail")),
        ("final score", " ".join(setup.get("final_score") or [])),
    ]


def _title(results: Any) -> str:
    return f"Negotiation tournament {results.path.name if results.path else '(in memory)'}"


def _last_line(text: str | None) -> str:
    lines = (text or "").strip().splitlines()
    return lines[-1] if lines else ""


def negotiation_tournament_report(results: Any, title: str | None = None) -> str:
    """The HTML page of a negotiation tournament (a :class:`NegotiationTournamentResults`)."""
    expect(
        "results",
        results,
        ("table", "setup"),
        "a negotiation tournament's results (load a folder with load_negotiation_results(path))",
    )
    body = ["<h2>Summary</h2>", page.key_value_table(_summary_rows(results))]
    problems = getattr(results, "problems", {})
    if problems:
        # Damaged batches are left out of every figure below: say which, before them.
        body += [
            f"<h2>Batches left out: damaged or missing ({len(problems)})</h2>",
            '<p class="muted">Their negotiations run again on resume; '
            "<code>palaver verify</code> lists them.</p>",
            page.table(["batch", "problem"], sorted(map(list, problems.items())), "problems"),
        ]
    if not len(results):
        body.append('<p class="muted">No negotiation finished yet: nothing to rank or plot.</p>')
        return page.document(title or _title(results), "".join(body))
    table = party_metrics(results)
    metric, stat = results.setup["final_score"]
    header = ["rank", "competitor", f"{stat} {metric}", "95% CI low", "95% CI high", "n",
              "dropped (NaN or infinite)"]  # fmt: skip
    keys = ["rank", "competitor", "score", "ci_low", "ci_high", "n", "n_dropped"]
    for m, name in zip([m for m, _, _ in PER_COMPETITOR], _MEANS, strict=True):
        if (metric, stat) != (m, "mean"):  # the score column shows it already
            header.append(name)
            keys.append(m)
    rows = [[r[k] for k in keys] for r in ranking_rows(results, table)]
    body += [
        f"<h2>Ranking by {page.esc(stat)} {page.esc(metric)}</h2>",
        f'<p class="muted">CI: {page.esc(interval_name(stat))}.</p>',
        page.table(header, rows, "ranking"),
        "<h2>Plots</h2>",
        page.figures(negotiation_tournament_figures(results, table)),
    ]
    negotiations = results.table("negotiations").to_pydict()
    failed = [
        [neg, result, erred or "", _last_line(error)]
        for neg, result, erred, error in zip(
            negotiations["negotiation_id"],
            negotiations["result"],
            negotiations["erred_negotiator"],
            negotiations["error"],
            strict=True,
        )
        if result in ("error", "hung")
    ]
    if failed:
        body += [
            f"<h2>Negotiations that ended in an error or hung ({len(failed)})</h2>",
            page.table(
                ["negotiation", "result", "negotiator", "error"],
                failed[:FAILED_ROWS],
                "failed",
            ),
        ]
    return page.document(title or _title(results), "".join(body))

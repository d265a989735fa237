"""The report of a negotiation tournament's folder: ranking, metrics per competitor, wins."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from report_helpers import embedded_plots, ink  # this folder is on sys.path (rootdir mode)
from test_html import external_references
from typer.testing import CliRunner

from palaver.cli.app import app
from palaver.report import (
    ReportError,
    negotiation_tournament_figures,
    party_metrics,
    plot_metric_per_competitor,
    report_html,
    write_report,
)
from palaver.report.negotiation_tournament import ranking_rows, win_matrix
from palaver.tournaments.integrity import write_checked_json
from palaver.tournaments.negotiation import load_negotiation_results

PLOTS = (
    "Advantage per competitor",
    "Welfare per competitor",
    "Distance to Pareto per competitor",
    "Advantage distribution",
    "Win matrix",
)


def test_the_report_draws_advantage_welfare_and_pareto_distance_per_competitor(
    negotiation_league: Path,
) -> None:
    page = report_html(negotiation_league)
    assert external_references(page) == []
    plots = embedded_plots(page)
    assert set(PLOTS) <= set(plots)
    for title in PLOTS:
        assert ink(plots[title]) > 0.02, title  # drawn, not the "no values" placeholder
    assert "Negotiation tournament" in page and 'id="ranking"' in page
    for name in ("BoulwareNegotiator", "ConcederNegotiator", "MiCRO", "Crasher"):
        assert name in page
    # The crashing competitor's negotiations are listed with the error's last line.
    failed = re.search(r'<table id="failed">(.*?)</table>', page)
    assert failed is not None and "boom in propose" in failed.group(1)
    assert "Crasher" in failed.group(1)


def test_ranking_and_win_matrix_agree_with_the_results_api(negotiation_league: Path) -> None:
    results = load_negotiation_results(str(negotiation_league))
    table = party_metrics(results)
    assert table.num_rows == results.table("parties").num_rows
    welfare = dict(
        zip(results.negotiations.negotiation_id, results.negotiations.welfare, strict=True)
    )
    for neg, value in zip(
        table.column("negotiation_id").to_pylist(), table.column("welfare").to_pylist(), strict=True
    ):
        assert value == pytest.approx(welfare[neg])
    ours = ranking_rows(results, table)
    theirs = results.ranking()
    assert [r["competitor"] for r in ours] == list(theirs.competitor)
    assert [r["score"] for r in ours] == pytest.approx(list(theirs.score))
    assert [r["ci_low"] for r in ours] == pytest.approx(list(theirs.ci_low), nan_ok=True)
    names = list(results.setup["competitors"])
    expected = results.win_matrix().loc[names, names].to_numpy()
    np.testing.assert_allclose(win_matrix(table, names), expected, equal_nan=True)
    assert set(negotiation_tournament_figures(results)) == set(PLOTS)


def test_another_final_score_gets_its_own_plot(negotiation_league: Path, tmp_path: Path) -> None:
    folder = tmp_path / "league"
    shutil.copytree(negotiation_league, folder)
    setup = json.loads((folder / "tournament.json").read_text())
    setup["final_score"] = ["utility", "median"]
    # The setup is checksummed: rewritten the way the tournament writes it.
    write_checked_json(folder / "tournament.json", setup)
    page = report_html(folder)
    assert "Ranking by median utility" in page
    assert ink(embedded_plots(page)["Utility per competitor"]) > 0.02


def test_distances_rank_the_lowest_on_top() -> None:
    table = {"competitor": ["near", "near", "far", "far"], "gap": [0.1, 0.2, 0.8, 0.9]}
    labels = lambda fig: [t.get_text() for t in fig.axes[0].get_yticklabels()]  # noqa: E731
    # The top row of the plot is the last tick: the best competitor.
    assert labels(plot_metric_per_competitor(table, "gap", lower_is_better=True))[-1] == "near"
    assert labels(plot_metric_per_competitor(table, "gap"))[-1] == "far"
    table["pareto_distance"] = table.pop("gap")
    assert labels(plot_metric_per_competitor(table, "pareto_distance"))[-1] == "near"


def test_a_tournament_with_nothing_finished_yet(negotiation_league: Path, tmp_path: Path) -> None:
    folder = tmp_path / "started"
    folder.mkdir()
    shutil.copy(negotiation_league / "tournament.json", folder)
    page = report_html(folder)
    assert "No negotiation finished yet" in page and "<img" not in page


def test_a_damaged_setup_is_named(negotiation_league: Path, tmp_path: Path) -> None:
    folder = tmp_path / "league"
    shutil.copytree(negotiation_league, folder)
    (folder / "tournament.json").write_text("{not json")
    with pytest.raises(ReportError, match=r"tournament\.json .*damaged"):
        report_html(folder)
    result = CliRunner().invoke(app, ["report", str(folder), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith("error:") and "tournament.json" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_damaged_table_file_is_named(negotiation_league: Path, tmp_path: Path) -> None:
    folder = tmp_path / "league"
    shutil.copytree(negotiation_league, folder)
    victim = next((folder / "parties").iterdir())
    victim.write_bytes(b"PAR1 garbage")
    page = report_html(folder)  # the damaged batch is left out, and said so
    assert "Batches left out: damaged or missing (1)" in page
    assert f"parties/{victim.name}" in page


def test_the_report_command_and_the_notebook(negotiation_league: Path, tmp_path: Path) -> None:
    out = tmp_path / "league.html"
    result = CliRunner().invoke(app, ["report", str(negotiation_league), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    assert "Negotiation tournament" in out.read_text(encoding="utf-8")
    import palaver.report  # noqa: F401  (registers the renderers, as the entry point does)

    shown = load_negotiation_results(str(negotiation_league))._repr_html_()
    assert 'id="ranking"' in shown and "MiCRO" in shown and "<img" in shown
    assert write_report(negotiation_league, out).stat().st_size < 1_000_000


def test_results_in_memory_have_a_report_too() -> None:
    from palaver.report import negotiation_tournament_report
    from palaver.scenarios.generators import anl_scenarios
    from palaver.tournaments.negotiation import cartesian_tournament

    results = cartesian_tournament(
        ["boulware", "micro"],
        anl_scenarios(1, n_outcomes=(10, 20), seed=3),
        n_steps=10,
        executor="serial",
        seed=2,
    )
    page = negotiation_tournament_report(results)
    assert "<title>Negotiation tournament (in memory)</title>" in page
    assert set(PLOTS) <= set(embedded_plots(page))

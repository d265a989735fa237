"""Every analysis of a tournament in one call: :func:`analyze_tournament`.

It loads the records (see :func:`~palaver.tournaments.analysis.records.load_records`),
builds the payoff table and computes the row-mean ranking, sequential
elimination, EGTA evaluation, regret ranking, the survivors of iterated
elimination, symmetric replicator dynamics, pairwise significance tests and
normality diagnostics. Without self-play (an empty diagonal) only the
row-mean ranking and the tests are computed, with a ``UserWarning`` saying
so; the others are ``None``.

With ``output_dir`` each result is written as a CSV file there (the folder is
created; files of the same names are replaced) and, with ``make_plots``, the
figures as PNG files under ``output_dir/plots`` (drawn by
:mod:`palaver.report.tournament_analysis`, which needs matplotlib).
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from palaver._util.plotters import plot
from palaver.tournaments.analysis.dynamics import (
    ReplicatorTrajectory,
    symmetric_replicator_dynamics,
)
from palaver.tournaments.analysis.equilibria import (
    PureNashResult,
    egta_evaluation,
    nash_averaging_ranking,
)
from palaver.tournaments.analysis.payoff import (
    PayoffTable,
    build_payoff_table,
    iterated_elimination,
    pandas,
)
from palaver.tournaments.analysis.ranking import (
    sequential_elimination_ranking,
    tournament_evaluation_ranking,
)
from palaver.tournaments.analysis.records import load_records
from palaver.tournaments.negotiation.negmas_significance import (
    apply_corrections,
    normality_tests,
    pairwise_tests,
)

__all__ = ["PLOTTER_KIND", "TournamentAnalysisReport", "analysis_options", "analyze_tournament"]

#: The plotter kind (``palaver.plotters`` entry point) drawing a report's figures.
PLOTTER_KIND = "tournament_analysis"


@dataclass
class TournamentAnalysisReport:
    """What :func:`analyze_tournament` computed (``None``: not computable)."""

    records: Any
    payoff: PayoffTable
    has_self_play: bool
    tournament_ranking: Any
    sequential_elimination_ranking: Any | None
    egta: PureNashResult | None
    #: The regret ranking; ``None`` without a pure symmetric equilibrium too.
    nash_averaging: Any | None
    iterated_elimination_survivors: list[str] | None
    replicator_dynamics: ReplicatorTrajectory | None
    significance_unpaired: Any
    #: Tests paired by scenario; ``None`` when no two strategies share one.
    significance_paired: Any | None
    normality: Any
    #: Where the files were written, or ``None``.
    output_dir: Path | None = None


def _final_scores(source: Any) -> Any | None:
    """The tournament's own ``strategy``/``score`` table, for the bar chart."""
    from palaver.tournaments.negotiation.negmas_results import SimpleTournamentResults

    if isinstance(source, (str, Path)):
        source = SimpleTournamentResults.load(Path(source))
    if isinstance(source, SimpleTournamentResults):
        scores = source.final_scores
        if scores is not None and len(scores) and "strategy" in scores.columns:
            return scores
    return None


def analyze_tournament(
    source: Any,
    output_dir: str | Path | None = None,
    metric: str = "advantage",
    stat: str = "mean",
    alpha: float = 0.05,
    significance_test: str = "ttest",
    make_plots: bool = False,
    original_scores: Any | None = None,
    replicator_t_max: float = 100.0,
    replicator_n_steps: int = 200,
) -> TournamentAnalysisReport:
    """Analyse ``source`` (anything ``load_records`` takes) over ``metric``.

    Args:
        source: a tournament folder, a tournament's results or a records frame.
        output_dir: write every result there as CSV (and the plots, see below).
        metric: the column compared (``advantage``, ``utility``, ...).
        stat: how a payoff cell aggregates its values (``build_payoff_table``).
        alpha: the significance level of the corrected pairwise tests.
        significance_test: ``ttest``, ``ranksum`` or ``ks`` (``pairwise_tests``).
        make_plots: with ``output_dir``, also write PNG figures to ``plots/``
            (a ``ValueError`` without ``output_dir``: there is nowhere to put them).
        original_scores: a ``strategy``/``score`` frame drawn as a bar chart
            beside the rankings; by default the tournament's final scores.
        replicator_t_max: the time replicator dynamics run for.
        replicator_n_steps: how many times of the trajectory are kept.
    """
    if make_plots and output_dir is None:
        raise ValueError("make_plots=True writes figures to output_dir/plots: give output_dir")
    records = load_records(source)
    if original_scores is None:
        original_scores = _final_scores(source)
    try:
        payoff = build_payoff_table(records, metric=metric, stat=stat)
        has_self_play = True
    except ValueError as exc:
        if "self-play" not in str(exc):
            raise
        warnings.warn(
            f"{exc}; computing only the row-mean ranking and the significance tests",
            UserWarning,
            stacklevel=2,
        )
        payoff = build_payoff_table(records, metric, stat, require_self_play=False)
        has_self_play = False
    report = TournamentAnalysisReport(
        records=records,
        payoff=payoff,
        has_self_play=has_self_play,
        tournament_ranking=tournament_evaluation_ranking(payoff),
        sequential_elimination_ranking=None,
        egta=None,
        nash_averaging=None,
        iterated_elimination_survivors=None,
        replicator_dynamics=None,
        significance_unpaired=apply_corrections(
            pairwise_tests(records, metric=metric, test=significance_test), alpha=alpha
        ),
        significance_paired=None,
        normality=normality_tests(records, metric=metric),
        output_dir=None if output_dir is None else Path(output_dir),
    )
    if has_self_play:
        report.sequential_elimination_ranking = sequential_elimination_ranking(payoff)
        report.egta = egta_evaluation(payoff)
        if report.egta.best is not None:
            report.nash_averaging = nash_averaging_ranking(payoff)
        report.iterated_elimination_survivors = iterated_elimination(payoff).strategies
        report.replicator_dynamics = symmetric_replicator_dynamics(
            payoff, t_max=replicator_t_max, n_steps=replicator_n_steps
        )
    if significance_test != "ks":  # the KS test compares distributions, never pairs
        paired = pairwise_tests(records, metric=metric, test=significance_test, paired=True)
        if paired["p_value"].notna().any():
            report.significance_paired = apply_corrections(paired, alpha=alpha)
    if report.output_dir is not None:
        _save(report, report.output_dir)
        if make_plots:
            plot(
                PLOTTER_KIND,
                report,
                "palaver.report.tournament_analysis.save_analysis_plots draws the same",
                plots_dir=report.output_dir / "plots",
                original_scores=original_scores,
            )
    return report


def analysis_options(
    run_analysis: Any, analysis_plots: Any, analysis_kwargs: Any, path: Any
) -> dict[str, Any] | None:
    """The keywords ``cartesian_tournament(run_analysis=True, ...)`` passes to
    :func:`analyze_tournament` (``None``: no analysis), checked before any
    negotiation runs. The analysis is written to ``<path>/analysis``, so
    ``run_analysis`` without ``path``, ``analysis_plots`` or
    ``analysis_kwargs`` without ``run_analysis``, and keywords
    ``analyze_tournament`` does not take are a ``ValueError`` (NegMAS
    ignores the first two silently)."""
    for name, value in (("run_analysis", run_analysis), ("analysis_plots", analysis_plots)):
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be True or False, got {value!r:.80}")
    if analysis_kwargs is not None and not isinstance(analysis_kwargs, Mapping):
        raise ValueError(f"analysis_kwargs must be a dict or None, got {analysis_kwargs!r:.80}")
    if not run_analysis:
        if analysis_plots or analysis_kwargs:
            raise ValueError(
                "analysis_plots and analysis_kwargs configure run_analysis=True; "
                "give run_analysis=True or leave them out"
            )
        return None
    if path is None:
        raise ValueError(
            "run_analysis=True writes the analysis to <path>/analysis: give path, or call "
            "analyze_tournament(results, output_dir=...) on the results"
        )
    options = dict(analysis_kwargs or {})
    taken = set(inspect.signature(analyze_tournament).parameters) - {"source", "output_dir"}
    unknown = sorted(set(options) - taken)
    if unknown:
        raise ValueError(
            f"analysis_kwargs {unknown} are not analyze_tournament's; it takes {sorted(taken)}"
        )
    if "make_plots" in options:
        raise ValueError("give analysis_plots=..., not analysis_kwargs['make_plots']")
    options["make_plots"] = analysis_plots
    return options


def _save(report: TournamentAnalysisReport, folder: Path) -> None:
    pd = pandas("analyze_tournament(output_dir=...)")
    folder.mkdir(parents=True, exist_ok=True)
    report.payoff.to_frame().to_csv(folder / "payoff_matrix.csv")
    frames: dict[str, Any] = {
        "tournament_evaluation_ranking": report.tournament_ranking,
        "sequential_elimination_ranking": report.sequential_elimination_ranking,
        "nash_averaging_ranking": report.nash_averaging,
        "significance_unpaired": report.significance_unpaired,
        "significance_paired": report.significance_paired,
        "normality": report.normality,
    }
    if report.egta is not None:
        frames["egta_evaluation"] = pd.DataFrame(
            {
                "candidates": [";".join(report.egta.candidates)],
                "best": [report.egta.best],
                "unique": [report.egta.unique],
            }
        )
    if report.iterated_elimination_survivors is not None:
        frames["iterated_elimination_survivors"] = pd.DataFrame(
            {"strategy": report.iterated_elimination_survivors}
        )
    trajectory = report.replicator_dynamics
    if trajectory is not None:
        shares = pd.DataFrame(trajectory.x, columns=trajectory.strategies_x)
        shares.insert(0, "time", trajectory.times)
        frames["replicator_dynamics"] = shares
    for name, frame in frames.items():
        if frame is not None:
            frame.to_csv(folder / f"{name}.csv", index=False)

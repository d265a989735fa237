"""Game-theoretic analysis of a finished tournament.

A tournament where strategies met in pairs is a symmetric two-player game:
:mod:`~palaver.tournaments.analysis.records` turns its results into one row
per negotiator side, :mod:`~palaver.tournaments.analysis.payoff` into the
payoff table every method reads, and then:
:mod:`~palaver.tournaments.analysis.equilibria` (pure and mixed Nash
equilibria, EGTA evaluation, regret),
:mod:`~palaver.tournaments.analysis.ranking` (row-mean and sequential
elimination rankings), :mod:`~palaver.tournaments.analysis.dynamics`
(replicator dynamics) and :mod:`~palaver.tournaments.analysis.report`
(:func:`analyze_tournament`, all of them, saved as CSV and figures).
These are NegMAS's ``negmas.tournaments.analysis`` names. Everything is
computed with numpy and pandas; figures are drawn by
:mod:`palaver.report.tournament_analysis`.
"""

from __future__ import annotations

from palaver.tournaments.analysis import dynamics
from palaver.tournaments.analysis.dynamics import (
    ReplicatorTrajectory,
    asymmetric_replicator_dynamics,
    final_mixed_strategy,
    symmetric_replicator_dynamics,
)
from palaver.tournaments.analysis.equilibria import (
    PureNashResult,
    egta_evaluation,
    mixed_nash_equilibria,
    nash_averaging_ranking,
    pure_symmetric_nash_equilibria,
    regret,
)
from palaver.tournaments.analysis.payoff import (
    PayoffTable,
    build_payoff_table,
    iterated_elimination,
)
from palaver.tournaments.analysis.ranking import (
    sequential_elimination_ranking,
    tournament_evaluation_ranking,
)
from palaver.tournaments.analysis.records import (
    COMMON_COLUMNS,
    load_records,
    records_from_path,
    records_from_simple_results,
    records_from_situated,
)
from palaver.tournaments.analysis.report import TournamentAnalysisReport, analyze_tournament

__all__ = [
    "COMMON_COLUMNS",
    "PayoffTable",
    "PureNashResult",
    "ReplicatorTrajectory",
    "TournamentAnalysisReport",
    "analyze_tournament",
    "asymmetric_replicator_dynamics",
    "build_payoff_table",
    "dynamics",
    "egta_evaluation",
    "final_mixed_strategy",
    "iterated_elimination",
    "load_records",
    "mixed_nash_equilibria",
    "nash_averaging_ranking",
    "pure_symmetric_nash_equilibria",
    "records_from_path",
    "records_from_simple_results",
    "records_from_situated",
    "regret",
    "sequential_elimination_ranking",
    "symmetric_replicator_dynamics",
    "tournament_evaluation_ranking",
]

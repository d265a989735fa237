"""Tournaments: many worlds over competitors, configurations and seeds.

Declare a tournament once (:class:`TournamentConfig` or a TOML file read by
:func:`load_config`), run it with :func:`run_tournament` on the ``serial``,
``process`` or ``ray`` executor, and read the results folder with
:func:`load_results`. Each world's seed derives from the root seed and the
world's position, so results are the same on every executor.
"""

from palaver.tournaments.config import (
    Competitor,
    TournamentConfig,
    TournamentConfigError,
    as_config,
    load_config,
)
from palaver.tournaments.executors import EXECUTORS, ExecutorUnavailableError, make_executor
from palaver.tournaments.plan import WorldTask, plan_worlds
from palaver.tournaments.play import DONE, FAILED, TIMED_OUT, WorldResult
from palaver.tournaments.ranking import Standing, ranking, standings, win_matrix, win_rates
from palaver.tournaments.results import TournamentFolderError, TournamentResults, load_results
from palaver.tournaments.runner import run_tournament

__all__ = [
    "DONE",
    "EXECUTORS",
    "FAILED",
    "TIMED_OUT",
    "Competitor",
    "ExecutorUnavailableError",
    "Standing",
    "TournamentConfig",
    "TournamentConfigError",
    "TournamentFolderError",
    "TournamentResults",
    "WorldResult",
    "WorldTask",
    "as_config",
    "load_config",
    "load_results",
    "make_executor",
    "plan_worlds",
    "ranking",
    "run_tournament",
    "standings",
    "win_matrix",
    "win_rates",
]

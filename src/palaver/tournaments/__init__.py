"""Tournaments: many worlds over competitors, configurations and seeds.

Declare a tournament once (:class:`TournamentConfig` or a TOML file read by
:func:`load_config`), run it with :func:`run_tournament` on the ``serial``,
``process`` or ``ray`` executor, and read the results folder with
:func:`load_results`. Each world's seed derives from the root seed and the
world's position, so results are the same on every executor.

The names load on first use (PEP 562): a worker process that only runs worlds
imports :mod:`.play` and what it needs, not pandas, pyarrow's Parquet and
rich, which only the tournament process uses (0.4 s saved in each fresh Ray
worker).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Loaded now, for ``ranking`` names both a function and its module: importing
# the module (results.py does) would otherwise bind the module to that name.
from palaver.tournaments.ranking import ranking

if TYPE_CHECKING:
    from palaver.tournaments.config import (
        Competitor,
        TournamentConfig,
        TournamentConfigError,
        as_config,
        load_config,
    )
    from palaver.tournaments.executors import (
        EXECUTORS,
        ExecutorUnavailableError,
        make_executor,
    )
    from palaver.tournaments.isolated import (
        DEFAULT_MAX_TASKS_PER_WORKER,
        UnserializableTaskError,
        run_isolated_tasks,
    )
    from palaver.tournaments.neg_scenarios import random_discrete_scenarios, scenarios_from_list
    from palaver.tournaments.neg_worlds import (
        NegTournamentResults,
        cartesian_neg_tournament,
        cartesian_neg_tournement,
        neg_tournament,
    )
    from palaver.tournaments.plan import WorldTask, plan_worlds
    from palaver.tournaments.play import DONE, FAILED, TIMED_OUT, WorldResult
    from palaver.tournaments.ranking import Standing, standings, win_matrix, win_rates
    from palaver.tournaments.results import (
        TournamentFolderError,
        TournamentResults,
        load_results,
    )
    from palaver.tournaments.runner import TournamentWarning, run_tournament
    from palaver.tournaments.task_drivers import (
        MAX_TASKS_PER_CHILD,
        TERMINATION_WAIT_TIME,
        make_process_executor,
        parse_parallelism,
        resolve_cpus,
        resolve_workers,
        run_parallel_tasks,
        run_serial_tasks,
        run_threaded_tasks,
    )

_LAZY = {
    "Competitor": "config",
    "TournamentConfig": "config",
    "TournamentConfigError": "config",
    "as_config": "config",
    "load_config": "config",
    "EXECUTORS": "executors",
    "ExecutorUnavailableError": "executors",
    "make_executor": "executors",
    "DEFAULT_MAX_TASKS_PER_WORKER": "isolated",
    "UnserializableTaskError": "isolated",
    "run_isolated_tasks": "isolated",
    "MAX_TASKS_PER_CHILD": "task_drivers",
    "TERMINATION_WAIT_TIME": "task_drivers",
    "make_process_executor": "task_drivers",
    "parse_parallelism": "task_drivers",
    "resolve_cpus": "task_drivers",
    "resolve_workers": "task_drivers",
    "run_parallel_tasks": "task_drivers",
    "run_serial_tasks": "task_drivers",
    "run_threaded_tasks": "task_drivers",
    "NegTournamentResults": "neg_worlds",
    "cartesian_neg_tournament": "neg_worlds",
    "cartesian_neg_tournement": "neg_worlds",
    "neg_tournament": "neg_worlds",
    "random_discrete_scenarios": "neg_scenarios",
    "scenarios_from_list": "neg_scenarios",
    "WorldTask": "plan",
    "plan_worlds": "plan",
    "DONE": "play",
    "FAILED": "play",
    "TIMED_OUT": "play",
    "WorldResult": "play",
    "Standing": "ranking",
    "standings": "ranking",
    "win_matrix": "ranking",
    "win_rates": "ranking",
    "TournamentFolderError": "results",
    "TournamentResults": "results",
    "load_results": "results",
    "run_tournament": "runner",
    "TournamentWarning": "runner",
}


def __getattr__(name: str) -> Any:
    """Load a public name on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "DEFAULT_MAX_TASKS_PER_WORKER",
    "DONE",
    "EXECUTORS",
    "FAILED",
    "MAX_TASKS_PER_CHILD",
    "TERMINATION_WAIT_TIME",
    "TIMED_OUT",
    "Competitor",
    "ExecutorUnavailableError",
    "NegTournamentResults",
    "Standing",
    "TournamentConfig",
    "TournamentConfigError",
    "TournamentFolderError",
    "TournamentResults",
    "TournamentWarning",
    "UnserializableTaskError",
    "WorldResult",
    "WorldTask",
    "as_config",
    "cartesian_neg_tournament",
    "cartesian_neg_tournement",
    "load_config",
    "load_results",
    "make_executor",
    "make_process_executor",
    "neg_tournament",
    "parse_parallelism",
    "plan_worlds",
    "random_discrete_scenarios",
    "ranking",
    "resolve_cpus",
    "resolve_workers",
    "run_isolated_tasks",
    "run_parallel_tasks",
    "run_serial_tasks",
    "run_threaded_tasks",
    "run_tournament",
    "scenarios_from_list",
    "standings",
    "win_matrix",
    "win_rates",
]

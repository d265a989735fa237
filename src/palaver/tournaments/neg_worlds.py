"""NegMAS's situated negotiation tournaments: negotiators ranked over :class:`NegWorld`\\ s.

:func:`neg_tournament` takes ``n_configs`` conditions from a generator
(:func:`scenarios_from_list`, :func:`random_discrete_scenarios`), runs one
:class:`~palaver.world.negworld.NegWorld` holding every competitor per condition
and repetition, and ranks the competitors' types by their received utility.
:func:`cartesian_neg_tournament` (also under NegMAS's spelling
``cartesian_neg_tournement``) builds the conditions from bilateral scenarios:
every competitor against every competitor and non-competitor.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from palaver.tournaments.neg_scenarios import (
    cartesian_conditions,
    random_discrete_scenarios,
    scenarios_from_list,
)
from palaver.world.negworld import Condition, NegWorld, negotiator_class

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "NegTournamentResults",
    "cartesian_neg_tournament",
    "cartesian_neg_tournement",
    "neg_tournament",
    "random_discrete_scenarios",
    "scenarios_from_list",
]

#: The measures a NegWorld keeps for each competitor; ``scoring_method`` picks one.
SCORING_METHODS = (
    "received_utility",
    "received_advantage",
    "partner_utility",
    "partner_advantage",
    "welfare",
    "total_advantage",
)
_METRICS = ("mean", "median", "sum", "std", "var", "min", "max")
#: NegMAS's tournament() options that neg_tournament does not take: refused by
#: name, not handed to the world as unknown world options.
_NEGMAS_ONLY = frozenset(
    {
        "configs_only", "total_timeout", "tournament_progress_callback",
        "world_progress_callback", "save_video_fraction", "forced_logs_fraction",
        "video_params", "video_saver", "max_attempts", "extra_scores_to_use",
        "scheduler_ip", "scheduler_port", "stage_winners_fraction", "round_robin",
        "n_runs_per_world", "max_worlds_per_config", "n_competitors_per_world",
        "n_agents_per_competitor", "non_competitors", "non_competitor_params",
        "dynamic_non_competitors", "dynamic_non_competitor_params",
        "exclude_competitors_from_reassignment", "max_n_configs", "n_runs_per_config",
    }
)  # fmt: skip


@dataclass
class NegTournamentResults:
    """What :func:`neg_tournament` returns (NegMAS's ``TournamentResults`` fields).

    ``scores`` has one row per competitor and world (``agent_name``,
    ``agent_id``, ``agent_type``, ``score``, ``world``, ``run_id``);
    ``total_scores`` one row per type (``agent_type``, ``score``: the
    ``metric`` of its scores), best first; ``winners`` the best type(s) and
    ``winners_scores`` their score; ``extra_scores`` every scoring method's
    table; ``failures`` maps a world that raised to its error; ``path`` is the
    folder the tables were written to (``None``: none).
    """

    scores: pd.DataFrame
    total_scores: pd.DataFrame
    winners: list[str]
    winners_scores: list[float]
    extra_scores: dict[str, pd.DataFrame]
    failures: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.total_scores.to_string(index=False)}\nThe winner(s): {self.winners}"


def _run_one(
    task: tuple[str, Condition, list[Any], list[dict[str, Any]], dict[str, Any], int],
) -> tuple[str, list[dict[str, Any]], str | None]:
    """Run one world; its rows, or the error that stopped it."""
    name, condition, types, params, world_params, seed = task
    try:
        world = NegWorld(
            scenario=condition, types=types, params=params, name=name, seed=seed, **world_params
        )
        world.run()
    except Exception as exc:  # one world's failure must not stop the tournament
        return name, [], f"{type(exc).__name__}: {exc}"
    rows = []
    for aid, agent in world.competitors.items():
        received, partner = world.received_utility(aid), world.partner_utility(aid)
        advantage, partner_advantage = world.received_advantage(aid), world.partner_advantage(aid)
        measures = {
            "received_utility": received,
            "received_advantage": advantage,
            "partner_utility": partner,
            "partner_advantage": partner_advantage,
            "welfare": 0.5 * (received + partner),
            "total_advantage": 0.5 * (advantage + partner_advantage),
        }
        rows.append(
            {"agent_name": agent.name, "agent_id": aid, "agent_type": agent.type_name,
             "world": name, "run_id": name, **measures}
        )  # fmt: skip
    return name, rows, None


def _workers(parallelism: str) -> int:
    kind, _, share = parallelism.partition(":")
    if kind == "serial":
        return 0
    if kind != "parallel":
        raise ValueError(
            f"parallelism must be 'serial' or 'parallel[:fraction]'; got {parallelism!r} "
            "(Palaver has no dask backend: use palaver.tournaments.run_tournament with "
            "executor='ray' for a cluster)"
        )
    fraction = float(share) if share else 1.0
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"parallelism {parallelism!r}: the fraction must be in (0, 1]")
    return max(1, int((os.cpu_count() or 1) * fraction))


def _aggregate(values: pd.Series, metric: str | Callable[[Any], float]) -> float:
    if callable(metric):
        return float(metric(values))
    return float(getattr(values, metric)())


def neg_tournament(
    competitors: Sequence[Any],
    scenarios: Iterable[Condition],
    competitor_params: Sequence[dict[str, Any] | None] | None = None,
    n_repetitions: int = 1,
    *,
    n_configs: int = 10,
    name: str | None = None,
    tournament_path: str | os.PathLike[str] | None = None,
    parallelism: str = "parallel",
    metric: str | Callable[[Any], float] = "median",
    scoring_method: str = "received_utility",
    agent_names_reveal_type: bool = True,
    verbose: bool = False,
    print_exceptions: bool = True,
    seed: int | None = None,
    **world_params: Any,
) -> NegTournamentResults:
    """Rank negotiator types over ``n_configs`` conditions, ``n_repetitions`` worlds each.

    Each world is a :class:`NegWorld` of the next condition with every
    competitor; ``world_params`` (``n_steps``, ``neg_n_steps``,
    ``neg_time_limit``, ``compact``, ...) go to each. Scores are each
    competitor's ``scoring_method`` (see :data:`SCORING_METHODS`), aggregated
    per type by ``metric`` (a pandas method name or a callable).
    ``parallelism`` is ``"serial"`` or ``"parallel[:fraction]"`` (a process
    pool). With ``tournament_path`` the tables are written there as CSV.
    ``seed`` fixes every world's seed (``None``: drawn and kept in
    ``results.params``). A world that raises is recorded in ``failures``
    (printed with ``print_exceptions``); when every world fails, ``RuntimeError``.
    """
    import pandas as pd

    unsupported = sorted(_NEGMAS_ONLY.intersection(world_params))
    if unsupported:
        raise TypeError(
            f"neg_tournament does not take NegMAS's tournament option(s) {unsupported} "
            "(n_repetitions sets the runs per condition; see docs/tournaments.md)"
        )
    if scoring_method not in SCORING_METHODS:
        raise ValueError(f"scoring_method must be one of {SCORING_METHODS}; got {scoring_method!r}")
    if isinstance(metric, str) and metric not in _METRICS:
        raise ValueError(f"metric must be one of {_METRICS} or a callable; got {metric!r}")
    if n_configs < 1 or n_repetitions < 1:
        raise ValueError(
            f"n_configs ({n_configs}) and n_repetitions ({n_repetitions}) must be >= 1"
        )
    types = [negotiator_class(c) for c in competitors]
    if not types:
        raise ValueError("neg_tournament needs at least one competitor")
    params = [dict(p or {}) for p in (competitor_params or [None] * len(types))]
    if len(params) != len(types):
        raise ValueError(f"{len(types)} competitors but {len(params)} competitor_params")
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    stream = iter(scenarios)
    name = name or "neg-tournament"
    world_params = {"agent_names_reveal_type": agent_names_reveal_type, **world_params}
    tasks = []
    for config in range(n_configs):
        condition = next(stream)
        for rep in range(n_repetitions):
            world_name = f"{condition.name}.{config}.{rep}"
            tasks.append((world_name, condition, types, params, world_params, rng.randrange(2**31)))
    workers = _workers(parallelism)
    # A misspelt world option or a bad competitor fails here, once, by name,
    # instead of failing every world.
    NegWorld(scenario=tasks[0][1], types=types, params=params, **world_params)
    if workers:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(_run_one, tasks))
    else:
        outcomes = [_run_one(t) for t in tasks]
    rows, failures = [], {}
    for k, (world_name, world_rows, error) in enumerate(outcomes):
        if error is not None:
            failures[world_name] = error
            if print_exceptions:
                print(f"world {world_name} failed: {error}")
        rows.extend(world_rows)
        if verbose:
            print(f"{k + 1}/{len(outcomes)} worlds: {world_name} {'failed' if error else 'done'}")
    if not rows:
        raise RuntimeError(f"every world of tournament {name!r} failed: {failures}")
    table = pd.DataFrame(rows)
    table["score"] = table[scoring_method]
    scores = table[["agent_name", "agent_id", "agent_type", "score", "world", "run_id"]]
    extra = {
        method: table[["agent_type", method, "world", "run_id"]].rename(columns={method: "score"})
        for method in SCORING_METHODS
    }
    totals = (
        scores.groupby("agent_type")["score"]
        .apply(lambda s: _aggregate(s, metric))
        .reset_index()
        .sort_values("score", ascending=False, ignore_index=True)
    )
    best = float(totals["score"].iloc[0])
    winners = [str(t) for t in totals.loc[totals["score"] == best, "agent_type"]]
    path = None
    if tournament_path is not None:
        path = Path(tournament_path)
        path.mkdir(parents=True, exist_ok=True)
        scores.to_csv(path / "scores.csv", index=False)
        totals.to_csv(path / "total_scores.csv", index=False)
    return NegTournamentResults(
        scores=scores,
        total_scores=totals,
        winners=winners,
        winners_scores=[best] * len(winners),
        extra_scores=extra,
        failures=failures,
        path=path,
        params={"name": name, "seed": seed, "n_configs": n_configs,
                "n_repetitions": n_repetitions, "metric": metric,
                "scoring_method": scoring_method, **world_params},
    )  # fmt: skip


def cartesian_neg_tournament(
    competitors: Sequence[Any],
    scenarios: Sequence[Any],
    competitor_params: Sequence[dict[str, Any] | None] | None = None,
    non_competitors: Sequence[Any] = (),
    non_competitor_params: Sequence[dict[str, Any] | None] | None = None,
    rotate_ufuns: bool = False,
    n_repetitions: int = 1,
    n_steps: int = 2,
    n_rounds: int | None = None,
    timelimit: float | None = None,
    **kwargs: Any,
) -> NegTournamentResults:
    """Every competitor against every competitor and non-competitor on each bilateral
    scenario (an object with ``outcome_space`` and two ``ufuns``), as NegWorlds (NegMAS's).

    ``n_rounds`` and ``timelimit`` are each negotiation's ``neg_n_steps`` and
    ``neg_time_limit``; ``rotate_ufuns`` also runs each scenario with its two
    utility functions swapped; the rest goes to :func:`neg_tournament`.
    """
    competitor_params = list(competitor_params or [None] * len(competitors))
    non_competitor_params = list(non_competitor_params or [None] * len(non_competitors))
    if n_rounds is not None:
        kwargs["neg_n_steps"] = n_rounds
    if timelimit is not None:
        kwargs["neg_time_limit"] = timelimit
    conditions = cartesian_conditions(
        scenarios, competitors, competitor_params, non_competitors, non_competitor_params,
        rotate_ufuns,
    )  # fmt: skip
    return neg_tournament(
        competitors,
        scenarios_from_list(conditions),
        competitor_params,
        n_repetitions,
        n_configs=len(conditions),
        n_steps=n_steps,
        **kwargs,
    )


#: NegMAS's spelling.
cartesian_neg_tournement = cartesian_neg_tournament

"""The list of worlds a tournament runs, each with its position and seed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from palaver.tournaments.assignment import Lineup, lineups, sweep_points
from palaver.tournaments.config import TournamentConfig
from palaver.tournaments.seeds import assignment_rng, world_seed


@dataclass(frozen=True)
class WorldTask:
    """One world to run: where it sits in the tournament, its line-up, parameters and seed."""

    world_id: str
    index: int
    lineup_index: int
    config_index: int
    repetition: int
    lineup: Lineup
    sweep_params: dict[str, Any] = field(default_factory=dict)
    seed: int = 0


def plan_worlds(config: TournamentConfig, root_seed: int) -> list[WorldTask]:
    """Every world of the tournament in run order.

    Repetitions are the outermost loop, so a tournament stopped half-way has
    results spread over all line-ups and configurations rather than complete for
    a few of them.
    """
    names = [c.label for c in config.competitors]
    teams = lineups(
        names, config.assignment, config.size, config.n_lineups, assignment_rng(root_seed)
    )
    points = sweep_points(config.sweep)
    tasks: list[WorldTask] = []
    for rep in range(config.repetitions):
        for p, point in enumerate(points):
            for t, team in enumerate(teams):
                index = len(tasks)
                tasks.append(
                    WorldTask(
                        world_id=f"w{index:06d}",
                        index=index,
                        lineup_index=t,
                        config_index=p,
                        repetition=rep,
                        lineup=team,
                        sweep_params=point,
                        seed=world_seed(root_seed, t, p, rep),
                    )
                )
    return tasks

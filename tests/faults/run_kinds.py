"""The runs the SIGKILL cases interrupt (a world tournament, a negotiation
tournament, a world writing checkpoints), and what each produced, comparable
across processes."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.scenarios import Scenario

WORLD_CONFIG: dict[str, Any] = {
    "world": "palaver.examples.trips:TripsWorld",
    "competitors": ["palaver.examples.trips:RandomPerson", "palaver.examples.trips:SmartPerson"],
    "world_params": {"n_steps": 3},
    "repetitions": 8,
    "seed": 151,
    "name": "kills",
}
CHECKPOINT_STEPS = 8


def scenario(i: int) -> Scenario:
    """A small seeded bilateral scenario named ``s{i}``."""
    rng = np.random.default_rng(200 + i)
    space = OutcomeSpace([make_issue(6, "a"), make_issue(6, "b")])
    ufuns = [
        LinearAdditiveUtilityFunction(
            [dict(enumerate(rng.random(6).tolist())) for _ in range(2)],
            [0.5, 0.5],
            reserved_value=0.1,
            outcome_space=space,
        )
        for _ in range(2)
    ]
    return Scenario(space, ufuns, name=f"s{i}")


def negotiation_args() -> dict[str, Any]:
    """The arguments of the negotiation tournament (without ``path``)."""
    return {
        "competitors": ["boulware", "conceder", "linear"],
        "scenarios": [scenario(i) for i in range(4)],
        "n_steps": 30,
        "n_repetitions": 2,
        "seed": 151,
        "detail": "offers",
    }


def world_summary(world: Any) -> dict[str, Any]:
    """What a world's run produced."""
    contracts = [
        [c.id, list(c.partners), c.agreement, c.signed_at, c.executed_at]
        for c in world.saved_contracts
    ]
    data = {"contracts": contracts, "stats": world.stats, "scores": world.scores()}
    return json.loads(json.dumps(data, default=str))


def run_kind(kind: str, out: Path) -> Any:
    """Run ``kind`` into ``out`` (resuming what is there) and return its summary."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "world":
            from palaver.tournaments import TournamentConfig, run_tournament

            results = run_tournament(
                TournamentConfig(**WORLD_CONFIG), out, executor="serial", progress=False
            )
            table = results.table("scores").sort_by([("world_id", "ascending")])
            return table.select(["world_id", "agent_id", "score"]).to_pylist()
        if kind == "negotiation":
            from palaver.tournaments.negotiation import cartesian_tournament

            results = cartesian_tournament(**negotiation_args(), path=out)
            rows = {}
            for name in ("negotiations", "parties", "offers"):
                table = results.table(name)
                keep = [c for c in table.column_names if "time" not in c]
                rows[name] = sorted(map(repr, table.select(keep).to_pylist()))
            return rows
        if kind == "checkpoint":
            from palaver.examples import build_trips

            world = build_trips(
                4,
                CHECKPOINT_STEPS,
                seed=5,
                checkpoint_every=1,
                checkpoint_folder=out,
                single_checkpoint=False,
            )
            world.run()
            return world_summary(world)
    raise ValueError(f"unknown kind {kind!r}")

"""Workload 2 on Palaver: the TripsWorld with random-partner aspiration agents.

Runs in Palaver's environment. The world is ``palaver.examples.trips.TripsWorld``
and the agent is the one in ``trips_agent.py``, built on Palaver's ``Person``
(the same agent code NegMAS runs). Preferences and no-show probabilities come
from ``trips_preferences(seed)``, as on NegMAS's side. ``--recorder`` attaches a
``palaver.recording.SimulationRecorder`` writing to a temporary folder, to
measure the recorder's overhead.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from common import Meter, run_side, trips_parser, trips_preferences, trips_reserved
from trips_agent import Tally, make_agents, random_person_class


def attach_recorder(world: Any, folder: Path) -> Any:
    """A recorder that captures everything the world emits, written under ``folder``."""
    from palaver.recording import SimulationRecorder

    recorder = SimulationRecorder(world, output_dir=str(folder))
    recorder.attach(world)
    return recorder


def run_world(args: argparse.Namespace, folder: Path | None) -> dict[str, Any]:
    """Build and run one world (recording into ``folder`` when given)."""
    from palaver.examples.trips import Person, TripsWorld
    from palaver.negotiators import AspirationNegotiator
    from palaver.preferences import LinearUtilityFunction

    weights, breach = trips_preferences(args.seed, args.agents)
    tally = Tally()
    cls = random_person_class(Person, AspirationNegotiator)
    result: dict[str, Any] = {
        "side": "palaver",
        "agents": args.agents,
        "steps": args.steps,
        "reserved": args.reserved,
    }
    with Meter() as meter:
        world = TripsWorld(
            n_steps=args.steps,
            neg_n_steps=args.neg_n_steps,
            negotiation_quota_per_step=args.quota,
            seed=args.seed,
        )
        recorder = attach_recorder(world, folder) if folder is not None else None
        agents = make_agents(cls, args.agents, args.seed, tally)
        reserved = trips_reserved(weights, args.reserved)
        for agent, w, b, r in zip(agents, weights, breach, reserved, strict=True):
            ufun = LinearUtilityFunction(list(w), reserved_value=float(r))
            world.join(agent, preferences=ufun, breach_prob=float(b))
        world.run()
        if recorder is not None:
            result["recorder"] = True
            result["events"] = len(recorder.events)
            recorder.close()
    result.update(steps_run=int(world.current_step), **meter.figures(), **tally.summary())
    return result


def main(args: argparse.Namespace) -> dict[str, Any]:
    """Run the world, with a recorder in a temporary folder if asked."""
    if not args.recorder:
        return run_world(args, None)
    with tempfile.TemporaryDirectory(prefix="w2-palaver-") as tmp:
        return run_world(args, Path(tmp))


def parser() -> argparse.ArgumentParser:
    """Command-line arguments of this side script."""
    p = trips_parser(__doc__)
    p.add_argument("--recorder", action="store_true", help="attach the recorder")
    return p


if __name__ == "__main__":
    run_side(main, parser())

"""Workload 2 on NegMAS 0.16.0: the TripsWorld with random-partner aspiration agents.

Runs in the peer environment. Logs are off (``no_logs=True``); everything else
keeps NegMAS's defaults (it saves negotiations and contracts in memory). Agent
preferences and no-show probabilities come from ``trips_preferences(seed)``, the
same numbers ``w2_palaver.py`` uses.
"""

from __future__ import annotations

import argparse
import random
from typing import Any

import numpy as np

from common import Meter, run_side, trips_parser, trips_preferences, trips_reserved
from trips_agent import Tally, make_agents, random_person_class


def main(args: argparse.Namespace) -> dict[str, Any]:
    """Build and run one world; return timings and negotiation statistics."""
    from negmas import AspirationNegotiator, LinearUtilityFunction

    from trips_negmas import Person, TripsWorld

    random.seed(args.seed)
    np.random.seed(args.seed)
    weights, breach = trips_preferences(args.seed, args.agents)
    tally = Tally()
    cls = random_person_class(Person, AspirationNegotiator)
    with Meter() as meter:
        world = TripsWorld(
            n_steps=args.steps,
            neg_n_steps=args.neg_n_steps,
            negotiation_quota_per_step=args.quota,
            no_logs=True,
            time_limit=None,
        )
        agents = make_agents(cls, args.agents, args.seed, tally)
        reserved = trips_reserved(weights, args.reserved)
        for agent, w, b, r in zip(agents, weights, breach, reserved, strict=True):
            ufun = LinearUtilityFunction(list(w), reserved_value=float(r))
            world.join(agent, preferences=ufun, breach_prob=float(b))
        world.run()
    return {
        "side": "negmas",
        "agents": args.agents,
        "steps": args.steps,
        "reserved": args.reserved,
        "steps_run": int(world.current_step),
        **meter.figures(),
        **tally.summary(),
    }


def parser() -> argparse.ArgumentParser:
    """Command-line arguments of this side script."""
    p = trips_parser(__doc__)
    return p


if __name__ == "__main__":
    run_side(main, parser())

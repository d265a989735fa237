"""TripsWorld with and without a recorder: what recording every event costs a world.

``--recorder none`` runs the built-in 50-agent TripsWorld
(``palaver.examples.trips.build_trips``) alone; ``--recorder palaver`` runs the
very same world (same seed, same agents, same negotiations) with a
``SimulationRecorder`` attached at the default detail (every offer and
response recorded) and streaming to a temporary folder, closed at the end.
Both print the world's outcome counts next to their timings, so the two runs
can be seen to do the same work. CPU time covers ``world.run()`` and, with a
recorder, ``close()`` (the last Parquet part and the stats table).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from typing import Any

from common import peak_rss_mb, run_side


def main(args: argparse.Namespace) -> dict[str, Any]:
    """Run the world (with a recorder if asked); return timings and outcome counts."""
    from palaver.events import EventType
    from palaver.examples.trips import build_trips
    from palaver.recording import SimulationRecorder

    world = build_trips(n_agents=args.agents, n_steps=args.steps, seed=args.seed)
    counts: Counter[str] = Counter()

    class Counting:
        """Counts contracts and negotiations (a sink that wants no offers)."""

        event_types = frozenset(
            {EventType.CONTRACT_SIGNED, EventType.CONTRACT_EXECUTED, EventType.NEGOTIATION_ENDED}
        )

        def emit(self, event: Any) -> None:
            counts[str(event.type)] += 1

    with tempfile.TemporaryDirectory(prefix="trips-rec-") as tmp:
        recorder = None
        if args.recorder == "palaver":
            recorder = SimulationRecorder(world, output_dir=tmp)
        world.bus.add_sink(Counting())
        c0, t0 = time.process_time(), time.perf_counter()
        world.run()
        if recorder is not None:
            recorder.close()
        cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        events = recorder.get_stats()["total_events"] if recorder is not None else None
    return {
        "side": args.recorder,
        "agents": args.agents,
        "steps": args.steps,
        "cpu_s": cpu,
        "wall_s": wall,
        "events": events,
        "signed": counts["contract_signed"],
        "executed": counts["contract_executed"],
        "negotiations": counts["negotiation_ended"],
        "peak_rss_mb": peak_rss_mb(),
    }


def parser() -> argparse.ArgumentParser:
    """Command-line arguments of this side script."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--recorder", choices=["none", "palaver"], required=True)
    p.add_argument("--agents", type=int, default=50)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    return p


if __name__ == "__main__":
    run_side(main, parser())

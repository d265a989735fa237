"""Side-by-side benchmarks: Palaver against NegMAS 0.16.0 and mesa-llm 0.2.0.

``make bench`` runs this with Palaver's interpreter. It creates the peers'
environment (``benchmarks/.peers``) if missing, runs every workload on both
sides in one run, interleaving the sides, prints a table per workload (each
side's figure, Palaver's advantage, the bar and whether it holds, with the
outcome statistics that show both sides did the same work) and writes
everything to ``benchmarks/results/bench-<time>.json``.

    python benchmarks/run.py [--workload 1|2|3|trips-recorder|all] [--quick] [--reuse-peers]
"""

from __future__ import annotations

import argparse
import sys
import time

import plan_trips_rec

import plan_w1
import plan_w2
import plan_w3
from harness import RESULTS_DIR, Runner
from peers import ensure_peers
from report import Section, render, save


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description="Palaver's side-by-side benchmarks.")
    p.add_argument("--workload", choices=["1", "2", "3", "trips-recorder", "all"], default="all")
    p.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    p.add_argument(
        "--reuse-peers",
        action="store_true",
        help="take a peer's figures from benchmarks/results/peer_cache.json when that exact "
        "peer job has run before, instead of running it again (the slow NegMAS worlds)",
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen workloads; return 0 (failures are reported in the tables)."""
    args = parse(argv)
    try:
        ensure_peers()
    except RuntimeError as exc:
        print(f"cannot set up the peer environment; peer sides will fail:\n{exc}", file=sys.stderr)
    runner = Runner(reuse_peers=args.reuse_peers)
    chosen = ["1", "2", "3", "trips-recorder"] if args.workload == "all" else [args.workload]
    sections: list[Section] = []
    t0 = time.perf_counter()
    for w in chosen:
        print(f"\nWorkload {w}{' (quick)' if args.quick else ''}", flush=True)
        if w == "1":
            new = [plan_w1.run(runner, args.quick)]
        elif w == "2":
            new = plan_w2.run(runner, args.quick)
        elif w == "trips-recorder":
            new = [plan_trips_rec.run(runner, args.quick)]
        else:
            new = [plan_w3.run(runner, args.quick)]
        for section in new:
            render(section)
        sections += new
    path = save(RESULTS_DIR, vars(args), sections, runner.results)
    elapsed = time.perf_counter() - t0
    print(f"\n{len(runner.results)} runs in {elapsed:,.0f} s; results in {path}")
    print(f"the tables as Markdown: {path.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

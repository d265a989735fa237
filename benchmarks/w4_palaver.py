"""Workload 4 on Palaver: an ANL-2024-sized negotiation tournament.

Six built-in competitors, ``--scenarios`` generated scenarios of 1,000
outcomes (``common.w4_scenarios``), ``n_steps`` drawn log-uniformly in
[10, 10000] once per scenario and repetition (as NegMAS's
``cartesian_tournament`` draws it, so that NegMAS can run whole batches of the
same negotiations), ``--reps`` repetitions, self-play, every ordered
pairing (each competitor holds each utility function against each other
competitor): 50 x 36 x 5 = 9,000 negotiations. Runs
``palaver.tournaments.negotiation.cartesian_tournament`` on the serial executor
(so that the CPU time of this process is the whole cost) into a fresh folder,
with ``--detail outcomes`` (every negotiation's outcome and scores) or
``offers`` (every offer too). Writes the sample NegMAS runs (``--sample-out``):
``--sample-batches`` whole batches (one scenario and repetition, its 36
pairings, its ``n_steps``), spread evenly over the tournament.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from common import W4_COMPETITORS, W4_N_ISSUES, W4_N_VALUES, Meter, run_side, w4_scenarios


def main(args: argparse.Namespace) -> dict[str, Any]:
    """Run the tournament and return the figures."""
    from palaver.outcomes import OutcomeSpace, make_issue
    from palaver.preferences import LinearAdditiveUtilityFunction
    from palaver.scenarios import Scenario
    from palaver.tournaments.negotiation import cartesian_tournament

    builtin = {
        "Boulware": "boulware",
        "Conceder": "conceder",
        "Linear": "linear",
        "MiCRO": "micro",
        "NaiveTitForTat": "naivetitfortat",
        "Random": "random",
    }
    space = OutcomeSpace([make_issue(W4_N_VALUES, f"i{j}") for j in range(W4_N_ISSUES)])
    scenarios = []
    for spec in w4_scenarios(args.seed, args.scenarios):
        ufuns = [
            LinearAdditiveUtilityFunction(
                [dict(enumerate(spec["values"][p][j])) for j in range(W4_N_ISSUES)],
                spec["weights"][p],
                reserved_value=spec["reserved"][p],
                outcome_space=space,
            )
            for p in range(2)
        ]
        scenarios.append(Scenario(space, ufuns, name=spec["name"]))
    folder = Path(tempfile.mkdtemp(prefix="w4-"))
    try:
        with Meter() as meter:
            results = cartesian_tournament(
                [builtin[c] for c in W4_COMPETITORS],
                scenarios,
                n_repetitions=args.reps,
                n_steps=(10, 10000),
                n_steps_per="scenario",
                rotate_ufuns=False,
                self_play=True,
                path=folder / "t",
                executor="serial",
                competitor_names=list(W4_COMPETITORS),
                seed=args.seed,
                detail=args.detail,
            )
        t0 = time.perf_counter()
        offers = (
            int(results.query("SELECT count(*) AS n FROM offers")["n"][0])
            if args.detail == "offers"
            else 0
        )
        query_s = time.perf_counter() - t0
        size_mb = sum(f.stat().st_size for f in (folder / "t").rglob("*") if f.is_file()) / 2**20
        negs = results.negotiations
        negs = negs.sort_values("index").reset_index(drop=True)
        counts = results.counts()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    per_batch = 36
    n_batches = len(negs) // per_batch
    stride = max(1, n_batches // max(1, args.sample_batches))
    chosen = list(range(0, n_batches, stride))[: args.sample_batches]
    sample_idx = [b * per_batch + j for b in chosen for j in range(per_batch)]
    if args.sample_out:
        sample = [
            {
                "scenario": int(negs.scenario_index[b * per_batch]),
                "n_steps": int(negs.n_steps[b * per_batch]),
            }
            for b in chosen
        ]
        Path(args.sample_out).write_text(json.dumps(sample), encoding="utf-8")
    # Each negotiation's own CPU time plus an equal share of everything else
    # the tournament spent (planning, scenario statistics, rankings, recording
    # and writing), so that they add up to the whole tournament's CPU time.
    overhead = (meter.cpu_s - float(negs.cpu_time.sum())) / len(negs)
    agreed = negs.agreement_index >= 0
    sample_rows = [
        {
            "partners": negs.partners[i],
            "agreement": bool(agreed[i]),
            "rounds": int(negs.rounds[i]),
            "n_steps": int(negs.n_steps[i]),
            "cpu_s": float(negs.cpu_time[i] + overhead),
        }
        for i in sample_idx
    ]
    per_pairing = {
        p: {
            "negotiations": len(g),
            "agreement_rate": float((g.agreement_index >= 0).mean()),
            "mean_rounds": float(g.rounds.mean()),
        }
        for p, g in negs.groupby("partners")
    }
    return {
        "side": "palaver",
        "detail": args.detail,
        **meter.figures(),
        "negotiations": len(negs),
        "overhead_ms_per_negotiation": overhead * 1e3,
        "agreement_rate": float(agreed.mean()),
        "mean_rounds": float(negs.rounds.mean()),
        "total_rounds": int(negs.rounds.sum()),
        "mean_n_steps": float(np.mean(negs.n_steps)),
        "results": {k: int(v) for k, v in counts.items()},
        "offers": offers,
        "offers_query_s": query_s,
        "folder_mb": size_mb,
        "sample": sample_rows,
        "per_pairing": per_pairing,
    }


def parser() -> argparse.ArgumentParser:
    """Command-line arguments of this side script."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--scenarios", type=int, default=50)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--detail", choices=["outcomes", "offers"], default="outcomes")
    p.add_argument("--sample-out", default=None)
    p.add_argument("--sample-batches", type=int, default=4)
    return p


if __name__ == "__main__":
    run_side(main, parser())

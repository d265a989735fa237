"""Workload 4 on NegMAS 0.16.0: a sample of the tournament's batches, each run by
NegMAS's ``cartesian_tournament`` on the same scenario, pairings and ``n_steps``.

Runs in the peers' environment. The sample (scenario and ``n_steps`` of each
sampled batch) is the JSON file Palaver's side wrote (``--sample``); each
batch is one ``cartesian_tournament`` call with the six competitors, every
ordered pairing with self-play (36 negotiations), no rotation, one
repetition, utility functions not normalised (they already lie in [0, 1]).
"""

from __future__ import annotations

import argparse
import json
import warnings
from typing import Any

from common import W4_COMPETITORS, W4_N_ISSUES, W4_N_VALUES, Meter, run_side, w4_scenarios


def main(args: argparse.Namespace) -> dict[str, Any]:
    """Run the sampled negotiations and return the figures."""
    warnings.filterwarnings("ignore")
    from negmas import make_issue
    from negmas.inout import Scenario
    from negmas.outcomes import make_os
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.sao import (
        BoulwareTBNegotiator,
        ConcederTBNegotiator,
        LinearTBNegotiator,
        MiCRONegotiator,
        NaiveTitForTatNegotiator,
        RandomNegotiator,
    )
    from negmas.tournaments.neg.simple.cartesian import cartesian_tournament

    types = {
        "Boulware": BoulwareTBNegotiator,
        "Conceder": ConcederTBNegotiator,
        "Linear": LinearTBNegotiator,
        "MiCRO": MiCRONegotiator,
        "NaiveTitForTat": NaiveTitForTatNegotiator,
        "Random": RandomNegotiator,
    }
    with open(args.sample, encoding="utf-8") as f:
        sample = json.load(f)
    numbers = w4_scenarios(args.seed, args.scenarios)
    issues = [make_issue(W4_N_VALUES, f"i{j}") for j in range(W4_N_ISSUES)]
    space = make_os(issues)

    def scenario(s: int) -> Any:
        spec = numbers[s]
        ufuns = []
        for p in range(2):
            values = [dict(enumerate(spec["values"][p][j])) for j in range(W4_N_ISSUES)]
            ufuns.append(
                LinearAdditiveUtilityFunction(
                    values=values,
                    weights=spec["weights"][p],
                    outcome_space=space,
                    reserved_value=spec["reserved"][p],
                )
            )
        return Scenario(outcome_space=space, ufuns=tuple(ufuns), name=spec["name"])

    names = {t.__name__: name for name, t in types.items()}

    def one(item: dict[str, Any], n_steps: int) -> Any:
        return cartesian_tournament(
            competitors=[types[name] for name in W4_COMPETITORS],
            scenarios=[scenario(item["scenario"])],
            n_repetitions=1,
            n_steps=n_steps,
            rotate_ufuns=False,
            self_play=True,
            njobs=-1,
            verbosity=0,
            normalize_ufuns=False,
            save_scenario_figs=False,
            save_stats=False,
            path=None,
        )

    rows = []
    with Meter() as meter:
        for item in sample:
            details = one(item, item["n_steps"]).details
            for row in details.itertuples():
                agreement = row.agreement
                rows.append(
                    {
                        "partners": "|".join(names[str(p).split(".")[-1]] for p in row.partners),
                        "agreement": agreement is not None and agreement == agreement,
                        "rounds": int(row.step),
                        "n_steps": item["n_steps"],
                    }
                )
    # NegMAS's fixed cost of one cartesian_tournament call of 36 negotiations:
    # the same calls with one round.
    with Meter() as fixed:
        for item in sample[: args.fixed]:
            one(item, 1)
    return {
        "side": "negmas",
        "sample": rows,
        **meter.figures(),
        "fixed_call_cpu_s": fixed.cpu_s / max(1, min(args.fixed, len(sample))) / 36,
        **_summary(rows),
    }


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    return {
        "negotiations": n,
        "agreement_rate": sum(r["agreement"] for r in rows) / n if n else 0.0,
        "mean_rounds": sum(r["rounds"] for r in rows) / n if n else 0.0,
    }


def parser() -> argparse.ArgumentParser:
    """Command-line arguments of this side script."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--sample", required=True, help="the sample JSON written by w4_palaver.py")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scenarios", type=int, default=50)
    p.add_argument("--fixed", type=int, default=1, help="batches rerun with n_steps=1")
    return p


if __name__ == "__main__":
    run_side(main, parser())

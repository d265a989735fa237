"""Workload 4 on NegMAS 0.16.0: a sample of the tournament's negotiations, each run by
NegMAS's ``cartesian_tournament`` on the same scenario, pairing and ``n_steps``.

Runs in the peers' environment. The sample (scenario, the competitor at each
position, ``n_steps``) is the JSON file Palaver's side wrote (``--sample``);
every sampled negotiation is one ``cartesian_tournament`` call with the opener
as the competitor and the other as its only opponent (one negotiation, no
rotation, no repetition), utility functions not normalised (they already lie
in [0, 1]).
"""

from __future__ import annotations

import argparse
import json
import warnings
from typing import Any

from common import W4_N_ISSUES, W4_N_VALUES, Meter, run_side, w4_scenarios


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
        sample = json.load(f)[: args.n]
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

    rows = []
    with Meter() as meter:
        for item in sample:
            first, second = item["partners"]
            results = cartesian_tournament(
                competitors=[types[first]],
                opponents=[types[second]],
                scenarios=[scenario(item["scenario"])],
                n_repetitions=1,
                n_steps=item["n_steps"],
                rotate_ufuns=False,
                self_play=True,
                njobs=-1,
                verbosity=0,
                normalize_ufuns=False,
                save_scenario_figs=False,
                save_stats=False,
                path=None,
            )
            d = results.details
            row = d.iloc[0]
            agreement = row.get("agreement")
            rows.append(
                {
                    "partners": f"{first}|{second}",
                    "agreement": agreement is not None and agreement == agreement,
                    "rounds": int(row.get("step", 0)),
                    "n_steps": item["n_steps"],
                }
            )
    return {"side": "negmas", "sample": rows, **meter.figures(), **_summary(rows)}


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
    p.add_argument("--n", type=int, default=72, help="how many sampled negotiations to run")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scenarios", type=int, default=50)
    return p


if __name__ == "__main__":
    run_side(main, parser())

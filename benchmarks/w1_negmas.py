"""Workload 1 on NegMAS 0.16.0: bare SAO negotiations between two Boulware aspiration agents.

Runs in the peer environment (``benchmarks/.peers``). Three integer issues of
ten values each; negotiation ``i`` uses the weights ``opposing_weights(seed, n)[i]``
(the same numbers as ``w1_palaver.py``); each utility's reserved value is its
minimum over the space, so neither side refuses a deal on reserved value alone.
"""

from __future__ import annotations

import argparse
from typing import Any

from common import Meter, opposing_inputs, run_side, summarize_negotiations

N_VALUES = 10
N_ISSUES = 3


def main(args: argparse.Namespace) -> dict[str, Any]:
    """Run ``args.n`` negotiations and return the figures."""
    from negmas import AspirationNegotiator, LinearUtilityFunction, SAOMechanism, make_issue

    issues = [make_issue(N_VALUES, f"i{k}") for k in range(N_ISSUES)]
    inputs = opposing_inputs(args.seed, args.n, N_ISSUES, N_VALUES - 1)
    rounds: list[int] = []
    agreements = 0
    with Meter() as meter:
        for w_first, w_second, r_second in inputs:
            mech = SAOMechanism(issues=issues, n_steps=args.n_steps)
            space = mech.outcome_space
            first = LinearUtilityFunction(w_first, outcome_space=space, reserved_value=0.0)
            second = LinearUtilityFunction(w_second, outcome_space=space, reserved_value=r_second)
            mech.add(AspirationNegotiator(ufun=first, aspiration_type="boulware"))
            mech.add(AspirationNegotiator(ufun=second, aspiration_type="boulware"))
            state = mech.run()
            rounds.append(int(state.step))
            agreements += state.agreement is not None
    return {"side": "negmas", **meter.figures(), **summarize_negotiations(rounds, agreements)}


def parser() -> argparse.ArgumentParser:
    """Command-line arguments of this side script."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--n", type=int, default=200, help="number of negotiations")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--n-steps", type=int, default=100)
    return p


if __name__ == "__main__":
    run_side(main, parser())

"""Workload 1 on Palaver: bare SAO negotiations between two Boulware aspiration agents.

Runs in Palaver's environment (``.venv``). The same issues, weights and
reserved values as ``w1_negmas.py``. ``--sink none`` runs with no event sink;
``--sink offers`` gives every negotiation its own bus with a
:class:`palaver.events.ListSink` that keeps every offer event, ``--sink events``
one that keeps every event (start, each offer and response, end). The sink is
dropped with its negotiation so memory stays flat.
"""

from __future__ import annotations

import argparse
from typing import Any

from common import Meter, opposing_inputs, run_side, summarize_negotiations

N_VALUES = 10
N_ISSUES = 3


def main(args: argparse.Namespace) -> dict[str, Any]:
    """Run ``args.n`` negotiations and return the figures."""
    from palaver.events import EventBus, ListSink
    from palaver.mechanisms import SAOMechanism
    from palaver.negotiators import AspirationNegotiator
    from palaver.outcomes import make_issue
    from palaver.preferences import LinearUtilityFunction

    issues = [make_issue(N_VALUES, f"i{k}") for k in range(N_ISSUES)]
    inputs = opposing_inputs(args.seed, args.n, N_ISSUES, N_VALUES - 1)
    rounds: list[int] = []
    agreements = 0
    events = 0
    with Meter() as meter:
        for i, (w_first, w_second, r_second) in enumerate(inputs):
            bus = None
            sink = None
            if args.sink != "none":
                bus = EventBus()
                sink = ListSink(event_types=["offer"] if args.sink == "offers" else None)
                bus.add_sink(sink)
            mech = SAOMechanism(issues=issues, n_steps=args.n_steps, seed=args.seed + i, bus=bus)
            first = LinearUtilityFunction(w_first, reserved_value=0.0)
            second = LinearUtilityFunction(w_second, reserved_value=r_second)
            mech.add(AspirationNegotiator(ufun=first, aspiration_type="boulware"))
            mech.add(AspirationNegotiator(ufun=second, aspiration_type="boulware"))
            state = mech.run()
            rounds.append(int(state.step))
            agreements += state.agreement is not None
            if sink is not None:
                events += len(sink.events)
    return {
        "side": "palaver",
        "sink": args.sink,
        "events": events,
        **meter.figures(),
        **summarize_negotiations(rounds, agreements),
    }


def parser() -> argparse.ArgumentParser:
    """Command-line arguments of this side script."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--n", type=int, default=2000, help="number of negotiations")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--n-steps", type=int, default=100)
    p.add_argument("--sink", choices=["none", "offers", "events"], default="none")
    return p


if __name__ == "__main__":
    run_side(main, parser())

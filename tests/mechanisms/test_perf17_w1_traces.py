"""Benchmark Workload 1's negotiations (two aspiration negotiators, opposing linear
utilities, three issues of ten values) give the same traces on every path.

Each negotiation's history, agreement and final state are compared against the
general loop (negotiators whose ``propose`` is overridden have no round plan, so
the mechanism calls them turn by turn), and pinned as a digest computed before
the speed-ups of the perf17 branch, with the rankings the negotiators built.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from palaver.mechanisms import MechanismState, SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import Outcome, make_issue
from palaver.preferences import LinearUtilityFunction

ISSUES = [make_issue(10, f"i{k}") for k in range(3)]
KINDS: list[str | float] = ["boulware", "linear", "conceder", 2.5]
STEPS = [100, 10, 37, 1000]
N = 300
#: (agreements, timeouts) of the N negotiations; the rest end at a hopeless negotiator's turn.
COUNTS = (252, 5)


class Unplanned(AspirationNegotiator):
    """The same strategy without a round plan: the mechanism calls it every turn."""

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        return super().propose(state, dest)


def _negotiation(i: int, cls: type[AspirationNegotiator]) -> tuple[Any, ...]:
    """Negotiation ``i`` of the set: W1's shape, varied curves, round limits, reserved values."""
    w = np.random.default_rng(i).random((2, 3))
    first = LinearUtilityFunction(w[0].tolist(), reserved_value=0.0)
    # W1's reserved value (the utility's minimum); else demanding (timeouts
    # happen) or above every utility (the negotiator ends it at its first turn).
    reserved = float(-9 * w[1].sum()) * (0.25 if i % 5 == 0 else 1.0)
    if i % 7 == 0:
        reserved = 1.0
    second = LinearUtilityFunction((-w[1]).tolist(), reserved_value=reserved)
    kind = KINDS[i % 4]
    mech = SAOMechanism(issues=ISSUES, n_steps=STEPS[(i // 4) % 4], seed=1 + i)
    a = cls(ufun=first, aspiration_type=kind, id="a")
    b = cls(ufun=second, aspiration_type=kind, id="b")
    mech.add(a)
    mech.add(b)
    state = mech.run()
    ended = state.to_dict()  # without the wall-clock time
    rankings = []
    for negotiator in (a, b):
        ranking = negotiator.ranking
        assert ranking is not None
        rankings.append((ranking.outcomes, ranking.utilities, ranking.values.tolist()))
    draws = (float(a.random.random()), float(b.random.random()))
    return list(mech.history), ended, rankings, draws


def test_w1_traces_match_the_general_loop() -> None:
    for i in range(N):
        planned = _negotiation(i, AspirationNegotiator)
        general = _negotiation(i, Unplanned)
        assert planned == general, i


def test_w1_traces_are_pinned() -> None:
    digest = hashlib.sha256()
    agreements = timeouts = 0
    for i in range(N):
        history, ended, rankings, draws = _negotiation(i, AspirationNegotiator)
        agreements += ended["agreement"] is not None
        timeouts += ended["timedout"]
        digest.update(repr((history, sorted(ended.items()), rankings, draws)).encode())
    assert (agreements, timeouts) == COUNTS
    assert digest.hexdigest() == "c0fb13d628ba9844603b5eea809a59f3055ab98aac77029f6cc2991a1f0911ad"


def test_a_plans_thresholds_are_what_respond_computes() -> None:
    """Given only where numpy's curve and Python's agree bit for bit (Boulware over
    100 rounds; not over 1,000 rounds, where they differ in a last bit)."""
    for n_steps, given in ((100, True), (1000, False)):
        mech = SAOMechanism(issues=ISSUES, n_steps=n_steps, seed=3)
        a = AspirationNegotiator(ufun=LinearUtilityFunction([0.3, 0.9, 0.1]), id="a")
        mech.add(a)
        mech.add(AspirationNegotiator(ufun=LinearUtilityFunction([-0.5, -0.2, -0.4]), id="b"))
        mech.step()
        plan = a.round_plan(n_steps)
        assert plan is not None
        assert (plan.thresholds is not None) == given
        if plan.thresholds is not None:
            expected = [plan.floor + plan.span * plan.remaining[k] for k in range(n_steps)]
            assert plan.thresholds.tolist() == expected
            assert not plan.thresholds.flags.writeable

"""``on_round_end(state)`` sees the round it ends (its step, relative time), as NegMAS 0.16's."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.mechanisms import MechanismState, ResponseType, SAOMechanism
from palaver.negotiators import SAONegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearAdditiveUtilityFunction


class Watcher(SAONegotiator):
    """Rejects everything; logs what each round callback sees."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seen: list[tuple[str, int, float]] = []

    def propose(self, state: MechanismState) -> Any:
        return (state.step % 3,)

    def respond(self, state: MechanismState, source: str | None = None) -> ResponseType:
        return ResponseType.REJECT_OFFER

    def on_round_start(self, state: MechanismState) -> None:
        self.seen.append(("start", state.step, state.relative_time))

    def on_round_end(self, state: MechanismState) -> None:
        self.seen.append(("end", state.step, state.relative_time))


@pytest.mark.parametrize("drive", ["run", "step"])
def test_round_end_sees_the_round_it_ends(drive: str) -> None:
    m = SAOMechanism(issues=[make_issue(3, "p")], n_steps=3)
    a = Watcher(name="a")
    for w, sign in ((a, 1.0), (Watcher(name="b"), -1.0)):
        ufun = LinearAdditiveUtilityFunction(
            values={"p": lambda v, s=sign: s * v}, outcome_space=m.outcome_space
        )
        m.add(w, ufun=ufun)
    if drive == "run":
        m.run()
    else:
        while m.state.running or not m.state.started:
            m.step()
    expected = []
    for k in range(3):  # NegMAS 0.16: start and end of round k both see step k
        expected += [("start", k, (k + 1) / 4), ("end", k, (k + 1) / 4)]
    assert [(what, step, round(t, 12)) for what, step, t in a.seen] == expected
    # after the callbacks the state is the next round's again
    assert (m.state.step, m.state.relative_time, m.state.timedout) == (3, 1.0, True)

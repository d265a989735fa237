"""SAOMechanism.negotiator_full_trace: NegMAS's per-negotiator rows of full_trace."""

from __future__ import annotations

from palaver.mechanisms import SAOMechanism
from palaver.mechanisms.full_trace import TRACE_ELEMENT_MEMBERS
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction


def test_rows_of_one_negotiator() -> None:
    m = SAOMechanism(issues=[make_issue(10, "x")], n_steps=10, seed=1)
    m.add(AspirationNegotiator(name="a"), ufun=LinearUtilityFunction([0.1], reserved_value=0.0))
    m.add(
        AspirationNegotiator(name="b"),
        ufun=LinearUtilityFunction([-0.1], bias=1.0, reserved_value=0.0),
    )
    m.run()
    for who in ("a", "b"):
        rows = m.negotiator_full_trace(who)
        mine = [e for e in m.full_trace if e.negotiator == who]
        assert len(rows) == len(mine) > 0
        for row, e in zip(rows, mine, strict=True):
            assert row == (e.time, e.relative_time, e.step, e.offer, e.state, e.text, e.data)
    assert [row[3] for row in m.negotiator_full_trace("a")] == m.negotiator_offers("a")
    assert "text" in TRACE_ELEMENT_MEMBERS and "data" in TRACE_ELEMENT_MEMBERS

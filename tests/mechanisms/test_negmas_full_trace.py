"""NegMAS's full_trace and full_trace_with_utils of an SAO negotiation."""

from __future__ import annotations

import math

from palaver.mechanisms import MechanismState, ResponseType, SAOMechanism
from palaver.mechanisms.full_trace import TRACE_ELEMENT_MEMBERS, TraceElement
from palaver.negotiators import SAONegotiator
from palaver.outcomes import Outcome, make_issue
from palaver.preferences import LinearUtilityFunction


class Walker(SAONegotiator):
    """Offers its outcomes best first, one per round; accepts from 0.7 of its best."""

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        assert self.nmi is not None and self.ufun is not None
        ranked = sorted(self.nmi.outcome_space.enumerate(), key=lambda o: -self.ufun(o))
        return ranked[min(state.step, len(ranked) - 1)]

    def respond(self, state: MechanismState, source: str | None = None) -> ResponseType:
        assert self.ufun is not None
        offer = getattr(state, "current_offer")  # noqa: B009 (SAO's state)
        return ResponseType.ACCEPT_OFFER if self.ufun(offer) >= 7 else ResponseType.REJECT_OFFER


def walkers(n_steps: int) -> SAOMechanism:
    m = SAOMechanism(issues=[make_issue(11, "price")], n_steps=n_steps)
    m.add(Walker(name="s", ufun=LinearUtilityFunction([1.0])))
    m.add(Walker(name="b", ufun=LinearUtilityFunction([-1.0], bias=10.0)))
    return m


def test_full_trace_lists_every_offer_and_marks_the_agreement() -> None:
    m = walkers(20)
    state = m.run()
    trace = m.full_trace
    assert state.agreement == (3,) and len(trace) == len(m.extended_trace) == 15
    # as NegMAS 0.16 gives for the same program (ids aside)
    assert [(e.step, e.negotiator, e.offer) for e in trace] == m.extended_trace
    assert [e.relative_time for e in trace] == [(e.step + 1) / 21 for e in trace]
    assert all(e.responses == {} and e.state == "continuing" for e in trace[:-1])
    last = trace[-1]
    assert last.offer == (3,) and last.negotiator == "s" and last.state == "agreement"
    assert last.responses == {"b": ResponseType.ACCEPT_OFFER}
    assert all(math.isnan(e.time) and e.text is None and e.data is None for e in trace)
    assert TraceElement._fields == tuple(TRACE_ELEMENT_MEMBERS)


def test_the_last_offer_of_a_timed_out_negotiation_says_so() -> None:
    m = walkers(2)
    assert m.run().timedout
    trace = m.full_trace
    assert [e.state for e in trace] == ["continuing"] * 3 + ["timedout"]
    assert walkers(5).full_trace == []  # before the start


def test_full_trace_with_utils_appends_each_negotiators_utility() -> None:
    m = walkers(20)
    m.run()
    rows = m.full_trace_with_utils
    assert len(rows) == len(m.full_trace)
    assert rows[0][: len(TRACE_ELEMENT_MEMBERS)][2:5] == (0, "s", (10,))
    assert rows[0][-2:] == (10.0, 0.0) and rows[-1][-2:] == (3.0, 7.0)

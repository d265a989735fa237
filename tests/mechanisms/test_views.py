"""NegMAS's views of a mechanism: traces, offers, outcomes, completed."""

from __future__ import annotations

import math

import pytest
from mech_fakes import A, E, R, Scripted, small_space

from palaver.mechanisms import SAOMechanism
from palaver.outcomes import OutcomeSpace, OutcomeSpaceError, make_issue


def _run() -> SAOMechanism:
    m = SAOMechanism(small_space(), n_steps=5)
    m.add(Scripted("a", proposals=[(1, 1), (2, 2)], responses=[R]))
    m.add(Scripted("b", proposals=[(3, 3)], responses=[R, A]))
    m.run()
    return m


def test_traces_and_offers_hand_computed() -> None:
    m = _run()
    # round 0: a offers (1,1), b rejects and offers (3,3); round 1: a rejects,
    # offers (2,2), b accepts.
    assert m.extended_trace == [(0, "a", (1, 1)), (0, "b", (3, 3)), (1, "a", (2, 2))]
    assert m.trace == [("a", (1, 1)), ("b", (3, 3)), ("a", (2, 2))]
    assert m.offers == [(1, 1), (3, 3), (2, 2)]
    assert m.negotiator_offers("a") == [(1, 1), (2, 2)]
    assert m.negotiator_offers("b") == [(3, 3)]
    assert m.agreement == m.trace[-1][1]
    assert m.completed
    m.extended_trace.clear()  # a copy: the history is untouched
    assert len(m.history) == 3
    with pytest.raises(ValueError, match=r"'c' is not a negotiator.*\['a', 'b'\]"):
        m.negotiator_offers("c")


def test_completed_is_false_on_timeout_and_true_when_broken() -> None:
    m = SAOMechanism(small_space(), n_steps=2)
    m.add(Scripted("a", responses=[R]))
    m.add(Scripted("b", responses=[R]))
    assert not m.completed
    m.run()
    assert m.state.timedout and not m.completed
    e = SAOMechanism(small_space(), n_steps=2)
    e.add(Scripted("a"))
    e.add(Scripted("b", responses=[E]))
    e.run()
    assert e.state.broken and e.completed


def test_outcomes_and_n_outcomes() -> None:
    m = SAOMechanism(OutcomeSpace([make_issue(2, "a"), make_issue(["x", "y"], "b")]), n_steps=2)
    assert m.outcomes == [(0, "x"), (0, "y"), (1, "x"), (1, "y")]
    assert m.n_outcomes == 4
    c = SAOMechanism(OutcomeSpace([make_issue((0.0, 1.0), "p")]), n_steps=2)
    assert c.n_outcomes == math.inf
    with pytest.raises(OutcomeSpaceError, match="continuous"):
        c.outcomes  # noqa: B018


def test_a_negotiators_interface_has_the_mechanisms_outcome_views() -> None:
    # NegMAS negotiators read these from self.nmi; only the mechanism had them.
    big = [make_issue(100, "a"), make_issue(100, "b"), make_issue((0.0, 1.0), "c")]
    for issues in ([make_issue(3, "a"), make_issue(2, "b")], big):
        m = SAOMechanism(issues=issues, n_steps=5, seed=4)
        m.add(Scripted("a", proposals=[], responses=[]))
        nmi = m.negotiators[0].nmi
        assert nmi.n_outcomes == m.n_outcomes
        sample = nmi.discrete_outcomes(levels=3, max_cardinality=50)
        assert sample == m.discrete_outcomes(levels=3, max_cardinality=50)
        assert nmi.discrete_outcomes() == m.discrete_outcomes()
    assert math.isinf(nmi.n_outcomes) and len(sample) == 50
    with pytest.raises(OutcomeSpaceError):
        nmi.outcomes  # noqa: B018 (a property that raises)
    small = SAOMechanism(issues=[make_issue(3, "a")], n_steps=5)
    small.add(Scripted("a", proposals=[], responses=[]))
    assert small.negotiators[0].nmi.outcomes == small.outcomes == [(0,), (1,), (2,)]

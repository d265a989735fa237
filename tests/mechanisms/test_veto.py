"""The single-text veto mechanism."""

from __future__ import annotations

import itertools

import pytest
from mech_fakes import A, E, R, Scripted, small_space

from palaver.events import EventBus, EventType, ListSink
from palaver.mechanisms import InvalidOfferError, NegotiatorError, STState, STVetoMechanism
from palaver.outcomes import OutcomeSpace, make_issue


def veto(*negotiators: Scripted, **kwargs) -> STVetoMechanism:
    kwargs.setdefault("n_steps", 6)
    kwargs.setdefault("seed", 3)
    m = STVetoMechanism(outcome_space=small_space(), **kwargs)
    for n in negotiators:
        assert m.add(n)
    return m


def test_unvetoed_proposals_become_the_text_and_the_vote_makes_the_agreement() -> None:
    a, b = Scripted("a", responses=[A]), Scripted("b", responses=[A])
    m = veto(a, b)
    state = m.run()
    assert isinstance(state, STState)
    assert len(m.history) == 6 and all(h[1] is None for h in m.history)
    assert [h[0] for h in m.history] == list(range(6))
    assert state.agreement == m.history[-1][2] == state.current_offer
    assert state.step == 6 and not state.timedout and state.result == "agreement"
    assert a.seen == [state.agreement] and b.seen == [state.agreement]


def test_each_proposal_changes_exactly_one_issue() -> None:
    m = veto(Scripted("a", responses=[A]), Scripted("b", responses=[A]), n_steps=30)
    m.run()
    texts = [h[2] for h in m.history]  # all accepted: each is the text the next one edits
    for before, after in itertools.pairwise(texts):
        assert sum(x != y for x, y in zip(before, after, strict=True)) == 1


def test_a_veto_keeps_the_text() -> None:
    m = veto(
        Scripted("a", responses=[A]),
        Scripted("b", verdict=False, responses=[A]),
        initial_outcome=(2, 2),
    )
    state = m.run()
    assert state.agreement == (2, 2) and state.n_vetoes == 1
    assert all(h[2] != (2, 2) for h in m.history)


def test_indifference_is_not_a_veto() -> None:
    m = veto(Scripted("a", verdict=None, responses=[A]), Scripted("b", responses=[A]))
    assert m.run().agreement == m.history[-1][2]


def test_final_vote_rejection_fails_and_end_breaks() -> None:
    rejected = veto(Scripted("a", responses=[A]), Scripted("b", responses=[R])).run()
    assert rejected.agreement is None and not rejected.broken and rejected.result == "failure"
    ended = veto(Scripted("a", responses=[E]), Scripted("b", responses=[A])).run()
    assert ended.broken and ended.agreement is None


def test_same_seed_same_texts() -> None:
    def texts(seed: int) -> list:
        m = veto(Scripted("a", responses=[A]), Scripted("b", responses=[A]), seed=seed)
        m.run()
        return m.history

    assert texts(5) == texts(5)
    assert texts(5) != texts(6)


def test_events_record_proposals_and_vetoes() -> None:
    bus = EventBus()
    sink = ListSink()
    bus.add_sink(sink)
    m = veto(
        Scripted("a", responses=[A]),
        Scripted("b", verdict=False, responses=[A]),
        bus=bus,
        n_steps=2,
    )
    m.run()
    offers = sink.of_type(EventType.OFFER)
    assert len(offers) == 2 and offers[0].payload["negotiator"] is None
    responses = [e.payload["response"] for e in sink.of_type(EventType.RESPONSE)]
    assert responses == ["accept", "reject", "accept", "reject", "accept", "accept"]
    assert sink.events[-1].payload["result"] == "agreement"


def test_continuous_issues_get_fresh_draws() -> None:
    space = OutcomeSpace([make_issue((0.0, 1.0), "p")])
    m = STVetoMechanism(outcome_space=space, n_steps=4, seed=1)
    m.add(Scripted("a", responses=[A]))
    m.add(Scripted("b", responses=[A]))
    assert m.run().agreement in space


def test_bad_initial_text_and_failing_negotiators() -> None:
    with pytest.raises(InvalidOfferError):
        STVetoMechanism(outcome_space=small_space(), n_steps=3, initial_outcome=(9, 9))
    with pytest.raises(NegotiatorError, match="is_better"):
        veto(Scripted("a", fail_in="is_better"), Scripted("b")).run()
    state = veto(
        Scripted("a", verdict="yes"),
        Scripted("b"),
        ignore_negotiator_exceptions=True,  # type: ignore[arg-type]
    ).run()
    assert state.has_error and state.erred_negotiator == "a"


def test_time_limit_without_n_steps_times_out_without_a_vote() -> None:
    a = Scripted("a", responses=[A], sleep_in="is_better", sleep=0.01)
    m = STVetoMechanism(outcome_space=small_space(), time_limit=0.03, seed=0)
    m.add(a)
    m.add(Scripted("b", responses=[A]))
    state = m.run()
    assert state.timedout and state.agreement is None and a.seen == []

"""SAOMechanism(one_offer_per_step=True): a step is one negotiator's turn (NegMAS's option)."""

from __future__ import annotations

import pytest
from mech_fakes import A, N, R, Scripted, small_space

from palaver.events import EventBus, EventType, ListSink
from palaver.mechanisms import SAOMechanism


def test_each_step_is_one_turn_hand_computed_trace() -> None:
    m = SAOMechanism(small_space(), n_steps=6, one_offer_per_step=True)
    a = Scripted("a", proposals=[(1, 1), (3, 3)], responses=[R])
    b = Scripted("b", proposals=[(2, 2)], responses=[A])
    c = Scripted("c", proposals=[(4, 4)], responses=[N, A])
    for x in (a, b, c):
        m.add(x)
    # (step after the call, current offer, proposer, acceptances, calls a/b/c made)
    expected = [
        (1, (1, 1), "a", 1, (1, 0, 0), (0, 0, 0)),  # a faces no offer: proposes
        (2, (1, 1), "a", 2, (1, 0, 0), (0, 1, 0)),  # b accepts, does not propose
        (3, (1, 1), "a", 2, (1, 0, 0), (0, 1, 1)),  # c passes
        (4, (3, 3), "a", 1, (2, 0, 0), (0, 1, 1)),  # a's offer stands: it proposes again
        (5, (3, 3), "a", 2, (2, 0, 0), (0, 2, 1)),  # b accepts
    ]
    for step, offer, proposer, n_acc, proposed, responded in expected:
        s = m.step()
        assert s.running
        assert (s.step, s.current_offer, s.current_proposer, s.n_acceptances) == (
            step,
            offer,
            proposer,
            n_acc,
        )
        assert (a.n_proposed, b.n_proposed, c.n_proposed) == proposed
        assert (a.n_responded, b.n_responded, c.n_responded) == responded
        assert s.relative_time == pytest.approx((step + 1) / 7)
    s = m.step()  # c accepts: everyone accepts (3, 3)
    assert (s.step, s.agreement, s.timedout, s.running) == (6, (3, 3), False, False)
    assert m.history == [(0, "a", (1, 1)), (3, "a", (3, 3))]
    assert a.times == pytest.approx([1 / 7, 4 / 7])  # relative time advances per turn


def test_n_steps_counts_turns() -> None:
    def run(one: bool) -> SAOMechanism:
        m = SAOMechanism(small_space(), n_steps=3, one_offer_per_step=one)
        m.add(Scripted("a", proposals=[(1, 1)], responses=[R]))
        m.add(Scripted("b", proposals=[(2, 2)], responses=[R]))
        m.run()
        return m

    turns, rounds = run(True), run(False)
    assert turns.state.timedout and turns.state.step == 3
    assert turns.history == [(0, "a", (1, 1)), (1, "b", (2, 2)), (2, "a", (1, 1))]
    assert len(rounds.history) == 6  # a whole round per step without the option


def test_run_and_step_agree_and_events_carry_the_turn() -> None:
    def make(bus: EventBus | None = None) -> SAOMechanism:
        m = SAOMechanism(small_space(), n_steps=8, one_offer_per_step=True, seed=1, bus=bus)
        m.add(Scripted("a", proposals=[(1, 1), (2, 2), (3, 3)], responses=[R, R, A]))
        m.add(Scripted("b", proposals=[(4, 4), (3, 3)], responses=[R]))
        return m

    ran = make()
    ran.run()
    stepped = make()
    while stepped.step().running:
        pass
    assert ran.history == stepped.history
    assert ran.agreement == stepped.agreement == (3, 3)
    assert ran.state.step == 7
    assert ran.history == [
        (0, "a", (1, 1)),
        (1, "b", (4, 4)),
        (2, "a", (2, 2)),
        (3, "b", (3, 3)),
        (4, "a", (3, 3)),
        (5, "b", (3, 3)),
    ]
    bus = EventBus(run_id="x")
    sink = ListSink()
    bus.add_sink(sink)
    make(bus).run()
    offers = [(e.payload["round"], e.payload["negotiator"]) for e in sink.of_type(EventType.OFFER)]
    responses = [e.payload["response"] for e in sink.of_type(EventType.RESPONSE)]
    assert responses == ["reject"] * 5 + ["accept"]
    assert offers == [(r, n) for r, n, _ in ran.history]


def test_failures_and_bad_flag() -> None:
    m = SAOMechanism(small_space(), n_steps=4, one_offer_per_step=True,
                     ignore_negotiator_exceptions=True)  # fmt: skip
    m.add(Scripted("a", proposals=[(1, 1)]))
    m.add(Scripted("b", fail_in="respond"))
    s = m.run()
    assert s.has_error and s.erred_negotiator == "b" and s.step == 2
    bad = SAOMechanism(small_space(), n_steps=4, one_offer_per_step=True, end_on_invalid_offer=True)
    bad.add(Scripted("a", proposals=[(9, 9)]))
    bad.add(Scripted("b"))
    assert bad.run().broken
    with pytest.raises(TypeError, match="one_offer_per_step must be True or False"):
        SAOMechanism(small_space(), n_steps=4, one_offer_per_step="yes")  # type: ignore[arg-type]


def test_a_world_accepts_the_option() -> None:
    from palaver.world.mechanisms import MechanismTable

    MechanismTable({"SAOMechanism": {"one_offer_per_step": True}})
    with pytest.raises(Exception, match="one_offer_per_step"):
        MechanismTable({"SAOMechanism": {"one_offer_per_step": "yes"}})

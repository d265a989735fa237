"""NegMAS's mechanism options: end_on_no_response, extra_callbacks, name, time budget views."""

from __future__ import annotations

import math
import time

import pytest
from mech_fakes import R, Scripted, small_space

from palaver.mechanisms import NegotiatorError, SAOMechanism, STVetoMechanism
from palaver.negotiators import AspirationNegotiator, ToughNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction


def sao(*negotiators: Scripted, **kwargs) -> SAOMechanism:
    kwargs.setdefault("n_steps", 10)
    m = SAOMechanism(outcome_space=small_space(), seed=1, **kwargs)
    for n in negotiators:
        assert m.add(n)
    return m


@pytest.mark.parametrize("one_offer_per_step", [False, True])
def test_end_on_no_response_makes_a_none_proposal_end_the_negotiation(
    one_offer_per_step: bool,
) -> None:
    a = Scripted("a", proposals=[(1, 1)])
    b = Scripted("b", proposals=[None], responses=[R])
    m = sao(a, b, end_on_no_response=True, one_offer_per_step=one_offer_per_step)
    state = m.run()
    assert state.broken and state.agreement is None and state.result == "failure"
    assert [h[1] for h in m.history] == ["a"]
    assert m.end_on_no_response is True
    # Without it (the default), proposing None withdraws the standing offer.
    a = Scripted("a", proposals=[(1, 1)])
    b = Scripted("b", proposals=[None], responses=[R])
    state = sao(a, b, n_steps=3, one_offer_per_step=one_offer_per_step).run()
    assert not state.broken and state.timedout


def test_end_on_no_response_also_ends_a_first_turn_without_an_offer() -> None:
    state = sao(Scripted("a", proposals=[None]), Scripted("b"), end_on_no_response=True).run()
    assert state.broken and state.step == 1


class Counting(AspirationNegotiator):
    """Counts NegMAS's extra round callbacks."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.calls: list[tuple[str, int]] = []

    def on_round_start(self, state) -> None:
        self.calls.append(("start", state.step))

    def on_round_end(self, state) -> None:
        self.calls.append(("end", state.step))


def _pair(**kwargs) -> tuple[SAOMechanism, Counting]:
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=20, seed=3, **kwargs)
    counting = Counting(ufun=LinearUtilityFunction([1.0]))
    m.add(counting)
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    return m, counting


def test_round_callbacks_are_called_around_every_round_and_do_not_change_the_run() -> None:
    m, counting = _pair()
    state = m.run()
    rounds = state.step
    assert counting.calls[0::2] == [("start", k) for k in range(rounds)]
    # on_round_end sees the round it ends, as NegMAS 0.16's does
    assert counting.calls[1::2] == [("end", k) for k in range(rounds)]
    plain, silent = _pair(extra_callbacks=False)
    assert plain.run().agreement == state.agreement
    assert [o for *_, o in plain.history] == [o for *_, o in m.history]
    assert silent.calls == [] and plain.extra_callbacks is False


def test_round_callbacks_also_run_step_by_step_and_in_the_veto_mechanism() -> None:
    m, counting = _pair()
    m.step()
    m.step()
    assert counting.calls == [("start", 0), ("end", 0), ("start", 1), ("end", 1)]
    veto = STVetoMechanism(issues=[make_issue(10, "price")], n_steps=3, seed=1)
    watcher = Counting(ufun=LinearUtilityFunction([1.0]))
    veto.add(watcher)
    veto.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    veto.run()
    assert [c for c, _ in watcher.calls].count("start") == veto.state.step


def test_a_failing_round_callback_is_a_negotiator_error() -> None:
    class Broken(Counting):
        def on_round_end(self, state) -> None:
            raise RuntimeError("boom")

    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=20, seed=3)
    m.add(Broken(ufun=LinearUtilityFunction([1.0]), name="broken"))
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    with pytest.raises(NegotiatorError, match="on_round_end"):
        m.run()


def test_name_and_budget_views() -> None:
    m = SAOMechanism(issues=[make_issue(5, "price")], n_steps=10, name="deal", time_limit=60.0)
    assert m.name == "deal" and m.id != "deal"
    assert SAOMechanism(issues=[make_issue(5)], n_steps=2, id="x").name == "x"
    assert m.time == 0.0 and m.remaining_steps == 10 == m.expected_remaining_steps
    assert m.remaining_time == 60.0 == m.expected_remaining_time
    m.add(Scripted("a", proposals=[(1,)]))
    m.add(Scripted("b", proposals=[(2,)], responses=[R]))
    m.step()
    time.sleep(0.01)
    assert m.time >= 0.01 and m.remaining_steps == 9
    assert 59.0 < m.remaining_time < 60.0
    untimed = SAOMechanism(issues=[make_issue(5)], n_steps=3)
    assert untimed.remaining_time is None and untimed.expected_remaining_time is None
    assert SAOMechanism(issues=[make_issue(5)], time_limit=1.0).remaining_steps is None
    with pytest.raises(TypeError, match="name"):
        SAOMechanism(issues=[make_issue(5)], n_steps=3, name=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="extra_callbacks"):
        SAOMechanism(issues=[make_issue(5)], n_steps=3, extra_callbacks="yes")  # type: ignore[arg-type]


def test_current_step_and_negotiator_ids() -> None:
    m = sao(Scripted("a", proposals=[(1, 1)]), Scripted("b", responses=[R], proposals=[(2, 2)]))
    assert m.current_step == 0 and m.negotiator_ids == ["a", "b"]
    m.step()
    assert m.current_step == 1 == m.state.step
    m.negotiator_ids.append("c")  # a copy
    assert m.negotiator_ids == ["a", "b"]


def _session(seed: int) -> SAOMechanism:
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=30, seed=seed)
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([1.0])))
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    return m


@pytest.mark.parametrize("method", ["ordered", "serial", "sequential"])
def test_runall_runs_every_mechanism_to_its_end_as_run_would(method: str) -> None:
    alone = [_session(s).run().agreement for s in range(3)]
    together = [_session(s) for s in range(3)]
    states = SAOMechanism.runall([*together, None], keep_order=False, method=method, seed=1)
    assert states[-1] is None
    assert [s.agreement for s in states[:-1]] == alone
    assert all(not m.running for m in together)
    with pytest.raises(ValueError, match="threads"):
        SAOMechanism.runall(together, method="threads")


@pytest.mark.parametrize("bad", ["ab", 3, None, [1], [_session(0), "m"]])
def test_runall_and_stepall_name_what_is_not_a_list_of_mechanisms(bad: object) -> None:
    # An AttributeError ("'str' object has no attribute 'step'") or "not iterable"
    # came from inside.
    for call in (SAOMechanism.runall, SAOMechanism.stepall):
        with pytest.raises(TypeError, match=r"^mechanisms(\[\d\])? must be a"):
            call(bad)  # type: ignore[arg-type]


def test_stepall_steps_each_running_mechanism_once() -> None:
    ms = [_session(1), _session(2)]
    states = SAOMechanism.stepall(ms)
    assert [s.step for s in states] == [1, 1]
    while any(m.running for m in ms):
        SAOMechanism.stepall(ms, keep_order=False, seed=3)
    finished = [m.state.step for m in ms]
    assert [s.step for s in SAOMechanism.stepall(ms)] == finished  # ended ones are left alone


def test_relative_time_and_discrete_outcomes() -> None:
    m = _session(1)
    assert m.relative_time == 1 / 31 and m.state.relative_time == 0.0  # 30 rounds, not started
    m.step()
    assert m.relative_time == m.state.relative_time > 0
    assert m.discrete_outcomes() == m.outcomes
    big = SAOMechanism(issues=[make_issue(200, "a"), make_issue(200, "b")], n_steps=5, seed=2)
    assert big.discrete_outcomes(max_cardinality=50) == big.discrete_outcomes(max_cardinality=50)
    assert len(big.discrete_outcomes(max_cardinality=50)) == 50


def test_run_takes_negmas_callbacks_and_timeout() -> None:
    calls: list[tuple[str, int, bool]] = []
    m = _session(4)
    final = m.run(
        start_callback=lambda s: calls.append(("start", s.step, s.running)),
        progress_callback=lambda s: calls.append(("progress", s.step, s.running)),
        completion_callback=lambda s: calls.append(("end", s.step, s.running)),
    )
    assert calls[0] == ("start", 0, False) and calls[-1] == ("end", final.step, False)
    assert [c[1] for c in calls if c[0] == "progress"] == list(range(1, final.step + 1))
    assert final.agreement == _session(4).run().agreement

    class Slow(ToughNegotiator):
        def respond(self, state, offer):
            time.sleep(0.02)
            return super().respond(state, offer)

    slow = SAOMechanism(issues=[make_issue(10, "price")], n_steps=1000, seed=1)
    slow.add(Slow(ufun=LinearUtilityFunction([1.0])))
    slow.add(Slow(ufun=LinearUtilityFunction([-1.0])))  # both tough, opposed: no deal
    state = slow.run(timeout=0.1)
    assert state.timedout and not state.running and state.step < 1000


def test_hidden_time_limit_ends_the_negotiation_unseen_by_negotiators() -> None:
    class Slow(ToughNegotiator):
        def respond(self, state, offer):
            time.sleep(0.01)
            return super().respond(state, offer)

    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=1000, hidden_time_limit=0.1)
    first = Slow(ufun=LinearUtilityFunction([1.0]))
    m.add(first)
    m.add(Slow(ufun=LinearUtilityFunction([-1.0])))
    state = m.run()
    assert state.timedout and state.step < 1000
    assert state.relative_time == 1.0  # set when it ends, as for any time-out
    assert first.nmi.limits.time_limit is None  # negotiators never saw it
    assert SAOMechanism(issues=[make_issue(3)], n_steps=3, hidden_time_limit=math.inf)
    with pytest.raises(ValueError, match="hidden_time_limit"):
        SAOMechanism(issues=[make_issue(3)], n_steps=3, hidden_time_limit=-1.0)


def test_negmas_offer_checking_options_are_accepted_only_as_palaver_works() -> None:
    issues = [make_issue(10), make_issue(5)]
    ok = SAOMechanism(
        issues=issues, n_steps=5, check_offers=True, enforce_issue_types=True, cast_offers=True
    )
    assert ok.n_steps == 5
    for name in ("check_offers", "enforce_issue_types", "cast_offers"):
        with pytest.raises(ValueError, match=f"{name}=False is not supported"):
            SAOMechanism(issues=issues, n_steps=5, **{name: False})
        with pytest.raises(TypeError, match=name):
            SAOMechanism(issues=issues, n_steps=5, **{name: "yes"})

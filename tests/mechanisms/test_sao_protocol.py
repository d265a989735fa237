"""SAO protocol: agreement, END, limits, invalid offers, errors, multilateral."""

from __future__ import annotations

import numpy as np
import pytest
from mech_fakes import A, E, N, R, Scripted, small_space

from palaver.mechanisms import (
    InvalidOfferError,
    MechanismError,
    NegotiatorError,
    SAOMechanism,
    SAOState,
)
from palaver.outcomes import OutcomeSpace, make_issue


def sao(*negotiators: Scripted, **kwargs) -> SAOMechanism:
    kwargs.setdefault("n_steps", 10)
    m = SAOMechanism(outcome_space=small_space(), seed=1, **kwargs)
    for n in negotiators:
        assert m.add(n)
    return m


def test_first_offer_accepted_is_the_agreement() -> None:
    a = Scripted("a", proposals=[(1, 2)])
    b = Scripted("b", responses=[A])
    m = sao(a, b)
    state = m.run()
    assert isinstance(state, SAOState)
    assert state.agreement == (1, 2) == m.agreement
    assert state.result == "agreement"
    assert state.step == 1 and state.ended and state.started and not state.running
    assert not (state.broken or state.timedout or state.has_error)
    assert b.seen == [(1, 2)] and a.n_responded == 0
    assert m.history == [(0, "a", (1, 2))]


def test_counter_offer_counts_as_acceptance_by_default() -> None:
    a = Scripted("a", proposals=[(1, 1)], responses=[A])
    b = Scripted("b", proposals=[(3, 3)], responses=[R])
    state = sao(a, b).run()
    # round 0: a offers, b rejects and counters; round 1: a accepts b's offer.
    assert state.agreement == (3, 3)
    assert state.step == 2
    assert state.current_proposer == "b" and state.n_acceptances == 2


def test_without_offering_is_accepting_the_proposer_must_accept_too() -> None:
    a = Scripted("a", proposals=[(2, 2)], responses=[A])
    b = Scripted("b", responses=[A])
    m = sao(a, b, offering_is_accepting=False)
    m.step()
    assert m.state.running and m.state.n_acceptances == 1
    state = m.run()
    assert state.agreement == (2, 2) and state.step == 2
    assert a.seen == [(2, 2)]
    assert m.offering_is_accepting is False


def test_end_negotiation_breaks_it() -> None:
    a = Scripted("a", proposals=[(1, 1)])
    b = Scripted("b", responses=[E])
    state = sao(a, b).run()
    assert state.broken and state.agreement is None
    assert state.result == "failure" and state.step == 1


def test_n_steps_limits_the_rounds() -> None:
    a = Scripted("a", proposals=[(0, 0)])
    b = Scripted("b", proposals=[(4, 4)])
    m = sao(a, b, n_steps=7)
    state = m.run()
    assert state.timedout and state.agreement is None and state.result == "timeout"
    assert state.step == 7 and state.relative_time == 1.0
    assert len(m.history) == 14
    assert [h[0] for h in m.history[:4]] == [0, 0, 1, 1]


def test_stepping_by_hand_matches_run() -> None:
    def pair() -> tuple[Scripted, Scripted]:
        return (
            Scripted("a", proposals=[(0, 0), (1, 0), (2, 0)], responses=[R, R, A]),
            Scripted("b", proposals=[(4, 4), (3, 4)], responses=[R]),
        )

    by_run = sao(*pair())
    by_run.run()
    by_step = sao(*pair())
    while by_step.state.running or not by_step.state.started:
        by_step.step()
    assert by_step.history == by_run.history
    assert by_step.state.to_dict() == by_run.state.to_dict()
    assert by_step.step().step == by_step.state.step  # stepping an ended negotiation is a no-op


def test_relative_time_during_rounds() -> None:
    a = Scripted("a", proposals=[(0, 0)])
    b = Scripted("b", proposals=[(4, 4)])
    sao(a, b, n_steps=4).run()
    assert a.times == pytest.approx([1 / 5, 2 / 5, 3 / 5, 4 / 5])


def test_time_limit_ends_a_negotiation_without_n_steps() -> None:
    a = Scripted("a", proposals=[(0, 0)], sleep_in="propose", sleep=0.01)
    b = Scripted("b", proposals=[(4, 4)])
    m = SAOMechanism(outcome_space=small_space(), time_limit=0.05, seed=0)
    m.add(a)
    m.add(b)
    state = m.run()
    assert state.timedout and state.agreement is None
    assert state.step >= 1 and state.relative_time == 1.0


def test_step_time_limit_ends_on_a_slow_round() -> None:
    a = Scripted("a", proposals=[(0, 0)], sleep_in="propose", sleep=0.02)
    b = Scripted("b", proposals=[(4, 4)])
    state = sao(a, b, n_steps=50, step_time_limit=0.005).run()
    assert state.timedout and state.step == 1


def test_negotiator_time_limit_names_the_slow_negotiator() -> None:
    a = Scripted("a", proposals=[(0, 0)])
    b = Scripted("b", proposals=[(4, 4)], sleep_in="respond", sleep=0.02)
    state = sao(a, b, n_steps=50, negotiator_time_limit=0.005).run()
    assert state.timedout and not state.has_error
    assert state.erred_negotiator == "b" and "negotiator_time_limit" in state.error_details


def test_invalid_offer_raises_a_clear_error() -> None:
    a = Scripted("a", proposals=[(0, 9)])
    b = Scripted("b")
    m = sao(a, b)
    with pytest.raises(InvalidOfferError) as info:
        m.run()
    msg = str(info.value)
    assert "'a'" in msg and "(0, 9)" in msg and "round 0" in msg
    assert info.value.negotiator_id == "a" and info.value.round == 0
    assert isinstance(info.value, NegotiatorError)
    assert m.state.has_error and m.state.erred_negotiator == "a" and not m.state.running
    assert a.end_state is not None and b.end_state is not None  # both were told


@pytest.mark.parametrize("bad", [(1,), (1, 2, 3), "ab", 7, (1.5, 2), ("x", 1)])
def test_invalid_offers_of_every_shape_end_the_negotiation_by_flag(bad: object) -> None:
    a = Scripted("a", proposals=[bad])
    b = Scripted("b")
    state = sao(a, b, end_on_invalid_offer=True).run()
    assert state.broken and state.agreement is None and not state.has_error
    assert state.erred_negotiator == "a" and "not an outcome" in state.error_details
    assert state.result == "failure"


def test_ignored_invalid_offer_is_recorded_as_error() -> None:
    a = Scripted("a", proposals=[(7, 7)])
    state = sao(a, Scripted("b"), ignore_negotiator_exceptions=True).run()
    assert state.has_error and state.result == "error" and state.erred_negotiator == "a"


def test_dict_and_list_offers_are_converted_to_tuples() -> None:
    a = Scripted("a", proposals=[{"b": 3, "a": 1}])
    b = Scripted("b", proposals=[[2, 2]], responses=[R])
    m = sao(a, b, n_steps=1)
    m.run()
    assert [h[2] for h in m.history] == [(1, 3), (2, 2)]
    assert b.seen == [(1, 3)]


def test_equal_numbers_are_replaced_by_the_canonical_value() -> None:
    a = Scripted("a", proposals=[(1.0, 2)])
    b = Scripted("b", responses=[A])
    state = sao(a, b).run()
    assert state.agreement == (1, 2) and type(state.agreement[0]) is int


def test_continuous_space_offers_are_checked_by_issue() -> None:
    space = OutcomeSpace([make_issue((0.0, 1.0), "price"), make_issue(3, "q")])
    a = Scripted("a", proposals=[(0.123, 2)])
    b = Scripted("b", responses=[A])
    m = SAOMechanism(outcome_space=space, n_steps=3)
    m.add(a)
    m.add(b)
    assert m.run().agreement == (0.123, 2)
    bad = SAOMechanism(outcome_space=space, n_steps=3)
    bad.add(Scripted("a", proposals=[(1.5, 2)]))
    bad.add(Scripted("b"))
    with pytest.raises(InvalidOfferError):
        bad.run()


def test_proposing_none_withdraws_the_offer() -> None:
    a = Scripted("a", proposals=[(1, 1)])
    b = Scripted("b", proposals=[None], responses=[R])
    m = sao(a, b, n_steps=2)
    m.step()
    assert m.state.current_offer is None and m.state.n_acceptances == 0
    m.run()
    assert a.n_responded == 0  # a always faced no standing offer
    assert [h[1] for h in m.history] == ["a", "a"]


@pytest.mark.parametrize("where", ["propose", "respond", "on_negotiation_start"])
def test_negotiator_exception_is_raised_naming_negotiator_and_round(where: str) -> None:
    a = Scripted("a", proposals=[(1, 1)])
    b = Scripted("b", fail_in=where)
    m = sao(a, b)
    with pytest.raises(NegotiatorError) as info:
        m.run()
    msg = str(info.value)
    assert "'b'" in msg and f"{where}()" in msg and "round 0" in msg and "boom" in msg
    assert isinstance(info.value.__cause__, RuntimeError)
    assert info.value.negotiator_id == "b" and info.value.mechanism_id == m.id
    state = m.state
    assert state.has_error and state.erred_negotiator == "b" and not state.running
    assert state.result == "error"


@pytest.mark.parametrize("where", ["propose", "respond", "on_negotiation_start"])
def test_ignored_negotiator_exception_ends_with_error_recorded(where: str) -> None:
    a = Scripted("a", proposals=[(1, 1)])
    b = Scripted("b", fail_in=where)
    state = sao(a, b, ignore_negotiator_exceptions=True).run()
    assert state.has_error and state.erred_negotiator == "b"
    assert "boom" in state.error_details and state.agreement is None
    assert state.ended


def test_exception_in_on_negotiation_end_keeps_the_agreement_but_is_reported() -> None:
    a = Scripted("a", proposals=[(1, 1)], fail_in="on_negotiation_end")
    b = Scripted("b", responses=[A])
    m = sao(a, b)
    with pytest.raises(NegotiatorError, match="on_negotiation_end"):
        m.run()
    assert m.state.agreement == (1, 1) and m.state.has_error
    quiet = sao(
        Scripted("a", proposals=[(1, 1)], fail_in="on_negotiation_end"),
        Scripted("b", responses=[A]),
        ignore_negotiator_exceptions=True,
    )
    assert quiet.run().erred_negotiator == "a"


def test_join_exception_is_raised_or_refused() -> None:
    m = SAOMechanism(outcome_space=small_space(), n_steps=3)
    with pytest.raises(NegotiatorError, match="joining"):
        m.add(Scripted("a", fail_in="join"))
    quiet = SAOMechanism(outcome_space=small_space(), n_steps=3, ignore_negotiator_exceptions=True)
    assert quiet.add(Scripted("a", fail_in="join")) is False
    assert quiet.negotiators == []


def test_a_response_that_is_not_a_response_type_is_an_error() -> None:
    a = Scripted("a", proposals=[(1, 1)])
    b = Scripted("b", responses=["yes"])
    with pytest.raises(NegotiatorError, match="ResponseType"):
        sao(a, b).run()


def test_multilateral_agreement_needs_everyone() -> None:
    a = Scripted("a", proposals=[(1, 1)], responses=[A])
    b = Scripted("b", responses=[A])
    c = Scripted("c", responses=[R, A], proposals=[(2, 2)])
    d = Scripted("d", responses=[A])
    m = sao(a, b, c, d)
    state = m.run()
    # round 0: a offers (1,1), b accepts, c rejects and offers (2,2), d accepts;
    # round 1: a and b accept (2,2): everyone has.
    assert state.agreement == (2, 2)
    assert state.step == 2 and state.n_acceptances == 4
    assert [h[1] for h in m.history] == ["a", "c"]


def test_multilateral_no_response_does_not_count_as_acceptance() -> None:
    a = Scripted("a", proposals=[(1, 1), (2, 2)])
    b = Scripted("b", responses=[A])
    c = Scripted("c", responses=[N, A])
    m = sao(a, b, c, n_steps=5)
    state = m.run()
    # round 0: a offers, b accepts, c passes; round 1: a proposes again (its
    # offer was not accepted by all), b and c accept the new offer.
    assert state.agreement == (2, 2) and state.step == 2


def test_multilateral_end_by_anyone_breaks_it() -> None:
    a = Scripted("a", proposals=[(1, 1)])
    b = Scripted("b", responses=[A])
    c = Scripted("c", responses=[E])
    state = sao(a, b, c).run()
    assert state.broken and state.agreement is None


def test_offering_is_accepting_false_multilateral_counts_each_negotiator_once() -> None:
    a = Scripted("a", proposals=[(1, 1)], responses=[A])
    b = Scripted("b", responses=[A])
    c = Scripted("c", responses=[N, N, A])
    m = sao(a, b, c, offering_is_accepting=False, n_steps=5)
    state = m.run()
    # b accepts repeatedly but counts once; the agreement waits for c.
    assert state.agreement == (1, 1) and state.step == 3
    assert state.n_acceptances == 3


def test_a_negotiation_needs_a_bound_and_two_negotiators_to_start() -> None:
    with pytest.raises(MechanismError, match="bounded"):
        SAOMechanism(outcome_space=small_space())
    with pytest.raises(MechanismError, match="exactly one"):
        SAOMechanism(n_steps=3)
    with pytest.raises(MechanismError, match="n_steps"):
        SAOMechanism(outcome_space=small_space(), n_steps=0)
    with pytest.raises(MechanismError, match="time_limit"):
        SAOMechanism(outcome_space=small_space(), time_limit=-1)
    with pytest.raises(MechanismError, match="seed"):
        SAOMechanism(outcome_space=small_space(), n_steps=2, seed=-3)
    m = SAOMechanism(outcome_space=small_space(), n_steps=3)
    m.add(Scripted("a"))
    state = m.run()
    assert not state.started and state.ended_without_starting and state.result == "pending"


def test_issues_can_be_given_instead_of_a_space() -> None:
    m = SAOMechanism(issues=[make_issue(3, "x"), make_issue(["r", "g"], "c")], n_steps=2)
    assert m.outcome_space.issue_names == ["x", "c"]
    assert m.nmi.issues == m.issues


def test_numpy_scalars_become_plain_numbers() -> None:
    space = OutcomeSpace([make_issue((0.0, 1.0), "price"), make_issue(3, "q")])
    a = Scripted("a", proposals=[(np.float64(0.5), np.int64(2))])
    b = Scripted("b", responses=[A])
    m = SAOMechanism(outcome_space=space, n_steps=3)
    m.add(a)
    m.add(b)
    agreement = m.run().agreement
    assert agreement == (0.5, 2)
    assert [type(v) for v in agreement] == [float, int]
    discrete = sao(
        Scripted("a", proposals=[(np.int64(1), np.int64(2))]), Scripted("b", responses=[A])
    )
    assert [type(v) for v in discrete.run().agreement] == [int, int]

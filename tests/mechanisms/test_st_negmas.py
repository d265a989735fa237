"""NegMAS's single-text mechanisms: VetoSTMechanism and HillClimbingSTMechanism."""

from __future__ import annotations

import itertools
import random
from typing import Any

import numpy as np
import pytest
from mech_fakes import Scripted, small_space

import palaver
from palaver.events import EventBus, EventType, ListSink
from palaver.mechanisms import (
    HillClimbingSTMechanism,
    InvalidOfferError,
    MechanismError,
    NegotiatorError,
    STState,
    VetoSTMechanism,
)
from palaver.negotiators import BinaryComparatorNegotiator
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import MappingUtilityFunction
from palaver.world import resolve_mechanism


class Voter(Scripted):
    """A scripted comparator that also answers NegMAS's final check."""

    def __init__(self, id: str, verdict: bool | None = True, acceptable: Any = True) -> None:
        super().__init__(id, verdict=verdict)
        self.acceptable = acceptable
        self.compared: list[tuple[Any, Any]] = []
        self.checked: list[tuple] = []

    def is_better(self, first: tuple, second: tuple) -> bool | None:
        self.compared.append((first, second))
        return super().is_better(first, second)

    def is_acceptable_as_agreement(self, outcome: tuple) -> Any:
        self.checked.append(outcome)
        return self.acceptable


def negmas_style(cls: type[VetoSTMechanism], n_negotiators: int, n_outcomes: int, **kwargs: Any):
    mechanism = cls(outcomes=n_outcomes, **kwargs)
    ufuns = MappingUtilityFunction.generate_random(n_negotiators, outcomes=n_outcomes, seed=7)
    for i in range(n_negotiators):
        mechanism.add(BinaryComparatorNegotiator(name=f"agent{i}"), preferences=ufuns[i])
    return mechanism, ufuns


# --- NegMAS's own scenarios (negmas/tests/test_st.py), written afresh ---------


@pytest.mark.parametrize(
    ("n_negotiators", "n_outcomes", "n_steps"),
    [(2, 10000, 300), (3, 50, 3), (2, 50, 3), (3, 5, 3)],
)
def test_veto_reaches_an_agreement_negmas_style(
    n_negotiators: int, n_outcomes: int, n_steps: int
) -> None:
    mechanism, _ = negmas_style(VetoSTMechanism, n_negotiators, n_outcomes, n_steps=n_steps)
    assert mechanism.state.step == 0 and mechanism.state.current_offer is None
    mechanism.step()
    assert mechanism.state.step == 1
    # the first proposal beats "no text yet" (the reserved value) for everyone
    assert mechanism.state.current_offer == mechanism.history[0][2]
    mechanism.run()
    assert mechanism.agreement is not None
    assert mechanism.agreement == mechanism.state.current_offer
    assert mechanism.state.step == n_steps and mechanism.state.timedout
    assert mechanism.state.result == "agreement"


@pytest.mark.parametrize(("n_negotiators", "n_outcomes"), [(2, 10), (3, 50), (2, 50), (3, 5)])
def test_hill_climbing_reaches_an_agreement_negmas_style(
    n_negotiators: int, n_outcomes: int
) -> None:
    mechanism, _ = negmas_style(HillClimbingSTMechanism, n_negotiators, n_outcomes, n_steps=3)
    assert mechanism.state.step == 0
    assert mechanism.state.current_offer is not None  # drawn when the mechanism is made
    mechanism.step()
    assert mechanism.state.step == 1
    assert mechanism.state.current_offer is not None
    mechanism.run()
    assert mechanism.agreement is not None
    assert mechanism.agreement == mechanism.current_offer


# --- the veto protocol ----------------------------------------------------------


def test_only_unanimous_true_adopts_a_proposal() -> None:
    for verdicts in [(True, False), (True, None), (None, None)]:
        m = VetoSTMechanism(outcome_space=small_space(), n_steps=5, initial_outcome=(2, 2), seed=1)
        voters = [Voter(f"v{i}", verdict=v) for i, v in enumerate(verdicts)]
        for v in voters:
            m.add(v)
        state = m.run()
        assert state.current_offer == (2, 2), verdicts
        assert state.n_vetoes == sum(v is not True for v in verdicts)
        assert m.last_responses == list(verdicts)
        assert state.agreement == (2, 2)  # the final check accepts the unchanged text
    m = VetoSTMechanism(outcome_space=small_space(), n_steps=5, initial_outcome=(2, 2), seed=1)
    m.add(Voter("a"))
    m.add(Voter("b"))
    state = m.run()
    assert state.current_offer == m.history[-1][2] == state.proposal == state.new_offer
    assert state.n_vetoes == 0 and m.last_responses == [True, True]


def test_proposals_are_uniform_draws_compared_with_the_current_text() -> None:
    m = VetoSTMechanism(outcome_space=small_space(), n_steps=400, seed=5)
    a, b = Voter("a"), Voter("b")
    m.add(a)
    m.add(b)
    m.run()
    proposals = [h[2] for h in m.history]
    assert len(proposals) == 400 and all(h[1] is None for h in m.history)
    assert set(proposals) == set(small_space().enumerate())  # every outcome comes up
    # not an edit of one issue (STVetoMechanism's rule): whole new texts
    assert any(p[0] != q[0] and p[1] != q[1] for p, q in itertools.pairwise(proposals))
    assert a.compared[0] == (proposals[0], None)  # no text yet: compared with no agreement
    assert a.compared[1:] == list(zip(proposals[1:], proposals[:-1], strict=True))


def test_the_final_check_decides_the_agreement() -> None:
    m = VetoSTMechanism(outcome_space=small_space(), n_steps=4, seed=2)
    a, b = Voter("a"), Voter("b", acceptable=False)
    m.add(a)
    m.add(b)
    state = m.run()
    assert state.agreement is None and state.timedout and state.result == "timeout"
    assert a.checked == b.checked == [state.current_offer]


def test_without_a_text_there_is_no_agreement_and_no_check() -> None:
    m = VetoSTMechanism(outcome_space=small_space(), n_steps=4, seed=2)
    a, b = Voter("a", verdict=False), Voter("b")
    m.add(a)
    m.add(b)
    state = m.run()
    assert state.current_offer is None and state.agreement is None
    assert a.checked == [] and state.result == "timeout"


class EndsAfterTwo(VetoSTMechanism):
    def next_outcome(self, outcome: Any) -> Any:
        if len(self.history) == 2:
            return None
        return self.outcome_space.sample(self.mediator_random, 1)[0]


def test_a_none_proposal_ends_the_run_with_the_current_text() -> None:
    m = EndsAfterTwo(outcome_space=small_space(), n_steps=10, seed=4)
    m.add(Voter("a"))
    m.add(Voter("b"))
    state = m.run()
    assert state.step == 3 and not state.timedout
    assert state.agreement == m.history[-1][2] and len(m.history) == 2


class BadMediator(VetoSTMechanism):
    def next_outcome(self, outcome: Any) -> Any:
        return (9, 9)


def test_a_proposal_outside_the_space_is_refused() -> None:
    m = BadMediator(outcome_space=small_space(), n_steps=3)
    m.add(Voter("a"))
    m.add(Voter("b"))
    with pytest.raises(MechanismError, match=r"next_outcome\(\).*\(9, 9\)"):
        m.step()


# --- hill climbing --------------------------------------------------------------


def test_neighbors_differ_in_one_issue_by_one_step_or_one_other_value() -> None:
    space = OutcomeSpace(
        [make_issue(5, "n"), make_issue(["a", "b", "c"], "c"), make_issue((0.0, 1.0), "x")]
    )
    m = HillClimbingSTMechanism(
        outcome_space=space, initial_outcome=(0, "b", 0.5), n_steps=5, seed=3
    )
    found = m.neighbors((0, "b", 0.5))
    assert found[:3] == [(1, "b", 0.5), (0, "a", 0.5), (0, "c", 0.5)]
    moved = [o[2] for o in found[3:]]
    assert len(moved) == 2 and moved[0] < 0.5 < moved[1]
    assert all(0.0 <= x <= 1.0 for x in moved)
    assert m.neighbors((4, "a", 0.5))[0] == (3, "a", 0.5)
    assert sorted(m.neighbors((2, "a", 0.5))[:2]) == [(1, "a", 0.5), (3, "a", 0.5)]
    assert m.possible_offers == m.neighbors((0, "b", 0.5))[:3] + m.possible_offers[3:]


class Increasing(Voter):
    """Prefers larger values of the only issue."""

    def is_better(self, first: tuple, second: tuple) -> bool | None:
        self.compared.append((first, second))
        return first[0] > second[0]


def test_hill_climbing_climbs_to_the_local_optimum_and_stops() -> None:
    m = HillClimbingSTMechanism(
        issues=[make_issue(10, "n")], initial_outcome=(0,), n_steps=100, seed=1
    )
    a, b = Increasing("a"), Increasing("b")
    m.add(a)
    m.add(b)
    state = m.run()
    proposals = [h[2][0] for h in m.history]
    text, climbed = 0, []
    for p in proposals:  # each is a neighbour of the text; only an increase is adopted
        assert abs(p - text) == 1
        if p > text:
            text = p
            climbed.append(p)
    assert climbed == list(range(1, 10))
    # at (9,) its only neighbour (8,) is rejected, then none is left: the run ends
    assert proposals[-1] == 8 and state.step == len(proposals) + 1 and not state.timedout
    assert state.agreement == (9,) and m.possible_offers == []


def test_each_hill_climbing_proposal_is_an_unproposed_neighbour() -> None:
    m = HillClimbingSTMechanism(outcome_space=small_space(), n_steps=50, seed=8)
    m.add(Voter("a"))
    m.add(Voter("b", verdict=False))
    start = m.current_offer
    neighbours = m.neighbors(start)
    state = m.run()
    proposals = [h[2] for h in m.history]
    assert sorted(proposals) == sorted(neighbours)  # each once, then the run ends
    assert state.step == len(neighbours) + 1 and state.agreement == start


# --- reproducibility --------------------------------------------------------------


@pytest.mark.parametrize("cls", [VetoSTMechanism, HillClimbingSTMechanism])
def test_a_seed_fixes_the_run_and_global_generators_are_untouched(
    cls: type[VetoSTMechanism],
) -> None:
    def run(seed: int) -> tuple[list, Any]:
        m, _ = negmas_style(cls, 3, 200, n_steps=40, seed=seed)
        m.run()
        return m.history, m.agreement

    random.seed(11)
    np.random.seed(11)  # the legacy global state must stay untouched
    expected = random.random(), np.random.random()
    random.seed(11)
    np.random.seed(11)
    first = run(5)
    assert (random.random(), np.random.random()) == expected
    assert run(5) == first
    assert run(6) != first


# --- events ---------------------------------------------------------------------


@pytest.mark.parametrize("cls", [VetoSTMechanism, HillClimbingSTMechanism])
def test_events_are_emitted_on_the_bus(cls: type[VetoSTMechanism]) -> None:
    bus = EventBus()
    sink = ListSink()
    bus.add_sink(sink)
    m, _ = negmas_style(cls, 2, 30, n_steps=5, seed=3, bus=bus, id="st-1")
    m.run()
    started = sink.of_type(EventType.NEGOTIATION_STARTED)
    assert len(started) == 1 and started[0].payload["mechanism"] == cls.__name__
    offers = sink.of_type(EventType.OFFER)
    assert [e.payload["outcome"] for e in offers] == [h[2] for h in m.history]
    assert all(e.payload["negotiator"] is None for e in offers)
    assert all(e.negotiation_id == "st-1" for e in sink.events)
    responses = sink.of_type(EventType.RESPONSE)
    # one answer per negotiator and proposal, then one each in the final check
    assert len(responses) == 2 * len(offers) + 2
    final = responses[-2:]
    assert all(e.payload["offer"] == m.agreement and e.payload["response"] for e in final)
    ended = sink.of_type(EventType.NEGOTIATION_ENDED)[0].payload
    assert ended["result"] == "agreement" and ended["agreement"] == m.agreement


def test_negmas_dotted_names_resolve_to_these_classes() -> None:
    assert resolve_mechanism("negmas.st.VetoSTMechanism") is VetoSTMechanism
    assert resolve_mechanism("negmas.st.HillClimbingSTMechanism") is HillClimbingSTMechanism
    assert palaver.VetoSTMechanism is VetoSTMechanism
    assert palaver.BinaryComparatorNegotiator is BinaryComparatorNegotiator
    assert isinstance(VetoSTMechanism(outcomes=3, n_steps=2).state, STState)


# --- bad input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"epsilon": -1.0}, ValueError, r"epsilon.*>= 0.*-1\.0"),
        ({"epsilon": "small"}, TypeError, "epsilon.*'small'"),
        ({"epsilon": float("nan")}, ValueError, "epsilon"),
        ({"initial_responses": [True, 1]}, TypeError, r"initial_responses\[1\].*1"),
        ({"initial_responses": "yes"}, TypeError, "initial_responses.*sequence of bools.*'yes'"),
        ({"initial_outcome": (7, 7)}, InvalidOfferError, r"initial_outcome \(7, 7\)"),
    ],
)
@pytest.mark.parametrize("cls", [VetoSTMechanism, HillClimbingSTMechanism])
def test_bad_arguments_are_refused_by_name(
    cls: type[VetoSTMechanism], kwargs: dict, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        cls(outcome_space=small_space(), n_steps=3, **kwargs)


def test_arguments_are_kept_as_negmas_names_them() -> None:
    m = VetoSTMechanism(
        outcome_space=small_space(),
        n_steps=2,
        epsilon=0.5,
        initial_outcome=[1, 2],
        initial_responses=[True],
    )
    assert m.epsilon == 0.5 and m.initial_outcome == (1, 2) == m.current_offer
    assert m.initial_responses == (True,) and m.last_responses == [True]


def test_a_negotiator_without_the_final_check_cannot_join() -> None:
    m = VetoSTMechanism(outcome_space=small_space(), n_steps=2)
    with pytest.raises(TypeError, match="is_acceptable_as_agreement"):
        m.add(Scripted("a"))


@pytest.mark.parametrize(
    ("voter", "where"),
    [
        (Voter("b", verdict="yes"), "is_better"),  # type: ignore[arg-type]
        (Voter("b", acceptable="yes"), "is_acceptable_as_agreement"),
    ],
)
def test_malformed_answers_fail_the_negotiation(voter: Voter, where: str) -> None:
    m = VetoSTMechanism(outcome_space=small_space(), n_steps=3, seed=1)
    m.add(Voter("a"))
    m.add(voter)
    with pytest.raises(NegotiatorError, match=where):
        m.run()
    assert m.state.has_error and m.state.erred_negotiator == "b" and m.agreement is None


def test_the_untried_neighbour_is_drawn_not_taken_in_order() -> None:
    first_proposals = set()
    for seed in range(20):
        m = HillClimbingSTMechanism(
            outcome_space=small_space(), initial_outcome=(2, 2), n_steps=2, seed=seed
        )
        m.add(Voter("a"))
        m.add(Voter("b"))
        m.step()
        first_proposals.add(m.history[0][2])
    assert first_proposals == {(1, 2), (3, 2), (2, 1), (2, 3)}

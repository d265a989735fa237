"""Offers with data (NegMAS's ExtendedOutcome) and data-only messages in SAO."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from palaver.mechanisms import ExtendedResponseType, ResponseType, SAOMechanism
from palaver.negotiators import ACTime, SAONegotiator, TimeBasedOfferingPolicy, make_boa
from palaver.outcomes import ExtendedOutcome, make_issue, make_os
from palaver.preferences import LinearUtilityFunction

SPACE = make_os([make_issue(10, "x")])


class Talker(SAONegotiator):
    """Offers (9,) with a text at even rounds; from round ``quiet`` on, a message only."""

    def __init__(self, quiet: int = 99, data: dict[str, Any] | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.quiet = quiet
        self.data = {"text": "hello"} if data is None else data

    def propose(self, state: Any, dest: str | None = None) -> Any:
        if state.step >= self.quiet:
            return ExtendedOutcome(None, data=self.data)
        if state.step % 2 == 0:
            return ExtendedOutcome((9,), data={"text": f"round {state.step}"})
        return (9,)

    def respond(self, state: Any, offer: Any) -> ResponseType:
        return ResponseType.REJECT_OFFER


class Stubborn(SAONegotiator):
    def propose(self, state: Any, dest: str | None = None) -> Any:
        return (0,)

    def respond(self, state: Any, offer: Any) -> ResponseType:
        return ResponseType.REJECT_OFFER


def run(quiet: int = 99, data: dict[str, Any] | None = None, **options: Any) -> SAOMechanism:
    m = SAOMechanism(outcome_space=SPACE, n_steps=6, **options)
    m.add(Talker(name="t", quiet=quiet, data=data), ufun=LinearUtilityFunction([0.1]))
    m.add(Stubborn(name="s"), ufun=LinearUtilityFunction([-0.1], bias=1.0))
    m.run()
    return m


@pytest.mark.parametrize(
    "options", [{}, {"one_offer_per_step": True}, {"allow_offering_just_rejected_outcome": False}]
)
def test_data_is_kept_with_the_offer(options: dict[str, Any]) -> None:
    m = run(**options)
    talker = [e for e in m.history if e.current_proposer == "t"]
    assert [e.current_offer for e in talker] == [(9,)] * len(talker)
    texts = [e.current_data["text"] if e.current_data else None for e in talker]
    assert texts == [f"round {e.step}" if e.step % 2 == 0 else None for e in talker]
    assert None in texts or options  # one_offer_per_step: the talker's turns are all even
    assert talker[0].new_data == [("t", {"text": f"round {talker[0].step}"})]
    trace = m.full_trace
    assert trace[0].text == texts[0] and trace[0].data == {"text": texts[0]}
    assert pickle.loads(pickle.dumps(m.history)) == m.history


def test_a_message_withdraws_the_offer_without_ending() -> None:
    m = run(quiet=2, end_on_no_response=True)
    assert not m.state.broken and m.state.timedout and m.state.agreement is None
    messages = [e for e in m.history if e.current_offer is None]
    assert messages and all(e.current_data == {"text": "hello"} for e in messages)
    assert all(e.current_proposer == "t" for e in messages)
    rounds, _, outcomes = m.offer_columns()
    assert len(rounds) == len(outcomes)
    assert len(outcomes) == len(m.history) - len(messages)  # messages are no offers
    assert m.state.new_data[0] == ("t", {"text": "hello"})


@pytest.mark.parametrize(("allow", "data"), [(False, {"text": "hi"}), (True, {})])
def test_a_none_proposal_without_data_or_permission_ends_it(
    allow: bool, data: dict[str, Any]
) -> None:
    m = run(quiet=2, data=data, end_on_no_response=True, allow_none_with_data=allow)
    assert m.state.broken and all(e.current_offer is not None for e in m.history)


def test_boa_data_from_both_policies_is_merged_into_the_offer() -> None:
    class Noting(ACTime):
        def __call__(self, state: Any, offer: Any, source: Any) -> Any:
            return ExtendedResponseType(super().__call__(state, offer, source), {"seen": 1})

    boa = make_boa(acceptance=Noting(tau=0.99), offering=TimeBasedOfferingPolicy(), name="boa")
    m = SAOMechanism(outcome_space=SPACE, n_steps=4)
    m.add(Stubborn(name="s"), ufun=LinearUtilityFunction([-0.1], bias=1.0))
    m.add(boa, ufun=LinearUtilityFunction([0.1]))
    m.run()
    boa_entries = [e for e in m.history if e.current_proposer == "boa"]
    assert boa_entries and all(e.current_data == {"seen": 1} for e in boa_entries)


def test_data_against_a_planned_strategy() -> None:
    # A built-in strategy plans its rounds: the rounds are played by the mixed loop.
    from palaver.negotiators import BoulwareTBNegotiator

    m = SAOMechanism(outcome_space=SPACE, n_steps=6)
    m.add(Talker(name="t", quiet=3), ufun=LinearUtilityFunction([0.1]))
    m.add(BoulwareTBNegotiator(name="b"), ufun=LinearUtilityFunction([-0.1], bias=1.0))
    m.run()
    talker = [e for e in m.history if e.current_proposer == "t"]
    assert [e.current_data for e in talker[:3]] == [
        {"text": "round 0"},
        None,
        {"text": "round 2"},
    ]
    assert all(e.current_offer is None and e.current_data == {"text": "hello"} for e in talker[3:])

"""After an agreement or a break, ``relative_time`` is NegMAS's: ``(step + 1) / (n_steps + 1)``.

The ended round counts as played, as for a round that goes on: NegMAS 0.16
gives 0.75 for an agreement in round 1 (from 0) of 3, where Palaver gave 0.5,
the value during that round.
"""

from __future__ import annotations

from typing import Any

import pytest
from mech_fakes import A, E, R, Scripted, small_space

from palaver.mechanisms import MechanismState, ResponseType, SAOMechanism
from palaver.negotiators import SAONegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearAdditiveUtilityFunction


class _AcceptsInRound1(SAONegotiator):
    """Offers (1,); answers ``answer`` from round 1 on, rejects before."""

    answer = ResponseType.ACCEPT_OFFER

    def propose(self, state: MechanismState) -> Any:
        return (1,)

    def respond(self, state: MechanismState, source: str | None = None) -> ResponseType:
        return self.answer if state.step >= 1 else ResponseType.REJECT_OFFER


class _EndsInRound1(_AcceptsInRound1):
    answer = ResponseType.END_NEGOTIATION


class _Watching(_AcceptsInRound1):
    """With ``on_round_end``: the rounds run in the loop that calls it, not the inlined one."""

    def on_round_end(self, state: MechanismState) -> None:
        self.last_step = state.step


class _WatchingEnds(_Watching):
    answer = ResponseType.END_NEGOTIATION


def _negotiators_run(
    kind: type[_AcceptsInRound1], n_negotiators: int, n_steps: int
) -> MechanismState:
    m = SAOMechanism(issues=[make_issue(3, "x")], n_steps=n_steps)
    for i in range(n_negotiators):
        ufun = LinearAdditiveUtilityFunction(
            values={"x": lambda x: float(x)}, outcome_space=m.outcome_space
        )
        m.add(kind(name=f"n{i}"), ufun=ufun)
    return m.run()


@pytest.mark.parametrize("n_negotiators", [2, 3])
@pytest.mark.parametrize("kind", [_AcceptsInRound1, _Watching])
@pytest.mark.parametrize("n_steps", [3, 10])
def test_agreement_state_counts_its_round(
    n_negotiators: int, kind: type[_AcceptsInRound1], n_steps: int
) -> None:
    s = _negotiators_run(kind, n_negotiators, n_steps)
    assert (s.agreement, s.step) == ((1,), 2)
    assert s.relative_time == pytest.approx(3 / (n_steps + 1))


@pytest.mark.parametrize("n_negotiators", [2, 3])
@pytest.mark.parametrize("kind", [_EndsInRound1, _WatchingEnds])
def test_broken_state_counts_its_round(n_negotiators: int, kind: type[_AcceptsInRound1]) -> None:
    s = _negotiators_run(kind, n_negotiators, 5)
    assert (s.broken, s.step) == (True, 2)
    assert s.relative_time == pytest.approx(3 / 6)


def test_agreement_in_the_last_round_is_the_whole_budget() -> None:
    m = SAOMechanism(small_space(), n_steps=2)
    m.add(Scripted("a", proposals=[(1, 1)], responses=[A]))
    m.add(Scripted("b", proposals=[(2, 2)], responses=[R, A]))
    s = m.run()
    assert (s.agreement, s.step, s.relative_time) == ((2, 2), 2, 1.0)


def test_structural_negotiators_break_with_the_same_time() -> None:
    m = SAOMechanism(small_space(), n_steps=4)
    m.add(Scripted("a", proposals=[(1, 1)], responses=[R]))
    m.add(Scripted("b", proposals=[(2, 2)], responses=[E]))
    s = m.run()
    assert (s.broken, s.step) == (True, 1)
    assert s.relative_time == pytest.approx(2 / 5)

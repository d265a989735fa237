"""A state reads NegMAS's way too: asdict, keys, values, [], done, ended_or_never_started."""

from __future__ import annotations

import pytest

from palaver.mechanisms import MechanismState, SAOMechanism, SAOState
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction


def test_dict_views_are_to_dict() -> None:
    s = SAOState(step=3, agreement=(1,), current_offer=(1,), started=True)
    assert s.asdict() == s.to_dict()
    names = s.keys()
    assert names == list(s.to_dict()) and "time" not in names
    assert dict(zip(s.keys(), s.values(), strict=True)) == s.to_dict()
    assert (s["step"], s["agreement"], s["current_offer"]) == (3, (1,), (1,))
    with pytest.raises(KeyError, match="'nope' is not a field of SAOState"):
        s["nope"]
    with pytest.raises(KeyError):
        s["_private"]


def test_done_and_ended_or_never_started_follow_negmas() -> None:
    fresh = MechanismState()
    assert not fresh.done and not fresh.completed and not fresh.ended_or_never_started
    assert MechanismState(ended_without_starting=True).ended_or_never_started
    assert not MechanismState(ended_without_starting=True).done  # never started
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=20)
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([1.0])))
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    assert not m.ended
    m.step()
    assert not m.state.done and not m.state.ended_or_never_started and not m.ended
    end = m.run()
    assert end.done and end.completed and end.ended_or_never_started and m.ended

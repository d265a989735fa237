"""NegMAS's interface members and per-negotiator logs (palaver.mechanisms.nmi_members)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from palaver.mechanisms import MechanismError, SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction


class Noting(AspirationNegotiator):
    """Writes a note each time it proposes, as NegMAS code does."""

    def propose(self, state: Any, dest: Any = None) -> Any:
        offer = super().propose(state, dest)
        assert self.nmi is not None
        self.nmi.log_info(self.id, {"offer": offer, "left": self.nmi.remaining_steps})
        return offer


def _mechanism(**kw: Any) -> SAOMechanism:
    m = SAOMechanism(issues=[make_issue(6, "a"), make_issue(5, "b")], **kw)
    return m


def test_remaining_steps_and_time_follow_the_negotiation() -> None:
    m = _mechanism(n_steps=10, time_limit=30.0)
    first = AspirationNegotiator(ufun=LinearUtilityFunction([1.0, 1.0]))
    m.add(first)
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0, -1.0])))
    nmi = first.nmi
    assert nmi is not None
    assert nmi.remaining_steps == 10 and nmi.remaining_time == 30.0  # not started
    m.step()
    m.step()
    assert nmi.remaining_steps == 8
    remaining = nmi.remaining_time
    assert remaining is not None and 25.0 < remaining < 30.0
    assert nmi.cardinality == 30
    assert not nmi.atomic_steps and not nmi.one_offer_per_step and not nmi.end_on_no_response
    assert nmi.genius_id(first.id) == first.id


def test_without_limits_the_remainders_are_none_and_flags_follow_options() -> None:
    m = _mechanism(n_steps=None, time_limit=5.0, one_offer_per_step=True, end_on_no_response=True)
    first = AspirationNegotiator(ufun=LinearUtilityFunction([1.0, 1.0]))
    m.add(first)
    assert first.nmi is not None
    assert first.nmi.remaining_steps is None
    assert first.nmi.atomic_steps and first.nmi.one_offer_per_step and first.nmi.end_on_no_response
    m2 = _mechanism(n_steps=5)
    second = AspirationNegotiator(ufun=LinearUtilityFunction([1.0, 1.0]))
    m2.add(second)
    assert second.nmi is not None and second.nmi.remaining_time is None
    assert m2.nmi.cardinality == 30 and not math.isinf(m2.nmi.cardinality)


def test_negotiator_notes_are_kept_with_step_and_level() -> None:
    m = _mechanism(n_steps=5)
    noting = Noting(ufun=LinearUtilityFunction([1.0, 1.0]))
    m.add(noting)
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0, -1.0])))
    m.run()
    notes = m.negotiator_logs[noting.id]
    assert notes and all(n["level"] == "info" for n in notes)
    assert [n["step"] for n in notes] == list(range(len(notes)))
    assert notes[0]["left"] == 5 and "offer" in notes[0] and "relative_time" in notes[0]
    m.log_warning(noting.id, {"checked": True})
    assert m.negotiator_logs[noting.id][-1]["level"] == "warning"
    m.negotiator_logs[noting.id].clear()  # a copy: the mechanism's notes stay
    assert m.negotiator_logs[noting.id]


def test_bad_log_calls_are_refused_naming_what_is_allowed() -> None:
    m = _mechanism(n_steps=5)
    with pytest.raises(MechanismError, match="level must be one of"):
        m.log("x", {}, "loud")
    with pytest.raises(MechanismError, match="log data must be a dict"):
        m.nmi.log_info("x", "not a dict")  # type: ignore[arg-type]
    assert m.negotiator_logs == {}


def test_the_state_names_the_agents_of_the_proposers() -> None:
    m = _mechanism(n_steps=10)
    seller = AspirationNegotiator(ufun=LinearUtilityFunction([1.0, 1.0]), id="s")
    buyer = AspirationNegotiator(ufun=LinearUtilityFunction([-1.0, -1.0]), id="b")
    seller.owner_id = "acme"  # as a world sets it
    m.add(seller)
    m.add(buyer)
    state = m.step()
    assert state.current_proposer == "b"  # the last to propose in the round
    assert state.current_proposer_agent is None  # the buyer acts for no agent
    assert [p for p, _ in state.new_offers] == ["s", "b"]
    assert state.new_offerer_agents == ["acme", None]

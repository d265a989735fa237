"""NegMAS's mechanism.step(action) and state.new_offers."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.mechanisms import ResponseType, SAOMechanism, SAOResponse, VetoSTMechanism
from palaver.mechanisms.errors import MechanismTypeError, MechanismValueError, NegotiatorError
from palaver.negotiators import AspirationNegotiator, SAONegotiator
from palaver.preferences import MappingUtilityFunction


class Untouchable(SAONegotiator):
    """Fails if the mechanism ever calls it to answer or offer."""

    def respond(self, state: Any, offer: Any) -> ResponseType:
        raise AssertionError("respond called")

    def propose(self, state: Any, dest: str | None = None) -> Any:
        raise AssertionError("propose called")


def session(**kwargs: Any) -> tuple[SAOMechanism, AspirationNegotiator, Untouchable]:
    m = SAOMechanism(outcomes=10, n_steps=8, seed=4, **kwargs)
    a, u = AspirationNegotiator(name="a"), Untouchable(name="u")
    m.add(a, ufun=MappingUtilityFunction(lambda o: o[0] / 9))
    m.add(u, ufun=MappingUtilityFunction(lambda o: 1 - o[0] / 9))
    return m, a, u


def test_an_action_answers_and_offers_for_its_negotiator_once() -> None:
    m, _, u = session()
    action: dict[str, Any] = {"u": SAOResponse(ResponseType.REJECT_OFFER, (2,))}
    state = m.step(action)
    assert m.history == [(0, "a", (9,)), (0, "u", (2,))] and action == {}
    assert state.new_offers == [("a", (9,)), ("u", (2,))]
    assert "respond" not in vars(u)  # the stand-ins are gone after the step
    m.step({"u": (5,)})  # a bare outcome: reject and offer it
    assert m.history[-1] == (1, "u", (5,)) and m.state.new_offers[-1] == ("u", (5,))
    snapshot = m.state.copy()
    state = m.step({"u": SAOResponse(ResponseType.ACCEPT_OFFER, None)})
    assert state.agreement == m.history[-1][2] and state.new_offers == [m.history[-1][1:]]
    assert snapshot.new_offers == [("a", (9,)), ("u", (5,))]  # its own step's offers
    with pytest.raises(NegotiatorError, match="respond called"):
        session()[0].run()  # without actions, it is called


def test_one_offer_per_step_actions_and_new_offers_follow_turns() -> None:
    m, _, _ = session(one_offer_per_step=True)
    assert m.state.new_offers == []
    m.step({"u": SAOResponse(ResponseType.REJECT_OFFER, (1,))})  # a's turn: unused
    assert m.state.new_offers == [("a", (9,))]
    m.step({"u": SAOResponse(ResponseType.REJECT_OFFER, (1,))})
    assert m.state.new_offers == [("u", (1,))] and m.state.step == 2


def test_bad_actions_are_refused_naming_what_is_wrong() -> None:
    m, _, _ = session()
    with pytest.raises(MechanismValueError, match=r"not in .*\['zz'\].*\['a', 'u'\]"):
        m.step({"zz": (1,)})
    with pytest.raises(MechanismTypeError, match="SAOResponse or an outcome; got 7"):
        m.step({"u": 7})
    with pytest.raises(MechanismTypeError, match="must map negotiator ids"):
        m.step(["u"])  # type: ignore[arg-type]
    veto = VetoSTMechanism(outcomes=4, n_steps=3)
    veto.add(AspirationNegotiator(name="x"), ufun=MappingUtilityFunction(lambda o: 1.0))
    with pytest.raises(MechanismTypeError, match="takes no actions"):
        veto.step({"x": (1,)})
    assert m.state.to_dict().keys() >= {"current_offer", "step"}
    assert "offer_source" not in m.state.to_dict() and "offer_source" not in repr(m.state)

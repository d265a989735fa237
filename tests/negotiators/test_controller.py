"""SAOController: one object deciding for several negotiators (NegMAS's model)."""

from __future__ import annotations

import pytest

from palaver.mechanisms import MechanismState, ResponseType, SAOMechanism
from palaver.negotiators import (
    AspirationNegotiator,
    ControlledSAONegotiator,
    NegotiatorEntry,
    SAOController,
    ToughNegotiator,
)
from palaver.outcomes import Outcome, make_issue
from palaver.preferences import LinearUtilityFunction


def session(seed: int, n_steps: int = 10) -> SAOMechanism:
    return SAOMechanism(issues=[make_issue(10, "price")], n_steps=n_steps, seed=seed)


class CheapestSeller(SAOController):
    """Buys from several sellers: offers 2 everywhere, accepts any price below 5,
    and notes every call with the negotiator it was for."""

    def __init__(self) -> None:
        super().__init__(ufun=LinearUtilityFunction([-1.0], bias=9.0))
        self.calls: list[tuple[str, str]] = []
        self.joined: list[str] = []

    def after_join(self, negotiator_id, nmi, ufun=None, role=None) -> None:  # type: ignore[no-untyped-def]
        self.joined.append(negotiator_id)

    def propose(self, negotiator_id: str, state: MechanismState) -> Outcome | None:
        self.calls.append(("propose", negotiator_id))
        return (2,)

    def respond(
        self, negotiator_id: str, state: MechanismState, source: str | None = None
    ) -> ResponseType:
        self.calls.append(("respond", negotiator_id))
        assert source is not None and source != negotiator_id
        offer = state.current_offer  # type: ignore[attr-defined]
        return ResponseType.ACCEPT_OFFER if offer[0] < 5 else ResponseType.REJECT_OFFER


def test_a_controller_decides_for_each_of_its_negotiators() -> None:
    controller = CheapestSeller()
    sessions = [session(seed) for seed in range(3)]
    made = []
    for i, m in enumerate(sessions):
        negotiator = controller.create_negotiator(name=f"buyer{i}", cntxt={"seller": i})
        made.append(negotiator)
        assert isinstance(negotiator, ControlledSAONegotiator) and negotiator.parent is controller
        assert m.add(ToughNegotiator(name=f"seller{i}", ufun=LinearUtilityFunction([1.0])))
        assert m.add(negotiator, ufun=controller.ufun)
    assert controller.joined == ["buyer0", "buyer1", "buyer2"]
    assert set(controller.negotiators) == {"buyer0", "buyer1", "buyer2"}
    entry = controller.negotiators["buyer1"]
    assert isinstance(entry, NegotiatorEntry) and entry.context == {"seller": 1}
    assert (
        set(controller.to_start_negotiators)
        == set(controller.active_negotiators)
        == {
            "buyer0",
            "buyer1",
            "buyer2",
        }
    )
    sessions[0].step()
    assert set(controller.unfinished_negotiators) == {"buyer0"}
    assert controller.partner_negotiator_ids("buyer0") == ["seller0"]
    for m in sessions:
        m.run()
    # every decision was the controller's, for the negotiator that asked
    assert {who for _, who in controller.calls} == {"buyer0", "buyer1", "buyer2"}
    assert all(m.state.timedout for m in sessions)  # the tough sellers never move
    assert all(
        m.negotiator_offers(n.id) == [(2,)] * 10 for m, n in zip(sessions, made, strict=True)
    )
    # auto_kill: forgotten once their negotiations ended
    assert controller.is_clean() and all(n.parent is None for n in made)


def test_without_auto_kill_finished_negotiators_stay_until_reset() -> None:
    controller = CheapestSeller()
    controller._auto_kill = False
    m = session(0, n_steps=2)
    m.add(ToughNegotiator(ufun=LinearUtilityFunction([1.0])))
    m.add(controller.create_negotiator(name="b"), ufun=controller.ufun)
    m.run()
    assert set(controller.finished_negotiators) == {"b"} and set(controller.states) == {"b"}
    assert controller.states["b"] is m.state
    controller.reset()
    assert controller.is_clean()


def test_the_base_controller_runs_the_negotiators_own_strategies() -> None:
    controller = SAOController(
        default_negotiator_type="negmas.sao.AspirationNegotiator",  # NegMAS's path: Palaver's class
        default_negotiator_params={"aspiration_type": "conceder"},
    )
    assert controller.default_negotiator_type is AspirationNegotiator
    results = []
    for seed in range(3):
        m = session(seed, n_steps=20)
        m.add(AspirationNegotiator(ufun=LinearUtilityFunction([1.0])))
        negotiator = controller.create_negotiator()
        assert isinstance(negotiator, AspirationNegotiator) and negotiator.exponent == 0.25
        assert negotiator.parent is controller
        m.add(negotiator, ufun=LinearUtilityFunction([-1.0], bias=9.0))
        results.append(m.run().agreement)
    assert all(r is not None for r in results)
    # its own strategy, asked through the controller, is the conceder's
    m = session(7)
    m.add(ToughNegotiator(ufun=LinearUtilityFunction([1.0])))
    own = controller.create_negotiator(name="own")
    m.add(own, ufun=LinearUtilityFunction([-1.0], bias=9.0))
    m.step()
    assert controller.propose("own", m.state) == own.propose(m.state)


def test_a_controlled_negotiator_without_a_controller_offers_nothing_and_rejects() -> None:
    controller = SAOController()
    negotiator = controller.create_negotiator(name="c")
    assert isinstance(negotiator, ControlledSAONegotiator)
    m = session(0, n_steps=3)
    m.add(ToughNegotiator(ufun=LinearUtilityFunction([1.0])))
    m.add(negotiator)  # needs no utility function of its own
    m.step()
    # the base controller asks the negotiator's own strategy: none
    assert controller.propose("c", m.state) is None
    assert controller.respond("c", m.state, "x") is ResponseType.REJECT_OFFER
    assert m.negotiator_offers("c") == []


def test_a_controller_can_refuse_to_let_a_negotiator_join() -> None:
    class Picky(SAOController):
        def before_join(self, negotiator_id, nmi, ufun=None, role=None) -> bool:  # type: ignore[no-untyped-def]
            return negotiator_id != "no"

    controller = Picky()
    m = session(0)
    assert not m.add(controller.create_negotiator(name="no"))
    assert m.add(controller.create_negotiator(name="yes"))


def test_bad_arguments_are_refused_naming_them() -> None:
    with pytest.raises(ValueError, match=r"default_negotiator_type='palaver\.Nope'"):
        SAOController(default_negotiator_type="palaver.Nope")
    with pytest.raises(TypeError, match="default_negotiator_type must be a Negotiator subclass"):
        SAOController(default_negotiator_type=int)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="default_negotiator_params"):
        SAOController(default_negotiator_params=[1])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="parent must be an SAOController"):
        ControlledSAONegotiator(parent=object())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negotiator_id 'ghost' is not managed"):
        SAOController().propose("ghost", MechanismState())

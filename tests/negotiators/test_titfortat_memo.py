"""NaiveTitForTat keeps its answers and proposals per offer once its concession
depends on the offer alone: the same negotiations, offer for offer, as when it
computes every one afresh."""

from __future__ import annotations

import random
from typing import Any

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import (
    AspirationNegotiator,
    MiCRONegotiator,
    NaiveTitForTat,
    RandomNegotiator,
)
from palaver.outcomes import make_issue
from palaver.preferences import LinearAdditiveUtilityFunction


class Afresh(NaiveTitForTat):
    """Computes every answer and proposal when asked, turn by turn (never
    reuses one, and hands no plan: its methods are its own)."""

    def _settled(self, step: int, ranking: Any) -> bool:
        return False

    def respond(self, state: Any, offer: Any = None) -> Any:
        return super().respond(state, offer)


def _ufun(rng: random.Random, issues: list[Any], reserved: float) -> LinearAdditiveUtilityFunction:
    values = [{v: rng.random() for v in range(5)} for _ in issues]
    weights = [rng.random() for _ in issues]
    return LinearAdditiveUtilityFunction(values, weights, reserved_value=reserved)


def _trace(tft: type, partner: str, seed: int, kindness: float, tft_first: bool) -> Any:
    rng = random.Random(seed)
    issues = [make_issue(5, f"i{k}") for k in range(3)]
    mine, theirs = _ufun(rng, issues, rng.random() * 0.3), _ufun(rng, issues, rng.random() * 0.3)
    mech = SAOMechanism(issues=issues, n_steps=rng.choice([10, 60, 300]), seed=seed)
    other: Any = {
        "boulware": lambda: AspirationNegotiator(ufun=theirs, aspiration_type="boulware"),
        "micro": lambda: MiCRONegotiator(ufun=theirs),
        "random": lambda: RandomNegotiator(ufun=theirs),
        "tft": lambda: tft(ufun=theirs, kindness=kindness),
    }[partner]()
    me = tft(ufun=mine, kindness=kindness)
    for negotiator in [me, other] if tft_first else [other, me]:
        mech.add(negotiator)
    state = mech.run()
    # By role, not by id (ids are made from the class's name).
    roles = {me.id: "tft", other.id: "partner"}
    return [(s, roles[who], o) for s, who, o in mech.history], state.agreement, state.step


@pytest.mark.parametrize("partner", ["boulware", "micro", "random", "tft"])
def test_kept_answers_give_the_negotiations_computed_afresh(partner: str) -> None:
    for seed in range(25):
        for kindness in (0.0, 0.02):
            for first in (True, False):
                kept = _trace(NaiveTitForTat, partner, seed, kindness, first)
                afresh = _trace(Afresh, partner, seed, kindness, first)
                assert kept == afresh, (partner, seed, kindness, first)


def test_a_parameter_changed_mid_negotiation_is_read() -> None:
    # An answer kept with kindness 0 must not be given once kindness is 0.6.
    issues = [make_issue(11, "x")]
    ufun = LinearAdditiveUtilityFunction([{v: v / 10 for v in range(11)}], [1.0])
    tft = NaiveTitForTat(ufun=ufun)
    mech = SAOMechanism(issues=issues, n_steps=20, seed=1)
    mech.add(tft)
    mech.add(
        NaiveTitForTat(
            ufun=LinearAdditiveUtilityFunction([{v: 1 - v / 10 for v in range(11)}], [1.0])
        )
    )
    for _ in range(5):
        mech.step()
    offer = (3,)
    assert mech.state.step >= tft.kindness_start_step
    assert tft.respond(mech.state, offer).name == "REJECT_OFFER"
    assert offer in tft._answers  # kept: the next answer would reuse it
    tft.kindness = 0.6
    assert tft.respond(mech.state, offer).name == "ACCEPT_OFFER"


def _planned_trace(
    tft: type, partner: str, seed: int, options: dict[str, Any], tft_first: bool, n_steps: int
) -> Any:
    rng = random.Random(seed)
    issues = [make_issue(5, f"i{k}") for k in range(3)]
    mine, theirs = _ufun(rng, issues, rng.random() * 0.4), _ufun(rng, issues, rng.random() * 0.4)
    mech = SAOMechanism(issues=issues, n_steps=n_steps, seed=seed)
    other = AspirationNegotiator(ufun=theirs, aspiration_type=partner)
    me = tft(ufun=mine, **options)
    for negotiator in [me, other] if tft_first else [other, me]:
        mech.add(negotiator)
    state = mech.run()
    roles = {me.id: "tft", other.id: "partner"}
    planned = None not in mech._plans and len(mech._plans) == 2
    return [(s, roles[w], o) for s, w, o in mech.history], state.agreement, state.step, planned


_OPTIONS = [
    {},
    {"kindness": 0.05},
    {"kindness": 0.3, "punish": True},
    {"must_concede": False, "initial_concession": 0.1},
    {"no_concession_step": 4, "kindness_start_step": 2},
    {"kindness_start_step": 0, "no_concession_step": -1},
]


@pytest.mark.parametrize("partner", ["boulware", "linear", "conceder"])
@pytest.mark.parametrize("options", _OPTIONS)
def test_a_plan_against_a_planned_partner_gives_the_negotiations_played_turn_by_turn(
    partner: str, options: dict[str, Any]
) -> None:
    used = 0
    for seed in range(12):
        for n_steps in (1, 2, 3, 7, 60, 400):
            for first in (True, False):
                *planned, was_planned = _planned_trace(
                    NaiveTitForTat, partner, seed, options, first, n_steps
                )
                *turns, _ = _planned_trace(Afresh, partner, seed, options, first, n_steps)
                assert planned == turns, (partner, options, seed, n_steps, first)
                used += was_planned
    assert used > 100  # the plan was played, not the turns


def test_a_mechanism_that_stops_playing_the_plan_gets_the_turns_it_would_have() -> None:
    # A sink that takes no batches, added mid-negotiation, makes the mechanism
    # call the tit-for-tat turn by turn from there: it must carry on as if it
    # had played every round itself.
    from palaver.events import EventBus

    class Plain:
        def emit(self, event: Any) -> None:
            pass

    for switch in (1, 2, 3, 5, 20):
        traces = []
        for tft in (NaiveTitForTat, Afresh):
            rng = random.Random(switch)
            issues = [make_issue(5, f"i{k}") for k in range(3)]
            mine, theirs = _ufun(rng, issues, 0.1), _ufun(rng, issues, 0.1)
            bus = EventBus()
            mech = SAOMechanism(issues=issues, n_steps=200, seed=3, bus=bus)
            me = tft(ufun=mine)
            mech.add(me)
            mech.add(AspirationNegotiator(ufun=theirs, aspiration_type="boulware"))
            for _ in range(switch):
                mech.step()
            bus.add_sink(Plain())
            state = mech.run()
            roles = {me.id: "tft"}
            traces.append(
                ([(s, roles.get(w, "p"), o) for s, w, o in mech.history], state.agreement)
            )
        assert traces[0] == traces[1], switch

"""Planned rounds (palaver.mechanisms.plan) give exactly what the general loop gives."""

from __future__ import annotations

import numpy as np
import pytest

from palaver.events import EventBus, ListSink
from palaver.mechanisms import SAOMechanism
from palaver.mechanisms.plan import RoundPlan
from palaver.negotiators import AspirationNegotiator, MiCRO
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction


def _run(
    seed: int, watched: bool, ofa: bool, n: int, n_steps: int, stepwise: bool
) -> tuple[list, dict, bool]:
    rng = np.random.default_rng(seed)
    issues = [make_issue(6, "a"), make_issue(5, "b"), make_issue(4, "c")]
    bus = None
    if watched:  # a sink listening to offers forces the general loop
        bus = EventBus("w")
        bus.add_sink(ListSink(event_types=["offer"]))
    m = SAOMechanism(issues=issues, n_steps=n_steps, seed=seed, bus=bus, offering_is_accepting=ofa)
    kinds = ["boulware", "linear", "conceder", 2.5]
    for i in range(n):
        w = rng.random(3) * (1 if i % 2 == 0 else -1)
        reserved = float(rng.choice([-100.0, 0.0, 1.0, 3.0]))
        m.add(
            AspirationNegotiator(
                ufun=LinearUtilityFunction(list(w), reserved_value=reserved),
                aspiration_type=kinds[int(rng.integers(len(kinds)))],
                id=f"n{i}",
            )
        )
    if stepwise:
        while m.state.running or not m.state.started:
            m.step()
    else:
        m.run()
    planned = bool(m._plans)
    return list(m.history), m.state.to_dict(), planned


@pytest.mark.parametrize("ofa", [True, False])
@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("stepwise", [False, True])
def test_planned_rounds_match_the_general_loop(ofa: bool, n: int, stepwise: bool) -> None:
    used = 0
    for seed in range(40):
        n_steps = [1, 2, 7, 50, 333][seed % 5]
        fast = _run(seed, False, ofa, n, n_steps, stepwise)
        slow = _run(seed, True, ofa, n, n_steps, stepwise)
        assert fast[0] == slow[0], seed
        assert fast[1] == slow[1], seed
        used += fast[2]
    assert used > 10  # the planned path really ran (hopeless negotiators opt out)


def test_a_sink_added_mid_negotiation_sees_the_next_offers() -> None:
    issues = [make_issue(10, "a"), make_issue(10, "b")]
    bus = EventBus("late")
    m = SAOMechanism(issues=issues, n_steps=40, seed=1, bus=bus)
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([1.0, 0.2])))
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0, -0.3])))
    m.step()
    assert m._plans
    sink = ListSink(event_types=["offer"])
    bus.add_sink(sink)
    m.step()
    assert [e.payload["round"] for e in sink.events] == [1, 1]


def test_only_negotiators_with_a_plan_are_planned() -> None:
    issues = [make_issue(10, "a"), make_issue(10, "b")]
    m = SAOMechanism(issues=issues, n_steps=40, seed=1)
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([1.0, 0.2])))
    m.add(MiCRO(ufun=LinearUtilityFunction([-1.0, -0.3])))
    m.run()
    assert isinstance(m._plans[0], RoundPlan) and m._plans[1] is None


def _mixed(seed: int, watched: bool, other: str, continuous: bool, ofa: bool) -> tuple:
    from palaver.negotiators import NaiveTitForTat, RandomNegotiator

    rng = np.random.default_rng(seed)
    if continuous:
        issues = [make_issue((0.0, 1.0), "a"), make_issue(5, "b")]
    else:
        issues = [make_issue(7, "a"), make_issue(5, "b")]
    bus = None
    if watched:
        bus = EventBus("w")
        bus.add_sink(ListSink(event_types=["response"]))
    m = SAOMechanism(
        issues=issues,
        n_steps=int(rng.integers(1, 300)),
        seed=seed,
        bus=bus,
        offering_is_accepting=ofa,
    )
    make = {"micro": MiCRO, "tft": NaiveTitForTat, "random": RandomNegotiator}[other]
    w = rng.random((2, 2))
    first = AspirationNegotiator(
        ufun=LinearUtilityFunction(list(w[0]), reserved_value=float(rng.random() * 0.5)),
        aspiration_type=["boulware", "linear", "conceder"][seed % 3],
        id="asp",
    )
    second = make(ufun=LinearUtilityFunction(list(-w[1]), reserved_value=-1.0), id="other")
    for x in [first, second] if seed % 2 else [second, first]:
        m.add(x)
    m.run()
    return list(m.history), m.state.to_dict(), m._plans


@pytest.mark.parametrize("other", ["micro", "tft", "random"])
@pytest.mark.parametrize("continuous", [False, True])
@pytest.mark.parametrize("ofa", [True, False])
def test_mixed_rounds_match_the_general_loop(other: str, continuous: bool, ofa: bool) -> None:
    mixed = 0
    for seed in range(25):
        fast = _mixed(seed, False, other, continuous, ofa)
        slow = _mixed(seed, True, other, continuous, ofa)
        assert fast[0] == slow[0], seed
        assert fast[1] == slow[1], seed
        # Played mixed, or (a tit-for-tat where offering is accepting) from
        # the plan it makes against its planned partner (reactive_plan).
        mixed += len(fast[2]) == 2 and (None in fast[2] or (other == "tft" and ofa))
    assert mixed > 10


def test_a_subclass_overriding_propose_gets_no_plan() -> None:
    class Mine(AspirationNegotiator):
        def propose(self, state):  # type: ignore[no-untyped-def]
            return super().propose(state)

    issues = [make_issue(10, "a")]
    m = SAOMechanism(issues=issues, n_steps=10, seed=1)
    a = Mine(ufun=LinearUtilityFunction([1.0]))
    m.add(a)
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0])))
    m.step()
    assert a.round_plan(10) is None
    b = m.negotiators[1]
    assert isinstance(b.round_plan(10), RoundPlan)
    assert b.round_plan(11) is None  # planned for another round limit


def _synthetic(rng: np.random.Generator, n_steps: int, outcomes: list[tuple]) -> RoundPlan:
    index = {o: i for i, o in enumerate(outcomes)}
    utils = rng.random(len(outcomes))
    utils.flags.writeable = False
    positions = rng.integers(len(outcomes), size=n_steps)
    remaining = np.sort(rng.random(n_steps))[::-1] * 1.2  # demands that fall over time
    return RoundPlan(
        proposals=[outcomes[int(i)] for i in positions],
        floor=0.0,
        span=1.0,
        remaining=remaining.tolist(),
        index=index,
        utility_at=utils.item,
        positions=positions,
        utilities=utils,
        remaining_slice=lambda i, j: remaining[i:j],
    )


@pytest.mark.parametrize("seed", range(60))
def test_array_pass_matches_the_scalar_loop_across_chunk_boundaries(seed: int) -> None:
    from palaver.mechanisms.sao_planned import _bilateral, _bilateral_arrays

    rng = np.random.default_rng(seed)
    outcomes = [(i,) for i in range(50)]
    n_steps = int(rng.choice([63, 64, 65, 300, 320, 321, 1400]))
    a = _synthetic(rng, n_steps, outcomes)
    b = _synthetic(rng, n_steps, outcomes)
    index = a.index
    b = RoundPlan(
        b.proposals,
        b.floor,
        b.span,
        b.remaining,
        index,
        b.utility_at,
        b.positions,
        b.utilities,
        b.remaining_slice,
    )
    start = int(rng.integers(0, 3))
    offer, proposer = (b.proposals[start - 1], 1) if start else (None, -1)
    runs = [
        play([a, b], index, offer, proposer, start, n_steps)
        for play in (_bilateral, _bilateral_arrays)
    ]
    assert runs[0] == runs[1]

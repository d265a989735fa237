"""MiCRO against a planned negotiator, played inline, gives exactly what the mixed loop gives."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from palaver.events import EventBatch, EventBus
from palaver.mechanisms import ResponseType, SAOMechanism, minimal_concession, sao_duel, sao_loop
from palaver.mechanisms.plan import RoundPlan
from palaver.negotiators import AspirationNegotiator, MiCRO
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction


class BatchSink:
    """Keeps every row it is handed (all but its time) with its sequence number and step."""

    def __init__(self, event_types: frozenset[str]) -> None:
        self.rows: list[tuple[Any, ...]] = []
        self.event_types = event_types

    def emit(self, event: Any) -> None:
        self.rows.append(("event", str(event.type)))

    def emit_batch(self, batch: EventBatch) -> None:
        for k, row in enumerate(batch.rows):
            self.rows.append((batch.first_seq + k, batch.step, row[0], *row[2:]))


class SubMiCRO(MiCRO):
    """A subclass may change the rule: it is always called turn by turn."""


def _build(seed: int, micro_first: bool, sink: BatchSink | None) -> SAOMechanism:
    rng = np.random.default_rng(seed)
    issues = [make_issue(6, "a"), make_issue(5, "b"), make_issue(4, "c")]
    bus = None
    if sink is not None:
        bus = EventBus("w")
        bus.add_sink(sink)
    n_steps = [1, 2, 5, 40, 300, 1000][seed % 6]
    mechanism = SAOMechanism(
        issues=issues,
        n_steps=n_steps,
        seed=seed,
        bus=bus,
        offering_is_accepting=bool(rng.integers(2)) or seed % 5 != 0,
    )
    kind = ["boulware", "linear", "conceder"][int(rng.integers(3))]
    planned_reserved = float(rng.choice([0.0, 2.0]))
    planned = AspirationNegotiator(
        ufun=LinearUtilityFunction(list(rng.random(3)), reserved_value=planned_reserved),
        aspiration_type=kind,
        id="planned",
    )
    # Reserved values from "everything acceptable" to "nothing to offer".
    micro = MiCRO(
        ufun=LinearUtilityFunction(
            list(-rng.random(3)), reserved_value=float(rng.choice([-100.0, -6.0, -3.0, 1.0]))
        ),
        accept_same=bool(rng.integers(2)),
        id="micro",
    )
    for negotiator in (micro, planned) if micro_first else (planned, micro):
        mechanism.add(negotiator)
    return mechanism


def _play(mechanism: SAOMechanism, seed: int) -> None:
    rng = np.random.default_rng(seed + 1)
    if seed % 3 == 0:
        mechanism.run()
        return
    # Stretches of one or more rounds: each call starts where the last stopped.
    while mechanism.state.running or not mechanism.state.started:
        if mechanism.state.started and rng.random() < 0.2:
            mechanism.run()
        else:
            mechanism.step()


def _outcome(mechanism: SAOMechanism, sink: BatchSink | None) -> dict[str, Any]:
    state = mechanism.state
    micro = next(n for n in mechanism.negotiators if isinstance(n, MiCRO))
    return {
        "history": list(mechanism.history),
        "state": (
            state.step,
            state.agreement,
            state.timedout,
            state.broken,
            state.running,
            state.n_acceptances,
            state.current_offer,
            state.current_proposer,
            state.relative_time,
        ),
        "rows": None if sink is None else sink.rows,
        "made": list(micro._made),
        "received": set(micro._received),
        # The generator is left where one-by-one draws leave it.
        "generator": micro.random.bit_generator.state,
    }


def _run(seed: int, micro_first: bool, watched: str, monkeypatch: Any, inline: bool) -> Any:
    with monkeypatch.context() as patch:
        if not inline:
            patch.setattr(sao_loop, "duel_of", lambda *_: None)
        types = {"none": None, "offers": frozenset({"offer"}), "all": None}[watched]
        sink = None
        if watched != "none":
            sink = BatchSink(types if types is not None else frozenset({"offer", "response"}))
        mechanism = _build(seed, micro_first, sink)
        _play(mechanism, seed)
        return _outcome(mechanism, sink)


@pytest.mark.parametrize("watched", ["none", "offers", "all"])
@pytest.mark.parametrize("micro_first", [True, False])
def test_inline_play_equals_the_mixed_loop(
    micro_first: bool, watched: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreements = 0
    repeats = 0
    for seed in range(36):
        inline = _run(seed, micro_first, watched, monkeypatch, inline=True)
        mixed = _run(seed, micro_first, watched, monkeypatch, inline=False)
        assert inline == mixed, f"seed {seed}"
        agreements += inline["state"][1] is not None
        repeats += len(inline["history"]) > 2 * len(inline["made"])
    # The seeds cover agreements, timeouts and long runs of repeated offers.
    assert 0 < agreements < 36
    assert repeats > 5


def test_inline_play_is_used_for_micro_and_not_for_a_subclass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    real = sao_duel.play_duel

    def counting(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        real(*args, **kwargs)

    monkeypatch.setattr(sao_loop, "play_duel", counting)
    mechanism = _build(4, True, None)
    mechanism.run()
    assert calls
    calls.clear()
    mechanism = SAOMechanism(issues=[make_issue(5, "a")], n_steps=50, seed=1)
    mechanism.add(SubMiCRO(ufun=LinearUtilityFunction([1.0], reserved_value=0.0)))
    mechanism.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0], reserved_value=-4.0)))
    mechanism.run()
    assert not calls
    assert mechanism.state.ended


def test_micro_with_nothing_to_offer_is_left_to_the_mixed_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(sao_loop, "play_duel", lambda *a, **k: calls.append(1))
    mechanism = SAOMechanism(issues=[make_issue(5, "a")], n_steps=20, seed=1)
    mechanism.add(MiCRO(ufun=LinearUtilityFunction([1.0], reserved_value=100.0)))
    mechanism.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0], reserved_value=-4.0)))
    state = mechanism.run()
    assert not calls
    assert state.agreement is None


def test_a_space_without_an_outcome_table_is_left_to_the_mixed_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Over 100,000 outcomes: no outcome table, so a ranking has an empty index;
    # both sides rank the same utility function, so the plan and MiCRO share
    # that empty index (inline play looked every offer up in it: KeyError).
    issues = [make_issue(317, "a"), make_issue(317, "b")]
    ufun = LinearUtilityFunction([1.0, -1.0], reserved_value=-1000.0)

    def played(inline: bool) -> Any:
        with monkeypatch.context() as patch:
            if not inline:
                patch.setattr(sao_loop, "duel_of", lambda *_: None)
            mechanism = SAOMechanism(issues=issues, n_steps=30, seed=1)
            micro = MiCRO(ufun=ufun, id="micro")
            mechanism.add(AspirationNegotiator(ufun=ufun, id="planned"))
            mechanism.add(micro)
            state = mechanism.run()
            return list(mechanism.history), state.agreement, state.step, list(micro._made)

    inline = played(inline=True)
    assert inline == played(inline=False)
    assert inline[1] is not None


@pytest.mark.parametrize("replaced", ["respond", "propose"])
def test_a_micro_whose_method_was_replaced_on_the_instance_is_called(
    replaced: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A wrapper set on the negotiator (a spy, check_negotiator's watch) must see
    # every turn, as in the mixed loop; inline play went round it.
    def played(inline: bool) -> Any:
        with monkeypatch.context() as patch:
            if not inline:
                patch.setattr(sao_loop, "duel_of", lambda *_: None)
            mechanism = SAOMechanism(
                issues=[make_issue(5, "a"), make_issue(4, "b")], n_steps=40, seed=1
            )
            micro = MiCRO(ufun=LinearUtilityFunction([1.0, 0.5], reserved_value=-10.0), id="m")
            calls: list[Any] = []
            if replaced == "respond":

                def respond(state: Any, offer: Any) -> ResponseType:
                    calls.append(offer)
                    return ResponseType.REJECT_OFFER

                micro.respond = respond  # type: ignore[method-assign]
            else:
                real = micro.propose

                def propose(state: Any, dest: str | None = None) -> Any:
                    calls.append(state.step)
                    return real(state)

                micro.propose = propose  # type: ignore[method-assign]
            mechanism.add(micro)
            mechanism.add(
                AspirationNegotiator(
                    ufun=LinearUtilityFunction([-1.0, -0.5], reserved_value=-10.0), id="a"
                )
            )
            state = mechanism.run()
            return list(mechanism.history), state.agreement, len(calls)

    inline = played(inline=True)
    assert inline == played(inline=False)
    assert inline[2] > 0


def _quiet_reference(
    plan: RoundPlan,
    me: int,
    c: minimal_concession.MinimalConcession,
    draws: list[int],
    rnd: int,
    n: int,
    standing: Any,
) -> int:
    """The quiet rounds counted turn by turn, with the turn-by-turn rules."""
    threshold = c.utilities[len(c.outcomes) - len(c.made)]

    def micro_accepts(offer: Any) -> bool:
        u = c.utility_at(c.index[offer])
        return not (u < c.reserved or u < threshold or (u == threshold and not c.accept_same))

    def planned_accepts(offer: Any, k: int) -> bool:
        return plan.utility_at(plan.index[offer]) >= plan.floor + plan.span * plan.remaining[k]

    previous = standing
    for j in range(n):
        k = rnd + j
        mine = c.made[draws[j]]
        if me == 1:  # the planned side answers first, then c answers its proposal
            if planned_accepts(previous, k) or micro_accepts(plan.proposals[k]):
                return j
            previous = mine
        else:  # c answers first, then the planned side answers c's repeat
            if micro_accepts(previous) or planned_accepts(mine, k):
                return j
            previous = plan.proposals[k]
    return n


@pytest.mark.parametrize("me", [0, 1])
def test_quiet_rounds_are_counted_as_turn_by_turn_play_counts_them(me: int) -> None:
    # Utilities on a few levels, so that ties with a threshold are common.
    rng = np.random.default_rng(7 + me)
    skipped = stopped = 0
    for _ in range(600):
        size = int(rng.integers(4, 30))
        outcomes = [(i,) for i in range(size)]
        index = {o: i for i, o in enumerate(outcomes)}
        mine_u = rng.integers(0, 6, size).astype(float)
        theirs_u = rng.integers(0, 6, size).astype(float)
        n_rounds = int(rng.integers(10, 80))
        positions = rng.integers(0, size, n_rounds)
        remaining = np.sort(rng.integers(3, 6, n_rounds).astype(float) / 5)[::-1].copy()
        plan = RoundPlan(
            proposals=[outcomes[p] for p in positions],
            floor=0.0,
            span=float(rng.choice([5.0, 6.0])),
            remaining=list(remaining),
            index=index,
            utility_at=theirs_u.item,
            positions=positions,
            utilities=theirs_u,
            remaining_slice=lambda a, b, r=remaining: r[a:b],
        )
        ranked = sorted(range(size), key=lambda p: mine_u[p])
        m = int(rng.integers(1, size // 2 + 1))
        made = [outcomes[p] for p in ranked[::-1][:m]]
        c = minimal_concession.MinimalConcession(
            outcomes=[outcomes[p] for p in ranked],
            utilities=[float(mine_u[p]) for p in ranked],
            index=index,
            utility_at=mine_u.item,
            lowest=0,
            reserved=float(rng.integers(-1, 7)),
            accept_same=bool(rng.integers(2)),
            made=made,
            made_set=set(made),
            received=set(),
            rng=np.random.default_rng(0),
            values=mine_u,
        )
        draws = rng.integers(0, m, n_rounds).tolist()
        rnd = int(rng.integers(0, n_rounds // 2))
        stop = int(rng.integers(rnd, n_rounds + 1))
        standing = made[int(rng.integers(m))] if me == 1 else plan.proposals[max(rnd - 1, 0)]
        quiet, theirs, ours = minimal_concession.skip_ahead(
            plan, me, c, mine_u, draws[rnd:], [], rnd, stop, standing
        )
        expected = _quiet_reference(
            plan, me, c, draws[rnd:], rnd, min(len(draws) - rnd, stop - rnd), standing
        )
        if expected >= minimal_concession.MIN_SKIP:
            assert quiet == expected
            assert theirs == list(plan.proposals[rnd : rnd + quiet])
            assert ours == [made[j] for j in draws[rnd : rnd + quiet]]
            skipped += 1
        else:
            assert not ours and not theirs
            stopped += 1
    assert skipped > 50 and stopped > 50


def _long_duel(seed: int, micro_first: bool) -> SAOMechanism:
    """Long negotiations on small grids, preferences not opposed: long quiet
    stretches, ended by either side accepting or by the round limit."""
    rng = np.random.default_rng(1000 + seed)
    issues = [make_issue(int(rng.integers(3, 9)), f"i{k}") for k in range(int(rng.integers(2, 4)))]
    mechanism = SAOMechanism(issues=issues, n_steps=int(rng.choice([150, 600, 2500])), seed=seed)
    planned = AspirationNegotiator(
        ufun=LinearUtilityFunction(
            list(rng.uniform(-1, 1, len(issues))), reserved_value=float(rng.uniform(-3, 1))
        ),
        aspiration_type=["boulware", "linear", "conceder"][int(rng.integers(3))],
        id="planned",
    )
    micro = MiCRO(
        ufun=LinearUtilityFunction(
            list(rng.uniform(-1, 1, len(issues))), reserved_value=float(rng.uniform(-6, 1))
        ),
        accept_same=bool(rng.integers(2)),
        id="micro",
    )
    for negotiator in (micro, planned) if micro_first else (planned, micro):
        mechanism.add(negotiator)
    return mechanism


@pytest.mark.parametrize("micro_first", [True, False])
def test_quiet_stretches_played_with_arrays_equal_the_mixed_loop(
    micro_first: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    skipped: list[int] = []
    real = minimal_concession.skip_ahead

    def counting(*args: Any) -> Any:
        found = real(*args)
        if found[2]:
            skipped.append(found[0])
        return found

    monkeypatch.setattr(sao_duel, "skip_ahead", counting)
    timeouts = 0
    for seed in range(30):
        results = []
        for inline in (True, False):
            with monkeypatch.context() as patch:
                if not inline:
                    patch.setattr(sao_loop, "duel_of", lambda *_: None)
                mechanism = _long_duel(seed, micro_first)
                mechanism.run()
                results.append(_outcome(mechanism, None))
        assert results[0] == results[1], f"seed {seed}"
        timeouts += results[0]["state"][2]
    assert len(skipped) > 50 and sum(skipped) > 5000
    assert timeouts > 0

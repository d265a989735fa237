"""MiCRO against a naive tit-for-tat, played inline, gives exactly what the general loop gives."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from palaver.events import EventBatch, EventBus
from palaver.mechanisms import SAOMechanism, sao_duel_quiet, sao_duel_tft, sao_loop
from palaver.negotiators import MiCRO, NaiveTitForTat
from palaver.outcomes import make_issue
from palaver.preferences import LinearAdditiveUtilityFunction

ROUND_LIMITS = [1, 2, 3, 4, 5, 7, 12, 40, 150, 600, 3000]


class BatchSink:
    """Keeps every row it is handed (all but its time)."""

    def __init__(self, event_types: frozenset[str]) -> None:
        self.rows: list[tuple[Any, ...]] = []
        self.event_types = event_types

    def emit(self, event: Any) -> None:
        self.rows.append(("event", str(event.type)))

    def emit_batch(self, batch: EventBatch) -> None:
        for k, row in enumerate(batch.rows):
            self.rows.append((batch.first_seq + k, batch.step, row[0], *row[2:]))


class SubTitForTat(NaiveTitForTat):
    """A subclass may change the rule: it is always called turn by turn."""


def _ufun(rng: np.random.Generator, sizes: list[int], tied: bool) -> LinearAdditiveUtilityFunction:
    # Tied: few distinct values per issue and equal weights, so that many
    # outcomes share a utility (thresholds met exactly, equal proposals).
    values = [
        {v: float(rng.integers(3)) if tied else float(rng.random()) for v in range(size)}
        for size in sizes
    ]
    weights = [1.0] * len(sizes) if tied else list(rng.random(len(sizes)))
    # Tied, a reserved value that some outcomes are worth exactly.
    reserved = float(rng.integers(len(sizes) + 1)) if tied else float(rng.choice([-1.0, 0.1, 0.3]))
    return LinearAdditiveUtilityFunction(values, weights, reserved_value=reserved)


def _build(
    seed: int,
    micro_first: bool,
    sink: BatchSink | None,
    tft_type: type = NaiveTitForTat,
    n_steps: int | None = None,
) -> SAOMechanism:
    rng = np.random.default_rng(seed)
    sizes = [int(rng.integers(2, 9)) for _ in range(int(rng.integers(1, 4)))]
    issues = [make_issue(size, f"i{k}") for k, size in enumerate(sizes)]
    bus = None
    if sink is not None:
        bus = EventBus("w")
        bus.add_sink(sink)
    mechanism = SAOMechanism(
        issues=issues,
        n_steps=n_steps or ROUND_LIMITS[seed % len(ROUND_LIMITS)] + int(rng.integers(3)),
        seed=seed,
        bus=bus,
        offering_is_accepting=seed % 7 != 3,
    )
    tied = seed % 3 == 0
    micro = MiCRO(ufun=_ufun(rng, sizes, tied), accept_same=bool(rng.integers(2)), id="micro")
    tft = tft_type(
        ufun=_ufun(rng, sizes, tied),
        id="tft",
        kindness=float(rng.choice([0.0, 0.0, 0.02, -0.02, 0.2])),
        punish=bool(rng.integers(2)),
        must_concede=seed % 5 != 2,
        initial_concession=float(rng.choice([0.0, 0.05])),
        no_concession_step=int(rng.choice([0, 0, 2, 5])),
        kindness_start_step=int(rng.choice([3, 3, 0, 1, 6])),
    )
    for negotiator in (micro, tft) if micro_first else (tft, micro):
        mechanism.add(negotiator)
    return mechanism


def _play(mechanism: SAOMechanism, seed: int) -> list[Any]:
    """Play to the end; return the state after each call when the calls are
    of any number of rounds (what run() and step() never ask: a call may then
    end right after a stretch of quiet rounds)."""
    rng = np.random.default_rng(seed + 1)
    if seed % 3 == 0:
        mechanism.run()
        return []
    if seed % 3 == 1:
        mechanism.step()
        n_steps = mechanism.n_steps
        assert n_steps is not None
        states = []
        while mechanism.state.running and n_steps - mechanism.state.step > 1:
            left = n_steps - mechanism.state.step - 1
            mechanism._play(min(left, int(rng.integers(1, 300))))
            states.append(_state(mechanism))
        mechanism.run()
        return states
    # Stretches of one or more rounds: each call starts where the last stopped.
    while mechanism.state.running or not mechanism.state.started:
        if mechanism.state.started and rng.random() < 0.3:
            mechanism.run()
        else:
            mechanism.step()
    return []


def _state(mechanism: SAOMechanism) -> tuple[Any, ...]:
    state = mechanism.state
    return (
        state.step,
        state.agreement,
        state.timedout,
        state.broken,
        state.has_error,
        state.running,
        state.n_acceptances,
        state.current_offer,
        state.current_proposer,
        state.relative_time,
        mechanism._accepted,
        mechanism._proposer,
    )


def _outcome(mechanism: SAOMechanism, sink: BatchSink | None) -> dict[str, Any]:
    micro, tft = sorted(mechanism.negotiators, key=lambda n: n.id)
    return {
        "history": list(mechanism.history),
        "state": _state(mechanism),
        "rows": None if sink is None else sink.rows,
        "made": list(micro._made),
        "received": set(micro._received),
        # The generator is left where one-by-one draws leave it.
        "generator": micro.random.bit_generator.state,
        "tft": (
            tft._last,
            tft._walked,
            list(tft._answers.items()),
            list(tft._proposals.items()),
            tft._settled_by[1:],
            bool(tft._settled_by) and tft._settled_by[0] is tft.ranking,
        ),
    }


def _run(
    seed: int, micro_first: bool, watched: str, patch: pytest.MonkeyPatch, inline: bool
) -> Any:
    with patch.context() as p:
        if not inline:
            p.setattr(sao_loop, "tft_duel_of", lambda *_: None)
        sink = None
        if watched != "none":
            kinds = {"offers": {"offer"}, "responses": {"response"}, "all": {"offer", "response"}}
            sink = BatchSink(frozenset(kinds[watched]))
        mechanism = _build(seed, micro_first, sink)
        try:
            calls = _play(mechanism, seed)
        except Exception as exc:  # a negotiator's failure, raised once recorded
            return {**_outcome(mechanism, sink), "raised": (type(exc), str(exc))}
        return {**_outcome(mechanism, sink), "calls": calls}


@pytest.fixture
def quiet_rounds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The rounds appended by each quiet stretch, as the inline play appends them."""
    counted: list[int] = []
    real = sao_duel_quiet.Quiet.append

    def counting(self: Any, history: Any, me: int, ids: Any, rnd: int, q: int, ahead: Any) -> Any:
        counted.append(q)
        return real(self, history, me, ids, rnd, q, ahead)

    monkeypatch.setattr(sao_duel_quiet.Quiet, "append", counting)
    return counted


@pytest.mark.parametrize("watched", ["none", "offers", "responses", "all"])
@pytest.mark.parametrize("micro_first", [True, False])
def test_inline_play_equals_the_general_loop(
    micro_first: bool, watched: str, monkeypatch: pytest.MonkeyPatch, quiet_rounds: list[int]
) -> None:
    ends = {"agreement": 0, "timeout": 0}
    n = 132
    for seed in range(n):
        inline = _run(seed, micro_first, watched, monkeypatch, inline=True)
        general = _run(seed, micro_first, watched, monkeypatch, inline=False)
        assert inline == general, f"seed {seed}"
        ends["agreement" if inline["state"][1] is not None else "timeout"] += 1
    # The seeds cover agreements and timeouts; unwatched, long quiet stretches.
    assert ends["agreement"] > n // 4 and ends["timeout"] > n // 10, ends
    if watched == "none":
        assert sum(quiet_rounds) > 5000, quiet_rounds
    else:
        assert not quiet_rounds


def test_inline_play_is_used_and_continued_turn_by_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    # Played inline for some steps, then turn by turn (the general loop): the
    # negotiators' state left by the inline rounds must carry on exactly.
    calls: list[int] = []
    real = sao_duel_tft.play_tft_duel

    def counting(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        real(*args, **kwargs)

    for seed in range(60):
        for micro_first in (True, False):
            with monkeypatch.context() as p:
                p.setattr(sao_loop, "play_tft_duel", counting)
                mechanism = _build(seed, micro_first, None)
                mechanism.step()
                n_steps = mechanism.n_steps
                assert n_steps is not None
                if mechanism.state.running and n_steps - mechanism.state.step > 1:
                    # Up to the round before the limit: a call may end right
                    # after a stretch of quiet rounds.
                    mechanism._play(min(n_steps - mechanism.state.step - 1, 2 + 37 * (seed % 9)))
                p.setattr(sao_loop, "tft_duel_of", lambda *_: None)
                mechanism.run()
                mixed = _outcome(mechanism, None)
            general = _run(seed, micro_first, "none", monkeypatch, inline=False)
            del general["calls"]
            assert mixed == general, (seed, micro_first)
    assert len(calls) > 60


def test_a_negotiator_failing_ends_the_negotiation_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    # The tit-for-tat's own methods raise from round 4 on (offers new to it): the
    # inline play records the failure as the general loop does.
    real = NaiveTitForTat._concession

    def failing(self: NaiveTitForTat, normalized: float, step: int) -> float:
        if step >= 4:
            raise RuntimeError("boom")
        return real(self, normalized, step)

    monkeypatch.setattr(NaiveTitForTat, "_concession", failing)
    failed = 0
    for seed in range(24):
        for micro_first in (True, False):
            inline = _run(seed, micro_first, "all", monkeypatch, inline=True)
            assert inline == _run(seed, micro_first, "all", monkeypatch, inline=False), seed
            failed += "raised" in inline
    assert failed > 4


@pytest.mark.parametrize("case", ["subclass", "respond", "propose", "stochastic", "time"])
def test_unusual_negotiators_are_called_turn_by_turn(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(sao_loop, "play_tft_duel", lambda *a, **k: calls.append(1))
    mechanism = _build(4, True, None, SubTitForTat if case == "subclass" else NaiveTitForTat)
    if case == "time":
        mechanism = SAOMechanism(
            issues=[make_issue(2, "a")], n_steps=50, negotiator_time_limit=100.0
        )
        mechanism.add(MiCRO(ufun=LinearAdditiveUtilityFunction([{0: 1.0, 1: 0.0}], [1.0])))
        mechanism.add(NaiveTitForTat(ufun=LinearAdditiveUtilityFunction([{0: 0.0, 1: 1.0}], [1.0])))
    tft = next(n for n in mechanism.negotiators if n.id == "tft") if case != "time" else None
    spied: list[int] = []
    if case in ("respond", "propose"):
        real = getattr(tft, case)

        def spy(*args: Any) -> Any:
            spied.append(1)
            return real(*args)

        setattr(tft, case, spy)
    elif case == "stochastic":
        assert tft is not None
        tft.stochastic = True
    mechanism.run()
    assert not calls
    assert mechanism.state.ended
    assert case not in ("respond", "propose") or spied


def test_parameters_and_ufuns_changed_between_calls_are_read_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Between calls the tit-for-tat's kindness changes (its kept answers are
    # computed afresh) and both get a new utility function: inline and turn by
    # turn go on alike.
    def played(seed: int, micro_first: bool, inline: bool) -> Any:
        with monkeypatch.context() as p:
            if not inline:
                p.setattr(sao_loop, "tft_duel_of", lambda *_: None)
            mechanism = _build(seed, micro_first, None)
            rng = np.random.default_rng(seed + 7)
            tft = next(n for n in mechanism.negotiators if isinstance(n, NaiveTitForTat))
            sizes = [len(i.values) for i in mechanism.outcome_space.issues]
            mechanism.step()
            n_steps = mechanism.n_steps
            assert n_steps is not None
            calls = 0
            # Calls of four rounds (played inline), with changes between them.
            while mechanism.state.running and n_steps - mechanism.state.step > 4:
                mechanism._play(4)
                calls += 1
                if calls == 2:
                    for negotiator in mechanism.negotiators:
                        negotiator.ufun = _ufun(rng, sizes, False)
                tft.kindness = (0.3, -0.05, 0.0)[calls % 3]
            mechanism.run()
            return _outcome(mechanism, None)

    changed = 0
    for seed in range(60):
        for micro_first in (True, False):
            inline = played(seed, micro_first, inline=True)
            assert inline == played(seed, micro_first, inline=False), (seed, micro_first)
            changed += inline["state"][0] > 12
    assert changed > 10


def test_an_agreement_in_the_last_round_ends_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    # Agreed in the last round, the relative time is capped at 1 (NegMAS's).
    last_round = 0
    for seed in range(300):
        for micro_first in (True, False):
            with monkeypatch.context() as p:
                states = []
                for inline in (True, False):
                    if not inline:
                        p.setattr(sao_loop, "tft_duel_of", lambda *_: None)
                    mechanism = _build(seed, micro_first, None, n_steps=2 + seed % 5)
                    mechanism.run()
                    states.append(_outcome(mechanism, None))
            assert states[0] == states[1], (seed, micro_first)
            final = states[0]["state"]
            last_round += final[1] is not None and final[0] == 2 + seed % 5
    assert last_round > 10

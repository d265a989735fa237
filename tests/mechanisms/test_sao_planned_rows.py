"""Planned rounds watched by batch sinks emit exactly the turn-by-turn loop's rows."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from palaver.events import EventBatch, EventBus, ListSink
from palaver.mechanisms import MechanismState, SAOMechanism
from palaver.mechanisms.responses import ResponseType
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import Outcome, make_issue
from palaver.preferences import LinearAdditiveUtilityFunction, LinearUtilityFunction


class BatchSink:
    """Keeps every row it is handed, with its sequence number and step."""

    def __init__(self, event_types: frozenset[str] | None = None) -> None:
        self.rows: list[tuple[Any, ...]] = []
        self.events: list[Any] = []
        if event_types is not None:
            self.event_types = event_types

    def emit(self, event: Any) -> None:
        self.events.append(event)

    def emit_batch(self, batch: EventBatch) -> None:
        for k, row in enumerate(batch.rows):
            self.rows.append((batch.first_seq + k, batch.step, *row))
            self.events.append(("row", batch.first_seq + k))


class Unplanned(AspirationNegotiator):
    """The same strategy without a round plan (it overrides respond): turn by turn."""

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        return super().respond(state, offer)


def _mechanism(seed: int, sink: Any, planned: bool, ofa: bool, n: int) -> SAOMechanism:
    rng = np.random.default_rng(seed)
    issues = [make_issue(6, "a"), make_issue(5, "b"), make_issue(4, "c")]
    bus = EventBus("w")
    bus.add_sink(sink)
    n_steps = [1, 2, 3, 7, 50, 333][seed % 6]
    m = SAOMechanism(issues=issues, n_steps=n_steps, seed=seed, bus=bus, offering_is_accepting=ofa)
    kinds = ["boulware", "linear", "conceder", 2.5]
    make = AspirationNegotiator if planned else Unplanned
    for i in range(n):
        w = rng.random(3) * (1 if i % 2 == 0 else -1)
        reserved = float(rng.choice([-100.0, 0.0, 1.0, 3.0]))
        m.add(
            make(
                ufun=LinearUtilityFunction(list(w), reserved_value=reserved),
                aspiration_type=kinds[int(rng.integers(len(kinds)))],
                id=f"n{i}",
            ),
            role=None,
        )
        m.negotiators[-1].owner_id = f"agent{i}"  # type: ignore[misc]
    return m


def _play(m: SAOMechanism, how: str, rng: np.random.Generator) -> None:
    if how == "run":
        m.run()
        return
    while m.state.running or not m.state.started:
        if how == "mixed" and m.state.started and rng.random() < 0.3:
            m.run()  # the rest in one call
        else:
            m.step()


def _rows(sink: BatchSink) -> list[tuple[Any, ...]]:
    # Every column but the time (the planned path stamps a call's rows once).
    return [r[:3] + r[4:] for r in sink.rows]


@pytest.mark.parametrize("ofa", [True, False])
@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("how", ["run", "step", "mixed"])
def test_planned_rows_equal_the_turn_loops_rows(ofa: bool, n: int, how: str) -> None:
    planned_used = agreements = timeouts = 0
    for seed in range(60):
        fast, slow = BatchSink(), BatchSink()
        mf = _mechanism(seed, fast, True, ofa, n)
        ms = _mechanism(seed, slow, False, ofa, n)
        _play(mf, how, np.random.default_rng(seed))
        _play(ms, how, np.random.default_rng(seed))
        assert _rows(fast) == _rows(slow), seed
        assert [e for e in fast.events if type(e) is tuple] == [
            e for e in slow.events if type(e) is tuple
        ]
        assert mf.history == ms.history, seed
        assert mf.state.to_dict() == ms.state.to_dict(), seed
        planned_used += bool(mf._plans) and not ms._plans
        agreements += mf.state.agreement is not None
        timeouts += mf.state.timedout
    assert planned_used > 20 and agreements > 5 and timeouts > 5


@pytest.mark.parametrize("types", [["offer"], ["response"], ["offer", "response"]])
def test_planned_rows_rebuild_the_events_a_list_sink_gets(types: list[str]) -> None:
    for seed in range(30):
        for ofa in (True, False):
            batch = BatchSink(frozenset(types))
            listed = ListSink(event_types=types)
            mb = _mechanism(seed, batch, True, ofa, 2 + seed % 2)
            ml = _mechanism(seed, listed, True, ofa, 2 + seed % 2)
            mb.run()
            ml.run()
            assert ml._plans  # planned, but a ListSink watches: the turn loop ran
            rebuilt = [
                (r[2], r[4], r[5], r[6], r[7], r[8], r[9]) for r in batch.rows if r[2] in types
            ]
            expected = []
            for e in listed.events:
                p = e.payload
                response = p.get("response")
                outcome = p["outcome"] if e.type == "offer" else p["offer"]
                expected.append(
                    (e.type, e.agent_id, e.negotiation_id, p["round"], p["negotiator"], response,
                     outcome)
                )  # fmt: skip
            assert rebuilt == expected, (seed, ofa)
            assert [r[0] for r in batch.rows] == [e.seq for e in listed.events]


class OneByOne:
    """A sink without ``emit_batch`` (a user's own)."""

    def __init__(self) -> None:
        self.events: list[Any] = []

    def emit(self, event: Any) -> None:
        self.events.append(event)


def test_a_one_by_one_sink_beside_a_batch_sink_keeps_the_turn_loop() -> None:
    batch, listed = BatchSink(), OneByOne()
    m = _mechanism(3, batch, True, True, 2)
    m.bus.add_sink(listed)
    m.run()
    assert not batch.rows  # every event went one by one
    assert [e.seq for e in batch.events] == [e.seq for e in listed.events]
    assert any(e.type == "offer" for e in listed.events)


def test_a_batch_sink_added_mid_negotiation_gets_the_next_rounds_rows() -> None:
    for seed in range(20):
        late_fast, late_slow = BatchSink(), BatchSink()
        runs = []
        for planned, late in ((True, late_fast), (False, late_slow)):
            m = _mechanism(seed, ListSink(event_types=["negotiation_started"]), planned, True, 2)
            m.step()
            m.bus.add_sink(late)
            m.run()
            runs.append(m.history)
        assert _rows(late_fast) == _rows(late_slow), seed
        assert runs[0] == runs[1]


def test_categorical_outcomes_pass_through_the_payload_copier() -> None:
    issues = [make_issue([(1, "x"), (2, "y"), (3, "z")], "pair"), make_issue(4, "n")]
    got = []
    for planned in (True, False):
        sink = BatchSink()
        bus = EventBus("c")
        bus.add_sink(sink)
        m = SAOMechanism(issues=issues, n_steps=30, seed=5, bus=bus)
        make = AspirationNegotiator if planned else Unplanned
        for k, (a, b) in enumerate(((1.0, 0.1), (-1.0, -0.1))):
            values = [{(1, "x"): a, (2, "y"): 0.5 * a, (3, "z"): 0.0}, {v: b * v for v in range(4)}]
            m.add(make(ufun=LinearAdditiveUtilityFunction(values, [0.7, 0.3]), id=f"c{k}"))
        m.run()
        assert bool(m._plans) == planned
        got.append(_rows(sink))
    assert m._to_payload is not None  # outcomes are copied into payloads
    assert got[0] == got[1] and got[0]


@pytest.mark.parametrize("other", ["micro", "tft", "random"])
@pytest.mark.parametrize("ofa", [True, False])
def test_mixed_rows_equal_the_turn_loops_rows(other: str, ofa: bool) -> None:
    from palaver.negotiators import MiCRO, NaiveTitForTat, RandomNegotiator

    make_other = {"micro": MiCRO, "tft": NaiveTitForTat, "random": RandomNegotiator}[other]
    mixed_used = 0
    for seed in range(25):
        got = []
        for planned in (True, False):
            rng = np.random.default_rng(seed)
            sink = BatchSink()
            bus = EventBus("m")
            bus.add_sink(sink)
            m = SAOMechanism(
                issues=[make_issue(7, "a"), make_issue(5, "b")],
                n_steps=int(rng.integers(1, 200)),
                seed=seed,
                bus=bus,
                offering_is_accepting=ofa,
            )
            w = rng.random((2, 2))
            asp = (AspirationNegotiator if planned else Unplanned)(
                ufun=LinearUtilityFunction(list(w[0]), reserved_value=float(rng.random() * 0.5)),
                id="asp",
            )
            opp = make_other(ufun=LinearUtilityFunction(list(-w[1]), reserved_value=-1.0), id="o")
            for x in [asp, opp] if seed % 2 else [opp, asp]:
                m.add(x)
                x.owner_id = f"owner-{x.id}"  # type: ignore[misc]
            _play(m, "mixed" if seed % 3 == 0 else "run", np.random.default_rng(seed))
            got.append((_rows(sink), list(m.history), m.state.to_dict()))
            if planned:
                # Mixed, or (a tit-for-tat where offering is accepting) the
                # plan it makes against its planned partner.
                mixed_used += bool(m._plans) and (None in m._plans or (other == "tft" and ofa))
        assert got[0] == got[1], seed
        assert got[0][0]
    assert mixed_used > 10

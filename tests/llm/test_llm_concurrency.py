"""A thousand LLM negotiations at once in one process, and a deterministic event stream."""

from __future__ import annotations

import asyncio
import time

from llm_helpers import comparable, llm, offer, price_negotiation

from palaver.events import ListSink
from palaver.llm import OpenAICompatible, arun_negotiations, run_negotiations
from palaver.llm.testing import StubReply, StubServer
from palaver.negotiators import ToughNegotiator


def test_a_thousand_negotiations_run_concurrently(server: StubServer) -> None:
    delay = 0.5
    server.script(lambda body: StubReply(offer(80), delay=delay))
    backend = OpenAICompatible(server.base_url, "stub-model", timeout=30, max_connections=1000)
    mechanisms = []
    for seed in range(1000):
        negotiator = llm(server, retry_delay=0)
        negotiator.caller.backend = negotiator.backend = backend  # one shared connection pool
        m, _ = price_negotiation(
            negotiator, n_steps=1, seed=seed, opponent=ToughNegotiator(name="buyer")
        )
        mechanisms.append(m)
    start = time.perf_counter()
    results = run_negotiations(mechanisms, max_concurrency=1000)
    elapsed = time.perf_counter() - start
    assert all(r.error is None for r in results) and server.calls == 1000
    assert all(r.value.timedout for r in results)
    # One after the other this would take 1000 * 0.5 s; at once, a few seconds.
    assert elapsed < 60, elapsed
    assert server.max_in_flight >= 100


def test_events_reach_the_sink_whole_negotiation_after_whole_negotiation(
    server: StubServer,
) -> None:
    def answer(body: dict) -> StubReply:
        # Later negotiations answer first: completion order is the reverse of input order.
        return StubReply(offer(80), delay=0.05 * (10 - body["seed"] % 10))

    def batch() -> list:
        server.script(answer)
        mechanisms = [
            price_negotiation(
                llm(server, seed=i), n_steps=1, seed=i, opponent=ToughNegotiator(name="buyer")
            )[0]
            for i in range(6)
        ]
        sink = ListSink()
        results = asyncio.run(arun_negotiations(mechanisms, sink=sink))
        assert [r.item for r in results] == mechanisms
        order = [e.negotiation_id for e in sink.events]
        runs = [nid for i, nid in enumerate(order) if i == 0 or order[i - 1] != nid]
        assert runs == [m.id for m in mechanisms]  # grouped, in input order
        return sink.events

    assert comparable(batch()) == comparable(batch())


def test_nothing_an_item_raises_escapes(server: StubServer) -> None:
    class Broken:
        def run(self) -> None:
            raise RuntimeError("boom")

    [result] = run_negotiations([Broken()])
    assert isinstance(result.error, RuntimeError) and result.value is None
    assert run_negotiations([]) == []

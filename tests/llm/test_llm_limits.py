"""Timeouts that fire, hung backends that never hang a run, retries, rate limits."""

from __future__ import annotations

import asyncio
import time

import pytest
from llm_helpers import decide, llm, offer, price_negotiation

from palaver.llm import RateLimit, limits, run_negotiations
from palaver.llm.testing import StubReply, StubServer
from palaver.negotiators import ToughNegotiator


def test_a_timeout_fires_on_a_hung_server_and_is_recorded(server: StubServer) -> None:
    server.script([StubReply(hang=True)] * 2)
    m, sink = price_negotiation(
        llm(server, timeout=0.3, max_retries=1), n_steps=3, ignore_negotiator_exceptions=True
    )
    start = time.perf_counter()
    state = m.run()
    elapsed = time.perf_counter() - start
    assert elapsed < 3.0  # two attempts of 0.3 s, not forever
    assert state.has_error and "LLMCallError" in state.error_details
    responses = [e.payload for e in sink.of_type("llm_response")]
    assert [r["error.type"] for r in responses] == ["timeout", "timeout"]
    assert [r["attempt"] for r in responses] == [1, 2]
    assert all(r["latency_s"] >= 0.3 for r in responses)


def test_retryable_failures_are_retried_and_recorded(server: StubServer) -> None:
    server.script([StubReply(status=429), StubReply(malformed=True), offer(80), decide("end")])
    m, sink = price_negotiation(llm(server, max_retries=2), n_steps=3)
    m.run()
    kinds = [e.payload["error.type"] for e in sink.of_type("llm_response")]
    assert kinds == ["http", "malformed_response", None, None]
    assert sink.of_type("llm_response")[0].payload["http.response.status_code"] == 429
    assert sink.of_type("offer")[0].payload["outcome"] == (80,)


def test_a_client_error_is_not_retried(server: StubServer) -> None:
    server.script([StubReply(status=400, content="bad model"), offer(80)])
    m, _ = price_negotiation(llm(server), n_steps=3, ignore_negotiator_exceptions=True)
    state = m.run()
    assert server.calls == 1 and state.has_error and "HTTP 400" in state.error_details


def test_hung_backend_never_hangs_many_negotiations(server: StubServer) -> None:
    def answer(body: dict) -> StubReply:
        if body["seed"] % 2:
            return StubReply(hang=True)
        return StubReply(offer(80))

    server.script(answer)
    mechanisms = [
        price_negotiation(
            llm(server, timeout=0.5, max_retries=0, seed=i),
            n_steps=1,
            seed=i,
            ignore_negotiator_exceptions=True,
            opponent=ToughNegotiator(name="buyer"),
        )[0]
        for i in range(20)
    ]
    start = time.perf_counter()
    results = run_negotiations(mechanisms)
    assert time.perf_counter() - start < 10
    erred = [r.value.has_error for r in results]
    assert erred == [bool(i % 2) for i in range(20)]


def test_requests_per_minute_spread_the_calls(server: StubServer) -> None:
    server.script(lambda body: StubReply(offer(80)))
    limit = RateLimit(requests_per_minute=600, burst_requests=1)  # one call per 0.1 s
    mechanisms = [
        price_negotiation(
            llm(server, rate_limit=limit),
            n_steps=1,
            seed=i,
            opponent=ToughNegotiator(name="buyer"),
        )[0]
        for i in range(6)
    ]
    start = time.perf_counter()
    run_negotiations(mechanisms)
    assert server.calls == 6
    assert time.perf_counter() - start >= 0.45  # 5 gaps of 0.1 s


class FakeClock:
    """The rate limits' clock and wait, moved by hand: exact on a loaded machine."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 100.0
        self.waits: list[float] = []
        monkeypatch.setattr(limits, "_monotonic", lambda: self.now)
        monkeypatch.setattr(limits, "_sleep", self.sleep)

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def test_tokens_per_minute_bucket_waits_and_settles(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock(monkeypatch)
    limit = RateLimit(tokens_per_minute=120_000, burst_tokens=500)  # 2000 tokens/s

    async def take(*amounts: float) -> None:
        for amount in amounts:
            await limit.acquire(amount)

    asyncio.run(take(500, 500, 500, 500))
    # The burst covers the first; each later one waits for 500 tokens at 2000/s.
    assert clock.waits == pytest.approx([0.25, 0.25, 0.25])
    clock.now += 0.25  # the bucket refills to its burst
    clock.waits.clear()
    asyncio.run(take(500))
    limit.settle(500, 0)  # a call that used nothing gives its tokens back
    asyncio.run(take(400))
    assert clock.waits == []
    limit.settle(400, 900)  # one that used more than its estimate takes the rest
    asyncio.run(take(100))
    assert clock.waits == pytest.approx([0.25])  # 400 owed and 100 more: 500 at 2000/s


@pytest.mark.parametrize(
    "kwargs",
    [{"requests_per_minute": 0}, {"tokens_per_minute": -5}, {"burst_requests": float("nan")}],
)
def test_bad_rate_limits_raise(kwargs: dict) -> None:
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        RateLimit(**kwargs)

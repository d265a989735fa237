"""Budgets: a cap in tokens or dollars, per negotiator or shared, ends things cleanly."""

from __future__ import annotations

import pytest
from llm_helpers import decide, llm, offer, price_negotiation

from palaver.llm import LLM_BUDGET_EXHAUSTED, Budget, Price, PriceTable, run_negotiations
from palaver.llm.testing import StubReply, StubServer
from palaver.negotiators import ToughNegotiator


def spend(tokens: int):
    """A stub script whose every answer reports ``tokens`` prompt tokens."""

    def answer(body: dict) -> StubReply:
        last = body["messages"][-1]["content"]
        text = decide("reject", 90) if "Decide" in last else offer(95)
        return StubReply(text, input_tokens=tokens, output_tokens=0)

    return answer


def test_a_negotiator_budget_ends_the_negotiation_cleanly(server: StubServer) -> None:
    server.script(spend(1000))
    budget = Budget(max_tokens=3000, name="seller-cap")
    m, sink = price_negotiation(
        llm(server, budget=budget, max_tokens=100),
        n_steps=20,
        opponent=ToughNegotiator(name="buyer"),
    )
    state = m.run()
    # The first call is estimated at 420 tokens (prompt characters / 4 +
    # max_tokens) and costs 1000: from then on the budget holds 1000 / 420
    # times each estimate. The third call (507 estimated, 1208 held) does not
    # fit in the 1000 left, although holding only its estimate it would have.
    assert server.calls == 2 and budget.tokens == 2000 and budget.calls == 2
    assert budget.ratio == pytest.approx(1000 / 420) and budget.tokens <= budget.max_tokens
    assert state.broken and not state.has_error and state.step < 20
    [stop] = sink.of_type(LLM_BUDGET_EXHAUSTED)
    assert stop.payload["budget"]["name"] == "seller-cap"
    assert stop.payload["budget"]["tokens"] == 2000
    # Partial results are kept: the offers made before the cap are recorded.
    assert len([e for e in sink.of_type("offer") if e.payload["negotiator"] == "seller"]) == 2
    assert sink.of_type("negotiation_ended")[0].payload["result"] == "failure"


def test_a_call_that_would_overshoot_is_not_made(server: StubServer) -> None:
    server.script(spend(10))
    budget = Budget(max_tokens=200)  # below one call's estimate (prompt + max_tokens)
    m, _ = price_negotiation(llm(server, budget=budget, max_tokens=512), n_steps=5)
    state = m.run()
    assert server.calls == 0 and budget.tokens == 0 and state.agreement is None


def test_a_shared_budget_caps_a_whole_tournament(server: StubServer) -> None:
    server.script(spend(500))
    shared = Budget(max_tokens=5000, name="tournament")
    mechanisms = []
    for seed in range(8):
        own = Budget(max_tokens=100_000, name=f"n{seed}")
        m, _ = price_negotiation(
            llm(server, budget=[own, shared], max_tokens=50, name="seller"),
            n_steps=6,
            seed=seed,
            opponent=ToughNegotiator(name="buyer"),
        )
        mechanisms.append(m)
    results = run_negotiations(mechanisms, max_concurrency=4)
    assert all(r.error is None for r in results)
    assert shared.tokens <= 5000 and shared.tokens == 500 * server.calls
    assert server.calls < 8 * 6  # the cap stopped negotiations early
    assert all(r.value.broken or r.value.timedout for r in results)


def test_dollar_budget_uses_the_price_table(server: StubServer) -> None:
    server.script(spend(1000))  # a thousand tokens per call: $1 at $1000 per million
    prices = PriceTable({"stub-model": Price(1000.0, 1000.0)})
    budget = Budget(max_usd=2.5)
    m, sink = price_negotiation(
        llm(server, budget=budget, prices=prices),
        n_steps=10,
        opponent=ToughNegotiator(name="buyer"),
    )
    m.run()
    # A call is estimated at over $1 (prompt + max_tokens): the third would not fit.
    assert server.calls == 2 and budget.usd == pytest.approx(2.0)
    costs = [e.payload["cost_usd"] for e in sink.of_type("llm_response")]
    assert costs == [pytest.approx(1.0), pytest.approx(1.0)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "max_tokens=..., max_usd=..."),
        ({"max_tokens": 0}, "max_tokens"),
        ({"max_usd": -1.0}, "max_usd"),
        ({"max_tokens": 10, "name": ""}, "name"),
    ],
)
def test_bad_budgets_raise(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Budget(**kwargs)

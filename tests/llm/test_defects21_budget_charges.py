"""Budgets charged for timed-out calls and for answers without usage, and
``exhausted`` agreeing with refused calls (review of session 20)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from palaver.llm import Budget, BudgetExhaustedError, OpenAICompatible, PriceTable, SharedBudget
from palaver.llm.backends import ScriptedBackend, ScriptedReply
from palaver.llm.caller import Caller
from palaver.llm.limits import Spend
from palaver.llm.testing import StubReply, StubServer
from palaver.llm.types import LLMCallError

PROMPT = [{"role": "user", "content": "x" * 400}]  # estimated at 400 / 4 + 1 = 101 tokens
PARAMS = {"max_tokens": 50}
ESTIMATE = 101 + 50
PRICES = PriceTable({"*": (1.0, 2.0)})  # USD per million input / output tokens


def _call(backend: Any, budget: Budget, events: list[dict[str, Any]]) -> Any:
    caller = Caller(backend, None, [budget], PRICES, max_retries=0, retry_delay=0.0)
    return caller.call(
        list(PROMPT), dict(PARAMS), None, lambda kind, p: events.append({"type": kind, **p}), {}
    )


def test_a_timed_out_call_is_charged_its_estimate() -> None:
    # It was charged nothing: timeouts could spend a budget's money unseen.
    backend = ScriptedBackend([ScriptedReply("{}", delay=5.0)], timeout=0.05)
    budget = Budget(max_tokens=10_000, max_usd=1.0)
    events: list[dict[str, Any]] = []
    with pytest.raises(LLMCallError, match="timeout"):
        _call(backend, budget, events)
    assert (budget.tokens, budget.calls) == (ESTIMATE, 1)
    assert budget.usd == pytest.approx((101 * 1.0 + 50 * 2.0) / 1e6)
    (response,) = [e for e in events if e["type"] == "llm_response"]
    assert response["error.type"] == "timeout" and response["usage_estimated"] is True
    assert (response["gen_ai.usage.input_tokens"], response["gen_ai.usage.output_tokens"]) == (
        101,
        50,
    )
    assert response["cost_usd"] == pytest.approx(budget.usd)
    assert budget.ratio == 1.0  # a guess teaches the budget nothing


def test_a_refused_call_is_still_charged_nothing() -> None:
    backend = ScriptedBackend([ScriptedReply(error="http")])
    budget = Budget(max_tokens=10_000)
    events: list[dict[str, Any]] = []
    with pytest.raises(LLMCallError):
        _call(backend, budget, events)
    assert (budget.tokens, budget.calls) == (0, 0)
    assert [e["usage_estimated"] for e in events if e["type"] == "llm_response"] == [False]


def test_an_answer_without_usage_is_charged_an_estimate(server: StubServer) -> None:
    # A server that sends no usage block left spending at 0.
    answer = "y" * 80  # estimated at 80 / 4 + 1 = 21 tokens
    server.script([StubReply(answer, usage=False), StubReply(answer)])
    backend = OpenAICompatible(server.base_url, "stub-model", timeout=5.0)
    budget = Budget(max_tokens=10_000, max_usd=1.0)
    events: list[dict[str, Any]] = []
    response = _call(backend, budget, events)
    assert response.usage_reported is False
    assert (budget.tokens, budget.calls) == (101 + 21, 1)
    assert budget.usd == pytest.approx((101 * 1.0 + 21 * 2.0) / 1e6)
    (recorded,) = [e for e in events if e["type"] == "llm_response"]
    assert recorded["usage_estimated"] is True
    assert (recorded["gen_ai.usage.input_tokens"], recorded["gen_ai.usage.output_tokens"]) == (
        101,
        21,
    )
    events.clear()
    assert _call(backend, budget, events).usage_reported is True  # the stub's own counts
    assert [e["usage_estimated"] for e in events if e["type"] == "llm_response"] == [False]


def test_usage_reported_survives_the_cache_round_trip() -> None:
    from palaver.llm.types import ChatResponse

    plain = ChatResponse("hi", input_tokens=3, output_tokens=1)
    assert "usage_reported" not in plain.to_json()  # old caches stay byte for byte
    guessed = ChatResponse("hi", usage_reported=False)
    assert ChatResponse.from_json(guessed.to_json()) == guessed
    with pytest.raises(TypeError, match="usage_reported must be a bool, got 'no'"):
        ChatResponse.from_json({"content": "hi", "usage_reported": "no"})


@pytest.mark.parametrize("shared", [False, True])
def test_exhausted_agrees_with_a_refused_call(tmp_path: Path, shared: bool) -> None:
    # 200 tokens spent of 400 and 100 held by a call in flight: not "exhausted",
    # yet a call holding 151 tokens was refused.
    budget = (
        SharedBudget(tmp_path / "ledger.json", max_tokens=400) if shared else Budget(max_tokens=400)
    )
    spent = budget.reserve(Spend(200, None))
    assert spent is not None
    budget.settle(spent, Spend(200, None))
    in_flight = budget.reserve(Spend(100, None))
    assert in_flight is not None and not budget.exhausted
    backend = ScriptedBackend(["{}"])
    with pytest.raises(BudgetExhaustedError):
        _call(backend, budget, [])
    assert budget.tokens == 200 and budget.exhausted
    # The call in flight fails and gives its 100 back: that call would fit again.
    budget.settle(in_flight, None)
    assert not budget.exhausted
    assert _call(backend, budget, []).content == "{}"
    assert budget.tokens == 200 + 101 + 1  # the scripted backend's own estimates

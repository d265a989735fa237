"""Budgets under concurrency: calls held in flight together by a gated backend.

Each test runs calls in *waves*: every thread of a wave reserves (or is
refused) before any call of the wave is answered, so the interleaving that
machine load produced by chance (many reservations made before the answers
that pay more than their estimates come back) happens every time.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from palaver.llm import Budget, BudgetExhaustedError, PriceTable, SharedBudget
from palaver.llm.caller import Caller
from palaver.llm.types import ChatRequest, ChatResponse

PROMPT = [{"role": "user", "content": "x" * 1400}]
PARAMS = {"max_tokens": 20}
ESTIMATE = 1400 // 4 + 1 + 20  # what the caller estimates: characters / 4 + max_tokens
COST = 500  # what the server says each call cost: more than the estimate


class GatedBackend:
    """Answers only once the test opens the gate; counts the calls that reached it."""

    name = "gated"
    provider = "test.gated"
    model = "gated-model"
    timeout = None
    rate_limit = None

    def __init__(self) -> None:
        self.entered = 0
        self.gate = threading.Event()
        self._lock = threading.Lock()

    async def complete(self, request: ChatRequest) -> ChatResponse:
        with self._lock:
            self.entered += 1
        if not await asyncio.to_thread(self.gate.wait, 10.0):
            raise AssertionError("the test never opened the gate")
        return ChatResponse("{}", input_tokens=COST - 20, output_tokens=20)


def wave(backend: GatedBackend, callers: list[Caller]) -> int:
    """Start one call per caller at once; answer them once all reserved. Return calls made."""
    backend.entered = 0
    backend.gate.clear()
    refused: list[int] = []

    def one(caller: Caller) -> None:
        try:
            caller.call(list(PROMPT), dict(PARAMS), None, lambda kind, payload: None, {})
        except BudgetExhaustedError:
            refused.append(1)

    threads = [threading.Thread(target=one, args=(c,)) for c in callers]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10.0
    while backend.entered + len(refused) < len(callers):
        assert time.monotonic() < deadline, "the calls of a wave never all reserved"
        time.sleep(0.001)
    made = backend.entered
    backend.gate.set()
    for thread in threads:
        thread.join(10.0)
    return made


def callers_of(budgets: list[Budget], backend: GatedBackend) -> list[Caller]:
    return [Caller(backend, None, [b], PriceTable(), 0, 0.0) for b in budgets]


@pytest.mark.parametrize("kind", ["budget", "shared-copies"])
def test_calls_in_flight_that_cost_more_than_estimated_do_not_pass_the_cap(
    kind: str, tmp_path: Path
) -> None:
    """Four callers spend from one cap of 4900 tokens, four calls in flight at a time.

    Every call is estimated at 371 tokens and costs 500. Holding only the
    estimate, the third wave admitted two calls at 4000 spent (4000 + 2 * 371
    held fits) and spent 5000, over the cap. Once the first answers came back
    the budget holds 500 per call: the third wave makes one call, 4500 spent.
    """
    backend = GatedBackend()
    if kind == "budget":
        shared = Budget(max_tokens=4900)
        budgets: list[Budget] = [shared] * 4
    else:  # one ledger, a copy per worker process (as the process executor makes)
        budgets = [SharedBudget(tmp_path / "b.json", max_tokens=4900) for _ in range(4)]
    callers = callers_of(budgets, backend)
    made = [wave(backend, callers) for _ in range(4)]
    spent = budgets[0].snapshot()["tokens"]
    assert spent == COST * sum(made)
    assert spent <= 4900
    assert made == [4, 4, 1, 0] and spent == 4500
    assert budgets[-1].ratio == pytest.approx(COST / ESTIMATE)


def test_the_first_calls_overshoot_by_at_most_what_they_cost_beyond_their_estimates() -> None:
    """The documented bound: calls started before any answer came back hold only estimates.

    Four calls of 371 estimated tokens fit in 1600 together and cost 500 each:
    2000 spent, which is the cap plus the sum of (cost - held) over the calls
    in flight, and nothing more is called.
    """
    backend = GatedBackend()
    budget = Budget(max_tokens=1600)
    callers = callers_of([budget] * 4, backend)
    assert wave(backend, callers) == 4
    assert budget.tokens == 4 * COST
    assert budget.tokens <= 1600 + 4 * (COST - ESTIMATE)
    assert wave(backend, callers) == 0 and budget.tokens == 2000
    assert budget.exhausted


def test_a_call_within_its_estimate_leaves_the_ratio_at_one() -> None:
    from palaver.llm.limits import Spend

    budget = Budget(max_tokens=1000)
    held = budget.reserve(Spend(300, None))
    assert held == Spend(300, None)
    budget.settle(held, Spend(200, None), Spend(300, None))
    assert budget.ratio == 1.0 and budget.tokens == 200
    held = budget.reserve(Spend(100, None))
    assert held is not None
    budget.settle(held, Spend(250, None), Spend(100, None))  # 2.5 times its estimate
    assert budget.ratio == 2.5
    assert budget.reserve(Spend(300, None)) is None  # 450 spent + 750 held > 1000
    assert budget.reserve(Spend(200, None)) == Spend(500, None)


def test_a_shared_ledger_keeps_the_ratio_and_reads_old_ledgers(tmp_path: Path) -> None:
    from palaver.llm.limits import Spend

    path = tmp_path / "b.json"
    path.write_text('{"tokens": 10, "usd": 0.0, "calls": 1, "held_tokens": 0, "held_usd": 0.0}')
    a = SharedBudget(path, max_tokens=1000)
    b = SharedBudget(path, max_tokens=1000)  # another process's copy
    assert a.ratio == 1.0 and a.tokens == 10
    held = a.reserve(Spend(100, None))
    assert held is not None
    a.settle(held, Spend(200, None), Spend(100, None))
    assert b.reserve(Spend(100, None)) == Spend(200, None)
    path.write_text(path.read_text().replace('"ratio":2.0', '"ratio":0.5'))
    with pytest.raises(ValueError, match="damaged"):
        b.snapshot()

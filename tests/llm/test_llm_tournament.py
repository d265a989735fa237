"""LLM negotiators in negotiation tournaments: recorded calls, offline replay, shared budgets."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from llm_helpers import tournament_script

from palaver.llm import (
    LLM_BUDGET_EXHAUSTED,
    LLM_REQUEST,
    LLM_RESPONSE,
    LLMEventLog,
    LLMNegotiator,
    ResponseCache,
    ScriptedBackend,
    SharedBudget,
)
from palaver.tournaments.negotiation import cartesian_tournament

sys.path.insert(0, str(Path(__file__).parents[1] / "tournaments"))
from negotiation_helpers import small_scenario

Within = Callable[[float, Callable[[], Any]], "BaseException | None"]
"""The ``within`` fixture (tests/conftest.py)."""

COLUMNS = ["negotiation_id", "result", "agreement", "rounds", "erred_negotiator"]


def run(
    tmp: Path, name: str, executor: str, cache: ResponseCache, budget: Any = None
) -> tuple[Any, list[dict[str, Any]]]:
    log = LLMEventLog(tmp / name / "llm_events")
    params: dict[str, Any] = {
        "backend": ScriptedBackend(tournament_script),
        "cache": cache,
        "event_log": log,
        "max_retries": 0,
    }
    if budget is not None:
        params["budget"] = budget
    results = cartesian_tournament(
        [LLMNegotiator, "boulware"],
        [small_scenario(0), small_scenario(1)],
        competitor_params=[params, None],
        n_steps=6,
        seed=7,
        executor=executor,
        workers=2 if executor == "process" else None,
        path=tmp / name,
        hang_timeout=30.0,
    )
    return results, log.read()


def rows(results: Any) -> Any:
    negs = results.negotiations.sort_values("negotiation_id").reset_index(drop=True)
    return negs[[c for c in COLUMNS if c in negs.columns]]


def comparable(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events without wall-clock fields, in a fixed order."""
    out = [{k: v for k, v in e.items() if k != "latency_s"} for e in events]
    return sorted(out, key=lambda e: repr(sorted(e.items(), key=lambda kv: kv[0])))


@pytest.mark.parametrize("executor", ["serial", "process"])
def test_llm_tournament_records_every_call_and_replays_offline(
    tmp_path: Path, executor: str
) -> None:
    cache_file = tmp_path / "llm_cache.jsonl"
    first, events = run(tmp_path, "live", executor, ResponseCache(cache_file))
    negs = first.negotiations
    assert len(negs) == 16  # 2 scenarios x 4 ordered pairings x 2 rotations
    assert (negs.result != "error").all(), negs[negs.result == "error"].error.tolist()
    requests = [e for e in events if e["type"] == LLM_REQUEST]
    responses = [e for e in events if e["type"] == LLM_RESPONSE]
    assert requests and len(requests) == len(responses)
    assert all(r["gen_ai.usage.input_tokens"] > 0 for r in responses)
    # Every negotiation with an LLM negotiator in it has its calls in the log.
    llm_negs = set(negs[negs.partners.astype(str).str.contains("LLMNegotiator")].negotiation_id)
    assert {e["negotiation_id"] for e in requests} == llm_negs
    # Every call was stored in the shared cache file, by whichever worker made it.
    assert len(ResponseCache(cache_file)) == len(responses)

    offline = ResponseCache(cache_file, offline=True)
    replay, replayed = run(tmp_path, "replay", executor, offline)
    assert not any(e.get("error.type") == "cache_miss" for e in replayed)
    assert rows(replay).equals(rows(first))
    assert comparable(replayed) == comparable(events)
    assert len(ResponseCache(cache_file)) == len(responses)  # nothing new: zero model calls


def test_shared_budget_caps_the_whole_tournament_across_two_workers(tmp_path: Path) -> None:
    unlimited, events = run(tmp_path, "free", "serial", ResponseCache())
    spent = sum(
        e["gen_ai.usage.input_tokens"] + e["gen_ai.usage.output_tokens"]
        for e in events
        if e["type"] == LLM_RESPONSE
    )
    cap = spent // 3
    budget = SharedBudget(tmp_path / "budget.json", max_tokens=cap, name="tournament")
    capped, logged = run(tmp_path, "capped", "process", ResponseCache(), budget)
    used = sum(
        e["gen_ai.usage.input_tokens"] + e["gen_ai.usage.output_tokens"]
        for e in logged
        if e["type"] == LLM_RESPONSE
    )
    assert 0 < used <= cap
    assert budget.snapshot()["tokens"] == used
    # Each worker process logs to its own file, all charged to the one ledger
    # (checked above). How batches fall between the two workers is the
    # executor's business: on a loaded machine one worker can take them all.
    assert 1 <= len(list((tmp_path / "capped" / "llm_events").glob("llm_events-*.jsonl"))) <= 2
    stops = [e for e in logged if e["type"] == LLM_BUDGET_EXHAUSTED]
    assert stops and all(e["budget"]["name"] == "tournament" for e in stops)
    # Every negotiation is still in the results; those the budget stopped ended cleanly.
    negs = capped.negotiations
    assert len(negs) == len(unlimited.negotiations)
    assert (negs.result != "error").all()
    stopped = {e["negotiation_id"] for e in stops}
    ended = negs[negs.negotiation_id.isin(stopped)]
    assert ended.agreement.isna().all()


def test_shared_budget_refuses_a_damaged_ledger(tmp_path: Path) -> None:
    file = tmp_path / "budget.json"
    file.write_text("not a ledger")
    with pytest.raises(ValueError, match=r"budget\.json"):
        SharedBudget(file, max_tokens=10)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_shared_budget_refuses_a_fifo_or_a_folder_without_blocking(
    tmp_path: Path, within: Within
) -> None:
    # Reading a ledger that is a FIFO blocked the process for ever; a folder
    # was a bare IsADirectoryError.
    fifo = tmp_path / "budget.json"
    os.mkfifo(fifo)
    error = within(10, lambda: SharedBudget(fifo, max_tokens=10))
    assert isinstance(error, ValueError) and "budget.json' is a FIFO" in str(error)
    with pytest.raises(ValueError, match=r"SharedBudget\(path=...\).* is a folder"):
        SharedBudget(tmp_path, max_tokens=10)


def test_an_llm_tournament_folder_resumes(tmp_path: Path) -> None:
    """Calling again with equal arguments finds the folder finished: no model call is made."""
    cache = ResponseCache(tmp_path / "llm_cache.jsonl")
    first, events = run(tmp_path, "t", "serial", cache)
    again, logged = run(tmp_path, "t", "serial", ResponseCache(tmp_path / "llm_cache.jsonl"))
    assert rows(again).equals(rows(first))
    assert len(logged) == len(events)  # nothing was run, so nothing more was logged


def test_llm_tournament_over_http_on_two_workers(tmp_path: Path) -> None:
    """Workers call a real OpenAI-compatible endpoint (the stub) and record every call."""
    from llm_helpers import stub_tournament_script

    from palaver.llm import OpenAICompatible
    from palaver.llm.testing import StubServer

    with StubServer(stub_tournament_script) as server:
        log = LLMEventLog(tmp_path / "events")
        backend = OpenAICompatible(server.base_url, "stub-model", timeout=10.0)
        results = cartesian_tournament(
            [LLMNegotiator, "boulware"],
            [small_scenario(0)],
            competitor_params=[{"backend": backend, "event_log": log, "max_retries": 0}, None],
            n_steps=5,
            seed=3,
            executor="process",
            workers=2,
            path=tmp_path / "t",
        )
        served = len(server.requests)
    negs = results.negotiations
    assert len(negs) == 8 and (negs.result != "error").all()
    responses = [e for e in log.read() if e["type"] == LLM_RESPONSE]
    assert responses and len(responses) == served
    assert all(e["gen_ai.response.model"] for e in responses)


def test_shared_budget_copies_spend_from_one_ledger_in_dollars(tmp_path: Path) -> None:
    from palaver.llm.limits import Spend

    a = SharedBudget(tmp_path / "b.json", max_usd=1.0)
    b = SharedBudget(tmp_path / "b.json", max_usd=1.0)  # another process's copy
    assert a.reserve(Spend(10, 0.6))
    assert not b.reserve(Spend(10, 0.6))  # a's reservation is held in the file
    a.settle(Spend(10, 0.6), Spend(8, 0.5))
    assert b.reserve(Spend(10, 0.4))
    b.settle(Spend(10, 0.4), Spend(5, 0.5))
    assert a.exhausted and b.exhausted
    assert a.snapshot()["usd"] == pytest.approx(1.0) and a.snapshot()["calls"] == 2
    with pytest.raises(ValueError, match="no price"):
        a.reserve(Spend(10, None))

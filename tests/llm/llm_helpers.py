"""Helpers of the LLM tests: replies, utility functions, a price negotiation."""

from __future__ import annotations

import json
from typing import Any

from palaver.events import ListSink
from palaver.llm import LLMNegotiator, OpenAICompatible
from palaver.llm.testing import StubServer
from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearAdditiveUtilityFunction


def offer(price: int, **extra: Any) -> str:
    """A proposal reply."""
    return json.dumps({"offer": {"price": price}, **extra})


def decide(decision: str, price: int | None = None, **extra: Any) -> str:
    """A response reply."""
    body: dict[str, Any] = {"decision": decision, **extra}
    if price is not None:
        body["offer"] = {"price": price}
    return json.dumps(body)


def seller_ufun() -> LinearAdditiveUtilityFunction:
    return LinearAdditiveUtilityFunction([lambda p: p / 100])


def buyer_ufun() -> LinearAdditiveUtilityFunction:
    return LinearAdditiveUtilityFunction([lambda p: 1 - p / 100])


def price_negotiation(
    negotiator: Any,
    *,
    n_steps: int = 4,
    seed: int = 1,
    opponent: Any = None,
    **mechanism: Any,
) -> tuple[SAOMechanism, ListSink]:
    """The LLM negotiator (first) against an aspiration buyer on a price 0..100."""
    m = SAOMechanism(
        issues=[make_issue((0, 100), "price")], n_steps=n_steps, seed=seed, **mechanism
    )
    sink = ListSink()
    m.bus.add_sink(sink)
    m.add(negotiator, ufun=seller_ufun())
    m.add(opponent or AspirationNegotiator(name="buyer"), ufun=buyer_ufun())
    return m, sink


def llm(server: StubServer, **kwargs: Any) -> LLMNegotiator:
    """An LLM seller talking to ``server`` with test-friendly retry settings."""
    backend_args = {k: kwargs.pop(k) for k in ("timeout", "rate_limit") if k in kwargs}
    backend = OpenAICompatible(server.base_url, "stub-model", **{"timeout": 5.0, **backend_args})
    kwargs.setdefault("retry_delay", 0.0)
    kwargs.setdefault("name", "seller")
    return LLMNegotiator(backend, **kwargs)


def comparable(events: list[Any]) -> list[tuple[Any, ...]]:
    """Events without their wall-clock fields (time, latency_s)."""
    return [
        (
            e.seq,
            e.step,
            e.type,
            e.agent_id,
            e.negotiation_id,
            json.dumps(
                {k: v for k, v in e.payload.items() if k != "latency_s"},
                sort_keys=True,
                default=str,
            ),
        )
        for e in events
    ]


def tournament_script(request: Any) -> str:
    """A deterministic model for tournaments over issues ``a`` and ``b`` (values 0..5).

    Its replies depend only on the request, so every executor gets the same
    answers: it offers an outcome chosen from the prompt's text, and accepts
    an offer once the prompt has grown long (later rounds).
    """
    text = "".join(m["content"] for m in request.messages)
    k = sum(text.encode()) % 36
    body: dict[str, Any] = {"offer": {"a": k // 6, "b": k % 6}}
    if "decision" in request.messages[-1]["content"]:
        body["decision"] = "accept" if k % 5 == 0 else "reject"
    return json.dumps(body)


def stub_tournament_script(request: dict[str, Any]) -> str:
    """:func:`tournament_script` for the stub server (its requests are JSON bodies)."""
    from palaver.llm import ChatRequest

    return tournament_script(ChatRequest(tuple(request["messages"]), {}))

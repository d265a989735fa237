"""LLMNegotiator: prompts, parsing, re-asks, recorded events, cost, templates."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from llm_helpers import decide, llm, offer, price_negotiation

from palaver.llm import (
    DEFAULT_TEMPLATES,
    LLM_INVALID_REPLY,
    LLM_OFFER,
    LLM_REQUEST,
    LLM_RESPONSE,
    Budget,
    ChatRequest,
    LLMNegotiator,
    Price,
    PriceTable,
    PromptTemplates,
    ScriptedBackend,
)
from palaver.llm.testing import StubReply, StubServer
from palaver.mechanisms import NegotiatorError
from palaver.negotiators import ToughNegotiator


def test_a_negotiation_is_recorded_call_by_call(server: StubServer) -> None:
    server.script(
        [
            offer(80, message="a fine object", reasoning="open high"),
            decide("reject", 70, reasoning="meet halfway"),
            decide("accept", message="deal"),
        ]
    )
    m, sink = price_negotiation(llm(server), n_steps=10)
    # The buyer concedes until the seller's standing offer is good enough.
    state = m.run()
    assert server.calls == 3
    types = [e.type for e in sink.events]
    assert types.count(LLM_REQUEST) == types.count(LLM_RESPONSE) == 3
    assert {"observation", "plan", "message", "action", LLM_OFFER} <= set(types)
    request = sink.of_type(LLM_REQUEST)[0].payload
    assert request["gen_ai.request.model"] == "stub-model"
    assert request["gen_ai.operation.name"] == "chat"
    assert request["gen_ai.request.temperature"] == 0.0
    assert request["gen_ai.request.max_tokens"] == 512
    assert isinstance(request["gen_ai.request.seed"], int)
    assert request["gen_ai.input.messages"][0]["role"] == "system"
    assert "price: an integer from 0 to 100" in request["gen_ai.input.messages"][0]["content"]
    response = sink.of_type(LLM_RESPONSE)[0].payload
    assert response["gen_ai.usage.input_tokens"] > 0
    assert response["gen_ai.usage.output_tokens"] > 0
    assert response["gen_ai.response.finish_reasons"] == ["stop"]
    assert response["latency_s"] >= 0 and response["error.type"] is None
    first_offer = sink.of_type(LLM_OFFER)[0].payload
    assert first_offer["offer"] == {"price": 80} and first_offer["utility"] == 0.8
    assert sink.of_type("offer")[0].payload["outcome"] == (80,)
    counter = [e.payload for e in sink.of_type("offer") if e.payload["negotiator"] == "seller"]
    assert [c["outcome"] for c in counter] == [(80,), (70,)]
    message = sink.of_type("message")[0].payload
    assert message["message"] == "a fine object" and message["recipient_ids"] == ["buyer"]
    assert state.agreement is not None and state.agreement == state.current_offer
    # The respond prompt showed the standing offer and what it is worth.
    respond = server.requests[1]["messages"][1]["content"]
    assert 'buyer offers {"price": ' in respond and "worth" in respond


@pytest.mark.parametrize(
    "reply",
    [
        '```json\n{"offer": {"price": 75}}\n```',
        'Sure! Here is my offer: {"offer": {"price": 75}} Hope it works.',
        '{"offer": {"price": "75"}}',
        '{"offer": {"price": 75.0}}',
        '{"offer": [75]}',
    ],
)
def test_replies_are_read_leniently_but_validated(server: StubServer, reply: str) -> None:
    server.script([reply, decide("end")])
    m, sink = price_negotiation(llm(server), n_steps=3, opponent=ToughNegotiator(name="buyer"))
    m.run()
    assert sink.of_type("offer")[0].payload["outcome"] == (75,)


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("I would like 75 please", "no JSON object"),
        ('{"offer": {"price": 150}}', "integer from 0 to 100"),
        ('{"offer": {"cost": 75}}', "missing ['price']"),
        ('{"proposal": 3}', '"offer"'),
        ("[1, 2]", "JSON object"),
    ],
)
def test_an_unusable_reply_is_reasked_with_the_reason(
    server: StubServer, bad: str, why: str
) -> None:
    server.script([bad, offer(75), decide("end")])
    m, sink = price_negotiation(llm(server), n_steps=3, opponent=ToughNegotiator(name="buyer"))
    m.run()
    assert sink.of_type("offer")[0].payload["outcome"] == (75,)
    [invalid] = sink.of_type(LLM_INVALID_REPLY)
    assert why in invalid.payload["error"] and invalid.payload["content"] == bad
    again = server.requests[1]["messages"]
    assert [m["role"] for m in again] == ["system", "user", "assistant", "user"]
    assert again[2]["content"] == bad and why in again[3]["content"]


def test_replies_that_stay_unusable_are_the_negotiators_recorded_error(
    server: StubServer,
) -> None:
    server.script(["nope"] * 3)
    m, sink = price_negotiation(
        llm(server, max_invalid_replies=2), n_steps=3, ignore_negotiator_exceptions=True
    )
    state = m.run()
    assert server.calls == 3 and len(sink.of_type(LLM_INVALID_REPLY)) == 3
    assert state.has_error and state.erred_negotiator == "seller"
    assert "InvalidReplyError" in state.error_details
    ended = sink.of_type("negotiation_ended")[0].payload
    assert ended["result"] == "error" and "unusable replies" in ended["error"]


def test_without_ignoring_exceptions_the_error_is_raised_after_recording(
    server: StubServer,
) -> None:
    server.script(["nope"])
    m, sink = price_negotiation(llm(server, max_invalid_replies=0), n_steps=3)
    with pytest.raises(NegotiatorError, match="seller"):
        m.run()
    assert sink.of_type("negotiation_ended")[0].payload["result"] == "error"


def test_end_decision_breaks_the_negotiation(server: StubServer) -> None:
    server.script([offer(90), decide("end", reasoning="too low")])
    m, sink = price_negotiation(llm(server), n_steps=5)
    state = m.run()
    assert state.broken and state.agreement is None
    assert sink.of_type("action")[-1].payload["action"] == "end"


def test_cost_comes_from_the_price_table(server: StubServer) -> None:
    server.script([StubReply(offer(90), input_tokens=1000, output_tokens=200), decide("end")])
    prices = PriceTable({"stub-*": Price(2.0, 10.0)})
    m, sink = price_negotiation(llm(server, prices=prices), n_steps=2)
    m.run()
    first = sink.of_type(LLM_RESPONSE)[0].payload
    assert first["cost_usd"] == pytest.approx((1000 * 2.0 + 200 * 10.0) / 1e6)
    assert PriceTable().cost("stub-model", 10, 10) is None


def test_templates_are_data(server: StubServer, tmp_path) -> None:
    server.script([offer(60), decide("end")])
    templates = dataclasses.replace(
        PromptTemplates(), system="You are {name} selling at round {round}. {{json}}"
    )
    m, _ = price_negotiation(llm(server, templates=templates), n_steps=2)
    m.run()
    assert (
        server.requests[0]["messages"][0]["content"] == "You are seller selling at round 1. {json}"
    )
    with pytest.raises(ValueError, match=r"unknown field\(s\) \['budget'\]"):
        PromptTemplates(propose="offer within {budget}")
    path = tmp_path / "prompts.toml"
    path.write_text('invalid = "Wrong: {error}"\n')
    assert PromptTemplates.from_file(path).invalid == "Wrong: {error}"
    path.write_text('unknown = "x"\n')
    with pytest.raises(ValueError, match="keys among"):
        PromptTemplates.from_file(path)


def test_api_key_never_reaches_the_events(server: StubServer, monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-123")
    server.script([offer(60), decide("end")])
    m, sink = price_negotiation(llm(server), n_steps=2)
    m.run()
    assert server.headers[0]["authorization"] == "Bearer sk-secret-123"
    text = json.dumps([e.payload for e in sink.events], default=str)
    assert "sk-secret-123" not in text


def test_a_number_format_on_a_utility_renders_mid_negotiation() -> None:
    """``{reserved_value:.2f}`` (the guide's example) was accepted, then failed at
    the first prompt: the utility reached the template as text."""
    prompts: list[str] = []

    def answer(request: ChatRequest) -> str:
        prompts.append(request.messages[-1]["content"])
        return decide("reject", 70) if "worth" in prompts[-1] else offer(70)

    terse = dataclasses.replace(
        DEFAULT_TEMPLATES,
        system="You are {name}; walking away gives {reserved_value:.2f}.",
        respond="{proposer} offers {offer}, worth {offer_utility:.3f} ({offer_utility}). "
        "Round {round:>3}.",
    )
    seller = LLMNegotiator(ScriptedBackend(answer), name="seller", templates=terse)
    m, _ = price_negotiation(seller, n_steps=4, opponent=ToughNegotiator(name="buyer"))
    state = m.run()
    assert not state.has_error, state.error_details
    responds = [p for p in prompts if "offers" in p]
    assert responds and re.search(r"worth \d\.\d{3} \(\d", responds[0])
    assert re.search(r"Round +\d", responds[0])


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("{name:.2f}", "format spec '.2f' of {name} does not fit its value, which can be text"),
        ("{n_steps:d}", "of {n_steps} does not fit its value, which can be text such as 'an unkn"),
        ("{reserved_value:d}", "of {reserved_value} does not fit its value, which can be a number"),
        ("{round!r:.2f}", "format spec '.2f' of {round} does not fit"),
    ],
)
def test_a_format_spec_that_cannot_fit_its_field_is_refused_when_made(
    text: str, shown: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(shown)):
        PromptTemplates(system=text)


def test_scripted_backend_plays_without_a_server() -> None:
    backend = ScriptedBackend([offer(70), decide("accept")])
    negotiator = LLMNegotiator(backend, name="seller", retry_delay=0)
    m, _ = price_negotiation(negotiator, n_steps=5, opponent=ToughNegotiator(name="buyer"))
    m.run()
    assert backend.calls == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"backend": object()}, "backend"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"max_invalid_replies": -1}, "max_invalid_replies"),
        ({"retry_delay": -1}, "retry_delay"),
        ({"cache": "file.jsonl"}, "cache"),
        ({"budget": 5}, "budget"),
        ({"budget": Budget(max_usd=1.0)}, "price of model"),
        ({"templates": {"system": "x"}}, "templates"),
        ({"seed": 1.5}, "seed"),
        ({"params": [1]}, "params"),
    ],
)
def test_bad_arguments_raise_naming_them(kwargs: dict, message: str) -> None:
    args = {"backend": ScriptedBackend([]), **kwargs}
    with pytest.raises(ValueError, match=message):
        LLMNegotiator(**args)

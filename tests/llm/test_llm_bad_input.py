"""Bad arguments, damaged files and hostile servers: a clear error, never a hang.

Covers the public entry points of palaver.llm that take data from outside:
prompt templates (in code and from JSON/TOML files), price tables, scripted
replies, the response cache file, the OpenAI-compatible client's arguments,
the HTTP responses it reads, and the replies the model writes.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from llm_helpers import decide, offer, price_negotiation

from palaver.llm import (
    LLM_RESPONSE,
    BackendError,
    CacheFileError,
    ChatRequest,
    ChatResponse,
    LLMNegotiator,
    OpenAICompatible,
    Price,
    PriceTable,
    PromptTemplates,
    RateLimit,
    ResponseCache,
    ScriptedBackend,
    ScriptedReply,
    buy_sell,
    rental,
    run_negotiations,
    scenario_metrics,
)
from palaver.llm.http import MAX_BODY_BYTES
from palaver.llm.parsing import (
    MAX_REPLY_CHARS,
    ReplyError,
    extract_json,
    parse_proposal,
    text_field,
)
from palaver.outcomes import make_issue, make_os

Within = Callable[[float, Callable[[], Any]], "BaseException | None"]
"""The ``within`` fixture (tests/conftest.py)."""

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


# -- prompt templates -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{name.__class__.__init__.__globals__}", "unknown field"),
        ("{name[0]}", "unknown field"),
        ("{name:>999999999}", "format spec"),
        ("{name:{offer}}", "format spec"),
    ],
)
def test_templates_refuse_attribute_access_and_dangerous_specs(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PromptTemplates(system=text)
    assert PromptTemplates(system="{name!r} {reserved_value:.3f}").system


def test_template_files_that_are_damaged_or_not_files(tmp_path: Path) -> None:
    deep_json = tmp_path / "deep.json"
    deep_json.write_text("[" * 100_000 + "]" * 100_000)
    deep_toml = tmp_path / "deep.toml"
    deep_toml.write_text("a = " + "[" * 100_000 + "]" * 100_000)
    for file in (deep_json, deep_toml):
        with pytest.raises(ValueError, match=f"{file.name}: nested too deeply"):
            PromptTemplates.from_file(file)
    yaml = tmp_path / "t.yaml"
    yaml.write_text("system: hi")
    with pytest.raises(
        ValueError, match=r"t\.yaml: prompt templates are read from \.json or \.toml"
    ):
        PromptTemplates.from_file(yaml)
    with pytest.raises(ValueError, match=r"from_file\(path=...\) must be a path, got None"):
        PromptTemplates.from_file(None)  # type: ignore[arg-type]
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(ValueError, match=r"dir\.json.? is a folder"):
        PromptTemplates.from_file(tmp_path / "dir.json")
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as f:
        f.seek(10 << 20)
        f.write(b"}")
    with pytest.raises(ValueError, match=r"huge\.json: \d+ bytes, larger than"):
        PromptTemplates.from_file(huge)
    good = tmp_path / "good.toml"
    good.write_text('system = "You are {name}."\n')
    assert PromptTemplates.from_file(good).system == "You are {name}."


@posix_only
def test_a_fifo_as_template_or_cache_file_is_refused_without_blocking(
    tmp_path: Path, within: Within
) -> None:
    fifo = tmp_path / "t.json"
    os.mkfifo(fifo)
    error = within(10, lambda: PromptTemplates.from_file(fifo))
    assert isinstance(error, ValueError) and "FIFO" in str(error)
    error = within(10, lambda: ResponseCache(fifo))
    assert isinstance(error, CacheFileError) and "t.json" in str(error)


# -- prices, scripted replies, negotiator arguments --------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: PriceTable([1, 2]), r"PriceTable\(prices=...\) must be a mapping"),
        (lambda: PriceTable({"m": (1.0,)}), "must be a Price or a pair"),
        (lambda: PriceTable.from_mapping(None), r"from_mapping\(data=...\) must be a mapping"),
        (
            lambda: PriceTable.from_mapping(
                {"m": {"input_per_million": 1, "output_per_million": 2, "typo": 3}}
            ),
            "exactly input_per_million and output_per_million",
        ),
        (lambda: Price(1, 1).cost(-5, 3), r"cost\(input_tokens=...\) must be an int >= 0"),
        (lambda: PriceTable({"m*": (1, 1)}).lookup(3), r"lookup\(model=...\) must be a str"),  # type: ignore[arg-type]
        (lambda: ScriptedReply("x", delay=-1), r"ScriptedReply\(delay=...\)"),
        (lambda: ScriptedReply("x", delay=math.nan), r"ScriptedReply\(delay=...\)"),
        (lambda: ScriptedReply("x", input_tokens=-1), r"ScriptedReply\(input_tokens=...\)"),
        (lambda: ScriptedReply(3), r"ScriptedReply\(content=...\) must be a str"),  # type: ignore[arg-type]
        # A string was split into one-letter replies, a dict into its keys.
        (lambda: ScriptedBackend("accept"), r"script=...\) takes a list .* got str 'accept'"),
        (lambda: ScriptedBackend({"a": "x"}), r"script=...\) takes a list .* got dict"),  # type: ignore[arg-type]
        (lambda: ScriptedBackend(["x"], model=3), r"ScriptedBackend\(model=...\) must be a"),  # type: ignore[arg-type]
    ],
)
def test_prices_and_scripted_replies_check_their_arguments(
    make: Callable[[], Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"temperature": -1}, r"temperature=...\) must be a number >= 0"),
        ({"temperature": math.nan}, r"temperature=...\) must be a number >= 0"),
        ({"json_mode": "yes"}, r"json_mode=...\) must be a bool"),
        ({"role": 3}, r"role=...\) must be a non-empty str"),
        ({"params": {"model": "other"}}, r"may not set \['model'\]"),
        ({"params": {"messages": []}}, r"may not set \['messages'\]"),
        ({"params": {"seed": 1}}, r"may not set \['seed'\]"),
        ({"params": {"top_p": object()}}, "must be plain JSON data"),
        # A seed outside 64 bits could not be sent: it failed at the first call.
        ({"seed": 2**70}, r"seed=...\) must be an int from 0 to 2\*\*63 - 1 or None, got 1180"),
        ({"seed": -1}, r"seed=...\) must be an int from 0 to 2\*\*63 - 1 or None, got -1"),
        ({"seed": 1.5}, r"seed=...\) must be an int"),
        # Accepted, then "Integer exceeds 64-bit range" at the first call.
        ({"max_tokens": 2**63}, r"max_tokens=...\) must be an int from 1 to 2\*\*63 - 1"),
    ],
)
def test_negotiator_arguments_that_would_be_sent_wrong_are_refused(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        LLMNegotiator(ScriptedBackend(["{}"]), name="n", **kwargs)


# -- the OpenAI-compatible client --------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((3, "m"), {}, r"base_url=...\) must be a str URL"),
        (("http://127.0.0.1:99999/v1", "m"), {}, "is not a URL: Port out of range"),
        (("http://user:secret@host/v1", "m"), {}, "must not hold credentials"),
        (("http://host/v1?key=1", "m"), {}, "no query or fragment"),
        (("http://host/v1", "m"), {"headers": {"X-A": "b\r\nX-Evil: 1"}}, "value of 'X-A'"),
        (("http://host/v1", "m"), {"headers": {"X A": "b"}}, "not an HTTP header name"),
        (("http://host/v1", "m"), {"headers": {"X-A": 1}}, "value of 'X-A'"),
        (("http://host/v1", "m"), {"api_key": "sk\nX-Evil: 1"}, "api_key=...\\) holds characters"),
        (("http://host/v1", "m"), {"api_key_env": ""}, r"api_key_env=...\) must be a non-empty"),
        (("http://host/v1", "m"), {"provider": ""}, r"provider=...\) must be a non-empty"),
    ],
)
def test_client_arguments_are_checked(
    args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        OpenAICompatible(*args, **kwargs)
    assert "secret" not in str(caught.value)


def _complete(backend: OpenAICompatible) -> Any:
    return asyncio.run(backend.complete(ChatRequest(({"role": "user", "content": "hi"},))))


def test_an_api_key_from_the_environment_cannot_inject_headers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PALAVER_TEST_KEY", "sk-1\r\nX-Evil: 1")
    backend = OpenAICompatible("http://127.0.0.1:9/v1", "m", api_key_env="PALAVER_TEST_KEY")
    with pytest.raises(BackendError) as caught:
        _complete(backend)
    assert caught.value.kind == "configuration" and not caught.value.retryable
    assert "$PALAVER_TEST_KEY" in str(caught.value) and "sk-1" not in str(caught.value)
    monkeypatch.setenv("PALAVER_TEST_KEY", "sk-\u20ac")  # not Latin-1: no raw UnicodeEncodeError
    with pytest.raises(BackendError, match="cannot carry"):
        _complete(backend)


@pytest.fixture
def raw_server() -> Iterator[Callable[[bytes], str]]:
    """A server answering every connection with fixed bytes (then closing); yields a URL maker."""
    sockets: list[socket.socket] = []

    def start(answer: bytes) -> str:
        listener = socket.create_server(("127.0.0.1", 0))
        sockets.append(listener)

        def serve() -> None:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                try:
                    conn.sendall(answer)
                    if answer.endswith(b"\r\n\r\n") and b"content-length" not in answer.lower():
                        block = b"x" * (1 << 20)
                        for _ in range(MAX_BODY_BYTES // len(block) + 2):
                            conn.sendall(block)
                except OSError:
                    pass

        threading.Thread(target=serve, daemon=True).start()
        return f"http://127.0.0.1:{listener.getsockname()[1]}/v1"

    yield start
    for s in sockets:
        s.close()


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFF\r\n",
        b"HTTP/1.0 200 OK\r\n\r\n",  # a body ended by closing, sent without end
    ],
)
def test_an_oversized_response_body_is_a_malformed_response(
    raw_server: Callable[[bytes], str], answer: bytes
) -> None:
    backend = OpenAICompatible(raw_server(answer), "m", timeout=30)
    with pytest.raises(BackendError) as caught:
        _complete(backend)
    assert caught.value.kind == "malformed_response"
    assert "bytes" in str(caught.value)


@pytest.mark.parametrize(
    "usage",
    [
        '{"prompt_tokens": -500}',
        '{"completion_tokens": 2.5}',
        '{"prompt_tokens": "12"}',
        '{"completion_tokens": true}',
    ],
)
def test_a_token_count_that_is_not_a_whole_number_is_a_malformed_response(
    raw_server: Callable[[bytes], str], usage: str
) -> None:
    # A count of -500 was taken as it came, paying token budgets back.
    body = (
        '{"choices": [{"message": {"content": "hi"}, "finish_reason": "stop"}], '
        f'"usage": {usage}}}'
    ).encode()
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    backend = OpenAICompatible(raw_server(answer), "m", timeout=30)
    with pytest.raises(BackendError) as caught:
        _complete(backend)
    assert caught.value.kind == "malformed_response"


# -- the cache file and the model's replies ----------------------------------------


@pytest.mark.parametrize(
    "record",
    [
        '{"key": "k", "response": {"content": null}}',
        '{"key": "k", "response": {"content": "hi", "input_tokens": "12"}}',
        '{"key": "k", "response": {"content": "hi", "output_tokens": true}}',
        '{"key": "k", "error": {"kind": "http", "retryable": "false"}}',
        '{"key": "k", "error": {"kind": "http", "status": "429"}}',
        '{"key": "k", "error": {"kind": 3}}',
    ],
)
def test_a_cache_record_of_the_wrong_types_is_refused_naming_the_line(
    tmp_path: Path, record: str
) -> None:
    # Fields were converted: a null content replayed as the text "None",
    # retryable "false" as True.
    cache = tmp_path / "llm_cache.jsonl"
    good = '{"key": "k", "response": {"content": "hi", "input_tokens": 3}}'
    cache.write_text(f"{good}\n{record}\n")
    with pytest.raises(CacheFileError, match=r"llm_cache\.jsonl, line 2: not a response-cache"):
        ResponseCache(cache)
    cache.write_text(f"{good}\n")
    assert len(ResponseCache(cache)) == 1


@pytest.mark.parametrize(
    "make",
    [
        lambda: ResponseCache(offline="no"),
        lambda: LLMNegotiator(ScriptedBackend(["{}"]), name="n", describe_preferences="false"),
    ],
)
def test_flags_are_not_read_by_truthiness(make: Callable[[], Any]) -> None:
    # offline="no" was True (every call refused); describe_preferences="false" was True.
    with pytest.raises(ValueError, match=r"=\.\.\.\) must be True or False, got '(no|false)'"):
        make()


def test_a_cache_file_with_a_huge_line_is_refused_without_reading_it(tmp_path: Path) -> None:
    cache = tmp_path / "llm_cache.jsonl"
    with open(cache, "wb") as f:  # sparse: one 2 GB line of zero bytes
        f.seek(2 << 30)
        f.write(b"\n")
    started = time.process_time()
    with pytest.raises(CacheFileError, match=r"llm_cache\.jsonl, line 1: longer than"):
        ResponseCache(cache)
    assert time.process_time() - started < 5
    dangling = tmp_path / "gone.jsonl"
    dangling.symlink_to(tmp_path / "nowhere" / "x.jsonl")
    with pytest.raises(CacheFileError, match=r"gone\.jsonl: cannot read"):
        ResponseCache(dangling)


@pytest.mark.parametrize("text", ["{" * 20_000, '{"a":' * 10_000, "x{" * 20_000, '"{' * 20_000])
def test_finding_the_json_in_a_garbled_reply_takes_bounded_time(text: str) -> None:
    started = time.process_time()
    with pytest.raises(ReplyError):
        extract_json(text)
    assert time.process_time() - started < 1.0


def test_a_huge_reply_is_refused_and_prose_around_json_still_works() -> None:
    with pytest.raises(ReplyError, match="more than the"):
        extract_json("{" + " " * MAX_REPLY_CHARS + "}")
    assert extract_json('Sure! {"offer": {"p": 1}} Hope {this} helps') == {"offer": {"p": 1}}
    assert extract_json('{broken} then {"a": {"b": "}"}}') == {"a": {"b": "}"}}
    with pytest.raises(ReplyError):
        extract_json('{"a": NaN}')


# -- literature scenarios and the runner -------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: buy_sell(seller_cost="a"), r"buy_sell\(seller_cost=...\) must be an integer >= 0"),
        (lambda: buy_sell(seller_cost=1.5), r"buy_sell\(seller_cost=...\) must be an int"),
        (lambda: buy_sell(n_steps=0), r"buy_sell\(n_steps=...\) must be an integer >= 1"),
        (lambda: rental(n_steps="x"), r"rental\(n_steps=...\) must be an integer >= 1"),
        (lambda: buy_sell().negotiation(3), "negotiators must map each role"),
        (lambda: scenario_metrics(3, buy_sell()), r"scenario_metrics\(events=...\)"),
        (lambda: scenario_metrics([], None), r"scenario_metrics\(scenario=...\)"),
        (lambda: run_negotiations(3), "items must be a list of mechanisms or worlds"),
        (lambda: run_negotiations([3]), r"items\[0\] must be a mechanism or a world"),
        (lambda: run_negotiations([], sink=3), "sink must have an emit"),
    ],
)
def test_scenarios_and_runner_check_their_arguments(make: Callable[[], Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_a_cache_that_cannot_be_written_is_a_cache_file_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(CacheFileError, match=r"a-file is not a folder"):
        ResponseCache(tmp_path / "a-file" / "llm_cache.jsonl")
    cache = ResponseCache(tmp_path / "sub" / "llm_cache.jsonl")
    (tmp_path / "sub").write_text("x")  # the folder's place taken after the check
    with pytest.raises(CacheFileError, match=r"cannot write the response cache .*sub"):
        cache.put("key", ChatResponse("hi"), {"model": "m"})


def test_a_burst_without_its_rate_is_refused() -> None:
    with pytest.raises(ValueError, match=r"burst_requests=...\) needs requests_per_minute"):
        RateLimit(burst_requests=5)
    with pytest.raises(ValueError, match=r"burst_tokens=...\) needs tokens_per_minute"):
        RateLimit(requests_per_minute=60, burst_tokens=5)
    assert RateLimit(requests_per_minute=60, burst_requests=2).requests_per_minute == 60


def test_an_event_log_under_a_file_is_refused_when_made(tmp_path: Path) -> None:
    """It was taken, and the negotiator's first event failed mid-negotiation
    with a bare NotADirectoryError."""
    from palaver.llm import LLMEventLog

    (tmp_path / "a-file").write_text("x")
    with pytest.raises(ValueError, match=r"must be a folder, .*x\.d': '.*a-file' is a file"):
        LLMEventLog(tmp_path / "a-file" / "x.d")
    with pytest.raises(ValueError, match=r"a-file': it is not a folder"):
        LLMEventLog(tmp_path / "a-file")
    with pytest.raises(ValueError, match="must be a folder"):
        LLMNegotiator(ScriptedBackend(["{}"]), name="n", event_log=tmp_path / "a-file" / "log")
    assert LLMEventLog(tmp_path / "new" / "log").folder == tmp_path / "new" / "log"


@posix_only
def test_reading_an_event_log_refuses_a_fifo_without_blocking(
    tmp_path: Path, within: Within
) -> None:
    """read() read each file with read_bytes(): a FIFO among them blocked it for ever."""
    from palaver.llm import LLMEventLog

    log = LLMEventLog(tmp_path)
    os.mkfifo(tmp_path / "llm_events-1.jsonl")
    error = within(10, log.read)
    assert isinstance(error, ValueError), error
    assert "llm_events-1.jsonl' is a FIFO" in str(error)


def test_a_script_returning_no_text_fails_at_once_not_as_a_temporary_error() -> None:
    backend = ScriptedBackend(lambda request: 42)  # type: ignore[arg-type, return-value]
    with pytest.raises(BackendError, match="returned 42, not a str") as caught:
        asyncio.run(backend.complete(ChatRequest(({"role": "user", "content": "hi"},))))
    assert not caught.value.retryable  # retrying would only ask the script again


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"content": None}, r"ChatResponse\(content=\.\.\.\) must be a str, got None"),
        ({"content": b"{}"}, r"ChatResponse\(content=\.\.\.\) must be a str, got b'\{\}'"),
        ({"finish_reason": None}, r"ChatResponse\(finish_reason=\.\.\.\) must be a str"),
        ({"model": 3}, r"ChatResponse\(model=\.\.\.\) must be a str, got 3"),
        ({"id": [1]}, r"ChatResponse\(id=\.\.\.\) must be a str, got \[1\]"),
        (
            {"input_tokens": "5"},
            r"ChatResponse\(input_tokens=\.\.\.\) must be an int >= 0, got '5'",
        ),
        ({"output_tokens": True}, r"ChatResponse\(output_tokens=\.\.\.\) must be an int >= 0"),
        ({"output_tokens": math.nan}, r"ChatResponse\(output_tokens=\.\.\.\) .* got nan"),
        ({"input_tokens": -5}, r"ChatResponse\(input_tokens=\.\.\.\) must be an int >= 0, got -5"),
    ],
)
def test_a_backend_building_a_malformed_response_is_a_recorded_backend_error(
    fields: dict[str, Any], message: str
) -> None:
    # A content of None from a user's backend failed inside prompt building
    # ("sequence item 2: expected str instance, NoneType found"), a token count of
    # "5" inside the budget's sums; -5 was taken and paid budgets back.
    class Custom:
        name = "custom"
        provider = "me"
        model = "m"
        timeout = None
        rate_limit = None

        async def complete(self, request: ChatRequest) -> ChatResponse:
            return ChatResponse(**{"content": offer(50), **fields})

    negotiator = LLMNegotiator(Custom(), name="seller")
    mechanism, sink = price_negotiation(negotiator)
    with pytest.raises(Exception, match=message):
        mechanism.run()
    replies = [e for e in sink.events if e.type == LLM_RESPONSE]
    assert replies and replies[-1].payload["error.type"] == "backend"
    assert re.search(message, replies[-1].payload["error"])


def test_a_number_past_the_float_range_in_a_reply_is_an_unusable_reply() -> None:
    # JSON numbers have no size limit: an offer of 10**400 raised OverflowError
    # from math.isfinite, and a "message" of 10**400 TypeError from orjson
    # ("Integer exceeds 64-bit range"), each ending the negotiation as the
    # negotiator's crash instead of a reply the model is asked to correct.
    big = 10**400
    huge = str(big)
    script = [
        json.dumps({"offer": {"price": big}}),
        json.dumps({"offer": {"price": 60}, "message": big}),
        decide("accept"),
    ]
    negotiator = LLMNegotiator(ScriptedBackend(script), name="seller", retry_delay=0.0)
    mechanism, sink = price_negotiation(negotiator, n_steps=2)
    state = mechanism.run()
    assert not state.has_error, state.error_details
    calls = [e.payload for e in sink.events if e.type == LLM_RESPONSE]
    assert [(c["purpose"], c["call"]) for c in calls[:2]] == [("propose", 1), ("propose", 2)]
    offers = [e.payload for e in sink.events if e.type == "offer"]
    assert offers[0] == {"round": 0, "negotiator": "seller", "outcome": (60,)}
    for text, pattern in (
        (json.dumps({"offer": {"price": big}}), "must be an integer from 0 to 100, got 1000"),
        (json.dumps({"offer": {"price": -big}}), "must be an integer from 0 to 100, got -1000"),
    ):
        with pytest.raises(ReplyError, match=pattern):
            parse_proposal(extract_json(text), make_os([make_issue((0, 100), "price")]))
    with pytest.raises(ReplyError, match=r"must be between 0\.0 and 1\.0"):
        parse_proposal(
            extract_json(json.dumps({"offer": {"price": big}})),
            make_os([make_issue((0.0, 1.0), "price")]),
        )
    assert text_field(extract_json(json.dumps({"message": big})), "message") == huge


class _Backend:
    """A user's backend with every attribute a negotiator reads (tests change one)."""

    name = "custom"
    provider = "me"
    model = "m"
    timeout: Any = None
    rate_limit: Any = None

    async def complete(self, request: ChatRequest) -> ChatResponse:
        return ChatResponse(content=offer(50))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"timeout": "10"}, "the backend's timeout must be a positive finite number, got '10'"),
        ({"timeout": -1.0}, "the backend's timeout must be a positive finite number, got -1.0"),
        ({"rate_limit": 5}, "the backend's rate_limit must be a RateLimit or None, got 5 (int)"),
        ({"complete": 5}, "the backend's complete must be an async method complete(request)"),
        ({"model": None}, "the backend's model must be a str, got None (NoneType)"),
    ],
)
def test_a_backend_is_checked_when_the_negotiator_is_made(
    changes: dict[str, Any], message: str
) -> None:
    # Each failed only at the first model call, inside the negotiation: an
    # AttributeError ('int' object has no attribute 'acquire'), a TypeError
    # ("unsupported operand type(s) for +: 'float' and 'str'", "'int' object is
    # not callable").
    backend = type("Changed", (_Backend,), changes)()
    with pytest.raises(ValueError, match=re.escape(message)):
        LLMNegotiator(backend, name="seller")

    class Partial:  # the documented attributes, two of them forgotten
        name, provider, model = "p", "me", "m"
        complete = _Backend.complete

    with pytest.raises(ValueError, match="without timeout, rate_limit"):
        LLMNegotiator(Partial(), name="seller")
    LLMNegotiator(_Backend(), name="seller")


def test_a_backend_whose_complete_is_not_async_is_a_recorded_backend_error() -> None:
    # "object ChatResponse can't be used in 'await' expression" said nothing of async.
    class Sync(_Backend):
        def complete(self, request: ChatRequest) -> ChatResponse:  # type: ignore[override]
            return ChatResponse(content=offer(50))

    mechanism, sink = price_negotiation(LLMNegotiator(Sync(), name="seller"))
    with pytest.raises(Exception, match="instead of an awaitable: a Backend's complete is an"):
        mechanism.run()
    replies = [e for e in sink.events if e.type == LLM_RESPONSE]
    assert replies and replies[-1].payload["error.type"] == "backend"

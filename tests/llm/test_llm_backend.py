"""OpenAICompatible against the stub server: answers, errors, headers, keys."""

from __future__ import annotations

import asyncio
import json
import socket

import pytest

from palaver.llm import BackendError, ChatRequest, OpenAICompatible
from palaver.llm.testing import StubReply, StubServer

REQUEST = ChatRequest(({"role": "user", "content": "hello there"},), {"temperature": 0.5})


def complete(backend: OpenAICompatible, request: ChatRequest = REQUEST):
    return asyncio.run(backend.complete(request))


def test_answer_is_parsed_with_usage_and_the_request_is_well_formed(server: StubServer) -> None:
    server.script([StubReply("hi!", input_tokens=11, output_tokens=3, finish_reason="length")])
    backend = OpenAICompatible(server.base_url, "stub-model", timeout=5)
    response = complete(backend)
    assert response.content == "hi!"
    assert (response.input_tokens, response.output_tokens) == (11, 3)
    assert response.finish_reason == "length"
    assert response.model == "stub-model" and response.id.startswith("chatcmpl-stub-")
    body = server.requests[0]
    assert body["model"] == "stub-model" and body["temperature"] == 0.5
    assert body["messages"] == [{"role": "user", "content": "hello there"}]


def test_connections_are_kept_alive_between_calls(server: StubServer) -> None:
    server.script(["a", "b", "c"])
    backend = OpenAICompatible(server.base_url, "m", timeout=5)

    async def three() -> list[str]:
        return [(await backend.complete(REQUEST)).content for _ in range(3)]

    assert asyncio.run(three()) == ["a", "b", "c"]
    assert all(h.get("connection") == "keep-alive" for h in server.headers)


def test_api_key_comes_from_the_environment(
    server: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.script(["x", "y", "z"])
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    complete(OpenAICompatible(server.base_url, "m"))
    assert server.headers[-1]["authorization"] == "Bearer sk-from-env"
    monkeypatch.delenv("OPENAI_API_KEY")
    complete(OpenAICompatible(server.base_url, "m"))
    assert "authorization" not in server.headers[-1]
    backend = OpenAICompatible(server.base_url, "m", api_key="sk-explicit")
    complete(backend)
    assert server.headers[-1]["authorization"] == "Bearer sk-explicit"
    assert "sk-explicit" not in repr(backend)


@pytest.mark.parametrize(
    ("reply", "kind", "retryable"),
    [
        (StubReply(status=429, content="slow down"), "http", True),
        (StubReply(status=503), "http", True),
        (StubReply(status=400, content="bad request"), "http", False),
        (StubReply(status=401), "http", False),
        (StubReply(malformed=True), "malformed_response", True),
        (StubReply(drop=True), "malformed_response", True),
    ],
)
def test_failures_become_backend_errors(
    server: StubServer, reply: StubReply, kind: str, retryable: bool
) -> None:
    server.script([reply])
    with pytest.raises(BackendError) as caught:
        complete(OpenAICompatible(server.base_url, "m", timeout=5))
    assert caught.value.kind == kind and caught.value.retryable is retryable
    if kind == "http":
        assert caught.value.status == reply.status and str(reply.status) in str(caught.value)


def test_unreachable_server_is_a_connection_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(BackendError) as caught:
        complete(OpenAICompatible(f"http://127.0.0.1:{port}/v1", "m", timeout=5))
    assert caught.value.kind == "connection" and caught.value.retryable


def test_content_is_the_models_text_verbatim(server: StubServer) -> None:
    server.script(lambda body: StubReply(json.dumps({"no": "choices"})))
    backend = OpenAICompatible(server.base_url, "m")
    assert complete(backend).content == '{"no": "choices"}'  # content is the model's text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base_url": "ftp://x", "model": "m"}, "base_url"),
        ({"base_url": "http://127.0.0.1:1/v1", "model": ""}, "model"),
        ({"base_url": "http://127.0.0.1:1/v1", "model": "m", "timeout": 0}, "timeout"),
        ({"base_url": "http://127.0.0.1:1/v1", "model": "m", "timeout": float("inf")}, "timeout"),
        (
            {"base_url": "http://127.0.0.1:1/v1", "model": "m", "max_connections": 0},
            "max_connections",
        ),
        ({"base_url": "http://127.0.0.1:1/v1", "model": "m", "rate_limit": 5}, "rate_limit"),
    ],
)
def test_bad_arguments_raise_naming_them(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OpenAICompatible(**kwargs)


def test_backend_survives_pickling(server: StubServer) -> None:
    import pickle

    server.script(["again"])
    backend = pickle.loads(pickle.dumps(OpenAICompatible(server.base_url, "m", timeout=5)))
    assert complete(backend).content == "again"


def test_stub_server_reports_a_failing_responder_as_http_500(server: StubServer) -> None:
    def broken(body: dict) -> str:
        raise KeyError("oops")

    server.script(broken)
    with pytest.raises(BackendError, match="responder raised KeyError") as caught:
        complete(OpenAICompatible(server.base_url, "m", timeout=5))
    assert caught.value.status == 500
    server.script(lambda body: 42)  # type: ignore[arg-type, return-value]
    with pytest.raises(BackendError, match="responder returned 42"):
        complete(OpenAICompatible(server.base_url, "m", timeout=5))
    with pytest.raises(ValueError, match="StubReply"):
        server.script([1, 2])

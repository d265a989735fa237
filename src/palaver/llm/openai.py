"""A client for OpenAI-compatible chat-completions endpoints (hosted or local)."""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit

import orjson

from palaver.llm.backends import check_timeout
from palaver.llm.http import HTTPClient, ProtocolError
from palaver.llm.limits import RateLimit
from palaver.llm.types import BackendError, ChatRequest, ChatResponse

_RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
# RFC 9110 token characters: what a header name may hold.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _header_safe(value: str) -> bool:
    """Whether ``value`` can be an HTTP header value as is (no CR/LF header injection)."""
    return all(c == "\t" or (32 <= ord(c) <= 255 and ord(c) != 127) for c in value)


def _check_base_url(base_url: Any) -> None:
    if not isinstance(base_url, str):
        raise ValueError(f"OpenAICompatible(base_url=...) must be a str URL, got {base_url!r}")
    try:
        parts = urlsplit(base_url)
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError as exc:
        raise ValueError(
            f"OpenAICompatible(base_url=...) {base_url!r} is not a URL: {exc}"
        ) from None
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            "OpenAICompatible(base_url=...) must not hold credentials (user:password@); "
            "give the key as api_key= or in the environment"
        )
    if parts.query or parts.fragment:
        raise ValueError(
            f"OpenAICompatible(base_url=...) must have no query or fragment, got {base_url!r}"
        )


class OpenAICompatible:
    """Calls ``POST {base_url}/chat/completions``: OpenAI, vLLM, llama.cpp, Ollama, ...

    Args:
        base_url: The API root, e.g. ``"https://api.openai.com/v1"`` or
            ``"http://127.0.0.1:11434/v1"`` (Ollama).
        model: The model name sent with each request.
        api_key: The key, when not in the environment. Never recorded, never
            cached, masked in ``repr``. ``None`` reads ``api_key_env`` at each
            call; with neither, no ``Authorization`` header is sent (local servers).
        timeout: Seconds one call may take, connection included, before it is
            cancelled and its connection closed (``None``: no limit; not advised).
        api_key_env: The environment variable holding the key.
        provider: The ``gen_ai.provider.name`` recorded (``"openai"``, ``"vllm"``, ...).
        max_connections: Calls in flight at once; more wait for a connection.
        rate_limit: Requests / tokens per minute shared by every call through
            this backend (see :class:`RateLimit`).
        headers: Extra HTTP headers (e.g. an organisation id).
    """

    name = "openai-compatible"

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float | None = 60.0,
        *,
        api_key_env: str = "OPENAI_API_KEY",
        provider: str = "openai",
        max_connections: int = 64,
        rate_limit: RateLimit | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        if not isinstance(model, str) or not model:
            raise ValueError(f"OpenAICompatible(model=...) must be a non-empty str, got {model!r}")
        if api_key is not None and not isinstance(api_key, str):
            raise ValueError("OpenAICompatible(api_key=...) must be a str or None")
        if rate_limit is not None and not isinstance(rate_limit, RateLimit):
            raise ValueError(f"rate_limit must be a RateLimit or None, got {rate_limit!r}")
        _check_base_url(base_url)
        if api_key is not None and not _header_safe(api_key):
            raise ValueError(
                "OpenAICompatible(api_key=...) holds characters an HTTP header cannot carry "
                "(line breaks, control or non-Latin-1 characters)"
            )
        for name, value in (("api_key_env", api_key_env), ("provider", provider)):
            if not isinstance(value, str) or not value:
                raise ValueError(
                    f"OpenAICompatible({name}=...) must be a non-empty str, got {value!r}"
                )
        if headers is not None and not isinstance(headers, dict):
            raise ValueError(
                f"OpenAICompatible(headers=...) must be a dict or None, got {headers!r}"
            )
        for key, value in (headers or {}).items():
            if not (isinstance(key, str) and _TOKEN.fullmatch(key)):
                raise ValueError(
                    f"OpenAICompatible(headers=...): {key!r} is not an HTTP header name"
                )
            if not isinstance(value, str) or not _header_safe(value):
                raise ValueError(
                    f"OpenAICompatible(headers=...): the value of {key!r} must be a str without "
                    f"line breaks, control or non-Latin-1 characters, got {value!r}"
                )
        self.base_url = base_url
        self.model = model
        self.timeout = check_timeout(timeout, "OpenAICompatible")
        self.provider = provider
        self.rate_limit = rate_limit
        self.api_key_env = api_key_env
        self.headers = dict(headers or {})
        self._api_key = api_key
        self._http = HTTPClient(base_url, max_connections)
        self.max_connections = max_connections
        self.calls = 0

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        headers.update(self.headers)
        key = self._api_key if self._api_key is not None else os.environ.get(self.api_key_env)
        if key and not _header_safe(key):
            raise BackendError(
                "configuration",
                f"the API key in ${self.api_key_env} holds characters an HTTP header cannot "
                "carry (line breaks, control or non-Latin-1 characters)",
                retryable=False,
            )
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return headers

    async def complete(self, request: ChatRequest) -> ChatResponse:
        """Send the request; parse the first choice of the answer."""
        self.calls += 1
        body = orjson.dumps({"model": self.model, "messages": request.messages, **request.params})
        headers = self._headers()
        try:
            response = await self._http.request("POST", "/chat/completions", body, headers)
        except ProtocolError as exc:
            raise BackendError("malformed_response", str(exc)) from exc
        except OSError as exc:
            raise BackendError("connection", f"{type(exc).__name__}: {exc}") from exc
        if response.status != 200:
            text = response.body[:300].decode("utf-8", "replace")
            raise BackendError(
                "http",
                f"HTTP {response.status} from {self.base_url}: {text}",
                status=response.status,
                retryable=response.status in _RETRYABLE_STATUS,
            )
        return _parse(response.body)

    def close(self) -> None:
        """Close idle connections."""
        self._http.close()

    def __getstate__(self) -> dict[str, Any]:
        # Sockets stay behind; a copy (e.g. in a worker process) opens its own.
        state = dict(self.__dict__)
        del state["_http"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._http = HTTPClient(self.base_url, self.max_connections)

    def __repr__(self) -> str:
        key = "***" if self._api_key else None
        return f"OpenAICompatible(base_url={self.base_url!r}, model={self.model!r}, api_key={key})"


def _parse(body: bytes) -> ChatResponse:
    try:
        data = orjson.loads(body)
        choice = data["choices"][0]
        content = choice["message"].get("content") or ""
        usage = data.get("usage") or {}
        if not isinstance(content, str):
            raise TypeError("message content is not text")
        return ChatResponse(
            content=content,
            finish_reason=str(choice.get("finish_reason") or "unknown"),
            input_tokens=_tokens(usage, "prompt_tokens"),
            output_tokens=_tokens(usage, "completion_tokens"),
            model=str(data.get("model") or ""),
            id=str(data.get("id") or ""),
            usage_reported=all(
                usage.get(key) is not None for key in ("prompt_tokens", "completion_tokens")
            ),
        )
    except (orjson.JSONDecodeError, KeyError, IndexError, TypeError, ValueError, AttributeError):
        snippet = body[:200].decode("utf-8", "replace")
        raise BackendError(
            "malformed_response", f"not a chat-completions response: {snippet!r}"
        ) from None


def _tokens(usage: dict[str, Any], key: str) -> int:
    """A token count of the usage block: a whole number >= 0 (0 when absent); else
    ``ValueError`` (a count of -500 was taken, and paid budgets back)."""
    value = usage.get(key)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"usage.{key} {value!r} is not a whole number >= 0")
    return int(value)

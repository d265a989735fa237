"""The request and response of one chat completion, and the errors of ``palaver.llm``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from palaver.outcomes import Outcome as Outcome  # re-exported for the llm modules


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """One chat-completions request.

    Attributes:
        messages: The conversation, ``[{"role": "system" | "user" | "assistant",
            "content": str}, ...]``.
        params: Sampling parameters sent with it (``temperature``, ``max_tokens``,
            ``seed``, ``response_format``, ...), plain JSON data.
    """

    messages: tuple[dict[str, str], ...]
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Made by Palaver for each call, and by users testing a Backend of their
        # own: a wrong shape would fail inside that backend, naming neither.
        if not isinstance(self.messages, tuple | list) or not self.messages:
            raise TypeError(
                "ChatRequest(messages=...) must be a non-empty tuple of dicts with a str "
                f"'role' and a str 'content', got {self.messages!r:.80}"
            )
        for i, message in enumerate(self.messages):
            if not (
                isinstance(message, dict)
                and isinstance(message.get("role"), str)
                and isinstance(message.get("content"), str)
            ):
                raise TypeError(
                    f"ChatRequest(messages[{i}]=...) must be a dict with a str 'role' and a "
                    f"str 'content', got {message!r:.80}"
                )
        if not isinstance(self.params, dict):
            raise TypeError(f"ChatRequest(params=...) must be a dict, got {self.params!r:.80}")


@dataclass(frozen=True, slots=True)
class ChatResponse:
    """What a backend answered.

    Attributes:
        content: The assistant message's text.
        finish_reason: Why generation stopped (``"stop"``, ``"length"``, ...).
        input_tokens: Prompt tokens as counted by the server (0 when it did not say).
        output_tokens: Completion tokens as counted by the server (0 when it did not say).
        model: The model that answered, as the server names it.
        id: The server's id of the completion (``""`` when none).
        usage_reported: Whether the server said how many tokens the call used;
            ``False`` when its answer had no usage counts (the counts are then
            0, and the caller charges budgets an estimate, recorded as one).
    """

    content: str
    finish_reason: str = "stop"
    input_tokens: int = 0
    output_tokens: int = 0
    model: str = ""
    id: str = ""
    usage_reported: bool = True

    def __post_init__(self) -> None:
        # A Backend is user code: a content of None or a token count of "5" made by
        # its complete() failed later, inside prompt building or a budget's sums,
        # with a message naming neither the field nor the value.
        for name in ("content", "finish_reason", "model", "id"):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise TypeError(f"ChatResponse({name}=...) must be a str, got {value!r:.80}")
        for name in ("input_tokens", "output_tokens"):
            n = getattr(self, name)
            if isinstance(n, bool) or not isinstance(n, int):
                raise TypeError(f"ChatResponse({name}=...) must be an int >= 0, got {n!r:.80}")
            if n < 0:
                raise ValueError(f"ChatResponse({name}=...) must be an int >= 0, got {n!r}")
        if not isinstance(self.usage_reported, bool):
            raise TypeError(
                f"ChatResponse(usage_reported=...) must be a bool, got {self.usage_reported!r:.80}"
            )

    def to_json(self) -> dict[str, Any]:
        """The response as plain data (what the cache stores; ``usage_reported``
        only when false, so that caches written before it stay as they were)."""
        data: dict[str, Any] = {
            "content": self.content,
            "finish_reason": self.finish_reason,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "model": self.model,
            "id": self.id,
        }
        if not self.usage_reported:
            data["usage_reported"] = False
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChatResponse:
        """The inverse of :meth:`to_json`; ``TypeError`` for a field of the wrong type
        (a ``null`` content was read as the text ``"None"``)."""
        return cls(
            content=_typed(data, "content", str),
            finish_reason=_typed(data, "finish_reason", str, "stop"),
            input_tokens=_typed(data, "input_tokens", int, 0),
            output_tokens=_typed(data, "output_tokens", int, 0),
            model=_typed(data, "model", str, ""),
            id=_typed(data, "id", str, ""),
            usage_reported=_typed(data, "usage_reported", bool, True),
        )


_MISSING: Any = object()


def _typed(data: dict[str, Any], key: str, kind: type, default: Any = _MISSING) -> Any:
    """``data[key]`` when it is a ``kind`` (never a bool for ``int``), else ``TypeError``;
    ``default`` when the key is absent and a default is given (else ``KeyError``)."""
    if key not in data and default is not _MISSING:
        return default
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"{key} must be a {kind.__name__}, got {value!r}")
    return value


class LLMError(Exception):
    """Base class of the errors raised by ``palaver.llm``."""


class BackendError(LLMError):
    """A model call failed.

    Attributes:
        kind: ``"timeout"``, ``"connection"``, ``"http"``, ``"malformed_response"``,
            ``"configuration"`` (e.g. an API key a header cannot carry),
            ``"scripted"`` or ``"cache_miss"`` (the ``error.type`` recorded).
        status: The HTTP status, when there was one.
        retryable: Whether trying again may help (timeouts, connection errors,
            HTTP 408/409/429/5xx and malformed bodies are; other 4xx are not).
    """

    def __init__(
        self, kind: str, message: str, *, status: int | None = None, retryable: bool = True
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.retryable = retryable

    def to_json(self) -> dict[str, Any]:
        """The error as plain data (what the cache stores)."""
        return {
            "kind": self.kind,
            "message": str(self),
            "status": self.status,
            "retryable": self.retryable,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BackendError:
        """The inverse of :meth:`to_json`."""
        status = data.get("status")
        if status is not None:
            status = _typed(data, "status", int)
        return cls(
            _typed(data, "kind", str),
            _typed(data, "message", str, ""),
            status=status,
            retryable=_typed(data, "retryable", bool, True),
        )


class CacheMissError(BackendError):
    """An offline cache was asked for a response it does not hold."""

    def __init__(self, message: str) -> None:
        super().__init__("cache_miss", message, retryable=False)


class LLMCallError(LLMError):
    """A negotiator's model call failed for good (after its retries)."""


class InvalidReplyError(LLMError):
    """The model's replies could not be used, after the allowed re-asks."""


class CacheFileError(LLMError):
    """A response-cache file is damaged or not a cache file (the message names it)."""

"""The backend protocol and the scripted backend (for tests and teaching)."""

from __future__ import annotations

import asyncio
import math
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from palaver._util.checks import check_real
from palaver.llm.limits import RateLimit
from palaver.llm.types import BackendError, ChatRequest, ChatResponse


@runtime_checkable
class Backend(Protocol):
    """What a negotiator needs from a language model.

    Attributes:
        name: The backend's kind, part of the response-cache key
            (``"openai-compatible"``, ``"scripted"``): a cache recorded against a
            hosted API replays against a local server of the same kind.
        provider: The ``gen_ai.provider.name`` recorded with each call.
        model: The model asked (``gen_ai.request.model``).
        timeout: Seconds one call may take before it is cancelled (``None``: no limit).
        rate_limit: The :class:`RateLimit` shared by every call through it, or ``None``.
    """

    name: str
    provider: str
    model: str
    timeout: float | None
    rate_limit: RateLimit | None

    async def complete(self, request: ChatRequest) -> ChatResponse:
        """Answer one request; raise :class:`~palaver.llm.BackendError` on failure."""
        ...


def estimate_tokens(text: str) -> int:
    """A rough token count (characters / 4), used before the server says the real one."""
    return len(text) // 4 + 1


def check_timeout(timeout: float | None, owner: str) -> float | None:
    """Validate a ``timeout=`` argument (positive finite seconds or ``None``)."""
    if timeout is None:
        return None
    return check_real(f"{owner}(timeout=...)", timeout, positive=True, type_error=ValueError)


@dataclass(frozen=True, slots=True)
class ScriptedReply:
    """One scripted answer: its text, how long it takes, and what it reports.

    Attributes:
        content: The assistant's text.
        delay: Seconds before answering (a timeout shorter than this fires).
        error: When set, the call fails with a :class:`BackendError` of this kind.
        input_tokens: Reported prompt tokens (default: an estimate from the prompt).
        output_tokens: Reported completion tokens (default: an estimate from ``content``).
        finish_reason: Reported finish reason.
    """

    content: str = ""
    delay: float = 0.0
    error: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    finish_reason: str = "stop"

    def __post_init__(self) -> None:
        if not isinstance(self.content, str):
            raise ValueError(f"ScriptedReply(content=...) must be a str, got {self.content!r}")
        d = self.delay
        if isinstance(d, bool) or not isinstance(d, int | float) or not 0 <= d < math.inf:
            raise ValueError(f"ScriptedReply(delay=...) must be seconds >= 0, got {d!r}")
        if self.error is not None and (not isinstance(self.error, str) or not self.error):
            raise ValueError(
                f"ScriptedReply(error=...) must be a non-empty str or None, got {self.error!r}"
            )
        for name in ("input_tokens", "output_tokens"):
            n = getattr(self, name)
            if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
                raise ValueError(
                    f"ScriptedReply({name}=...) must be an int >= 0 or None, got {n!r}"
                )
        if not isinstance(self.finish_reason, str):
            raise ValueError(
                f"ScriptedReply(finish_reason=...) must be a str, got {self.finish_reason!r}"
            )


Script = Iterable[str | ScriptedReply] | Callable[[ChatRequest], str | ScriptedReply]


class ScriptedBackend:
    """A backend that answers from a script: a list of replies, or a function of the request.

    A list is consumed in order, one reply per call, across every negotiator
    using the backend; a function is called with each :class:`ChatRequest`.
    When the list runs out, calls fail (a non-retryable ``BackendError``).
    :attr:`calls` counts the calls it answered or failed.
    """

    name = "scripted"
    provider = "palaver.scripted"

    def __init__(
        self,
        script: Script,
        model: str = "scripted",
        timeout: float | None = None,
        rate_limit: RateLimit | None = None,
    ) -> None:
        if callable(script):
            self._function: Callable[[ChatRequest], str | ScriptedReply] | None = script
            self._replies: list[str | ScriptedReply] = []
        else:
            self._function = None
            if isinstance(script, str | bytes | Mapping):
                # list() would split a string into one-letter replies, or take a dict's keys.
                raise ValueError(
                    f"ScriptedBackend(script=...) takes a list of replies or a function, "
                    f"got {type(script).__name__} {script!r:.80}; wrap one reply in a list"
                )
            try:
                self._replies = list(script)
            except TypeError:
                raise ValueError(
                    f"ScriptedBackend(script=...) takes a list of replies or a function, "
                    f"got {script!r}"
                ) from None
            for reply in self._replies:
                if not isinstance(reply, str | ScriptedReply):
                    raise ValueError(
                        f"a scripted reply must be a str or a ScriptedReply, got {reply!r}"
                    )
        if rate_limit is not None and not isinstance(rate_limit, RateLimit):
            raise ValueError(f"rate_limit must be a RateLimit or None, got {rate_limit!r}")
        if not isinstance(model, str) or not model:
            # The model is part of every response-cache key and recorded call.
            raise ValueError(f"ScriptedBackend(model=...) must be a non-empty str, got {model!r}")
        self.model = model
        self.timeout = check_timeout(timeout, "ScriptedBackend")
        self.rate_limit = rate_limit
        self.calls = 0
        self._next = 0
        self._lock = threading.Lock()

    def _take(self, request: ChatRequest) -> str | ScriptedReply:
        with self._lock:
            self.calls += 1
            if self._function is not None:
                return self._function(request)
            if self._next >= len(self._replies):
                raise BackendError(
                    "scripted",
                    f"the script of {len(self._replies)} replies is exhausted",
                    retryable=False,
                )
            reply = self._replies[self._next]
            self._next += 1
            return reply

    async def complete(self, request: ChatRequest) -> ChatResponse:
        """Answer with the next scripted reply (after its delay)."""
        reply = self._take(request)
        if isinstance(reply, str):
            reply = ScriptedReply(reply)
        elif not isinstance(reply, ScriptedReply):
            # The script's own mistake: asking again would get the same answer.
            raise BackendError(
                "scripted",
                f"the script returned {reply!r}, not a str or a ScriptedReply",
                retryable=False,
            )
        if reply.delay > 0:
            await asyncio.sleep(reply.delay)
        if reply.error is not None:
            raise BackendError(reply.error, f"scripted {reply.error}")
        prompt = "".join(m["content"] for m in request.messages)
        return ChatResponse(
            content=reply.content,
            finish_reason=reply.finish_reason,
            input_tokens=(
                reply.input_tokens if reply.input_tokens is not None else estimate_tokens(prompt)
            ),
            output_tokens=(
                reply.output_tokens
                if reply.output_tokens is not None
                else estimate_tokens(reply.content)
            ),
            model=self.model,
        )

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        # No call count: a tournament's setup digest includes this text.
        return f"ScriptedBackend(model={self.model!r})"

"""One logical model call: budget, cache, rate limit, timeout, retries, and its events."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable, Sequence
from typing import Any

from palaver.llm.backends import Backend, estimate_tokens
from palaver.llm.cache import ResponseCache, cache_key
from palaver.llm.limits import Budget, Spend
from palaver.llm.pricing import PriceTable
from palaver.llm.runtime import RUNTIME
from palaver.llm.types import (
    BackendError,
    CacheMissError,
    ChatRequest,
    ChatResponse,
    LLMCallError,
    LLMError,
)

#: Completion tokens assumed for a request that sets no ``max_tokens``.
DEFAULT_OUTPUT_ESTIMATE = 1024

#: The failures charged to budgets as if the call had cost its estimate: a
#: timed-out request may have reached the server, which bills it whether or not
#: the answer is read, and a malformed answer was sent by it. Refused (HTTP
#: errors) and unmade (connection, configuration) calls cost nothing.
CHARGED_FAILURES = frozenset({"timeout", "malformed_response"})

#: The event types of model calls.
LLM_REQUEST = "llm_request"
LLM_RESPONSE = "llm_response"

_REQUEST_ATTRIBUTES = {
    "temperature": "gen_ai.request.temperature",
    "max_tokens": "gen_ai.request.max_tokens",
    "top_p": "gen_ai.request.top_p",
    "seed": "gen_ai.request.seed",
    "stop": "gen_ai.request.stop_sequences",
    "frequency_penalty": "gen_ai.request.frequency_penalty",
    "presence_penalty": "gen_ai.request.presence_penalty",
}

Emit = Callable[[str, dict[str, Any]], None]


class BudgetExhaustedError(LLMError):
    """A call did not fit in a budget; :attr:`budget` is the one that was full."""

    def __init__(self, budget: Budget) -> None:
        spent = budget.snapshot()
        super().__init__(
            f"budget {budget.name!r} is exhausted: {spent['tokens']} of {budget.max_tokens} "
            f"tokens, {spent['usd']} of {budget.max_usd} USD spent"
        )
        self.budget = budget


class Caller:
    """Makes the model calls of one negotiator.

    Per attempt: reserve the estimate in every budget (each scaled by the
    budget's :attr:`~palaver.llm.Budget.ratio`) or stop with
    :class:`BudgetExhaustedError`, emit ``llm_request``, take the outcome from
    the cache or call the backend on the runtime loop (rate limit, then the
    call under its timeout), settle the budgets, emit ``llm_response``.
    Retryable failures are tried again up to ``max_retries`` times, waiting
    ``retry_delay * 2**k`` seconds (no wait when the failure came from the cache).
    """

    def __init__(
        self,
        backend: Backend,
        cache: ResponseCache | None,
        budgets: Sequence[Budget],
        prices: PriceTable,
        max_retries: int,
        retry_delay: float,
    ) -> None:
        self.backend = backend
        self.cache = cache
        self.budgets = tuple(budgets)
        self.prices = prices
        self.max_retries = max_retries
        self.retry_delay = retry_delay
        self.calls = 0

    def call(
        self,
        messages: list[dict[str, str]],
        params: dict[str, Any],
        seed: int | None,
        emit: Emit,
        context: dict[str, Any],
    ) -> ChatResponse:
        """Get one answer to ``messages``; raise :class:`LLMCallError` when it cannot."""
        backend = self.backend
        model = backend.model
        self.calls += 1
        call = self.calls
        request = ChatRequest(tuple(messages), params)
        key = cache_key(backend.name, model, params, messages, seed)
        prompt_tokens = estimate_tokens("".join(m["content"] for m in messages))
        output_tokens = int(params.get("max_tokens") or DEFAULT_OUTPUT_ESTIMATE)
        estimate = Spend(
            prompt_tokens + output_tokens, self.prices.cost(model, prompt_tokens, output_tokens)
        )
        for attempt in range(1, self.max_retries + 2):
            held = self._reserve(estimate)
            base = {**context, "call": call, "attempt": attempt, "gen_ai.request.model": model}
            emit(LLM_REQUEST, self._request_payload(base, messages, params, key))
            outcome, latency, cached = self._outcome(
                key, request, seed, prompt_tokens + output_tokens
            )
            used, estimated = self._usage(outcome, prompt_tokens, output_tokens)
            actual = cost = None
            if used is not None:
                cost = self.prices.cost(model, *used)
                actual = Spend(sum(used), cost)
            for budget, amount in zip(self.budgets, held, strict=True):
                # A guessed cost says nothing of how far off the estimates are.
                budget.settle(amount, actual, None if estimated else estimate)
            payload = self._response_payload(base, outcome, cost, latency)
            if used is not None:
                payload["gen_ai.usage.input_tokens"], payload["gen_ai.usage.output_tokens"] = used
                payload["cost_usd"] = cost
            payload["usage_estimated"] = estimated
            emit(LLM_RESPONSE, payload)
            if isinstance(outcome, ChatResponse):
                return outcome
            if not outcome.retryable or attempt > self.max_retries:
                raise LLMCallError(
                    f"model call {call} of {context.get('negotiator')!r} failed after "
                    f"{attempt} attempt(s): {outcome.kind}: {outcome}"
                ) from outcome
            if not cached and self.retry_delay > 0:
                time.sleep(self.retry_delay * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _usage(
        outcome: ChatResponse | BackendError, prompt_tokens: int, output_tokens: int
    ) -> tuple[tuple[int, int] | None, bool]:
        """The (input, output) tokens a call is charged, or ``None`` (nothing), and
        whether they are an estimate: the server's counts; for an answer without
        them, the prompt's estimate and the answer's (characters / 4); for a
        failure of :data:`CHARGED_FAILURES`, the call's estimate (prompt and
        ``max_tokens``, what it could have cost at most beyond the prompt)."""
        if isinstance(outcome, ChatResponse):
            if outcome.usage_reported:
                return (outcome.input_tokens, outcome.output_tokens), False
            # A count given alone is kept when larger than its estimate.
            return (
                max(outcome.input_tokens, prompt_tokens),
                max(outcome.output_tokens, estimate_tokens(outcome.content)),
            ), True
        if outcome.kind in CHARGED_FAILURES:
            return (prompt_tokens, output_tokens), True
        return None, False

    def _reserve(self, estimate: Spend) -> list[Spend]:
        """What every budget holds for the call; all or none (then the call is not made)."""
        held: list[Spend] = []
        for budget in self.budgets:
            amount = budget.reserve(estimate)
            if amount is None:
                for other, taken in zip(self.budgets, held, strict=False):
                    other.settle(taken, None)
                raise BudgetExhaustedError(budget)
            held.append(amount)
        return held

    def _outcome(
        self, key: str, request: ChatRequest, seed: int | None, tokens: int
    ) -> tuple[ChatResponse | BackendError, float, bool]:
        cache = self.cache
        start = time.perf_counter()
        if cache is not None:
            found = cache.take(key)
            if found is not None:
                return found, time.perf_counter() - start, True
            if cache.offline:
                miss = CacheMissError(
                    f"the offline cache {cache.path} has no response for this request "
                    f"(model {self.backend.model!r}, key {key[:12]})"
                )
                return miss, time.perf_counter() - start, True
        outcome = RUNTIME.run(self._attempt(request, tokens))
        latency = time.perf_counter() - start
        if cache is not None:
            cache.put(
                key,
                outcome,
                {
                    "backend": self.backend.name,
                    "model": self.backend.model,
                    "params": request.params,
                    "seed": seed,
                    "messages": list(request.messages),
                },
            )
        return outcome, latency, False

    async def _attempt(self, request: ChatRequest, tokens: int) -> ChatResponse | BackendError:
        backend = self.backend
        limit = backend.rate_limit
        if limit is not None:
            await limit.acquire(tokens)
        try:
            async with asyncio.timeout(backend.timeout):
                pending = backend.complete(request)
                if not inspect.isawaitable(pending):
                    # A complete() written with def instead of async def: "object
                    # ChatResponse can't be used in 'await' expression" said nothing of that.
                    return BackendError(
                        "backend",
                        f"complete() returned {type(pending).__name__} {pending!r:.80} instead "
                        "of an awaitable: a Backend's complete is an async def",
                        retryable=False,
                    )
                response = await pending
        except TimeoutError:
            return BackendError("timeout", f"no answer within {backend.timeout} s")
        except BackendError as exc:
            return exc
        except Exception as exc:
            # A backend is user code too: what it raises is recorded, not retried.
            return BackendError("backend", f"{type(exc).__name__}: {exc}", retryable=False)
        if not isinstance(response, ChatResponse):
            return BackendError(
                "backend", f"complete() returned {response!r}, not a ChatResponse", retryable=False
            )
        if limit is not None and response.usage_reported:
            # Without counts the bucket keeps the estimate it took.
            limit.settle(tokens, response.input_tokens + response.output_tokens)
        return response

    def _request_payload(
        self, base: dict[str, Any], messages: list[dict[str, str]], params: dict[str, Any], key: str
    ) -> dict[str, Any]:
        payload = {
            **base,
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": self.backend.provider,
        }
        for name, attribute in _REQUEST_ATTRIBUTES.items():
            if name in params:
                payload[attribute] = params[name]
        if "response_format" in params:
            payload["gen_ai.output.type"] = "json"
        payload["gen_ai.input.messages"] = [dict(m) for m in messages]
        payload["params"] = dict(params)
        payload["cache_key"] = key
        return payload

    def _response_payload(
        self,
        base: dict[str, Any],
        outcome: ChatResponse | BackendError,
        cost: float | None,
        latency: float,
    ) -> dict[str, Any]:
        if isinstance(outcome, ChatResponse):
            return {
                **base,
                "gen_ai.response.model": outcome.model,
                "gen_ai.response.id": outcome.id,
                "gen_ai.response.finish_reasons": [outcome.finish_reason],
                "gen_ai.usage.input_tokens": outcome.input_tokens,
                "gen_ai.usage.output_tokens": outcome.output_tokens,
                "gen_ai.output.messages": [{"role": "assistant", "content": outcome.content}],
                "cost_usd": cost,
                "latency_s": latency,
                "error.type": None,
                "error": None,
            }
        return {
            **base,
            "gen_ai.response.model": None,
            "gen_ai.response.id": None,
            "gen_ai.response.finish_reasons": [],
            "gen_ai.usage.input_tokens": 0,
            "gen_ai.usage.output_tokens": 0,
            "gen_ai.output.messages": [],
            "cost_usd": None,
            "latency_s": latency,
            "error.type": outcome.kind,
            "error": str(outcome),
            "http.response.status_code": outcome.status,
            "retryable": outcome.retryable,
        }

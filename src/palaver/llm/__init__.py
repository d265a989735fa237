"""Language-model negotiators: backends, recorded calls, offline replay, budgets.

``LLMNegotiator(backend=..., ufun=...)`` negotiates in SAO like any built-in
negotiator. Its model calls go through a :class:`Backend`
(:class:`OpenAICompatible` for hosted APIs and local servers,
:class:`ScriptedBackend` for tests and teaching), are recorded on the
mechanism's event bus with OpenTelemetry GenAI attribute names, can be
replayed from a :class:`ResponseCache` without calling the model, and are
capped by :class:`Budget` objects and paced by :class:`RateLimit`.
:func:`run_negotiations` runs many negotiations at once. See docs/llm.md.

Needs nothing beyond Palaver's core dependencies (the ``llm`` extra is empty
on purpose: HTTP is the standard library's asyncio streams).
"""

from palaver.llm.backends import Backend, ScriptedBackend, ScriptedReply
from palaver.llm.cache import CACHE_FILE, ResponseCache, cache_key
from palaver.llm.caller import LLM_REQUEST, LLM_RESPONSE, BudgetExhaustedError
from palaver.llm.ledger import LLMEventLog, SharedBudget
from palaver.llm.limits import Budget, RateLimit
from palaver.llm.negotiator import LLMNegotiator
from palaver.llm.openai import OpenAICompatible
from palaver.llm.pricing import Price, PriceTable
from palaver.llm.prompts import DEFAULT_TEMPLATES, TEMPLATE_FIELDS, PromptTemplates
from palaver.llm.reports import LLM_BUDGET_EXHAUSTED, LLM_INVALID_REPLY, LLM_OFFER
from palaver.llm.runner import RunResult, arun_negotiations, run_negotiations
from palaver.llm.scenarios import (
    SCENARIO_EVENT,
    LLMScenario,
    NegotiationMetrics,
    ScenarioMetrics,
    buy_sell,
    rental,
    scenario_metrics,
    ultimatum,
)
from palaver.llm.types import (
    BackendError,
    CacheFileError,
    CacheMissError,
    ChatRequest,
    ChatResponse,
    InvalidReplyError,
    LLMCallError,
    LLMError,
)

__all__ = [
    "CACHE_FILE",
    "DEFAULT_TEMPLATES",
    "LLM_BUDGET_EXHAUSTED",
    "LLM_INVALID_REPLY",
    "LLM_OFFER",
    "LLM_REQUEST",
    "LLM_RESPONSE",
    "SCENARIO_EVENT",
    "TEMPLATE_FIELDS",
    "Backend",
    "BackendError",
    "Budget",
    "BudgetExhaustedError",
    "CacheFileError",
    "CacheMissError",
    "ChatRequest",
    "ChatResponse",
    "InvalidReplyError",
    "LLMCallError",
    "LLMError",
    "LLMEventLog",
    "LLMNegotiator",
    "LLMScenario",
    "NegotiationMetrics",
    "OpenAICompatible",
    "Price",
    "PriceTable",
    "PromptTemplates",
    "RateLimit",
    "ResponseCache",
    "RunResult",
    "ScenarioMetrics",
    "ScriptedBackend",
    "ScriptedReply",
    "SharedBudget",
    "arun_negotiations",
    "buy_sell",
    "cache_key",
    "rental",
    "run_negotiations",
    "scenario_metrics",
    "ultimatum",
]

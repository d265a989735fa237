"""The LLM negotiator for stacked alternating offers."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any

from palaver._util.checks import check_bool, check_real
from palaver.llm.arguments import count, request_params
from palaver.llm.backends import Backend
from palaver.llm.cache import ResponseCache
from palaver.llm.caller import BudgetExhaustedError, Caller
from palaver.llm.ledger import LLMEventLog
from palaver.llm.limits import Budget, RateLimit
from palaver.llm.parsing import (
    ReplyError,
    extract_json,
    parse_answer,
    parse_proposal,
)
from palaver.llm.pricing import PriceTable
from palaver.llm.prompts import (
    DEFAULT_TEMPLATES,
    PromptTemplates,
    Utility,
    describe_issue,
    describe_preferences,
    format_outcome,
    format_utility,
    offer_format,
)
from palaver.llm.reports import (
    LLM_BUDGET_EXHAUSTED,
    LLM_INVALID_REPLY,
    LLM_OFFER,
    emit_event,
    report_action,
    report_decision,
    report_stop,
)
from palaver.llm.types import InvalidReplyError, Outcome
from palaver.mechanisms import MechanismState, ResponseType
from palaver.negotiators import DEFAULT_N_LEVELS, SAONegotiator
from palaver.preferences import UtilityFunctionLike

__all__ = ["LLM_BUDGET_EXHAUSTED", "LLM_INVALID_REPLY", "LLM_OFFER", "LLMNegotiator"]

_RESPONSES = {
    "accept": ResponseType.ACCEPT_OFFER,
    "reject": ResponseType.REJECT_OFFER,
    "end": ResponseType.END_NEGOTIATION,
}


class LLMNegotiator(SAONegotiator):
    """A negotiator whose offers and answers come from a language model.

    Each decision is one conversation: the system prompt (the scenario, the
    issues, its preferences, the rules) and one user prompt (the history and
    the question: make an offer, or answer the standing one). The model answers
    with a JSON object; an offer is validated against the outcome space. A
    reply that cannot be used is answered with the ``invalid`` prompt and asked
    again, at most ``max_invalid_replies`` times, then the negotiator raises
    :class:`~palaver.llm.InvalidReplyError` (the mechanism records it as this
    negotiator's error). Answering an offer and making the counter-offer are
    one call: a ``reject`` carries the counter-offer.

    Every call is recorded on the mechanism's event bus (``llm_request``,
    ``llm_response``, ...; see docs/llm.md). When a budget cannot cover the
    next call, the negotiator stops calling: it makes no offer, ends the
    negotiation at its next answer (``END_NEGOTIATION``) and emits
    ``llm_budget_exhausted``.

    Args:
        backend: Where replies come from (:class:`~palaver.llm.OpenAICompatible`,
            :class:`~palaver.llm.ScriptedBackend`, anything following
            :class:`~palaver.llm.Backend`).
        ufun: The utility function (``preferences`` is an alias).
        name: The name (also the id unless ``id`` is given).
        cache: A :class:`~palaver.llm.ResponseCache` to record into and replay
            from (default: the backend's ``cache`` attribute, if any).
        budget: One :class:`~palaver.llm.Budget` or several (e.g. its own and
            the tournament's); every call must fit in all of them.
        prices: The :class:`~palaver.llm.PriceTable` that gives ``cost_usd``.
        templates: The :class:`~palaver.llm.PromptTemplates`.
        description: The scenario as this negotiator is told it (``{description}``).
        role: How the prompts name its role (default: the role given when
            joining, else ``"one of the parties"``).
        temperature, max_tokens, seed: Sampling parameters sent with every
            request. ``seed=None`` draws one per negotiation from the
            mechanism's seed, so a seeded run sends the same seeds again.
        params: Further request parameters (plain JSON data).
        json_mode: Ask for ``response_format={"type": "json_object"}``.
        max_invalid_replies: Re-asks after an unusable reply before giving up.
        max_retries: Retries of a failed call (timeouts, HTTP 429/5xx, ...).
        retry_delay: Seconds before the first retry, doubled for each next one.
        max_listed_outcomes: Outcomes whose utility the system prompt lists
            (all when there are fewer; else evenly spread from best to worst).
        history_window: Latest offers shown in each prompt.
        describe_preferences: List utilities in the prompt (``False`` leaves
            ``{preferences}`` empty, for scenarios whose description says it).
        n_levels: Values per continuous issue when listing utilities.
        event_log: An :class:`~palaver.llm.LLMEventLog` (or its folder) that
            also receives every event, for runs without a recorder (tournaments).
    """

    needs_ufun = True

    def __init__(
        self,
        backend: Backend,
        ufun: UtilityFunctionLike | None = None,
        name: str | None = None,
        *,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        cache: ResponseCache | None = None,
        budget: Budget | Sequence[Budget] | None = None,
        prices: PriceTable | None = None,
        templates: PromptTemplates | None = None,
        description: str = "",
        role: str | None = None,
        temperature: float | None = 0.0,
        max_tokens: int | None = 512,
        seed: int | None = None,
        params: dict[str, Any] | None = None,
        json_mode: bool = True,
        max_invalid_replies: int = 2,
        max_retries: int = 2,
        retry_delay: float = 0.5,
        max_listed_outcomes: int = 20,
        history_window: int = 20,
        describe_preferences: bool = True,
        n_levels: int = DEFAULT_N_LEVELS,
        event_log: LLMEventLog | str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(name=name, ufun=ufun, preferences=preferences, id=id, n_levels=n_levels)
        _check_backend(backend)
        if cache is None:
            cache = getattr(backend, "cache", None)
        if cache is not None and not isinstance(cache, ResponseCache):
            raise ValueError(f"LLMNegotiator(cache=...) must be a ResponseCache, got {cache!r}")
        budgets = [] if budget is None else [budget] if isinstance(budget, Budget) else budget
        if not isinstance(budgets, list | tuple) or not all(isinstance(b, Budget) for b in budgets):
            raise ValueError(f"LLMNegotiator(budget=...) takes Budget objects, got {budget!r}")
        prices = prices if prices is not None else PriceTable()
        if not isinstance(prices, PriceTable):
            raise ValueError(f"LLMNegotiator(prices=...) must be a PriceTable, got {prices!r}")
        if any(b.max_usd is not None for b in budgets) and prices.lookup(backend.model) is None:
            raise ValueError(
                f"a budget in USD needs the price of model {backend.model!r}: add it to prices="
            )
        templates = templates if templates is not None else DEFAULT_TEMPLATES
        if not isinstance(templates, PromptTemplates):
            raise ValueError(
                f"LLMNegotiator(templates=...) must be PromptTemplates, got {templates!r}"
            )
        if not isinstance(description, str):
            raise ValueError(f"LLMNegotiator(description=...) must be a str, got {description!r}")
        if isinstance(retry_delay, bool) or not isinstance(retry_delay, int | float):
            raise ValueError(f"LLMNegotiator(retry_delay=...) must be seconds, got {retry_delay!r}")
        if not (math.isfinite(retry_delay) and retry_delay >= 0):
            raise ValueError(f"LLMNegotiator(retry_delay=...) must be >= 0, got {retry_delay!r}")
        # Sent to the model as a JSON integer: one outside 64 bits cannot be sent
        # at all (it failed at the first call, not here); Palaver's seeds are >= 0.
        if seed is not None and (
            isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63
        ):
            raise ValueError(
                f"LLMNegotiator(seed=...) must be an int from 0 to 2**63 - 1 or None, got {seed!r}"
            )
        if role is not None and (not isinstance(role, str) or not role):
            raise ValueError(
                f"LLMNegotiator(role=...) must be a non-empty str or None, got {role!r}"
            )
        request = request_params(temperature, max_tokens, json_mode, params)
        self.backend = backend
        self.templates = templates
        self.description = description
        self.role_label = role
        self.seed = seed
        self.request_params = request
        self.max_invalid_replies = count("max_invalid_replies", max_invalid_replies, 0)
        self.max_listed_outcomes = count("max_listed_outcomes", max_listed_outcomes, 1)
        self.history_window = count("history_window", history_window, 1)
        self.describe_preferences = check_bool(
            "LLMNegotiator(describe_preferences=...)", describe_preferences, type_error=ValueError
        )
        self.caller = Caller(
            backend,
            cache,
            budgets,
            prices,
            count("max_retries", max_retries, 0),
            float(retry_delay),
        )
        self._fixed: dict[str, Any] = {}
        self._params: dict[str, Any] = request
        self._pending: tuple[int, Outcome] | None = None
        self._stopped = False
        self.event_log = (
            event_log
            if event_log is None or isinstance(event_log, LLMEventLog)
            else LLMEventLog(event_log)
        )

    # -- negotiation lifecycle -------------------------------------------------

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Prepare the parts of the prompts that do not change during the negotiation."""
        super().on_negotiation_start(state)
        assert self.nmi is not None and self.ranking is not None
        nmi = self.nmi
        space = nmi.outcome_space
        seed = self.seed if self.seed is not None else int(self.random.integers(0, 2**31 - 1))
        self._params = {**self.request_params, "seed": seed}
        self._pending = None
        self._stopped = False
        listed = ""
        if self.describe_preferences:
            outcomes, utilities = self.ranking.outcomes, self.ranking.utilities
            k = self.max_listed_outcomes
            if len(outcomes) > k:
                step = (len(outcomes) - 1) / max(1, k - 1)
                picks = sorted({round(i * step) for i in range(k)})
                outcomes = [outcomes[i] for i in picks]
                utilities = [utilities[i] for i in picks]
            listed = describe_preferences(outcomes, utilities, space)
        partners = [i for i in nmi.negotiator_ids if i != self.id]
        self._fixed = {
            "name": self.name,
            "role": self.role_label or self.role or "one of the parties",
            "description": self.description,
            "issues": "\n".join(describe_issue(i) for i in space.issues),
            "preferences": listed,
            "reserved_value": Utility(self.reserved_value),
            "n_steps": nmi.n_steps if nmi.n_steps is not None else "an unknown number of",
            "offer_format": offer_format(space),
            "partners": ", ".join(partners) or "the other parties",
        }
        # A message goes to the partners' agents (in a world, the ids its
        # recipients are recorded under, as its sender's agent_id is); a
        # negotiator acting for no agent is its own recipient id.
        self._partners = [
            i if owner is None else owner
            for i, owner in zip(nmi.negotiator_ids, nmi.owner_ids, strict=True)
            if i != self.id
        ]

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """The model's offer (or the counter-offer of its ``reject`` this turn)."""
        pending = self._pending
        if pending is not None:
            self._pending = None
            if pending[0] == state.step:
                outcome: Outcome = pending[1]
                return outcome
        if self._stopped:
            return None
        try:
            reply, outcome = self._decide("propose", state, None)
        except BudgetExhaustedError as exc:
            self._stop(state, exc)
            return None
        self._report(state, "propose", reply, outcome)
        return outcome

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """The model's decision on ``offer`` (a ``reject`` keeps its counter-offer)."""
        self._pending = None
        if self._stopped:
            self._action(state, "end", None)
            return ResponseType.END_NEGOTIATION
        try:
            reply, (decision, counter) = self._decide("respond", state, offer)
        except BudgetExhaustedError as exc:
            self._stop(state, exc)
            self._action(state, "end", None)
            return ResponseType.END_NEGOTIATION
        if counter is not None:
            self._pending = (state.step, counter)
        self._report(state, decision, reply, counter)
        return _RESPONSES[decision]

    # -- the model conversation --------------------------------------------------

    def _decide(
        self, purpose: str, state: MechanismState, offer: Outcome | None
    ) -> tuple[Any, Any]:
        assert self.nmi is not None
        space = self.nmi.outcome_space
        fields = self._fields(state, offer)
        self._emit(
            "observation",
            {
                "negotiator": self.id,
                "round": state.step,
                "purpose": purpose,
                "offer": list(offer) if offer is not None else None,
                "offer_utility": self._utility(offer) if offer is not None else None,
                "relative_time": state.relative_time,
            },
        )
        templates = self.templates
        messages = [
            {"role": "system", "content": templates.render("system", fields)},
            {"role": "user", "content": templates.render(purpose, fields)},
        ]
        context = {"negotiator": self.id, "round": state.step, "purpose": purpose}
        errors: list[str] = []
        for attempt in range(1, self.max_invalid_replies + 2):
            response = self.caller.call(
                messages, self._params, self._params["seed"], self._emit, context
            )
            try:
                reply = extract_json(response.content)
                parsed = (
                    parse_proposal(reply, space)
                    if purpose == "propose"
                    else parse_answer(reply, space)
                )
            except ReplyError as exc:
                errors.append(str(exc))
                self._emit(
                    LLM_INVALID_REPLY,
                    {**context, "attempt": attempt, "error": str(exc), "content": response.content},
                )
                messages = [
                    *messages,
                    {"role": "assistant", "content": response.content},
                    {
                        "role": "user",
                        "content": templates.render("invalid", {**fields, "error": exc}),
                    },
                ]
                continue
            return reply, parsed
        raise InvalidReplyError(
            f"{self.id!r} got {len(errors)} unusable replies to its {purpose} prompt at round "
            f"{state.step}; the last: {errors[-1]}"
        )

    def _fields(self, state: MechanismState, offer: Outcome | None) -> dict[str, Any]:
        assert self.nmi is not None
        nmi = self.nmi
        space = nmi.outcome_space
        recent = nmi.history[-self.history_window :]
        lines = [
            f"- round {r + 1}, {who}: {format_outcome(o, space)} "
            f"(worth {format_utility(self._utility(o))} to you)"
            for r, who, o in recent
        ]
        n_steps = nmi.n_steps
        fields = {
            **self._fixed,
            "round": state.step + 1,
            "rounds_left": n_steps - state.step - 1 if n_steps is not None else "unknown",
            "history": "\n".join(lines) if lines else "(none yet)",
        }
        if offer is not None:
            fields["offer"] = format_outcome(offer, space)
            fields["offer_utility"] = Utility(self._utility(offer))
            fields["proposer"] = getattr(state, "current_proposer", None) or "the other party"
        return fields

    def _utility(self, outcome: Outcome) -> float:
        assert self.ranking is not None
        return float(self.ranking.utility(outcome))

    # -- events (what they hold: palaver.llm.reports) -------------------------

    def _emit(self, event_type: str, payload: dict[str, Any]) -> None:
        emit_event(self.nmi, self.owner_id, self.event_log, self.id, event_type, payload)

    def _report(
        self, state: MechanismState, decision: str, reply: Any, outcome: Outcome | None
    ) -> None:
        if outcome is None:
            offered = None
        else:
            assert self.nmi is not None
            offered = (outcome, self.nmi.outcome_space.issue_names, self._utility(outcome))
        report_decision(self._emit, self.id, self._partners, state, decision, reply, offered)

    def _action(self, state: MechanismState, action: str, outcome: Outcome | None) -> None:
        report_action(self._emit, self.id, state, action, outcome)

    def _stop(self, state: MechanismState, exc: BudgetExhaustedError) -> None:
        self._stopped = True
        report_stop(self._emit, self.id, state, exc)


def _check_backend(backend: Any) -> None:
    """Refuse a backend lacking what every call reads (a ``ValueError`` naming it).

    Checked here, once: a missing ``rate_limit``, a ``timeout`` of ``"10"`` or a
    ``complete`` that is not callable failed at the first model call, inside
    the negotiation, as an ``AttributeError`` or ``TypeError`` naming nothing.
    """
    needed = ("name", "provider", "model", "timeout", "rate_limit", "complete")
    missing = [a for a in needed if not hasattr(backend, a)]
    if missing:
        raise ValueError(
            f"LLMNegotiator(backend=...) needs a Backend (name, provider, model, timeout, "
            f"rate_limit, async complete()), got {backend!r:.80} without {', '.join(missing)}"
        )
    for attribute in ("name", "provider", "model"):
        value = getattr(backend, attribute)
        if not isinstance(value, str):
            raise ValueError(
                f"LLMNegotiator(backend=...): the backend's {attribute} must be a str, got "
                f"{value!r:.80} ({type(value).__name__})"
            )
    if not callable(backend.complete):
        raise ValueError(
            f"LLMNegotiator(backend=...): the backend's complete must be an async method "
            f"complete(request), got {backend.complete!r:.80}"
        )
    if backend.timeout is not None:
        check_real(
            "LLMNegotiator(backend=...): the backend's timeout",
            backend.timeout,
            positive=True,
            type_error=ValueError,
        )
    if backend.rate_limit is not None and not isinstance(backend.rate_limit, RateLimit):
        raise ValueError(
            f"LLMNegotiator(backend=...): the backend's rate_limit must be a RateLimit or None, "
            f"got {backend.rate_limit!r:.80} ({type(backend.rate_limit).__name__})"
        )

"""What an LLM negotiator reports: its events and their payloads.

Each event goes to the mechanism's bus (when someone listens) and to the
negotiator's own :class:`~palaver.llm.LLMEventLog`, if it has one. The
payloads are documented in docs/llm.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from palaver.events import EventType
from palaver.llm.caller import BudgetExhaustedError
from palaver.llm.ledger import LLMEventLog
from palaver.llm.parsing import text_field
from palaver.llm.types import Outcome
from palaver.mechanisms import MechanismState

__all__ = [
    "LLM_BUDGET_EXHAUSTED",
    "LLM_INVALID_REPLY",
    "LLM_OFFER",
    "emit_event",
    "report_action",
    "report_decision",
    "report_stop",
]

#: Event types the negotiator emits besides ``llm_request`` / ``llm_response``.
LLM_OFFER = "llm_offer"
LLM_INVALID_REPLY = "llm_invalid_reply"
LLM_BUDGET_EXHAUSTED = "llm_budget_exhausted"

#: How a negotiator emits one event: ``emit(event_type, payload)``.
Emit = Callable[[str, dict[str, Any]], None]


def emit_event(
    nmi: Any,
    owner_id: str | None,
    event_log: LLMEventLog | None,
    negotiator_id: str,
    event_type: str,
    payload: dict[str, Any],
) -> None:
    """Emit one event of the negotiator ``negotiator_id`` (owned by ``owner_id``)
    on ``nmi``'s bus and into ``event_log``."""
    bus = getattr(nmi, "bus", None)
    run = nmi.id if nmi is not None else None
    if bus is not None and bus.active:
        bus.emit(event_type, payload, owner_id, run)
    if event_log is not None:
        event_log.write(event_type, payload, negotiator_id, run)


def report_decision(
    emit: Emit,
    negotiator_id: str,
    partners: Sequence[str],
    state: MechanismState,
    decision: str,
    reply: Any,
    offered: tuple[Outcome, Sequence[str], float] | None,
) -> None:
    """A decision the model made: its reasoning (``plan``), its message to the
    partners, the offer it made (``offered``: the outcome, the issue names and
    the outcome's utility; ``llm_offer``) and the ``action``."""
    reasoning = text_field(reply, "reasoning")
    if reasoning is not None:
        emit("plan", {"negotiator": negotiator_id, "round": state.step, "plan": reasoning})
    message = text_field(reply, "message")
    if message is not None:
        emit(
            EventType.MESSAGE,
            {
                "message": message,
                "recipient_ids": list(partners),
                "negotiator": negotiator_id,
                "round": state.step,
            },
        )
    outcome = None
    if offered is not None:
        outcome, names, utility = offered
        emit(
            LLM_OFFER,
            {
                "negotiator": negotiator_id,
                "round": state.step,
                "outcome": list(outcome),
                "offer": dict(zip(names, outcome, strict=True)),
                "utility": utility,
            },
        )
    report_action(emit, negotiator_id, state, decision, outcome)


def report_action(
    emit: Emit, negotiator_id: str, state: MechanismState, action: str, outcome: Outcome | None
) -> None:
    """The ``action`` event of a decision (``propose``, ``accept``, ``reject``, ``end``)."""
    emit(
        EventType.ACTION,
        {
            "action": action,
            "params": {"outcome": list(outcome) if outcome is not None else None},
            "success": True,
            "negotiator": negotiator_id,
            "round": state.step,
        },
    )


def report_stop(
    emit: Emit, negotiator_id: str, state: MechanismState, exc: BudgetExhaustedError
) -> None:
    """``llm_budget_exhausted``: the negotiator stops calling the model."""
    emit(
        LLM_BUDGET_EXHAUSTED,
        {"negotiator": negotiator_id, "round": state.step, "budget": exc.budget.snapshot()},
    )

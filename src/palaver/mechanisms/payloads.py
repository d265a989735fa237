"""The payloads of a mechanism's ``negotiation_started`` and ``negotiation_ended`` events.

(``offer`` and ``response`` payloads are built inline in the round loops: they
are the hot path.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from palaver.mechanisms.stepping import MechanismStepping


def started_payload(mechanism: MechanismStepping) -> dict[str, Any]:
    """Who negotiates what, under which limits."""
    negotiators = mechanism.negotiators
    owners = [n.owner_id for n in negotiators]
    limits = mechanism.limits
    return {
        "mechanism": type(mechanism).__name__,
        "negotiators": [n.id for n in negotiators],
        "agents": owners if any(o is not None for o in owners) else None,
        "n_steps": limits.n_steps,
        "time_limit": limits.time_limit,
        "issues": list(mechanism.outcome_space.issue_names),
    }


def ended_payload(mechanism: MechanismStepping) -> dict[str, Any]:
    """The result, the agreement (as payload data), the rounds played and any error."""
    state = mechanism.state
    return {
        "result": state.result,
        "agreement": mechanism._payload_outcome(state.agreement),
        "rounds": state.step,
        "error": state.error_details or None,
    }

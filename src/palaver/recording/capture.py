"""What a recorder keeps of a world's event stream, per detail level."""

from __future__ import annotations

from palaver.events import EventType

_CORE = frozenset(
    {
        EventType.SIMULATION_START,
        EventType.SIMULATION_END,
        EventType.STEP_START,
        EventType.STEP_END,
        EventType.EXCEPTION,
        EventType.CHECKPOINT,
        EventType.STATS,
    }
)
_CONTRACTS = _CORE | {
    EventType.CONTRACT_CONCLUDED,
    EventType.CONTRACT_SIGNED,
    EventType.CONTRACT_CANCELLED,
    EventType.CONTRACT_EXECUTED,
    EventType.CONTRACT_NULLIFIED,
    EventType.CONTRACT_ERRED,
    EventType.CONTRACT_UNEXECUTED,
    EventType.CONTRACT_BREACHED,
    EventType.BREACH_RESOLVED,
}
_NEGOTIATIONS = _CONTRACTS | {
    EventType.NEGOTIATION_REQUESTED,
    EventType.NEGOTIATION_ACCEPTED,
    EventType.NEGOTIATION_REJECTED,
    EventType.NEGOTIATION_STARTED,
    EventType.NEGOTIATION_ENDED,
    EventType.ACTION,
    EventType.MESSAGE,
}

DETAIL_LEVELS: dict[str, frozenset[str] | None] = {
    "contracts": frozenset(str(t) for t in _CONTRACTS),
    "negotiations": frozenset(str(t) for t in _NEGOTIATIONS),
    "offers": None,
}
"""Which bus events each detail level keeps (``None``: all of them, including
offers, responses and any custom type emitted on the bus)."""


def allowed_types(detail: str) -> frozenset[str] | None:
    """The event types kept at ``detail`` (``None``: everything)."""
    if detail not in DETAIL_LEVELS:
        raise ValueError(f"unknown detail {detail!r}; use one of {sorted(DETAIL_LEVELS)}")
    return DETAIL_LEVELS[detail]

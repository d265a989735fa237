"""What a recorder keeps of a world's event stream, per detail level."""

from __future__ import annotations

import difflib

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


class AllTypesBut:
    """Every event type, custom ones included, but ``excluded``: a container
    for a sink's ``event_types`` (the bus asks ``type in event_types``).

    A detail level that drops a few types must keep the rest, including the
    types nobody can list in advance (an agent's ``awi.record_event("note")``,
    a language model's ``llm_*`` events).
    """

    __slots__ = ("excluded",)

    def __init__(self, excluded: frozenset[str]) -> None:
        self.excluded = excluded

    def __contains__(self, event_type: object) -> bool:
        return event_type not in self.excluded

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AllTypesBut) and other.excluded == self.excluded

    def __hash__(self) -> int:
        return hash(("AllTypesBut", self.excluded))

    def __repr__(self) -> str:
        return f"AllTypesBut({sorted(self.excluded)!r})"


Kept = frozenset[str] | AllTypesBut | None
"""What a detail level keeps: these types, all types but some, or everything."""

DETAIL_LEVELS: dict[str, Kept] = {
    "contracts": frozenset(str(t) for t in _CONTRACTS),
    "negotiations": AllTypesBut(frozenset({str(EventType.OFFER), str(EventType.RESPONSE)})),
    "offers": None,
}
"""Which bus events each detail level keeps: ``"contracts"`` the types listed,
``"negotiations"`` every type but offers and responses (custom types emitted
on the bus included), ``"offers"`` (``None``) all of them."""


def allowed_types(detail: str) -> Kept:
    """The event types kept at ``detail`` (``None``: everything); an unknown level is
    a ``ValueError`` naming the closest level (``"ofers"``: did you mean ``"offers"``)."""
    if not isinstance(detail, str) or detail not in DETAIL_LEVELS:
        levels = sorted(DETAIL_LEVELS)
        close = difflib.get_close_matches(detail, levels, n=1) if isinstance(detail, str) else []
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ValueError(f"unknown detail {detail!r}; {hint}use one of {levels}")
    return DETAIL_LEVELS[detail]

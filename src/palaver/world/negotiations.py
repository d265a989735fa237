"""What the negotiation desk keeps about a negotiation, and how it steps a mechanism."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from palaver.mechanisms import Mechanism, MechanismState
from palaver.outcomes import OutcomeSpace
from palaver.world.contracts import NegotiationInfo

__all__ = ["ActiveNegotiation", "Agreement", "owner_of", "run_mechanism"]


@dataclass(slots=True, eq=False)
class ActiveNegotiation:
    """A registered negotiation that has not ended yet (internal bookkeeping).

    ``error`` is set when the negotiation raised and the run is stopping
    because of it; the negotiation then ends with result ``error``.
    """

    id: str
    mechanism: Any
    caller: str
    partners: list[str]
    annotation: dict[str, Any]
    issues: list[Any]
    outcome_space: OutcomeSpace
    requested_at: int
    started_at: int | None
    info: NegotiationInfo
    error: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Agreement:
    """What the desk returns when a negotiation ends with an agreement.

    Attributes:
        negotiation: The negotiation (already closed by the desk).
        outcome: The agreed outcome as a dict keyed by issue name.
        state: The mechanism's final state.
    """

    negotiation: ActiveNegotiation
    outcome: dict[str, Any]
    state: MechanismState


def run_mechanism(mechanism: Any, rounds: int | None) -> MechanismState:
    """Step ``mechanism`` up to ``rounds`` rounds (``None``: to its end); its state."""
    if rounds is None and type(mechanism).step is Mechanism.step:
        state: MechanismState = mechanism.run()
        return state
    if rounds is None:
        # A subclass's own step() must run: Mechanism.run() may play the
        # rounds without calling it.
        state = mechanism.state
        while not state.started or state.running:
            state = mechanism.step()
        return state
    state = mechanism.state
    for _ in range(rounds):
        state = mechanism.step()
        if not state.running:
            break
    return state


def owner_of(mechanism: Any, negotiator_id: str) -> str:
    """The agent owning the negotiator ``negotiator_id`` in ``mechanism`` (else that id)."""
    for n in mechanism.negotiators:
        if n.id == negotiator_id:
            return str(n.owner_id or negotiator_id)
    return negotiator_id

"""What the negotiation desk keeps about a negotiation, and how it steps a mechanism."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from palaver.mechanisms import Mechanism, MechanismState
from palaver.outcomes import OutcomeSpace
from palaver.world.contracts import NegotiationInfo

__all__ = ["ActiveNegotiation", "Agreement", "closed_state", "owner_of", "run_mechanism"]


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
    #: NegMAS's ``group`` of the request (free text the world never reads).
    group: str | None = None


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


def run_mechanism(
    mechanism: Any, rounds: int | None, action: Mapping[str, Any] | None = None
) -> MechanismState:
    """Step ``mechanism`` up to ``rounds`` rounds (``None``: to its end); its state.

    With NegMAS's ``action`` (negotiator ids to their moves), every one of
    these rounds is ``mechanism.step(action)``.
    """
    state: MechanismState = mechanism.state
    if action is not None:
        stepped = 0
        while rounds is None or stepped < rounds:
            state = mechanism.step(action)
            stepped += 1
            if not state.running:
                break
        return state
    if rounds is None and type(mechanism).step is Mechanism.step:
        state = mechanism.run()
        return state
    if rounds is None:
        # A subclass's own step() must run: Mechanism.run() may play the
        # rounds without calling it.
        # One step first: it starts the negotiation, or returns it unstarted
        # (too few negotiators), which must end the loop rather than spin.
        state = mechanism.step()
        while state.running:
            state = mechanism.step()
        return state
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


#: The closed-state class made for each (state class, result), reused.
_CLOSED: dict[tuple[type, str], type] = {}


def closed_state(state: MechanismState, result: str) -> MechanismState:
    """A snapshot of ``state`` whose ``result`` is the world's record of the
    negotiation (``"cancelled"`` when the run ended while it was open, ``"error"``)
    and which no longer runs.

    ``MechanismState.result`` is computed from the mechanism's fields and has no
    word for a negotiation the world closed from outside (it would say
    ``"pending"`` or ``"running"``); the snapshot is an instance of a subclass of
    the state's own class (``SAOState`` stays an ``SAOState``) that reports
    ``result`` as recorded and ``ended`` as true.
    """
    cls = type(state)
    closed = _CLOSED.get((cls, result))
    if closed is None:
        closed = type(
            cls.__name__,
            (cls,),
            {
                "__slots__": (),
                "__module__": cls.__module__,
                "__doc__": f"A {cls.__name__} the world closed ({result!r}).",
                "result": property(lambda self: result, doc="The world's record of it."),
                "ended": property(lambda self: True, doc="Always true: it was closed."),
                # Pickled (a checkpoint of an agent that kept it) as the call
                # that makes it again: the class itself is made here.
                "__reduce__": lambda self: (closed_state, (_as_base(self, cls), result)),
            },
        )
        _CLOSED[(cls, result)] = closed
    snapshot = copy.copy(state)
    snapshot.__class__ = closed
    snapshot.running = False
    return snapshot


def _as_base(state: MechanismState, cls: type) -> MechanismState:
    """``state``'s fields in an instance of ``cls``, its mechanism's own state class."""
    base: MechanismState = cls(**{f.name: getattr(state, f.name) for f in fields(cls)})
    return base

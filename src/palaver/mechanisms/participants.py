"""Who is in a negotiation, as NegMAS describes it: descriptors, agent ids and names.

A mechanism notes, for each negotiator that joins, its name, its class and the
name of the agent it acts for (:data:`Joined`); its ``participants``,
``agent_names`` and those of its interfaces are read from these notes, so an
interface never holds the negotiators themselves (see
:class:`~palaver.mechanisms.nmi.MechanismFacts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from palaver._util.naming import snake_case

__all__ = ["Joined", "NegotiatorDescriptor", "joined_entry", "participants_of"]

#: One joined negotiator: its name, its class and its agent's name (``None`` without one).
Joined = tuple[str, type, str | None]


@dataclass(frozen=True, slots=True)
class NegotiatorDescriptor:
    """A negotiator in a negotiation, as NegMAS's ``participants`` lists it.

    Attributes:
        name: The negotiator's name.
        id: The negotiator's id.
        type: Its class name in snake_case (``"aspiration_negotiator"``).
    """

    name: str
    id: str
    type: str


def joined_entry(negotiator: Any) -> Joined:
    """What a mechanism notes about ``negotiator`` when it joins."""
    owner = getattr(negotiator, "owner", None)
    owner_name = getattr(owner, "name", None) if owner is not None else None
    return (
        getattr(negotiator, "name", negotiator.id),
        type(negotiator),
        owner_name if isinstance(owner_name, str) else None,
    )


def participants_of(ids: list[str], joined: list[Joined]) -> list[NegotiatorDescriptor]:
    """The descriptors of the negotiators with ``ids`` and notes ``joined`` (same order)."""
    return [
        NegotiatorDescriptor(name=name, id=nid, type=snake_case(cls.__name__))
        for nid, (name, cls, _) in zip(ids, joined, strict=True)
    ]

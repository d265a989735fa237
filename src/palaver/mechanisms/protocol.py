"""The negotiator protocol the mechanisms call, defined structurally.

Mechanisms sit below :mod:`palaver.negotiators` in the layer order, so they
never import negotiator classes: anything with these attributes and methods can
negotiate. :class:`palaver.negotiators.Negotiator` implements them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from palaver.mechanisms.nmi import NegotiatorMechanismInterface
    from palaver.mechanisms.responses import ResponseType
    from palaver.mechanisms.state import MechanismState
    from palaver.outcomes import Outcome
    from palaver.preferences.protocol import UtilityFunctionLike


@runtime_checkable
class NegotiatorProtocol(Protocol):
    """What every mechanism needs from a negotiator.

    Attributes:
        id: Unique within a negotiation; used in events and the offer history.
        owner_id: The agent the negotiator acts for (set by the world), or ``None``.
    """

    id: str
    owner_id: str | None

    def join(
        self,
        nmi: NegotiatorMechanismInterface,
        ufun: UtilityFunctionLike | None,
        role: str | None,
    ) -> bool:
        """Accept (``True``) or refuse to join; ``ufun`` may be ``None`` (use your own)."""
        ...

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Called once, when the negotiation starts, before the first round."""
        ...

    def on_negotiation_end(self, state: MechanismState) -> None:
        """Called once, when the negotiation has ended."""
        ...


@runtime_checkable
class SAONegotiatorProtocol(NegotiatorProtocol, Protocol):
    """What :class:`~palaver.mechanisms.SAOMechanism` needs from a negotiator."""

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """An offer (a tuple in issue order), or ``None`` to make none."""
        ...

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """The answer to the standing ``offer``."""
        ...


@runtime_checkable
class STNegotiatorProtocol(NegotiatorProtocol, Protocol):
    """What :class:`~palaver.mechanisms.STVetoMechanism` needs from a negotiator."""

    def is_better(self, first: Outcome, second: Outcome) -> bool | None:
        """``True`` if ``first`` is preferred, ``False`` if ``second`` is, ``None`` if equal."""
        ...

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """Accept or reject the final text."""
        ...

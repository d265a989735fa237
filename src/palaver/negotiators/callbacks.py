"""The optional callbacks of a negotiator and of a component, each a default that does nothing.

NegMAS-style code overrides these callbacks and calls the base version
(``super().on_round_start(state)``), so every one exists on the base
classes. Each default is marked with :func:`default_callback`: a mechanism
calls an optional callback only on the negotiators that define their own
(:func:`palaver.mechanisms.callbacks.defining` skips marked defaults), so a
negotiation whose negotiators override none keeps its fast path.

Which of them Palaver's mechanisms call, and when (all only with the
mechanism's ``extra_callbacks``, on by default):

- ``on_round_start(state)`` / ``on_round_end(state)``: around every round.
- ``on_partner_proposal(state, partner_id, offer)`` and
  ``on_partner_response(state, partner_id, outcome, response)``: SAO, after
  each offer and each answer of another negotiator.
- ``on_leave(state)`` (to the leaver) and ``on_negotiator_left(negotiator_id,
  state)`` (to those still in): SAO, when a negotiator leaves a negotiation
  that goes on.
- ``on_negotiator_entered(negotiator_id, state)``: to those already in, when
  another joins.

``on_mechanism_error``, ``on_partner_ended``, ``on_partner_refused_to_propose``
and ``on_negotiator_didnot_enter`` exist so that NegMAS-style overrides and
their ``super()`` calls work; Palaver's mechanisms do not call them (a failed
negotiation is reported by its ``error`` / ``error_details`` state and by the
recorded events, a negotiator that ends a negotiation ends it for everyone,
and a negotiator that cannot join gets ``add()``'s answer).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["ComponentCallbacks", "NegotiatorCallbacks", "default_callback", "is_default_callback"]

F = TypeVar("F", bound=Callable[..., Any])


def default_callback(method: F) -> F:
    """Mark ``method`` as a base class's do-nothing default: mechanisms do not
    count a negotiator whose class inherits it as defining the callback."""
    method._palaver_default = True  # type: ignore[attr-defined]
    return method


def is_default_callback(method: object) -> bool:
    """Whether ``method`` is a default marked by :func:`default_callback`."""
    return bool(getattr(method, "_palaver_default", False))


class NegotiatorCallbacks:
    """The callbacks a mechanism may call on a negotiator (NegMAS's names and
    arguments); each does nothing here. See the module's notes for which ones
    Palaver's mechanisms call."""

    @default_callback
    def on_round_start(self, state: Any) -> None:
        """A round is about to be played (``state`` is the negotiation's state)."""

    @default_callback
    def on_round_end(self, state: Any) -> None:
        """A round was played; ``state`` shows that round's ``step`` and ``relative_time``."""

    @default_callback
    def on_partner_proposal(self, state: Any, partner_id: str, offer: Any) -> None:
        """Negotiator ``partner_id`` offered ``offer``."""

    @default_callback
    def on_partner_response(self, state: Any, partner_id: str, outcome: Any, response: Any) -> None:
        """Negotiator ``partner_id`` answered ``outcome`` with ``response``."""

    @default_callback
    def on_partner_ended(self, partner: str) -> None:
        """Negotiator ``partner`` ended the negotiation (not called by Palaver's mechanisms)."""

    @default_callback
    def on_partner_refused_to_propose(self, state: Any, partner_id: str) -> None:
        """Negotiator ``partner_id`` made no offer (not called by Palaver's mechanisms)."""

    @default_callback
    def on_leave(self, state: Any) -> None:
        """This negotiator left the negotiation (SAO, while the others go on)."""

    @default_callback
    def on_mechanism_error(self, state: Any) -> None:
        """The mechanism failed (not called by Palaver's mechanisms: see ``state.error``)."""

    @default_callback
    def on_negotiator_left(self, negotiator_id: str, state: Any) -> None:
        """Negotiator ``negotiator_id`` left the negotiation."""

    @default_callback
    def on_negotiator_entered(self, negotiator_id: str, state: Any) -> None:
        """Negotiator ``negotiator_id`` joined the negotiation."""

    @default_callback
    def on_negotiator_didnot_enter(self, negotiator_id: str, state: Any) -> None:
        """Negotiator ``negotiator_id`` could not join (not called by Palaver's mechanisms)."""


class ComponentCallbacks(NegotiatorCallbacks):
    """A component's extra callbacks (NegMAS's ``on_partner_joined`` /
    ``on_partner_left`` / ``on_partner_ended`` and the negotiator's), each doing
    nothing; a negotiator made of components hands them on only where it says so."""

    @default_callback
    def on_partner_joined(self, partner: str) -> None:
        """Negotiator ``partner`` joined the negotiation."""

    @default_callback
    def on_partner_left(self, partner: str) -> None:
        """Negotiator ``partner`` left the negotiation."""

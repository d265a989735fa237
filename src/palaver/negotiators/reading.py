"""How the built-in strategies read what they are asked about: the offer a
``respond`` was given (NegMAS-style callers hand on a proposer id instead)
and whether a utility function's values move with the negotiation's state."""

from __future__ import annotations

from palaver.mechanisms import MechanismState
from palaver.outcomes import Outcome

__all__ = ["offer_of", "state_dependent"]


def state_dependent(ufun: object) -> bool:
    """Whether ``ufun``'s values depend on the negotiation's state (NegMAS's
    ``is_state_dependent()``, true of a discounted utility function): the
    built-in strategies then take its value of each offer they answer when
    they answer it, as NegMAS's do, rather than from the ranking made when the
    negotiation started."""
    ask = getattr(ufun, "is_state_dependent", None)
    return callable(ask) and ask() is True


def offer_of(state: MechanismState, offer: object) -> Outcome:
    """The offer a built-in ``respond(state, offer)`` was asked about.

    A NegMAS-style subclass's ``respond(self, state, source)`` is called with
    the proposer's id (see :meth:`SAONegotiator.__init_subclass__`) and hands
    on ``super().respond(state, source)``: the built-in then gets an id (or
    ``None``) where it expects an outcome, and answers the standing offer,
    ``state.current_offer``, as NegMAS's would. An outcome given as a list is
    read as the tuple it stands for.
    """
    if offer is None or isinstance(offer, str):
        current: Outcome = getattr(state, "current_offer")  # noqa: B009 (SAO's state only)
        return current
    if isinstance(offer, list):
        return tuple(offer)
    return offer  # type: ignore[return-value]

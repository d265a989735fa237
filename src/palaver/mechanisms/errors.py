"""Errors raised by mechanisms."""

from __future__ import annotations


class MechanismError(RuntimeError):
    """A mechanism was used wrongly (e.g. run with too few negotiators or no limit)."""


class MechanismTypeError(MechanismError, TypeError):
    """A mechanism option has the wrong type (also a ``TypeError``)."""


class MechanismValueError(MechanismError, ValueError):
    """A mechanism option is out of range (also a ``ValueError``)."""


class NegotiatorError(RuntimeError):
    """A negotiator failed inside a negotiation.

    Raised when ``ignore_negotiator_exceptions`` is ``False``. The message names
    the negotiator, the callback and the round; the original exception is the
    ``__cause__``.

    Attributes:
        negotiator_id: The id of the negotiator that failed.
        round: The round (0-based) in which it failed (-1 before the first round).
        mechanism_id: The id of the mechanism.
    """

    def __init__(self, message: str, negotiator_id: str, round: int, mechanism_id: str) -> None:
        super().__init__(message)
        self.negotiator_id = negotiator_id
        self.round = round
        self.mechanism_id = mechanism_id


class InvalidOfferError(NegotiatorError):
    """A negotiator offered something that is not an outcome of the outcome space."""

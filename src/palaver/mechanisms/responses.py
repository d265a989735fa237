"""What a negotiator can answer to an offer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class ResponseType(Enum):
    """A negotiator's answer to the offer it is shown.

    The values are the strings used in ``response`` event payloads.
    """

    #: Accept the standing offer.
    ACCEPT_OFFER = "accept"
    #: Reject the standing offer; in SAO the negotiator is then asked for a counter-offer.
    REJECT_OFFER = "reject"
    #: Leave, ending the negotiation for everyone without agreement.
    END_NEGOTIATION = "end"
    #: Pass: neither accept nor reject; the standing offer stays.
    NO_RESPONSE = "no_response"
    #: Leave the negotiation, letting the others go on (NegMAS's ``LEAVE``): see
    #: :class:`~palaver.mechanisms.SAOMechanism`'s ``allow_negotiators_to_leave``.
    LEAVE = "leave"
    #: NegMAS's "ask me again after the others": Palaver's mechanisms have no
    #: waiting, so this answer ends the negotiation with an error naming the
    #: negotiator (see :func:`bad_response`). Here so NegMAS code that names it loads.
    WAIT = "wait"


def bad_response(response: object) -> Exception:
    """The error recorded for a negotiator whose ``respond`` returned ``response``,
    which its mechanism cannot take (``WAIT``, or not a :class:`ResponseType`)."""
    if response is ResponseType.WAIT:
        return NotImplementedError(
            "respond() returned ResponseType.WAIT: Palaver's mechanisms do not wait for "
            "a negotiator (NegMAS's WAIT); answer ACCEPT_OFFER, REJECT_OFFER, "
            "NO_RESPONSE, END_NEGOTIATION or LEAVE"
        )
    return TypeError(f"respond() must return a ResponseType, got {response!r}")


@dataclass
class SAOResponse:
    """A response and an optional offer, as NegMAS's ``SAOResponse`` holds them.

    Palaver's SAO negotiators answer through ``respond`` (a :class:`ResponseType`)
    and ``propose`` (an outcome); this value type carries the pair for code
    written NegMAS-style (``SAOResponse(ResponseType.REJECT_OFFER, offer)``).

    Attributes:
        response: The answer (default ``NO_RESPONSE``).
        outcome: The outcome offered with it, if any.
        data: Free extra information (``None``: none).
    """

    response: ResponseType = ResponseType.NO_RESPONSE
    outcome: Any = None
    data: dict[str, Any] | None = None

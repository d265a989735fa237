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

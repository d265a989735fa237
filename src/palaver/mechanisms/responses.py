"""What a negotiator can answer to an offer."""

from __future__ import annotations

from enum import Enum


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

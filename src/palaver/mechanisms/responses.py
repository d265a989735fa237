"""What a negotiator can answer to an offer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from palaver.outcomes import ExtendedOutcome


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


@dataclass(frozen=True)
class ExtendedResponseType:
    """An answer with extra data (NegMAS's ``ExtendedResponseType``).

    An acceptance policy (see :mod:`palaver.negotiators.components`) may return
    one instead of a plain :class:`ResponseType`; the negotiator answers with
    :attr:`response` and reports :attr:`data` (its ``"text"`` and the rest) as
    a ``message`` event, as for the data of a NegMAS-style ``SAOResponse``.

    Attributes:
        response: The answer.
        data: Extra information, such as ``{"text": "..."}`` (``None``: none).
    """

    response: ResponseType
    data: dict[str, Any] | None = None


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

    @classmethod
    def text_combiner(cls, response_text: str, offer_text: str) -> str:
        """The ``"text"`` of a reply whose answer and offer both carry one
        (:meth:`from_extended`): the answer's, a newline, then the offer's.
        Override it in a subclass to join them otherwise."""
        return f"{response_text}\n{offer_text}"

    @classmethod
    def from_extended(
        cls, response: ResponseType | ExtendedResponseType, outcome: Any
    ) -> SAOResponse:
        """The reply made of an answer and an offer, either possibly carrying data.

        ``response`` is a :class:`ResponseType` or an
        :class:`ExtendedResponseType`; ``outcome`` an outcome, an
        :class:`~palaver.outcomes.ExtendedOutcome` or ``None``. The data of
        both are merged: a key only one has is kept as it is; a key both have
        becomes ``<key>_response`` and ``<key>_offer``, except ``"text"``,
        joined by :meth:`text_combiner`. ``data`` is ``None`` when neither
        carries any.
        """
        answer_data: dict[str, Any] | None = None
        if isinstance(response, ExtendedResponseType):
            answer, answer_data = response.response, response.data
        else:
            answer = response
        offer_data: dict[str, Any] | None = None
        if isinstance(outcome, ExtendedOutcome):
            outcome, offer_data = outcome.outcome, outcome.data
        if answer_data is None or offer_data is None:
            merged = answer_data if offer_data is None else offer_data
            return cls(answer, outcome, None if merged is None else dict(merged))
        data: dict[str, Any] = {}
        for key, value in answer_data.items():
            if key not in offer_data:
                data[key] = value
            elif key == "text":
                data[key] = cls.text_combiner(value, offer_data[key])
            else:
                data[f"{key}_response"] = value
        for key, value in offer_data.items():
            if key not in answer_data:
                data[key] = value
            elif key != "text":
                data[f"{key}_offer"] = value
        return cls(answer, outcome, data)

"""NegMAS-style subclasses of an SAO negotiator, adapted when the class is made
(see :meth:`~palaver.negotiators.base.SAONegotiator.__init_subclass__`): one
overriding ``__call__`` answers and offers through it, the ``data`` of its
replies reported as ``message`` events; a NegMAS 0.16 ``respond(state,
source)`` is given the proposer's id."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from palaver.events import EventType
from palaver.mechanisms import MechanismState, ResponseType, SAOResponse
from palaver.outcomes import ExtendedOutcome, Outcome

__all__ = ["adapt_negmas_respond", "answer_through_call"]

if TYPE_CHECKING:
    from palaver.negotiators.base import SAONegotiator


def _reply(negotiator: SAONegotiator, state: MechanismState, respond: bool) -> SAOResponse:
    """``negotiator(state)``, told whether an answer or an offer is wanted; checked."""
    negotiator._asked_to_respond = respond
    try:
        reply = negotiator(state)
    finally:
        negotiator._asked_to_respond = None
    if not isinstance(reply, SAOResponse):
        raise TypeError(
            f"{type(negotiator).__name__}.__call__ must return an SAOResponse; "
            f"got {reply!r:.80} ({type(reply).__name__})"
        )
    if not isinstance(reply.response, ResponseType):
        # A text or a number here was taken as "reject, and offer the outcome".
        raise TypeError(
            f"{type(negotiator).__name__}.__call__ returned an SAOResponse whose response "
            f"must be a ResponseType, got {reply.response!r:.80} "
            f"({type(reply.response).__name__})"
        )
    if reply.data is not None:
        _report_data(negotiator, state, reply, respond)
    return reply


def _report_data(
    negotiator: SAONegotiator, state: MechanismState, reply: SAOResponse, respond: bool
) -> None:
    """Record the ``data`` of a NegMAS-style reply (its ``"text"`` and the rest) as a
    ``message`` event to the other negotiators, emitted just before the offer or
    response it comes with: NegMAS keeps it in its trace, Palaver in the recording."""
    data = reply.data
    if not isinstance(data, Mapping):
        raise TypeError(
            f"{type(negotiator).__name__}.__call__ returned an SAOResponse whose data "
            f"must be a dict (or None), got {data!r:.80} ({type(data).__name__})"
        )
    nmi = negotiator.nmi
    bus = getattr(nmi, "bus", None)
    if nmi is None or bus is None or not bus.active or not bus.listens(EventType.MESSAGE):
        return
    payload = {
        "message": data.get("text"),
        "recipient_ids": [n for n in nmi.negotiator_ids if n != negotiator.id],
        "round": state.step,
        "negotiator": negotiator.id,
        "about": "response" if respond else "offer",
        "data": dict(data),
    }
    bus.emit(EventType.MESSAGE, payload, negotiator.owner_id, nmi.id)


def _respond_via_call(self: SAONegotiator, state: MechanismState, offer: Outcome) -> ResponseType:
    reply = _reply(self, state, True)
    if reply.response is ResponseType.REJECT_OFFER:
        self._call_reply = (state.step, reply)
    return reply.response


def _propose_via_call(self: SAONegotiator, state: MechanismState) -> Any:
    kept, self._call_reply = self._call_reply, None
    if kept is not None and kept[0] == state.step:
        return _offer_of_reply(kept[1])
    return _offer_of_reply(_reply(self, state, False))


def _offer_of_reply(reply: SAOResponse) -> Any:
    """The reply's offer; with data, as the ``ExtendedOutcome`` NegMAS's mechanism
    takes (the data is kept with the offer: see palaver.mechanisms.sao_data)."""
    if reply.data:
        return ExtendedOutcome(reply.outcome, data=dict(reply.data))
    return reply.outcome


_respond_via_call._palaver_via_call = True  # type: ignore[attr-defined]
_propose_via_call._palaver_via_call = True  # type: ignore[attr-defined]


def answer_through_call(cls: type[SAONegotiator]) -> None:
    """Make ``cls`` (whose ``__call__`` is NegMAS-style) answer and offer through it.

    The strategy's own ``respond`` and ``propose`` (the class's, or those
    it inherits) stay reachable for :meth:`SAONegotiator.__call__`, which a
    NegMAS ``__call__`` calls with ``super().__call__(state, dest)``.
    """
    for name, shim in (("respond", _respond_via_call), ("propose", _propose_via_call)):
        own = getattr(cls, name)
        if not getattr(own, "_palaver_via_call", False):
            setattr(cls, f"_strategy_{name}", own)
        setattr(cls, name, shim)


def adapt_negmas_respond(cls: type[SAONegotiator]) -> None:
    """Wrap the class's own ``respond(self, state, source)`` (see ``__init_subclass__``)."""
    respond = cls.__dict__.get("respond")
    if respond is None or not callable(respond):
        return
    try:
        params = list(inspect.signature(respond).parameters)
    except (TypeError, ValueError):
        return
    if len(params) >= 3 and params[2] == "source":
        negmas_respond = respond

        @functools.wraps(negmas_respond)
        def respond_with_source(
            self: SAONegotiator, state: MechanismState, offer: Outcome
        ) -> ResponseType:
            result: ResponseType = negmas_respond(
                self, state, getattr(state, "current_proposer", None)
            )
            return result

        cls.respond = respond_with_source  # type: ignore[method-assign]

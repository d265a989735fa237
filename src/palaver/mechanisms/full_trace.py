"""NegMAS's ``full_trace`` of an SAO negotiation: one :class:`TraceElement` per offer.

Built when asked from the offer history (nothing more is kept per round):
the round and relative time of each offer, who made it, the outcome, and for
the offer that became the agreement the other negotiators' acceptances and
``"agreement"``. Palaver reads no clock per round, so ``time`` (NegMAS's
seconds since the start at that step) is ``nan`` in every element.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, NamedTuple

from palaver.mechanisms.offered import entry_data
from palaver.mechanisms.responses import ResponseType
from palaver.outcomes import Outcome

if TYPE_CHECKING:
    from palaver.mechanisms.sao_views import SAOViews

__all__ = [
    "TRACE_ELEMENT_MEMBERS",
    "TraceElement",
    "full_trace",
    "full_trace_with_utils",
    "negotiator_full_trace",
]


class TraceElement(NamedTuple):
    """One offer of :func:`full_trace` (NegMAS's ``TraceElement``).

    Attributes:
        time: NegMAS's seconds since the start at that step: ``nan`` (not recorded).
        relative_time: The relative time of the round it was made in.
        step: The round it was made in.
        negotiator: The id of the negotiator that made it.
        offer: The outcome offered.
        responses: ``{id: ACCEPT_OFFER}`` of those that accepted it, the
            proposer only with ``offering_is_accepting=False`` (known for the
            agreed offer only; empty otherwise).
        state: ``"agreement"`` for the agreed offer, how the negotiation ended
            (``"timedout"``, ``"ended"``, ``"error"``) for the last offer of one
            that ended without agreement, ``"continuing"`` otherwise.
        text: NegMAS's text attached to the offer: ``None``.
        data: NegMAS's data attached to the offer: ``None``.
    """

    time: float
    relative_time: float
    step: int
    negotiator: str | None
    offer: Outcome | None
    responses: dict[str, ResponseType]
    state: str
    text: str | None
    data: dict[str, Any] | None


#: The fields of a :class:`TraceElement`, in order (NegMAS's names).
TRACE_ELEMENT_MEMBERS = list(TraceElement._fields)


def _ending(mechanism: SAOViews) -> str:
    """NegMAS's word for how the negotiation stands after its last offer."""
    state = mechanism.state
    if state.agreement is not None:
        return "agreement"
    if state.timedout:
        return "timedout"
    if state.started and not state.running:
        return "ended"
    if state.has_error:
        return "error"
    return "continuing"


def full_trace(mechanism: SAOViews) -> list[TraceElement]:
    """Every offer of ``mechanism`` as a :class:`TraceElement`, oldest first."""
    n_steps = mechanism.n_steps
    per_round = 1.0 / (n_steps + 1) if n_steps is not None else math.nan
    ids = mechanism.negotiator_ids
    found = []
    for entry in mechanism._offers():
        k, who, outcome = entry
        data = entry_data(entry)  # NegMAS's text and data of the offer (sao_data)
        text = data.get("text") if data is not None else None
        found.append(
            TraceElement(
                math.nan, (k + 1) * per_round, k, who, outcome, {}, "continuing", text, data
            )
        )
    if found:
        last = found[-1]
        ending = _ending(mechanism)
        agreement = mechanism.state.agreement
        if agreement is not None and last.offer == agreement:
            # The proposer's own acceptance is recorded when it had to give
            # one (offering_is_accepting=False), as in NegMAS.
            proposer = last.negotiator if mechanism.offering_is_accepting else None
            accepted = {i: ResponseType.ACCEPT_OFFER for i in ids if i != proposer}
            found[-1] = last._replace(responses=accepted, state=ending)
        elif ending != "continuing":
            found[-1] = last._replace(state=ending)
    return found


def negotiator_full_trace(
    mechanism: SAOViews, negotiator_id: str
) -> list[tuple[float, float, int, Outcome | None, str, str | None, dict[str, Any] | None]]:
    """The offers ``negotiator_id`` made, as NegMAS's ``negotiator_full_trace`` gives
    them: ``(time, relative_time, step, offer, state, text, data)`` of each of its
    :func:`full_trace` elements (``state`` is the element's, e.g. ``"agreement"``)."""
    return [
        (e.time, e.relative_time, e.step, e.offer, e.state, e.text, e.data)
        for e in full_trace(mechanism)
        if e.negotiator == negotiator_id
    ]


def full_trace_with_utils(mechanism: SAOViews) -> list[tuple[Any, ...]]:
    """:func:`full_trace` with each negotiator's utility of the offer appended, in
    turn order (``nan`` for one without a utility function or whose function raises)."""
    ufuns = [getattr(n, "ufun", None) for n in mechanism.negotiators]
    rows = []
    for element in full_trace(mechanism):
        values = []
        for ufun in ufuns:
            try:
                values.append(float(ufun(element.offer)) if ufun is not None else math.nan)
            except Exception:  # NegMAS's: a function that cannot value it gives nan
                values.append(math.nan)
        rows.append((*element, *values))
    return rows

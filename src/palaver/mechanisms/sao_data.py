"""NegMAS's offers with data in SAO: ``ExtendedOutcome`` proposals and ``allow_none_with_data``.

A negotiator may propose an :class:`~palaver.outcomes.ExtendedOutcome`: an
outcome with ``data`` (NegMAS's text or metadata, e.g. ``{"text": "..."}``).
A NegMAS-style negotiator answering through ``__call__`` (such as
:class:`~palaver.negotiators.BOANegotiator`) does the same when its reply
carries data. The mechanism then

- takes the outcome as the offer, as for a plain proposal, and keeps the
  data with it in the history: the entry is a
  :class:`~palaver.mechanisms.offered.DataEntry` (the same
  ``(round, negotiator_id, outcome)`` tuple, with ``data``);
- with ``outcome=None`` and non-empty data, and ``allow_none_with_data=True``
  (NegMAS's default), takes it as a message: the standing offer is withdrawn
  (as by a ``None`` proposal) but the negotiation goes on even with
  ``end_on_no_response=True``, and the history records
  ``(round, negotiator_id, None)`` with the data. With
  ``allow_none_with_data=False``, or with empty data, it is a plain ``None``
  proposal.

The state's ``current_data`` and ``new_data`` and each history entry's read
these (see :class:`~palaver.mechanisms.SAOState`). Plain proposals never
come here: the round loops send only an ``ExtendedOutcome`` (which misses
their outcome table) to :func:`take_extended`, so offers without data cost
nothing more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from palaver.events import EventType
from palaver.mechanisms.offered import DataEntry
from palaver.outcomes import ExtendedOutcome, Outcome

if TYPE_CHECKING:
    from palaver.mechanisms.sao import SAOMechanism

__all__ = ["take_extended"]


def take_extended(
    mechanism: SAOMechanism, i: int, negotiator: Any, proposal: ExtendedOutcome
) -> Outcome | None:
    """Play negotiator ``i``'s proposal ``proposal`` (see the module doc): the
    outcome it offered (``None``: no offer, a message, or the negotiation
    ended; ``state.running`` tells).

    The caller's cached turn state (standing offer, acceptances, proposer) is
    the mechanism's on return.
    """
    state = mechanism._state
    inner = proposal.outcome
    data = dict(proposal.data) if proposal.data else None
    if inner is None:
        message = data is not None and mechanism._allow_none_with_data
        if mechanism._end_on_no_response and not message:
            state.broken = True
            state.running = False
            return None
        mechanism._accepted = 0
        mechanism._proposer = -1
        state.current_offer = None
        state.current_proposer = None
        state.n_acceptances = 0
        if message:
            assert data is not None
            # The history's one kind of entry without an outcome: readers that
            # need outcomes (offer_columns) leave messages out.
            entry: Any = DataEntry(state.step, negotiator.id, None, data)
            mechanism._history.append(entry)
        return None
    checked = mechanism._validate(inner)
    if checked is None:
        mechanism._invalid_offer(negotiator, proposal)
        return None
    ofa = mechanism._offering_is_accepting
    mechanism._proposer = i
    mechanism._accepted = 1 << i if ofa else 0
    state.current_offer = checked
    state.current_proposer = negotiator.id
    state.n_acceptances = 1 if ofa else 0
    if data is None:
        mechanism._history.append((state.step, negotiator.id, checked))
    else:
        offered: Any = DataEntry(state.step, negotiator.id, checked, data)
        mechanism._history.append(offered)
    bus = mechanism._bus
    if bus.active and bus.listens(EventType.OFFER):
        payload = {
            "round": state.step,
            "negotiator": negotiator.id,
            "outcome": mechanism._payload_outcome(checked),
        }
        bus.emit(EventType.OFFER, payload, negotiator.owner_id, mechanism._id)
    return checked

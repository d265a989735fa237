"""What an SAO mechanism shows: its options, who still negotiates, NegMAS's traces.

:class:`SAOViews` is the read-only part of
:class:`~palaver.mechanisms.SAOMechanism` (which derives from it), as
:class:`~palaver.mechanisms.views.MechanismViews` is of every mechanism;
none of it is used by the round loops. :class:`OffersOf` is how the state's
``new_offers`` reads the offer history.
"""

from __future__ import annotations

import weakref
from typing import Any

from palaver.mechanisms.full_trace import (
    TraceElement,
    full_trace,
    full_trace_with_utils,
    negotiator_full_trace,
)
from palaver.mechanisms.state import SAOState
from palaver.mechanisms.views import MechanismViews
from palaver.outcomes import Outcome

__all__ = ["OffersOf", "SAOViews"]


class OffersOf:
    """A mechanism's offer history for its state's ``new_offers``, without a cycle.

    It holds the mechanism weakly, so a finished negotiation is freed by
    reference counting alone; pickled, it is rebuilt around the (unpickled)
    mechanism; copies of a state share it.
    """

    __slots__ = ("_ref",)

    def __init__(self, mechanism: MechanismViews | None) -> None:
        # None: a snapshot pickled after its mechanism was freed (no offers).
        self._ref = None if mechanism is None else weakref.ref(mechanism)

    def __call__(self) -> list[tuple[int, str | None, Outcome]]:
        mechanism = None if self._ref is None else self._ref()
        return [] if mechanism is None else mechanism._offers()

    def agent_of(self, negotiator_id: str) -> str | None:
        """The id of the agent negotiator ``negotiator_id`` acts for (``None``: none,
        or not a negotiator of this mechanism, or the mechanism is gone)."""
        mechanism = None if self._ref is None else self._ref()
        if mechanism is None:
            return None
        try:
            i = mechanism._negotiator_ids.index(negotiator_id)
        except ValueError:
            return None
        return mechanism._owner_ids[i]

    def __reduce__(self) -> tuple[type[OffersOf], tuple[MechanismViews | None]]:
        return (OffersOf, (None if self._ref is None else self._ref(),))

    def __copy__(self) -> OffersOf:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> OffersOf:
        return self


class SAOViews(MechanismViews):
    """The read-only properties of an SAO mechanism (see :class:`.SAOMechanism`)."""

    # Set by SAOMechanism.__init__.
    _state: SAOState
    _offering_is_accepting: bool
    _one_offer_per_step: bool
    _end_on_no_response: bool
    _end_on_invalid_offer: bool
    _allow_negotiators_to_leave: bool
    _allow_offering_just_rejected_outcome: bool
    _allow_none_with_data: bool
    #: Bit i set: negotiator i left (ResponseType.LEAVE).
    _left_mask: int
    #: one_offer_per_step: index of the negotiator whose turn is next.
    _turn: int

    @property
    def offering_is_accepting(self) -> bool:
        """Whether making an offer counts as accepting it."""
        return self._offering_is_accepting

    @property
    def one_offer_per_step(self) -> bool:
        """Whether a step is one negotiator's turn (``True``) or a whole round."""
        return self._one_offer_per_step

    def next_negotitor_ids(self) -> list[str]:
        """The ids of the negotiators the next :meth:`step` calls, in order.

        NegMAS's method, with NegMAS's spelling: with ``one_offer_per_step``
        the one whose turn is next (the id to key ``step(action)`` with),
        otherwise every negotiator still in the negotiation.
        """
        negotiators, left = self._negotiators, self._left_mask
        if not self._one_offer_per_step:
            return [n.id for i, n in enumerate(negotiators) if not left >> i & 1]
        n = len(negotiators)
        for k in range(n):
            i = (self._turn + k) % n
            if not left >> i & 1:
                return [negotiators[i].id]
        return []

    @property
    def end_on_no_response(self) -> bool:
        """Whether proposing ``None`` ends the negotiation (instead of withdrawing the offer)."""
        return self._end_on_no_response

    @property
    def allow_negotiators_to_leave(self) -> bool:
        """Whether ``LEAVE`` lets the others go on (``True``) or ends the negotiation."""
        return self._allow_negotiators_to_leave

    @property
    def allow_none_with_data(self) -> bool:
        """Whether a ``None`` proposal carrying data is a message that lets the
        negotiation go on (see :mod:`palaver.mechanisms.sao_data`)."""
        return self._allow_none_with_data

    @property
    def allow_offering_just_rejected_outcome(self) -> bool:
        """Whether a negotiator may offer the standing offer again (``False``: that
        proposal counts as no proposal, NegMAS's rule)."""
        return self._allow_offering_just_rejected_outcome

    @property
    def participating_negotiators(self) -> list[Any]:
        """The negotiators that have not left, in turn order (NegMAS's)."""
        left = self._left_mask
        return [n for i, n in enumerate(self._negotiators) if not left >> i & 1]

    @property
    def agreement_partners(self) -> list[Any]:
        """The negotiators party to the agreement: those that did not leave (NegMAS's)."""
        return self.participating_negotiators

    @property
    def n_participating(self) -> int:
        """How many negotiators have not left (NegMAS's)."""
        return len(self._negotiators) - self._left_mask.bit_count()

    @property
    def full_trace(self) -> list[TraceElement]:
        """NegMAS's ``full_trace``: every offer as a
        :class:`~palaver.mechanisms.full_trace.TraceElement` (``time`` is ``nan``:
        no clock is read per round; see :mod:`palaver.mechanisms.full_trace`)."""
        return full_trace(self)

    def negotiator_full_trace(
        self, negotiator_id: str
    ) -> list[tuple[float, float, int, Outcome | None, str, str | None, dict[str, Any] | None]]:
        """NegMAS's ``negotiator_full_trace``: ``(time, relative_time, step, offer,
        state, text, data)`` of each offer ``negotiator_id`` made, oldest first."""
        return negotiator_full_trace(self, negotiator_id)

    @property
    def full_trace_with_utils(self) -> list[tuple[Any, ...]]:
        """:attr:`full_trace` rows with each negotiator's utility of the offer appended."""
        return full_trace_with_utils(self)

    @property
    def end_on_invalid_offer(self) -> bool:
        """Whether an invalid offer ends the negotiation (instead of raising)."""
        return self._end_on_invalid_offer

    @property
    def state(self) -> SAOState:
        """The live state object (mutated in place; ``state.copy()`` for a snapshot)."""
        return self._state

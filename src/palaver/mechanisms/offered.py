"""One offer of a mechanism's history, readable as Palaver's tuple and NegMAS's state.

Palaver's ``mechanism.history`` lists every offer as ``(round, negotiator_id,
outcome)``; NegMAS's lists a state per step, which code reads through
``state.current_offer``, ``state.current_proposer``, ``state.step`` and
``state.new_offers``. Each entry is an :class:`Offered`: the same tuple
(unpacking, indexing and comparing with plain tuples are unchanged) with those
four names, so ``[s.current_offer for s in m.history if s.current_proposer ==
a.id]`` reads every offer of ``a`` as it does on NegMAS. The list still has one
entry per offer, not per step (see docs/negotiation.md, Coming from NegMAS).
"""

from __future__ import annotations

from typing import Any

from palaver.outcomes import Outcome

__all__ = ["Offered", "offered_view"]


class Offered(tuple[int, str | None, Outcome]):
    """``(round, negotiator_id, outcome)`` with NegMAS's names for its parts."""

    __slots__ = ()

    @property
    def step(self) -> int:
        """The round of the offer (NegMAS's ``state.step``)."""
        return self[0]

    @property
    def current_proposer(self) -> str | None:
        """Who made it (``None``: a mediator's proposal)."""
        return self[1]

    @property
    def current_offer(self) -> Outcome:
        """The outcome offered."""
        return self[2]

    @property
    def new_offers(self) -> list[tuple[str | None, Outcome]]:
        """``[(proposer, outcome)]``: the offers this entry holds (one)."""
        return [(self[1], self[2])]


def offered_view(raw: list[Any], view: list[Offered]) -> list[Offered]:
    """``view`` brought up to ``raw`` (the mechanism's offer tuples): the entries
    added since the last call are wrapped, the earlier ones kept (a history
    read every round costs one wrap per new offer, not per entry)."""
    if len(view) > len(raw):  # the history was started again
        view.clear()
    if len(view) < len(raw):
        view.extend(map(Offered, raw[len(view) :]))
    return view

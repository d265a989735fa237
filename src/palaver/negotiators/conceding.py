"""NegMAS's conceding and wasting negotiators: CAB, CAN, CAR, WAB, WAN and WAR.

Each is a :class:`~palaver.negotiators.MAPNegotiator` made of one offering
and one acceptance policy; the first letter says how it offers, the last
how it accepts:

- **C**onceding (:class:`CABOfferingPolicy`): offers its rational outcomes
  (worth at least its reserved value) one per turn, best first, then repeats
  the last one for the rest of the negotiation; with no rational outcome it
  offers nothing.
- **W**asting (:class:`WAROfferingPolicy`): first offers each of its
  irrational outcomes once, worst first, then concedes as above.
- Accepting **B**etter (:class:`AcceptBetterRational`): the first rational
  offer of a partner, then only offers strictly better than the last one it
  accepted from that partner; **N**ot worse (:class:`AcceptNotWorseRational`):
  offers at least as good as that one (the reserved value at first);
  **A**ny (:class:`~palaver.negotiators.AcceptAnyRational`): any rational offer.

In SAO an acceptance ends the negotiation, so the three acceptances differ
only in mechanisms where it does not. Outcomes of equal utility keep the
outcome space's enumeration order; the ranking is made when the negotiation
starts and again whenever the utility function changes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from palaver.mechanisms import ResponseType
from palaver.negotiators.components import (
    AcceptancePolicy,
    AcceptAnyRational,
    OfferingPolicy,
    component,
    component_field,
)
from palaver.negotiators.mapneg import MAPNegotiator
from palaver.outcomes import Outcome
from palaver.preferences.changes import PreferencesChange
from palaver.preferences.protocol import checked_ranked_utilities

__all__ = [
    "AcceptBetterRational",
    "AcceptNotWorseRational",
    "CABNegotiator",
    "CABOfferingPolicy",
    "CANNegotiator",
    "CARNegotiator",
    "WABNegotiator",
    "WANNegotiator",
    "WARNegotiator",
    "WAROfferingPolicy",
]


@component
class AcceptNotWorseRational(AcceptancePolicy):
    """Accepts an offer at least as good as the last one it accepted from the
    same partner (at least the reserved value before any)."""

    accepted: dict[str | None, Outcome] = component_field(factory=dict, init=False)

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Any:
        """Accept (and remember) ``offer`` when it is not worse than the last accepted."""
        ufun = getattr(self._negotiator, "ufun", None)
        if ufun is None or offer is None:
            return ResponseType.REJECT_OFFER
        if ufun.is_not_worse(offer, self.accepted.get(source)):
            self.accepted[source] = offer
            return ResponseType.ACCEPT_OFFER
        return ResponseType.REJECT_OFFER

    def on_negotiation_start(self, state: Any) -> None:
        """Forget the offers accepted in an earlier negotiation."""
        self.accepted.clear()


@component
class AcceptBetterRational(AcceptNotWorseRational):
    """Accepts a partner's first rational offer, then only offers strictly better
    than the last one it accepted from that partner."""

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Any:
        """Accept (and remember) ``offer`` when it is better than the last accepted."""
        ufun = getattr(self._negotiator, "ufun", None)
        if ufun is None or offer is None:
            return ResponseType.REJECT_OFFER
        last = self.accepted.get(source)
        if ufun.is_better(offer, last) or (last is None and ufun.is_not_worse(offer, None)):
            self.accepted[source] = offer
            return ResponseType.ACCEPT_OFFER
        return ResponseType.REJECT_OFFER


@component
class CABOfferingPolicy(OfferingPolicy):
    """Offers its rational outcomes one per turn, best first, then repeats the
    last (see the module notes)."""

    _rational: list[Outcome] | None = component_field(default=None, init=False)
    _wasted: list[Outcome] = component_field(factory=list, init=False)
    _next: int = component_field(default=0, init=False)
    _last: Outcome | None = component_field(default=None, init=False)

    #: Whether it offers its irrational outcomes first (the wasting variant).
    wastes = False

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Rank again from the best outcome (the utility function changed)."""
        self._rational = None

    def on_negotiation_start(self, state: Any) -> None:
        """Start again from the best outcome."""
        self._rational = None

    def _rank(self) -> list[Outcome]:
        negotiator = self._negotiator
        ufun = getattr(negotiator, "ufun", None)
        nmi = getattr(negotiator, "nmi", None)
        self._next, self._last, self._wasted = 0, None, []
        if ufun is None or nmi is None:
            return []
        outcomes = list(nmi.outcome_space.enumerate_or_sample())
        utils = checked_ranked_utilities(ufun.eval_many(outcomes), ufun, outcomes)
        reserved = float(ufun.reserved_value)
        order = np.argsort(-utils, kind="stable")
        rational = [outcomes[i] for i in order.tolist() if utils[i] >= reserved]
        if self.wastes:
            worst_first = np.argsort(utils, kind="stable")
            self._wasted = [outcomes[i] for i in worst_first.tolist() if not utils[i] >= reserved]
            self._wasted.reverse()  # popped from the end: worst first
        return rational

    def __call__(self, state: Any, dest: str | None = None) -> Outcome | None:
        """The next outcome of the concession (or of the waste first)."""
        if self._rational is None:
            self._rational = self._rank()
        if self._wasted:
            return self._wasted.pop()
        if self._next < len(self._rational):
            self._last = self._rational[self._next]
            self._next += 1
        return self._last


@component
class WAROfferingPolicy(CABOfferingPolicy):
    """Offers each irrational outcome once, worst first, then concedes as
    :class:`CABOfferingPolicy` does."""

    wastes = True


def _negotiator_with(
    name: str, acceptance: type[AcceptancePolicy], offering: type[OfferingPolicy], doc: str
) -> type[MAPNegotiator]:
    def __init__(self: MAPNegotiator, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("acceptance", acceptance())
        kwargs.setdefault("offering", offering())
        MAPNegotiator.__init__(self, *args, **kwargs)

    return type(
        name, (MAPNegotiator,), {"__init__": __init__, "__doc__": doc, "__module__": __name__}
    )


_ANY = "accepts any rational offer"
_NOT_WORSE = "accepts offers not worse than the last it accepted"
_BETTER = "accepts a first rational offer, then only better ones"
_CONCEDES = "Concedes one rational outcome per turn, best first"
_WASTES = "Offers its irrational outcomes first, then concedes one rational outcome per turn"
CABNegotiator = _negotiator_with(
    "CABNegotiator", AcceptBetterRational, CABOfferingPolicy, f"{_CONCEDES}; {_BETTER}."
)
CANNegotiator = _negotiator_with(
    "CANNegotiator", AcceptNotWorseRational, CABOfferingPolicy, f"{_CONCEDES}; {_NOT_WORSE}."
)
CARNegotiator = _negotiator_with(
    "CARNegotiator", AcceptAnyRational, CABOfferingPolicy, f"{_CONCEDES}; {_ANY}."
)
WABNegotiator = _negotiator_with(
    "WABNegotiator", AcceptBetterRational, WAROfferingPolicy, f"{_WASTES}; {_BETTER}."
)
WANNegotiator = _negotiator_with(
    "WANNegotiator", AcceptNotWorseRational, WAROfferingPolicy, f"{_WASTES}; {_NOT_WORSE}."
)
WARNegotiator = _negotiator_with(
    "WARNegotiator", AcceptAnyRational, WAROfferingPolicy, f"{_WASTES}; {_ANY}."
)

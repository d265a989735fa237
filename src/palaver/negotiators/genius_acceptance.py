"""NegMAS's Genius acceptance conditions (``GAC...``), after Genius's ``AC_...``.

With ``u`` the negotiator's utility function and ``x`` the offer shown
(no offer, or no utility function, is always rejected):

- :class:`GACNext`: accept when ``a * u(x) + b >= u(next)``, ``next`` being
  what ``offering_policy`` offers now (with no next offer: when ``u(x)`` is
  at least the reserved value);
- :class:`GACPrevious`: the same against the negotiator's previous offer
  (reject before it made one); :class:`GACGap`: ``u(x) + c >= u(previous)``;
- :class:`GACConst`: ``u(x) > c``; :class:`GACConstDiscounted`: the same
  with ``u(x)`` discounted by the utility function's ``discount_factor``
  to the power of the relative time (when it has one below 1);
- :class:`GACTime`: relative time ``> t``;
- :class:`GACTrue` / :class:`GACFalse`: always / never;
- :class:`GACCombi`: relative time ``>= t`` or :class:`GACNext`'s rule.

The ``GACCombi*`` end-game conditions (:mod:`palaver.negotiators.genius_endgame`)
compare the offer with the partners' earlier offers. Genius's ``AC_Previous``
reads the negotiator's last offer; here it is remembered when made
(``after_proposing``), so no condition reads the offer history per round.
"""

from __future__ import annotations

from typing import Any

from palaver._util.checks import check_real
from palaver.mechanisms import ResponseType
from palaver.negotiators.components import (
    Answer,
    Offer,
    OfferingPolicy,
    component,
    component_field,
)
from palaver.negotiators.genius_base import GeniusAcceptancePolicy, planned_outcome
from palaver.outcomes import Outcome
from palaver.preferences.protocol import utility_of

__all__ = [
    "GACCombi",
    "GACConst",
    "GACConstDiscounted",
    "GACFalse",
    "GACGap",
    "GACNext",
    "GACPrevious",
    "GACTime",
    "GACTrue",
]

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER


def _check_policy(value: Any) -> None:
    if not isinstance(value, OfferingPolicy):
        raise TypeError(
            f"offering_policy must be an OfferingPolicy (the negotiator's offering "
            f"strategy), got {value!r} ({type(value).__name__})"
        )


def _check_time(name: str, value: Any) -> float:
    number = check_real(name, value)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"{name} must be a relative time in [0, 1], got {value!r}")
    return number


def next_rule(
    policy: GeniusAcceptancePolicy,
    offering_policy: OfferingPolicy,
    state: Any,
    utility: float,
    a: float = 1.0,
    b: float = 0.0,
) -> bool:
    """AC_next: ``a * utility + b`` is at least the utility of what
    ``offering_policy`` offers now (with no offer: ``utility`` is at least the
    reserved value)."""
    ufun = policy.negotiator.ufun
    mine = planned_outcome(offering_policy.propose(state), ufun)
    if mine is None:
        return utility >= float(ufun.reserved_value)
    return a * utility + b >= utility_of(ufun, mine)


@component
class GACNext(GeniusAcceptancePolicy):
    """AC_next: accept when ``a * u(x) + b >= u(next offer)`` (see the module doc).

    Attributes:
        offering_policy: The negotiator's offering strategy (its next offer).
        a: The scale of the offer's utility (default 1).
        b: The offset added to it (default 0).
    """

    offering_policy: OfferingPolicy
    a: float = 1.0
    b: float = 0.0

    def __attrs_post_init__(self) -> None:
        """Check the parameters."""
        _check_policy(self.offering_policy)
        self.a, self.b = check_real("a", self.a), check_real("b", self.b)

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """Accept when the offer is worth (scaled) at least the next offer."""
        ufun = getattr(self._negotiator, "ufun", None)
        if ufun is None or offer is None:
            return _REJECT
        if next_rule(self, self.offering_policy, state, utility_of(ufun, offer), self.a, self.b):
            return _ACCEPT
        return _REJECT


@component
class GACConst(GeniusAcceptancePolicy):
    """AC_const: accept when ``u(x) > c`` (default 0.9)."""

    c: float = 0.9

    def __attrs_post_init__(self) -> None:
        """Check ``c``."""
        self.c = check_real("c", self.c)

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """Accept an offer worth more than ``c``."""
        ufun = getattr(self._negotiator, "ufun", None)
        if ufun is None or offer is None:
            return _REJECT
        return _ACCEPT if utility_of(ufun, offer) > self.c else _REJECT


@component
class GACConstDiscounted(GACConst):
    """AC_constDiscounted: :class:`GACConst` on the discounted utility
    ``u(x) * d ** t`` (``d`` the utility function's ``discount_factor`` when it
    has one below 1, ``t`` the relative time)."""

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """Accept an offer whose discounted utility exceeds ``c``."""
        ufun = getattr(self._negotiator, "ufun", None)
        if ufun is None or offer is None:
            return _REJECT
        utility = utility_of(ufun, offer)
        factor = getattr(ufun, "discount_factor", None)
        if factor is not None and factor < 1.0:
            utility *= factor**state.relative_time
        return _ACCEPT if utility > self.c else _REJECT


@component
class GACTime(GeniusAcceptancePolicy):
    """AC_time: accept any offer once the relative time exceeds ``t`` (default 0.99)."""

    t: float = 0.99

    def __attrs_post_init__(self) -> None:
        """Check ``t``."""
        self.t = _check_time("t", self.t)

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """Accept after ``t``."""
        if offer is None:
            return _REJECT
        return _ACCEPT if state.relative_time > self.t else _REJECT


@component
class _RemembersOwnOffer(GeniusAcceptancePolicy):
    """Keeps the outcome its negotiator offered last (``after_proposing``)."""

    _previous: Outcome | None = component_field(init=False, default=None)

    def on_negotiation_start(self, state: Any) -> None:
        """Forget the offer of an earlier negotiation."""
        self._previous = None

    def after_proposing(self, state: Any, offer: Offer, dest: str | None = None) -> None:
        """Remember ``offer`` (what it stands for, for an extended offer)."""
        if offer is not None:
            self._previous = planned_outcome(offer, getattr(self._negotiator, "ufun", None))


@component
class GACPrevious(_RemembersOwnOffer):
    """AC_prev: accept when ``a * u(x) + b >= u(previous own offer)`` (reject
    before the negotiator made an offer)."""

    a: float = 1.0
    b: float = 0.0

    def __attrs_post_init__(self) -> None:
        """Check ``a`` and ``b``."""
        self.a, self.b = check_real("a", self.a), check_real("b", self.b)

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """Accept an offer worth (scaled) at least the negotiator's previous one."""
        ufun = getattr(self._negotiator, "ufun", None)
        previous = self._previous
        if ufun is None or offer is None or previous is None:
            return _REJECT
        if self.a * utility_of(ufun, offer) + self.b >= utility_of(ufun, previous):
            return _ACCEPT
        return _REJECT


@component
class GACGap(_RemembersOwnOffer):
    """AC_gap: accept when ``u(x) + c >= u(previous own offer)`` (default ``c`` 0.01)."""

    c: float = 0.01

    def __attrs_post_init__(self) -> None:
        """Check ``c``."""
        self.c = check_real("c", self.c)

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """Accept an offer within ``c`` of the negotiator's previous one."""
        ufun = getattr(self._negotiator, "ufun", None)
        previous = self._previous
        if ufun is None or offer is None or previous is None:
            return _REJECT
        return (
            _ACCEPT if utility_of(ufun, offer) + self.c >= utility_of(ufun, previous) else _REJECT
        )


@component
class GACTrue(GeniusAcceptancePolicy):
    """AC_true: accepts every offer."""

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """``ACCEPT_OFFER`` (``REJECT_OFFER`` when there is no offer)."""
        return _REJECT if offer is None else _ACCEPT


@component
class GACFalse(GeniusAcceptancePolicy):
    """AC_false: rejects every offer."""

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """``REJECT_OFFER``."""
        return _REJECT


@component
class _NextRuleFromTime(GeniusAcceptancePolicy):
    """The parameters of an acceptance condition built on :class:`GACNext`'s
    rule (``a``, ``b``, against the ``offering_policy``'s next offer) that
    changes from relative time ``t`` on (default 0.99), checked when made."""

    offering_policy: OfferingPolicy
    a: float = 1.0
    b: float = 0.0
    t: float = 0.99

    def __attrs_post_init__(self) -> None:
        """Check the parameters."""
        _check_policy(self.offering_policy)
        self.a, self.b = check_real("a", self.a), check_real("b", self.b)
        self.t = _check_time("t", self.t)


@component
class GACCombi(_NextRuleFromTime):
    """AC_combi: accept from relative time ``t`` on (default 0.99), and before
    it by :class:`GACNext`'s rule with ``a`` and ``b``."""

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """Accept late, or an offer worth (scaled) at least the next offer."""
        ufun = getattr(self._negotiator, "ufun", None)
        if ufun is None or offer is None:
            return _REJECT
        if state.relative_time >= self.t:
            return _ACCEPT
        if next_rule(self, self.offering_policy, state, utility_of(ufun, offer), self.a, self.b):
            return _ACCEPT
        return _REJECT

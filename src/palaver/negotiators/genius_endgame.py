"""NegMAS's Genius end-game acceptance conditions (``GACCombiMax``, ``GACCombiAvg``...).

Each accepts an offer ``x`` worth at least what its ``offering_policy``
offers now (AC_next with ``a = 1``, ``b = 0``); before relative time ``t``
(default 0.98) it rejects the rest, and from ``t`` on it compares ``u(x)``
with the utilities of the partners' offers so far (``x`` included):

- :class:`GACCombiMax`: at least their largest;
- :class:`GACCombiAvg`: at least their mean;
- :class:`GACCombiBestAvg`: at least the mean of those worth at least ``u(x)``;
- :class:`GACCombiV4`: at least ``w * largest + (1 - w) * mean`` (``w`` 0.5);
- :class:`GACCombiMaxInWindow`: at least the largest of the most recent
  ones, those NegMAS places (spread evenly over ``[0, now]``) in the last
  ``1 - now`` of time;
- :class:`GACCombiProb`: with probability ``min(1, u(x) / mean / 2)`` (drawn
  from the negotiator's generator).

The ``...Discounted`` variants multiply every utility by the utility
function's discount ``d ** t``; as every comparison then has the same factor
on both sides, they decide as the plain ones do. :class:`GACCombiV2` and
:class:`GACCombiV3` lower the AC_next bar instead: from ``t`` on, to
``decay * u(next)``, or linearly from ``u(next)`` at ``t`` to the reserved
value at the deadline.

The utilities are recorded as the offers are shown (one per call), with their
sum and largest, so the conditions read no offer history; the end-game scans
(``BestAvg``, ``MaxInWindow``) run only from ``t`` on.
"""

from __future__ import annotations

import math
from typing import Any

from palaver._util.checks import check_real
from palaver.mechanisms import ResponseType
from palaver.negotiators.components import Answer, OfferingPolicy, component, component_field
from palaver.negotiators.genius_acceptance import (
    _check_policy,
    _check_time,
    _NextRuleFromTime,
    next_rule,
)
from palaver.negotiators.genius_base import (
    GeniusAcceptancePolicy,
    draw_uniform,
    planned_outcome,
)
from palaver.outcomes import Outcome
from palaver.preferences.protocol import utility_of

__all__ = [
    "GACCombiAvg",
    "GACCombiBestAvg",
    "GACCombiBestAvgDiscounted",
    "GACCombiMax",
    "GACCombiMaxInWindow",
    "GACCombiMaxInWindowDiscounted",
    "GACCombiProb",
    "GACCombiProbDiscounted",
    "GACCombiV2",
    "GACCombiV3",
    "GACCombiV4",
]

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER


@component
class _EndGame(GeniusAcceptancePolicy):
    """AC_next, then from ``t`` on :meth:`_late` on the partners' offers so far."""

    offering_policy: OfferingPolicy
    t: float = 0.98
    _utils: list[float] = component_field(init=False, factory=list)
    _total: float = component_field(init=False, default=0.0)
    _best: float = component_field(init=False, default=-math.inf)

    def __attrs_post_init__(self) -> None:
        """Check the parameters."""
        _check_policy(self.offering_policy)
        self.t = _check_time("t", self.t)

    def on_negotiation_start(self, state: Any) -> None:
        """Forget the offers of an earlier negotiation."""
        self._utils, self._total, self._best = [], 0.0, -math.inf

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """Accept by AC_next, else (from ``t`` on) by the end-game rule."""
        ufun = getattr(self._negotiator, "ufun", None)
        if ufun is None or offer is None:
            return _REJECT
        utility = utility_of(ufun, offer)
        self._utils.append(utility)
        self._total += utility
        if utility > self._best:
            self._best = utility
        mine = self.offering_policy.propose(state)
        if mine is not None and next_rule(self, self.offering_policy, state, utility):
            return _ACCEPT
        if state.relative_time < self.t:
            return _REJECT
        return _ACCEPT if self._late(state, utility) else _REJECT

    def _late(self, state: Any, utility: float) -> bool:
        raise NotImplementedError


@component
class GACCombiMax(_EndGame):
    """AC_combiMax: from ``t`` on, accept the best partner offer so far."""

    def _late(self, state: Any, utility: float) -> bool:
        return utility >= self._best


@component
class GACCombiAvg(_EndGame):
    """AC_combiAvg: from ``t`` on, accept an offer at least the partners' mean."""

    def _late(self, state: Any, utility: float) -> bool:
        return utility >= self._total / len(self._utils)


@component
class GACCombiBestAvg(_EndGame):
    """AC_combiBestAvg: from ``t`` on, accept an offer at least the mean of
    the partner offers worth at least it."""

    def _late(self, state: Any, utility: float) -> bool:
        better = [u for u in self._utils if u >= utility]
        return utility >= sum(better) / len(better)


@component
class GACCombiBestAvgDiscounted(GACCombiBestAvg):
    """AC_combiBestAvgDiscounted: :class:`GACCombiBestAvg` on discounted
    utilities (the same decisions: see the module doc)."""


@component
class GACCombiMaxInWindow(_EndGame):
    """AC_combiMaxInWindow: from ``t`` on, accept an offer at least the best of
    the partner offers in the last ``1 - now`` of time (see the module doc)."""

    def _late(self, state: Any, utility: float) -> bool:
        now = state.relative_time
        utils = self._utils
        n = len(utils)
        # Offer i sits at (i + 1) / (n + 1) * now; the window starts at 2 * now - 1.
        start = 0
        if now > 0:
            start = max(0, math.ceil((2.0 * now - 1.0) * (n + 1) / now - 1.0 - 1e-9))
        best = max(utils[start:], default=0.0)
        return utility >= max(best, 0.0)


@component
class GACCombiMaxInWindowDiscounted(GACCombiMaxInWindow):
    """AC_combiMaxInWindowDiscounted: :class:`GACCombiMaxInWindow` on
    discounted utilities (the same decisions: see the module doc)."""


@component
class GACCombiV4(_EndGame):
    """AC_combiV4: from ``t`` on, accept an offer at least ``w * max + (1 - w) * mean``."""

    w: float = 0.5

    def __attrs_post_init__(self) -> None:
        """Check the parameters (``w`` in ``[0, 1]``)."""
        super().__attrs_post_init__()
        w = check_real("w", self.w)
        if not 0.0 <= w <= 1.0:
            raise ValueError(f"w must be a weight in [0, 1], got {self.w!r}")
        self.w = w

    def _late(self, state: Any, utility: float) -> bool:
        mean = self._total / len(self._utils)
        return utility >= self.w * self._best + (1.0 - self.w) * mean


@component
class GACCombiProb(_EndGame):
    """AC_combiProb: from ``t`` on, accept with probability ``min(1, u(x) / mean / 2)``."""

    def _late(self, state: Any, utility: float) -> bool:
        mean = self._total / len(self._utils)
        if mean <= 0:
            return False
        return draw_uniform(self._negotiator) < min(1.0, utility / mean / 2.0)


@component
class GACCombiProbDiscounted(GACCombiProb):
    """AC_combiProbDiscounted: :class:`GACCombiProb` on discounted utilities
    (the same probabilities: see the module doc)."""


@component
class _LoweredNext(_NextRuleFromTime):
    """AC_next with ``a`` and ``b``, its bar lowered from ``t`` on by :meth:`_bar`."""

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """Accept by AC_next, or from ``t`` on above the lowered bar."""
        ufun = getattr(self._negotiator, "ufun", None)
        if ufun is None or offer is None:
            return _REJECT
        utility = utility_of(ufun, offer)
        mine = self.offering_policy.propose(state)
        if mine is None:
            return _ACCEPT if utility >= float(ufun.reserved_value) else _REJECT
        if next_rule(self, self.offering_policy, state, utility, self.a, self.b):
            return _ACCEPT
        if state.relative_time >= self.t:
            next_utility = utility_of(ufun, planned_outcome(mine, ufun))
            if utility >= self._bar(state, next_utility, float(ufun.reserved_value)):
                return _ACCEPT
        return _REJECT

    def _bar(self, state: Any, next_utility: float, reserved: float) -> float:
        raise NotImplementedError


@component
class GACCombiV2(_LoweredNext):
    """AC_combiV2: from ``t`` on (0.99), accept at least ``decay * u(next)`` (0.9)."""

    decay: float = 0.9

    def __attrs_post_init__(self) -> None:
        """Check the parameters."""
        super().__attrs_post_init__()
        self.decay = check_real("decay", self.decay)

    def _bar(self, state: Any, next_utility: float, reserved: float) -> float:
        return next_utility * self.decay


@component
class GACCombiV3(_LoweredNext):
    """AC_combiV3: from ``t`` on (0.95), the bar falls linearly from ``u(next)``
    to the reserved value at the deadline."""

    t: float = 0.95

    def _bar(self, state: Any, next_utility: float, reserved: float) -> float:
        progress = (state.relative_time - self.t) / (1.0 - self.t) if self.t < 1.0 else 1.0
        return next_utility + (reserved - next_utility) * progress

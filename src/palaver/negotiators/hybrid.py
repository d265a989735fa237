"""The Hybrid agent: a time-based Bezier concession mixed with a reaction to the partner.

NegMAS's ``HybridNegotiator`` and ``HybridOfferingPolicy``, after the
published Hybrid agent (Keskin, Buzcu, Aydoğan and colleagues, ANAC 2021's
HybridAgent; "Hybrid" strategy: time-based plus behaviour-based bidding).
Its target utility at relative time ``t`` is

- time-based: the quadratic Bezier curve ``(1-t)^2 p0 + 2 (1-t) t p1 + t^2 p2``
  through ``initial_utility`` (``p0``), ``concession_ratio`` (``p1``) and
  ``final_utility`` (``p2``);
- behaviour-based (once more than ``behavior_min_offers`` partner offers came):
  its last offer's utility minus ``(empathy + empathy * t) * delta``, where
  ``delta`` is a weighted sum of the changes of utility (to it) between the
  partner's last offers (window weights ``frac_time_based``): it concedes when
  the partner does;
- mixed as ``(1 - t^2) * behaviour + t^2 * time``, and never below the
  reserved value.

It offers the rational outcome whose utility is nearest the target (with
``above_only``, the nearest at or above it) and accepts by ACnext: an offer
worth at least what it would offer now.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Mapping, Sequence
from numbers import Real
from typing import Any

from palaver._util.checks import check_bool, check_int, check_real
from palaver.negotiators.boa import BOANegotiator
from palaver.negotiators.components import (
    ACNext,
    Offer,
    OfferingPolicy,
    component,
    component_field,
)
from palaver.negotiators.ranking import ranking_for
from palaver.outcomes import Outcome
from palaver.preferences.changes import PreferencesChange
from palaver.preferences.protocol import utility_of

__all__ = ["HybridNegotiator", "HybridOfferingPolicy"]

#: NegMAS's defaults: ``final_utility`` by domain size (first threshold above it).
FINAL_UTILITY_LADDER: tuple[tuple[float, float], ...] = (
    (450, 0.80),
    (1500, 0.775),
    (4500, 0.75),
    (18000, 0.725),
    (33000, 0.70),
)


def _window_weights() -> dict[int, tuple[float, ...]]:
    return {1: (1.0,), 2: (0.25, 0.75), 3: (0.11, 0.22, 0.66), 4: (0.05, 0.15, 0.3, 0.5)}


def nearest_index(values: list[float], x: float, above_only: bool = False) -> int:
    """The position in ``values`` (ascending) of the value nearest ``x`` (-1: empty).

    With ``above_only``, the first value at least ``x`` (the last when none is);
    an equal distance goes to the lower value.
    """
    n = len(values)
    if not n:
        return -1
    i = bisect.bisect_left(values, x)
    if above_only or i == 0:
        return min(i, n - 1)
    if i == n:
        return n - 1
    return i - 1 if x - values[i - 1] <= values[i] - x else i


def _auto_number(name: str, value: Any) -> float:
    """``value`` as a float: a finite number, or NaN for "automatic"."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(
            f"{name} must be a finite number or NaN (automatic), got {value!r} "
            f"({type(value).__name__})"
        )
    number = float(value)
    if math.isinf(number):
        raise ValueError(f"{name} must be a finite number or NaN (automatic), got {value!r}")
    return number


def _ladder(value: Any) -> tuple[tuple[float, float], ...]:
    """``final_utility_ladder`` as a tuple of ``(threshold, utility)`` pairs of numbers."""
    allowed = "a sequence of (threshold, utility) pairs of finite numbers"
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
        raise TypeError(f"final_utility_ladder must be {allowed}, got {value!r}")
    pairs = []
    for i, pair in enumerate(value):
        if isinstance(pair, str | bytes) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise TypeError(
                f"final_utility_ladder[{i}] must be a (threshold, utility) pair, got {pair!r}"
            )
        pairs.append(
            (
                check_real(f"final_utility_ladder[{i}][0]", pair[0]),
                check_real(f"final_utility_ladder[{i}][1]", pair[1]),
            )
        )
    return tuple(pairs)


def _windows(value: Any) -> dict[int, tuple[float, ...]]:
    """``frac_time_based`` checked: the weights of the last 1, 2, ..., n changes.

    ``behaviour_based`` looks up ``frac_time_based[k]`` for every ``k`` from 1 to
    its size, so the keys must be exactly those.
    """
    allowed = "a dict {1: (w,), 2: (w1, w2), ...} of weights, keyed 1 to n"
    if not isinstance(value, Mapping) or not value:
        raise TypeError(f"frac_time_based must be {allowed}, got {value!r}")
    keys = list(value)
    if any(type(k) is not int for k in keys) or set(keys) != set(range(1, len(keys) + 1)):
        raise ValueError(f"frac_time_based must be {allowed}, got keys {keys!r}")
    windows = {}
    for k, weights in value.items():
        if isinstance(weights, str | bytes) or not isinstance(weights, Sequence):
            raise TypeError(f"frac_time_based[{k}] must be a sequence of weights, got {weights!r}")
        windows[k] = tuple(
            check_real(f"frac_time_based[{k}][{j}]", w) for j, w in enumerate(weights)
        )
    return windows


@component
class HybridOfferingPolicy(OfferingPolicy):
    """The Hybrid agent's offers (see the module doc).

    ``NaN`` for ``initial_utility``, ``concession_ratio``, ``final_utility``
    or ``empathy_score`` means automatic: the ``auto_*`` value, and for
    ``final_utility`` the ``final_utility_ladder`` entry of the first
    threshold above the number of outcomes (capped at ``domain_size_cap``),
    ``final_utility_floor`` past the last. ``final_utility`` is never below
    the reserved value. Continuous issues are discretized into
    ``enumeration_levels`` values.
    """

    initial_utility: float = math.nan
    concession_ratio: float = math.nan
    final_utility: float = math.nan
    empathy_score: float = math.nan
    auto_initial_utility: float = 1.0
    auto_concession_ratio: float = 0.75
    auto_empathy_score: float = 0.5
    domain_size_cap: int = 100_000
    final_utility_ladder: tuple[tuple[float, float], ...] = FINAL_UTILITY_LADDER
    final_utility_floor: float = 0.675
    behavior_min_offers: int = 2
    enumeration_levels: int = 10
    enumeration_max_cardinality: int = 1_000_000
    frac_time_based: dict[int, tuple[float, ...]] = component_field(factory=_window_weights)
    above_only: bool = False
    _sent_utils: list[float] = component_field(init=False, factory=list)
    _received_utils: list[float] = component_field(init=False, factory=list)
    _outcomes: list[Outcome] = component_field(init=False, factory=list)
    _values: list[float] = component_field(init=False, factory=list)
    _p0: float = component_field(init=False, default=math.nan)
    _p1: float = component_field(init=False, default=math.nan)
    _p2: float = component_field(init=False, default=math.nan)
    _empathy: float = component_field(init=False, default=math.nan)

    def __attrs_post_init__(self) -> None:
        """Check the parameters (they were read only when the first offer was made,
        and a text, an infinity or a misshapen table gave offers silently off)."""
        for name in ("initial_utility", "concession_ratio", "final_utility", "empathy_score"):
            setattr(self, name, _auto_number(name, getattr(self, name)))
        for name in ("auto_initial_utility", "auto_concession_ratio", "auto_empathy_score"):
            setattr(self, name, check_real(name, getattr(self, name)))
        self.final_utility_floor = check_real("final_utility_floor", self.final_utility_floor)
        self.domain_size_cap = check_int("domain_size_cap", self.domain_size_cap, minimum=1)
        self.behavior_min_offers = check_int(
            "behavior_min_offers", self.behavior_min_offers, minimum=0
        )
        self.enumeration_levels = check_int(
            "enumeration_levels", self.enumeration_levels, minimum=1
        )
        self.enumeration_max_cardinality = check_int(
            "enumeration_max_cardinality", self.enumeration_max_cardinality, minimum=1
        )
        self.final_utility_ladder = _ladder(self.final_utility_ladder)
        self.frac_time_based = _windows(self.frac_time_based)
        self.above_only = check_bool("above_only", self.above_only)

    def _prepare(self) -> None:
        """Resolve the automatic parameters and rank the rational outcomes."""
        negotiator = self._negotiator
        ufun = negotiator.ufun
        if ufun is None:
            raise RuntimeError("HybridOfferingPolicy needs its negotiator's utility function")
        space = ufun.outcome_space or negotiator.nmi.outcome_space
        reserved = float(ufun.reserved_value)
        self._p0 = (
            self.auto_initial_utility if math.isnan(self.initial_utility) else self.initial_utility
        )
        self._p1 = (
            self.auto_concession_ratio
            if math.isnan(self.concession_ratio)
            else self.concession_ratio
        )
        self._empathy = (
            self.auto_empathy_score if math.isnan(self.empathy_score) else self.empathy_score
        )
        final = self.final_utility
        if math.isnan(final):
            size = min(space.cardinality, self.domain_size_cap)
            final = next(
                (value for limit, value in self.final_utility_ladder if size < limit),
                self.final_utility_floor,
            )
        self._p2 = max(final, reserved) if math.isfinite(reserved) else final
        ranking = ranking_for(ufun, space, self.enumeration_levels)
        start = ranking.index_at_least(reserved) if math.isfinite(reserved) else 0
        self._outcomes = list(ranking.outcomes[start:])
        self._values = [float(u) for u in ranking.utilities[start:]]

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Forget the ranking: it is made again for the new utility function."""
        self._values = []
        self._outcomes = []

    def on_negotiation_start(self, state: Any) -> None:
        """Start a new negotiation with no offers seen or made."""
        self._sent_utils = []
        self._received_utils = []

    def time_based(self, t: float) -> float:
        """The Bezier curve's target utility at relative time ``t``."""
        return (1 - t) * (1 - t) * self._p0 + 2 * (1 - t) * t * self._p1 + t * t * self._p2

    def behaviour_based(self, t: float) -> float:
        """Its last offer's utility moved by the partner's recent concessions."""
        received = self._received_utils
        changes = [b - a for a, b in itertools.pairwise(received)]
        if len(changes) > len(self.frac_time_based):
            changes = changes[-len(self.frac_time_based) :]
        weights = self.frac_time_based[len(changes)] if changes else ()
        delta = sum(c * w for c, w in zip(changes, weights, strict=False))
        last = self._sent_utils[-1] if self._sent_utils else self._p0
        return last - (self._empathy + self._empathy * t) * delta

    def on_partner_proposal(self, state: Any, partner_id: str, offer: Outcome) -> None:
        """Note the utility (to it) of the partner's offer."""
        ufun = getattr(self._negotiator, "ufun", None)
        if ufun is not None and offer is not None:
            self._received_utils.append(utility_of(ufun, offer))

    def __call__(self, state: Any, dest: str | None = None) -> Offer:
        """The rational outcome nearest the target utility now."""
        if not self._values:
            self._prepare()
            if not self._values:
                return None  # nothing is worth at least the reserved value
        t = float(state.relative_time)
        target = self.time_based(t)
        if len(self._received_utils) > self.behavior_min_offers:
            target = (1.0 - t * t) * self.behaviour_based(t) + t * t * target
        reserved = float(self._negotiator.ufun.reserved_value)
        if target < reserved:
            target = reserved
        i = nearest_index(self._values, target, self.above_only)
        self._sent_utils.append(self._values[i])
        return self._outcomes[i]


class HybridNegotiator(BOANegotiator):
    """The Hybrid agent: :class:`HybridOfferingPolicy` offers, ACnext accepts.

    Args:
        alpha, beta: ACnext accepts an offer when ``alpha * u(offer) + beta``
            is at least the utility of its own next offer.
        offering: A ready offering policy (the other offering arguments are then unused).
        acceptance: A ready acceptance policy instead of ACnext.
        initial_utility, concession_ratio, final_utility, empathy_score,
        auto_initial_utility, auto_concession_ratio, auto_empathy_score,
        domain_size_cap, final_utility_ladder, final_utility_floor,
        behavior_min_offers, enumeration_levels, enumeration_max_cardinality,
        frac_time_based, above_only: As for :class:`HybridOfferingPolicy`.
        *args, **kwargs: As for :class:`BOANegotiator` (``name``, ``ufun``, ...).
    """

    def __init__(
        self,
        *args: Any,
        alpha: float = 1.0,
        beta: float = 0.0,
        initial_utility: float = math.nan,
        concession_ratio: float = math.nan,
        final_utility: float = math.nan,
        empathy_score: float = math.nan,
        auto_initial_utility: float = 1.0,
        auto_concession_ratio: float = 0.75,
        auto_empathy_score: float = 0.5,
        domain_size_cap: int = 100_000,
        final_utility_ladder: tuple[tuple[float, float], ...] = FINAL_UTILITY_LADDER,
        final_utility_floor: float = 0.675,
        behavior_min_offers: int = 2,
        enumeration_levels: int = 10,
        enumeration_max_cardinality: int = 1_000_000,
        frac_time_based: dict[int, tuple[float, ...]] | None = None,
        above_only: bool = False,
        **kwargs: Any,
    ) -> None:
        offering = kwargs.pop("offering", None)
        if offering is None:
            offering = HybridOfferingPolicy(
                initial_utility=initial_utility,
                concession_ratio=concession_ratio,
                final_utility=final_utility,
                empathy_score=empathy_score,
                auto_initial_utility=auto_initial_utility,
                auto_concession_ratio=auto_concession_ratio,
                auto_empathy_score=auto_empathy_score,
                domain_size_cap=domain_size_cap,
                final_utility_ladder=final_utility_ladder,
                final_utility_floor=final_utility_floor,
                behavior_min_offers=behavior_min_offers,
                enumeration_levels=enumeration_levels,
                enumeration_max_cardinality=enumeration_max_cardinality,
                frac_time_based=_window_weights() if frac_time_based is None else frac_time_based,
                above_only=above_only,
            )
        acceptance = kwargs.pop("acceptance", None)
        if acceptance is None:
            acceptance = ACNext(offering, alpha=alpha, beta=beta)
        super().__init__(*args, acceptance=acceptance, offering=offering, **kwargs)

    @property
    def type_name(self) -> str:
        """The class's full name, ``module.Class``."""
        cls = type(self)
        return f"{cls.__module__}.{cls.__qualname__}"

"""Building blocks of a negotiator: acceptance and offering policies (NegMAS's components).

NegMAS builds a negotiator from parts (its "BOA" architecture: bidding,
opponent model, acceptance): an :class:`OfferingPolicy` says what to offer,
an :class:`AcceptancePolicy` whether to accept an offer, and
:class:`~palaver.negotiators.boa.BOANegotiator` joins them. Each part is a
small class with a ``negotiator`` (the one it works for: its utility
function, its mechanism interface) and the negotiator's callbacks
(``on_preferences_changed``, ``on_negotiation_start``,
``on_partner_proposal``, ...), all doing nothing unless overridden.

An offering policy is called as ``policy(state, dest=None)`` and returns an
outcome, an :class:`~palaver.outcomes.ExtendedOutcome` (an outcome with
data such as ``{"text": ...}``) or ``None`` (no offer); :meth:`OfferingPolicy.propose`
calls it once per step and keeps the answer, so an acceptance policy that
asks what the negotiator is about to offer sees the offer it then makes. An
acceptance policy is called as ``policy(state, offer, source)`` and returns
a :class:`~palaver.mechanisms.ResponseType` or an
:class:`~palaver.mechanisms.ExtendedResponseType`.

The parts are ``attrs`` classes, as NegMAS's are, so NegMAS-style subclasses
declared with ``attrs.define`` and ``attrs.field`` work (``attrs`` is one of
Palaver's dependencies for this reason: the same classes in every install).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform

import attrs

from palaver._util.checks import check_bool, check_real
from palaver.mechanisms import ExtendedResponseType, ResponseType
from palaver.negotiators.callbacks import ComponentCallbacks
from palaver.negotiators.curves import PolyAspiration
from palaver.outcomes import ExtendedOutcome, Outcome
from palaver.preferences.changes import PreferencesChange
from palaver.preferences.inverse import InverseUtilityFunction, PresortingInverseUtilityFunction
from palaver.preferences.protocol import utility_of

__all__ = [
    "ACNext",
    "ACTime",
    "AcceptAnyRational",
    "AcceptImmediately",
    "AcceptancePolicy",
    "Component",
    "EndImmediately",
    "NoneOfferingPolicy",
    "OfferingPolicy",
    "RandomOfferingPolicy",
    "RejectAlways",
    "TimeBasedOfferingPolicy",
    "component",
    "component_field",
]

_T = TypeVar("_T")

#: What an offering policy returns.
Offer = Outcome | ExtendedOutcome | None
#: What an acceptance policy returns.
Answer = ResponseType | ExtendedResponseType


def component_field(
    *,
    default: Any = attrs.NOTHING,
    factory: Callable[[], Any] | None = None,
    init: bool = True,
    kw_only: bool = False,
    alias: str | None = None,
) -> Any:
    """A field of a :func:`component` class (``attrs.field``)."""
    options: dict[str, Any] = {"init": init, "kw_only": kw_only, "alias": alias}
    if factory is not None:
        options["factory"] = factory
    elif default is not attrs.NOTHING:
        options["default"] = default
    return attrs.field(**options)


@dataclass_transform(field_specifiers=(component_field, attrs.field))
def component(cls: type[_T]) -> type[_T]:
    """Make ``cls`` a component class (``attrs.define``)."""
    made: type[_T] = attrs.define(cls)
    return made


def _utility(ufun: Any, outcome: Outcome | None) -> float:
    return utility_of(ufun, outcome)


# Not slotted (unlike the parts built on it): NegMAS's parts take attributes
# that their classes do not declare (``policy._history = ...``), and code
# written for them sets such attributes.
@attrs.define(slots=False)
class Component(ComponentCallbacks):
    """A part of a negotiator; every callback does nothing until overridden.

    Attributes:
        negotiator: The negotiator it works for (set by the negotiator it is
            given to, or by :meth:`set_negotiator`).
    """

    _negotiator: Any = attrs.field(default=None, kw_only=True, alias="negotiator")

    @property
    def negotiator(self) -> Any:
        """The negotiator it works for (``None`` before it is given to one)."""
        return self._negotiator

    def set_negotiator(self, negotiator: Any) -> None:
        """Work for ``negotiator``."""
        self._negotiator = negotiator

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """The negotiator's utility function was set or changed."""

    def on_negotiation_start(self, state: Any) -> None:
        """The negotiation started."""

    def on_negotiation_end(self, state: Any) -> None:
        """The negotiation ended."""

    def before_proposing(self, state: Any, dest: str | None = None) -> None:
        """The negotiator is about to make an offer."""

    def after_proposing(self, state: Any, offer: Offer, dest: str | None = None) -> None:
        """The negotiator made ``offer``."""

    def before_responding(
        self, state: Any, offer: Outcome | None, source: str | None = None
    ) -> None:
        """The negotiator is about to answer ``offer`` (made by ``source``)."""

    def after_responding(
        self, state: Any, offer: Outcome | None, response: Answer, source: str | None = None
    ) -> None:
        """The negotiator answered ``offer`` with ``response``."""

    def on_partner_proposal(self, state: Any, partner_id: str, offer: Outcome) -> None:
        """A partner (``partner_id``) offered ``offer``."""


@component
class AcceptancePolicy(Component, ABC):
    """Decides whether to accept an offer: implement ``__call__(state, offer, source)``."""

    def respond(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """The answer to ``offer`` (this policy called)."""
        return self(state, offer, source)

    @abstractmethod
    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """The answer to ``offer``, made by ``source``, in ``state``."""


@component
class OfferingPolicy(Component, ABC):
    """Decides what to offer: implement ``__call__(state, dest=None)``."""

    _current_offer: tuple[int, str | None, Offer] = component_field(
        init=False, default=(-1, None, None)
    )

    def propose(self, state: Any, dest: str | None = None) -> Offer:
        """The offer for this step: the policy called once per step and negotiator,
        the answer kept (so an acceptance policy asking for the next offer and
        the offer then made are the same)."""
        key = getattr(self._negotiator, "id", None)
        step, owner, offer = self._current_offer
        if step != state.step or owner != key:
            offer = self(state, dest=dest)
            self._current_offer = (state.step, key, offer)
        return offer

    @abstractmethod
    def __call__(self, state: Any, dest: str | None = None) -> Offer:
        """The offer to make now (``None``: none)."""


@component
class AcceptAnyRational(AcceptancePolicy):
    """Accepts any offer worth at least the reserved value."""

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """Accept when ``u(offer) >= reserved value`` (never without a utility function)."""
        ufun = getattr(self._negotiator, "ufun", None)
        if ufun is None or offer is None:
            return ResponseType.REJECT_OFFER
        if _utility(ufun, offer) >= float(ufun.reserved_value):
            return ResponseType.ACCEPT_OFFER
        return ResponseType.REJECT_OFFER


@component
class ACTime(AcceptancePolicy):
    """Accepts from relative time ``tau`` on (ACtime); with ``rational``, only
    offers worth at least the reserved value."""

    tau: float
    rational: bool = True

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """Accept once ``state.relative_time >= tau`` (and the offer is rational)."""
        if offer is None or state.relative_time < self.tau:
            return ResponseType.REJECT_OFFER
        if self.rational:
            ufun = getattr(self._negotiator, "ufun", None)
            if ufun is None or _utility(ufun, offer) < float(ufun.reserved_value):
                return ResponseType.REJECT_OFFER
        return ResponseType.ACCEPT_OFFER


@component
class ACNext(AcceptancePolicy):
    """Accepts an offer when ``alpha * u(offer) + beta >= u(next)`` (ACnext), ``next``
    being what ``offering_strategy`` would offer now (the reserved value when
    it would offer nothing)."""

    offering_strategy: OfferingPolicy
    alpha: float = 1.0
    beta: float = 0.0

    def __attrs_post_init__(self) -> None:
        """Check the parameters: a text or NaN made every comparison fail silently."""
        if not callable(getattr(self.offering_strategy, "propose", None)):
            raise TypeError(
                "offering_strategy must be an OfferingPolicy (the negotiator's offering "
                f"strategy), got {self.offering_strategy!r} "
                f"({type(self.offering_strategy).__name__})"
            )
        self.alpha, self.beta = check_real("alpha", self.alpha), check_real("beta", self.beta)

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """Accept when the offer is worth at least the negotiator's next offer."""
        ufun = getattr(self._negotiator, "ufun", None)
        if ufun is None or offer is None:
            return ResponseType.REJECT_OFFER
        mine = self.offering_strategy.propose(state)
        if isinstance(mine, ExtendedOutcome):
            mine = mine.outcome
        target = float(ufun.reserved_value) if mine is None else _utility(ufun, mine)
        if self.alpha * _utility(ufun, offer) + self.beta >= target:
            return ResponseType.ACCEPT_OFFER
        return ResponseType.REJECT_OFFER


@component
class AcceptImmediately(AcceptancePolicy):
    """Accepts every offer."""

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """``ACCEPT_OFFER``."""
        return ResponseType.ACCEPT_OFFER


@component
class EndImmediately(AcceptancePolicy):
    """Ends the negotiation at the first offer it is shown."""

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """``END_NEGOTIATION``."""
        return ResponseType.END_NEGOTIATION


@component
class RejectAlways(AcceptancePolicy):
    """Rejects every offer."""

    def __call__(self, state: Any, offer: Outcome | None, source: str | None) -> Answer:
        """``REJECT_OFFER``."""
        return ResponseType.REJECT_OFFER


@component
class NoneOfferingPolicy(OfferingPolicy):
    """Never offers anything (so it never reaches an agreement it proposed)."""

    def __call__(self, state: Any, dest: str | None = None) -> Offer:
        """``None``."""
        return None


@component
class RandomOfferingPolicy(OfferingPolicy):
    """Offers an outcome drawn uniformly from the outcome space, from the
    generator the mechanism hands the negotiator (a seeded run repeats)."""

    def __call__(self, state: Any, dest: str | None = None) -> Offer:
        """A random outcome (``None`` before the negotiator joined a mechanism)."""
        nmi = getattr(self._negotiator, "nmi", None)
        if nmi is None:
            return None
        outcome: Outcome = nmi.random_outcome()
        return outcome


@component
class TimeBasedOfferingPolicy(OfferingPolicy):
    """Offers along a concession ``curve`` over its rational outcomes.

    At relative time ``t`` the curve's level ``a = curve.utility_at(t)`` is
    placed between the worst and the best rational utility (``min + a *
    (max - min)``); it offers the worst rational outcome worth at least that
    (``stochastic``: one drawn among all worth at least that), its best
    outcome when none is. A level missed by less than ``1e-5`` counts as met.

    Attributes:
        curve: The concession curve (Boulware by default).
        stochastic: Draw the offer among those meeting the level.
        sorter: The ranking of its rational outcomes (made when its
            negotiator's utility function is set).
    """

    curve: Any = component_field(factory=lambda: PolyAspiration(1.0, "boulware"))
    stochastic: bool = False
    sorter: PresortingInverseUtilityFunction | None = component_field(default=None)

    def __attrs_post_init__(self) -> None:
        """Check the options: they were read only at the first offer."""
        if not callable(getattr(self.curve, "utility_at", None)):
            raise TypeError(
                "curve must be a concession curve with utility_at(t) (a PolyAspiration, "
                f"say), got {self.curve!r} ({type(self.curve).__name__})"
            )
        self.stochastic = check_bool("stochastic", self.stochastic)
        if self.sorter is not None and not isinstance(self.sorter, InverseUtilityFunction):
            raise TypeError(
                "sorter must be an inverse utility function (a "
                f"PresortingInverseUtilityFunction) or None, got {self.sorter!r}"
            )

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Rank the rational outcomes of the (new) utility function."""
        ufun = getattr(self._negotiator, "ufun", None)
        if ufun is None:
            return
        self.sorter = PresortingInverseUtilityFunction(ufun, rational_only=True)
        self.sorter.init()

    def __call__(self, state: Any, dest: str | None = None) -> Offer:
        """The outcome meeting the curve's level now."""
        if self.sorter is None:
            self.on_preferences_changed([])
            if self.sorter is None:
                return None
        low, high = self.sorter.minmax()
        if not math.isfinite(low):
            return None  # no rational outcome: nothing worth offering
        # A level reached within rounding (1e-5, NegMAS's margin) is reached.
        level = low + self.curve.utility_at(state.relative_time) * (high - low) - 1e-5
        if self.stochastic:
            found = self.sorter.some((level, high), False)
            if found:
                return found[int(self._negotiator.random.integers(len(found)))]
            return self.sorter.best()
        return self.sorter.worst_in((level, high), False)

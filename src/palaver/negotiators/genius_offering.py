"""NegMAS's Genius offering strategies: time-dependent concession and the simple ones.

:class:`GTimeDependentOffering` is Genius's ``TimeDependent_Offering``: at
relative time ``t`` it aims at

    f(t) = k + (1 - k) * t ** (1 / e)      (f = k when e = 0)
    target(t) = Pmin + (Pmax - Pmin) * (1 - f(t))

where ``Pmin`` and ``Pmax`` are the worst and best utilities of its rational
outcomes, and offers the worst rational outcome worth at least the target
(its best one when none is). ``e < 1`` concedes late (Boulware), ``e = 1``
linearly, ``e > 1`` early (Conceder), ``e = 0`` never (Hardliner).
:class:`GBoulwareOffering`, :class:`GConcederOffering`,
:class:`GLinearOffering` and :class:`GHardlinerOffering` are it with those
exponents; :class:`GRandomOffering` offers random outcomes and
:class:`GChoosingAllBids` every outcome in turn, best first.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from palaver._util.checks import check_real
from palaver.negotiators.components import Offer, component, component_field
from palaver.negotiators.genius_base import GeniusOfferingPolicy
from palaver.outcomes import Outcome
from palaver.preferences.changes import PreferencesChange
from palaver.preferences.inverse import PresortingInverseUtilityFunction
from palaver.preferences.protocol import utility_of

__all__ = [
    "GBoulwareOffering",
    "GChoosingAllBids",
    "GConcederOffering",
    "GHardlinerOffering",
    "GLinearOffering",
    "GRandomOffering",
    "GTimeDependentOffering",
]

# A target missed by less than this counts as met (rounding of utilities).
_MARGIN = 1e-9


def _exponent(name: str, value: Any) -> float:
    number = check_real(name, value)
    if number < 0:
        raise ValueError(f"{name} must be a non-negative number (0: never concede), got {value!r}")
    return number


def _offset(value: Any) -> float:
    number = check_real("k", value)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"k must be a number in [0, 1], got {value!r}")
    return number


@component
class GTimeDependentOffering(GeniusOfferingPolicy):
    """Genius's time-dependent offering (see the module doc for the formulas).

    Attributes:
        e: The concession exponent (non-negative; default 0.2, Boulware).
        k: The offset of ``f`` (in ``[0, 1]``; default 0).
    """

    e: float = 0.2
    k: float = 0.0
    _sorter: PresortingInverseUtilityFunction | None = component_field(init=False, default=None)
    _pmin: float = component_field(init=False, default=0.0)
    _pmax: float = component_field(init=False, default=1.0)

    def __attrs_post_init__(self) -> None:
        """Check ``e``, ``k`` and the tolerance."""
        super().__attrs_post_init__()
        self.e = _exponent("e", self.e)
        self.k = _offset(self.k)

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Rank the rational outcomes of the (new) utility function; read Pmin and Pmax."""
        ufun = getattr(self._negotiator, "ufun", None)
        if ufun is None:
            return
        self._sorter = PresortingInverseUtilityFunction(ufun, rational_only=True)
        self._sorter.init()
        self._pmin, self._pmax = self._sorter.minmax()

    def _f(self, t: float) -> float:
        """``f(t) = k + (1 - k) * t ** (1 / e)`` (``k`` when ``e = 0``)."""
        if self.e == 0:
            return self.k
        return self.k + (1.0 - self.k) * math.pow(t, 1.0 / self.e)

    def _p(self, t: float) -> float:
        """The target utility at relative time ``t``."""
        return self._pmin + (self._pmax - self._pmin) * (1.0 - self._f(t))

    def __call__(self, state: Any, dest: str | None = None) -> Offer:
        """The worst rational outcome worth at least the target now (the best
        one when none is; ``None`` without a utility function or rational outcome)."""
        if self._sorter is None:
            self.on_preferences_changed([])
            if self._sorter is None:
                return None
        target = self._p(state.relative_time)
        found = self._sorter.worst_in((target - _MARGIN, self._pmax + _MARGIN), False)
        return found if found is not None else self._sorter.best()


@component
class _FixedExponentOffering(GeniusOfferingPolicy):
    """A :class:`GTimeDependentOffering` of a set exponent, made when first needed."""

    _delegate: GTimeDependentOffering | None = component_field(init=False, default=None)

    def _exponent(self) -> float:
        raise NotImplementedError

    def _offset(self) -> float:
        return 0.0

    def _time_dependent(self) -> GTimeDependentOffering:
        if self._delegate is None:
            self._delegate = GTimeDependentOffering(
                e=self._exponent(),
                k=self._offset(),
                utility_band_tolerance=self.utility_band_tolerance,
            )
        self._delegate.set_negotiator(self._negotiator)
        return self._delegate

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Rank the outcomes of the (new) utility function."""
        self._time_dependent().on_preferences_changed(changes)

    def __call__(self, state: Any, dest: str | None = None) -> Offer:
        """The time-dependent offer of this exponent."""
        return self._time_dependent()(state, dest)


@component
class _ChosenExponentOffering(_FixedExponentOffering):
    """A fixed-exponent offering whose ``e`` and ``k`` are fields of the subclass
    (each with its own default), checked here."""

    if TYPE_CHECKING:
        e: float
        k: float

    def __attrs_post_init__(self) -> None:
        """Check ``e`` and ``k``."""
        super().__attrs_post_init__()
        self.e, self.k = _exponent("e", self.e), _offset(self.k)

    def _exponent(self) -> float:
        return self.e

    def _offset(self) -> float:
        return self.k


@component
class GBoulwareOffering(_ChosenExponentOffering):
    """Time-dependent offering conceding late (``e`` below 1; default 0.2)."""

    e: float = 0.2
    k: float = 0.0


@component
class GConcederOffering(_ChosenExponentOffering):
    """Time-dependent offering conceding early (``e`` above 1; default 2.0)."""

    e: float = 2.0
    k: float = 0.0


@component
class GLinearOffering(_FixedExponentOffering):
    """Time-dependent offering conceding linearly (``e = 1``)."""

    k: float = 0.0

    def __attrs_post_init__(self) -> None:
        """Check ``k``."""
        super().__attrs_post_init__()
        self.k = _offset(self.k)

    def _exponent(self) -> float:
        return 1.0

    def _offset(self) -> float:
        return self.k


@component
class GHardlinerOffering(_FixedExponentOffering):
    """Always offers its best outcome (time-dependent with ``e = 0``)."""

    def _exponent(self) -> float:
        return 0.0


@component
class GRandomOffering(GeniusOfferingPolicy):
    """Offers an outcome drawn uniformly from the outcome space, whatever its
    utility (Genius's ``Random_Offering``), from the negotiator's generator."""

    def __call__(self, state: Any, dest: str | None = None) -> Offer:
        """A random outcome (``None`` before the negotiator joined a mechanism)."""
        nmi = getattr(self._negotiator, "nmi", None)
        if nmi is None:
            return None
        outcome: Outcome = nmi.random_outcome()
        return outcome


@component
class GChoosingAllBids(GeniusOfferingPolicy):
    """Offers every outcome in turn, best first (for its utility function), and
    starts again after the last (Genius's ``ChoosingAllBids``)."""

    _all_outcomes: list[Outcome] = component_field(init=False, factory=list)
    _current_index: int = component_field(init=False, default=0)
    _initialized: bool = component_field(init=False, default=False)

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """List the outcomes, best first, and start from the first."""
        nmi = getattr(self._negotiator, "nmi", None)
        space = getattr(nmi, "outcome_space", None)
        if space is None:
            return
        outcomes = list(space.enumerate())
        ufun = getattr(self._negotiator, "ufun", None)
        if ufun is not None:
            outcomes.sort(key=lambda o: utility_of(ufun, o), reverse=True)
        self._all_outcomes = outcomes
        self._current_index = 0
        self._initialized = True

    def __call__(self, state: Any, dest: str | None = None) -> Offer:
        """The next outcome in the list (``None`` when there is none)."""
        if not self._initialized:
            self.on_preferences_changed([])
        outcomes = self._all_outcomes
        if not outcomes:
            return None
        outcome = outcomes[self._current_index]
        self._current_index = (self._current_index + 1) % len(outcomes)
        return outcome

"""NegMAS's stability flags: what about a utility function may change during a negotiation.

Every Palaver utility function is a fixed function of the outcome (nothing in
it reads the negotiation's state), so its ``stability`` is
:data:`STATIONARY` unless the constructor is given another one
(``stability=``, as in NegMAS); code written for NegMAS that checks
``ufun.is_stationary()`` before caching utilities reads the same answers.
The flags' names and values are NegMAS's.
"""

from __future__ import annotations

from enum import IntFlag

from palaver.preferences.changes import PreferencesChange, PreferencesChangeType

__all__ = [
    "FIXED_RESERVED_VALUE",
    "SCALE_INVARIANT",
    "SESSION_INDEPENDENT",
    "STABLE_DIFF_RATIOS",
    "STABLE_EXTREMES",
    "STABLE_IRRATIONAL_OUTCOMES",
    "STABLE_MAX",
    "STABLE_MIN",
    "STABLE_ORDERING",
    "STABLE_RATIONAL_OUTCOMES",
    "STABLE_RESERVED_VALUE",
    "STABLE_SCALE",
    "STATE_INDEPENDENT",
    "STATIONARY",
    "VOLATILE",
    "Stability",
    "StabilityMixin",
    "checked_stability",
]


class Stability(IntFlag):
    """Which aspects of a utility function stay the same over a negotiation (NegMAS's flags).

    ``VOLATILE`` (0) promises nothing; :data:`STATIONARY` is every flag.
    """

    STABLE_MIN = 1 << 0
    STABLE_MAX = 1 << 1
    STABLE_RESERVED_VALUE = 1 << 2
    FIXED_RESERVED_VALUE = 1 << 3
    STABLE_RATIONAL_OUTCOMES = 1 << 4
    STABLE_IRRATIONAL_OUTCOMES = 1 << 5
    STABLE_ORDERING = 1 << 6
    STABLE_DIFF_RATIOS = 1 << 7
    SESSION_INDEPENDENT = 1 << 8
    STATE_INDEPENDENT = 1 << 9
    STABLE_EXTREMES = 1 << 10
    VOLATILE = 0

    def _has(self, flags: int) -> bool:
        return bool(self & flags)

    @property
    def is_session_independent(self) -> bool:
        """Does not depend on the negotiation it is used in."""
        return self._has(Stability.SESSION_INDEPENDENT)

    @property
    def is_state_independent(self) -> bool:
        """Does not depend on the negotiation's state (its step, time, ...)."""
        return self._has(Stability.STATE_INDEPENDENT)

    @property
    def is_session_dependent(self) -> bool:
        """Not :attr:`is_session_independent`."""
        return not self.is_session_independent

    @property
    def is_state_dependent(self) -> bool:
        """Not :attr:`is_state_independent`."""
        return not self.is_state_independent

    @property
    def is_stationary(self) -> bool:
        """Every flag is set."""
        return self == STATIONARY

    @property
    def is_volatile(self) -> bool:
        """No flag is set."""
        return self == Stability.VOLATILE

    @property
    def has_stable_min(self) -> bool:
        """The lowest utility stays the same."""
        return self._has(Stability.STABLE_MIN)

    @property
    def has_stable_max(self) -> bool:
        """The highest utility stays the same."""
        return self._has(Stability.STABLE_MAX)

    @property
    def has_stable_extremes(self) -> bool:
        """The best and worst outcomes stay (implied by a stable ordering or stable ratios)."""
        return self._has(
            Stability.STABLE_EXTREMES | Stability.STABLE_ORDERING | Stability.STABLE_DIFF_RATIOS
        )

    @property
    def has_stable_reserved_value(self) -> bool:
        """The reserved value stays the same relative to the range."""
        return self._has(Stability.STABLE_RESERVED_VALUE)

    @property
    def has_fixed_reserved_value(self) -> bool:
        """The reserved value stays the same number."""
        return self._has(Stability.FIXED_RESERVED_VALUE)

    @property
    def has_stable_rational_outcomes(self) -> bool:
        """Outcomes above the reserved value stay above it."""
        return self._has(Stability.STABLE_RATIONAL_OUTCOMES)

    @property
    def has_stable_irrational_outcomes(self) -> bool:
        """Outcomes below the reserved value stay below it."""
        return self._has(Stability.STABLE_IRRATIONAL_OUTCOMES)

    @property
    def has_stable_ordering(self) -> bool:
        """The order of the outcomes stays the same."""
        return self._has(Stability.STABLE_ORDERING)

    @property
    def has_stable_diff_ratios(self) -> bool:
        """The ratios of utility differences stay the same."""
        return self._has(Stability.STABLE_DIFF_RATIOS)

    @property
    def has_stable_scale(self) -> bool:
        """Lowest, highest and reserved utility all stay (:data:`STABLE_SCALE`)."""
        return self & STABLE_SCALE == STABLE_SCALE

    @property
    def is_scale_invariant(self) -> bool:
        """Difference ratios and the relative reserved value stay (:data:`SCALE_INVARIANT`)."""
        return self & SCALE_INVARIANT == SCALE_INVARIANT

    def __str__(self) -> str:
        if self == STATIONARY:
            return "STATIONARY"
        names = [
            flag.name
            for flag in Stability
            if flag.name
            and flag
            and self & flag
            # A stable ordering implies stable extremes: NegMAS shows only the former.
            and not (flag == Stability.STABLE_EXTREMES and self & Stability.STABLE_ORDERING)
        ]
        return " | ".join(sorted(names, key=_RANK.__getitem__)) or "VOLATILE"


# NegMAS's order of the names in str(): the independence flags first.
_ORDER = (
    "SESSION_INDEPENDENT",
    "STATE_INDEPENDENT",
    "STABLE_MIN",
    "STABLE_MAX",
    "STABLE_EXTREMES",
    "STABLE_RESERVED_VALUE",
    "FIXED_RESERVED_VALUE",
    "STABLE_RATIONAL_OUTCOMES",
    "STABLE_IRRATIONAL_OUTCOMES",
    "STABLE_ORDERING",
    "STABLE_DIFF_RATIOS",
)
_RANK = {n: i for i, n in enumerate(_ORDER)}

SESSION_INDEPENDENT = Stability.SESSION_INDEPENDENT
STATE_INDEPENDENT = Stability.STATE_INDEPENDENT
STABLE_MIN = Stability.STABLE_MIN
STABLE_MAX = Stability.STABLE_MAX
STABLE_EXTREMES = Stability.STABLE_EXTREMES
STABLE_RESERVED_VALUE = Stability.STABLE_RESERVED_VALUE
FIXED_RESERVED_VALUE = Stability.FIXED_RESERVED_VALUE
STABLE_RATIONAL_OUTCOMES = Stability.STABLE_RATIONAL_OUTCOMES
STABLE_IRRATIONAL_OUTCOMES = Stability.STABLE_IRRATIONAL_OUTCOMES
STABLE_ORDERING = Stability.STABLE_ORDERING
STABLE_DIFF_RATIOS = Stability.STABLE_DIFF_RATIOS
VOLATILE = Stability.VOLATILE
#: Every flag: what a Palaver utility function is unless told otherwise.
STATIONARY = Stability((1 << 11) - 1)
#: Lowest, highest and reserved utility stable.
STABLE_SCALE = STABLE_MIN | STABLE_MAX | STABLE_RESERVED_VALUE
#: Difference ratios and the relative reserved value stable.
SCALE_INVARIANT = STABLE_DIFF_RATIOS | STABLE_RESERVED_VALUE


class StabilityMixin:
    """NegMAS's stability queries on a utility function, read from its :attr:`stability`.

    Setting :attr:`stability` after construction is a change of preferences,
    as in NegMAS: it is kept for :meth:`changes`, and the ``owner`` (the
    negotiator using the preferences in a running negotiation) is told at
    once through ``on_preferences_changed``.
    """

    # Set directly by constructors: a stability given at construction is no change.
    _stability: Stability = STATIONARY

    @property
    def stability(self) -> Stability:
        """What may change during a negotiation (:data:`STATIONARY`: nothing)."""
        return self._stability

    @stability.setter
    def stability(self, value: Stability | int) -> None:
        new, old = checked_stability(value), self._stability
        if new == old:
            return
        self._stability = new
        if not old & ~new:
            kind = PreferencesChangeType.StabilityIncreased
        elif not new & ~old:
            kind = PreferencesChangeType.StabilityReduced
        else:
            kind = PreferencesChangeType.StabilityChanged
        change = PreferencesChange(kind, data={"old": old, "new": new})
        self._changes: list[PreferencesChange] = [*getattr(self, "_changes", ()), change]
        owner = getattr(self, "owner", None)
        if owner is not None:
            owner.on_preferences_changed([change])

    def changes(self) -> list[PreferencesChange]:
        """The changes since the last call (NegMAS's): always none while stationary."""
        if self.stability.is_stationary:
            return []
        found = list(getattr(self, "_changes", ()))
        self.reset_changes()
        return found

    def reset_changes(self) -> None:
        """Forget the changes kept for :meth:`changes`."""
        self._changes = []

    def is_stationary(self) -> bool:
        """Every stability flag is set."""
        return self.stability.is_stationary

    def is_volatile(self) -> bool:
        """No stability flag is set."""
        return self.stability.is_volatile

    def is_session_dependent(self) -> bool:
        """Not stationary (NegMAS's definition: any missing flag counts)."""
        return not self.stability.is_stationary

    def is_state_dependent(self) -> bool:
        """Not stationary (NegMAS's definition: any missing flag counts)."""
        return not self.stability.is_stationary

    @property
    def has_stable_min(self) -> bool:
        """See :attr:`Stability.has_stable_min`."""
        return self.stability.has_stable_min

    @property
    def has_stable_max(self) -> bool:
        """See :attr:`Stability.has_stable_max`."""
        return self.stability.has_stable_max

    @property
    def has_stable_extremes(self) -> bool:
        """See :attr:`Stability.has_stable_extremes`."""
        return self.stability.has_stable_extremes

    @property
    def has_stable_reserved_value(self) -> bool:
        """See :attr:`Stability.has_stable_reserved_value`."""
        return self.stability.has_stable_reserved_value

    @property
    def has_fixed_reserved_value(self) -> bool:
        """See :attr:`Stability.has_fixed_reserved_value`."""
        return self.stability.has_fixed_reserved_value

    @property
    def has_stable_rational_outcomes(self) -> bool:
        """See :attr:`Stability.has_stable_rational_outcomes`."""
        return self.stability.has_stable_rational_outcomes

    @property
    def has_stable_irrational_outcomes(self) -> bool:
        """See :attr:`Stability.has_stable_irrational_outcomes`."""
        return self.stability.has_stable_irrational_outcomes

    @property
    def has_stable_ordering(self) -> bool:
        """See :attr:`Stability.has_stable_ordering`."""
        return self.stability.has_stable_ordering

    @property
    def has_stable_diff_ratios(self) -> bool:
        """See :attr:`Stability.has_stable_diff_ratios`."""
        return self.stability.has_stable_diff_ratios

    @property
    def has_stable_scale(self) -> bool:
        """See :attr:`Stability.has_stable_scale`."""
        return self.stability.has_stable_scale

    @property
    def is_scale_invariant(self) -> bool:
        """See :attr:`Stability.is_scale_invariant`."""
        return self.stability.is_scale_invariant


def checked_stability(stability: object) -> Stability:
    """``stability`` as :class:`Stability` flags; ``TypeError`` unless an int (not a bool)."""
    if isinstance(stability, bool) or not isinstance(stability, int):
        raise TypeError(f"stability must be Stability flags (an int), got {stability!r}")
    return Stability(stability)

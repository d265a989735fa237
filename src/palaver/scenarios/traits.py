"""What a :class:`~palaver.scenarios.Scenario`'s utility functions are, taken together:
NegMAS's ``is_linear`` and its stability questions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from palaver.preferences import (
    STATIONARY,
    ConstUtilityFunction,
    DiscountedUtilityFunction,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    Stability,
)
from palaver.scenarios.transform import unwrap

if TYPE_CHECKING:
    from palaver.preferences import UtilityFunction

__all__ = ["ScenarioTraits"]

_LINEAR = (LinearUtilityFunction, LinearAdditiveUtilityFunction, ConstUtilityFunction)


def _undiscounted(ufun: UtilityFunction) -> UtilityFunction:
    """``ufun`` without its affine maps and discounting."""
    inner = unwrap(ufun)[0]
    while isinstance(inner, DiscountedUtilityFunction):
        inner = unwrap(inner.ufun)[0]
    return inner


class ScenarioTraits:
    """NegMAS's ``is_linear`` and stability members of ``Scenario`` (a base of it)."""

    if TYPE_CHECKING:

        @property
        def ufuns(self) -> tuple[UtilityFunction, ...]: ...

    @property
    def is_linear(self) -> bool:
        """Whether every utility function is linear, linear-additive or constant
        (also once normalized or scaled: a linear map keeps it so), as NegMAS's
        ``Scenario.is_linear``; a discounted one counts by what it discounts,
        as there)."""
        return all(isinstance(_undiscounted(u), _LINEAR) for u in self.ufuns)

    @property
    def stability(self) -> Stability:
        """The stability flags every utility function has (NegMAS's: the bitwise
        AND of theirs)."""
        result = STATIONARY
        for u in self.ufuns:
            result &= u.stability
        return Stability(result)

    def is_volatile(self) -> bool:
        """Whether the utility functions together promise no stability at all."""
        return self.stability.is_volatile

    def is_stationary(self) -> bool:
        """Whether every utility function is stationary (all flags set)."""
        return self.stability.is_stationary

    def is_session_dependent(self) -> bool:
        """Whether some utility function depends on the negotiation session."""
        return self.stability.is_session_dependent

    def is_state_dependent(self) -> bool:
        """Whether some utility function depends on the negotiation's state."""
        return self.stability.is_state_dependent

    @property
    def has_stable_min(self) -> bool:
        """Whether every utility function's lowest utility is stable."""
        return self.stability.has_stable_min

    @property
    def has_stable_max(self) -> bool:
        """Whether every utility function's highest utility is stable."""
        return self.stability.has_stable_max

    @property
    def has_stable_ordering(self) -> bool:
        """Whether every utility function's order of outcomes is stable."""
        return self.stability.has_stable_ordering

    @property
    def has_stable_diff_ratios(self) -> bool:
        """Whether every utility function's ratios of utility differences are stable."""
        return self.stability.has_stable_diff_ratios

"""What a :class:`~palaver.scenarios.Scenario`'s utility functions are, taken together:
NegMAS's ``is_linear``, its stability questions and ``calc_standard_info``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from palaver.preferences import (
    STATIONARY,
    ConstUtilityFunction,
    DiscountedUtilityFunction,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    Stability,
)
from palaver.scenarios.standard_info import calc_standard_info
from palaver.scenarios.transform import unwrap

if TYPE_CHECKING:
    from palaver.outcomes import OutcomeSpace
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
    """NegMAS's ``is_linear``, stability members and ``calc_standard_info`` of
    ``Scenario`` (a base of it)."""

    if TYPE_CHECKING:
        info: dict[str, Any]

        @property
        def ufuns(self) -> tuple[UtilityFunction, ...]: ...

        @property
        def outcome_space(self) -> OutcomeSpace: ...

    def calc_standard_info(self, calc_rational: bool = True) -> dict[str, Any]:
        """NegMAS's standard information of the scenario, added to :attr:`info`
        (other keys kept) and returned: ``n_negotiators``, ``n_outcomes``,
        ``n_issues``, ``opposition_level`` and (with ``calc_rational``)
        ``rational_fraction``, as
        :func:`~palaver.scenarios.standard_info.calc_standard_info` defines them."""
        found = calc_standard_info(
            self.ufuns, outcome_space=self.outcome_space, calc_rational=calc_rational
        )
        self.info.update(found)
        return found

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

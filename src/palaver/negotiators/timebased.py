"""NegMAS's ``TimeBasedConcedingNegotiator``: the time-based concession strategy
under its NegMAS name and arguments (``offering_curve``, ``starting_utility``).

NegMAS's getting-started page imports it; its presets (``BoulwareTBNegotiator``
and the others) are Palaver's :class:`~palaver.negotiators.BoulwareNegotiator`
and friends. It concedes exactly as :class:`~palaver.negotiators.AspirationNegotiator`
does: the aspiration, a share of the range between its floor and its best
utility, falls as ``starting_utility * (1 - t ** exponent)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from palaver._util.checks import check_real
from palaver.negotiators.aspiration import AspirationNegotiator, aspiration_exponent
from palaver.negotiators.ranking import DEFAULT_N_LEVELS
from palaver.preferences.protocol import UtilityFunctionLike

__all__ = ["TimeBasedConcedingNegotiator", "TimeBasedNegotiator"]


class TimeBasedConcedingNegotiator(AspirationNegotiator):
    """Concedes with time only, along one aspiration curve (NegMAS's class).

    Args:
        offering_curve: ``"boulware"`` (default), ``"linear"``, ``"conceder"``
            or the curve's exponent (a number > 0): how the aspiration falls
            from ``starting_utility`` at the start to the floor at the end.
        accepting_curve: The curve for accepting; ``None`` (the default), or
            the same curve as ``offering_curve``: it accepts what it would
            offer. Another curve raises ``ValueError`` (one curve rules both
            here, which is what lets a negotiation between such negotiators be
            planned without a Python call per round).
        starting_utility: The aspiration at the start, a share of the range
            between the floor and the best utility, in ``[0, 1]`` (default 1).
        stochastic: ``True`` proposes an outcome drawn (from the generator the
            mechanism hands it) among those its aspiration allows, instead of
            the worst of them.
        n_levels: Levels per continuous issue for its own proposals.
    """

    def __init__(
        self,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        *,
        offering_curve: str | float = "boulware",
        accepting_curve: str | float | None = None,
        starting_utility: float = 1.0,
        stochastic: bool = False,
        n_levels: int = DEFAULT_N_LEVELS,
        owner: Any = None,
        private_info: Mapping[str, Any] | None = None,
    ) -> None:
        exponent = aspiration_exponent(offering_curve, "offering_curve")
        start = check_real("starting_utility", starting_utility)
        if not 0.0 <= start <= 1.0:
            raise ValueError(
                f"starting_utility must be a share of the utility range in [0, 1], "
                f"got {starting_utility!r}"
            )
        if (
            accepting_curve is not None
            and aspiration_exponent(accepting_curve, "accepting_curve") != exponent
        ):
            raise ValueError(
                f"accepting_curve must be None or the offering curve ({offering_curve!r}), "
                f"got {accepting_curve!r}: this negotiator accepts what it would offer"
            )
        super().__init__(
            name,
            ufun,
            preferences,
            id,
            aspiration_type=exponent,
            n_levels=n_levels,
            max_aspiration=start,
            stochastic=stochastic,
            owner=owner,
            private_info=private_info,
        )
        self.offering_curve = offering_curve

    @property
    def starting_utility(self) -> float:
        """NegMAS's name of :attr:`max_aspiration`: the aspiration at the start."""
        return self.max_aspiration


TimeBasedNegotiator = TimeBasedConcedingNegotiator
"""NegMAS's base of the time-based strategies; here the same class (NegMAS's
takes curve objects; names and exponents work the same)."""

"""A utility function with a random value per outcome (NegMAS's ``RandomUtilityFunction``)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from palaver.outcomes import Issue, OutcomeSpace, OutcomeSpaceError
from palaver.preferences.base import UtilityFunction

__all__ = ["RandomUtilityFunction"]


class RandomUtilityFunction(UtilityFunction):
    """Each outcome of a discrete outcome space gets a utility drawn uniformly in ``rng``.

    The draws come from a generator seeded by ``seed`` (drawn from the
    operating system and kept in :attr:`seed` when ``None``), in enumeration
    order, so the same seed and outcome space give the same function.
    Continuous issues are refused (``OutcomeSpaceError``): discretise them.

    Args:
        rng: The ``(low, high)`` range of the utilities (NegMAS's name).
        reserved_value: The utility of no agreement.
        outcome_space: The outcome space (or ``issues=`` / ``outcomes=``); a
            mechanism sets it when the function joins without one.
        seed: The seed of the draws.
    """

    def __init__(
        self,
        rng: tuple[float, float] = (0.0, 1.0),
        reserved_value: float = -math.inf,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
        seed: int | None = None,
    ) -> None:
        try:
            low, high = (float(x) for x in rng)
        except (TypeError, ValueError):
            raise ValueError(f"rng must be a (low, high) pair of numbers; got {rng!r}") from None
        if not (math.isfinite(low) and math.isfinite(high)) or low > high:
            raise ValueError(f"rng must be a finite (low, high) pair with low <= high; got {rng!r}")
        if seed is None:
            entropy = np.random.SeedSequence().entropy
            seed = int(entropy) % (2**63) if isinstance(entropy, int) else 0
        elif isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ValueError(f"seed must be an int >= 0 or None; got {seed!r}")
        self.rng_range = (low, high)
        self.seed = seed
        self._values: dict[tuple[Any, ...], float] = {}
        super().__init__(reserved_value, outcome_space)

    def _on_outcome_space(self, outcome_space: OutcomeSpace | None) -> None:
        if outcome_space is None:
            self._values = {}
            return
        if not outcome_space.is_discrete:
            raise OutcomeSpaceError(
                "RandomUtilityFunction needs a discrete outcome space; discretise the "
                "continuous issues first (OutcomeSpace.discretize)"
            )
        outcomes = outcome_space.enumerate()
        low, high = self.rng_range
        draws = np.random.default_rng(self.seed).uniform(low, high, len(outcomes))
        self._values = dict(zip(outcomes, draws.tolist(), strict=True))

    def eval(self, outcome: tuple[Any, ...]) -> float:
        """The utility drawn for ``outcome`` (``KeyError`` for one outside the space)."""
        try:
            return self._values[outcome]
        except KeyError:
            if self.outcome_space is None:
                raise OutcomeSpaceError("RandomUtilityFunction has no outcome space yet") from None
            space = self.outcome_space
            raise OutcomeSpaceError(f"{outcome!r} is not an outcome of {space}") from None

    def __repr__(self) -> str:
        return f"RandomUtilityFunction(rng={self.rng_range}, seed={self.seed})"

    def __reduce__(self) -> Any:
        return (type(self), (self.rng_range, self.reserved_value, self.outcome_space, self.seed))

"""What the ``random()`` constructors of the utility functions share.

NegMAS's ``LinearUtilityFunction.random(issues)`` and
``LinearAdditiveUtilityFunction.random(outcome_space)`` draw from Python's
global generator; Palaver's draw from one ``numpy`` generator made from
``seed``, so a seed gives the same function.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias

import numpy as np

from palaver._util.checks import check_items, check_real
from palaver.outcomes import Issue, OutcomeSpace

#: What ``random()`` takes as its seed: an int, a numpy generator (drawn from
#: in place), or ``None`` for fresh operating-system entropy.
Seed: TypeAlias = int | np.random.Generator | None

#: A reserved value: a number, or a ``(low, high)`` range to draw it from.
ReservedValue: TypeAlias = float | tuple[float, float]


def generator(seed: Seed) -> np.random.Generator:
    """The generator ``seed`` stands for (refusing a bool or a negative int)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise ValueError(f"seed must be an int >= 0, a numpy Generator or None; got {seed!r}")
    return np.random.default_rng(seed)


def space_of(
    issues: OutcomeSpace | Iterable[Issue] | None, outcome_space: OutcomeSpace | None
) -> OutcomeSpace:
    """The one outcome space given as ``issues`` or ``outcome_space`` (either may be a space)."""
    if (issues is None) == (outcome_space is None):
        raise ValueError("give the issues or the outcome space (one of the two)")
    given = outcome_space if outcome_space is not None else issues
    if isinstance(given, OutcomeSpace):
        return given
    name = "issues" if outcome_space is None else "outcome_space"
    return OutcomeSpace(check_items(name, given, "issues, or an OutcomeSpace"))


def draw_reserved(rng: np.random.Generator, reserved_value: ReservedValue) -> float:
    """``reserved_value`` itself, or a uniform draw from a ``(low, high)`` range."""
    if isinstance(reserved_value, tuple | list):
        if len(reserved_value) != 2:
            raise ValueError(f"reserved_value range must be (low, high), got {reserved_value!r}")
        low = check_real("reserved_value low", reserved_value[0])
        high = check_real("reserved_value high", reserved_value[1])
        if low > high:
            raise ValueError(f"reserved_value range has low > high: {reserved_value!r}")
        return float(rng.uniform(low, high))
    return check_real("reserved_value", reserved_value, inf_ok=True)

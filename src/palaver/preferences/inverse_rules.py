"""The range rules every inverter's queries share, and the ranking they search.

See :mod:`palaver.preferences.inverse_base` for the rules in words.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from palaver.outcomes import Outcome

__all__ = ["Range", "read_range"]

_WIDEN_ABS = 1e-6
_WIDEN_REL = 1e-3
_SWAP_LIMIT = 0.1

Range = float | tuple[float, float]


class _Draws(Protocol):
    """What is drawn from: the ``random`` module or a ``random.Random``."""

    def randint(self, a: int, b: int) -> int: ...

    def sample(self, population: Sequence[Outcome], k: int) -> list[Outcome]: ...

    def getrandbits(self, k: int) -> int: ...


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    number = float(value)
    if math.isnan(number):
        raise ValueError(f"{name} must not be NaN")
    return number


def read_range(rng: object) -> tuple[float, float] | None:
    """``rng`` as ``(low, high)`` by the rules in the module doc, ``None`` when it
    is upside down by more than 0.1; ``TypeError`` naming ``rng`` when it is
    neither a number nor a pair of numbers."""
    if isinstance(rng, numbers.Real) and not isinstance(rng, bool):
        v = _number("rng", rng)
        tolerance = max(_WIDEN_REL * v, _WIDEN_ABS)
        return v - tolerance, v + tolerance
    if not isinstance(rng, tuple | list) or len(rng) != 2:
        raise TypeError(f"rng must be a number or a (low, high) pair, got {rng!r}")
    low, high = _number("rng[0]", rng[0]), _number("rng[1]", rng[1])
    if low > high:
        if low - high > _SWAP_LIMIT:
            return None
        low, high = high, low
    return low, high


class _Ranking:
    """Outcomes and utilities, the answers (rational ones) first, sorted by utility."""

    __slots__ = ("high", "last", "low", "outcomes", "utils")

    def __init__(self, outcomes: list[Outcome], utils: np.ndarray, reserved: float | None) -> None:
        answer = np.ones(len(utils), bool) if reserved is None else utils >= reserved
        order = np.argsort(utils[answer], kind="stable")
        kept = np.flatnonzero(answer)[order]
        rest = np.flatnonzero(~answer)
        self.outcomes: list[Outcome] = [outcomes[i] for i in kept.tolist()] + [
            outcomes[i] for i in rest.tolist()
        ]
        self.utils = np.concatenate((utils[kept], utils[rest]))
        #: The position of the best answer (-1: none).
        self.last = len(kept) - 1
        # Normalized ranges are read on the whole space, answers or not.
        self.low = float(utils.min()) if len(utils) else 0.0
        self.high = float(utils.max()) if len(utils) else 0.0

    def raw(self, rng: object, normalized: bool) -> tuple[float, float] | None:
        bounds = read_range(rng)
        if bounds is None or not normalized:
            return bounds
        span = self.high - self.low
        if span < _WIDEN_ABS:  # one utility everywhere: any range means all of it
            return self.low, self.high
        return self.low + bounds[0] * span, self.low + bounds[1] * span

    def first_at_least(self, x: float) -> int:
        """The first answer of utility >= x (the best answer when none is)."""
        i = int(np.searchsorted(self.utils[: self.last + 1], x, "left"))
        return min(i, self.last)

    def last_at_most(self, x: float) -> int:
        """The last answer of utility <= x (the worst answer when none is)."""
        i = int(np.searchsorted(self.utils[: self.last + 1], x, "right")) - 1
        return max(i, 0)


def _eps(value: object) -> float:
    if type(value) is float and value >= 0.0:  # the usual case, checked cheaply (NaN fails)
        return value
    eps = _number("eps", value)
    if eps < 0:
        raise ValueError(f"eps must be >= 0, got {value!r}")
    return eps


def _pair(name: str, value: object) -> tuple[Any, Any]:
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise TypeError(f"{name} must be a (low, high) pair, got {value!r}")
    return value[0], value[1]

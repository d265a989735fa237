"""NegMAS's numeric single-issue value functions: polynomials, curves and bumps.

Each takes NegMAS's constructor arguments (names, order and defaults) and
gives NegMAS's numbers. Unlike NegMAS, whose ranges over a continuous issue
are sampled, ``minmax`` is exact on a continuous or integer issue: every
function here knows the points where it can turn (a vertex, a peak, the
corners of a tent), and its extremes over an interval lie at the interval's
ends or at those points. On other discrete issues every value is evaluated.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np

from palaver._util.checks import check_real
from palaver.outcomes import Issue
from palaver.outcomes.issues import IntegerIssue
from palaver.preferences.value_functions import BaseFun

__all__ = [
    "CosFun",
    "ExponentialFun",
    "GaussianFun",
    "LogFun",
    "PolynomialFun",
    "QuadraticFun",
    "SinFun",
    "TrapezoidalFun",
    "TriangularFun",
]

# Beyond this many turning points in an issue's range (a fast oscillation), a
# sine or cosine uses the turns of its first two periods on a continuous issue
# (they hold both extremes) and evaluates every value of an integer one.
_MAX_TURNS = 10_000


def _finite(owner: str, name: str, value: Any) -> float:
    return check_real(f"{owner}.{name}", value)


def interval_points(issue: Issue, turns: Iterable[float]) -> list[Any]:
    """The ends of a continuous or integer issue and the ``turns`` inside it.

    For an integer issue, the integers either side of each turn instead: a
    function monotone between its turns has its extremes over the integers there.
    """
    lo, hi = issue.numeric_bounds()
    points = [lo, hi, *(t for t in turns if lo < t < hi)]
    if issue.is_continuous:
        return points
    snapped = {math.floor(p) for p in points} | {math.ceil(p) for p in points}
    return sorted(v for v in snapped if lo <= v <= hi)


class _CurveFun(BaseFun):
    """A numeric value function whose extremes over an interval are at known points.

    Every subclass is a frozen dataclass with a ``bias``; ``scale_by``
    multiplies it and the fields named in :attr:`_scaled` (its height).
    """

    if TYPE_CHECKING:
        bias: float

    #: The fields, besides ``bias``, that :meth:`scale_by` multiplies.
    _scaled: ClassVar[tuple[str, ...]] = ("scale",)

    def shift_by(self, offset: float) -> Self:
        """``bias + offset``: the same shape, moved."""
        # The subclasses are the dataclasses: mypy cannot see it from here.
        return replace(self, bias=self.bias + check_real("offset", offset))  # type: ignore[type-var]

    def scale_by(self, scale: float) -> Self:
        """``bias`` and the height (:attr:`_scaled`) times ``scale``; the shape's
        position (corners, centre, vertex) stays."""
        s = check_real("scale", scale)
        scaled = {name: getattr(self, name) * s for name in self._scaled}
        return replace(self, bias=self.bias * s, **scaled)  # type: ignore[type-var]

    def _turns(self, lo: float, hi: float) -> Iterable[float]:
        """Points strictly inside ``(lo, hi)`` where the function may change direction."""
        raise NotImplementedError

    def _candidates(self, issue: Issue) -> list[Any] | None:
        """Issue values among which the function's extremes over the issue lie.

        ``None`` for an issue that is neither continuous nor an integer range
        (its values are then evaluated one by one).
        """
        if not (issue.is_continuous or isinstance(issue, IntegerIssue)):
            return None
        lo, hi = issue.numeric_bounds()
        return interval_points(issue, self._turns(lo, hi))

    def minmax(self, issue: Issue) -> tuple[float, float]:
        """The exact lowest and highest value over the issue.

        On a continuous or integer issue only the ends and the turning points
        are evaluated; on another discrete issue, every value.
        """
        points = self._candidates(issue)
        if points is None:
            return super().minmax(issue)
        values = [float(self(p)) for p in points]
        return min(values), max(values)


@dataclass(frozen=True)
class QuadraticFun(_CurveFun):
    """``a2 * x**2 + a1 * x + bias``."""

    a2: float
    a1: float
    bias: float = 0.0
    _scaled: ClassVar[tuple[str, ...]] = ("a2", "a1")

    def __post_init__(self) -> None:
        for name in ("a2", "a1", "bias"):
            object.__setattr__(self, name, _finite("QuadraticFun", name, getattr(self, name)))

    def __call__(self, x: Any) -> float:
        return float(self.a2 * x * x + self.a1 * x + self.bias)

    def _turns(self, lo: float, hi: float) -> Iterable[float]:
        return [-self.a1 / (2.0 * self.a2)] if self.a2 else []


@dataclass(frozen=True)
class PolynomialFun(_CurveFun):
    """``bias + coefficients[0] * x + coefficients[1] * x**2 + ...``.

    The first coefficient multiplies ``x`` (power 1): the constant term is ``bias``.
    """

    coefficients: Sequence[float]
    bias: float = 0.0

    def __post_init__(self) -> None:
        given = self.coefficients
        if isinstance(given, str | bytes) or not isinstance(given, Sequence | np.ndarray):
            raise TypeError(
                "PolynomialFun.coefficients must be a sequence of numbers (for powers 1, 2, "
                f"...), got {given!r} ({type(given).__name__})"
            )
        object.__setattr__(
            self,
            "coefficients",
            tuple(_finite("PolynomialFun", f"coefficients[{k}]", c) for k, c in enumerate(given)),
        )
        object.__setattr__(self, "bias", _finite("PolynomialFun", "bias", self.bias))

    def __call__(self, x: Any) -> float:
        total = self.bias
        for power, c in enumerate(self.coefficients, start=1):
            total += c * math.pow(x, power)
        return total

    def _turns(self, lo: float, hi: float) -> Iterable[float]:
        # The real roots of the derivative, highest power first for numpy.
        slope = [power * c for power, c in enumerate(self.coefficients, start=1)][::-1]
        while slope and slope[0] == 0.0:
            slope.pop(0)
        if len(slope) < 2:
            return []
        roots = np.roots(slope)
        return [float(r.real) for r in roots if abs(r.imag) <= 1e-9 * max(1.0, abs(r))]

    def shift_by(self, offset: float) -> PolynomialFun:
        """``bias + offset``."""
        return PolynomialFun(self.coefficients, self.bias + check_real("offset", offset))

    def scale_by(self, scale: float) -> PolynomialFun:
        """Every coefficient and the bias times ``scale``."""
        s = check_real("scale", scale)
        return PolynomialFun(tuple(c * s for c in self.coefficients), self.bias * s)


@dataclass(frozen=True)
class TriangularFun(_CurveFun):
    """A tent: ``bias`` up to ``start``, rising to ``bias + scale`` at ``middle``, back at ``end``.

    Needs ``start <= middle <= end``. As in NegMAS, ``start`` and ``end``
    themselves give ``bias``.
    """

    start: float
    middle: float
    end: float
    bias: float = 0.0
    scale: float = 1.0

    def __post_init__(self) -> None:
        for name in ("start", "middle", "end", "bias", "scale"):
            object.__setattr__(self, name, _finite("TriangularFun", name, getattr(self, name)))
        if not self.start <= self.middle <= self.end:
            raise ValueError(
                "TriangularFun needs start <= middle <= end, got "
                f"start={self.start!r}, middle={self.middle!r}, end={self.end!r}"
            )

    def __call__(self, x: Any) -> float:
        v = float(x)
        if v <= self.start or v >= self.end:
            return self.bias
        if v <= self.middle:
            return self.bias + self.scale * (v - self.start) / (self.middle - self.start)
        return self.bias + self.scale * (self.end - v) / (self.end - self.middle)

    def _turns(self, lo: float, hi: float) -> Iterable[float]:
        turns = [self.start, self.middle, self.end]
        # A side of zero width is a jump: the peak is only approached, from
        # just inside, so that point (and its integer neighbour) is a candidate.
        if self.middle == self.start:
            turns.append(math.nextafter(self.start, math.inf))
        if self.middle == self.end:
            turns.append(math.nextafter(self.end, -math.inf))
        return turns


@dataclass(frozen=True)
class TrapezoidalFun(_CurveFun):
    """A tent with a flat top: rising from ``start`` to ``rise_end``, level, falling to ``end``.

    ``bias`` outside ``[start, end]`` and ``bias + scale`` on
    ``[rise_end, fall_start]``; needs ``start <= rise_end <= fall_start <= end``.
    """

    start: float
    rise_end: float
    fall_start: float
    end: float
    bias: float = 0.0
    scale: float = 1.0

    def __post_init__(self) -> None:
        for name in ("start", "rise_end", "fall_start", "end", "bias", "scale"):
            object.__setattr__(self, name, _finite("TrapezoidalFun", name, getattr(self, name)))
        if not self.start <= self.rise_end <= self.fall_start <= self.end:
            raise ValueError(
                "TrapezoidalFun needs start <= rise_end <= fall_start <= end, got "
                f"start={self.start!r}, rise_end={self.rise_end!r}, "
                f"fall_start={self.fall_start!r}, end={self.end!r}"
            )

    def __call__(self, x: Any) -> float:
        v = float(x)
        if v < self.start or v > self.end:
            return self.bias
        if v <= self.rise_end:
            if self.rise_end == self.start:
                return self.bias + self.scale
            return self.bias + self.scale * (v - self.start) / (self.rise_end - self.start)
        if v <= self.fall_start:
            return self.bias + self.scale
        # Here fall_start < v <= end, so the divisor is positive.
        return self.bias + self.scale * (self.end - v) / (self.end - self.fall_start)

    def _turns(self, lo: float, hi: float) -> Iterable[float]:
        return [self.start, self.rise_end, self.fall_start, self.end]


@dataclass(frozen=True)
class GaussianFun(_CurveFun):
    """A bell: ``bias + scale * exp(-(x - center)**2 / (2 * sigma**2))`` (``sigma > 0``)."""

    center: float
    sigma: float
    bias: float = 0.0
    scale: float = 1.0

    def __post_init__(self) -> None:
        for name in ("center", "bias", "scale"):
            object.__setattr__(self, name, _finite("GaussianFun", name, getattr(self, name)))
        object.__setattr__(
            self, "sigma", check_real("GaussianFun.sigma", self.sigma, positive=True)
        )

    def __call__(self, x: Any) -> float:
        v = float(x)
        return self.bias + self.scale * math.exp(
            -((v - self.center) ** 2) / (2 * self.sigma * self.sigma)
        )

    def _turns(self, lo: float, hi: float) -> Iterable[float]:
        return [self.center]


@dataclass(frozen=True)
class ExponentialFun(_CurveFun):
    """``scale * base**(tau * x) + bias`` (``base > 0``).

    ``scale`` is Palaver's: NegMAS has no such argument (its ``scale_by``
    cannot be kept exponential without it); it defaults to 1, NegMAS's function.
    """

    tau: float
    bias: float = 0.0
    base: float = math.e
    scale: float = 1.0

    def __post_init__(self) -> None:
        for name in ("tau", "bias", "scale"):
            object.__setattr__(self, name, _finite("ExponentialFun", name, getattr(self, name)))
        object.__setattr__(
            self, "base", check_real("ExponentialFun.base", self.base, positive=True)
        )

    def __call__(self, x: Any) -> float:
        return self.scale * math.pow(self.base, self.tau * x) + self.bias

    def _turns(self, lo: float, hi: float) -> Iterable[float]:
        return []  # monotone


@dataclass(frozen=True)
class LogFun(_CurveFun):
    """``scale * log(tau * x, base) + bias``, for ``tau * x > 0`` (``base > 0``, not 1)."""

    tau: float
    bias: float = 0.0
    base: float = math.e
    scale: float = 1.0

    def __post_init__(self) -> None:
        for name in ("tau", "bias", "scale"):
            object.__setattr__(self, name, _finite("LogFun", name, getattr(self, name)))
        object.__setattr__(self, "base", check_real("LogFun.base", self.base, positive=True))
        if self.tau == 0.0:
            raise ValueError("LogFun.tau must be a nonzero finite number, got 0.0")
        if self.base == 1.0:
            raise ValueError("LogFun.base must be a positive number other than 1, got 1.0")

    def __call__(self, x: Any) -> float:
        try:
            return self.scale * math.log(self.tau * x, self.base) + self.bias
        except ValueError:
            raise ValueError(
                f"LogFun(tau={self.tau!r}) cannot evaluate {x!r}: tau * x must be positive"
            ) from None

    def _turns(self, lo: float, hi: float) -> Iterable[float]:
        return []  # monotone


@dataclass(frozen=True)
class _WaveFun(_CurveFun):
    """``amplitude * wave(multiplier * x + phase) + bias``."""

    multiplier: float = 1.0
    bias: float = 0.0
    phase: float = 0.0
    amplitude: float = 1.0
    _scaled: ClassVar[tuple[str, ...]] = ("amplitude",)
    # The wave's first turn, as an angle: sin turns at pi/2 (+ k*pi), cos at 0.
    _first_turn: ClassVar[float] = 0.0

    def __post_init__(self) -> None:
        owner = type(self).__name__
        for name in ("multiplier", "bias", "phase", "amplitude"):
            object.__setattr__(self, name, _finite(owner, name, getattr(self, name)))

    def _turn_range(self, lo: float, hi: float) -> tuple[int, int]:
        """The first and last ``k`` whose turn angle ``k * pi + first turn`` is in range."""
        a, b = sorted((self.multiplier * lo + self.phase, self.multiplier * hi + self.phase))
        first = math.ceil((a - self._first_turn) / math.pi)
        return first, math.floor((b - self._first_turn) / math.pi)

    def _turns(self, lo: float, hi: float) -> Iterable[float]:
        m = self.multiplier
        if m == 0.0:
            return []
        first, last = self._turn_range(lo, hi)
        if last - first >= _MAX_TURNS:
            # Two periods hold both extremes of the wave over a continuous range.
            last = first + 3
        turn = self._first_turn - self.phase
        return [(k * math.pi + turn) / m for k in range(first, last + 1)]

    def _candidates(self, issue: Issue) -> list[Any] | None:
        if not issue.is_continuous and self.multiplier != 0.0:
            first, last = self._turn_range(*issue.numeric_bounds())
            if last - first >= _MAX_TURNS:
                # Over the integers a fast wave peaks anywhere: only evaluating every value tells.
                return None
        return super()._candidates(issue)


@dataclass(frozen=True)
class SinFun(_WaveFun):
    """``amplitude * sin(multiplier * x + phase) + bias``."""

    _first_turn: ClassVar[float] = math.pi / 2

    def __call__(self, x: Any) -> float:
        return self.amplitude * math.sin(self.multiplier * x + self.phase) + self.bias


@dataclass(frozen=True)
class CosFun(_WaveFun):
    """``amplitude * cos(multiplier * x + phase) + bias``."""

    def __call__(self, x: Any) -> float:
        return self.amplitude * math.cos(self.multiplier * x + self.phase) + self.bias

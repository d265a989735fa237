"""NegMAS's value functions built from other value functions.

:class:`BiasedFun` adds a constant to one function, :class:`AggregatingFun`
weighs several, and :class:`MultiModalTrapezoidalFun` /
:class:`MultiModalGaussianFun` weigh several trapezoids or bells given by
their parameters. All take NegMAS 0.16's arguments and give its numbers.

Ranges: a sum of piecewise-linear parts (affine, constant, tent, trapezoid)
has its extremes at the parts' corners, so its range is exact on a
continuous or integer issue. A sum with smooth parts (bells, curves) has no
closed form: on a continuous issue its extremes are searched numerically
(1,001 evenly spaced points plus each part's own turns, then each local
extreme narrowed by golden-section search), which finds every extreme
wider than the grid's step; on an integer issue every value is evaluated.
NegMAS samples 1,000 points in both cases.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Self

import numpy as np

from palaver._util.checks import check_real
from palaver.outcomes import Issue
from palaver.outcomes.issues import IntegerIssue
from palaver.preferences.value_curves import (
    GaussianFun,
    TrapezoidalFun,
    TriangularFun,
    _CurveFun,
    interval_points,
)
from palaver.preferences.value_functions import AffineFun, BaseFun, ConstFun, from_plain

__all__ = ["AggregatingFun", "BiasedFun", "MultiModalGaussianFun", "MultiModalTrapezoidalFun"]

# The evenly spaced points a smooth sum is first evaluated at over a continuous issue.
_GRID = 1001
_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0


def _kinks(fun: BaseFun, lo: float, hi: float) -> list[float] | None:
    """The corners of a piecewise-linear function, or ``None`` if it has smooth parts."""
    if isinstance(fun, AffineFun | ConstFun):
        return []
    if isinstance(fun, TriangularFun | TrapezoidalFun):
        return list(fun._turns(lo, hi))
    if isinstance(fun, _Mixture):
        kinks: list[float] = []
        for _, part in fun._parts():
            more = _kinks(part, lo, hi)
            if more is None:
                return None
            kinks += more
        return kinks
    return None


def _turns(fun: BaseFun, lo: float, hi: float) -> list[float]:
    """Where the parts of ``fun`` turn: good seeds for a numeric search."""
    if isinstance(fun, _CurveFun):
        return [t for t in fun._turns(lo, hi) if lo < t < hi]
    if isinstance(fun, _Mixture):
        return [t for _, part in fun._parts() for t in _turns(part, lo, hi)]
    return []


def _narrow(f: Callable[[float], float], a: float, b: float, sign: float) -> float:
    """Where ``sign * f`` peaks inside ``[a, b]``, if it rises then falls there."""
    c, d = b - _GOLDEN * (b - a), a + _GOLDEN * (b - a)
    fc, fd = sign * f(c), sign * f(d)
    for _ in range(100):
        if b - a <= 1e-12 * max(1.0, abs(a), abs(b)):
            break
        if fc >= fd:
            b, d, fd = d, c, fc
            c = b - _GOLDEN * (b - a)
            fc = sign * f(c)
        else:
            a, c, fc = c, d, fd
            d = a + _GOLDEN * (b - a)
            fd = sign * f(d)
    return (a + b) / 2.0


def _search(f: Callable[[float], float], lo: float, hi: float, seeds: list[float]) -> list[float]:
    """Points of ``[lo, hi]`` holding the extremes of ``f`` (to within the grid's step)."""
    xs = sorted({*np.linspace(lo, hi, _GRID).tolist(), *seeds})
    ys = [f(x) for x in xs]
    points = [lo, hi, *seeds]
    for i in range(1, len(xs) - 1):
        before, here, after = ys[i - 1], ys[i], ys[i + 1]
        for sign in (1.0, -1.0):
            # A local top of sign * f (strict on one side, so a plateau adds nothing).
            b, h, a = sign * before, sign * here, sign * after
            if (h > b and h >= a) or (h >= b and h > a):
                points += [xs[i], _narrow(f, xs[i - 1], xs[i + 1], sign)]
    return points


class _Mixture(BaseFun):
    """A weighted sum of parts plus a bias; ranges as the module describes.

    Every subclass is a frozen dataclass with a ``bias`` and, but
    :class:`BiasedFun`, the ``weights`` of its parts.
    """

    bias: float

    def _parts(self) -> Sequence[tuple[float, BaseFun]]:
        """Each part with its weight."""
        raise NotImplementedError

    def shift_by(self, offset: float) -> Self:
        """``bias + offset``."""
        # The subclasses are the dataclasses: mypy cannot see it from here.
        return replace(self, bias=self.bias + check_real("offset", offset))  # type: ignore[type-var]

    def scale_by(self, scale: float) -> Self:
        """The weights and ``bias`` times ``scale``."""
        s = check_real("scale", scale)
        weights = tuple(w * s for w, _ in self._parts())
        return replace(self, weights=weights, bias=self.bias * s)  # type: ignore[type-var]

    def __call__(self, x: Any) -> float:
        return self.bias + sum(w * f(x) for w, f in self._parts())

    def _candidates(self, issue: Issue) -> list[Any] | None:
        if not (issue.is_continuous or isinstance(issue, IntegerIssue)):
            return None
        lo, hi = issue.numeric_bounds()
        kinks = _kinks(self, lo, hi)
        if kinks is not None:
            return interval_points(issue, kinks)
        if not issue.is_continuous:
            return None
        return _search(self, lo, hi, _turns(self, lo, hi))

    def minmax(self, issue: Issue) -> tuple[float, float]:
        """The lowest and highest value over the issue (see the module for how)."""
        points = self._candidates(issue)
        if points is None:
            return super().minmax(issue)
        values = [float(self(p)) for p in points]
        return min(values), max(values)


def _fun(owner: str, name: str, value: Any) -> BaseFun:
    if isinstance(value, Mapping):
        value = from_plain(value)
    if not isinstance(value, BaseFun):
        raise TypeError(
            f"{owner}.{name} must be a value function (a BaseFun such as AffineFun), "
            f"got {value!r} ({type(value).__name__})"
        )
    return value


def _numbers(owner: str, name: str, values: Any, n: int | None = None) -> tuple[float, ...]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
        raise TypeError(
            f"{owner}.{name} must be a sequence of numbers, got {values!r} "
            f"({type(values).__name__})"
        )
    numbers = tuple(check_real(f"{owner}.{name}[{i}]", v) for i, v in enumerate(values))
    if n is not None and len(numbers) != n:
        raise ValueError(f"{owner}.{name} must have {n} entries, one per part, got {len(numbers)}")
    return numbers


def _normalizing(owner: str, normalize: Any, issue: Any) -> bool:
    if not isinstance(normalize, bool):
        raise TypeError(f"{owner}.normalize must be True or False, got {normalize!r}")
    if normalize and not isinstance(issue, Issue):
        raise ValueError(
            f"{owner}(normalize=True) needs the issue to normalize over, got issue={issue!r}"
        )
    return normalize


def _unit(low: float, high: float) -> tuple[float, float]:
    """The scale and offset taking ``[low, high]`` onto ``[0, 1]`` (scale 1 if flat)."""
    span = high - low
    scale = 1.0 / span if abs(span) > 1e-12 else 1.0
    return scale, -low * scale


@dataclass(frozen=True)
class BiasedFun(_Mixture):
    """``fun(x) + bias``; with ``normalize=True``, rescaled to span ``[0, 1]`` over ``issue``.

    The normalization is applied when the function is made (``fun`` is
    scaled and ``bias`` set); ``normalize`` and ``issue`` are then reset to
    ``False`` and ``None``, as in NegMAS.
    """

    fun: BaseFun
    bias: float = 0.0
    normalize: bool = False
    issue: Issue | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fun", _fun("BiasedFun", "fun", self.fun))
        object.__setattr__(self, "bias", check_real("BiasedFun.bias", self.bias))
        if _normalizing("BiasedFun", self.normalize, self.issue):
            assert self.issue is not None
            low, high = self.fun.minmax(self.issue)
            scale, offset = _unit(low + self.bias, high + self.bias)
            object.__setattr__(self, "fun", self.fun.scale_by(scale))
            object.__setattr__(self, "bias", self.bias * scale + offset)
        object.__setattr__(self, "normalize", False)
        object.__setattr__(self, "issue", None)

    def _parts(self) -> Sequence[tuple[float, BaseFun]]:
        return ((1.0, self.fun),)

    def __call__(self, x: Any) -> float:
        return self.fun(x) + self.bias

    def minmax(self, issue: Issue) -> tuple[float, float]:
        """The wrapped function's range, moved by ``bias``."""
        low, high = self.fun.minmax(issue)
        return low + self.bias, high + self.bias

    def _candidates(self, issue: Issue) -> list[Any] | None:
        return self.fun._candidates(issue)

    def xml(self, indx: int, issue: Issue, bias: float = 0.0) -> str:
        """The wrapped function's XML with ``bias`` added."""
        return self.fun.xml(indx, issue, bias + self.bias)

    def scale_by(self, scale: float) -> BiasedFun:
        """The wrapped function and ``bias`` times ``scale``."""
        s = check_real("scale", scale)
        return BiasedFun(self.fun.scale_by(s), self.bias * s)

    def to_dict(self) -> dict[str, Any]:
        """``type``, the wrapped function as a dict, ``bias``; ``normalize``/``issue`` unset."""
        return {
            "type": "BiasedFun",
            "fun": self.fun.to_dict(),
            "bias": self.bias,
            "normalize": False,
            "issue": None,
        }


@dataclass(frozen=True)
class AggregatingFun(_Mixture):
    """``bias + sum(w * f(x))`` over ``funs`` and ``weights`` (1 each by default).

    With ``normalize=True`` the weights and bias are rescaled, when the
    function is made, so that it spans ``[0, 1]`` over ``issue``; ``normalize``
    and ``issue`` are then reset to ``False`` and ``None``, as in NegMAS.
    """

    funs: tuple[BaseFun, ...]
    weights: tuple[float, ...] | None = None
    bias: float = 0.0
    normalize: bool = False
    issue: Issue | None = None

    def __post_init__(self) -> None:
        given = self.funs
        if isinstance(given, Mapping | str) or not isinstance(given, Sequence):
            raise TypeError(
                "AggregatingFun.funs must be a sequence of value functions, got "
                f"{given!r} ({type(given).__name__})"
            )
        if not given:
            raise ValueError("AggregatingFun.funs must hold at least one value function, got ()")
        funs = tuple(_fun("AggregatingFun", f"funs[{i}]", f) for i, f in enumerate(given))
        weights = (1.0,) * len(funs) if self.weights is None else self.weights
        object.__setattr__(self, "funs", funs)
        object.__setattr__(
            self, "weights", _numbers("AggregatingFun", "weights", weights, len(funs))
        )
        object.__setattr__(self, "bias", check_real("AggregatingFun.bias", self.bias))
        if _normalizing("AggregatingFun", self.normalize, self.issue):
            assert self.issue is not None
            scale, offset = _unit(*self.minmax(self.issue))
            object.__setattr__(self, "weights", tuple(w * scale for w in self._weights))
            object.__setattr__(self, "bias", self.bias * scale + offset)
        object.__setattr__(self, "normalize", False)
        object.__setattr__(self, "issue", None)

    @property
    def _weights(self) -> tuple[float, ...]:
        assert self.weights is not None  # set in __post_init__
        return self.weights

    def _parts(self) -> Sequence[tuple[float, BaseFun]]:
        return tuple(zip(self._weights, self.funs, strict=True))

    def to_dict(self) -> dict[str, Any]:
        """``type``, each part as a dict, ``weights``, ``bias`` (``normalize``/``issue`` unset)."""
        return {
            "type": "AggregatingFun",
            "funs": [f.to_dict() for f in self.funs],
            "weights": list(self._weights),
            "bias": self.bias,
            "normalize": False,
            "issue": None,
        }


def _per_part(owner: str, values: Any, name: str, n: int, default: float) -> tuple[float, ...]:
    return (default,) * n if values is None else _numbers(owner, name, values, n)


@dataclass(frozen=True)
class MultiModalTrapezoidalFun(_Mixture):
    """``bias + sum(w_i * T_i(x))`` for trapezoids ``T_i`` given parameter by parameter.

    The i-th entries of ``starts``, ``rise_ends``, ``fall_starts``, ``ends``,
    ``biases`` (0 each by default) and ``scales`` (1 each) make the i-th
    :class:`TrapezoidalFun`; ``weights`` (1 each) weigh them.
    """

    starts: tuple[float, ...]
    rise_ends: tuple[float, ...]
    fall_starts: tuple[float, ...]
    ends: tuple[float, ...]
    biases: tuple[float, ...] | None = None
    scales: tuple[float, ...] | None = None
    weights: tuple[float, ...] | None = None
    bias: float = 0.0

    def __post_init__(self) -> None:
        owner = "MultiModalTrapezoidalFun"
        starts = _numbers(owner, "starts", self.starts)
        n = len(starts)
        if not n:
            raise ValueError(f"{owner}.starts must give at least one trapezoid, got {starts!r}")
        object.__setattr__(self, "starts", starts)
        for name in ("rise_ends", "fall_starts", "ends"):
            object.__setattr__(self, name, _numbers(owner, name, getattr(self, name), n))
        for name, default in (("biases", 0.0), ("scales", 1.0), ("weights", 1.0)):
            object.__setattr__(self, name, _per_part(owner, getattr(self, name), name, n, default))
        object.__setattr__(self, "bias", check_real(f"{owner}.bias", self.bias))
        parts = [
            TrapezoidalFun(*p)
            for p in zip(
                self.starts,
                self.rise_ends,
                self.fall_starts,
                self.ends,
                self.biases or (),
                self.scales or (),
                strict=True,
            )
        ]
        object.__setattr__(self, "_weighted", tuple(zip(self.weights or (), parts, strict=True)))

    def _parts(self) -> Sequence[tuple[float, BaseFun]]:
        return self._weighted  # type: ignore[attr-defined,no-any-return]


@dataclass(frozen=True)
class MultiModalGaussianFun(_Mixture):
    """``bias + sum(w_i * G_i(x))`` for bells ``G_i`` given parameter by parameter.

    The i-th entries of ``centers``, ``sigmas``, ``biases`` (0 each by
    default) and ``scales`` (1 each) make the i-th :class:`GaussianFun`;
    ``weights`` (1 each) weigh them.
    """

    centers: tuple[float, ...]
    sigmas: tuple[float, ...]
    biases: tuple[float, ...] | None = None
    scales: tuple[float, ...] | None = None
    weights: tuple[float, ...] | None = None
    bias: float = 0.0

    def __post_init__(self) -> None:
        owner = "MultiModalGaussianFun"
        centers = _numbers(owner, "centers", self.centers)
        n = len(centers)
        if not n:
            raise ValueError(f"{owner}.centers must give at least one bell, got {centers!r}")
        object.__setattr__(self, "centers", centers)
        object.__setattr__(self, "sigmas", _numbers(owner, "sigmas", self.sigmas, n))
        for name, default in (("biases", 0.0), ("scales", 1.0), ("weights", 1.0)):
            object.__setattr__(self, name, _per_part(owner, getattr(self, name), name, n, default))
        object.__setattr__(self, "bias", check_real(f"{owner}.bias", self.bias))
        for i, sigma in enumerate(self.sigmas):
            check_real(f"{owner}.sigmas[{i}]", sigma, positive=True)
        parts = [
            GaussianFun(*p)
            for p in zip(
                self.centers, self.sigmas, self.biases or (), self.scales or (), strict=True
            )
        ]
        object.__setattr__(self, "_weighted", tuple(zip(self.weights or (), parts, strict=True)))

    def _parts(self) -> Sequence[tuple[float, BaseFun]]:
        return self._weighted  # type: ignore[attr-defined,no-any-return]

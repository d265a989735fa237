"""NegMAS's probability distributions of utilities (``negmas.helpers.prob``), with numpy only.

A probabilistic utility function gives each outcome a distribution of
utilities instead of a number; a reserved value may be one too (its mean is
then the number other code reads). NegMAS builds its ``ScipyDistribution``
on ``scipy.stats``, which Palaver does not depend on; these classes compute
what it does for its two families, uniform and normal, in closed form:

- :class:`Real`: a point mass, all the probability on one value;
- :class:`ScipyDistribution` (and :class:`UniformDistribution`,
  :class:`NormalDistribution`): ``loc`` and ``scale`` as in scipy: the
  uniform one covers ``[loc, loc + scale]``, the normal one has mean ``loc``
  and standard deviation ``scale``.

Other scipy families are refused (``ValueError`` naming the two provided).
Arithmetic: adding or subtracting a number shifts a distribution and
multiplying by a number scales it, as in NegMAS; adding two distributions
and intersecting them (``&``) are computed where the result is exact (see
:mod:`palaver.preferences.distribution_ops`: a point mass, two normal
ones, two uniform ones adding to a trapezoid), a ``TypeError`` otherwise.
Comparisons are
NegMAS's "always" comparisons: ``a < b`` when every likely value of ``a``
is below every likely value of ``b`` (``min``/``max``, one standard deviation
either side of the mean for the normal family, as NegMAS takes them).
"""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod
from typing import Any

import numpy as np

__all__ = [
    "NORMAL",
    "UNIFORM",
    "Distribution",
    "NormalDistribution",
    "Real",
    "ScipyDistribution",
    "UniformDistribution",
    "canonical_distribution_type",
    "make_distribution",
]

#: The uniform family's name.
UNIFORM = "uniform"
#: The normal (Gaussian) family's name.
NORMAL = "normal"

#: Below this a scale is zero: the distribution is a point mass.
_EPSILON = 1e-8
_ALIASES = {
    **dict.fromkeys(("uniform", "unif", "u"), UNIFORM),
    **dict.fromkeys(("normal", "norm", "gaussian", "gauss", "n"), NORMAL),
}


def canonical_distribution_type(type: str) -> str:
    """The family name for ``type``: ``"uniform"`` or ``"normal"`` for their aliases
    (``"norm"``, ``"gaussian"``, ``"unif"``, any case); other names lower-cased."""
    name = (type or "").strip().lower()
    return _ALIASES.get(name, name)


class Distribution(ABC):
    """A distribution of utilities (NegMAS's interface): its mean, density, mass and draws."""

    @abstractmethod
    def type(self) -> str:
        """The family's name (``"uniform"``, ``"normal"``)."""

    @property
    @abstractmethod
    def loc(self) -> float:
        """The location: the lower end of a uniform, the mean of a normal, the value of a point."""

    @property
    @abstractmethod
    def scale(self) -> float:
        """The scale: the width of a uniform, the standard deviation of a normal, 0 for a point."""

    @abstractmethod
    def mean(self) -> float:
        """The expected value."""

    @abstractmethod
    def prob(self, val: float) -> float:
        """The density at ``val``."""

    @abstractmethod
    def cum_prob(self, mn: float, mx: float) -> float:
        """The probability of a value in ``[mn, mx]``."""

    @abstractmethod
    def sample(self, size: int = 1, seed: int | np.random.Generator | None = None) -> np.ndarray:
        """``size`` draws (from ``seed``: an int, a numpy ``Generator`` or ``None``)."""

    @property
    @abstractmethod
    def min(self) -> float:
        """The lowest likely value (the comparisons use it)."""

    @property
    @abstractmethod
    def max(self) -> float:
        """The highest likely value (the comparisons use it)."""

    def is_gaussian(self) -> bool:
        """Whether the family is the normal one."""
        return self.type() == NORMAL

    def is_uniform(self) -> bool:
        """Whether the family is the uniform one."""
        return self.type() == UNIFORM

    def is_crisp(self) -> bool:
        """Whether all the probability is on one value."""
        return self.scale < _EPSILON / 1000

    @abstractmethod
    def __add__(self, other: Any) -> Distribution:
        """The distribution of this one plus a number (or a point)."""

    @abstractmethod
    def __mul__(self, other: Any) -> Distribution:
        """The distribution of this one times a number."""

    def __and__(self, other: Any) -> Distribution:
        """NegMAS's intersection of two estimates (see
        :mod:`palaver.preferences.distribution_ops`)."""
        if not isinstance(other, Distribution):
            return NotImplemented
        from palaver.preferences.distribution_ops import intersect

        return intersect(self, other)

    def __float__(self) -> float:
        return self.mean()

    def __call__(self, val: float) -> float:
        """The density at ``val`` (:meth:`prob`)."""
        return self.prob(val)

    def __lt__(self, other: Any) -> bool:
        if isinstance(other, numbers.Real):
            return self.max < float(other)
        return bool(self.max < _distribution(other).min)

    def __gt__(self, other: Any) -> bool:
        if isinstance(other, numbers.Real):
            return self.min > float(other)
        return bool(self.min > _distribution(other).max)

    def __le__(self, other: Any) -> bool:
        return bool(self < other or self == other)

    def __ge__(self, other: Any) -> bool:
        return bool(self > other or self == other)

    def __eq__(self, other: object) -> bool:
        """Same ``loc`` and ``scale``, and the same family unless one is a point."""
        if isinstance(other, numbers.Real) and not isinstance(other, bool):
            other = Real(float(other))
        if not isinstance(other, Distribution):
            return NotImplemented
        same_family = isinstance(self, Real) or isinstance(other, Real)
        return (
            self.loc == other.loc
            and self.scale == other.scale
            and (same_family or self.type() == other.type())
        )

    def __hash__(self) -> int:
        return hash((self.loc, self.scale))


def _distribution(value: Any) -> Distribution:
    if not isinstance(value, Distribution):
        raise TypeError(f"cannot compare a distribution with {value!r:.80}")
    return value


def _number(name: str, value: Any, infinite: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r:.80} ({type(value).__name__})")
    number = float(value)
    if math.isnan(number) or (math.isinf(number) and not infinite):
        raise ValueError(f"{name} must be {'a number' if infinite else 'finite'}, got {value!r}")
    return number


class Real(Distribution):
    """A point mass at ``loc``: a number seen as a distribution (``scale`` must be 0).

    ``type`` is only a label (``"uniform"`` by default, as in NegMAS); a point
    counts as both uniform and normal.
    """

    def __init__(self, loc: float = 0.0, type: str = "", scale: float = 0.0) -> None:
        # Infinite: the point of "no reserved value" (-inf).
        self._loc = _number("loc", loc, infinite=True)
        if not 0.0 <= _number("scale", scale) <= _EPSILON:
            raise ValueError(f"a Real has no spread: scale must be 0, got {scale!r}")
        self._type = type or UNIFORM

    def type(self) -> str:
        """The label given (``"uniform"`` by default)."""
        return self._type

    @property
    def loc(self) -> float:
        """The value."""
        return self._loc

    @property
    def scale(self) -> float:
        """0."""
        return 0.0

    def mean(self) -> float:
        """The value."""
        return self._loc

    def prob(self, val: float) -> float:
        """1 at the value (within 1e-8), else 0."""
        return 1.0 if abs(val - self._loc) < _EPSILON else 0.0

    def cum_prob(self, mn: float, mx: float) -> float:
        """1 when the value is in ``[mn, mx]``, else 0."""
        return float(mn <= self._loc <= mx)

    def sample(self, size: int = 1, seed: int | np.random.Generator | None = None) -> np.ndarray:
        """The value, ``size`` times."""
        return np.full(size, self._loc)

    @property
    def min(self) -> float:
        """The value."""
        return self._loc

    @property
    def max(self) -> float:
        """The value."""
        return self._loc

    def is_gaussian(self) -> bool:
        """True: a point is a normal distribution without spread."""
        return True

    def is_uniform(self) -> bool:
        """True: a point is a uniform distribution without width."""
        return True

    def __add__(self, other: Any) -> Distribution:
        if isinstance(other, numbers.Real):
            return Real(self._loc + float(other))
        if isinstance(other, Distribution):
            return other + self._loc
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other: Any) -> Distribution:
        if isinstance(other, numbers.Real):
            return Real(self._loc - float(other))
        if isinstance(other, Distribution):
            return other * -1.0 + self._loc
        return NotImplemented

    def __rsub__(self, other: Any) -> Distribution:
        if isinstance(other, numbers.Real):
            return Real(float(other) - self._loc)
        return NotImplemented

    def __mul__(self, other: Any) -> Distribution:
        if isinstance(other, numbers.Real):
            return Real(self._loc * float(other))
        if isinstance(other, Distribution):
            return other * self._loc
        return NotImplemented

    __rmul__ = __mul__

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash((self._loc, 0.0))

    def __repr__(self) -> str:
        return str(self._loc)


class AffineDistribution(Distribution):
    """A distribution family closed under ``factor * X + shift`` (:meth:`_affine`).

    Its arithmetic with numbers and points is exact through :meth:`_affine`;
    with another distribution it is :func:`~palaver.preferences.distribution_ops.add`
    (exact where Palaver can compute the result, else a ``TypeError``).
    """

    @abstractmethod
    def _affine(self, factor: float, shift: float) -> Distribution:
        """The distribution of ``factor * X + shift``."""

    def _point_shift(self, other: Distribution) -> float | None:
        """The shift that adding ``other`` is, when it is a point (else ``None``)."""
        return other.loc if isinstance(other, Real) else None

    def _combine(self, other: Any, sign: float) -> Distribution | None:
        """``self + sign * other``; ``None`` when ``other`` is neither a number nor a
        distribution (the operator then returns ``NotImplemented``)."""
        if isinstance(other, numbers.Real):
            return self._affine(1.0, sign * float(other))
        if not isinstance(other, Distribution):
            return None
        shift = self._point_shift(other)
        if shift is not None:
            return self._affine(1.0, sign * shift)
        from palaver.preferences.distribution_ops import add

        return add(self, other, sign)

    def __add__(self, other: Any) -> Distribution:
        result = self._combine(other, 1.0)
        return NotImplemented if result is None else result

    __radd__ = __add__

    def __sub__(self, other: Any) -> Distribution:
        result = self._combine(other, -1.0)
        return NotImplemented if result is None else result

    def __rsub__(self, other: Any) -> Distribution:
        if isinstance(other, numbers.Real):
            return self._affine(-1.0, float(other))
        return NotImplemented

    def __mul__(self, other: Any) -> Distribution:
        if isinstance(other, numbers.Real):
            return self._affine(float(other), 0.0)
        return NotImplemented

    __rmul__ = __mul__


class ScipyDistribution(AffineDistribution):
    """NegMAS's distribution of a family by name: ``"uniform"`` or ``"normal"`` (aliases too).

    ``loc`` and ``scale`` (default 0 and 1) follow scipy: a uniform covers
    ``[loc, loc + scale]``, a normal has mean ``loc`` and standard deviation
    ``scale``. ``ValueError`` for another family (scipy's others are not
    provided) or a negative scale.
    """

    def __init__(self, type: str, loc: float = 0.0, scale: float = 1.0) -> None:
        family = canonical_distribution_type(type)
        if family not in (UNIFORM, NORMAL):
            raise ValueError(
                f"Unknown distribution {type!r}: Palaver provides the uniform and normal "
                "families (NegMAS's other scipy.stats families are not provided)"
            )
        self._type = family
        self._loc = _number("loc", loc)
        self._scale = _number("scale", scale)
        if self._scale < 0:
            raise ValueError(f"scale must be >= 0, got {scale!r}")

    def type(self) -> str:
        """``"uniform"`` or ``"normal"``."""
        return self._type

    @property
    def loc(self) -> float:
        """The lower end (uniform) or the mean (normal)."""
        return self._loc

    @property
    def scale(self) -> float:
        """The width (uniform) or the standard deviation (normal)."""
        return self._scale

    def mean(self) -> float:
        """``loc + scale / 2`` (uniform), ``loc`` (normal, or no spread)."""
        if self._type == UNIFORM and self._scale >= _EPSILON:
            return self._loc + self._scale / 2
        return self._loc

    def _cdf(self, x: float) -> float:
        if self._scale == 0.0:
            return float(x >= self._loc)
        if self._type == UNIFORM:
            return min(1.0, max(0.0, (x - self._loc) / self._scale))
        return 0.5 * (1.0 + math.erf((x - self._loc) / (self._scale * math.sqrt(2.0))))

    def prob(self, val: float) -> float:
        """The density at ``val`` (``inf`` at the value of a distribution without spread)."""
        if self._scale == 0.0:
            return math.inf if val == self._loc else 0.0
        if self._type == UNIFORM:
            inside = self._loc <= val <= self._loc + self._scale
            return 1.0 / self._scale if inside else 0.0
        z = (val - self._loc) / self._scale
        return math.exp(-0.5 * z * z) / (self._scale * math.sqrt(2.0 * math.pi))

    def cum_prob(self, mn: float, mx: float) -> float:
        """``F(mx) - F(mn)``, ``F`` the cumulative distribution."""
        return self._cdf(mx) - self._cdf(mn)

    def sample(self, size: int = 1, seed: int | np.random.Generator | None = None) -> np.ndarray:
        """``size`` draws."""
        rng = np.random.default_rng(seed)
        if self._type == UNIFORM:
            return rng.uniform(self._loc, self._loc + self._scale, size)
        return rng.normal(self._loc, self._scale, size)

    @property
    def min(self) -> float:
        """``loc`` (uniform), ``loc - scale`` (normal: NegMAS's one standard deviation)."""
        return self._loc if self._type == UNIFORM else self._loc - self._scale

    @property
    def max(self) -> float:
        """``loc + scale`` (both families)."""
        return self._loc + self._scale

    def _affine(self, factor: float, shift: float) -> ScipyDistribution:
        """The distribution of ``factor * X + shift``."""
        if self._type == UNIFORM:
            ends = sorted((factor * self._loc, factor * (self._loc + self._scale)))
            return ScipyDistribution(UNIFORM, ends[0] + shift, ends[1] - ends[0])
        return ScipyDistribution(NORMAL, factor * self._loc + shift, abs(factor) * self._scale)

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash((self._type, self._loc, self._scale))

    def __repr__(self) -> str:
        if self._type == UNIFORM:
            return f"U({self._loc}, {self._loc + self._scale})"
        return f"G({self._loc}, {self._scale})"


class UniformDistribution(ScipyDistribution):
    """The uniform distribution on ``[loc, loc + scale]``."""

    def __init__(self, loc: float = 0.0, scale: float = 1.0) -> None:
        super().__init__(UNIFORM, loc, scale)


class NormalDistribution(ScipyDistribution):
    """The normal distribution of mean ``loc`` and standard deviation ``scale``."""

    def __init__(self, loc: float = 0.0, scale: float = 1.0) -> None:
        super().__init__(NORMAL, loc, scale)


def make_distribution(x: float | Distribution) -> Distribution:
    """``x`` as a distribution: a distribution as is, a number as a :class:`Real`."""
    if isinstance(x, Distribution):
        return x
    return Real(_number("x", x, infinite=True))

"""The exact distribution of the sum of two independent uniform ones.

NegMAS's ``U(a1, w1) + U(a2, w2)`` is a uniform distribution on the sum's
support ``[a1 + a2, a1 + a2 + w1 + w2]``: its support and mean are right,
its shape is not (uniform sums are trapezoid, a triangle for equal widths).
Palaver gives that trapezoid: the same ``loc`` (the lower end), ``scale``
(the width of the support) and mean as NegMAS's, so code reading those reads
NegMAS's numbers, and a density, cumulative probability and draws that are
the sum's. Differences (``a - b`` is ``a + (-1) * b``), shifts and scalings
of such a sum stay exact (the trapezoid is symmetric, so a negative factor
keeps its shape); adding a third uniform (a piecewise quadratic density) or
intersecting a sum is a ``TypeError``, as is any other sum Palaver cannot
compute exactly.
"""

from __future__ import annotations

import numpy as np

from palaver.preferences.distributions import AffineDistribution, Distribution, Real, _number

__all__ = ["UNIFORM_SUM", "UniformSumDistribution"]

#: The family's name (``type()``).
UNIFORM_SUM = "uniform_sum"


class UniformSumDistribution(AffineDistribution):
    """``X + Y`` with ``X`` uniform on ``[loc, loc + w1]`` and ``Y`` on ``[0, w2]``, independent.

    What ``UniformDistribution + UniformDistribution`` gives. ``loc`` is the
    lower end of the support and ``scale`` its width ``w1 + w2`` (NegMAS's
    values for that sum); the density rises linearly over the first
    ``min(w1, w2)``, stays at ``1 / max(w1, w2)`` and falls symmetrically.
    ``ValueError`` for a width that is not positive or finite.
    """

    __slots__ = ("_loc", "_narrow", "_wide")

    def __init__(self, loc: float, w1: float, w2: float) -> None:
        self._loc = _number("loc", loc)
        widths = sorted((_number("w1", w1), _number("w2", w2)))
        if widths[0] <= 0:
            raise ValueError(f"the widths of the two uniforms must be > 0, got {w1!r} and {w2!r}")
        self._narrow, self._wide = widths

    def type(self) -> str:
        """``"uniform_sum"``."""
        return UNIFORM_SUM

    @property
    def loc(self) -> float:
        """The lower end of the support."""
        return self._loc

    @property
    def scale(self) -> float:
        """The width of the support: the sum of the two widths."""
        return self._narrow + self._wide

    @property
    def widths(self) -> tuple[float, float]:
        """The widths of the two uniforms added, the narrower first."""
        return self._narrow, self._wide

    def mean(self) -> float:
        """The middle of the support (the density is symmetric)."""
        return self._loc + self.scale / 2

    def prob(self, val: float) -> float:
        """The density at ``val``."""
        x = val - self._loc
        narrow, wide = self._narrow, self._wide
        if x < 0 or x > narrow + wide:
            return 0.0
        rising = min(x, narrow + wide - x)
        return min(rising, narrow) / (narrow * wide)

    def _cdf(self, val: float) -> float:
        x = val - self._loc
        narrow, wide = self._narrow, self._wide
        if x <= 0:
            return 0.0
        if x >= narrow + wide:
            return 1.0
        if x <= narrow:
            return x * x / (2 * narrow * wide)
        if x <= wide:
            return (x - narrow / 2) / wide
        rest = narrow + wide - x
        return 1.0 - rest * rest / (2 * narrow * wide)

    def cum_prob(self, mn: float, mx: float) -> float:
        """``F(mx) - F(mn)``, ``F`` the cumulative distribution."""
        return self._cdf(mx) - self._cdf(mn)

    def sample(self, size: int = 1, seed: int | np.random.Generator | None = None) -> np.ndarray:
        """``size`` draws: a draw of each uniform, added."""
        rng = np.random.default_rng(seed)
        return self._loc + rng.uniform(0.0, self._narrow, size) + rng.uniform(0.0, self._wide, size)

    @property
    def min(self) -> float:
        """The lower end of the support."""
        return self._loc

    @property
    def max(self) -> float:
        """The upper end of the support."""
        return self._loc + self.scale

    def _affine(self, factor: float, shift: float) -> Distribution:
        """The distribution of ``factor * X + shift`` (a point for a factor of 0)."""
        if factor == 0:
            return Real(shift)
        low = min(factor * self._loc, factor * self.max) + shift
        return UniformSumDistribution(low, abs(factor) * self._narrow, abs(factor) * self._wide)

    def _point_shift(self, other: Distribution) -> float | None:
        # Any distribution without spread is a point here: a sum with a third
        # uniform of width 0 is a shift, not the refused sum of three.
        return other.loc if other.is_crisp() else None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, UniformSumDistribution):
            return (self._loc, self._narrow, self._wide) == (other._loc, other._narrow, other._wide)
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash((UNIFORM_SUM, self._loc, self._narrow, self._wide))

    def __repr__(self) -> str:
        return f"U({self._loc}, {self._loc + self._narrow}) + U(0, {self._wide})"

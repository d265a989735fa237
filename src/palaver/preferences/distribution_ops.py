"""Sums and intersections of two distributions (NegMAS's ``+``, ``-`` and ``&``).

Exact results only:

- a sum or difference with a point mass (a :class:`~palaver.preferences.Real`,
  or a distribution whose scale is 0) shifts the other distribution;
- two independent normal distributions add to the normal one whose mean is
  the sum (the difference) of the means and whose variance is the sum of
  the variances;
- two independent uniform ones add to the trapezoid-shaped
  :class:`~palaver.preferences.distribution_uniform_sum.UniformSumDistribution`
  (NegMAS keeps a uniform one on the sum's support: the same ``loc``,
  ``scale`` and mean, a wrong shape); ``a - b`` is ``a + (-1) * b``;
- other pairs (two families that differ, a third uniform added to such a
  sum) are a ``TypeError``: their sums are not computed exactly;
- ``a & b`` (the fusion of two estimates): of two uniform ones, the uniform
  one on the overlap of their supports (width 0 at the nearer end when they
  do not overlap); of two normal ones, the normalized product of their
  densities (precision-weighted mean, variance ``1 / (1/v1 + 1/v2)``); with a
  point mass, that point. Other pairs are a ``TypeError``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from palaver.preferences.distributions import Distribution

__all__ = ["add", "intersect"]


def add(a: Distribution, b: Distribution, sign: float) -> Distribution:
    """``a + b`` (``sign`` 1) or ``a - b`` (``sign`` -1), as the module says."""
    from palaver.preferences.distribution_uniform_sum import UniformSumDistribution
    from palaver.preferences.distributions import NORMAL, UNIFORM, ScipyDistribution

    if b.is_crisp():
        return a + sign * b.loc
    if a.is_crisp():
        return b * sign + a.loc
    if a.type() == b.type() == NORMAL:
        return ScipyDistribution(NORMAL, a.loc + sign * b.loc, math.hypot(a.scale, b.scale))
    if a.type() == b.type() == UNIFORM:
        # -U(l, w) is U(-l - w, w): the lower end of the difference is a's minus b's upper end.
        low = a.loc + (b.loc if sign > 0 else -b.max)
        return UniformSumDistribution(low, a.scale, b.scale)
    raise TypeError(
        f"cannot add {a!r} and {b!r}: the sum of two distributions is computed exactly "
        "for two normal ones, two uniform ones or with a point mass only"
    )


def intersect(a: Distribution, b: Distribution) -> Distribution:
    """``a & b``, as the module says."""
    from palaver.preferences.distributions import NORMAL, UNIFORM, Real, ScipyDistribution

    if a.is_crisp():
        return Real(a.loc)
    if b.is_crisp():
        return Real(b.loc)
    if a.type() == b.type() == UNIFORM:
        low = max(a.min, b.min)
        high = min(a.max, b.max)
        if high < low:  # disjoint: the nearer end of the later support, no width
            return ScipyDistribution(UNIFORM, low, 0.0)
        return ScipyDistribution(UNIFORM, low, high - low)
    if a.type() == b.type() == NORMAL:
        pa, pb = 1.0 / a.scale**2, 1.0 / b.scale**2
        mean = (a.loc * pa + b.loc * pb) / (pa + pb)
        return ScipyDistribution(NORMAL, mean, math.sqrt(1.0 / (pa + pb)))
    raise TypeError(
        f"cannot intersect {a!r} and {b!r}: both must be uniform or both normal "
        "(or one a point mass)"
    )

"""Positive affine maps of utility functions (normalisation, export to Genius)."""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence

from palaver.outcomes import OutcomeSpace
from palaver.preferences import (
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    NormalizedUtilityFunction,
    UtilityFunction,
)
from palaver.preferences.wrappers import AffineUtilityFunction
from palaver.scenarios.errors import ScenarioError


def affine(
    ufun: UtilityFunction, scale: float, shift: float, space: OutcomeSpace
) -> UtilityFunction:
    """A utility function equal to ``scale * ufun + shift`` (``scale > 0``), reserved value too.

    Linear, linear-additive and dict-mapping utility functions stay of their
    kind (so they can still be exported to Genius XML); others are wrapped.
    """
    rv = ufun.reserved_value
    new_rv = rv * scale + shift if math.isfinite(rv) else rv
    if type(ufun) is LinearAdditiveUtilityFunction:
        return LinearAdditiveUtilityFunction(
            list(ufun.values),
            weights=ufun.weights * scale,
            bias=ufun.bias * scale + shift,
            reserved_value=new_rv,
            outcome_space=space,
        )
    if type(ufun) is LinearUtilityFunction:
        return LinearUtilityFunction(
            ufun.weights * scale,
            bias=ufun.bias * scale + shift,
            reserved_value=new_rv,
            outcome_space=space,
        )
    if type(ufun) is MappingUtilityFunction and isinstance(ufun.mapping, dict):
        default = ufun.default
        return MappingUtilityFunction(
            {k: v * scale + shift for k, v in ufun.mapping.items()},
            default=None if default is None else default * scale + shift,
            reserved_value=new_rv,
            outcome_space=space,
        )
    if isinstance(ufun, AffineUtilityFunction):
        return AffineUtilityFunction(
            ufun.inner, ufun.scale * scale, ufun.shift * scale + shift, new_rv, space
        )
    return AffineUtilityFunction(ufun, scale, shift, new_rv, space)


def unwrap(ufun: UtilityFunction) -> tuple[UtilityFunction, float, float]:
    """``(inner, scale, shift)`` with ``ufun == scale * inner + shift`` and inner unwrapped."""
    scale, shift = 1.0, 0.0
    while True:
        if isinstance(ufun, AffineUtilityFunction):
            scale, shift = scale * ufun.scale, shift + scale * ufun.shift
            ufun = ufun.inner
        elif isinstance(ufun, NormalizedUtilityFunction):
            lo, hi = ufun.minmax()
            inner_lo, inner_hi = ufun.inner.minmax(ufun.outcome_space)
            s = (hi - lo) / (inner_hi - inner_lo)
            scale, shift = scale * s, shift + scale * (lo - inner_lo * s)
            ufun = ufun.inner
        else:
            return ufun, scale, shift


def with_reserved(
    ufuns: Sequence[UtilityFunction], reserved_values: Sequence[float]
) -> list[UtilityFunction]:
    """Copies of ``ufuns`` with these reserved values (``ScenarioError`` naming a bad one)."""
    values = list(reserved_values)
    if len(values) != len(ufuns):
        raise ScenarioError(f"with_reserved_values: {len(values)} values for {len(ufuns)} ufuns")
    out = []
    for i, (u, r) in enumerate(zip(ufuns, values, strict=True)):
        c = copy.copy(u)
        try:
            c.reserved_value = r
        except ValueError as exc:
            raise ScenarioError(f"with_reserved_values: value #{i}: {exc}") from None
        out.append(c)
    return out


def rebound(ufuns: Sequence[UtilityFunction], space: OutcomeSpace) -> list[UtilityFunction]:
    """Copies of ``ufuns`` over ``space`` (a discretization of their own space)."""
    out = []
    for u in ufuns:
        c = copy.copy(u)
        c.outcome_space = space
        out.append(c)
    return out


def normalized(
    ufuns: Sequence[UtilityFunction],
    ranges: Sequence[tuple[float, float]],
    to: tuple[float, float],
    independent: bool,
    space: OutcomeSpace,
) -> list[UtilityFunction]:
    """``ufuns`` mapped linearly from their ``ranges`` onto ``to`` (see ``Scenario.normalize``)."""
    try:
        lo_t, hi_t = (float(x) for x in to)
    except (TypeError, ValueError):
        raise ScenarioError(
            f"normalize: to must be a pair of numbers (low, high), got {to!r}"
        ) from None
    if not hi_t > lo_t:
        raise ScenarioError(f"normalize: to must be (low, high) with low < high, got {to!r}")
    if not independent:
        common = (min(r[0] for r in ranges), max(r[1] for r in ranges))
        ranges = [common] * len(ranges)
    out = []
    for u, (lo, hi) in zip(ufuns, ranges, strict=True):
        if hi > lo:
            scale = (hi_t - lo_t) / (hi - lo)
            out.append(affine(u, scale, lo_t - lo * scale, space))
        else:
            out.append(affine(u, 1.0, hi_t - hi, space))
    return out

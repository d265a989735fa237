"""Positive affine maps of utility functions (normalisation, export to Genius)."""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from palaver.outcomes import OutcomeSpace
from palaver.preferences import (
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    NormalizedLinearAdditiveUtilityFunction,
    NormalizedLinearUtilityFunction,
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
        elif isinstance(
            ufun, NormalizedLinearAdditiveUtilityFunction | NormalizedLinearUtilityFunction
        ):
            ufun = ufun.image  # the exact map of the original, not the canonical sums
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
    if isinstance(reserved_values, str | bytes) or not isinstance(reserved_values, Iterable):
        # list() said only "'float' object is not iterable".
        raise ScenarioError(
            "with_reserved_values: reserved_values must be a list of numbers, one per ufun, "
            f"got {reserved_values!r:.80} ({type(reserved_values).__name__})"
        )
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


#: Ranges narrower than this are constant (NegMAS's ``NORMALIZE_EPS``).
DEGENERATE = 1e-10
#: How far from an end of the target range still counts as on it (NegMAS's
#: ``NORMALIZED_TOLERANCE``).
ON_BOUND = 1e-6


@dataclass(frozen=True)
class Map:
    """``u -> scale * u + shift`` for one utility function; ``reserved`` replaces
    the mapped reserved value when set (a constant function's, as in NegMAS)."""

    scale: float
    shift: float
    reserved: float | None = None


KEEP = Map(1.0, 0.0)
"""The identity: a utility function that already satisfies the target is kept."""


def _fits(lo: float, hi: float, low: float, high: float, g_min: bool, g_max: bool) -> bool:
    """NegMAS's rule for keeping a function as it is: it already spans exactly
    ``[low, high]``, or (unless both ends are guaranteed) it lies within them
    and touches each guaranteed end."""
    if abs(lo - low) < ON_BOUND and abs(hi - high) < ON_BOUND:
        return True
    if g_min and g_max:
        return False

    def within(x: float, limit: float, guarantee: bool) -> bool:
        if guarantee:
            return abs(x - limit) <= ON_BOUND
        return low - ON_BOUND <= x <= high + ON_BOUND

    return within(lo, low, g_min) and within(hi, high, g_max)


def normalization_maps(
    ranges: Sequence[tuple[float, float]],
    reserved: Sequence[float],
    to: tuple[float | None, float | None],
    common: bool,
    guarantees: Sequence[tuple[bool, bool]],
) -> list[Map]:
    """The map of each utility function for ``Scenario.normalize`` (NegMAS's rules).

    ``ranges`` are the functions' ``(lowest, highest)`` utilities. With
    ``common`` one scale, ``(high - low) / (max - min)`` over all functions,
    serves every function; otherwise each has its own. Each is then shifted
    so that its highest utility is ``to[1]`` or else (its ``guarantees``,
    ``(guarantee_min, guarantee_max)``, without ``guarantee_max``) its lowest
    is ``to[0]``; one that already fits the guarantees is kept. A ``None``
    end only shifts: ``(low, None)`` moves the lowest utility (of all, or of
    each) to ``low``, ``(None, high)`` the highest to ``high``.
    Constant functions (range below :data:`DEGENERATE`) become ``high``
    with reserved value ``low``, or ``low`` with reserved value ``high`` when
    their reserved value is above their utility.
    """
    low, high = to
    if low is None and high is None:
        return [KEEP] * len(ranges)
    groups = [list(ranges)] if common else [[r] for r in ranges]
    spans = [(min(r[0] for r in g), max(r[1] for r in g)) for g in groups]
    span_of = [spans[0]] * len(ranges) if common else spans
    if high is None:
        assert low is not None
        return [Map(1.0, low - mn) for mn, _ in span_of]
    if low is None:
        return [Map(1.0, high - mx) for _, mx in span_of]
    maps = []
    for (lo, hi), (mn, mx), rv, (g_min, g_max) in zip(
        ranges, span_of, reserved, guarantees, strict=True
    ):
        if mx - mn < DEGENERATE:
            below = hi < rv
            maps.append(Map(1.0, (low if below else high) - hi, high if below else low))
        elif _fits(lo, hi, low, high, g_min, g_max):
            maps.append(KEEP)
        else:
            scale = (high - low) / (mx - mn)
            maps.append(Map(scale, high - scale * hi if g_max else low - scale * lo))
    return maps


def apply_map(ufun: UtilityFunction, m: Map, space: OutcomeSpace) -> UtilityFunction:
    """``ufun`` through ``m`` (itself when ``m`` is :data:`KEEP`)."""
    if m == KEEP:
        return ufun
    out = affine(ufun, m.scale, m.shift, space)
    if m.reserved is not None:
        out.reserved_value = m.reserved
    return out

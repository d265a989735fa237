"""Metrics of one negotiation as a whole, from what each party got (NegMAS's ``SessionMetrics``).

:func:`calc_session_metrics` reads the parties' utilities of the agreement (or,
without one, their reserved values), their reserved values and the timing,
and returns a :class:`SessionMetrics`: welfare, agreement, inequality, surplus
and speed. Every one is the same whichever party asks; what depends on the
party lives in :mod:`palaver.scenarios.metrics_negotiator`, and the two sets of
field names are disjoint. A metric whose inputs were not given is NaN, never
made up; a ratio is not clipped (only a zero or NaN denominator gives NaN).
Inputs of inconsistent lengths are a ``ValueError`` naming them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from attrs import define

__all__ = ["SessionMetrics", "calc_session_metrics"]

_NAN = math.nan


@define(frozen=True)
class SessionMetrics:
    """What one negotiation achieved, the same for every party (floats; NaN: undefined).

    Attributes:
        welfare: The mean realised utility (the agreement's, else the reserved value).
        welfare_agreed: ``welfare``, NaN without an agreement (a NaN-skipping mean
            over negotiations then averages agreements only).
        utility_sum: The sum of the realised utilities.
        agreement_reached: 1.0 with an agreement, else 0.0.
        utility_gap: ``max(u) - min(u)`` over the parties.
        advantage_gap: ``max - min`` of the parties' advantages (see
            :func:`advantage`).
        gains_from_trade: ``sum(u - r)``, the surplus over no agreement (signed).
        surplus_efficiency: ``gains_from_trade`` over the largest total surplus of a
            Pareto point (else of the utility ranges' maxima); NaN when that is <= 0
            or unknown.
        relative_rounds: The relative time at the end.
        agreement_speed: ``1 - relative_time`` with an agreement, else 0.0.
        relative_efficiency: ``-utility_gap / max(last_step, 1)``.
    """

    welfare: float = _NAN
    welfare_agreed: float = _NAN
    utility_sum: float = _NAN
    agreement_reached: float = _NAN
    utility_gap: float = _NAN
    advantage_gap: float = _NAN
    gains_from_trade: float = _NAN
    surplus_efficiency: float = _NAN
    relative_rounds: float = _NAN
    agreement_speed: float = _NAN
    relative_efficiency: float = _NAN


def realised_utilities(
    agreement_utils: Sequence[float] | None, reserved_values: Sequence[float]
) -> tuple[float, ...]:
    """What each party got: its utility of the agreement, or its reserved value without one.

    Raises ``ValueError`` when there are not as many agreement utilities as
    reserved values.
    """
    if agreement_utils is None:
        return tuple(float(r) for r in reserved_values)
    if len(agreement_utils) != len(reserved_values):
        raise ValueError(
            f"agreement_utils has {len(agreement_utils)} entries but reserved_values has "
            f"{len(reserved_values)}: one utility per party"
        )
    return tuple(float(u) for u in agreement_utils)


def checked_ranges(
    utility_ranges: Sequence[tuple[float, float]] | None, n: int
) -> list[tuple[float, float]] | None:
    """``utility_ranges`` as ``(low, high)`` floats, one per party (``ValueError`` otherwise)."""
    if utility_ranges is None:
        return None
    if len(utility_ranges) != n:
        raise ValueError(
            f"utility_ranges has {len(utility_ranges)} entries for {n} parties: "
            f"one (min, max) per party"
        )
    return [(float(low), float(high)) for low, high in utility_ranges]


def advantage(utility: float, reserved: float, utility_range: tuple[float, float] | None) -> float:
    """A party's advantage: ``(u - r) / (max - r)`` (0.0 when ``max == r``).

    Without a range it is the raw surplus ``u - r``; with a NaN reserved value,
    ``u - min``.
    """
    if utility_range is None:
        return utility - reserved
    low, high = utility_range
    if math.isnan(reserved):
        return utility - low
    if high == reserved:
        return 0.0
    return (utility - reserved) / (high - reserved)


def _spread(values: Sequence[float]) -> float:
    """``max - min``, NaN when a value is NaN (Python's max and min skip a NaN or
    stop at it depending on where it is, so the gap depended on the parties' order)."""
    if any(math.isnan(v) for v in values):
        return _NAN
    return max(values) - min(values)


def calc_session_metrics(
    agreement_utils: Sequence[float] | None,
    reserved_values: Sequence[float],
    *,
    utility_ranges: Sequence[tuple[float, float]] | None = None,
    relative_time: float = 0.0,
    last_step: int = 0,
    pareto_utils: Sequence[Sequence[float]] | None = None,
) -> SessionMetrics:
    """The :class:`SessionMetrics` of a negotiation.

    Args:
        agreement_utils: Each party's utility of the agreement, or ``None`` without one.
        reserved_values: Each party's reserved value.
        utility_ranges: Each party's ``(min, max)`` utility, for scale-free
            advantages and the fallback of ``surplus_efficiency``.
        relative_time: The relative time at the end (0 to 1).
        last_step: The last round reached.
        pareto_utils: Utilities of the Pareto frontier's points, for ``surplus_efficiency``.
    """
    n = len(reserved_values)
    agreed = agreement_utils is not None
    realised = realised_utilities(agreement_utils, reserved_values)
    reserved = tuple(float(r) for r in reserved_values)
    ranges = checked_ranges(utility_ranges, n)
    if not n:
        return SessionMetrics(
            agreement_reached=1.0 if agreed else 0.0,
            relative_rounds=float(relative_time),
            agreement_speed=(1.0 - relative_time) if agreed else 0.0,
        )
    advantages = [
        advantage(realised[j], reserved[j], None if ranges is None else ranges[j]) for j in range(n)
    ]
    gap = _spread(realised)
    surplus = sum(u - r for u, r in zip(realised, reserved, strict=True))
    if pareto_utils:
        best = max(sum(float(p[j]) - reserved[j] for j in range(n)) for p in pareto_utils)
    elif ranges is not None:
        best = sum(ranges[j][1] - reserved[j] for j in range(n))
    else:
        best = _NAN
    welfare = sum(realised) / n
    return SessionMetrics(
        welfare=welfare,
        welfare_agreed=welfare if agreed else _NAN,
        utility_sum=sum(realised),
        agreement_reached=1.0 if agreed else 0.0,
        utility_gap=gap,
        advantage_gap=_spread(advantages),
        gains_from_trade=surplus,
        surplus_efficiency=surplus / best if best > 0 else _NAN,
        relative_rounds=float(relative_time),
        agreement_speed=(1.0 - relative_time) if agreed else 0.0,
        relative_efficiency=-gap / max(last_step, 1),
    )

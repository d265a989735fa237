"""The boundary checks of :class:`~palaver.scenarios.scenario_metrics.ScenarioMetrics`.

Each raises a :class:`~palaver.scenarios.errors.ScenarioError` (a
``ValueError``) naming the method, the argument, its value and what is
allowed, so that a wrong argument never reaches the calculators (where it
would be a raw ``TypeError``, or NaN metrics, or a silent fallback).
Integers may be any ``numbers.Integral`` (numpy's included), numbers any
``numbers.Real`` and vectors any sequence or 1-d numpy array.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np

from palaver._util.checks import check_bool
from palaver.preferences import UtilityFunctionLike
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.optimality import AnyStats, _check_stats

__all__ = [
    "checked_agreement_utils",
    "checked_bool",
    "checked_eps",
    "checked_index",
    "checked_max_dist",
    "checked_opponent_ufun",
    "checked_opponent_ufuns",
    "checked_reserved",
    "checked_stats",
    "checked_time",
    "checked_trace_parties",
]


def _is_int(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool | np.bool_)


def _is_real(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool | np.bool_)


def _vector(where: str, name: str, values: Any, n: int) -> list[float]:
    """``values`` as ``n`` floats (a sequence or a 1-d numpy array of real numbers)."""
    if isinstance(values, np.ndarray) and values.ndim == 1:
        values = values.tolist()
    if (
        isinstance(values, str | bytes | Mapping)
        or not isinstance(values, Sequence)
        or len(values) != n
        or not all(_is_real(v) for v in values)
    ):
        raise ScenarioError(
            f"{where}: {name} must be {n} numbers (one per party), got {values!r:.80}"
        )
    numbers = [float(v) for v in values]
    if any(math.isnan(v) for v in numbers):
        raise ScenarioError(f"{where}: {name} must not hold NaN, got {values!r:.80}")
    return numbers


def checked_agreement_utils(where: str, values: Any, n: int) -> list[float]:
    """Each party's utility of the agreement: ``n`` finite numbers."""
    numbers = _vector(where, "agreement_utils", values, n)
    if not all(math.isfinite(v) for v in numbers):
        raise ScenarioError(
            f"{where}: agreement_utils must be {n} finite numbers (an agreement's "
            f"utilities), got {values!r:.80}"
        )
    return numbers


def checked_reserved(where: str, values: Any, ranges: Sequence[tuple[float, float]]) -> list[float]:
    """Each party's reserved value: ``n`` numbers, not NaN; an infinite one is the
    party's lowest utility, as the scenario's own infinite reserved values are."""
    numbers = _vector(where, "reserved_values", values, len(ranges))
    return [v if math.isfinite(v) else low for v, (low, _) in zip(numbers, ranges, strict=True)]


def checked_index(where: str, name: str, value: object, n: int) -> int:
    """``value`` as a party index: an integer in ``[0, n - 1]``."""
    if isinstance(value, Integral) and _is_int(value) and 0 <= int(value) < n:
        return int(value)
    raise ScenarioError(
        f"{where}: {name} must be an integer in [0, {n - 1}] (a party), got "
        f"{value!r:.80} ({type(value).__name__})"
    )


def checked_trace_parties(where: str, values: Any, n: int, n_offers: int) -> list[int] | None:
    """Who made each offer: ``None`` or one party index per row of ``trace_utils``."""
    if values is None:
        return None
    if isinstance(values, np.ndarray) and values.ndim == 1:
        values = values.tolist()
    if (
        isinstance(values, str | bytes | Mapping)
        or not isinstance(values, Sequence)
        or len(values) != n_offers
        or not all(_is_int(p) and 0 <= int(p) < n for p in values)
    ):
        raise ScenarioError(
            f"{where}: trace_parties must be None or {n_offers} integers in [0, {n - 1}] "
            f"(the party that made each offer of trace_utils), got {values!r:.80}"
        )
    return [int(p) for p in values]


def checked_time(where: str, relative_time: object, last_step: object) -> tuple[float, int]:
    """``relative_time`` in ``[0, 1]`` and ``last_step`` an integer ``>= 0``."""
    if not _is_real(relative_time) or not 0.0 <= float(relative_time) <= 1.0:  # type: ignore[arg-type]
        raise ScenarioError(f"{where}: relative_time must be in [0, 1], got {relative_time!r:.80}")
    if not _is_int(last_step) or int(last_step) < 0:  # type: ignore[call-overload]
        raise ScenarioError(
            f"{where}: last_step must be an integer >= 0, got {last_step!r:.80} "
            f"({type(last_step).__name__})"
        )
    return float(relative_time), int(last_step)  # type: ignore[arg-type, call-overload]


def checked_eps(where: str, value: object) -> float:
    """``eps``: a finite number ``>= 0``."""
    if not _is_real(value) or not 0.0 <= float(value) < math.inf:  # type: ignore[arg-type]
        raise ScenarioError(
            f"{where}: eps must be a finite number >= 0, got {value!r:.80} ({type(value).__name__})"
        )
    return float(value)  # type: ignore[arg-type]


def checked_max_dist(where: str, value: object) -> float | None:
    """``max_dist``: ``None`` or a finite number ``> 0`` (the distance that scores 0)."""
    if value is None:
        return None
    if not _is_real(value) or not 0.0 < float(value) < math.inf:  # type: ignore[arg-type]
        raise ScenarioError(
            f"{where}: max_dist must be None or a finite number > 0, got {value!r:.80} "
            f"({type(value).__name__})"
        )
    return float(value)  # type: ignore[arg-type]


def checked_opponent_ufun(where: str, name: str, value: object) -> UtilityFunctionLike | None:
    """An opponent model: ``None`` or a utility function."""
    if value is not None and not isinstance(value, UtilityFunctionLike):
        raise ScenarioError(
            f"{where}: {name} must be a utility function (see palaver.preferences) or None, "
            f"got {value!r:.80} ({type(value).__name__})"
        )
    return value


def checked_opponent_ufuns(
    where: str, values: Any, n: int
) -> list[UtilityFunctionLike | None] | None:
    """``None`` or one opponent model (or ``None``) per party."""
    if values is None:
        return None
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Sequence | np.ndarray):
        raise ScenarioError(
            f"{where}: opponent_ufuns must be None or {n} utility functions (or None), one "
            f"per party, got {values!r:.80} ({type(values).__name__})"
        )
    if len(values) != n:
        raise ScenarioError(
            f"{where}: opponent_ufuns must hold {n} entries (one model or None per party), "
            f"got {len(values)}"
        )
    return [checked_opponent_ufun(where, f"opponent_ufuns[{i}]", u) for i, u in enumerate(values)]


def checked_stats(where: str, stats: object) -> AnyStats | None:
    """``None`` or a scenario's statistics."""
    if stats is not None:
        _check_stats(where, stats)
    return stats  # type: ignore[return-value]


def checked_bool(where: str, name: str, value: object) -> bool:
    """``value`` when it is a ``bool`` (numpy's included)."""
    return check_bool(f"{where}: {name}", value, type_error=ScenarioError)

"""Keeping a utility function's range and extreme outcomes (NegMAS's caches).

``minmax()`` and ``extreme_outcomes()`` over the ufun's own outcome space are
kept after the first call by the kinds whose class says ``keeps_results =
True`` (Palaver's linear, linear-additive, mapping and range functions, whose
state is what they were given), when the ufun's
:attr:`~palaver.preferences.Stability` promises they cannot change: the
range needs ``STABLE_MIN`` and ``STABLE_MAX`` (or stationarity), the
extreme outcomes ``has_stable_extremes`` (stable extremes, ordering or
difference ratios). A volatile ufun keeps nothing, and
neither does a call with another outcome space or with ``issues=`` /
``outcomes=``. Other kinds compute each time: a function computed from
another (normalized, discounted, weighted, ...) cannot see that one change,
and a subclass (a learned opponent model, a user's class) may change its state
in place; the flag is read from the class itself, so a subclass keeps only
when it sets ``keeps_results = True`` too.

Assigning any attribute of the ufun (its outcome space, constraints,
stability, weights, mapping, ...) forgets what was kept, so a replaced part is
never answered from an old result. A part changed *in place* (a value a mapping
function's callable reads) cannot be seen: call :meth:`clear_caches`
after such a change. NegMAS's attribute names (``_cached_minmax``,
``_cached_extreme_outcomes``, and ``_cached_inverse`` / ``_cached_inverse_type``
for the inverter :meth:`invert` keeps) hold the kept values.
"""

from __future__ import annotations

from typing import Any

from palaver.outcomes import Outcome

__all__ = ["KeptExtremesMixin"]

#: The attributes holding kept results.
_KEPT = frozenset({"_cached_minmax", "_cached_extreme_outcomes"})
#: Attributes that do not change a utility: setting them forgets nothing (the
#: mechanism sets ``owner`` at every negotiation's start and end).
_NEUTRAL = _KEPT | {"owner", "_changes", "_kept_pareto_sampler"}


class KeptExtremesMixin:
    """``clear_caches`` and the keeping rules of the module, for utility functions."""

    #: Whether this class keeps results (read from the class itself, not inherited).
    keeps_results: bool = False
    #: The kept ``minmax()`` over the own outcome space (``None``: none kept).
    _cached_minmax: tuple[float, float] | None = None
    #: The kept ``extreme_outcomes()`` over the own outcome space (``None``: none kept).
    _cached_extreme_outcomes: tuple[Outcome, Outcome] | None = None

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in _NEUTRAL:
            d = self.__dict__
            if "_cached_minmax" in d or "_cached_extreme_outcomes" in d:
                d.pop("_cached_minmax", None)
                d.pop("_cached_extreme_outcomes", None)
        super().__setattr__(name, value)

    def clear_caches(self) -> None:
        """Forget the kept range, extreme outcomes, inverter and Pareto sampler
        (NegMAS's method; needed after changing a part of the ufun in place)."""
        d = self.__dict__
        for name in (*_KEPT, "_inverses", "_kept_pareto_sampler"):
            d.pop(name, None)

    @property
    def _cached_inverse(self) -> Any:
        """The inverter :meth:`invert` kept (NegMAS's attribute), else ``None``."""
        kept: dict[Any, Any] | None = self.__dict__.get("_inverses")
        return next(iter(kept.values()), None) if kept else None

    @property
    def _cached_inverse_type(self) -> type | None:
        """The class of :attr:`_cached_inverse` (NegMAS's attribute), else ``None``."""
        found = self._cached_inverse
        return None if found is None else type(found)

    def _can_cache_minmax(self) -> bool:
        """True when the stability promises a fixed lowest and highest utility."""
        if not type(self).__dict__.get("keeps_results", False):
            return False
        stability = self.stability  # type: ignore[attr-defined]
        return bool(stability.has_stable_min and stability.has_stable_max)

    def _can_cache_extreme_outcomes(self) -> bool:
        """True when the stability promises fixed worst and best outcomes."""
        if not type(self).__dict__.get("keeps_results", False):
            return False
        return bool(self.stability.has_stable_extremes)  # type: ignore[attr-defined]

    def _kept_minmax(self) -> tuple[float, float] | None:
        """The kept range when it may be used, else ``None``."""
        kept = self.__dict__.get("_cached_minmax")
        return kept if kept is not None and self._can_cache_minmax() else None

    def _keep_minmax(self, value: tuple[float, float]) -> None:
        if self._can_cache_minmax():
            self.__dict__["_cached_minmax"] = value

    def _kept_extremes(self) -> tuple[Outcome, Outcome] | None:
        """The kept extreme outcomes when they may be used, else ``None``."""
        kept = self.__dict__.get("_cached_extreme_outcomes")
        return kept if kept is not None and self._can_cache_extreme_outcomes() else None

    def _keep_extremes(self, value: tuple[Outcome, Outcome]) -> None:
        if self._can_cache_extreme_outcomes():
            self.__dict__["_cached_extreme_outcomes"] = value

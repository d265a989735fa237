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
stability, weights, mapping, ...) makes what was kept unusable (it was kept
with the attributes' objects, and is used only while each is still the same
object), so a replaced part is never answered from an old result. A part
changed *in place* (a value a mapping function's callable reads) cannot be
seen: call :meth:`clear_caches` after such a change. NegMAS's attribute
names (``_cached_minmax``, ``_cached_extreme_outcomes``, and
``_cached_inverse`` / ``_cached_inverse_type`` for the inverter
:meth:`invert` keeps) show the kept values.
"""

from __future__ import annotations

from typing import Any

from palaver.outcomes import Outcome

__all__ = ["KeptExtremesMixin", "forget_kept_extremes"]

#: Where the kept results live in the instance dict, with the state they were
#: computed from.
_MINMAX, _EXTREMES = "_kept_minmax_entry", "_kept_extremes_entry"
#: Attributes that do not change a utility (the mechanism sets ``owner`` at every
#: negotiation's start and end); with the ``_kept*`` ones, not part of the state.
_NEUTRAL = frozenset({"owner", "_changes", "_inverses"})


def forget_kept_extremes(ufun: object) -> None:
    """Drop ``ufun``'s kept range and extreme outcomes (a change that leaves every
    attribute the same object, as NegMAS's constraint changes, still forgets)."""
    d = getattr(ufun, "__dict__", {})
    d.pop(_MINMAX, None)
    d.pop(_EXTREMES, None)


def _state(d: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The ufun's attributes (names and the objects themselves) that a result depends on."""
    return tuple((k, v) for k, v in d.items() if k not in _NEUTRAL and not k.startswith("_kept"))


def _same(a: tuple[tuple[str, Any], ...], b: tuple[tuple[str, Any], ...]) -> bool:
    # The objects themselves, not equal values: a replaced array of the same values
    # is a change too. The entry holds them, so no id is reused meanwhile.
    return len(a) == len(b) and all(
        x[0] == y[0] and x[1] is y[1] for x, y in zip(a, b, strict=True)
    )


class KeptExtremesMixin:
    """``clear_caches`` and the keeping rules of the module, for utility functions.

    A kept result is stored with the ufun's attributes as they were (the
    objects, not copies); it is used only while every attribute is still the
    same object, which costs nothing when attributes are set (no
    ``__setattr__`` hook on the path of constructing ufuns).
    """

    #: Whether this class keeps results (read from the class itself, not inherited).
    keeps_results: bool = False

    def _entry(self, where: str) -> Any:
        d = self.__dict__
        entry = d.get(where)
        if entry is None:
            return None
        if not _same(entry[0], _state(d)):
            del d[where]  # an attribute was set since: forget it
            return None
        return entry[1]

    @property
    def _cached_minmax(self) -> tuple[float, float] | None:
        """The kept ``minmax()`` over the own outcome space (NegMAS's attribute; ``None``: none)."""
        found: tuple[float, float] | None = self._entry(_MINMAX)
        return found

    @property
    def _cached_extreme_outcomes(self) -> tuple[Outcome, Outcome] | None:
        """The kept ``extreme_outcomes()`` (NegMAS's attribute; ``None``: none)."""
        found: tuple[Outcome, Outcome] | None = self._entry(_EXTREMES)
        return found

    def clear_caches(self) -> None:
        """Forget the kept range, extreme outcomes, inverter and Pareto sampler
        (NegMAS's method; needed after changing a part of the ufun in place)."""
        d = self.__dict__
        for name in (_MINMAX, _EXTREMES, "_inverses", "_kept_pareto_sampler"):
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
        return self._cached_minmax if self._can_cache_minmax() else None

    def _keep_minmax(self, value: tuple[float, float]) -> None:
        if self._can_cache_minmax():
            self.__dict__[_MINMAX] = (_state(self.__dict__), value)

    def _kept_extremes(self) -> tuple[Outcome, Outcome] | None:
        """The kept extreme outcomes when they may be used, else ``None``."""
        return self._cached_extreme_outcomes if self._can_cache_extreme_outcomes() else None

    def _keep_extremes(self, value: tuple[Outcome, Outcome]) -> None:
        if self._can_cache_extreme_outcomes():
            self.__dict__[_EXTREMES] = (_state(self.__dict__), value)

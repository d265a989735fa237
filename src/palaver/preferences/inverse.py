"""Inverse utility functions: outcomes of a given utility, NegMAS's inverters.

A negotiator that concedes along a curve asks the opposite question of a
utility function: *which outcome is worth about u to me?* An inverter answers
it. Every inverter answers NegMAS's queries (``some``, ``one_in``,
``best_in``, ``worst_in``, ``within_fractions``, ``within_indices``,
``closest``, ...; their shared rules are in
:mod:`palaver.preferences.inverse_base`), so negotiators written against
NegMAS's inverters run unchanged; ``ufun.invert()`` gives a cached,
initialized inverter as in NegMAS.

Two families, by how answers are found:

* ranking (:mod:`~palaver.preferences.inverse_exhaustive`): presorting (exact,
  clamping), brute force (exact, strict: ``None`` outside the range asked) and
  sampling (a fresh sample per query);
* constructing (:mod:`~palaver.preferences.inverse_constructive`): BIDS and
  attribute planning (additive ufuns, any size of space), Monte-Carlo search
  (any ufun); approximate, each answer checked against the ufun.

:class:`~palaver.preferences.inverse_adaptive.AdaptiveInverseUtilityFunction`
picks presorting or BIDS by the ufun and the size of its space.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from palaver.preferences.inverse_adaptive import AdaptiveInverseUtilityFunction
from palaver.preferences.inverse_additive import (
    AttributePlanningInverseUtilityFunction,
    BIDSInverseUtilityFunction,
)
from palaver.preferences.inverse_base import InverseUtilityFunction
from palaver.preferences.inverse_exhaustive import (
    BruteForceInverseUtilityFunction,
    PresortingInverseUtilityFunction,
    PresortingInverseUtilityFunctionBruteForce,
    PresortingLegacyInverseUtilityFunction,
    SamplingInverseUtilityFunction,
)
from palaver.preferences.inverse_rules import read_range
from palaver.preferences.inverse_search import MCTSInverseUtilityFunction

if TYPE_CHECKING:
    from palaver.preferences.base import UtilityFunction

__all__ = [
    "AdaptiveInverseUtilityFunction",
    "AttributePlanningInverseUtilityFunction",
    "BIDSInverseUtilityFunction",
    "BruteForceInverseUtilityFunction",
    "DefaultInverseUtilityFunction",
    "InverseUFun",
    "InverseUtilityFunction",
    "MCTSInverseUtilityFunction",
    "PresortingInverseUtilityFunction",
    "PresortingInverseUtilityFunctionBruteForce",
    "PresortingLegacyInverseUtilityFunction",
    "SamplingInverseUtilityFunction",
    "read_range",
]

InverseUFun = InverseUtilityFunction
"""NegMAS's name for what every inverter answers (its protocol)."""

DefaultInverseUtilityFunction = PresortingInverseUtilityFunction
"""What ``ufun.invert()`` builds when no inverter is named (NegMAS's default
picks an inverter by the space's size; Palaver's ranks every outcome)."""


def invert(
    ufun: UtilityFunction, inverter: type[InverseUtilityFunction] | None, kwargs: dict[str, Any]
) -> InverseUtilityFunction:
    """``ufun``'s initialized inverter of class ``inverter`` built with ``kwargs``,
    the same one again for the same request while the ufun's space and reserved
    value are unchanged (see :meth:`UtilityFunction.invert`)."""
    cls = DefaultInverseUtilityFunction if inverter is None else inverter
    if not (isinstance(cls, type) and issubclass(cls, InverseUtilityFunction)):
        raise TypeError(
            f"inverter must be an InverseUtilityFunction class (e.g. "
            f"PresortingInverseUtilityFunction), got {inverter!r}"
        )
    key = (cls, tuple(sorted(kwargs.items())), id(ufun.outcome_space), ufun.reserved_value)
    cache: dict[Any, InverseUtilityFunction] = ufun.__dict__.setdefault("_inverses", {})
    found = cache.get(key)
    if found is None:
        found = cls(ufun, **kwargs)
        found.init()
        cache.clear()  # one inverter per ufun: a new request replaces the old
        cache[key] = found
    return found

"""Checks of the arguments of :class:`Scenario`, each raising :class:`ScenarioError`."""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence

from palaver.outcomes import OutcomeSpace
from palaver.preferences import UtilityFunction
from palaver.scenarios.errors import ScenarioError


def checked_ufuns(
    ufuns: Sequence[UtilityFunction], space: OutcomeSpace
) -> tuple[UtilityFunction, ...]:
    """The utility functions, each over ``space`` (a copy gets it when it has none)."""
    if isinstance(ufuns, UtilityFunction) or not isinstance(ufuns, Sequence):
        raise ScenarioError(f"Scenario: ufuns must be a list of utility functions, got {ufuns!r}")
    if not ufuns:
        raise ScenarioError("Scenario: ufuns is empty; give one utility function per party")
    checked = []
    for i, u in enumerate(ufuns):
        if not isinstance(u, UtilityFunction):
            raise ScenarioError(f"Scenario: ufuns[{i}] is not a UtilityFunction: {u!r}")
        if u.outcome_space is None:
            u = copy.copy(u)
            u.outcome_space = space
        elif u.outcome_space != space:
            raise ScenarioError(
                f"Scenario: ufuns[{i}] is defined over issues {list(u.outcome_space.issues)}, "
                f"not the scenario's {list(space.issues)}"
            )
        checked.append(u)
    return tuple(checked)


def checked_discounts(values: Sequence[float] | None, k: int) -> tuple[float, ...]:
    """One discount factor per party, each in ``(0, 1]`` (default 1)."""
    if values is None:
        return (1.0,) * k
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise ScenarioError(
            f"Scenario: discount_factors must be a list of {k} numbers, got {values!r}"
        )
    out = tuple(values)
    if len(out) != k:
        raise ScenarioError(f"Scenario: {len(out)} discount_factors for {k} ufuns")
    for i, d in enumerate(out):
        if isinstance(d, bool) or not isinstance(d, int | float) or not 0 < d <= 1:
            raise ScenarioError(
                f"Scenario: discount_factors[{i}] = {d!r}; allowed: a number in (0, 1]"
            )
    return tuple(float(d) for d in out)


def checked_names(names: Sequence[str] | None, k: int) -> tuple[str, ...]:
    """``k`` distinct non-empty names (default ``u0``, ``u1``, ...)."""
    if names is None:
        return tuple(f"u{i}" for i in range(k))
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise ScenarioError(f"Scenario: ufun_names must be a list of {k} strings, got {names!r}")
    out = tuple(names)
    if len(out) != k or not all(isinstance(n, str) and n for n in out):
        raise ScenarioError(f"Scenario: ufun_names must be {k} non-empty strings, got {out!r}")
    if len(set(out)) != k:
        raise ScenarioError(f"Scenario: ufun_names must be distinct, got {out!r}")
    return out


def check_enumerable(space: OutcomeSpace, name: str | None, max_outcomes: int) -> None:
    """Refuse, before it starts, enumerating a continuous space or one above ``max_outcomes``."""
    n = space.cardinality
    if n == math.inf:
        continuous = [i.name for i in space.issues if i.is_continuous]
        raise ScenarioError(
            f"scenario {name!r}: issues {continuous} are continuous, so the outcomes "
            "cannot be enumerated; discretise them (scenario.discretize(levels)) or "
            "sample (scenario.calc_stats(sample=n))"
        )
    if n > max_outcomes:
        raise ScenarioError(
            f"scenario {name!r} has {n:,} outcomes, more than max_outcomes="
            f"{max_outcomes:,} that may be enumerated; discretise with fewer levels "
            "(scenario.discretize(levels)), sample (scenario.calc_stats(sample=n)) "
            "or raise max_outcomes"
        )


def check_flags(method: str, **flags: object) -> None:
    """Refuse an on/off option that is not a bool (numpy's included), naming the
    method and the option: ``ignore_discount="no"`` was read as true."""
    for name, value in flags.items():
        if not (value is True or value is False or type(value).__name__ in ("bool_", "bool")):
            raise ScenarioError(f"{method}: {name} must be True or False, got {value!r}")

"""A scenario's standard information (NegMAS's ``calc_standard_info``, ``rational_fraction``
and ``opposition_level`` of ``negmas.preferences.ops``).

:func:`calc_standard_info` says how many negotiators, outcomes and issues a
scenario has, what fraction of its outcomes every party prefers to no
agreement (:func:`rational_fraction`) and how opposed the parties are
(:func:`opposition_level`). These are NegMAS's definitions, which differ from
:class:`~palaver.scenarios.ScenarioStats`'s fields of similar names: the
rational fraction counts outcomes *strictly* better than every reserved value,
over the whole space's size even when ``outcomes`` lists fewer; the opposition
level is the distance from ``(1, ..., 1)`` to the nearest outcome no party
finds worse than no agreement, each utility divided by its maximum (not
rescaled to [0, 1]).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from palaver.outcomes import Outcome, OutcomeSpace
from palaver.preferences import UtilityFunction

__all__ = ["calc_standard_info", "opposition_level", "rational_fraction"]


def _space_of(ufuns: Sequence[UtilityFunction], outcome_space: OutcomeSpace | None) -> OutcomeSpace:
    if not ufuns:
        raise ValueError("Must pass the ufuns: one utility function per negotiator")
    space = outcome_space if outcome_space is not None else ufuns[0].outcome_space
    if space is None:
        raise ValueError(
            "no outcome space: pass outcome_space= or give the first utility function one"
        )
    return space


def _utilities(ufuns: Sequence[UtilityFunction], outcomes: Sequence[Outcome]) -> np.ndarray:
    """``(n_outcomes, n_ufuns)`` utilities."""
    if not outcomes:
        return np.zeros((0, len(ufuns)))
    return np.column_stack([np.asarray(u.eval_many(list(outcomes)), dtype=float) for u in ufuns])


def rational_fraction(
    ufuns: Sequence[UtilityFunction],
    outcomes: Sequence[Outcome] | None = None,
    outcome_space: OutcomeSpace | None = None,
) -> float:
    """The number of outcomes every party values strictly above its reserved value,
    over the outcome space's size (``outcomes``: the ones examined, default all).

    Raises ``ValueError`` without utility functions or an outcome space.
    """
    space = _space_of(ufuns, outcome_space)
    size = space.cardinality
    if size == 0:
        return 0.0
    listed = space.enumerate_or_sample(max_cardinality=math.inf) if outcomes is None else outcomes
    utils = _utilities(ufuns, listed)
    reserved = np.array([float(u.reserved_value) for u in ufuns])
    return float((utils > reserved).all(axis=1).sum()) / float(size)


def opposition_level(
    ufuns: Sequence[UtilityFunction],
    max_utils: float | Sequence[float] = 1.0,
    outcomes: int | Sequence[Outcome] | None = None,
    outcome_space: OutcomeSpace | None = None,
    max_tests: int = 10000,
) -> float:
    """The distance from ``(1, ..., 1)`` to the nearest outcome of utilities ``u_i / max_i``
    that no party finds worse than no agreement (``inf`` when every outcome is).

    ``outcomes`` lists the outcomes (an int ``n`` stands for ``(0,) ... (n - 1,)``);
    by default at most ``max_tests`` of the outcome space's. A maximum of 0 leaves
    that party's utility as it is.
    """
    if outcomes is None:
        space = _space_of(ufuns, outcome_space)
        outcomes = space.enumerate_or_sample(max_cardinality=max_tests, seed=0)
    elif isinstance(outcomes, int):
        outcomes = [(i,) for i in range(outcomes)]
    maxima = [float(max_utils)] * len(ufuns) if isinstance(max_utils, int | float) else max_utils
    if len(maxima) != len(ufuns):
        raise ValueError(f"{len(ufuns)} utility functions but {len(maxima)} maximum utilities")
    utils = _utilities(ufuns, outcomes)
    reserved = np.array([float(u.reserved_value) for u in ufuns])
    rational = (utils >= reserved).all(axis=1)
    scale = np.array([m if m else 1.0 for m in maxima], dtype=float)
    gaps = ((1.0 - utils[rational] / scale) ** 2).sum(axis=1)
    return float(math.sqrt(gaps.min())) if len(gaps) else math.inf


def calc_standard_info(
    ufuns: Sequence[UtilityFunction],
    outcome_space: OutcomeSpace | None = None,
    outcomes: Sequence[Outcome] | None = None,
    calc_rational: bool = True,
) -> dict[str, Any]:
    """``n_negotiators``, ``n_outcomes`` (the space's size), ``n_issues``,
    ``opposition_level`` (``None`` when it cannot be computed) and, with
    ``calc_rational``, ``rational_fraction``.

    Raises ``ValueError`` without utility functions or an outcome space, or when
    a utility function is defined on another outcome space.
    """
    space = _space_of(ufuns, outcome_space)
    for i, u in enumerate(ufuns):
        if u.outcome_space is None or u.outcome_space != space:
            raise ValueError(
                f"ufun {i} has a different outcome space than expected: expected {space}, "
                f"got {u.outcome_space}"
            )
    info: dict[str, Any] = {
        "n_negotiators": len(ufuns),
        "n_outcomes": space.cardinality,
        "n_issues": len(space.issues),
    }
    try:
        opposition: float | None = opposition_level(
            ufuns, [float(u.max()) for u in ufuns], outcomes=outcomes, outcome_space=space
        )
    except (ValueError, ArithmeticError):  # NegMAS records None when it cannot be computed
        opposition = None
    info["opposition_level"] = opposition
    if calc_rational:
        info["rational_fraction"] = rational_fraction(ufuns, outcomes, space)
    return info

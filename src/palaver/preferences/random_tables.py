"""NegMAS's generators of random utility tables, on every utility function class.

NegMAS defines ``generate_random``, ``generate_random_bilateral`` and
``generate_bilateral`` on its crisp ``UtilityFunction``, so code calls them on
any subclass (``LinearAdditiveUtilityFunction.generate_random_bilateral(...)``);
each returns :class:`~palaver.preferences.mapping.MappingUtilityFunction`
tables whatever class it is called on, as in NegMAS.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver._util.checks import MAX_ENUMERATED_OUTCOMES, check_int, check_items
from palaver.outcomes import Outcome, OutcomeSpace, OutcomeSpaceError, resolve_outcome_space
from palaver.preferences.draws import Seed, generator

if TYPE_CHECKING:
    from palaver.preferences.mapping import MappingUtilityFunction


def unit_draws(rng: np.random.Generator, n: int, normalized: bool) -> np.ndarray:
    """``n`` uniform draws; normalized, shifted and scaled onto exactly ``[0, 1]``."""
    if normalized:
        return _onto_unit(rng.uniform(0.0, 1.0, n))
    low, width = rng.uniform(0.0, 4.0, 2)
    drawn: np.ndarray = low + width * rng.uniform(0.0, 1.0, n)
    return drawn


def _onto_unit(u: np.ndarray) -> np.ndarray:
    low, high = (u.min(), u.max()) if len(u) else (0.0, 0.0)
    return (u - low) / (high - low) if high > low else np.ones(len(u))


def _rows(outcomes: int | Iterable[Outcome]) -> tuple[list[Outcome], OutcomeSpace | None]:
    """The outcome tuples a generator is given (a count ``k``: ``(0,) .. (k-1,)``)
    and their outcome space when they make a full cartesian product."""
    # n=-1 gave no table, outcomes=-1 empty tables, and a text one outcome per
    # letter; 10**30 outcomes were listed for ever.
    if isinstance(outcomes, Integral) and not isinstance(outcomes, bool):
        if not 1 <= int(outcomes) <= MAX_ENUMERATED_OUTCOMES:
            raise ValueError(
                f"outcomes must be a count in 1..{MAX_ENUMERATED_OUTCOMES:,} or a list of "
                f"outcome tuples, got {outcomes!r}"
            )
        rows: list[Outcome] = [(k,) for k in range(int(outcomes))]
    else:
        items = check_items("outcomes", outcomes, "outcome tuples (or a count)")
        if not items:
            raise ValueError("outcomes must list at least one outcome, got none")
        bad = next(
            (o for o in items if isinstance(o, str | bytes) or not isinstance(o, Iterable)),
            None,
        )
        if bad is not None:
            raise TypeError(f"outcomes must be outcome tuples, got {bad!r:.80} among them")
        rows = [tuple(o) for o in items]
        # A repeated outcome collapsed into one table entry keeping the later draw, so
        # a normalized table could miss its 0 or its 1.
        seen: set[Outcome] = set()
        for row in rows:
            if row in seen:
                raise ValueError(f"outcomes must not repeat an outcome, got {row!r:.80} twice")
            seen.add(row)
    try:
        space = resolve_outcome_space(outcomes=outcomes if isinstance(outcomes, int) else rows)
    except OutcomeSpaceError:
        space = None
    return rows, space


def _tables(
    rows: list[Outcome], space: OutcomeSpace | None, utilities: Iterable[np.ndarray]
) -> list[MappingUtilityFunction]:
    from palaver.preferences.mapping import MappingUtilityFunction

    return [
        MappingUtilityFunction(
            dict(zip(rows, (float(x) for x in u), strict=True)), outcome_space=space
        )
        for u in utilities
    ]


class RandomTables:
    """NegMAS's random table generators (class methods of every utility function)."""

    @classmethod
    def generate_random(
        cls,
        n: int,
        outcomes: int | Iterable[Outcome],
        normalized: bool = True,
        *,
        seed: Seed = None,
    ) -> list[MappingUtilityFunction]:
        """``n`` tables of uniform random utilities over the same outcomes.

        ``outcomes`` is a list of outcome tuples, or a count ``k`` for the
        outcomes ``(0,), ..., (k-1,)``. Normalized, each table's worst outcome
        gets 0 and its best 1. The outcome space is set when the outcomes make
        a full cartesian product (as a mechanism's ``outcomes`` do); otherwise
        the tables have none, and outcomes outside them raise ``KeyError``.
        All draws come from one generator made from ``seed``.
        """
        n = check_int("n", n, minimum=1)
        rows, space = _rows(outcomes)
        rng = generator(seed)
        return _tables(rows, space, [unit_draws(rng, len(rows), normalized) for _ in range(n)])

    @classmethod
    def generate_random_bilateral(
        cls, outcomes: int | Iterable[Outcome], *, seed: Seed = None
    ) -> tuple[MappingUtilityFunction, MappingUtilityFunction]:
        """Two normalized random tables over the same outcomes (see :meth:`generate_random`)."""
        first, second = cls.generate_random(2, outcomes, seed=seed)
        return first, second

    @classmethod
    def generate_bilateral(
        cls,
        outcomes: int | Iterable[Outcome],
        conflict_level: float = 0.5,
        conflict_delta: float = 0.005,
        *,
        seed: Seed = None,
    ) -> tuple[MappingUtilityFunction, MappingUtilityFunction]:
        """Two normalized tables over the same outcomes, as opposed as
        ``conflict_level`` says (NegMAS's ``generate_bilateral``).

        The second table mixes the first's mirror image (``1 - u``, above 0.5:
        opposed interests) or the first itself (below 0.5: shared interests)
        with uniform noise, the more of the noise the nearer ``conflict_level``
        is to 0.5 (at 0.5 the tables are independent); ``conflict_delta`` adds
        that much noise to the mirror or copy. At 1 (or 0) with
        ``conflict_delta=0`` the tables rank the outcomes in opposite (or the
        same) order. Both are scaled onto ``[0, 1]``.

        Raises:
            ValueError: ``conflict_level`` outside ``[0, 1]`` or a negative
                ``conflict_delta``.
        """
        level = _unit_float("conflict_level", conflict_level)
        delta = _unit_float("conflict_delta", conflict_delta, upper=math.inf)
        rows, space = _rows(outcomes)
        rng = generator(seed)
        n = len(rows)
        first = rng.uniform(0.0, 1.0, n)
        noise = rng.uniform(0.0, 1.0, n)
        if level == 0.5:
            second = noise
        else:
            mirror = 1.0 - first if level > 0.5 else first
            weight = level if level > 0.5 else 1.0 - level
            second = (mirror + delta * rng.uniform(0.0, 1.0, n)) * weight + noise * (1 - weight)
        made = _tables(rows, space, [_onto_unit(first), _onto_unit(second)])
        return made[0], made[1]


def _unit_float(name: str, value: Any, upper: float = 1.0) -> float:
    # Finite too: an infinite conflict_delta made every utility of the second table inf,
    # which scaled onto [0, 1] as a table of ones.
    if (
        isinstance(value, bool)
        or not isinstance(value, Real)
        or not math.isfinite(float(value))
        or not 0.0 <= float(value) <= upper
    ):
        allowed = "a number in [0, 1]" if upper == 1.0 else "a finite number >= 0"
        raise ValueError(f"{name} must be {allowed}, got {value!r:.60}")
    return float(value)

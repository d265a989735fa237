"""NegMAS's outcome-space operations, for :class:`~palaver.outcomes.OutcomeSpace`'s
methods of the same names: discretizing within a cardinality budget and drawing
outcomes from Python's global ``random`` (as NegMAS does, so that code seeding
``random.seed`` draws reproducibly). Kept apart from the space itself, which
holds Palaver's own, seeded API.
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING, Any

from palaver._util.checks import MAX_ENUMERATED_OUTCOMES
from palaver.outcomes.base import is_integer
from palaver.outcomes.categorical import DiscretizedIssue

if TYPE_CHECKING:
    from palaver.outcomes.space import Outcome, OutcomeSpace


def _count(what: str, value: object) -> int:
    if not is_integer(value) or int(value) < 0:
        raise ValueError(f"{what} must be a non-negative int, got {value!r}")
    if int(value) > MAX_ENUMERATED_OUTCOMES:  # drawing 10**30 of them never ended
        raise ValueError(
            f"{what} must be at most {MAX_ENUMERATED_OUTCOMES:,} (the outcomes Palaver lists), "
            f"got {value!r}"
        )
    return int(value)


def _levels(value: object) -> int:
    if not is_integer(value) or int(value) < 1:
        raise ValueError(f"levels must be an int >= 1, got {value!r}")
    return int(value)


def _budget(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 1:
        raise ValueError(f"max_cardinality must be a number >= 1 (or inf), got {value!r}")
    return float(value)


def _grid_size(space: OutcomeSpace, count: int) -> int | float:
    # Outcomes with `count` values per continuous issue (discrete ones as they are).
    return math.prod(i.cardinality if i.is_discrete else count for i in space.issues)


def cardinality_if_discretized(space: OutcomeSpace, levels: object, max_cardinality: object) -> Any:
    """The outcomes ``space`` would have with ``levels`` values per continuous
    issue, capped at ``max_cardinality``."""
    total = _grid_size(space, _levels(levels))
    return total if total <= _budget(max_cardinality) else max_cardinality


def to_discrete(space: OutcomeSpace, levels: object, max_cardinality: object) -> OutcomeSpace:
    """``space`` with ``levels`` values per continuous issue; ``ValueError`` when
    that makes more than ``max_cardinality`` outcomes."""
    count = _levels(levels)
    total = _grid_size(space, count)
    if total > _budget(max_cardinality):
        raise ValueError(
            f"discretizing with levels={count} makes {total} outcomes, more than "
            f"max_cardinality={max_cardinality!r} (to_largest_discrete lowers the levels)"
        )
    if not space.is_continuous:
        return space
    if count < 2:  # one level: each continuous issue's lower bound, as numpy's linspace
        issues = [
            DiscretizedIssue([i.numeric_bounds()[0]], i.name) if i.is_continuous else i
            for i in space.issues
        ]
        return type(space)(issues, space.name)
    return space.discretize(count)


def to_largest_discrete(
    space: OutcomeSpace, levels: object, max_cardinality: object
) -> OutcomeSpace:
    """``space`` discretized with the most levels, at most ``levels``, that keep
    it within ``max_cardinality`` outcomes (``ValueError`` when none does)."""
    top = _levels(levels)
    cap = _budget(max_cardinality)
    for count in range(top, 0, -1):
        if _grid_size(space, count) <= cap:
            return to_discrete(space, count, max_cardinality)
    raise ValueError(
        f"no levels <= {top} keep the outcome space within max_cardinality="
        f"{max_cardinality!r} (its discrete issues alone make "
        f"{math.prod(i.cardinality for i in space.issues if i.is_discrete)} outcomes)"
    )


def draw(
    space: OutcomeSpace, n: object, with_replacement: bool, fail_if_not_enough: bool
) -> list[Outcome]:
    """NegMAS's ``sample(n_outcomes, with_replacement, fail_if_not_enough)``:
    ``n`` outcomes drawn with Python's global ``random``; without replacement
    they are distinct, and a discrete space with fewer outcomes gives them all
    (or ``ValueError`` with ``fail_if_not_enough``)."""
    count = _count("n_outcomes", n)
    issues = space.issues
    if with_replacement:
        return [tuple(issue.rand() for issue in issues) for _ in range(count)]
    total = space.cardinality
    if total != math.inf:
        if count > total:
            if fail_if_not_enough:
                raise ValueError(f"cannot draw {count} distinct outcomes from a space of {total}")
            count = int(total)
        # Distinct positions, decoded as mixed-radix numbers over the issues.
        sizes = [len(issue.all_values) for issue in issues]
        chosen = random.sample(range(int(total)), count)
        out = []
        for position in chosen:
            values = []
            for issue, size in zip(reversed(issues), reversed(sizes), strict=True):
                position, k = divmod(position, size)
                values.append(issue.all_values[k])
            out.append(tuple(reversed(values)))
        return out
    seen: dict[Outcome, None] = {}
    while len(seen) < count:  # a continuous issue repeats a value with probability 0
        seen.setdefault(tuple(issue.rand() for issue in issues))
    return list(seen)


def rational_outcomes(
    outcomes: list[Outcome], preferences: Any, aggregator: Any = any
) -> list[Outcome]:
    """NegMAS's ``enumerate_or_sample_rational`` filter: the outcomes for which
    ``aggregator`` of "irrational for this party" over ``preferences`` is false.

    An outcome is irrational for a party when it is worth less than the
    party's reserved value, or, for a party with a ``reserved_outcome`` and
    no reserved value, worse than that outcome; a reserved value of ``None``
    makes every outcome rational. With ``aggregator=any`` (the default) the
    outcomes kept are rational for every party; with ``all``, for at least one.
    """
    parties = list(preferences)

    def irrational(party: Any, outcome: Outcome) -> bool:
        reserved = getattr(party, "reserved_value", None)
        if reserved is not None:
            return bool(party(outcome) < reserved)
        fallback = getattr(party, "reserved_outcome", None)
        return fallback is not None and bool(party.is_worse(outcome, fallback))

    return [o for o in outcomes if not aggregator(irrational(p, o) for p in parties)]

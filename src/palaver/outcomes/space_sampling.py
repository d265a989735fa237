"""Drawing outcomes from an :class:`~palaver.outcomes.OutcomeSpace`, for its
:meth:`~palaver.outcomes.OutcomeSpace.sample`,
:meth:`~palaver.outcomes.OutcomeSpace.enumerate_or_sample` and
:meth:`~palaver.outcomes.OutcomeSpace.random_outcomes`: uniform draws with or
without replacement from a numpy generator, and the seeds those methods accept.
Kept apart from the space, which holds its issues, membership and enumeration.
"""

from __future__ import annotations

import math
from numbers import Integral
from typing import TYPE_CHECKING

import numpy as np

from palaver._util.checks import MAX_ENUMERATED_OUTCOMES, check_bool
from palaver.outcomes import space_negmas
from palaver.outcomes.errors import OutcomeSpaceError

if TYPE_CHECKING:
    from palaver.outcomes.space import Outcome, OutcomeSpace

#: Spaces up to this size draw distinct outcomes by choosing positions in them.
_CHOOSE_AMONG = 10_000_000


def sample(
    space: OutcomeSpace,
    rng: np.random.Generator | int,
    n: int | None,
    with_replacement: bool,
    fail_if_not_enough: bool,
) -> list[Outcome]:
    """``space.sample(rng, n, with_replacement, fail_if_not_enough)``: see
    :meth:`~palaver.outcomes.OutcomeSpace.sample`."""
    constrained = bool(space.constraints)
    if n is None and not isinstance(rng, np.random.Generator):
        drawn = space_negmas.draw(space, rng, with_replacement, fail_if_not_enough)
        return space.allowed(drawn) if constrained else drawn
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}"
        )
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise OutcomeSpaceError(f"sample size must be a non-negative int, got {n!r}")
    if n > MAX_ENUMERATED_OUTCOMES:  # numpy failed on 10**30 ("Maximum allowed dimension")
        raise OutcomeSpaceError(
            f"sample size must be at most {MAX_ENUMERATED_OUTCOMES:,} (the outcomes Palaver "
            f"lists), got {n!r}"
        )
    if with_replacement is not True:
        # Once ignored here: a caller asking for distinct outcomes got repeats.
        with_replacement = check_bool("with_replacement", with_replacement)
        fail_if_not_enough = check_bool("fail_if_not_enough", fail_if_not_enough)
        if not with_replacement:
            if constrained:
                return space.allowed(distinct(space, rng, n, fail_if_not_enough))
            return distinct(space, rng, n, fail_if_not_enough)
    if constrained:
        return space.draw_allowed(lambda k: draw(space, rng, k), n)
    return draw(space, rng, n)


def draw(space: OutcomeSpace, rng: np.random.Generator, n: int) -> list[Outcome]:
    """``n`` outcomes of ``space`` drawn uniformly with replacement, constraints aside."""
    if not space.issues:
        return [()] * n
    columns = [issue.sample(rng, n) for issue in space.issues]
    return list(zip(*columns, strict=True))


def distinct(space: OutcomeSpace, rng: np.random.Generator, n: int, fail: bool) -> list[Outcome]:
    """``n`` distinct outcomes of ``space`` drawn with ``rng``, constraints aside
    (all of them, in a random order, when there are fewer and not ``fail``)."""
    issues = space.issues
    total = space.cardinality
    if n > total:
        if fail:
            raise OutcomeSpaceError(
                f"cannot draw {n} distinct outcomes from a space of {total}; "
                "pass fail_if_not_enough=False to get all of them"
            )
        n = int(total)
    if total <= _CHOOSE_AMONG:
        # Positions in the enumeration order, decoded as mixed-radix numbers.
        sizes = [len(issue.all_values) for issue in issues]
        out = []
        for position in rng.choice(int(total), n, replace=False).tolist():
            values = []
            for issue, size in zip(reversed(issues), reversed(sizes), strict=True):
                position, k = divmod(position, size)
                values.append(issue.all_values[k])
            out.append(tuple(reversed(values)))
        return out
    # A space too large to choose positions in: n is far below its size, so
    # uniform draws repeat rarely.
    seen: dict[Outcome, None] = {}
    while len(seen) < n:
        columns = [issue.sample(rng, n - len(seen)) for issue in issues]
        for outcome in zip(*columns, strict=True):
            seen.setdefault(outcome)
    return list(seen)[:n]


def enumerate_or_sample(
    space: OutcomeSpace,
    levels: int,
    max_cardinality: int | float,
    seed: int | np.random.Generator | None,
) -> list[Outcome]:
    """``space.enumerate_or_sample(levels, max_cardinality, seed)``: see
    :meth:`~palaver.outcomes.OutcomeSpace.enumerate_or_sample`."""
    unbounded = max_cardinality == math.inf
    if not unbounded and (
        isinstance(max_cardinality, bool) or not isinstance(max_cardinality, int)
    ):
        raise TypeError(f"max_cardinality must be an int or math.inf, got {max_cardinality!r}")
    if max_cardinality < 1:
        raise OutcomeSpaceError(f"max_cardinality must be >= 1, got {max_cardinality}")
    if space.is_continuous:
        space = space.discretize(levels)
    n = space.cardinality
    if unbounded or n <= max_cardinality:
        return space.enumerate()
    assert isinstance(max_cardinality, int)
    rng = generator(seed)
    chosen: set[Outcome] = set()
    while len(chosen) < max_cardinality:
        chosen.update(space.sample(rng, max_cardinality - len(chosen)))
    # Enumeration order: lexicographic in each issue's value positions.
    positions = [{v: k for k, v in enumerate(issue.all_values)} for issue in space.issues]
    return sorted(chosen, key=lambda o: [p[v] for p, v in zip(positions, o, strict=True)])


def generator(seed: object) -> np.random.Generator:
    """``seed`` (a numpy ``Generator``, an int >= 0 or ``None``) as a generator; a
    ``TypeError`` naming ``seed`` otherwise (numpy's "SeedSequence expects int or
    sequence of ints" named nothing)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise TypeError(
            "seed must be an int >= 0, a numpy.random.Generator or None, "
            f"got {seed!r:.80} ({type(seed).__name__})"
        )
    return np.random.default_rng(int(seed))

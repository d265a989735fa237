"""NegMAS's outcome-space methods and operations, for :class:`~palaver.outcomes.OutcomeSpace`:
discretizing within a cardinality budget, drawing outcomes from Python's
global ``random`` (as NegMAS does, so that code seeding ``random.seed`` draws
reproducibly), and :class:`NegmasSpaceMethods`, the base of the space holding
NegMAS's methods beyond Palaver's own API. Kept apart from the space itself,
which holds Palaver's own, seeded API.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from palaver._util.checks import MAX_ENUMERATED_OUTCOMES
from palaver.outcomes.base import Issue, is_integer
from palaver.outcomes.categorical import DiscretizedIssue
from palaver.outcomes.flags import Flag

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


class NegmasSpaceMethods:
    """NegMAS's methods of :class:`~palaver.outcomes.OutcomeSpace` beyond Palaver's
    own API: discretizing within a budget, NegMAS's tests and products of spaces,
    and the set operations. They read the space only through its public members."""

    __slots__ = ()

    if TYPE_CHECKING:  # OutcomeSpace's; declared for the type checker only
        name: str | None

        @property
        def issues(self) -> tuple[Issue, ...]: ...
        @property
        def n_issues(self) -> int: ...
        @property
        def is_continuous(self) -> Flag: ...
        def __contains__(self, outcome: object) -> bool: ...
        def enumerate(self) -> list[Outcome]: ...
        def enumerate_or_sample(
            self,
            levels: int = 10,
            max_cardinality: int | float = 10_000,
            seed: int | np.random.Generator | None = None,
        ) -> list[Outcome]: ...

    def _space(self) -> OutcomeSpace:
        # OutcomeSpace is the one class built on this one.
        return cast("OutcomeSpace", self)

    def enumerate_or_sample_rational(
        self,
        preferences: Iterable[Any],
        levels: int = 10,
        max_cardinality: int | float = math.inf,
        aggregator: Callable[[Iterable[bool]], bool] = any,
    ) -> list[Outcome]:
        """NegMAS's method: :meth:`enumerate_or_sample`'s outcomes that the parties'
        ``preferences`` find rational (worth at least their reserved values).

        ``aggregator`` combines, per outcome, whether it is irrational for each
        party: the outcome is dropped when it returns true (``any``, the
        default: kept when rational for every party; ``all``: for one).
        See :func:`palaver.outcomes.space_negmas.rational_outcomes`.
        """
        outcomes = self.enumerate_or_sample(levels, max_cardinality)
        return rational_outcomes(outcomes, preferences, aggregator)

    def to_discrete(
        self,
        levels: int = 10,
        max_cardinality: int | float = math.inf,
        method: Any = "grid",
        **kwargs: Any,
    ) -> OutcomeSpace:
        """NegMAS's name: :meth:`discretize` with ``levels`` values per continuous
        issue, raising ``ValueError`` when that makes more than ``max_cardinality``
        outcomes. Another ``method`` (a discretizer's name, class or instance,
        with ``kwargs`` for its constructor) discretizes with it: see
        :mod:`palaver.outcomes.discretizers`."""
        if isinstance(method, str) and method == "grid":
            if kwargs:
                raise TypeError(
                    f"to_discrete: unexpected keywords {sorted(kwargs)} for method='grid'"
                )
            return to_discrete(self._space(), levels, max_cardinality)
        from palaver.outcomes.discretizers import dispatch  # built on this module

        return dispatch(self._space(), method, levels, max_cardinality, **kwargs)

    def limit_cardinality(
        self, max_cardinality: int | float = math.inf, levels: int | float = math.inf
    ) -> OutcomeSpace:
        """NegMAS's: this discrete space with at most ``levels`` evenly spaced values
        per issue and at most ``max_cardinality`` outcomes (see
        :func:`palaver.outcomes.discretizers.limit_cardinality`)."""
        from palaver.outcomes.discretizers import limit_cardinality

        return limit_cardinality(self._space(), max_cardinality, levels)

    def to_largest_discrete(
        self, levels: int, max_cardinality: int | float = math.inf
    ) -> OutcomeSpace:
        """NegMAS's: discretized with the most levels (at most ``levels``) per
        continuous issue that keep it within ``max_cardinality`` outcomes."""
        return to_largest_discrete(self._space(), levels, max_cardinality)

    def cardinality_if_discretized(
        self, levels: int, max_cardinality: int | float = math.inf
    ) -> int | float:
        """NegMAS's: the outcomes with ``levels`` values per continuous issue,
        capped at ``max_cardinality``."""
        return cardinality_if_discretized(self._space(), levels, max_cardinality)  # type: ignore[no-any-return]

    def is_valid(self, outcome: object) -> bool:
        """NegMAS's name for ``outcome in space``."""
        return outcome in self

    def contains_os(self, other: OutcomeSpace) -> bool:
        """NegMAS's: whether every outcome of ``other`` is an outcome of this space.

        A cartesian space is compared issue by issue, by position (names
        aside); a singleton or listed space by its outcomes; a continuous
        ``other`` is never in a discrete space.
        """
        from palaver.outcomes.space import OutcomeSpace, SingletonOutcomeSpace  # built on this

        if not isinstance(other, OutcomeSpace):
            raise TypeError(f"other must be an OutcomeSpace, got {other!r:.80}")
        if isinstance(other, SingletonOutcomeSpace):
            return other.n_issues == self.n_issues and other.outcome in self
        if type(other) is OutcomeSpace:
            return other.n_issues == self.n_issues and all(
                a.contains_issue(b) for a, b in zip(self.issues, other.issues, strict=True)
            )
        if other.is_continuous:
            return False
        return all(o in self for o in other.enumerate())

    def cartesian_product(self, other: OutcomeSpace) -> OutcomeSpace:
        """NegMAS's: the space over this space's issues then ``other``'s, named
        ``"<name>*<other name>"`` (issue names must stay unique)."""
        from palaver.outcomes.space import OutcomeSpace

        if not isinstance(other, OutcomeSpace):
            raise TypeError(f"other must be an OutcomeSpace, got {other!r:.80}")
        return OutcomeSpace((*self.issues, *other.issues), f"{self.name}*{other.name}")

    def __mul__(self, other: OutcomeSpace) -> OutcomeSpace:
        """NegMAS's ``a * b``: :meth:`cartesian_product`."""
        return self.cartesian_product(other)

    def contains_issue(self, issue: Issue) -> bool:
        """NegMAS's: whether ``issue`` is one of the space's issues."""
        return issue in self.issues

    def is_all_continuous(self) -> bool:
        """NegMAS's: whether every issue is continuous."""
        return all(i.is_continuous for i in self.issues)

    def is_not_discrete(self) -> bool:
        """NegMAS's name for :attr:`is_continuous` (some issue is continuous)."""
        return bool(self.is_continuous)

    def is_integer(self) -> bool:
        """NegMAS's: whether every issue's values are integers."""
        return all(i.is_integer() for i in self.issues)

    def is_float(self) -> bool:
        """NegMAS's: whether every issue's values are real numbers (not integers)."""
        return all(i.is_float() for i in self.issues)

    def __or__(self, other: OutcomeSpace) -> OutcomeSpace:
        """NegMAS's ``os_union``: the outcomes of either discrete space."""
        from palaver.outcomes.enumerating import os_union  # built on this module

        return os_union(self._space(), other)

    def __and__(self, other: OutcomeSpace) -> OutcomeSpace:
        """NegMAS's ``os_intersection``: the outcomes of both discrete spaces."""
        from palaver.outcomes.enumerating import os_intersection

        return os_intersection(self._space(), other)

    def __sub__(self, other: OutcomeSpace) -> OutcomeSpace:
        """NegMAS's ``os_difference``: this discrete space's outcomes not in ``other``."""
        from palaver.outcomes.enumerating import os_difference

        return os_difference(self._space(), other)

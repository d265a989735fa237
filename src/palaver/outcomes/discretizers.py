"""NegMAS's discretizers: callables turning an outcome space into a discrete one.

A discretizer is built with two bounds, ``max_outcomes`` (at most this many
outcomes; ``None``: no cap) and ``min_levels`` (values per continuous issue;
``None``: :data:`DEFAULT_LEVELS`), then called with a space::

    discretize = GridBasedDiscretizer(max_outcomes=1000, min_levels=10)
    finite = discretize(space)

When the two conflict the cap wins. :class:`GridBasedDiscretizer` (NegMAS's
default) puts an even grid on each continuous issue, keeps the discrete ones,
and lowers the levels until the space fits (``ValueError`` when even one level
does not, or when an already-discrete space is over the cap). The
utility-aware ones are in :mod:`palaver.outcomes.balanced`.
``OutcomeSpace.to_discrete(..., method=...)`` takes a discretizer by name
(:data:`DISCRETIZERS`), class or instance; ``OutcomeSpace.limit_cardinality``
shrinks a discrete space by keeping evenly spaced values of its issues.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from palaver.outcomes.factory import make_issue

if TYPE_CHECKING:
    from palaver.outcomes.base import Issue
    from palaver.outcomes.space import OutcomeSpace

__all__ = [
    "DEFAULT_LEVELS",
    "DISCRETIZERS",
    "BaseDiscretizer",
    "DefaultDiscretizer",
    "Discretizer",
    "GridBasedDiscretizer",
    "balanced_levels",
    "get_discretizer",
    "grid_indices",
    "limit_cardinality",
    "listed_issue",
]

#: Values per continuous issue when ``min_levels`` is not given.
DEFAULT_LEVELS: int = 10


def _optional_count(name: str, value: object) -> int | None:
    """``value`` as an int >= 1, or ``None``; a ``ValueError`` naming ``name`` otherwise."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 1:
        raise ValueError(f"{name} must be an int >= 1 or None, got {value!r}")
    if value == math.inf:
        return None
    if value != int(value):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    return int(value)


@runtime_checkable
class Discretizer(Protocol):
    """Anything called with an outcome space and returning a discrete one."""

    def __call__(self, outcome_space: OutcomeSpace) -> OutcomeSpace:
        """The discrete space standing for ``outcome_space``."""
        ...


class BaseDiscretizer(ABC):
    """The two bounds every discretizer is built with (see the module)."""

    def __init__(self, max_outcomes: int | None = None, min_levels: int | None = None) -> None:
        #: At most this many outcomes in the result (``None``: no cap).
        self.max_outcomes = _optional_count("max_outcomes", max_outcomes)
        #: Values per continuous issue (``None``: :data:`DEFAULT_LEVELS`).
        self.min_levels = _optional_count("min_levels", min_levels)

    @property
    def max_cardinality(self) -> int | float:
        """``max_outcomes``, ``inf`` when not given."""
        return math.inf if self.max_outcomes is None else self.max_outcomes

    @property
    def levels(self) -> int:
        """``min_levels``, :data:`DEFAULT_LEVELS` when not given."""
        return DEFAULT_LEVELS if self.min_levels is None else self.min_levels

    @abstractmethod
    def __call__(self, outcome_space: OutcomeSpace) -> OutcomeSpace:
        """The discrete space standing for ``outcome_space``."""

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(max_outcomes={self.max_outcomes}, min_levels={self.min_levels})"
        )


class GridBasedDiscretizer(BaseDiscretizer):
    """An even grid of ``min_levels`` values (ends included) on each continuous
    issue, fewer when needed to stay within ``max_outcomes``; discrete issues
    are kept as they are (see the module)."""

    def __call__(self, outcome_space: OutcomeSpace) -> OutcomeSpace:
        space = outcome_space
        cap = self.max_cardinality
        if space.is_discrete:
            if space.cardinality <= cap:
                return space
            raise ValueError(
                f"the discrete outcome space has {space.cardinality} outcomes, more than "
                f"max_outcomes={self.max_outcomes}; a grid keeps discrete issues whole "
                "(limit_cardinality(max_outcomes) drops values)"
            )
        return space.to_largest_discrete(self.levels, cap)


#: NegMAS's default discretizer.
DefaultDiscretizer = GridBasedDiscretizer


def grid_indices(n: int, k: int) -> list[int]:
    """At most ``k`` evenly spaced positions among ``n`` (both ends when ``k >= 2``;
    the middle one when ``k == 1``)."""
    if k >= n:
        return list(range(n))
    if k <= 1:
        return [n // 2]
    return sorted({round(i * (n - 1) / (k - 1)) for i in range(k)})


def balanced_levels(caps: list[int], max_cardinality: int) -> list[int]:
    """Values to keep per issue, each at most its ``caps`` entry, whose product is
    at most ``max_cardinality``, spread as evenly as the caps allow."""
    levels = [1] * len(caps)
    remaining = max(1, max_cardinality)
    order = sorted(range(len(caps)), key=lambda i: caps[i])
    for pos, i in enumerate(order):
        # The smaller caps first: what they cannot use goes to the larger ones.
        share = int(remaining ** (1.0 / (len(caps) - pos)) + 1e-9)
        levels[i] = max(1, min(caps[i], share))
        remaining = max(1, remaining // levels[i])
    total = math.prod(levels)
    grown = True
    while grown:
        grown = False
        for i in sorted(range(len(caps)), key=lambda j: levels[j]):
            if levels[i] < caps[i] and total // levels[i] * (levels[i] + 1) <= max_cardinality:
                total = total // levels[i] * (levels[i] + 1)
                levels[i] += 1
                grown = True
    return levels


def listed_issue(values: list[Any], name: str | None) -> Issue:
    """An issue of exactly ``values`` (numbers stay numbers, as ``make_issue(list)``)."""
    return make_issue(values, name)


def _subsample(issue: Issue, k: int) -> Issue:
    """``issue`` with at most ``k`` of its values, evenly spaced."""
    values = list(issue.all_values)
    if k >= len(values):
        return issue
    return listed_issue([values[i] for i in grid_indices(len(values), k)], issue.name)


def limit_cardinality(
    space: OutcomeSpace, max_cardinality: int | float = math.inf, levels: int | float = math.inf
) -> OutcomeSpace:
    """NegMAS's ``limit_cardinality``: a discrete space keeping at most ``levels``
    evenly spaced values per issue and at most ``max_cardinality`` outcomes,
    trimming the issues as evenly as possible; ``space`` itself when it is
    within both."""
    from palaver.outcomes.errors import OutcomeSpaceError
    from palaver.outcomes.space import OutcomeSpace

    if not space.is_discrete:
        raise OutcomeSpaceError(
            "limit_cardinality needs a discrete outcome space; discretize it first "
            "(to_discrete or a discretizer)"
        )
    given = _optional_count("max_cardinality", max_cardinality)
    cap: int | float = math.inf if given is None else given
    per_issue = _optional_count("levels", levels)
    cards = [int(i.cardinality) for i in space.issues]
    if space.cardinality <= cap and (per_issue is None or max(cards, default=0) <= per_issue):
        return space
    caps = [max(1, c if per_issue is None else min(c, per_issue)) for c in cards]
    if math.prod(caps) > cap:
        caps = balanced_levels(caps, int(cap))
    issues = [_subsample(issue, k) for issue, k in zip(space.issues, caps, strict=True)]
    return OutcomeSpace(issues, space.name, space.constraints)


def get_discretizer(name: str) -> type:
    """The discretizer class registered as ``name`` in :data:`DISCRETIZERS`."""
    if name not in DISCRETIZERS:
        raise ValueError(f"unknown discretizer {name!r}; the known ones are {sorted(DISCRETIZERS)}")
    return DISCRETIZERS[name]


def dispatch(
    space: OutcomeSpace, method: object, levels: object, max_cardinality: object, **kwargs: Any
) -> OutcomeSpace:
    """``space.to_discrete(levels, max_cardinality, method=..., **kwargs)`` for a
    discretizer ``method``: a registered name or a class (built with
    ``max_outcomes=max_cardinality, min_levels=levels`` and ``kwargs``), or an
    instance (called as it is)."""
    if isinstance(method, str):
        cls: Any = get_discretizer(method)
    elif isinstance(method, type):
        cls = method
    elif callable(method):
        return method(space)  # type: ignore[no-any-return]
    else:
        raise TypeError(f"method must be a discretizer name, class or instance, got {method!r:.80}")
    made = cls(
        max_outcomes=None if max_cardinality == math.inf else max_cardinality,
        min_levels=None if levels == math.inf else levels,
        **kwargs,
    )
    return made(space)  # type: ignore[no-any-return]


#: The discretizers by NegMAS's names (``to_discrete(method=name)``); the
#: balanced ones register themselves (:mod:`palaver.outcomes.balanced`, which
#: ``palaver.outcomes`` imports).
DISCRETIZERS: dict[str, type] = {"grid_based": GridBasedDiscretizer}

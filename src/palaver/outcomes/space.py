"""Outcome spaces: the cartesian product of named issues."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeAlias

import numpy as np

from palaver._util.checks import check_enumerable
from palaver.outcomes import space_arrays, space_sampling
from palaver.outcomes.base import NO_VALUE, Issue
from palaver.outcomes.categorical import CategoricalIssue
from palaver.outcomes.constraints import Constraint, SpaceConstraints, checked_space_constraints
from palaver.outcomes.errors import OutcomeSpaceError
from palaver.outcomes.flags import Flag, flag
from palaver.outcomes.space_negmas import NegmasSpaceMethods
from palaver.outcomes.xml_methods import DomainXmlMethods

#: An outcome: one value per issue, in issue order.
Outcome: TypeAlias = tuple[Any, ...]


class OutcomeSpace(DomainXmlMethods, SpaceConstraints, NegmasSpaceMethods):
    """The outcomes over a list of issues, each outcome a tuple in issue order.

    Unnamed issues are named after their position (``"i0"``, ``"i1"``, ...);
    issue names must be unique. With no issues the space has one outcome,
    ``()`` (NegMAS's ``CartesianOutcomeSpace([])``: nothing to agree on but
    agreeing); :func:`make_os` refuses no issues, as NegMAS's does. Outcome
    spaces are immutable, hashable and picklable. ``name`` (NegMAS's) labels
    the space; it plays no part in equality or hashing. ``constraints``
    (NegMAS's) rule outcomes out: see :mod:`palaver.outcomes.constraints`.
    """

    __slots__ = ("_cardinality", "_constraints", "_hash", "_issues", "_names", "_numeric", "name")

    def __init__(
        self,
        issues: Iterable[Issue],
        name: str | None = None,
        constraints: Iterable[Constraint] | None = None,
    ) -> None:
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name must be a string or None, got {name!r}")
        #: A label for the space (``None``: none given); not part of equality.
        self.name = name
        self._constraints = checked_space_constraints(constraints)
        if isinstance(issues, Issue):
            issues = [issues]
        elif isinstance(issues, str | bytes | Mapping | OutcomeSpace) or not isinstance(
            issues, Iterable
        ):
            raise TypeError(
                f"issues must be an Issue or an iterable of Issues (see make_issue), "
                f"got {issues!r} ({type(issues).__name__})"
            )
        named: list[Issue] = []
        positions: dict[str, int] = {}
        for i, issue in enumerate(issues):
            if not isinstance(issue, Issue):
                raise OutcomeSpaceError(
                    f"item {i} of the issues is not an Issue: {issue!r} (build it with make_issue)"
                )
            if issue.name is None:
                issue = issue.with_name(f"i{i}")
            name = issue.name
            assert name is not None
            if name in positions:
                raise OutcomeSpaceError(
                    f"duplicate issue name {name!r} at positions {positions[name]} and {i}"
                )
            positions[name] = i
            named.append(issue)
        self._issues = tuple(named)
        self._names = tuple(positions)
        self._numeric = all(issue.is_numeric for issue in named)
        # An infinite factor makes it inf; the exact product of the integer factors
        # first could pass the largest float and fail converting to one.
        self._cardinality = (
            math.inf
            if any(not issue.is_discrete for issue in named)
            else math.prod(issue.cardinality for issue in named)
        )
        # Spaces key the caches of per-space tables (see palaver.mechanisms.table),
        # looked up several times per negotiation: hash the issues once.
        self._hash: int | None = None

    @property
    def issues(self) -> tuple[Issue, ...]:
        """The (named) issues, in order."""
        return self._issues

    @property
    def issue_names(self) -> list[str]:
        """The issue names, in order (a new list, as NegMAS's)."""
        return list(self._names)

    @property
    def n_issues(self) -> int:
        """The number of issues (the length of every outcome)."""
        return len(self._issues)

    @property
    def is_numeric(self) -> Flag:
        """True when every issue is numeric (values are their own ``to_numeric``);
        callable too, as NegMAS's ``is_numeric()``."""
        return flag(self._numeric)

    @property
    def cardinality(self) -> int | float:
        """The number of outcomes (``math.inf`` when an issue is continuous)."""
        return self._cardinality

    @property
    def is_discrete(self) -> Flag:
        """True when every issue is discrete (callable too: ``is_discrete()``)."""
        return flag(self._cardinality != math.inf)

    @property
    def is_finite(self) -> Flag:
        """NegMAS's name for :attr:`is_discrete` (callable too: ``is_finite()``)."""
        return self.is_discrete

    @property
    def is_continuous(self) -> Flag:
        """True when at least one issue is continuous (callable too: ``is_continuous()``)."""
        return flag(self._cardinality == math.inf)

    def __bool__(self) -> bool:
        # Always truthy: without this, ``if space:`` would call __len__, which a
        # continuous space refuses (and a huge one overflows).
        return True

    def __len__(self) -> int:
        """The number of outcomes of a discrete space (NegMAS's ``len(outcome_space)``).

        A continuous space raises ``TypeError``; one with more outcomes than
        Python's ``len`` can return raises ``OverflowError`` (use ``cardinality``).
        """
        if self.is_continuous:
            raise TypeError("a continuous outcome space has no len(): use cardinality (inf)")
        return int(self._cardinality)

    def __iter__(self) -> Iterator[Outcome]:
        """The outcomes of a discrete space, lazily, in :meth:`enumerate`'s order
        (NegMAS's ``for outcome in outcome_space``).

        Nothing is listed up front. A continuous space raises ``TypeError``
        (discretize it first), and one with more outcomes than
        :meth:`enumerate` lists raises ``OutcomeSpaceError`` at once, as
        :meth:`enumerate` does: going through them would never end (and code
        that takes the space for a list of issues fails fast).
        """
        if self.is_continuous:
            raise TypeError(
                "a continuous outcome space cannot be iterated: call discretize(levels) first"
            )
        check_enumerable("the outcome space", self._cardinality, error=OutcomeSpaceError)
        outcomes = itertools.product(*(issue.all_values for issue in self._issues))
        return filter(self.satisfies_constraints, outcomes) if self._constraints else outcomes

    def __contains__(self, outcome: object) -> bool:
        if isinstance(outcome, dict):
            if len(outcome) != len(self._names):
                return False
            try:
                outcome = tuple(outcome[n] for n in self._names)
            except (KeyError, TypeError):
                return False
        elif not isinstance(outcome, tuple | list):
            return self._contains_part(outcome)
        if len(outcome) != len(self._issues):
            return False
        # A plain loop rather than all(...): no generator object per check, and
        # every offer of a negotiation over a continuous space is checked here.
        for v, issue in zip(outcome, self._issues, strict=True):
            if v not in issue:
                return False
        return not self._constraints or self.satisfies_constraints(tuple(outcome))

    def _contains_part(self, part: object) -> bool:
        """NegMAS's ``issue in space`` and ``space in space`` (else False).

        An issue is in the space when the space's issue of the same name
        contains all its values; a space is in this one when it has the same
        issue names, in order, each contained in this space's issue.
        """
        if isinstance(part, Issue):
            mine = next((i for i in self._issues if i.name == part.name), None)
            return mine is not None and mine.contains_issue(part)
        if isinstance(part, OutcomeSpace):
            return part._names == self._names and all(
                a.contains_issue(b) for a, b in zip(self._issues, part._issues, strict=True)
            )
        return False

    def canonical(self, outcome: object) -> Outcome | None:
        """``outcome`` with each value replaced by the issue's own equal value, or ``None``.

        ``None`` when it is not an outcome of the space. A tuple, list or dict
        keyed by issue name is accepted; ``(1.0, numpy.int64(2))`` gives
        ``(1, 2)`` on integer issues (see :meth:`Issue.canonical`).
        """
        if isinstance(outcome, dict):
            if len(outcome) != len(self._names):
                return None
            try:
                outcome = tuple(outcome[n] for n in self._names)
            except (KeyError, TypeError):
                return None
        elif not isinstance(outcome, tuple | list):
            return None
        if len(outcome) != len(self._issues):
            return None
        values = []
        for v, issue in zip(outcome, self._issues, strict=True):
            c = issue.canonical(v)
            if c is NO_VALUE:
                return None
            values.append(c)
        if self._constraints and not self.satisfies_constraints(tuple(values)):
            return None
        return tuple(values)

    def enumerate(self) -> list[Outcome]:
        """Every outcome, in lexicographic issue order.

        Raises :class:`OutcomeSpaceError` when an issue is continuous: call
        :meth:`discretize` first, with the number of levels you want.
        """
        continuous = [i.name for i in self._issues if i.is_continuous]
        if continuous:
            raise OutcomeSpaceError(
                f"cannot enumerate: issues {continuous} are continuous; "
                "call discretize(levels) first"
            )
        check_enumerable("the outcome space", self._cardinality, error=OutcomeSpaceError)
        outcomes = itertools.product(*(issue.all_values for issue in self._issues))
        return self.allowed(outcomes) if self._constraints else list(outcomes)

    def sample(
        self,
        rng: np.random.Generator | int,
        n: int | None = None,
        with_replacement: bool = True,
        fail_if_not_enough: bool = True,
    ) -> list[Outcome]:
        """Draw ``n`` outcomes uniformly, with replacement, using ``rng`` only.

        With ``with_replacement=False`` the outcomes are distinct: all of a
        smaller discrete space, in a random order (``OutcomeSpaceError`` when
        ``fail_if_not_enough``). NegMAS's form, ``sample(n_outcomes, with_replacement=True,
        fail_if_not_enough=True)`` (an int first, no ``n``), draws from Python's
        global ``random`` as NegMAS does; without replacement the outcomes are
        distinct, all of a smaller discrete space (``ValueError`` if
        ``fail_if_not_enough``).
        """
        return space_sampling.sample(self, rng, n, with_replacement, fail_if_not_enough)

    def enumerate_or_sample(
        self,
        levels: int = 10,
        max_cardinality: int | float = 10_000,
        seed: int | np.random.Generator | None = None,
    ) -> list[Outcome]:
        """Every outcome when there are at most ``max_cardinality``, else a sample of them.

        NegMAS's method, with its defaults (``max_cardinality=math.inf``: every
        outcome, whatever their number). Continuous issues are first
        discretized into ``levels`` values (both ends included); a space with
        more than ``max_cardinality`` outcomes then gives ``max_cardinality``
        distinct outcomes drawn uniformly from ``seed`` (an int, a numpy
        ``Generator``, or ``None`` for fresh entropy), in enumeration order.
        """
        return space_sampling.enumerate_or_sample(self, levels, max_cardinality, seed)

    def random_outcome(self, seed: int | np.random.Generator | None = None) -> Outcome:
        """One outcome drawn uniformly (NegMAS's method); ``seed`` as in :meth:`random_outcomes`."""
        return self.random_outcomes(1, seed)[0]

    def random_outcomes(
        self, n: int = 1, seed: int | np.random.Generator | None = None
    ) -> list[Outcome]:
        """``n`` outcomes drawn uniformly with replacement (NegMAS's method).

        :meth:`sample` with a generator made from ``seed`` (an int, a numpy
        ``Generator``, or ``None`` for fresh entropy).
        """
        return self.sample(space_sampling.generator(seed), n)

    def to_tuple(self, outcome: Outcome | Mapping[str, Any] | Sequence[Any]) -> Outcome:
        """The outcome as a tuple in issue order (from a tuple, list or dict by name).

        Checks the shape (length, issue names), not the values: use ``in`` for that.
        """
        if isinstance(outcome, Mapping):
            missing = [n for n in self._names if n not in outcome]
            if missing:
                raise OutcomeSpaceError(f"outcome {dict(outcome)!r} has no value for {missing}")
            if len(outcome) != len(self._names):
                extra = [k for k in outcome if k not in self._names]
                raise OutcomeSpaceError(f"outcome {dict(outcome)!r} has unknown issues {extra}")
            return tuple(outcome[n] for n in self._names)
        if isinstance(outcome, str | bytes) or not isinstance(outcome, Sequence | np.ndarray):
            raise OutcomeSpaceError(f"an outcome must be a tuple or a dict, got {outcome!r}")
        if len(outcome) != len(self._names):
            raise OutcomeSpaceError(
                f"outcome {outcome!r} has {len(outcome)} values, expected {len(self._names)} "
                f"for issues {list(self._names)}"
            )
        return outcome if type(outcome) is tuple else tuple(outcome)

    def to_dict(self, outcome: Outcome | Mapping[str, Any]) -> dict[str, Any]:
        """The outcome as a dict keyed by issue name, in issue order."""
        return dict(zip(self._names, self.to_tuple(outcome), strict=True))

    def discretize(self, levels: int | Mapping[str, int]) -> OutcomeSpace:
        """A discrete copy: each continuous issue replaced by ``levels`` evenly spaced values.

        ``levels`` is one count for every continuous issue or a dict giving a
        count per continuous issue name (every continuous issue must appear).
        Discrete issues are kept as they are. Nothing is discretized unless
        this method is called.
        """
        if isinstance(levels, Mapping):
            unknown = [k for k in levels if k not in self._names]
            if unknown:
                raise OutcomeSpaceError(f"discretize: unknown issue names {unknown}")
            missing = [i.name for i in self._issues if i.is_continuous and i.name not in levels]
            if missing:
                raise OutcomeSpaceError(f"discretize: no levels given for continuous {missing}")
            return OutcomeSpace(
                (i.discretize(levels[i.name]) if i.name in levels else i  # type: ignore[index]
                 for i in self._issues),
                self.name,
                self._constraints,
            )  # fmt: skip
        return OutcomeSpace(
            (issue.discretize(levels) for issue in self._issues), self.name, self._constraints
        )

    def to_array(self, outcomes: Iterable[Outcome | Mapping[str, Any]]) -> np.ndarray:
        """A float array of shape ``(n, n_issues)`` of ``Issue.to_numeric`` values.

        Categorical values become their index; booleans become 0/1. Accepts
        tuples or dicts keyed by issue name.
        """
        return space_arrays.to_array(self, outcomes, self._numeric)

    def from_array(self, array: np.ndarray) -> list[Outcome]:
        """The outcomes whose ``to_array`` is ``array`` (the inverse of :meth:`to_array`)."""
        return space_arrays.from_array(self, array)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, OutcomeSpace):
            return NotImplemented
        return self._issues == other._issues and self._constraints == other._constraints

    def __hash__(self) -> int:
        h = self._hash
        if h is None:
            h = self._hash = hash(self._issues)
        return h

    def __reduce__(
        self,
    ) -> tuple[type[OutcomeSpace], tuple[tuple[Issue, ...], str | None, list[Constraint]]]:
        # Rebuilt from the issues: a cached hash must not travel to another
        # process (string hashes differ between interpreters).
        return (OutcomeSpace, (self._issues, self.name, self._constraints))

    def __repr__(self) -> str:
        return f"OutcomeSpace({list(self._issues)!r})"


CartesianOutcomeSpace = OutcomeSpace
"""NegMAS's name for an outcome space over issues (the product of their values):
Palaver's :class:`OutcomeSpace` (``CartesianOutcomeSpace(issues)`` builds one)."""

DiscreteCartesianOutcomeSpace = OutcomeSpace
"""NegMAS's name for an outcome space over discrete issues: Palaver's
:class:`OutcomeSpace`, whose :attr:`~OutcomeSpace.is_discrete` says whether every
issue is discrete."""


DiscreteOutcomeSpace = OutcomeSpace
"""NegMAS's name for a discrete outcome space (a protocol there): Palaver's
:class:`OutcomeSpace`, whose :attr:`~OutcomeSpace.is_discrete` says whether it is."""


def make_os(
    issues: Iterable[Issue] | None = None,
    outcomes: Sequence[Outcome] | str | None = None,
    name: str | None = None,
    path: Any = None,
) -> OutcomeSpace:
    """Build an :class:`OutcomeSpace` over ``issues``, or over issues covering ``outcomes``.

    NegMAS's factory: give one of ``issues`` and ``outcomes`` (a list of
    outcome tuples; the issues are
    :func:`~palaver.outcomes.issues_from_outcomes`'s). No issues is an
    :class:`OutcomeSpaceError` (a ``ValueError``, as NegMAS's ``make_os``
    raises); ``OutcomeSpace([])`` makes the one-outcome space. A text second
    argument is the ``name`` (Palaver's older ``make_os(issues, name)``);
    ``path`` is accepted for NegMAS's signature and not kept.
    """
    if isinstance(outcomes, str):
        outcomes, name = None, outcomes
    if issues is not None and outcomes is not None:
        raise OutcomeSpaceError("make_os takes issues or outcomes, not both")
    if issues is None and outcomes is not None:
        from palaver.outcomes.helpers import issues_from_outcomes  # built on this module

        issues = issues_from_outcomes(outcomes)
    if issues is None:
        raise OutcomeSpaceError("make_os needs issues or outcomes, got neither")
    space = OutcomeSpace(issues, name)
    if not space.n_issues:
        raise OutcomeSpaceError("make_os needs at least one issue, got none")
    return space


class SingletonOutcomeSpace(OutcomeSpace):
    """NegMAS's outcome space holding one outcome: one single-valued issue per value.

    ``SingletonOutcomeSpace(outcome=(3, "red"))`` has the issues ``issue00``
    (``[3]``) and ``issue01`` (``["red"]``), or those named by
    ``issue_names``; its only outcome is :attr:`outcome`. A copy made by
    pickling is the equal :class:`OutcomeSpace`.
    """

    __slots__ = ("outcome",)

    def __init__(
        self,
        *,
        outcome: Sequence[Any],
        issue_names: Sequence[str] | None = None,
        name: str | None = None,
        constraints: Iterable[Constraint] | None = None,
    ) -> None:
        if isinstance(outcome, str | bytes) or not isinstance(outcome, Iterable):
            raise TypeError(
                f"SingletonOutcomeSpace(outcome=...) must be an outcome tuple, got "
                f"{type(outcome).__name__} {outcome!r:.80}"
            )
        values = tuple(outcome)
        names = [f"issue{i:02d}" for i in range(len(values))]
        if issue_names is not None:
            names = list(issue_names)
            if len(names) != len(values):
                raise OutcomeSpaceError(
                    f"issue_names names {len(names)} issues but the outcome {values!r} "
                    f"has {len(values)} values"
                )
        super().__init__(
            [CategoricalIssue([v], n) for v, n in zip(values, names, strict=True)],
            name,
            constraints,
        )
        #: The outcome, as a tuple.
        self.outcome: tuple[Any, ...] = values

"""The ``Issue`` base class: one dimension of an outcome space.

Every issue is immutable, hashable and picklable. An issue's name may be
``None`` until it is placed in an :class:`~palaver.outcomes.OutcomeSpace`,
which names unnamed issues after their position (``"i0"``, ``"i1"``, ...) so
that generated names never depend on how many issues a process made before.
"""

from __future__ import annotations

import builtins
import math
import random
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from numbers import Integral, Real
from typing import Any, TypeGuard

import numpy as np

from palaver.outcomes.errors import InvalidIssueError, OutcomeSpaceError
from palaver.outcomes.flags import FALSE, TRUE, Flag


def is_number(value: object) -> bool:
    """Whether ``value`` is a real number other than a bool."""
    # bool is an int subclass, but True/False are never meant as range bounds.
    return isinstance(value, Real) and not isinstance(value, bool)


def is_finite_number(value: object) -> bool:
    """Whether ``value`` is a real number other than a bool that a float holds
    finitely: NaN, the infinities and integers past the float range are not
    (``math.isfinite(10**400)`` raises ``OverflowError`` instead of answering)."""
    if not is_number(value):
        return False
    try:
        return math.isfinite(value)  # type: ignore[arg-type]
    except OverflowError:
        return False


def is_integer(value: object) -> TypeGuard[Integral]:
    """Whether ``value`` is an integer other than a bool."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def is_integral_number(value: object) -> bool:
    """Whether ``value`` is a real number (not a bool) with no fractional part, such as ``1.0``."""
    if isinstance(value, bool) or not isinstance(value, Real):
        return False
    number = float(value)
    return math.isfinite(number) and number.is_integer()


def integer_positions(codes: np.ndarray, offset: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``codes - offset`` as positions, with a mask of whole codes within ``0..size-1``."""
    rounded = np.rint(codes)
    exact = (rounded == codes) & (rounded >= offset) & (rounded < offset + size)
    return np.where(exact, rounded - offset, 0).astype(np.int64), exact


def label(name: str | None) -> str:
    """How error messages refer to the issue called ``name``."""
    return f"issue {name!r}" if name is not None else "unnamed issue"


def check_levels(levels: object, name: str | None) -> int:
    """Return ``levels`` as an int, or raise if it is not an integer of at least 2."""
    if not is_integer(levels) or int(levels) < 2:
        raise InvalidIssueError(
            f"{label(name)}: discretization levels must be an integer >= 2, got {levels!r}"
        )
    return int(levels)


def _spread(lo: float, hi: float, count: int, endpoints: bool) -> np.ndarray:
    """``count`` evenly spaced points from ``lo`` to ``hi``; without ``endpoints``,
    the inner ``count`` points of ``count + 2`` (the two bounds left out)."""
    if endpoints:
        return np.linspace(lo, hi, count)
    return np.linspace(lo, hi, count + 2)[1:-1]


#: What :meth:`Issue.canonical` returns for a value that is not in the issue.
NO_VALUE: Any = object()


class Issue(ABC):
    """One dimension of an outcome space: a named set of admissible values."""

    __slots__ = ("_name",)

    #: True when values are numbers and ``to_numeric`` returns them unchanged.
    #: True when values are numbers (callable too, as NegMAS's ``is_numeric()``).
    is_numeric: Flag = TRUE

    def __init__(self, name: str | None = None) -> None:
        if name is not None and (not isinstance(name, str) or not name):
            raise InvalidIssueError(f"issue name must be a non-empty string, got {name!r}")
        self._name = name

    @property
    def name(self) -> str | None:
        """The issue's name (``None`` until named by the caller or an outcome space)."""
        return self._name

    @property
    @abstractmethod
    def is_continuous(self) -> Flag:
        """True when the issue has infinitely many values.

        Subclasses set it to a :class:`~palaver.outcomes.flags.Flag`, so NegMAS
        code that calls ``issue.is_continuous()`` works too.
        """

    @property
    def is_discrete(self) -> Flag:
        """True when the issue has finitely many values (callable too: ``is_discrete()``)."""
        return FALSE if self.is_continuous else TRUE

    @property
    def is_finite(self) -> Flag:
        """NegMAS's name for :attr:`is_discrete` (callable too: ``is_finite()``)."""
        return self.is_discrete

    @property
    @abstractmethod
    def cardinality(self) -> int | float:
        """The number of values (``math.inf`` for a continuous issue)."""

    @property
    @abstractmethod
    def values(self) -> Sequence[Any]:
        """All values of a discrete issue, in order (NegMAS's ``(lo, hi)`` for
        ``ContiguousIssue`` and continuous issues: read :attr:`all_values` to list them)."""

    @property
    def all_values(self) -> Sequence[Any]:
        """Every value of a discrete issue, in order (raises for continuous issues).

        The same as :attr:`values`, except for NegMAS's ``ContiguousIssue``
        and continuous issues, whose ``values`` is NegMAS's ``(lo, hi)`` pair:
        code that lists the values of any issue reads this.
        """
        return self.values

    @abstractmethod
    def __contains__(self, value: object) -> bool:
        """Whether ``value`` is an admissible value of this issue."""

    def contains_issue(self, other: Issue) -> bool:
        """Whether every value of ``other`` is a value of this issue (names aside).

        NegMAS's ``other in issue``, which the ``in`` operator of every issue
        also answers when given an issue. A continuous issue is contained only
        in a continuous issue covering its interval.
        """
        if not isinstance(other, Issue):  # "'str' object has no attribute 'is_continuous'"
            raise TypeError(
                f"other must be an Issue (see make_issue), got {other!r:.80} "
                f"({type(other).__name__})"
            )
        if other.is_continuous:
            if not self.is_continuous:
                return False
            lo, hi = other.numeric_bounds()
            a, b = self.numeric_bounds()
            return a <= lo and hi <= b
        return all(v in self for v in other.all_values)

    def is_valid(self, value: object) -> bool:
        """NegMAS's name for ``value in issue``."""
        return value in self

    def contains(self, other: Issue) -> bool:
        """NegMAS's name for :meth:`contains_issue`."""
        return self.contains_issue(other)

    def canonical(self, value: Any) -> Any:
        """The issue's own value equal to ``value``, or ``NO_VALUE`` when there is none.

        ``1.0`` or ``numpy.int64(1)`` give ``1`` on an integer issue, a numpy
        float gives a Python float on a continuous one: what a mechanism
        stores when it accepts an offer. This default returns ``value`` itself
        when it is in the issue.
        """
        return value if value in self else NO_VALUE

    def __bool__(self) -> bool:
        # An issue is always truthy: without this, ``if issue:`` would call
        # __len__ (which a continuous issue refuses).
        return True

    def __len__(self) -> int:
        """The number of values of a discrete issue (NegMAS's ``len(issue)``).

        A continuous issue raises ``TypeError``: it has no finite length.
        """
        if self.is_continuous:
            raise TypeError(f"{label(self._name)} is continuous: it has no len()")
        return int(self.cardinality)

    def __iter__(self) -> Iterator[Any]:
        """The values of a discrete issue, in order (NegMAS's ``for v in issue``).

        A continuous issue raises ``OutcomeSpaceError``: iterate over
        ``issue.discretize(levels)`` with the number of levels you want.
        """
        return iter(self.all_values)

    @abstractmethod
    def sample(self, rng: np.random.Generator, n: int) -> list[Any]:
        """Draw ``n`` values uniformly (with replacement) from ``rng``."""

    @abstractmethod
    def discretize(self, levels: int) -> Issue:
        """A discrete version of this issue; discrete issues return themselves."""

    @abstractmethod
    def to_numeric(self, value: Any) -> float:
        """The number standing for ``value`` (a categorical value's index)."""

    @abstractmethod
    def from_numeric(self, number: float) -> Any:
        """The value that ``to_numeric`` maps to ``number``."""

    @abstractmethod
    def numeric_bounds(self) -> tuple[float, float]:
        """The smallest and largest ``to_numeric`` value of the issue."""

    @abstractmethod
    def _key(self) -> tuple[Any, ...]:
        """What, besides the name and type, makes two issues equal."""

    @abstractmethod
    def with_name(self, name: str) -> Issue:
        """A copy of this issue with another name."""

    def to_numeric_many(self, values: Sequence[Any]) -> np.ndarray:
        """``to_numeric`` of each value, as a float array."""
        if self.is_numeric:
            return np.asarray(values, dtype=float)
        return np.fromiter(map(self.to_numeric, values), dtype=float, count=len(values))

    def indices(self, numeric: np.ndarray) -> np.ndarray:
        """Positions in ``values`` of an array of ``to_numeric`` codes (discrete issues).

        Raises :class:`OutcomeSpaceError` naming the first code that stands for no value.
        """
        codes = np.asarray(numeric, dtype=float)
        positions, exact = self._positions(codes)
        if not exact.all():
            bad = float(codes[~exact][0])
            raise OutcomeSpaceError(f"{label(self._name)}: {bad!r} is the code of no value")
        return positions

    def _positions(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Candidate positions of ``codes`` and a mask of those that are exact."""
        raise OutcomeSpaceError(f"{label(self._name)} is continuous: it has no value indices")

    # NegMAS's drawing and listing helpers. They draw from Python's global
    # ``random`` generator, as NegMAS does, so that code seeding it with
    # ``random.seed`` gets NegMAS's reproducibility; ``sample(rng, n)`` draws
    # from a generator of your own.
    def rand(self) -> Any:
        """A value drawn uniformly from the issue (Python's global ``random``)."""
        values = self.all_values  # a continuous issue overrides this method
        return values[random.randrange(len(values))]

    def rand_valid(self) -> Any:
        """The same as :meth:`rand` (NegMAS's name for it)."""
        return self.rand()

    def rand_outcomes(
        self, n: int, with_replacement: bool = False, fail_if_not_enough: bool = False
    ) -> list[Any]:
        """``n`` values drawn uniformly (Python's global ``random``).

        Without replacement the values are distinct; when the issue has fewer
        than ``n`` values, all of them are returned (in order), or
        ``ValueError`` is raised if ``fail_if_not_enough``. A continuous issue
        always gives ``n`` draws.
        """
        if not is_integer(n) or int(n) < 0:
            raise InvalidIssueError(
                f"{label(self._name)}: rand_outcomes n must be an integer >= 0, got {n!r}"
            )
        n = int(n)
        if with_replacement or self.is_continuous:
            return [self.rand() for _ in range(n)]
        values = self.all_values
        if n > len(values):
            if fail_if_not_enough:
                raise InvalidIssueError(
                    f"{label(self._name)}: cannot draw n={n} distinct values "
                    f"from {len(values)} (fail_if_not_enough=True)"
                )
            return list(values)
        return random.sample(values, n)

    def rand_invalid(self) -> Any:
        """A value that is not in the issue: a number above its largest value
        when every value is a number, else a text none of its values equals."""
        values = self.all_values  # numeric ranges override this method
        numbers = [v for v in values if is_number(v)]
        if len(numbers) == len(values):
            top = max(numbers)
            if is_integer(top):
                return top + random.randint(1, len(values))
            return top + 1.0 + random.random()
        while True:
            candidate = f"invalid-{random.getrandbits(32):08x}"
            if candidate not in self:
                return candidate

    @property
    def all(self) -> Iterator[Any]:
        """The values of a discrete issue, in order, as an iterator (NegMAS's
        ``issue.all``); a continuous issue raises ``OutcomeSpaceError``."""
        return iter(self.all_values)

    def value_generator(
        self,
        n: int | float | None = None,
        grid: bool = True,
        compact: bool = True,
        endpoints: bool = True,
    ) -> Iterator[Any]:
        """At most ``n`` of the issue's values, in the issue's order (NegMAS's helper).

        A discrete issue gives all its values when ``n`` is ``None``, infinite
        or at least its cardinality, else ``n`` of them: evenly spread over
        the list with ``grid`` (the first and last included with
        ``endpoints``), drawn from Python's global ``random`` otherwise. A
        continuous issue needs a finite ``n``: ``n`` evenly spaced values from
        ``lo`` to ``hi`` with ``grid`` (``endpoints=False`` leaves the two bounds
        out), ``n`` uniform draws, sorted, otherwise. ``compact`` (NegMAS's
        choice of values near the middle) is accepted and not used.
        """
        if n is not None and not (is_number(n) and (n >= 0 or math.isinf(n))):
            raise InvalidIssueError(
                f"{label(self._name)}: n must be a number >= 0 or None, got {n!r}"
            )
        if self.is_continuous:
            if n is None or math.isinf(n):
                raise InvalidIssueError(
                    f"{label(self._name)} is continuous: value_generator needs a finite n, "
                    f"got {n!r}"
                )
            count = int(n)
            lo, hi = self.numeric_bounds()
            if not grid:
                return iter(sorted(random.uniform(lo, hi) for _ in range(count)))
            return iter(_spread(lo, hi, count, endpoints).tolist())
        values = self.all_values
        size = len(values)
        if n is None or math.isinf(n) or int(n) >= size:
            return iter(values)
        count = int(n)
        if not grid:
            return (values[i] for i in sorted(random.sample(range(size), count)))
        positions = np.rint(_spread(0, size - 1, count, endpoints))
        return (values[i] for i in sorted({int(p) for p in positions}))

    def ordered_value_generator(
        self,
        n: int | float | None = None,
        grid: bool = True,
        compact: bool = False,
        endpoints: bool = True,
    ) -> Iterator[Any]:
        """:meth:`value_generator` (whose values already come in the issue's order)."""
        return self.value_generator(n, grid, compact, endpoints)

    @property
    def type(self) -> str:
        """NegMAS's name for the kind of issue: ``"contiguous"`` (an integer
        range), ``"continuous"`` or ``"categorical"``."""
        return self._type_name

    _type_name = "categorical"

    @property
    def value_type(self) -> builtins.type:
        """NegMAS's ``value_type``: the Python type of the issue's values
        (``object`` when they have no single type)."""
        return object

    def value_at(self, index: int) -> Any:
        """The value at position ``index`` (from 0) of a discrete issue's values.

        Raises ``IndexError`` outside ``0..cardinality-1`` (negative positions
        too, as in NegMAS) and ``OutcomeSpaceError`` on a continuous issue.
        """
        values = self.all_values
        if not is_integer(index) or not 0 <= int(index) < len(values):
            raise IndexError(
                f"{label(self._name)}: index must be an integer in 0..{len(values) - 1}, "
                f"got {index!r}"
            )
        return values[int(index)]

    def __getitem__(self, index: int) -> Any:
        return self.value_at(index)

    def is_integer(self) -> bool:
        """Whether every value is an integer (NegMAS's ``issue.is_integer()``)."""
        return not self.is_continuous and all(is_integer(v) for v in self.all_values)

    def is_float(self) -> bool:
        """Whether the values are real numbers that are not all integers
        (NegMAS's ``issue.is_float()``): a continuous issue, or listed floats."""
        if self.is_continuous:
            return True
        values = self.all_values
        return all(is_number(v) for v in values) and not all(is_integer(v) for v in values)

    def _shown_values(self) -> Any:
        """How :meth:`__str__` shows the values."""
        return list(self.all_values)

    def __str__(self) -> str:
        """NegMAS's ``"name: values"``: a list of the values, or ``(lo, hi)`` of a range."""
        return f"{self._name}: {self._shown_values()}"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._name == other._name and self._key() == other._key()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._name, self._key()))

    def __repr__(self) -> str:
        args = ", ".join(repr(a) for a in self._key())
        return f"{type(self).__name__}({args}, name={self._name!r})"

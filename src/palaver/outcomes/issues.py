"""Numeric range issues: integer ranges and continuous intervals."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

import numpy as np

from palaver._util.checks import MAX_ENUMERATED_OUTCOMES
from palaver.outcomes.base import (
    NO_VALUE,
    Issue,
    check_levels,
    integer_positions,
    is_finite_number,
    is_integer,
    is_integral_number,
    is_number,
    label,
)
from palaver.outcomes.categorical import DiscretizedIssue
from palaver.outcomes.errors import InvalidIssueError, OutcomeSpaceError
from palaver.outcomes.flags import FALSE, TRUE


class IntegerIssue(Issue):
    """The integers ``lo..hi`` (both included)."""

    __slots__ = ("_hi", "_lo")

    is_continuous = FALSE
    _type_name = "contiguous"
    #: NegMAS's ``value_type``: the values are ints.
    value_type = int

    def __init__(self, lo: int, hi: int, name: str | None = None) -> None:
        super().__init__(name)
        for bound in (lo, hi):
            if not is_integer(bound):
                raise InvalidIssueError(
                    f"{label(name)}: integer bounds must be integers, got {bound!r}"
                )
        if lo > hi:
            raise InvalidIssueError(f"{label(name)}: empty range, lo={lo!r} > hi={hi!r}")
        self._lo, self._hi = int(lo), int(hi)

    @property
    def min_value(self) -> int:
        """The smallest value."""
        return self._lo

    @property
    def max_value(self) -> int:
        """The largest value."""
        return self._hi

    @property
    def cardinality(self) -> int:
        """The number of integers in the range."""
        return self._hi - self._lo + 1

    @property
    def values(self) -> range:
        """The integers of the range, as a ``range``."""
        return range(self._lo, self._hi + 1)

    @property
    def all_values(self) -> range:
        """The integers of the range, as a ``range`` (also for a ``ContiguousIssue``)."""
        return range(self._lo, self._hi + 1)

    @property
    def _values(self) -> tuple[int, int]:
        """``(min_value, max_value)``: what NegMAS code reads from an integer issue's
        ``_values`` (its own storage of the bounds); read-only here."""
        return (self._lo, self._hi)

    def __contains__(self, value: object) -> bool:
        if type(value) is int or is_integer(value):
            return self._lo <= value <= self._hi  # type: ignore[operator]
        # A number equal to an integer of the range (1.0, numpy.float64(1.0))
        # is in it, as NegMAS says and as a mechanism accepts it in an offer.
        if is_integral_number(value):
            return self._lo <= value <= self._hi  # type: ignore[operator]
        return isinstance(value, Issue) and self.contains_issue(value)

    def contains_issue(self, other: Issue) -> bool:
        """Whether every value of ``other`` is in the range (another range: by its bounds)."""
        if isinstance(other, IntegerIssue):
            return self._lo <= other._lo and other._hi <= self._hi
        return super().contains_issue(other)

    def canonical(self, value: Any) -> Any:
        """The plain ``int`` equal to ``value`` when it is in the range, else ``NO_VALUE``."""
        return int(value) if value in self else NO_VALUE

    def sample(self, rng: np.random.Generator, n: int) -> list[int]:
        """Draw ``n`` integers uniformly from the range."""
        values: list[int] = rng.integers(self._lo, self._hi, size=n, endpoint=True).tolist()
        return values

    def rand(self) -> int:
        """An integer drawn uniformly from the range (Python's global ``random``)."""
        return random.randint(self._lo, self._hi)

    def rand_invalid(self) -> int:
        """An integer above the range."""
        return self._hi + random.randint(1, self.cardinality)

    def is_integer(self) -> bool:
        """Always ``True``."""
        return True

    def is_float(self) -> bool:
        """Always ``False``."""
        return False

    def _shown_values(self) -> Any:
        return (self._lo, self._hi)

    def discretize(self, levels: int) -> IntegerIssue:
        """Return this issue unchanged (it is already discrete)."""
        check_levels(levels, self._name)
        return self

    def to_numeric(self, value: Any) -> float:
        """The value itself, as a float."""
        return float(value)

    def from_numeric(self, number: float) -> int:
        """The nearest integer."""
        return round(number)

    def numeric_bounds(self) -> tuple[float, float]:
        """``(lo, hi)`` as floats."""
        return float(self._lo), float(self._hi)

    def _positions(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return integer_positions(codes, self._lo, self.cardinality)

    def _key(self) -> tuple[Any, ...]:
        return (self._lo, self._hi)

    def with_name(self, name: str) -> IntegerIssue:
        """A copy with another name."""
        return IntegerIssue(self._lo, self._hi, name)


class ContiguousIssue(IntegerIssue):
    """NegMAS's ``ContiguousIssue``: an :class:`IntegerIssue` made NegMAS's way.

    ``ContiguousIssue(n, name)`` holds ``0..n-1`` and
    ``ContiguousIssue((lo, hi), name)`` holds ``lo..hi``. It equals the
    :class:`IntegerIssue` of the same range and name and behaves as one,
    except that its ``values`` is NegMAS's pair ``(lo, hi)``: iterate it, or
    read ``all_values`` (a ``range``) or ``all``, for every integer. NegMAS's
    ``step`` other than 1 is refused: list the values
    (``make_issue(list(range(lo, hi + 1, step)), name)``).
    """

    __slots__ = ()

    def __init__(
        self, values: int | tuple[int, int], name: str | None = None, *, step: int = 1
    ) -> None:
        if step != 1:
            raise InvalidIssueError(
                f"{label(name)}: step={step!r} is not supported (only 1); list the values "
                "instead: make_issue(list(range(lo, hi + 1, step)), name)"
            )
        if is_integer(values):
            super().__init__(0, int(values) - 1, name)
        elif isinstance(values, tuple | list) and len(values) == 2:
            super().__init__(values[0], values[1], name)
        else:
            raise InvalidIssueError(
                f"{label(name)}: values must be a number of values n (0..n-1) or a pair "
                f"(lo, hi); got {values!r}"
            )

    @property
    def values(self) -> tuple[int, int]:  # type: ignore[override]
        """NegMAS's ``values`` of an integer range: ``(min_value, max_value)``."""
        return (self._lo, self._hi)

    def with_name(self, name: str) -> ContiguousIssue:
        """A copy with another name (still a ``ContiguousIssue``)."""
        return ContiguousIssue((self._lo, self._hi), name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IntegerIssue):
            return NotImplemented
        return self._name == other._name and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(("IntegerIssue", self._name, self._key()))

    def __repr__(self) -> str:
        return f"ContiguousIssue(({self._lo}, {self._hi}), name={self._name!r})"


class ContinuousIssue(Issue):
    """Every real number in ``[lo, hi]``."""

    __slots__ = ("_hi", "_lo")

    is_continuous = TRUE
    _type_name = "continuous"
    #: NegMAS's ``value_type``: the values are floats (the bounds are stored as floats).
    value_type = float

    def __init__(self, lo: float, hi: float, name: str | None = None) -> None:
        super().__init__(name)
        for bound in (lo, hi):
            if not is_finite_number(bound):
                raise InvalidIssueError(
                    f"{label(name)}: bounds must be finite numbers, got {bound!r:.80}"
                )
        if not lo < hi:
            raise InvalidIssueError(
                f"{label(name)}: empty continuous range, lo={lo!r} must be < hi={hi!r}"
            )
        self._lo, self._hi = float(lo), float(hi)

    @property
    def min_value(self) -> float:
        """The lower bound."""
        return self._lo

    @property
    def max_value(self) -> float:
        """The upper bound."""
        return self._hi

    @property
    def cardinality(self) -> float:
        """Always ``math.inf``."""
        return math.inf

    @property
    def _values(self) -> tuple[float, float]:
        """``(min_value, max_value)``: what NegMAS code reads from a continuous
        issue's ``_values`` (its own storage of the bounds); read-only here."""
        return (self._lo, self._hi)

    @property
    def values(self) -> tuple[float, float]:
        """NegMAS's ``values`` of a continuous issue: its bounds ``(min_value, max_value)``
        (:attr:`all_values` raises: it cannot list its values)."""
        return (self._lo, self._hi)

    @property
    def all_values(self) -> Sequence[Any]:
        """Raises: a continuous issue cannot list its values."""
        raise OutcomeSpaceError(
            f"{label(self._name)} is continuous; call discretize(levels) to list values"
        )

    def canonical(self, value: Any) -> Any:
        """``value`` as a plain Python number when it is in the interval, else ``NO_VALUE``."""
        if value not in self:
            return NO_VALUE
        return value.item() if isinstance(value, np.generic) else value

    def __contains__(self, value: object) -> bool:
        # Exact floats and ints first: the abstract-class check in is_number
        # costs more than the comparison, and offers are checked every round.
        if type(value) is float or type(value) is int:
            return self._lo <= value <= self._hi
        if is_number(value):
            return self._lo <= value <= self._hi  # type: ignore[operator]
        return isinstance(value, Issue) and self.contains_issue(value)

    def sample(self, rng: np.random.Generator, n: int) -> list[float]:
        """Draw ``n`` floats uniformly from ``[lo, hi)``."""
        values: list[float] = rng.uniform(self._lo, self._hi, size=n).tolist()
        return values

    def rand(self) -> float:
        """A float drawn uniformly from ``[lo, hi]`` (Python's global ``random``)."""
        return random.uniform(self._lo, self._hi)

    def rand_invalid(self) -> float:
        """A float above the interval."""
        return self._hi + (self._hi - self._lo) * (0.1 + random.random())

    def _shown_values(self) -> Any:
        return (self._lo, self._hi)

    def discretize(self, levels: int) -> DiscretizedIssue:
        """``levels`` evenly spaced values from ``lo`` to ``hi``, both included."""
        levels = check_levels(levels, self._name)
        if levels > MAX_ENUMERATED_OUTCOMES:
            # The values are listed: 10**30 levels failed inside numpy ("Maximum
            # allowed size exceeded"), 10**10 filled the memory.
            raise InvalidIssueError(
                f"{label(self._name)}: discretization levels must be at most "
                f"{MAX_ENUMERATED_OUTCOMES:,} (the values Palaver lists), got {levels!r}"
            )
        return DiscretizedIssue(np.linspace(self._lo, self._hi, levels).tolist(), self._name)

    def to_numeric(self, value: Any) -> float:
        """The value itself, as a float."""
        return float(value)

    def from_numeric(self, number: float) -> float:
        """The number itself."""
        return float(number)

    def numeric_bounds(self) -> tuple[float, float]:
        """``(lo, hi)``."""
        return self._lo, self._hi

    def _key(self) -> tuple[Any, ...]:
        return (self._lo, self._hi)

    def with_name(self, name: str) -> ContinuousIssue:
        """A copy with another name."""
        return ContinuousIssue(self._lo, self._hi, name)

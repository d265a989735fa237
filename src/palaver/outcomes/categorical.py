"""Issues with listed values: categorical issues and discretized numeric issues."""

from __future__ import annotations

import builtins
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from palaver.outcomes.base import (
    NO_VALUE,
    Issue,
    check_levels,
    integer_positions,
    is_finite_number,
    is_integer,
    is_number,
    label,
)
from palaver.outcomes.errors import InvalidIssueError, IssueValueTypeError, OutcomeSpaceError
from palaver.outcomes.flags import FALSE, TRUE, Flag, flag


class CategoricalIssue(Issue):
    """A finite list of distinct hashable values; a value's number is its index."""

    __slots__ = ("_index", "_values")

    is_numeric = FALSE
    is_continuous = FALSE

    def __init__(self, values: Iterable[Hashable], name: str | None = None) -> None:
        super().__init__(name)
        if isinstance(values, str | bytes):
            raise InvalidIssueError(
                f"{label(name)}: values must be a list, not the string {values!r}"
            )
        if not isinstance(values, Iterable):
            raise InvalidIssueError(
                f"{label(name)}: values must be a list, got {values!r:.80} "
                f"({type(values).__name__})"
            )
        vals = tuple(values)
        if not vals:
            raise InvalidIssueError(f"{label(name)}: the list of values is empty")
        index: dict[Any, int] = {}
        for i, v in enumerate(vals):
            try:
                hash(v)
            except TypeError:
                raise InvalidIssueError(f"{label(name)}: value {v!r} is not hashable") from None
            if v in index:
                raise InvalidIssueError(f"{label(name)}: duplicate value {v!r}")
            if isinstance(v, float) and v != v:
                # NaN equals nothing, itself included: an offer of it was valid or not
                # depending on which NaN object it held.
                raise InvalidIssueError(f"{label(name)}: value {v!r} is not a value (NaN)")
            index[v] = i
        self._values: tuple[Any, ...] = vals
        self._index = index

    @property
    def cardinality(self) -> int:
        """The number of values."""
        return len(self._values)

    @property
    def values(self) -> tuple[Any, ...]:
        """The values in their given order."""
        return self._values

    def __contains__(self, value: object) -> bool:
        try:
            if value in self._index:
                return True
        except TypeError:  # unhashable values are never members
            return False
        return isinstance(value, Issue) and self.contains_issue(value)

    @property
    def value_type(self) -> builtins.type:
        """The one type of the values other than ``None`` (``str`` for
        ``["a", "b"]``), or ``object`` when they mix types."""
        types = {type(v) for v in self._values if v is not None}
        return types.pop() if len(types) == 1 else object

    def canonical(self, value: Any) -> Any:
        """The issue's value equal to ``value`` (``0`` for ``0.0``), or ``NO_VALUE``."""
        try:
            position = self._index.get(value)
        except TypeError:  # unhashable values are never members
            return NO_VALUE
        return NO_VALUE if position is None else self._values[position]

    def sample(self, rng: np.random.Generator, n: int) -> list[Any]:
        """Draw ``n`` values uniformly."""
        vals = self._values
        return [vals[i] for i in rng.integers(0, len(vals), size=n).tolist()]

    def discretize(self, levels: int) -> CategoricalIssue:
        """Return this issue unchanged (it is already discrete)."""
        check_levels(levels, self._name)
        return self

    def to_numeric(self, value: Any) -> float:
        """The index of ``value`` in ``values``."""
        try:
            return float(self._index[value])
        except (KeyError, TypeError):
            raise OutcomeSpaceError(f"{label(self._name)}: {value!r} is not a value") from None

    def to_numeric_many(self, values: Sequence[Any]) -> np.ndarray:
        """The index of each value, as a float array."""
        index = self._index
        try:
            return np.fromiter((index[v] for v in values), dtype=float, count=len(values))
        except (KeyError, TypeError):
            bad = next(v for v in values if v not in self)
            raise OutcomeSpaceError(f"{label(self._name)}: {bad!r} is not a value") from None

    def from_numeric(self, number: float) -> Any:
        """The value at index ``number``."""
        return self._values[round(number)]

    def numeric_bounds(self) -> tuple[float, float]:
        """``(0, n_values - 1)``."""
        return 0.0, float(len(self._values) - 1)

    def _positions(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return integer_positions(codes, 0, len(self._values))

    def _key(self) -> tuple[Any, ...]:
        return (self._values,)

    def with_name(self, name: str) -> CategoricalIssue:
        """A copy with another name."""
        return type(self)(self._values, name)


class DiscretizedIssue(CategoricalIssue):
    """Finitely many increasing real numbers, e.g. a discretized continuous issue.

    Unlike a categorical issue, a value's number is the value itself, so a
    linear utility function sees the same numbers before and after
    discretization.
    """

    __slots__ = ()

    is_numeric = TRUE

    def __init__(self, values: Iterable[float], name: str | None = None) -> None:
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise InvalidIssueError(
                f"{label(name)}: values must be a list of numbers, got {values!r:.80} "
                f"({type(values).__name__})"
            )
        vals = tuple(values)
        for v in vals:
            if not is_finite_number(v):
                raise InvalidIssueError(f"{label(name)}: value {v!r:.80} is not a finite number")
        super().__init__([float(v) for v in vals], name)
        if any(a >= b for a, b in zip(self._values, self._values[1:], strict=False)):
            raise InvalidIssueError(f"{label(name)}: values must be increasing, got {vals!r}")

    @property
    def min_value(self) -> float:
        """The smallest value."""
        return float(self._values[0])

    @property
    def max_value(self) -> float:
        """The largest value."""
        return float(self._values[-1])

    def __contains__(self, value: object) -> bool:
        if type(value) is float or type(value) is int:  # skip the abstract-class check
            return value in self._index
        if is_number(value):
            return value in self._index
        return isinstance(value, Issue) and self.contains_issue(value)

    def to_numeric(self, value: Any) -> float:
        """The value itself, as a float."""
        return float(value)

    def to_numeric_many(self, values: Sequence[Any]) -> np.ndarray:
        """The values themselves, as a float array."""
        return np.asarray(values, dtype=float)

    def from_numeric(self, number: float) -> float:
        """The number itself."""
        return float(number)

    def numeric_bounds(self) -> tuple[float, float]:
        """``(min_value, max_value)``."""
        return self._values[0], self._values[-1]

    def _positions(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values = np.asarray(self._values)
        positions = np.clip(np.searchsorted(values, codes), 0, len(values) - 1)
        return positions, values[positions] == codes


class SingletonIssue(CategoricalIssue):
    """NegMAS's ``SingletonIssue``: an issue with one value, ``value``.

    It equals ``CategoricalIssue([value])`` of the same name and has NegMAS's
    ``type`` ``"singleton"``. A number is numeric here, as in NegMAS: its
    ``to_numeric`` is the number itself (a utility function reads 5 for a
    value of 5, where a categorical issue reads its index), and
    ``min_value`` / ``max_value`` are the value.
    """

    __slots__ = ()

    _type_name = "singleton"

    def __init__(self, value: Hashable, name: str | None = None) -> None:
        super().__init__([value], name)

    @property
    def value(self) -> Any:
        """The one value."""
        return self._values[0]

    @property
    def is_numeric(self) -> Flag:  # type: ignore[override]
        """True when the value is a number (callable too: ``is_numeric()``)."""
        return flag(is_number(self._values[0]))

    @property
    def min_value(self) -> Any:
        """The value (NegMAS's bound of a one-value issue)."""
        return self._values[0]

    @property
    def max_value(self) -> Any:
        """The value (NegMAS's bound of a one-value issue)."""
        return self._values[0]

    def to_numeric(self, value: Any) -> float:
        """A number value itself; otherwise the index (0), as a categorical issue."""
        if is_number(self._values[0]):
            if value not in self:
                raise OutcomeSpaceError(f"{label(self._name)}: {value!r} is not its value")
            return float(value)
        return super().to_numeric(value)

    def to_numeric_many(self, values: Sequence[Any]) -> np.ndarray:
        """:meth:`to_numeric` of each value, as a float array."""
        return np.fromiter(map(self.to_numeric, values), dtype=float, count=len(values))

    def from_numeric(self, number: float) -> Any:
        """The value (the only one there is)."""
        return self._values[0]

    def numeric_bounds(self) -> tuple[float, float]:
        """``(value, value)`` for a number, else the categorical ``(0, 0)``."""
        if is_number(self._values[0]):
            return float(self._values[0]), float(self._values[0])
        return super().numeric_bounds()

    def _positions(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if is_number(self._values[0]):
            return np.zeros(len(codes), dtype=np.int64), codes == float(self._values[0])
        return super()._positions(codes)

    def with_name(self, name: str) -> SingletonIssue:
        """A copy with another name (still a ``SingletonIssue``)."""
        return SingletonIssue(self._values[0], name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CategoricalIssue) or isinstance(other, DiscretizedIssue):
            return NotImplemented
        return self._name == other._name and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(("CategoricalIssue", self._name, self._key()))

    def __repr__(self) -> str:
        return f"SingletonIssue({self._values[0]!r}, name={self._name!r})"


class DiscreteCardinalIssue(CategoricalIssue):
    """Listed values that are all finite numbers: what ``make_issue([1, 5, 10])`` makes.

    NegMAS's ``DiscreteCardinalIssue``. The values keep their order and type
    (``1`` stays an int), and, unlike a categorical issue's, a value's number
    is the value itself: a linear utility function reads 5 for the value 5,
    not its index 1. ``min_value`` / ``max_value`` are the smallest and
    largest values.
    """

    __slots__ = ("_by_number", "_sorted")

    is_numeric = TRUE
    _type_name = "discretecardinal"

    def __init__(self, values: Iterable[float], name: str | None = None) -> None:
        if isinstance(values, Iterable) and not isinstance(values, str | bytes):
            # numpy's numbers as Python's (equal and hashing alike), so that
            # offers and events carry plain data.
            values = [v.item() if isinstance(v, np.generic) else v for v in values]
        super().__init__(values, name)
        for v in self._values:
            if not is_number(v):
                raise IssueValueTypeError(f"{label(name)}: value {v!r:.80} is not a number")
            if not is_finite_number(v):
                raise InvalidIssueError(f"{label(name)}: value {v!r:.80} is not a finite number")
        numbers = np.asarray(self._values, dtype=float)
        # For reading numeric codes back: the positions by increasing number.
        self._by_number = np.argsort(numbers, kind="stable")
        self._sorted = numbers[self._by_number]

    @property
    def min_value(self) -> Any:
        """The smallest value."""
        return self._values[int(self._by_number[0])]

    @property
    def max_value(self) -> Any:
        """The largest value."""
        return self._values[int(self._by_number[-1])]

    @property
    def value_type(self) -> builtins.type:
        """The one type of the values, else ``int`` when all are integers
        and ``float`` when ints and floats mix (all are real numbers)."""
        types = {type(v) for v in self._values}
        if len(types) == 1:
            return types.pop()
        return int if all(is_integer(v) for v in self._values) else float

    def to_numeric(self, value: Any) -> float:
        """The value itself, as a float."""
        if not is_number(value) or value not in self._index:
            raise OutcomeSpaceError(f"{label(self._name)}: {value!r} is not a value")
        return float(value)

    def to_numeric_many(self, values: Sequence[Any]) -> np.ndarray:
        """The values themselves, as a float array."""
        return np.fromiter(map(self.to_numeric, values), dtype=float, count=len(values))

    def from_numeric(self, number: float) -> Any:
        """The value nearest ``number``."""
        sorted_ = self._sorted
        i = int(np.clip(np.searchsorted(sorted_, number), 0, len(sorted_) - 1))
        if i > 0 and abs(sorted_[i - 1] - number) <= abs(sorted_[i] - number):
            i -= 1
        return self._values[int(self._by_number[i])]

    def numeric_bounds(self) -> tuple[float, float]:
        """``(smallest value, largest value)`` as floats."""
        return float(self._sorted[0]), float(self._sorted[-1])

    def _positions(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sorted_ = self._sorted
        i = np.clip(np.searchsorted(sorted_, codes), 0, len(sorted_) - 1)
        return self._by_number[i], sorted_[i] == codes

    def with_name(self, name: str) -> DiscreteCardinalIssue:
        """A copy with another name."""
        return DiscreteCardinalIssue(self._values, name)


#: NegMAS's ``DiscreteOrdinalIssue``, the base class of its
#: ``DiscreteCardinalIssue`` (``make_issue([1.5, 2.5])`` is one there): the same
#: class here, so that ``isinstance`` checks on either name hold.
DiscreteOrdinalIssue = DiscreteCardinalIssue

"""``HyperRectangleUtilityFunction``: utilities made of boxes over numeric issues.

An outcome earns a box's value when it lies inside the box (every bounded
issue's value within its ``[low, high]``), or, for an *exclusive* box, when
it lies outside it (some bounded issue's value outside its range). Boxes are
collected in groups that add up, or take the smallest or largest, of their
boxes' and sub-groups' values. This is the structure of the nonlinear
("constraint") profiles of the ANAC 2014 Genius domains; the reader is
``palaver.scenarios.genius_nonlinear``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

import numpy as np

from palaver._util.checks import check_bool, check_items
from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.preferences.base import Outcomes, UtilityFunction
from palaver.preferences.outcome_ranges import RangeUtilityFunction, is_negmas_form

#: How a group combines the values of its boxes and sub-groups.
Aggregation: TypeAlias = Literal["sum", "min", "max"]

#: A bounded issue: its name, or its position in the outcome (from 0).
IssueKey: TypeAlias = str | int

_AGGREGATIONS: tuple[Aggregation, ...] = ("sum", "min", "max")


def _finite(what: str, value: object) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{what} must be a number, got {value!r} ({type(value).__name__})")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return number


@dataclass(frozen=True)
class HyperRectangle:
    """A box: ``bounds`` maps an issue (name or position) to its ``(low, high)`` range.

    Both ends of a range belong to it. The box is worth ``utility * weight``
    to an outcome inside it (every bounded issue's value in range) and 0 to
    others; with ``exclusive=True`` it is the other way round: worth
    ``utility * weight`` to an outcome with some bounded issue's value out of
    range, 0 to an outcome inside. A box without bounds holds every outcome
    (so an exclusive one is worth 0 to all).
    """

    bounds: Mapping[IssueKey, tuple[float, float]]
    utility: float
    weight: float = 1.0
    exclusive: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.bounds, Mapping):
            raise TypeError(
                f"bounds must be a dict from issue name or position to (low, high), "
                f"got {self.bounds!r}"
            )
        checked: dict[IssueKey, tuple[float, float]] = {}
        for key, pair in self.bounds.items():
            if isinstance(key, bool) or not isinstance(key, str | int):
                raise TypeError(f"a bound's key must be an issue name or position, got {key!r}")
            if isinstance(pair, str | bytes) or not isinstance(pair, Sequence) or len(pair) != 2:
                raise TypeError(f"bound {key!r} must be a (low, high) pair, got {pair!r}")
            low = _finite(f"bound {key!r}: low", pair[0])
            high = _finite(f"bound {key!r}: high", pair[1])
            if low > high:
                raise ValueError(f"bound {key!r}: low {pair[0]!r} is above high {pair[1]!r}")
            checked[key] = (low, high)
        object.__setattr__(self, "bounds", MappingProxyType(checked))
        object.__setattr__(self, "utility", _finite("utility", self.utility))
        object.__setattr__(self, "weight", _finite("weight", self.weight))
        # bool() took "no" or NaN for True.
        object.__setattr__(self, "exclusive", check_bool("exclusive", self.exclusive))

    def __hash__(self) -> int:
        return hash((tuple(self.bounds.items()), self.utility, self.weight, self.exclusive))

    def __reduce__(self) -> tuple[type[HyperRectangle], tuple[Any, ...]]:
        # The read-only view of the bounds cannot be pickled; the dict it shows can.
        return (HyperRectangle, (dict(self.bounds), self.utility, self.weight, self.exclusive))

    @property
    def value(self) -> float:
        """What the box is worth to an outcome it counts for: ``utility * weight``."""
        return self.utility * self.weight


@dataclass(frozen=True)
class RectangleGroup:
    """Boxes and sub-groups combined by ``aggregation``: their sum, smallest or largest.

    A sub-group contributes its own combined value times its ``weight``; the
    ``weight`` of the outermost group is not used. The boxes come first, then
    the sub-groups, in the order given (sums are added in that order). A
    ``min`` or ``max`` group needs at least one member.
    """

    rectangles: Sequence[HyperRectangle] = ()
    groups: Sequence[RectangleGroup] = ()
    aggregation: Aggregation = "sum"
    weight: float = 1.0

    def __post_init__(self) -> None:
        rectangles = tuple(check_items("rectangles", self.rectangles, "HyperRectangles"))
        groups = tuple(check_items("groups", self.groups, "RectangleGroups"))
        for r in rectangles:
            if not isinstance(r, HyperRectangle):
                raise TypeError(f"rectangles must be HyperRectangle objects, got {r!r}")
        for g in groups:
            if not isinstance(g, RectangleGroup):
                raise TypeError(f"groups must be RectangleGroup objects, got {g!r}")
        if self.aggregation not in _AGGREGATIONS:
            raise ValueError(
                f"aggregation must be one of {', '.join(_AGGREGATIONS)}, got {self.aggregation!r}"
            )
        if self.aggregation != "sum" and not rectangles and not groups:
            raise ValueError(f"an empty group has no {self.aggregation}: give it a member")
        object.__setattr__(self, "rectangles", rectangles)
        object.__setattr__(self, "groups", groups)
        object.__setattr__(self, "weight", _finite("weight", self.weight))

    def walk(self) -> Iterable[HyperRectangle]:
        """Every box of the group and of its sub-groups, depth first."""
        yield from self.rectangles
        for g in self.groups:
            yield from g.walk()


# A box ready to evaluate: its (issue position, low, high) bounds, value, exclusive.
_Box: TypeAlias = tuple[tuple[tuple[int, float, float], ...], float, bool]


@dataclass(frozen=True, slots=True)
class _Compiled:
    boxes: tuple[_Box, ...]
    groups: tuple[tuple[_Compiled, float], ...]
    aggregation: Aggregation


class HyperRectangleUtilityFunction(UtilityFunction):
    """Utilities from boxes over numeric issues (see :class:`HyperRectangle`).

    ``rectangles`` is a :class:`RectangleGroup`, or a sequence of boxes that
    add up. The raw utility of an outcome is the group's combined value. With
    ``max_utility`` given, the utility is ``raw / max_utility`` capped at 1
    (Genius's normalisation of nonlinear profiles: nothing is done to values
    below 0); without it, the raw value.

    Bounds keyed by issue name need an outcome space to find the issues'
    positions; bounds keyed by position work without one. Bounded issues must
    be numeric (integer or continuous): the outcome's value itself is compared
    with the range.

    Called with NegMAS's arguments instead (``outcome_ranges`` and
    ``utilities``: dicts or ``None``, and numbers or callables), it returns a
    :class:`~palaver.preferences.outcome_ranges.RangeUtilityFunction`, which
    computes what NegMAS's class of this name does.
    """

    prefers_array = True

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RangeUtilityFunction:
        """NegMAS's ``from_dict``: the function a
        :meth:`RangeUtilityFunction.to_dict` dict describes (the NegMAS form,
        which ``to_dict`` writes); a ``ValueError`` for another dict."""
        if not isinstance(d, Mapping) or d.get("type") != "RangeUtilityFunction":
            kind = d.get("type") if isinstance(d, Mapping) else type(d).__name__
            raise ValueError(
                f"HyperRectangleUtilityFunction.from_dict reads NegMAS's form (a "
                f"RangeUtilityFunction.to_dict() dict), got {kind!r}"
            )
        return RangeUtilityFunction.from_dict(d)

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        # NegMAS's arguments (outcome ranges and their utilities) build the
        # function NegMAS means, which is not a set of boxes.
        if cls is HyperRectangleUtilityFunction and is_negmas_form(args, kwargs):
            return RangeUtilityFunction(*args, **kwargs)
        return super().__new__(cls)

    def __init__(
        self,
        rectangles: RectangleGroup | Sequence[HyperRectangle],
        max_utility: float | None = None,
        reserved_value: float = 0.0,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        if isinstance(rectangles, RectangleGroup):
            self._group = rectangles
        elif isinstance(rectangles, str | bytes) or not isinstance(rectangles, Iterable):
            raise TypeError(
                "rectangles must be a RectangleGroup or a list of HyperRectangle objects, "
                f"got {rectangles!r}"
            )
        else:
            self._group = RectangleGroup(tuple(rectangles))
        self._max_utility: float | None = None
        if max_utility is not None:
            top = _finite("max_utility", max_utility)
            if top <= 0:
                raise ValueError(f"max_utility must be positive, got {max_utility!r}")
            self._max_utility = top
        self._compiled: _Compiled | None = None
        self._width = 0
        super().__init__(reserved_value, outcome_space)

    @property
    def group(self) -> RectangleGroup:
        """The boxes and groups, as given (a list of boxes became one ``sum`` group)."""
        return self._group

    @property
    def max_utility(self) -> float | None:
        """The raw utility that maps to 1 (``None``: raw utilities are not scaled)."""
        return self._max_utility

    def ranking_fingerprint(self) -> tuple[Any, ...]:
        """Everything the utilities depend on (strategies reuse their rankings while it holds)."""
        return (self._group, self._max_utility, self._outcome_space)

    def _on_outcome_space(self, outcome_space: OutcomeSpace | None) -> None:
        names = None if outcome_space is None else list(outcome_space.issue_names)
        keys = {key for r in self._group.walk() for key in r.bounds}
        positions: dict[IssueKey, int] = {}
        for key in keys:
            if isinstance(key, str):
                if names is None:
                    self._compiled = None
                    return
                if key not in names:
                    raise ValueError(f"a box bounds {key!r}, which is not an issue of {names}")
                positions[key] = names.index(key)
            else:
                if key < 0 or (names is not None and key >= len(names)):
                    raise ValueError(f"a box bounds issue position {key}, out of range")
                positions[key] = key
        if outcome_space is not None:
            for j in positions.values():
                issue = outcome_space.issues[j]
                if not issue.is_numeric:
                    raise ValueError(
                        f"a box bounds issue {issue.name!r}, which is not numeric "
                        f"({type(issue).__name__}); boxes compare numeric values"
                    )
        self._width = max(positions.values(), default=-1) + 1
        self._compiled = _compile(self._group, positions)

    def _ready(self) -> _Compiled:
        if self._compiled is None:
            raise ValueError(
                "HyperRectangleUtilityFunction: boxes bounded by issue name need an "
                "outcome space (pass outcome_space=, or key the bounds by position)"
            )
        return self._compiled

    def eval(self, outcome: Outcome) -> float:
        """The utility of an outcome tuple."""
        compiled = self._ready()
        if len(outcome) < self._width:
            raise ValueError(
                f"outcome {outcome!r} has {len(outcome)} values; the boxes bound issue "
                f"position {self._width - 1}"
            )
        try:
            raw = _eval_one(compiled, outcome)
        except TypeError:
            raise ValueError(
                f"outcome {outcome!r}: a bounded issue's value is not a number"
            ) from None
        return self._scaled(raw)

    def _scaled(self, raw: float) -> float:
        if self._max_utility is None:
            return raw
        result = raw / self._max_utility
        return 1.0 if result > 1.0 else result

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """The utilities of many outcomes (tuples, dicts or a ``to_array`` array), vectorized."""
        compiled = self._ready()
        arr = self.as_array(outcomes)
        if len(arr) == 0:
            return np.empty(0)
        if arr.shape[1] < self._width:
            raise ValueError(
                f"outcomes have {arr.shape[1]} values; the boxes bound issue position "
                f"{self._width - 1}"
            )
        raw = _eval_array(compiled, arr)
        if self._max_utility is None:
            return raw
        scaled = raw / self._max_utility
        return np.minimum(scaled, 1.0, out=scaled)


def _compile(group: RectangleGroup, positions: Mapping[IssueKey, int]) -> _Compiled:
    boxes = []
    for r in group.rectangles:
        bounds = tuple((positions[k], lo, hi) for k, (lo, hi) in r.bounds.items())
        boxes.append((bounds, r.value, r.exclusive))
    subs = tuple((_compile(g, positions), g.weight) for g in group.groups)
    return _Compiled(tuple(boxes), subs, group.aggregation)


def _eval_one(compiled: _Compiled, outcome: Outcome) -> float:
    values = []
    for bounds, value, exclusive in compiled.boxes:
        inside = True
        for j, lo, hi in bounds:
            x = outcome[j]
            if x < lo or x > hi:
                inside = False
                break
        values.append(value if inside != exclusive else 0.0)
    for sub, weight in compiled.groups:
        values.append(_eval_one(sub, outcome) * weight)
    if compiled.aggregation == "sum":
        total = 0.0
        for v in values:
            total += v
        return total
    return min(values) if compiled.aggregation == "min" else max(values)


def _eval_array(compiled: _Compiled, arr: np.ndarray) -> np.ndarray:
    # Members are folded into one running column as they are computed: holding
    # a column per box would take (number of boxes) x (number of outcomes) floats.
    n = len(arr)
    aggregation = compiled.aggregation
    total = np.zeros(n) if aggregation == "sum" else None
    for part in _member_columns(compiled, arr):
        if total is None:
            total = part
        elif aggregation == "sum":
            total += part
        elif aggregation == "min":
            np.minimum(total, part, out=total)
        else:
            np.maximum(total, part, out=total)
    assert total is not None  # a min or max group has a member (RectangleGroup checks)
    return total


def _member_columns(compiled: _Compiled, arr: np.ndarray) -> Iterator[np.ndarray]:
    """Each box's and sub-group's values over the rows of ``arr``, in order (fresh arrays)."""
    n = len(arr)
    for bounds, value, exclusive in compiled.boxes:
        inside = np.ones(n, dtype=bool)
        for j, lo, hi in bounds:
            column = arr[:, j]
            inside &= column >= lo
            inside &= column <= hi
        yield np.where(inside != exclusive, value, 0.0)
    for sub, weight in compiled.groups:
        part = _eval_array(sub, arr)
        part *= weight
        yield part

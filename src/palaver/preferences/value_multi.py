"""NegMAS's multi-issue value functions: one number from the values of several issues.

A multi-issue value function takes a tuple of issue values (one per issue it
reads, in order) and gives a number; a
:class:`~palaver.preferences.GLAUtilityFunction` weighs several of them, each
over its own subset of the issues. The classes take NegMAS's constructor
arguments and give NegMAS's numbers.

``minmax(issues)`` is exact. The affine and bilinear functions are linear in
each issue, so their extremes are at the corners of the issues' ranges; a
product of powers has them where each issue's power is lowest or highest;
the quadratics (``value_polynomials``) are solved face by face on continuous
issues. Tables, callables and general polynomials evaluate every combination
of the issues' values, so they need discrete issues (``OutcomeSpaceError``
otherwise: discretize first). NegMAS samples ten values of a continuous issue.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Self

from palaver._util.checks import check_real
from palaver.outcomes import Issue, OutcomeSpaceError
from palaver.outcomes.issues import IntegerIssue
from palaver.preferences.value_functions import CLASSES, fields_dict, from_fields, plain

__all__ = [
    "AffineMultiFun",
    "BaseMultiFun",
    "BilinearMultiFun",
    "LambdaMultiFun",
    "LinearMultiFun",
    "ProductMultiFun",
    "TableMultiFun",
]

# Beyond this many combinations of issue values, minmax refuses to enumerate.
MAX_COMBINATIONS = 1_000_000


def issue_tuple(owner: object, issues: Iterable[Issue]) -> tuple[Issue, ...]:
    """``issues`` as a tuple, each checked to be an issue."""
    given = tuple(issues)
    for i, issue in enumerate(given):
        if not isinstance(issue, Issue):
            raise TypeError(
                f"{type(owner).__name__}.minmax: issues[{i}] must be an Issue, got {issue!r}"
            )
    return given


def combinations(owner: object, options: Sequence[Sequence[Any]]) -> Iterable[tuple[Any, ...]]:
    """Every tuple taking one entry of each of ``options``, refusing too many."""
    count = math.prod(len(o) for o in options)
    if count > MAX_COMBINATIONS:
        raise OutcomeSpaceError(
            f"{type(owner).__name__}.minmax: {count} combinations of issue values is more "
            f"than {MAX_COMBINATIONS} to evaluate; discretize the issues more coarsely"
        )
    return itertools.product(*options)


def all_values(owner: object, issues: Sequence[Issue]) -> list[Sequence[Any]]:
    """Every value of each issue (all must be discrete)."""
    for issue in issues:
        if not issue.is_discrete:
            raise OutcomeSpaceError(
                f"issue {issue.name!r}: {type(owner).__name__} cannot be bounded over a "
                "continuous issue; discretize it first"
            )
    return [issue.all_values for issue in issues]


def extremes(f: Callable[[Any], float], points: Iterable[Any]) -> tuple[float, float]:
    """The lowest and highest of ``f`` over ``points``."""
    values = [float(f(p)) for p in points]
    return min(values), max(values)


def numbers(owner: str, name: str, values: Any) -> tuple[float, ...]:
    """``values`` (a sequence of numbers) as a tuple of floats."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise TypeError(
            f"{owner}.{name} must be a sequence of numbers, got {values!r} "
            f"({type(values).__name__})"
        )
    return tuple(check_real(f"{owner}.{name}[{i}]", v) for i, v in enumerate(values))


class BaseMultiFun:
    """What every multi-issue value function has: ``f(values)``, ``dim``, its range, copies.

    Subclasses are frozen dataclasses; ``to_dict`` gives ``type`` (the class
    name) and the fields as plain data, ``from_dict`` reads it back.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        CLASSES[cls.__name__] = cls

    def __call__(self, x: Sequence[Any]) -> float:
        raise NotImplementedError

    @property
    def dim(self) -> int:
        """How many issue values the function takes."""
        raise NotImplementedError

    def minmax(self, issues: Iterable[Issue]) -> tuple[float, float]:
        """The lowest and highest value over every combination of the issues' values.

        This base version evaluates every combination, so the issues must be
        discrete; subclasses that know where their extremes lie override it.
        """
        given = issue_tuple(self, issues)
        return extremes(self, combinations(self, all_values(self, given)))

    def min(self, issues: Iterable[Issue]) -> float:
        """The lowest value over the issues (``minmax(issues)[0]``)."""
        return self.minmax(issues)[0]

    def max(self, issues: Iterable[Issue]) -> float:
        """The highest value over the issues (``minmax(issues)[1]``)."""
        return self.minmax(issues)[1]

    def shift_by(self, offset: float) -> BaseMultiFun:
        """A new function giving ``f(x) + offset``."""
        raise NotImplementedError(f"{type(self).__name__} cannot be shifted")

    def scale_by(self, scale: float) -> BaseMultiFun:
        """A new function giving ``f(x) * scale``."""
        raise NotImplementedError(f"{type(self).__name__} cannot be scaled")

    def xml(self, indx: int, issues: Sequence[Issue], bias: float = 0.0) -> str:
        """Refused: Genius XML has no evaluator reading several issues."""
        raise NotImplementedError(
            f"{type(self).__name__} reads several issues: Genius XML cannot express it"
        )

    def to_dict(self) -> dict[str, Any]:
        """The function as plain data: ``type`` (the class name) and its fields."""
        return fields_dict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Self:
        """The function a :meth:`to_dict` dict describes."""
        return from_fields(cls, d)


class ShiftableMultiFun(BaseMultiFun):
    """A function with a ``bias`` that ``shift_by`` moves and ``scale_by`` scales with
    the fields named in :attr:`_scaled`."""

    bias: float
    _scaled: ClassVar[tuple[str, ...]] = ()

    def shift_by(self, offset: float) -> Self:
        """``bias + offset``."""
        # The subclasses are the dataclasses: mypy cannot see it from here.
        return replace(self, bias=self.bias + check_real("offset", offset))  # type: ignore[type-var]

    def scale_by(self, scale: float) -> Self:
        """``bias`` and the coefficients times ``scale``."""
        s = check_real("scale", scale)
        changes: dict[str, Any] = {}
        for name in self._scaled:
            value = getattr(self, name)
            changes[name] = tuple(s * v for v in value) if isinstance(value, tuple) else value * s
        return replace(self, bias=self.bias * s, **changes)  # type: ignore[type-var]


def corners(owner: object, issues: Sequence[Issue]) -> Iterable[tuple[float, ...]]:
    """Every combination of the issues' lowest and highest numeric values."""
    ends = []
    for issue in issues:
        if not issue.is_numeric:
            raise OutcomeSpaceError(
                f"issue {issue.name!r} is not numeric: {type(owner).__name__} needs numbers"
            )
        ends.append(issue.numeric_bounds())
    return itertools.product(*ends)


@dataclass(frozen=True)
class TableMultiFun(BaseMultiFun):
    """A number per tuple of issue values, read from ``mapping`` (``KeyError`` if absent).

    ``to_dict`` writes the table as a list of ``[values, number]`` pairs (a
    tuple cannot be a key in JSON); the constructor takes that form too.
    """

    mapping: Mapping[tuple[Any, ...], float]

    def __post_init__(self) -> None:
        given: Any = self.mapping
        pairs = given.items() if isinstance(given, Mapping) else given
        try:
            table = {tuple(k): check_real(f"mapping[{k!r}]", v) for k, v in pairs}
        except (TypeError, ValueError) as exc:
            raise TypeError(
                "TableMultiFun.mapping must map tuples of issue values to numbers, got "
                f"{given!r} ({exc})"
            ) from None
        if len({len(k) for k in table}) > 1:
            raise ValueError("TableMultiFun.mapping keys must all have the same length")
        object.__setattr__(self, "mapping", table)

    def __call__(self, x: Sequence[Any]) -> float:
        return self.mapping[tuple(x)]

    def __hash__(self) -> int:
        return hash(tuple(self.mapping.items()))

    @property
    def dim(self) -> int:
        """The length of the table's keys (``ValueError`` for an empty table)."""
        if not self.mapping:
            raise ValueError("an empty TableMultiFun has no dimension")
        return len(next(iter(self.mapping)))

    def shift_by(self, offset: float) -> TableMultiFun:
        """Every number plus ``offset``."""
        d = check_real("offset", offset)
        return TableMultiFun({k: v + d for k, v in self.mapping.items()})

    def scale_by(self, scale: float) -> TableMultiFun:
        """Every number times ``scale``."""
        s = check_real("scale", scale)
        return TableMultiFun({k: v * s for k, v in self.mapping.items()})

    def to_dict(self) -> dict[str, Any]:
        """``type`` and ``mapping`` as ``[[values...], number]`` pairs."""
        return {
            "type": "TableMultiFun",
            "mapping": [[plain(k), v] for k, v in self.mapping.items()],
        }


@dataclass(frozen=True)
class AffineMultiFun(ShiftableMultiFun):
    """``sum(slope[i] * x[i]) + bias``."""

    slope: tuple[float, ...]
    bias: float = 0.0
    _scaled: ClassVar[tuple[str, ...]] = ("slope",)

    def __post_init__(self) -> None:
        object.__setattr__(self, "slope", numbers(type(self).__name__, "slope", self.slope))
        object.__setattr__(self, "bias", check_real(f"{type(self).__name__}.bias", self.bias))

    def __call__(self, x: Sequence[Any]) -> float:
        total: Any = self.bias
        for a, v in zip(self.slope, x, strict=False):
            total = total + a * v
        return total  # type: ignore[no-any-return]

    @property
    def dim(self) -> int:
        """The number of slopes."""
        return len(self.slope)

    def minmax(self, issues: Iterable[Issue]) -> tuple[float, float]:
        """Exact on numeric issues: linear in each issue, so the corners hold the extremes."""
        return extremes(self, corners(self, issue_tuple(self, issues)))


@dataclass(frozen=True)
class LinearMultiFun(AffineMultiFun):
    """``sum(slope[i] * x[i])`` (an :class:`AffineMultiFun` with no bias).

    ``shift_by`` gives an :class:`AffineMultiFun`, as in NegMAS.
    """

    slope: tuple[float, ...]
    bias: float = field(default=0.0, init=False)

    def shift_by(self, offset: float) -> AffineMultiFun:  # type: ignore[override]
        """An :class:`AffineMultiFun` with these slopes and ``offset`` as its bias."""
        return AffineMultiFun(self.slope, check_real("offset", offset))

    def scale_by(self, scale: float) -> LinearMultiFun:
        """The slopes times ``scale``."""
        s = check_real("scale", scale)
        return LinearMultiFun(tuple(s * v for v in self.slope))

    def to_dict(self) -> dict[str, Any]:
        """``type`` and ``slope``."""
        return {"type": "LinearMultiFun", "slope": list(self.slope)}


@dataclass(frozen=True)
class LambdaMultiFun(BaseMultiFun):
    """``f(x) + bias`` for any callable ``f`` taking the tuple of issue values.

    ``min_value`` / ``max_value``, when both given, are what :meth:`minmax`
    reports; otherwise every combination of the (discrete) issues' values is
    evaluated. Neither shifting, scaling nor ``to_dict`` is possible, as in NegMAS.
    """

    f: Callable[[Any], float]
    bias: float = 0.0
    min_value: float | None = None
    max_value: float | None = None

    def __post_init__(self) -> None:
        if not callable(self.f):
            raise TypeError(f"LambdaMultiFun.f must be callable, got {self.f!r}")
        check_real("LambdaMultiFun.bias", self.bias)

    def __call__(self, x: Sequence[Any]) -> float:
        return self.f(x) + self.bias

    def minmax(self, issues: Iterable[Issue]) -> tuple[float, float]:
        """``(min_value, max_value)`` when both are given, else over every combination."""
        if self.min_value is not None and self.max_value is not None:
            return self.min_value, self.max_value
        return super().minmax(issues)

    def to_dict(self) -> dict[str, Any]:
        """Refused: a callable is not plain data."""
        raise TypeError(
            "a LambdaMultiFun holds a Python callable and cannot be made into plain data"
        )


@dataclass(frozen=True)
class BilinearMultiFun(ShiftableMultiFun):
    """``a * x + b * y + c * x * y + bias`` over two issues."""

    a: float
    b: float
    c: float
    bias: float = 0.0
    _scaled: ClassVar[tuple[str, ...]] = ("a", "b", "c")

    def __post_init__(self) -> None:
        for name in ("a", "b", "c", "bias"):
            object.__setattr__(
                self, name, check_real(f"BilinearMultiFun.{name}", getattr(self, name))
            )

    def __call__(self, x: Sequence[Any]) -> float:
        return self.a * x[0] + self.b * x[1] + self.c * x[0] * x[1] + self.bias  # type: ignore[no-any-return]

    @property
    def dim(self) -> int:
        """Always 2."""
        return 2

    def minmax(self, issues: Iterable[Issue]) -> tuple[float, float]:
        """Exact on numeric issues: linear in each issue, so the corners hold the extremes."""
        return extremes(self, corners(self, issue_tuple(self, issues)))


@dataclass(frozen=True)
class ProductMultiFun(ShiftableMultiFun):
    """``scale * prod(x[i] ** powers[i]) + bias``: a Cobb-Douglas function, for one.

    Powers are taken with ``math.pow``, as in NegMAS: a negative value to a
    fractional power raises ``ValueError``.
    """

    powers: tuple[float, ...]
    scale: float = 1.0
    bias: float = 0.0
    _scaled: ClassVar[tuple[str, ...]] = ("scale",)

    def __post_init__(self) -> None:
        object.__setattr__(self, "powers", numbers("ProductMultiFun", "powers", self.powers))
        object.__setattr__(self, "scale", check_real("ProductMultiFun.scale", self.scale))
        object.__setattr__(self, "bias", check_real("ProductMultiFun.bias", self.bias))

    def __call__(self, x: Sequence[Any]) -> float:
        result = self.scale
        for i, p in enumerate(self.powers):
            result *= math.pow(x[i], p)
        return result + self.bias

    @property
    def dim(self) -> int:
        """The number of powers."""
        return len(self.powers)

    def minmax(self, issues: Iterable[Issue]) -> tuple[float, float]:
        """Exact: a product of one factor per issue is extreme where each factor is.

        Each factor ``x ** p`` is monotone on either side of 0, so over a
        continuous or integer issue its extremes are at the ends or at 0; over
        another numeric issue every value is compared.
        """
        given = issue_tuple(self, issues)
        options = []
        for issue, p in zip(given, self.powers, strict=False):
            if not issue.is_numeric:
                raise OutcomeSpaceError(
                    f"issue {issue.name!r} is not numeric: ProductMultiFun needs numbers"
                )
            lo, hi = issue.numeric_bounds()
            if issue.is_continuous or isinstance(issue, IntegerIssue):
                points = [lo, hi, *([0.0] if lo < 0 < hi else [])]
            else:
                points = [issue.to_numeric(v) for v in issue.all_values]
            factors = [math.pow(v, p) for v in points]
            options.append(
                [points[factors.index(min(factors))], points[factors.index(max(factors))]]
            )
        return extremes(self, itertools.product(*options))

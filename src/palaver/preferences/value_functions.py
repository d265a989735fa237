"""NegMAS's single-issue value functions, as small immutable callables.

A value function maps one issue value to a number; a
:class:`~palaver.preferences.LinearAdditiveUtilityFunction` weighs one per
issue. Any callable works there; these classes add what a plain function
cannot say: their range over an issue (``minmax(issue)``, exact even on a
continuous issue, so a linear-additive function over continuous issues can
be bounded and normalized), equality, pickling (for world checkpoints) and
``to_dict``/``from_dict``. ``shift_by`` and ``scale_by`` return new functions.
NegMAS's numeric curves are in ``value_curves``, its sums of functions in
``value_mixtures``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from xml.sax.saxutils import quoteattr

from palaver._util.checks import check_real
from palaver.outcomes import Issue, OutcomeSpaceError
from palaver.outcomes.issues import IntegerIssue

T = TypeVar("T")

__all__ = [
    "AffineFun",
    "BaseFun",
    "ConstFun",
    "IdentityFun",
    "LambdaFun",
    "LinearFun",
    "TableFun",
]


#: Every value function class by name, for :func:`from_plain` (filled as they are defined).
CLASSES: dict[str, type[Any]] = {}


def from_plain(data: Mapping[str, Any]) -> Any:
    """The value function a ``to_dict`` dict describes, whatever its class."""
    name = data.get("type")
    cls = CLASSES.get(name) if isinstance(name, str) else None
    if cls is None:
        raise ValueError(f"no value function class is called {name!r} (in {dict(data)!r})")
    return cls.from_dict(data)


class BaseFun:
    """What every value function here has: ``f(x)``, its range over an issue, and copies."""

    #: How many issue values the function takes (always one here).
    dim = 1

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        CLASSES[cls.__name__] = cls

    def __call__(self, x: Any) -> float:
        raise NotImplementedError

    def minmax(self, issue: Issue) -> tuple[float, float]:
        """The lowest and highest value over the issue's values.

        The base version evaluates every value, so it needs a discrete issue
        (``OutcomeSpaceError`` otherwise); the affine family is exact on any
        numeric issue.
        """
        if not issue.is_discrete:
            raise OutcomeSpaceError(
                f"issue {issue.name!r}: {type(self).__name__} cannot be bounded over a "
                "continuous issue; discretize it first"
            )
        values = [float(self(v)) for v in issue.all_values]
        return min(values), max(values)

    def _candidates(self, issue: Issue) -> list[Any] | None:
        """Issue values among which the extremes over ``issue`` lie, when known.

        ``None`` when only evaluating every value finds them. A linear-additive
        function reads this to bound itself over a continuous issue.
        """
        return None

    def min(self, issue: Issue) -> float:
        """The lowest value over the issue (``minmax(issue)[0]``)."""
        return self.minmax(issue)[0]

    def max(self, issue: Issue) -> float:
        """The highest value over the issue (``minmax(issue)[1]``)."""
        return self.minmax(issue)[1]

    def shift_by(self, offset: float) -> BaseFun:
        """A new function giving ``f(x) + offset``."""
        return LambdaFun(self, bias=offset)

    def scale_by(self, scale: float) -> BaseFun:
        """A new function giving ``f(x) * scale``."""
        return LambdaFun(_Scaled(self, check_real("scale", scale)))

    def to_table(self, issue: Issue) -> TableFun:
        """The same function as a table over the values of a discrete issue."""
        if not issue.is_discrete:
            raise OutcomeSpaceError(
                f"issue {issue.name!r} is continuous: only a discrete issue can be tabulated"
            )
        return TableFun({v: float(self(v)) for v in issue.all_values})

    def xml(self, indx: int, issue: Issue, bias: float = 0.0) -> str:
        """The function as a Genius XML ``<issue>`` element (``indx`` counts from 0).

        A discrete issue is written as a table (an ``<item>`` per value, its
        evaluation ``f(value) + bias``); Genius has no evaluator for most
        functions over a continuous issue (``NotImplementedError``).
        """
        if not issue.is_discrete:
            raise NotImplementedError(
                f"issue {issue.name!r}: Genius XML has no evaluator for a {type(self).__name__} "
                "over a continuous issue; discretize it first"
            )
        return table_xml(self, indx, issue, bias)

    def to_dict(self) -> dict[str, Any]:
        """The function as a dict of plain data: ``type`` (the class name) and its fields.

        Tuples become lists, so that the dict can be written as JSON or YAML.
        """
        return fields_dict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> BaseFun:
        """The function a :meth:`to_dict` dict describes."""
        return from_fields(cls, d)


def fields_dict(fun: object) -> dict[str, Any]:
    """``{"type": <class name>, **public fields as plain data}``: a value function's ``to_dict``."""
    fields = {k: plain(v) for k, v in vars(fun).items() if not k.startswith("_")}
    return {"type": type(fun).__name__, **fields}


def dict_of(cls_name: str, d: object, required: tuple[str, ...] = ()) -> dict[str, Any]:
    """A copy of ``d``, a ``to_dict`` dict of class ``cls_name``, without its ``type``.

    ``TypeError`` when it is not a dict, ``ValueError`` when it is another class's
    or lacks a ``required`` key (a damaged file read back gave a bare ``KeyError``
    or "object is not iterable").
    """
    if not isinstance(d, Mapping):
        raise TypeError(
            f"{cls_name}.from_dict needs a dict (from to_dict()), got {d!r:.80} "
            f"({type(d).__name__})"
        )
    data = dict(d)
    name = data.pop("type", cls_name)
    if name != cls_name:
        raise ValueError(f"{cls_name}.from_dict got a dict of a {name!r}")
    missing = [k for k in required if k not in data]
    if missing:
        raise ValueError(
            f"{cls_name}.from_dict: the dict has no {missing} (its keys: {sorted(map(str, data))})"
        )
    return data


def from_fields(cls: type[T], d: Mapping[str, Any]) -> T:
    """``cls`` built from a :func:`fields_dict` dict (``ValueError`` for another class's)."""
    return cls(**dict_of(cls.__name__, d))


def _attr(value: Any) -> str:
    return quoteattr(str(value))


def table_xml(f: Callable[[Any], float], indx: int, issue: Issue, bias: float = 0.0) -> str:
    """A Genius ``<issue>`` listing ``f(value) + bias`` for each value of a discrete issue."""
    if isinstance(issue, IntegerIssue):
        vtype = "integer"
    elif all(isinstance(v, float) for v in issue.all_values):
        vtype = "real"
    else:
        vtype = "discrete"
    head = (
        f'<issue index="{indx + 1}" etype="discrete" type="discrete" vtype="{vtype}" '
        f"name={_attr(issue.name)}>\n"
    )
    items = "".join(
        f'    <item index="{i + 1}" value={_attr(v)} evaluation="{f(v) + bias}" />\n'
        for i, v in enumerate(issue.all_values)
    )
    return head + items + "</issue>\n"


def _hashable(value: Any) -> Any:
    """A value read back from plain data, lists made tuples again (issue values are hashable)."""
    return tuple(_hashable(v) for v in value) if isinstance(value, list) else value


def plain(value: Any) -> Any:
    """``value`` as plain data: tuples as lists, value functions as their ``to_dict``."""
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, type):
        return to_dict()
    return value


def _bounds(issue: Issue) -> tuple[float, float]:
    if not issue.is_numeric:
        raise OutcomeSpaceError(
            f"issue {issue.name!r} is not numeric: an affine value function needs numbers"
        )
    return issue.numeric_bounds()


@dataclass(frozen=True)
class AffineFun(BaseFun):
    """``slope * x + bias``."""

    slope: float
    bias: float = 0.0

    def __post_init__(self) -> None:
        check_real("slope", self.slope)
        check_real("bias", self.bias)

    def __call__(self, x: Any) -> float:
        return float(self.slope * x + self.bias)

    def minmax(self, issue: Issue) -> tuple[float, float]:
        """Exact on any numeric issue: the values at its two ends."""
        lo, hi = _bounds(issue)
        a, b = self(lo), self(hi)
        return (a, b) if a <= b else (b, a)

    def _candidates(self, issue: Issue) -> list[Any] | None:
        # Monotone: the extremes are at the issue's two ends.
        return [issue.from_numeric(x) for x in _bounds(issue)]

    def xml(self, indx: int, issue: Issue, bias: float = 0.0) -> str:
        """A Genius ``<issue>``: a linear evaluator over a continuous issue, else a table."""
        if issue.is_discrete:
            return table_xml(self, indx, issue, bias)
        return (
            f'<issue index="{indx + 1}" etype="real" type="real" vtype="real" '
            f"name={_attr(issue.name)}>\n"
            f'    <evaluator ftype="linear" parameter0="{bias + self.bias}" '
            f'parameter1="{self.slope}"></evaluator>\n</issue>\n'
        )

    def shift_by(self, offset: float) -> AffineFun:
        """``slope * x + bias + offset``."""
        return AffineFun(self.slope, self.bias + check_real("offset", offset))

    def scale_by(self, scale: float) -> AffineFun:
        """``scale * (slope * x + bias)``."""
        s = check_real("scale", scale)
        return AffineFun(self.slope * s, self.bias * s)


@dataclass(frozen=True)
class LinearFun(AffineFun):
    """``slope * x`` (an :class:`AffineFun` with no bias)."""

    slope: float
    bias: float = field(default=0.0, init=False)

    def __call__(self, x: Any) -> float:
        return float(self.slope * x)

    def scale_by(self, scale: float) -> LinearFun:
        """``scale * slope * x``."""
        return LinearFun(self.slope * check_real("scale", scale))

    def to_dict(self) -> dict[str, Any]:
        """``type`` and ``slope``."""
        return {"type": "LinearFun", "slope": self.slope}


@dataclass(frozen=True)
class IdentityFun(LinearFun):
    """``x`` itself (a :class:`LinearFun` of slope 1)."""

    slope: float = field(default=1.0, init=False)

    def __call__(self, x: Any) -> float:
        return x  # type: ignore[no-any-return]

    def to_dict(self) -> dict[str, Any]:
        """Only ``type``: the identity has no parameters."""
        return {"type": "IdentityFun"}


@dataclass(frozen=True)
class ConstFun(BaseFun):
    """``bias`` whatever the value."""

    bias: float

    def __post_init__(self) -> None:
        check_real("bias", self.bias)

    def __call__(self, x: Any) -> float:
        return self.bias

    def minmax(self, issue: Issue) -> tuple[float, float]:
        """``(bias, bias)`` on any issue."""
        return self.bias, self.bias

    def _candidates(self, issue: Issue) -> list[Any] | None:
        return [issue.from_numeric(x) for x in issue.numeric_bounds()]

    def xml(self, indx: int, issue: Issue, bias: float = 0.0) -> str:
        """As an :class:`AffineFun` of slope 0."""
        return AffineFun(0.0, self.bias).xml(indx, issue, bias)

    def shift_by(self, offset: float) -> ConstFun:
        """``bias + offset``."""
        return ConstFun(self.bias + check_real("offset", offset))

    def scale_by(self, scale: float) -> ConstFun:
        """``bias * scale``."""
        return ConstFun(self.bias * check_real("scale", scale))


@dataclass(frozen=True)
class TableFun(BaseFun):
    """A number per issue value, read from ``mapping`` (``KeyError`` for a value it lacks).

    ``mapping`` is a dict, or a list of ``[value, number]`` pairs: the form
    ``to_dict`` writes when some value is not a string, since JSON would turn
    such keys into strings.
    """

    mapping: Mapping[Any, float]

    def __post_init__(self) -> None:
        given: Any = self.mapping
        if isinstance(given, list):
            if not all(isinstance(p, list | tuple) and len(p) == 2 for p in given):
                raise TypeError(f"TableFun needs [value, number] pairs, got {given!r}")
            given = {_hashable(k): v for k, v in given}
        if not isinstance(given, Mapping):
            raise TypeError(f"TableFun needs a dict of value -> number, got {given!r}")
        object.__setattr__(
            self, "mapping", {k: check_real(f"mapping[{k!r}]", v) for k, v in given.items()}
        )

    def __call__(self, x: Any) -> float:
        return self.mapping[x]

    def __hash__(self) -> int:
        return hash(tuple(self.mapping.items()))

    def shift_by(self, offset: float) -> TableFun:
        """Every number plus ``offset``."""
        d = check_real("offset", offset)
        return TableFun({k: v + d for k, v in self.mapping.items()})

    def scale_by(self, scale: float) -> TableFun:
        """Every number times ``scale``."""
        s = check_real("scale", scale)
        return TableFun({k: v * s for k, v in self.mapping.items()})

    def to_dict(self) -> dict[str, Any]:
        """``type`` and ``mapping``: a dict when every value is a string, else
        ``[value, number]`` pairs (JSON keys can only be strings)."""
        if all(isinstance(k, str) for k in self.mapping):
            return {"type": "TableFun", "mapping": dict(self.mapping)}
        return {"type": "TableFun", "mapping": [[plain(k), v] for k, v in self.mapping.items()]}


@dataclass(frozen=True)
class LambdaFun(BaseFun):
    """``f(x) + bias`` for any callable ``f``.

    ``min_value`` / ``max_value``, when given, are what :meth:`minmax` reports
    (the callable's range cannot be computed on a continuous issue).
    Checkpoints pickle value functions: give a module-level function, not a lambda.
    """

    f: Callable[[Any], float]
    bias: float = 0.0
    min_value: float | None = None
    max_value: float | None = None

    def __post_init__(self) -> None:
        if not callable(self.f):
            raise TypeError(f"LambdaFun needs a callable, got {self.f!r}")
        check_real("bias", self.bias)

    def __call__(self, x: Any) -> float:
        return self.f(x) + self.bias

    def minmax(self, issue: Issue) -> tuple[float, float]:
        """``(min_value, max_value)`` when both are given, else over the issue's values."""
        if self.min_value is not None and self.max_value is not None:
            return self.min_value, self.max_value
        return super().minmax(issue)

    def shift_by(self, offset: float) -> LambdaFun:
        """The same callable with ``offset`` added to the bias."""
        d = check_real("offset", offset)
        lo, hi = self.min_value, self.max_value
        return LambdaFun(
            self.f, self.bias + d, None if lo is None else lo + d, None if hi is None else hi + d
        )

    def to_dict(self) -> dict[str, Any]:
        """Refused: a callable is not plain data."""
        raise TypeError("a LambdaFun holds a Python callable and cannot be made into plain data")


@dataclass(frozen=True)
class _Scaled:
    """``f(x) * scale``: a picklable product (no closure)."""

    f: Callable[[Any], float]
    scale: float

    def __call__(self, x: Any) -> float:
        return self.f(x) * self.scale

"""Palaver's own scenario format: one JSON file holding the whole scenario.

Unlike Genius XML and GeniusWeb JSON it keeps every scenario exactly (any
scale, bias, negative weights, integer and continuous issues, several
utility function kinds, names, info, discount factors)::

    {
      "format": "palaver.scenario", "version": 1,
      "name": "holiday", "info": {...},
      "issues": [
        {"name": "place", "type": "categorical", "values": ["beach", "city"]},
        {"name": "days", "type": "integer", "min": 1, "max": 14},
        {"name": "budget", "type": "continuous", "min": 0.0, "max": 1000.0},
        {"name": "share", "type": "discretized", "values": [0.0, 0.5, 1.0]}
      ],
      "ufuns": [
        {"name": "alice", "reserved_value": 0.2, "discount_factor": 1.0,
         "type": "linear_additive", "bias": 0.0, "weights": [0.5, 0.3, 0.1, 0.1],
         "values": [{"type": "table", "table": [["beach", 1.0], ["city", 0.4]]},
                    {"type": "identity"},
                    {"type": "linear", "slope": -0.001, "offset": 1.0},
                    {"type": "identity"}]},
        {"name": "bob", "reserved_value": "-inf", "type": "linear",
         "weights": [0.0, -1.0, 0.01, 2.0], "bias": 3.0},
        {"name": "carol", "reserved_value": 0.0, "type": "table", "default": null,
         "utilities": [[["beach", 1, 0.0, 0.0], 0.7], ...]}
      ]
    }

Values are JSON scalars (strings, numbers, booleans). A value function
``identity`` is the issue's numeric value (a categorical value's index); a
``table`` lists ``[value, number]`` pairs; ``linear`` is ``slope * x + offset``.
A ``table`` utility function lists ``[outcome, utility]`` pairs; with a
``default`` of ``null`` an outcome missing from it raises. A reserved value
may be the string ``"-inf"`` (no reservation). A ``hyperrectangles`` utility
function lists its boxes (see :mod:`.native_rectangles`). Utility functions of
other kinds (a callable, a user subclass) are written as a ``table`` over every
outcome, which needs a discrete space.
"""

from __future__ import annotations

import difflib
import itertools
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from palaver.outcomes import (
    CategoricalIssue,
    ContinuousIssue,
    DiscreteCardinalIssue,
    DiscretizedIssue,
    IntegerIssue,
    InvalidIssueError,
    Issue,
    OutcomeSpace,
)
from palaver.outcomes.base import is_finite_number
from palaver.preferences import (
    HyperRectangleUtilityFunction,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    UtilityFunction,
)
from palaver.scenarios.canonical import LinearValue
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.native_rectangles import KIND, read_rectangles, rectangles_json
from palaver.scenarios.transform import affine, unwrap

FORMAT = "palaver.scenario"
VERSION = 1
# A utility function of no known kind is tabulated over at most this many outcomes.
_MAX_TABLE = 1_000_000

# The keys each object of the format has (what the writers below write), by type.
_TOP_KEYS = frozenset({"format", "version", "name", "info", "issues", "ufuns"})
_ISSUE_KEYS = {
    "categorical": frozenset({"name", "type", "values"}),
    "discretized": frozenset({"name", "type", "values"}),
    "cardinal": frozenset({"name", "type", "values"}),
    "integer": frozenset({"name", "type", "min", "max"}),
    "continuous": frozenset({"name", "type", "min", "max"}),
}
_VALUE_KEYS = {
    "identity": frozenset({"type"}),
    "linear": frozenset({"type", "slope", "offset"}),
    "table": frozenset({"type", "table"}),
}
_COMMON_UFUN_KEYS = frozenset({"name", "type", "reserved_value", "discount_factor"})
_UFUN_KEYS = {
    "linear_additive": frozenset({"weights", "bias", "values"}),
    "linear": frozenset({"weights", "bias"}),
    "table": frozenset({"utilities", "default"}),
    KIND: frozenset({"max_utility", "group"}),
}


def _scalar(v: Any, where: str) -> Any:
    if v is None or isinstance(v, str | bool | int) or (isinstance(v, float) and math.isfinite(v)):
        return v
    raise ScenarioError(f"{where}: value {v!r} cannot be written to JSON (use str, int, float)")


def _real(x: float) -> float | str:
    return x if math.isfinite(x) else "-inf"


def issue_json(issue: Issue) -> dict[str, Any]:
    """One issue as a JSON object."""
    where = f"issue {issue.name!r}"
    if isinstance(issue, IntegerIssue):
        return {
            "name": issue.name,
            "type": "integer",
            "min": issue.min_value,
            "max": issue.max_value,
        }
    if isinstance(issue, ContinuousIssue):
        return {
            "name": issue.name,
            "type": "continuous",
            "min": issue.min_value,
            "max": issue.max_value,
        }
    kind = (
        "discretized"
        if isinstance(issue, DiscretizedIssue)
        else "cardinal"
        if isinstance(issue, DiscreteCardinalIssue)
        else "categorical"
    )
    if not isinstance(issue, CategoricalIssue):
        raise ScenarioError(f"{where}: a {type(issue).__name__} has no JSON form")
    return {
        "name": issue.name,
        "type": kind,
        "values": [_scalar(v, where) for v in issue.all_values],
    }


def _value_fn_json(fn: Any, issue: Issue, who: str) -> dict[str, Any]:
    if fn is None:
        return {"type": "identity"}
    if isinstance(fn, LinearValue):
        return {"type": "linear", "slope": fn.slope, "offset": fn.offset}
    if issue.is_continuous:
        raise ScenarioError(
            f"{who}: issue {issue.name!r} is continuous and its value function is a "
            "callable; discretise the scenario before writing it"
        )
    f = fn.__getitem__ if isinstance(fn, Mapping) else fn
    where = f"{who}: issue {issue.name!r}"
    try:
        table = [[_scalar(v, where), float(f(v))] for v in issue.all_values]
    except (KeyError, TypeError, ValueError) as exc:
        raise ScenarioError(f"{where}: the value function fails on a value: {exc!r}") from None
    return {"type": "table", "table": table}


def ufun_json(
    ufun: UtilityFunction, space: OutcomeSpace, name: str, discount: float
) -> dict[str, Any]:
    """One utility function as a JSON object (exact for the known kinds)."""
    who = f"ufun {name!r}"
    if ufun.reserved_value == math.inf:
        raise ScenarioError(f"{who}: a reserved value of +inf cannot be written (only -inf)")
    out: dict[str, Any] = {"name": name, "reserved_value": _real(ufun.reserved_value)}
    out["discount_factor"] = discount
    inner, scale, shift = unwrap(ufun)
    concrete = inner if (scale, shift) == (1.0, 0.0) else affine(inner, scale, shift, space)
    if type(concrete) is LinearAdditiveUtilityFunction:
        fns = concrete.values
        out.update(type="linear_additive", bias=concrete.bias, weights=concrete.weights.tolist())
        out["values"] = [_value_fn_json(f, i, who) for f, i in zip(fns, space.issues, strict=True)]
        return out
    if type(concrete) is LinearUtilityFunction:
        out.update(type="linear", weights=concrete.weights.tolist(), bias=concrete.bias)
        return out
    if type(inner) is HyperRectangleUtilityFunction and (scale, shift) == (1.0, 0.0):
        out.update(rectangles_json(inner))
        return out
    pairs: Iterable[tuple[Any, float]]
    if type(concrete) is MappingUtilityFunction and isinstance(concrete.mapping, dict):
        pairs = concrete.mapping.items()
        default = concrete.default
    else:
        if space.cardinality > _MAX_TABLE:
            raise ScenarioError(
                f"{who}: a {type(inner).__name__} is written as a table of every outcome, "
                f"and the space has {space.cardinality} outcomes; discretise it"
            )
        outcomes = space.enumerate()
        pairs = zip(outcomes, ufun.eval_many(outcomes).tolist(), strict=True)
        default = None
    out.update(
        type="table",
        default=default,
        utilities=[[[_scalar(v, who) for v in o], float(u)] for o, u in pairs],
    )
    return out


def scenario_json(
    space: OutcomeSpace,
    ufuns: tuple[UtilityFunction, ...],
    names: tuple[str, ...],
    discounts: tuple[float, ...],
    name: str,
    info: dict[str, Any],
) -> dict[str, Any]:
    """A whole scenario as a JSON object."""
    try:
        json.dumps(info, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ScenarioError(f"scenario {name!r}: info cannot be written to JSON: {exc}") from None
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": name,
        "info": info,
        "issues": [issue_json(i) for i in space.issues],
        "ufuns": [
            ufun_json(u, space, n, d) for u, n, d in zip(ufuns, names, discounts, strict=True)
        ],
    }


class _Reader:
    """Reads one parsed file, naming the file and the JSON path in every error."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> ScenarioError:
        return ScenarioError(f"{self.path}: {where}: {message}")

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a JSON object, got {value!r}")
        return value

    def keys(self, d: dict[str, Any], allowed: Iterable[str], where: str) -> None:
        """Refuse a key the format does not have: a misspelled ``reserved_valu``
        would otherwise leave the reserved value at its default, silently."""
        known = sorted(allowed)
        for key in d:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise self.fail(f"{where}.{key}", f"unknown key; {hint}allowed: {known}")

    def list(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, got {value!r}")
        return value

    def real(self, value: Any, where: str, allow_inf: bool = False) -> float:
        if allow_inf and value == "-inf":
            return -math.inf
        if not isinstance(value, int | float) or not is_finite_number(value):
            expected = "a finite number or '-inf'" if allow_inf else "a finite number"
            raise self.fail(where, f"expected {expected}, got {value!r:.80}")
        return float(value)

    def issue(self, spec: Any, where: str) -> Issue:
        d = self.obj(spec, where)
        name, kind = d.get("name"), d.get("type")
        if isinstance(kind, str) and kind in _ISSUE_KEYS:  # an unhashable type is refused below
            self.keys(d, _ISSUE_KEYS[kind], where)
        try:
            if kind == "categorical":
                return CategoricalIssue(self.list(d.get("values"), f"{where}.values"), name)
            if kind == "discretized":
                return DiscretizedIssue(self.list(d.get("values"), f"{where}.values"), name)
            if kind == "cardinal":
                return DiscreteCardinalIssue(self.list(d.get("values"), f"{where}.values"), name)
            if kind == "integer":
                return IntegerIssue(d.get("min"), d.get("max"), name)  # type: ignore[arg-type]
            if kind == "continuous":
                return ContinuousIssue(d.get("min"), d.get("max"), name)  # type: ignore[arg-type]
        except InvalidIssueError as exc:
            raise self.fail(where, str(exc)) from None
        raise self.fail(
            f"{where}.type",
            f"{kind!r} is not one of categorical, discretized, cardinal, integer, continuous",
        )

    def value_fn(self, spec: Any, issue: Issue, where: str) -> Any:
        d = self.obj(spec, where)
        kind = d.get("type")
        if isinstance(kind, str) and kind in _VALUE_KEYS:  # an unhashable type is refused below
            self.keys(d, _VALUE_KEYS[kind], where)
        if kind == "identity":
            return None
        if kind == "linear":
            return LinearValue(self.real(d.get("slope"), f"{where}.slope"),
                               self.real(d.get("offset"), f"{where}.offset"))  # fmt: skip
        if kind == "table":
            if issue.is_continuous:  # its values cannot be listed, so no table covers them
                raise self.fail(
                    f"{where}.type",
                    f"a table cannot cover the continuous issue {issue.name!r}; use identity or "
                    "linear, or make the issue discretized",
                )
            table: dict[Any, float] = {}
            for k, pair in enumerate(self.list(d.get("table"), f"{where}.table")):
                if not isinstance(pair, list) or len(pair) != 2:
                    raise self.fail(
                        f"{where}.table[{k}]", f"expected [value, number], got {pair!r}"
                    )
                if pair[0] not in issue:
                    raise self.fail(
                        f"{where}.table[{k}]", f"{pair[0]!r} is not a value of issue {issue.name!r}"
                    )
                if pair[0] in table:
                    raise self.fail(
                        f"{where}.table[{k}]", f"{pair[0]!r} is listed twice; list each value once"
                    )
                table[pair[0]] = self.real(pair[1], f"{where}.table[{k}]")
            if len(table) < issue.cardinality:
                # The first few only: an integer issue may have 10**30 values.
                first = list(itertools.islice((v for v in issue.all_values if v not in table), 10))
                n_missing = issue.cardinality - len(table)
                more = f" ... ({n_missing} in all)" if n_missing > len(first) else ""
                raise self.fail(
                    f"{where}.table", f"value(s) {first}{more} of issue {issue.name!r} missing"
                )
            return table
        raise self.fail(f"{where}.type", f"{kind!r} is not one of identity, linear, table")

    def ufun(
        self, spec: Any, space: OutcomeSpace, where: str
    ) -> tuple[UtilityFunction, str, float]:
        d = self.obj(spec, where)
        name = d.get("name")
        if not isinstance(name, str) or not name:
            raise self.fail(f"{where}.name", f"expected a non-empty string, got {name!r}")
        rv = self.real(d.get("reserved_value", 0.0), f"{where}.reserved_value", allow_inf=True)
        discount = self.real(d.get("discount_factor", 1.0), f"{where}.discount_factor")
        kind = d.get("type")
        if isinstance(kind, str) and kind in _UFUN_KEYS:  # an unhashable type is refused below
            self.keys(d, _UFUN_KEYS[kind] | _COMMON_UFUN_KEYS, where)
        k = space.n_issues
        if kind in ("linear_additive", "linear"):
            weights = [
                self.real(w, f"{where}.weights[{j}]")
                for j, w in enumerate(self.list(d.get("weights"), f"{where}.weights"))
            ]
            if len(weights) != k:
                raise self.fail(f"{where}.weights", f"{len(weights)} weights for {k} issues")
            bias = self.real(d.get("bias", 0.0), f"{where}.bias")
            if kind == "linear":
                return LinearUtilityFunction(weights, bias, rv, space), name, discount
            specs = self.list(d.get("values"), f"{where}.values")
            if len(specs) != k:
                raise self.fail(f"{where}.values", f"{len(specs)} value functions for {k} issues")
            fns = [
                self.value_fn(s, i, f"{where}.values[{j}]")
                for j, (s, i) in enumerate(zip(specs, space.issues, strict=True))
            ]
            return LinearAdditiveUtilityFunction(fns, weights, bias, rv, space), name, discount
        if kind == "table":
            table: dict[tuple[Any, ...], float] = {}
            for j, pair in enumerate(self.list(d.get("utilities"), f"{where}.utilities")):
                at = f"{where}.utilities[{j}]"
                if not isinstance(pair, list) or len(pair) != 2 or not isinstance(pair[0], list):
                    raise self.fail(at, f"expected [outcome list, number], got {pair!r}")
                outcome = tuple(pair[0])
                if outcome not in space:
                    raise self.fail(at, f"{outcome!r} is not an outcome of the issues")
                if outcome in table:
                    raise self.fail(at, f"{outcome!r} is listed twice; list each outcome once")
                table[outcome] = self.real(pair[1], at)
            default = d.get("default")
            dv = None if default is None else self.real(default, f"{where}.default")
            return MappingUtilityFunction(table, dv, rv, space), name, discount
        if kind == KIND:
            return read_rectangles(self, d, space, rv, where), name, discount
        raise self.fail(
            f"{where}.type",
            f"{kind!r} is not one of linear_additive, linear, table, {KIND}",
        )


def read_scenario(path: Path, data: Any) -> dict[str, Any]:
    """The constructor arguments of :class:`Scenario` from a parsed native file."""
    r = _Reader(path)
    d = r.obj(data, "the file")
    r.keys(d, _TOP_KEYS, "the file")
    if d.get("format") != FORMAT:
        raise r.fail("format", f"expected {FORMAT!r}, got {d.get('format')!r}")
    # By type too: JSON's true equals 1 in Python, and 1.0 is not how it is written.
    if type(d.get("version")) is not int or d.get("version") != VERSION:
        raise r.fail(
            "version", f"version {d.get('version')!r} is not supported (this reads {VERSION})"
        )
    issues = [r.issue(s, f"issues[{j}]") for j, s in enumerate(r.list(d.get("issues"), "issues"))]
    try:
        space = OutcomeSpace(issues)
    except ValueError as exc:
        raise r.fail("issues", str(exc)) from None
    read = [r.ufun(s, space, f"ufuns[{j}]") for j, s in enumerate(r.list(d.get("ufuns"), "ufuns"))]
    name = d.get("name")
    if name is not None and not isinstance(name, str):
        raise r.fail("name", f"expected a string, got {name!r}")
    return {
        "outcome_space": space,
        "ufuns": [u for u, _, _ in read],
        "ufun_names": [n for _, n, _ in read],
        "discount_factors": [x for _, _, x in read],
        "name": name,
        "info": r.obj(d.get("info", {}), "info"),
    }


def is_native(data: Any) -> bool:
    """Whether parsed JSON is a Palaver scenario file."""
    return isinstance(data, dict) and data.get("format") == FORMAT

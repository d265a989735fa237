"""The Genius-style form of a linear-additive utility function, shared by the writers.

Genius XML and GeniusWeb JSON hold utility functions of one shape:
``u(o) = sum_j w_j * e_j(o_j)`` with weights ``w_j >= 0`` summing to one and
per-issue evaluations ``e_j`` in ``[0, 1]`` (a table for a discrete issue, a
line ``slope * x + offset`` for a numeric one). Any linear-additive utility
function ``u`` equals ``A + S * u_G`` for such a ``u_G`` and numbers ``A`` and
``S > 0`` (a positive affine map: same preferences, same Pareto, Nash and
Kalai outcomes). :func:`canonical` finds ``u_G``, ``A`` and ``S``; a function
already in that form comes back unchanged (``A = 0``, ``S = 1``), so files
read from Genius are written back as they were. For Genius XML, whose reader
takes weights as given, that form also allows non-negative weights with
another positive sum (ANAC profiles whose weights sum to 1.1 are written back so).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from palaver.outcomes import ContinuousIssue, IntegerIssue, Issue, OutcomeSpace
from palaver.preferences import (
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    UtilityFunction,
)
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.transform import unwrap

#: Discrete issues above this many values are not written as item tables.
MAX_TABLE_VALUES = 100_000
_TOL = 1e-9


@dataclass(frozen=True)
class LinearValue:
    """A value function ``slope * x + offset`` of a numeric issue's value ``x``.

    What Genius's linear evaluators and GeniusWeb's number utilities read as;
    kept as an object (rather than folded into weights) so that it is written
    back exactly.
    """

    slope: float
    offset: float

    def __call__(self, x: Any) -> float:
        """The value of ``x``."""
        return self.slope * float(x) + self.offset


@dataclass(frozen=True)
class IssuePart:
    """One issue of a canonical profile: its weight and evaluation."""

    issue: Issue
    weight: float
    table: dict[Any, float] | None = None
    linear: LinearValue | None = None


@dataclass(frozen=True)
class CanonicalProfile:
    """``u = shift + scale * sum_j parts[j].weight * e_j``, reserved value in that scale."""

    parts: tuple[IssuePart, ...]
    reserved_value: float
    shift: float
    scale: float


def _as_additive(
    ufun: UtilityFunction, space: OutcomeSpace, who: str
) -> tuple[LinearAdditiveUtilityFunction, float, float]:
    inner, scale, shift = unwrap(ufun)
    if type(inner) is LinearUtilityFunction:
        inner = LinearAdditiveUtilityFunction(
            [None] * space.n_issues, inner.weights, inner.bias, outcome_space=space
        )
    if not isinstance(inner, LinearAdditiveUtilityFunction):
        raise ScenarioError(
            f"{who}: a {type(inner).__name__} cannot be written as a linear-additive "
            "profile (Genius XML, GeniusWeb JSON hold only those); save the scenario "
            "with dumpas(folder, type='json') instead"
        )
    if inner.outcome_space != space:
        inner = LinearAdditiveUtilityFunction(
            list(inner.values), inner.weights, inner.bias, outcome_space=space
        )
    return inner, scale, shift


def _evaluator(fn: Any, issue: Issue) -> Callable[[Any], float]:
    if fn is None:
        return issue.to_numeric
    if isinstance(fn, Mapping):
        return fn.__getitem__
    return fn  # type: ignore[no-any-return]


def canonical(
    ufun: UtilityFunction,
    space: OutcomeSpace,
    who: str,
    divide_by_max: bool,
    tabulate: frozenset[int] = frozenset(),
) -> CanonicalProfile:
    """The Genius-style form of ``ufun`` over ``space``.

    ``divide_by_max`` is Genius XML's rule that a discrete issue's evaluations
    are divided by their maximum (GeniusWeb has no such rule); with it,
    non-negative weights are kept as given even when they do not sum to one
    (Genius reads them as given; GeniusWeb requires a sum of one). Issues at the
    positions in ``tabulate`` get a table even when their value function is
    linear. ``who`` names the utility function in errors.
    """
    la, outer_scale, outer_shift = _as_additive(ufun, space, who)
    raw: list[tuple[Issue, float, dict[Any, float] | None, LinearValue | None]] = []
    for j, (issue, fn, w) in enumerate(
        zip(space.issues, la.values, la.weights.tolist(), strict=True)
    ):
        numeric = isinstance(issue, IntegerIssue | ContinuousIssue) and j not in tabulate
        if numeric and (fn is None or isinstance(fn, LinearValue)):
            line = fn if isinstance(fn, LinearValue) else LinearValue(1.0, 0.0)
            raw.append((issue, w, None, line))
            continue
        if issue.is_continuous or issue.cardinality > MAX_TABLE_VALUES:
            raise ScenarioError(
                f"{who}: issue {issue.name!r} has a value function over {issue.cardinality} "
                "values that is not linear; discretise the scenario before writing it"
            )
        f = _evaluator(fn, issue)
        try:
            table = {v: float(f(v)) for v in issue.all_values}
        except (KeyError, TypeError, ValueError) as exc:
            raise ScenarioError(
                f"{who}: issue {issue.name!r}: the value function fails on a value: {exc!r}"
            ) from None
        on_line = _line_through(issue, table) if numeric else None
        raw.append((issue, w, None if on_line is not None else table, on_line))
    if _is_canonical(raw, la.bias, divide_by_max):
        parts = tuple(IssuePart(i, w, t, line) for i, w, t, line in raw)
        shift, scale = 0.0, 1.0
    else:
        parts, shift, scale = _rescaled(raw, la.bias)
    total_shift = outer_shift + outer_scale * shift
    total_scale = outer_scale * scale
    r = ufun.reserved_value
    reserved = (r - total_shift) / total_scale if math.isfinite(r) else r
    return CanonicalProfile(parts, reserved, total_shift, total_scale)


def _line_through(issue: Issue, table: dict[Any, float]) -> LinearValue | None:
    """The line an integer issue's table lies on, or None (not an integer issue, fewer
    than two values, or a value off the line).

    A value function given as a callable or a mapping (NegMAS's ``lambda x: x / 4``)
    is only a table to Palaver; when it is a line, it is written as one, so that
    the issue stays an integer issue in the file (a table makes it a discrete
    issue of text values, which reads back as strings).
    """
    if not isinstance(issue, IntegerIssue) or issue.cardinality < 2:
        return None
    values = list(issue.all_values)
    lo, hi = float(values[0]), float(values[-1])
    u_lo, u_hi = table[values[0]], table[values[-1]]
    slope = (u_hi - u_lo) / (hi - lo)
    line = LinearValue(slope, u_lo - slope * lo)
    tolerance = 1e-12 * max(1.0, abs(u_lo), abs(u_hi))
    if any(abs(line(v) - u) > tolerance for v, u in table.items()):
        return None
    return line


def _bounds(issue: Issue, line: LinearValue) -> tuple[float, float]:
    lo, hi = issue.numeric_bounds()
    a, b = line(lo), line(hi)
    return min(a, b), max(a, b)


def _is_canonical(
    raw: list[tuple[Issue, float, dict[Any, float] | None, LinearValue | None]],
    bias: float,
    divide_by_max: bool,
) -> bool:
    weights = [w for _, w, _, _ in raw]
    if abs(bias) > _TOL or min(weights) < 0 or sum(weights) <= 0:
        return False
    # Genius XML reads weights as given (some ANAC profiles sum to 1.1 or
    # 1.9), so a profile in that form is written back as it was; GeniusWeb
    # refuses weights that do not sum to one.
    if not divide_by_max and abs(sum(weights) - 1.0) > _TOL:
        return False
    for issue, _, table, line in raw:
        if table is not None:
            lo, hi = min(table.values()), max(table.values())
            if lo < -_TOL or hi > 1 + _TOL:
                return False
            if divide_by_max and hi > 0 and abs(hi - 1.0) > _TOL:
                return False
        else:
            assert line is not None
            lo, hi = _bounds(issue, line)
            if lo < -_TOL or hi > 1 + _TOL:
                return False
    return True


def _rescaled(
    raw: list[tuple[Issue, float, dict[Any, float] | None, LinearValue | None]], bias: float
) -> tuple[tuple[IssuePart, ...], float, float]:
    """Each issue's contribution mapped onto ``[0, 1]`` (max exactly 1), weights by span."""
    spans, pieces = [], []
    shift = bias
    for issue, w, table, line in raw:
        if table is not None:
            contrib = {v: w * x for v, x in table.items()}
            lo, hi = min(contrib.values()), max(contrib.values())
        else:
            assert line is not None
            lo, hi = (w * x for x in _bounds(issue, line))
            lo, hi = min(lo, hi), max(lo, hi)
        base = min(lo, 0.0)
        span = hi - base
        shift += base
        spans.append(span)
        pieces.append((issue, w, table, line, base, span))
    total = sum(spans)
    parts = []
    for issue, w, table, line, base, span in pieces:
        weight = span / total if total > 0 else 1.0 / len(pieces)
        div = span if span > 0 else 1.0
        if table is not None:
            new_table = {v: (w * x - base) / div if span > 0 else 0.0 for v, x in table.items()}
            parts.append(IssuePart(issue, weight, new_table, None))
        else:
            assert line is not None
            if span > 0:
                new = LinearValue(w * line.slope / div, (w * line.offset - base) / div)
            else:
                new = LinearValue(0.0, 0.0)
            parts.append(IssuePart(issue, weight, None, new))
    return tuple(parts), shift, total if total > 0 else 1.0


def additive_range(ufun: UtilityFunction, space: OutcomeSpace) -> tuple[float, float]:
    """The exact lowest and highest utility of a linear-additive ``ufun``, issue by issue.

    Works where ``minmax`` cannot: linear value functions on continuous issues
    (as Genius and GeniusWeb files give). Raises :class:`ScenarioError` for
    other kinds of utility functions.
    """
    profile = canonical(ufun, space, "ufun", divide_by_max=False)
    lo = hi = 0.0
    for part in profile.parts:
        if part.table is not None:
            a, b = min(part.table.values()), max(part.table.values())
        else:
            assert part.linear is not None
            a, b = _bounds(part.issue, part.linear)
        lo += part.weight * a
        hi += part.weight * b
    return profile.shift + profile.scale * lo, profile.shift + profile.scale * hi

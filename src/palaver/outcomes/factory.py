"""``make_issue``: build an issue from a short definition."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from numbers import Integral, Real
from typing import Any

from palaver.outcomes.base import Issue, is_finite_number, label
from palaver.outcomes.categorical import CategoricalIssue, DiscreteCardinalIssue
from palaver.outcomes.errors import InvalidIssueError
from palaver.outcomes.issues import ContiguousIssue, ContinuousIssue, IntegerIssue
from palaver.outcomes.refused import OptionalIssue


def make_issue(
    values: int | tuple[float, float] | Iterable[Hashable] | Issue, name: str | None = None
) -> Issue:
    """Build an issue from a short definition.

    - ``n`` (an int): the integers ``0..n-1``;
    - ``(lo, hi)`` with two ints: the integers ``lo..hi``, both included;
    - ``(lo, hi)`` with at least one float: the real interval ``[lo, hi]``;
    - a list (or any other non-tuple iterable) of finite numbers: a
      :class:`DiscreteCardinalIssue` (as in NegMAS: a value's number is the
      value itself, so a linear utility function reads 5 for the value 5);
    - a list of any other values: a categorical issue;
    - an :class:`Issue`: returned as is (renamed when ``name`` is given).

    ``name`` is optional; an outcome space names unnamed issues ``"i0"``,
    ``"i1"``, ... after their position. Raises :class:`InvalidIssueError`
    naming the issue and the value for anything else.
    """
    if isinstance(values, Issue):
        return values if name is None else values.with_name(name)
    if isinstance(values, bool | str | bytes | Mapping):
        raise InvalidIssueError(
            f"{label(name)}: cannot make an issue from {values!r}; give an int, "
            "a (lo, hi) tuple or a list of values"
        )
    if isinstance(values, Integral):
        if values < 1:
            raise InvalidIssueError(
                f"{label(name)}: make_issue(n) needs n >= 1 values, got {values!r}"
            )
        return IntegerIssue(0, int(values) - 1, name)
    if isinstance(values, tuple):
        return _from_bounds(values, name)
    if isinstance(values, Iterable):
        listed = tuple(values)
        # is_finite_number: math.isfinite raised OverflowError for an int past the
        # float range; such a list stays categorical, its integers exact.
        if listed and all(is_finite_number(v) for v in listed):
            return DiscreteCardinalIssue(listed, name)
        return CategoricalIssue(listed, name)
    raise InvalidIssueError(
        f"{label(name)}: cannot make an issue from {values!r}; give an int, "
        "a (lo, hi) tuple or a list of values"
    )


def _from_bounds(bounds: tuple[Any, ...], name: str | None) -> Issue:
    if len(bounds) != 2:
        raise InvalidIssueError(
            f"{label(name)}: a tuple must be (lo, hi), got {bounds!r}; "
            "use a list for categorical values"
        )
    lo, hi = bounds
    for bound in bounds:
        if isinstance(bound, bool) or not isinstance(bound, Real):
            raise InvalidIssueError(
                f"{label(name)}: bounds must be numbers, got {bound!r} in {bounds!r}"
            )
    if isinstance(lo, Integral) and isinstance(hi, Integral):
        return IntegerIssue(int(lo), int(hi), name)
    return ContinuousIssue(lo, hi, name)


def make_negmas_issue(
    values: int | tuple[float, float] | Iterable[Hashable] | Issue,
    name: str | None = None,
    optional: bool = False,
) -> Issue:
    """NegMAS's ``make_issue`` (``palaver.negmas.make_issue``): :func:`make_issue`,
    except that an integer range (``n`` or ``(lo, hi)`` of ints) is a
    :class:`~palaver.outcomes.ContiguousIssue`, as NegMAS makes it, whose
    ``values`` is NegMAS's ``(lo, hi)`` pair. It equals the
    :class:`IntegerIssue` that :func:`make_issue` makes. ``optional=True``
    (NegMAS's :class:`~palaver.outcomes.refused.OptionalIssue`) raises
    :class:`InvalidIssueError`: Palaver's issues always have a value."""
    if optional:
        OptionalIssue(values, name)
    made = make_issue(values, name)
    if type(made) is IntegerIssue:
        return ContiguousIssue((made.min_value, made.max_value), made.name)
    return made

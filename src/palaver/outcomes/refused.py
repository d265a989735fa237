"""NegMAS's issue kinds that Palaver does not make: infinite, callable and optional issues.

Palaver's issues are finite ranges or listed values, by design: every outcome
space can be counted, sampled and (discretized) enumerated, and every
utility function knows its range. NegMAS also has issues without bounds
(``CountableInfiniteIssue``, ``ContinuousInfiniteIssue``), issues whose
values come from calling a function (``CallableIssue``) and issues that may
be left out (``OptionalIssue``, a value or ``None``).

Their names are here so that NegMAS code importing them loads and type
checks against them work: no Palaver issue is an instance of one.
Constructing one raises :class:`~palaver.outcomes.InvalidIssueError` naming
what to use instead (a finite range, a list of values, a ``None`` value
listed in a categorical issue), as ``make_issue`` does for infinite bounds
and callables.
"""

from __future__ import annotations

from typing import Any, NoReturn

from palaver.outcomes.errors import InvalidIssueError

__all__ = [
    "CallableIssue",
    "ContinuousInfiniteIssue",
    "CountableInfiniteIssue",
    "InfiniteIssue",
    "OptionalIssue",
]


class _RefusedIssueKind:
    """A NegMAS issue kind Palaver does not make; ``_instead`` says what to use."""

    _instead = ""

    def __new__(cls, *args: Any, **kwargs: Any) -> NoReturn:
        raise InvalidIssueError(
            f"{cls.__name__}: Palaver's issues are finite ranges or listed values "
            f"(NegMAS's {cls.__name__} is not provided); {cls._instead}"
        )


class InfiniteIssue(_RefusedIssueKind):
    """NegMAS's mark of an issue with an infinite bound; no Palaver issue has one."""

    _instead = "give finite bounds: make_issue((lo, hi))"


class CountableInfiniteIssue(InfiniteIssue):
    """NegMAS's integer issue with an infinite bound; refused (use ``make_issue((lo, hi))``)."""


class ContinuousInfiniteIssue(InfiniteIssue):
    """NegMAS's real issue with an infinite bound; refused (use ``make_issue((lo, hi))``)."""

    _instead = "give finite bounds: make_issue((lo, hi)) with float bounds"


class CallableIssue(_RefusedIssueKind):
    """NegMAS's issue whose values come from calling a function; refused."""

    _instead = "list the values: make_issue([v1, v2, ...]), or give a range"


class OptionalIssue(_RefusedIssueKind):
    """NegMAS's issue whose value may be ``None`` (left out); refused."""

    _instead = "list None among the values of a categorical issue: make_issue([None, ...])"

"""NegMAS's functions over lists of issues and outcomes: counting, enumerating, sampling, checking.

``num_outcomes``, ``enumerate_discrete_issues``,
``discretize_and_enumerate_issues``, ``sample_outcomes``, ``sample_issues``,
``outcome2dict``, ``outcome_is_complete``, ``outcome_types_are_ok``,
``ensure_os`` and ``os_or_none``, with NegMAS's signatures. Draws come from
Python's global ``random``, as NegMAS's do (seed it with ``random.seed``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from palaver._util.checks import check_int, check_items
from palaver.outcomes.base import Issue
from palaver.outcomes.errors import OutcomeSpaceError
from palaver.outcomes.helpers import enumerate_issues, issue_names_of, issues_from_outcomes
from palaver.outcomes.space import Outcome, OutcomeSpace

__all__ = [
    "check_one_and_only",
    "check_one_at_most",
    "discretize_and_enumerate_issues",
    "ensure_os",
    "enumerate_discrete_issues",
    "num_outcomes",
    "os_or_none",
    "outcome2dict",
    "outcome_is_complete",
    "outcome_types_are_ok",
    "sample_issues",
    "sample_outcomes",
]


def _issues(issues: Iterable[Issue]) -> list[Issue]:
    found = check_items("issues", issues, "issues")
    for i, issue in enumerate(found):
        if not isinstance(issue, Issue):
            raise TypeError(f"issues[{i}] must be an Issue (see make_issue), got {issue!r:.80}")
    return list(found)


def num_outcomes(issues: Sequence[Issue]) -> int | float:
    """The number of outcomes of ``issues`` (``math.inf`` with a continuous one; 1 for none)."""
    return math.prod(issue.cardinality for issue in _issues(issues))


def enumerate_discrete_issues(issues: Sequence[Issue]) -> list[Outcome]:
    """Every outcome of the discrete ``issues``, in enumeration order
    (``OutcomeSpaceError`` for a continuous issue)."""
    return OutcomeSpace(_issues(issues)).enumerate()


def _discretized(issues: Sequence[Issue], levels: int) -> list[Issue]:
    return [issue.discretize(levels) if issue.is_continuous else issue for issue in issues]


def discretize_and_enumerate_issues(
    issues: Iterable[Issue],
    n_discretization: int | None = 10,
    max_cardinality: int | float | None = None,
) -> list[Outcome]:
    """The outcomes of ``issues`` with each continuous one discretized into
    ``n_discretization`` evenly spaced values; at most ``max_cardinality`` of
    them (a sample, as :func:`~palaver.outcomes.enumerate_issues` draws it)."""
    levels = check_int("n_discretization", 10 if n_discretization is None else n_discretization)
    return enumerate_issues(_discretized(_issues(issues), levels), max_cardinality)


def sample_outcomes(
    issues: Sequence[Issue],
    n_outcomes: int | None = None,
    min_per_dim: int = 5,
    expansion_policy: str | None = None,
) -> list[Outcome | None]:
    """Outcomes of ``issues``, continuous ones discretized (NegMAS's ``sample_outcomes``).

    Each continuous issue gets ``min_per_dim`` evenly spaced values, or more
    when ``n_outcomes`` asks for more (NegMAS's rule: ``(n_outcomes - the
    discrete issues' summed cardinalities) // the number of continuous
    issues``). Without ``n_outcomes``, or when that many or fewer outcomes
    exist, every outcome is returned, then, when fewer than ``n_outcomes``,
    ``expansion_policy`` ``"null"`` pads with ``None`` and ``"repeat"``
    repeats outcomes in order up to ``n_outcomes`` (``None`` / ``"no"``: no
    padding). Otherwise ``n_outcomes`` distinct outcomes are drawn, returned
    in enumeration order.
    """
    found = _issues(issues)
    per_dim = check_int("min_per_dim", min_per_dim, minimum=1)
    if expansion_policy not in (None, "no", "null", "repeat"):
        raise ValueError(
            f"expansion_policy must be None, 'no', 'null' or 'repeat', got {expansion_policy!r}"
        )
    n = None if n_outcomes is None else check_int("n_outcomes", n_outcomes, minimum=0)
    continuous = [issue for issue in found if issue.is_continuous]
    if continuous and n is not None:
        discrete_total = sum(int(issue.cardinality) for issue in found if issue.is_discrete)
        per_dim = max(per_dim, (n - discrete_total) // len(continuous))
    space = OutcomeSpace(_discretized(found, per_dim))
    total = int(space.cardinality)
    if n is None or total <= n:
        outcomes: list[Outcome | None] = list(space.enumerate())
        if n is None or total == n or expansion_policy in (None, "no"):
            return outcomes
        if expansion_policy == "null":
            return outcomes + [None] * (n - total)
        return [outcomes[i % total] for i in range(n)] if total else [None] * n
    chosen = sorted(random.sample(range(total), n))
    everything = space.enumerate()
    return [everything[i] for i in chosen]


def sample_issues(
    issues: Sequence[Issue],
    n_outcomes: int,
    with_replacement: bool = True,
    fail_if_not_enough: bool = True,
) -> list[Outcome]:
    """``n_outcomes`` outcomes of ``issues`` drawn uniformly (NegMAS's ``sample_issues``).

    Distinct unless ``with_replacement``; asked for more distinct outcomes
    than exist, all of them, or ``ValueError`` with ``fail_if_not_enough``.
    Draws come from Python's global ``random``.
    """
    space = OutcomeSpace(_issues(issues))
    count = check_int("n_outcomes", n_outcomes)
    return space.sample(
        count, with_replacement=with_replacement, fail_if_not_enough=fail_if_not_enough
    )


def outcome2dict(
    outcome: Outcome | Mapping[str, Any] | None, issues: Sequence[Issue | str]
) -> dict[str, Any] | None:
    """``outcome`` as a dict keyed by the issue names (NegMAS's ``outcome2dict``).

    ``issues`` are issues or their names; a dict is returned as it is and
    ``None`` stays ``None``. ``ValueError`` when the lengths differ.
    """
    if outcome is None:
        return None
    if isinstance(outcome, Mapping):
        return dict(outcome)
    names = issue_names_of(issues)
    if isinstance(outcome, str | bytes) or not isinstance(outcome, Iterable):
        raise TypeError(
            f"outcome must be a tuple, a list, a dict or None, got {outcome!r:.80} "
            f"({type(outcome).__name__})"
        )
    values = tuple(outcome)
    if len(values) != len(names):
        raise ValueError(
            f"outcome {values!r} has {len(values)} values for {len(names)} issues {names}"
        )
    return dict(zip(names, values, strict=True))


def _values_by_issue(
    outcome: Outcome | Mapping[str, Any], issues: Sequence[Issue]
) -> list[tuple[Any, Issue]] | None:
    if isinstance(outcome, Mapping):
        names = [str(i.name) for i in issues]
        if set(outcome) != set(names):
            return None
        return [(outcome[str(i.name)], i) for i in issues]
    values = tuple(outcome)
    if len(values) != len(issues):
        return None
    return list(zip(values, issues, strict=True))


def outcome_is_complete(outcome: Outcome | Mapping[str, Any], issues: Sequence[Issue]) -> bool:
    """Whether ``outcome`` gives a valid value for every one of ``issues`` and nothing else."""
    found = _issues(issues)
    if not isinstance(outcome, Mapping | Sequence) or isinstance(outcome, str | bytes):
        return False  # None, a number or a text is no outcome (as outcome_is_valid says)
    pairs = _values_by_issue(outcome, found)
    return pairs is not None and all(v in issue for v, issue in pairs)


def outcome_types_are_ok(outcome: Outcome | Mapping[str, Any], issues: Sequence[Issue]) -> bool:
    """Whether each value of ``outcome`` has its issue's type: an integer for an
    integer issue, a number for a continuous one, one of the listed values'
    types for a categorical one (NegMAS's ``outcome_types_are_ok``; an empty
    outcome or no issues is fine)."""
    found = _issues(issues)
    if not found or not outcome:
        return True
    pairs = _values_by_issue(outcome, found)
    if pairs is None:
        return False
    for v, issue in pairs:
        if issue.is_integer():
            if not isinstance(v, int) or isinstance(v, bool):
                return False
        elif issue.is_continuous:
            if not isinstance(v, int | float) or isinstance(v, bool):
                return False
        elif not any(type(v) is type(x) for x in issue.all_values):
            return False
    return True


def os_or_none(
    outcome_space: OutcomeSpace | None,
    issues: Sequence[Issue] | None,
    outcomes: Sequence[Outcome] | int | None,
) -> OutcomeSpace | None:
    """The outcome space given, else one over ``issues``, else one covering
    ``outcomes`` (a list, or a count ``n`` for ``(0,)``..``(n-1,)``), else ``None``
    (NegMAS's precedence)."""
    if outcome_space is not None:
        if not isinstance(outcome_space, OutcomeSpace):
            raise TypeError(
                f"outcome_space must be an OutcomeSpace or None, got {outcome_space!r:.80} "
                f"({type(outcome_space).__name__})"
            )
        return outcome_space
    if issues is not None:
        return OutcomeSpace(_issues(issues))
    if not outcomes:
        return None
    return OutcomeSpace(issues_from_outcomes(outcomes))


def ensure_os(
    outcome_space: OutcomeSpace | None,
    issues: Sequence[Issue] | None,
    outcomes: Sequence[Outcome] | int | None,
) -> OutcomeSpace:
    """:func:`os_or_none`, raising ``OutcomeSpaceError`` (a ``ValueError``) for nothing given."""
    space = os_or_none(outcome_space, issues, outcomes)
    if space is None:
        raise OutcomeSpaceError(
            "no outcome space: outcome_space, issues and outcomes are all None or empty"
        )
    return space


def _given(outcome_space: object, issues: object, outcomes: object) -> list[str]:
    # NegMAS's test: an empty list of issues or outcomes counts as not given.
    found = ["outcome_space"] if outcome_space is not None else []
    return found + [name for name, v in (("issues", issues), ("outcomes", outcomes)) if v]


def check_one_at_most(outcome_space: object, issues: object, outcomes: object) -> None:
    """``ValueError`` naming them when more than one of the three is given (NegMAS's)."""
    given = _given(outcome_space, issues, outcomes)
    if len(given) > 1:
        raise ValueError(f"give at most one of outcome_space, issues and outcomes, got {given}")


def check_one_and_only(outcome_space: object, issues: object, outcomes: object) -> None:
    """``ValueError`` unless exactly one of the three is given (NegMAS's)."""
    check_one_at_most(outcome_space, issues, outcomes)
    if not _given(outcome_space, issues, outcomes):
        raise ValueError("give one of outcome_space, issues and outcomes, got none")

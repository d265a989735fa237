"""Helpers that NegMAS-style code commonly uses, with Palaver's meanings.

``outcome_is_valid``, ``enumerate_issues``, ``generate_issues``,
``issues_from_outcomes``, ``dict2outcome`` and ``unique_name`` follow NegMAS's
documented signatures;
:func:`resolve_outcome_space` turns NegMAS's ``issues=`` / ``outcomes=``
keywords into an :class:`OutcomeSpace`.
"""

from __future__ import annotations

import functools
import inspect
import secrets
import socket
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np

from palaver._util.checks import check_bool, check_items
from palaver.outcomes.base import Issue, is_integer, is_number
from palaver.outcomes.errors import InvalidIssueError, OutcomeSpaceError
from palaver.outcomes.factory import make_issue
from palaver.outcomes.space import OutcomeSpace

__all__ = [
    "accept_space_keywords",
    "dict2outcome",
    "enumerate_issues",
    "generate_issues",
    "generate_values",
    "issues_from_outcomes",
    "outcome_is_valid",
    "resolve_outcome_space",
    "unique_name",
]


def issue_names_of(issues: Any) -> list[str]:
    """The names of ``issues``, given as issues or as issue names; ``TypeError``
    naming ``issues`` for anything else (a text would be read letter by letter,
    a number fail with "object is not iterable")."""
    names = []
    for i, issue in enumerate(check_items("issues", issues, "issues or issue names")):
        if isinstance(issue, str):
            names.append(issue)
        elif isinstance(issue, Issue):
            names.append(str(issue.name))
        else:
            raise TypeError(
                f"issues[{i}] must be an Issue or an issue name, got {issue!r:.80} "
                f"({type(issue).__name__})"
            )
    return names


def outcome_is_valid(outcome: tuple[Any, ...] | Mapping[str, Any], issues: Sequence[Issue]) -> bool:
    """Whether ``outcome`` is an outcome of ``issues``.

    A tuple (or list) needs one admissible value per issue, in issue order; a
    dict needs an admissible value for every issue name and no other key.
    """
    issues = check_items("issues", issues, "issues")
    for i, issue in enumerate(issues):
        if not isinstance(issue, Issue):
            raise TypeError(f"issues[{i}] must be an Issue (see make_issue), got {issue!r:.80}")
    if isinstance(outcome, Mapping):
        names = [str(i.name) for i in issues]
        if set(outcome) != set(names):
            return False
        values = [outcome[n] for n in names]
    elif isinstance(outcome, Sequence) and not isinstance(outcome, str | bytes):
        values = list(outcome)
    else:
        return False
    if len(values) != len(issues):
        return False
    return all(v in issue for v, issue in zip(values, issues, strict=True))


def enumerate_issues(
    issues: Sequence[Issue], max_cardinality: int | float | None = None, seed: int = 0
) -> list[tuple[Any, ...]]:
    """Every outcome of ``issues`` (discrete issues only), in enumeration order.

    With ``max_cardinality`` below the number of outcomes, that many distinct
    outcomes are drawn (with a generator seeded by ``seed``) and returned in
    enumeration order, as NegMAS returns a sample. Raises ``OutcomeSpaceError``
    for a continuous issue (discretise it first).
    """
    outcomes = OutcomeSpace(check_items("issues", issues, "issues")).enumerate()
    if max_cardinality is None or max_cardinality >= len(outcomes):
        return outcomes
    if max_cardinality < 0:
        raise ValueError(f"max_cardinality must be >= 0 or None; got {max_cardinality!r}")
    chosen = np.random.default_rng(seed).choice(len(outcomes), int(max_cardinality), replace=False)
    return [outcomes[i] for i in sorted(chosen.tolist())]


def generate_values(n: int) -> list[str]:
    """``n`` ordinal values as text: ``"0"`` .. ``str(n - 1)``, zero-padded to one
    width so that their text order is their numeric order (NegMAS's helper)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"generate_values: n must be a non-negative int, got {n!r}")
    width = len(str(n))
    return [f"{i:0{width}d}" for i in range(n)]


def generate_issues(
    params: Sequence[int | list[Any] | tuple[int, int] | tuple[float, float] | Callable[..., Any]],
    counts: Sequence[int] | None = None,
    names: Sequence[str] | None = None,
) -> tuple[Issue, ...]:
    """Issues made from short definitions (as :func:`make_issue` reads them).

    ``counts[i]`` repeats the ``i``-th definition; ``names`` names the issues
    (default ``"0"``, ``"1"``, ...). NegMAS's callable-valued issues do not
    exist in Palaver: a callable raises ``TypeError``.
    """
    params = check_items("params", params, "issue definitions")
    if counts is not None:
        counts = check_items("counts", counts, "counts")
    if names is not None:
        names = check_items("names", names, "names")
    if counts is None:
        counts = [1] * len(params)
    if len(counts) != len(params):
        raise ValueError(f"counts has {len(counts)} entries for {len(params)} params")
    expanded: list[Any] = []
    for p, n in zip(params, counts, strict=True):
        if callable(p):
            raise TypeError(
                f"generate_issues: {p!r} is callable; Palaver has no callable-valued issues "
                "(give an int, a (lo, hi) tuple or a list of values)"
            )
        expanded.extend([p] * int(n))
    if names is None:
        names = [str(i) for i in range(len(expanded))]
    if len(names) != len(expanded):
        raise ValueError(f"{len(names)} names for {len(expanded)} issues")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        # Refused here rather than by the outcome space made of them later.
        raise ValueError(f"names must be distinct: {repeated} appear more than once in {names}")
    return tuple(make_issue(p, name) for p, name in zip(expanded, names, strict=True))


def issues_from_outcomes(
    outcomes: Sequence[Sequence[Any]] | int,
    numeric_as_ranges: bool = True,
    issue_names: Sequence[str] | None = None,
) -> tuple[Issue, ...]:
    """Issues whose outcome space holds every outcome of ``outcomes`` (NegMAS's helper).

    ``outcomes`` is a list of outcome tuples (all of one length), or a number
    ``n``, standing for the one-issue outcomes ``(0,) .. (n - 1,)``. Each
    position becomes one issue: with ``numeric_as_ranges``, positions holding
    only integers become the integer range from their smallest to their
    largest value, and positions holding only numbers the continuous interval
    between them (a single number stays a list of one value); any other
    position lists its distinct values in the order they first appear.
    ``issue_names`` names the issues (default ``"0"``, ``"1"``, ...).
    """
    check_bool("numeric_as_ranges", numeric_as_ranges)
    if is_integer(outcomes):
        if int(outcomes) < 1:
            raise InvalidIssueError(
                f"outcomes must be a positive number or a list, got {outcomes!r}"
            )
        n = int(outcomes)
        # As ranges, the two ends give the issue every value gives: listing them all
        # never ended for a huge n.
        ends = numeric_as_ranges and n > 1
        rows: list[tuple[Any, ...]] = [(0,), (n - 1,)] if ends else [(i,) for i in range(n)]
    else:
        if isinstance(outcomes, str | bytes) or not isinstance(outcomes, Iterable):
            raise TypeError(
                "outcomes must be a list of outcome tuples or a positive number, "
                f"got {type(outcomes).__name__} {outcomes!r:.80}"
            )
        rows = []
        for k, o in enumerate(outcomes):
            if isinstance(o, str | bytes) or not isinstance(o, Iterable):
                raise TypeError(
                    f"outcomes[{k}] must be an outcome tuple, got {type(o).__name__} {o!r:.80}"
                )
            rows.append(tuple(o))
    if not rows:
        raise InvalidIssueError("outcomes is empty: there is nothing to make issues of")
    width = len(rows[0])
    if width == 0 or any(len(r) != width for r in rows):
        raise InvalidIssueError(
            f"outcomes must all have the same, positive number of values; got lengths "
            f"{sorted({len(r) for r in rows})}"
        )
    names = [str(i) for i in range(width)] if issue_names is None else list(issue_names)
    if len(names) != width:
        raise InvalidIssueError(
            f"issue_names must name {width} issues, got {len(names)}: {names!r}"
        )
    issues: list[Issue] = []
    for column, name in zip(zip(*rows, strict=True), names, strict=True):
        distinct = list(dict.fromkeys(column))
        if numeric_as_ranges and len(distinct) > 1 and all(is_number(v) for v in distinct):
            low, high = min(distinct), max(distinct)
            if all(is_integer(v) for v in distinct):
                issues.append(make_issue((int(low), int(high)), name))
            else:
                issues.append(make_issue((float(low), float(high)), name))
        else:
            issues.append(make_issue(distinct, name))
    return tuple(issues)


def dict2outcome(
    d: Mapping[str, Any] | Sequence[Any] | None, issues: Sequence[Issue | str]
) -> tuple[Any, ...] | None:
    """``d`` as an outcome tuple ordered by ``issues`` (issues or issue names).

    ``None`` stays ``None``; a tuple or list is returned as a tuple. A missing
    issue raises ``KeyError`` naming it.
    """
    if d is None:
        return None
    if not isinstance(d, Mapping):
        if isinstance(d, str | bytes) or not isinstance(d, Iterable):
            raise TypeError(
                f"an outcome must be a dict, a tuple, a list or None, got {d!r:.80} "
                f"({type(d).__name__})"
            )
        return tuple(d)
    keys = issue_names_of(issues)
    missing = [k for k in keys if k not in d]
    if missing:
        raise KeyError(f"outcome {dict(d)!r} has no value for issues {missing}")
    return tuple(d[k] for k in keys)


def unique_name(
    base: Any,
    add_time: bool = True,
    add_host: bool = False,
    rand_digits: int = 8,
    sep: str = "/",
) -> str:
    """A name that is unique with high probability: ``base``, ``sep``, then the
    time (``%Y%m%dH%H%M%S%f``), the host name and ``rand_digits`` random letters.

    With an empty ``base`` the separator is left out.
    """
    parts = []
    if add_time:
        parts.append(datetime.now().strftime("%Y%m%dH%H%M%S%f"))
    if add_host:
        parts.append(socket.gethostname())
    letters = string.ascii_letters + string.digits
    parts.append("".join(secrets.choice(letters) for _ in range(rand_digits)))
    tail = "".join(parts)
    base = str(base)
    return f"{base}{sep}{tail}" if base else tail


def resolve_outcome_space(
    outcome_space: OutcomeSpace | Sequence[Issue] | None = None,
    issues: Sequence[Issue] | None = None,
    outcomes: int | Sequence[tuple[Any, ...]] | None = None,
) -> OutcomeSpace | None:
    """The outcome space given by one of ``outcome_space``, ``issues`` or ``outcomes``.

    ``outcomes=n`` is one issue ``"0"`` with the values ``0..n-1`` (outcomes
    ``(0,)``, ``(1,)``, ...). ``outcomes=[...]`` must list a full cartesian
    product of per-position values (Palaver's outcome spaces are cartesian);
    any other list raises ``OutcomeSpaceError`` saying to pass ``issues=``.
    Giving more than one of the three raises ``ValueError``.
    """
    given = [x is not None for x in (outcome_space, issues, outcomes)]
    if sum(given) > 1:
        raise ValueError("give only one of outcome_space, issues and outcomes")
    if outcome_space is not None:
        if isinstance(outcome_space, OutcomeSpace):
            return outcome_space
        return OutcomeSpace(outcome_space)
    if issues is not None:
        return OutcomeSpace(check_items("issues", issues, "issues"))
    if outcomes is None:
        return None
    if is_integer(outcomes):
        if outcomes < 1:
            raise OutcomeSpaceError(
                f"outcomes must be a count >= 1 or a list of outcomes; got {outcomes!r}"
            )
        return OutcomeSpace([make_issue(int(outcomes), "0")])
    if isinstance(outcomes, bool | str | bytes | Mapping) or not isinstance(outcomes, Iterable):
        # A string or a dict would be iterated into one-letter outcomes or keys.
        raise OutcomeSpaceError(
            f"outcomes must be a count or a list of outcomes (tuples); got {outcomes!r:.80} "
            f"({type(outcomes).__name__})"
        )
    rows = []
    for o in outcomes:
        if isinstance(o, str | bytes | Mapping) or not isinstance(o, Iterable):
            raise OutcomeSpaceError(
                f"outcomes must list outcomes as tuples of values; got {o!r:.80} "
                f"({type(o).__name__}) in it"
            )
        rows.append(tuple(o))
    if not rows or len({len(r) for r in rows}) != 1:
        raise OutcomeSpaceError(f"outcomes= needs outcomes of one length; got {rows[:3]!r}...")
    columns = [list(dict.fromkeys(r[k] for r in rows)) for k in range(len(rows[0]))]
    space = OutcomeSpace([make_issue(c, str(k)) for k, c in enumerate(columns)])
    if len(set(rows)) != space.cardinality:
        raise OutcomeSpaceError(
            f"outcomes= lists {len(set(rows))} outcomes that are not a full cartesian product "
            "of their values; Palaver's outcome spaces are cartesian: pass issues= instead"
        )
    return space


def accept_space_keywords(cls: type) -> None:
    """Let ``cls(...)`` take NegMAS's ``issues=`` / ``outcomes=`` where it takes ``outcome_space=``.

    Called from ``__init_subclass__`` of utility functions and mechanisms. A
    keyword that the class's own ``__init__`` declares (or that it forwards
    through ``**kwargs`` to a base that handles it) is left alone.
    """
    init = cls.__dict__.get("__init__")
    if init is None or getattr(init, "_palaver_space_keywords", False):
        return
    parameters = inspect.signature(init).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return
    takes = [k for k in ("issues", "outcomes") if k not in parameters]
    if not takes:
        return
    has_space = "outcome_space" in parameters
    keywords = frozenset(takes)

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if keywords.isdisjoint(kwargs):
            init(self, *args, **kwargs)  # the common case: nothing to translate
            return
        picked = {k: kwargs.pop(k) for k in takes if k in kwargs}
        if not picked or all(v is None for v in picked.values()):
            init(self, *args, **kwargs)
            return
        space = resolve_outcome_space(
            kwargs.pop("outcome_space", None), picked.get("issues"), picked.get("outcomes")
        )
        if has_space:
            init(self, *args, outcome_space=space, **kwargs)
        else:
            init(self, *args, **kwargs)
            self.outcome_space = space

    __init__._palaver_space_keywords = True  # type: ignore[attr-defined]
    # The keywords it translates: a wrapper around it (preferences' name= and
    # stability=) calls the original directly when none is given.
    __init__._palaver_space_keywords_taken = tuple(takes)  # type: ignore[attr-defined]
    cls.__init__ = __init__  # type: ignore[misc]

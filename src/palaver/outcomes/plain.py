"""Issues as plain data (dicts of numbers, strings and lists) and back.

What a utility function's ``to_dict`` writes for its outcome space, so that
the dict can be saved as JSON or YAML and read back by ``from_dict``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from palaver.outcomes.base import Issue
from palaver.outcomes.categorical import CategoricalIssue, DiscretizedIssue
from palaver.outcomes.issues import ContinuousIssue, IntegerIssue

__all__ = ["issue_from_plain", "issue_to_plain", "issues_from_plain", "issues_to_plain"]


def issue_to_plain(issue: Issue) -> dict[str, Any]:
    """``{"name", "type", ...}``: ``min``/``max`` for an integer or continuous
    issue, ``values`` for a categorical or discretized one."""
    if isinstance(issue, IntegerIssue | ContinuousIssue):
        kind = "integer" if isinstance(issue, IntegerIssue) else "continuous"
        return {"name": issue.name, "type": kind, "min": issue.min_value, "max": issue.max_value}
    if isinstance(issue, CategoricalIssue):
        kind = "discretized" if isinstance(issue, DiscretizedIssue) else "categorical"
        return {"name": issue.name, "type": kind, "values": list(issue.all_values)}
    raise TypeError(f"issue {issue.name!r}: a {type(issue).__name__} has no plain-data form")


def issue_from_plain(d: Mapping[str, Any]) -> Issue:
    """The issue an :func:`issue_to_plain` dict describes."""
    kind, name = d.get("type"), d.get("name")
    if kind == "integer":
        return IntegerIssue(d["min"], d["max"], name)
    if kind == "continuous":
        return ContinuousIssue(d["min"], d["max"], name)
    if kind == "categorical":
        return CategoricalIssue(list(d["values"]), name)
    if kind == "discretized":
        return DiscretizedIssue(list(d["values"]), name)
    raise ValueError(
        f"issue type {kind!r} is not one of integer, continuous, categorical, discretized"
    )


def issues_to_plain(issues: Iterable[Issue]) -> list[dict[str, Any]]:
    """Each issue as :func:`issue_to_plain` gives it."""
    return [issue_to_plain(i) for i in issues]


def issues_from_plain(items: Iterable[Mapping[str, Any]]) -> list[Issue]:
    """The issues :func:`issues_to_plain` wrote."""
    return [issue_from_plain(d) for d in items]

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


_KEYS = {"integer": ("min", "max"), "continuous": ("min", "max"), "categorical": ("values",)}
_KEYS["discretized"] = _KEYS["categorical"]


def issue_from_plain(d: Mapping[str, Any]) -> Issue:
    """The issue an :func:`issue_to_plain` dict describes (``ValueError`` naming what
    is wrong with a damaged one: a bare ``KeyError`` or "object is not iterable" before)."""
    if not isinstance(d, Mapping):
        raise ValueError(f"an issue must be a dict (from issue_to_plain), got {d!r:.80}")
    kind, name = d.get("type"), d.get("name")
    if not isinstance(kind, str) or kind not in _KEYS:
        raise ValueError(
            f"issue type {kind!r} is not one of integer, continuous, categorical, discretized"
        )
    missing = [k for k in _KEYS[kind] if k not in d]
    if missing:
        raise ValueError(f"an issue of type {kind!r} needs {missing}, got {dict(d)!r:.120}")
    if kind == "integer":
        return IntegerIssue(d["min"], d["max"], name)
    if kind == "continuous":
        return ContinuousIssue(d["min"], d["max"], name)
    values = d["values"]
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise ValueError(
            f"the values of an issue of type {kind!r} must be a list, got {values!r:.80}"
        )
    if kind == "categorical":
        return CategoricalIssue(list(values), name)
    return DiscretizedIssue(list(values), name)


def issues_to_plain(issues: Iterable[Issue]) -> list[dict[str, Any]]:
    """Each issue as :func:`issue_to_plain` gives it."""
    return [issue_to_plain(i) for i in issues]


def issues_from_plain(items: Iterable[Mapping[str, Any]]) -> list[Issue]:
    """The issues :func:`issues_to_plain` wrote."""
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Iterable):
        raise ValueError(f"issues must be a list of issue dicts, got {items!r:.80}")
    return [issue_from_plain(d) for d in items]

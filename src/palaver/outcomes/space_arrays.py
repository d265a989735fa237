"""Outcomes as numeric arrays and back, for :class:`~palaver.outcomes.OutcomeSpace`'s
:meth:`~palaver.outcomes.OutcomeSpace.to_array` and
:meth:`~palaver.outcomes.OutcomeSpace.from_array`: one row per outcome, one
column of ``Issue.to_numeric`` values per issue. Kept apart from the space,
which holds its issues, membership and enumeration.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver.outcomes.categorical import DiscreteCardinalIssue
from palaver.outcomes.errors import OutcomeSpaceError
from palaver.outcomes.issues import IntegerIssue

if TYPE_CHECKING:
    from palaver.outcomes.space import Outcome, OutcomeSpace


def to_array(
    space: OutcomeSpace, outcomes: Iterable[Outcome | Mapping[str, Any]], numeric: bool
) -> np.ndarray:
    """``space.to_array(outcomes)``, ``numeric`` telling whether every issue is
    numeric: see :meth:`~palaver.outcomes.OutcomeSpace.to_array`."""
    issues = space.issues
    k = len(issues)
    if isinstance(outcomes, np.ndarray):
        arr = np.asarray(outcomes, dtype=float)
        if arr.ndim != 2 or arr.shape[1] != k:
            raise OutcomeSpaceError(f"expected an array of shape (n, {k}), got {arr.shape}")
        return arr
    rows: list[Any] = outcomes if isinstance(outcomes, list) else list(outcomes)
    if not rows:
        return np.empty((0, k))
    # Whole-list checks are far cheaper than per-row ones on this hot path.
    if set(map(type, rows)) != {tuple}:
        rows = [o if type(o) is tuple else space.to_tuple(o) for o in rows]
    if set(map(len, rows)) != {k}:
        raise _shape_error(issues, rows, None)
    if not k:
        return np.empty((len(rows), 0))
    if numeric:
        try:
            flat = itertools.chain.from_iterable(rows)
            return np.fromiter(flat, dtype=float, count=len(rows) * k).reshape(-1, k)
        except (ValueError, TypeError) as exc:
            raise _shape_error(issues, rows, exc) from None
    arr = np.empty((len(rows), k))
    for j, issue in enumerate(issues):
        arr[:, j] = issue.to_numeric_many([o[j] for o in rows])
    return arr


def _shape_error(
    issues: Sequence[Any], rows: Sequence[Any], exc: Exception | None
) -> OutcomeSpaceError:
    """The error naming the first row of ``rows`` that is not an outcome of numbers."""
    for o in rows:
        if len(o) != len(issues):
            return OutcomeSpaceError(f"outcome {o!r} has {len(o)} values, expected {len(issues)}")
        for v, issue in zip(o, issues, strict=True):
            try:
                float(v)
            except (TypeError, ValueError):
                return OutcomeSpaceError(f"issue {issue.name!r}: {v!r} is not a number")
    return OutcomeSpaceError(f"cannot convert outcomes to an array: {exc}")


def from_array(space: OutcomeSpace, array: np.ndarray) -> list[Outcome]:
    """``space.from_array(array)``: see :meth:`~palaver.outcomes.OutcomeSpace.from_array`."""
    issues = space.issues
    arr = np.asarray(array, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != len(issues):
        raise OutcomeSpaceError(f"expected an array of shape (n, {len(issues)}), got {arr.shape}")
    if not issues:
        return [()] * len(arr)
    finite = np.isfinite(arr)
    if not finite.all():
        # NaN became the integer -2**63 (an outcome of no issue), silently.
        row, at = (int(k) for k in np.argwhere(~finite)[0])
        raise OutcomeSpaceError(
            f"array row {row} holds {arr[row, at]} for issue "
            f"{issues[at].name!r}: an outcome's values are finite numbers"
        )
    columns = []
    for j, issue in enumerate(issues):
        col = arr[:, j]
        if isinstance(issue, IntegerIssue):
            columns.append(np.rint(col).astype(np.int64).tolist())
        elif issue.is_numeric and not isinstance(issue, DiscreteCardinalIssue):
            columns.append(col.tolist())
        else:
            vals = issue.all_values
            columns.append([vals[i] for i in issue.indices(col).tolist()])
    return list(zip(*columns, strict=True))

"""NegMAS's infinite, callable and optional issue kinds: names that import, refused when made."""

from __future__ import annotations

import pytest

from palaver import make_issue
from palaver.negmas import make_issue as negmas_make_issue
from palaver.outcomes import (
    CallableIssue,
    ContinuousInfiniteIssue,
    CountableInfiniteIssue,
    InfiniteIssue,
    InvalidIssueError,
    OptionalIssue,
)


@pytest.mark.parametrize(
    ("kind", "hint"),
    [
        (CountableInfiniteIssue, "finite bounds"),
        (ContinuousInfiniteIssue, "float bounds"),
        (InfiniteIssue, "finite bounds"),
        (CallableIssue, "list the values"),
        (OptionalIssue, "None among the values"),
    ],
)
def test_making_one_is_refused_with_what_to_use_instead(kind: type, hint: str) -> None:
    with pytest.raises(InvalidIssueError, match=kind.__name__) as caught:
        kind((0, 10), name="x")
    assert hint in str(caught.value)


def test_no_palaver_issue_is_one_of_them() -> None:
    for issue in (make_issue(5), make_issue((0.0, 1.0)), make_issue(["a", None])):
        for kind in (CountableInfiniteIssue, ContinuousInfiniteIssue, CallableIssue, OptionalIssue):
            assert not isinstance(issue, kind)
    assert issubclass(CountableInfiniteIssue, InfiniteIssue)
    assert issubclass(ContinuousInfiniteIssue, InfiniteIssue)


def test_make_issue_refuses_what_they_stand_for() -> None:
    with pytest.raises(InvalidIssueError, match="OptionalIssue"):
        negmas_make_issue((0, 5), optional=True)
    assert negmas_make_issue((0, 5), optional=False) == make_issue((0, 5))
    with pytest.raises(InvalidIssueError, match="finite"):
        negmas_make_issue((0, float("inf")))
    with pytest.raises(InvalidIssueError, match="cannot make an issue"):
        negmas_make_issue(lambda: 1)  # type: ignore[arg-type]


def test_negmas_module_paths_import_them() -> None:
    from palaver.negmas.outcomes import ContinuousInfiniteIssue as A
    from palaver.negmas.outcomes.callable_issue import CallableIssue as B
    from palaver.negmas.outcomes.infinite import CountableInfiniteIssue as C
    from palaver.negmas.outcomes.optional_issue import OptionalIssue as D

    assert (
        ContinuousInfiniteIssue,
        CallableIssue,
        CountableInfiniteIssue,
        OptionalIssue,
    ) == (A, B, C, D)

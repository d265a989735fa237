"""run_isolated_tasks names a malformed task before anything runs (review of session 20):
it was shipped to a worker and came back as if the task had raised."""

from __future__ import annotations

import operator
from typing import Any

import pytest

from palaver.tournaments import run_isolated_tasks


@pytest.mark.parametrize(
    ("task", "message"),
    [
        (("a", operator.add, (1, 2)), r"tasks\[1\] must be an \(info, fn, args, kwargs\) tuple"),
        (("a", "add", (1, 2), {}), r"tasks\[1\]: fn must be callable; got 'add'"),
        (("a", operator.add, 3, {}), r"tasks\[1\]: args must be a tuple or list; got 3"),
        (("a", operator.add, (1, 2), None), r"tasks\[1\]: kwargs must be a dict; got None"),
    ],
)
def test_a_malformed_task_is_named_and_nothing_runs(task: Any, message: str) -> None:
    seen: list[Any] = []
    with pytest.raises(TypeError, match=message):
        run_isolated_tasks(
            [("ok", operator.add, (1, 2), {}), task],
            max_workers=1,
            on_result=lambda *a: seen.append(a),
            on_error=lambda *a: seen.append(a),
        )
    assert seen == []

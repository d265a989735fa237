"""A SharedBudget's argument errors name SharedBudget, the class the user wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from palaver.llm import Budget, SharedBudget


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_tokens": -5}, r"SharedBudget\(max_tokens=\.\.\.\) must be .*got -5"),
        ({"max_tokens": 2.5}, r"SharedBudget\(max_tokens=\.\.\.\) must be an int"),
        ({}, r"SharedBudget needs max_tokens"),
        ({"max_tokens": 5, "name": ""}, r"SharedBudget\(name=\.\.\.\)"),
    ],
)
def test_shared_budget_errors_name_it(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SharedBudget(tmp_path / "budget.json", **kwargs)
    assert not (tmp_path / "budget.json").exists()


def test_budget_errors_still_name_budget() -> None:
    with pytest.raises(ValueError, match=r"^Budget\(max_usd=\.\.\.\)"):
        Budget(max_usd=-1.0)

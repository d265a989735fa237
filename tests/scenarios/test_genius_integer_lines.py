"""In Genius XML, an integer issue valued by a callable or mapping on a line stays an integer issue.

NegMAS scripts value integer issues with ``lambda x: x / 4``; written as a table,
the issue became a discrete issue of text values and read back as strings, so
the scenario read back could not evaluate ``(..., 2, ...)`` (a ``KeyError``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from palaver.negmas import LinearAdditiveUtilityFunction, Scenario, make_issue, make_os
from palaver.outcomes import CategoricalIssue, IntegerIssue


def _scenario(qty_values: object) -> Scenario:
    """Two parties in Genius's scale (weights summing to one, values in [0, 1])."""
    space = make_os([make_issue(["low", "high"], "price"), make_issue(5, "qty")])
    seller = LinearAdditiveUtilityFunction(
        values={"price": {"low": 0.0, "high": 1.0}, "qty": lambda x: x / 4},
        weights={"price": 0.5, "qty": 0.5},
        outcome_space=space,
    )
    buyer = LinearAdditiveUtilityFunction(
        values={"price": {"low": 1.0, "high": 0.0}, "qty": qty_values},
        weights={"price": 0.5, "qty": 0.5},
        outcome_space=space,
    )
    return Scenario(outcome_space=space, ufuns=(seller, buyer))


@pytest.mark.parametrize(
    "qty_values",
    [lambda x: 1 - x / 4, {0: 1.0, 1: 0.75, 2: 0.5, 3: 0.25, 4: 0.0}],
    ids=["callable", "mapping"],
)
def test_a_line_given_as_a_table_round_trips_as_an_integer_issue(
    tmp_path: Path, qty_values: object
) -> None:
    scenario = _scenario(qty_values)
    scenario.to_genius_folder(tmp_path)
    assert 'type="integer"' in (tmp_path / "domain.xml").read_text()
    again = Scenario.load(tmp_path)
    assert isinstance(again.outcome_space.issues[1], IntegerIssue)
    for outcome in scenario.outcome_space.enumerate():
        for before, after in zip(scenario.ufuns, again.ufuns, strict=True):
            assert after(outcome) == pytest.approx(before(outcome), abs=1e-12)


def test_a_table_off_a_line_is_still_written_as_text_values(tmp_path: Path) -> None:
    scenario = _scenario({0: 1.0, 1: 0.9, 2: 0.5, 3: 0.25, 4: 0.0})
    scenario.to_genius_folder(tmp_path)
    again = Scenario.load(tmp_path)
    assert isinstance(again.outcome_space.issues[1], CategoricalIssue)
    assert again.ufuns[1](("low", "1")) == pytest.approx(scenario.ufuns[1](("low", 1)))

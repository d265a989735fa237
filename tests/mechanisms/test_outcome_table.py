"""The shared outcome table used to validate offers."""

from __future__ import annotations

from palaver.mechanisms import OutcomeTable, outcome_table
from palaver.mechanisms.table import MAX_TABLE_SIZE
from palaver.outcomes import OutcomeSpace, make_issue


def test_table_indexes_every_outcome_and_is_shared() -> None:
    space = OutcomeSpace([make_issue(3, "a"), make_issue(["x", "y"], "b")])
    table = outcome_table(space)
    assert isinstance(table, OutcomeTable) and len(table) == 6
    assert table.outcomes == space.enumerate()
    assert all(table.index[o] == i for i, o in enumerate(table.outcomes))
    assert outcome_table(OutcomeSpace(list(space.issues))) is table


def test_no_table_for_continuous_or_huge_spaces() -> None:
    assert outcome_table(OutcomeSpace([make_issue((0.0, 1.0), "p")])) is None
    side = int(MAX_TABLE_SIZE**0.5) + 1
    assert outcome_table(OutcomeSpace([make_issue(side, "a"), make_issue(side, "b")])) is None

"""OutcomeSpace.from_xml_str: NegMAS's reading of a Genius domain given as text."""

from __future__ import annotations

from palaver import make_issue
from palaver.negmas import CartesianOutcomeSpace
from palaver.outcomes import OutcomeSpace
from palaver.scenarios import issues_to_xml_str


def test_reads_back_what_issues_to_xml_str_writes() -> None:
    issues = [make_issue(["Dell", "HP"], "brand"), make_issue((1, 3), "years")]
    space = OutcomeSpace.from_xml_str(issues_to_xml_str(issues), name="laptops")
    assert space.issue_names == ["brand", "years"]
    assert space.name == "laptops"
    assert space.cardinality == 6
    assert CartesianOutcomeSpace.from_xml_str(issues_to_xml_str(issues)) == space

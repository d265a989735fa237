"""NegMAS's issues_from_xml_str / issues_to_xml_str: Genius domain XML as text."""

from __future__ import annotations

import pytest

from palaver.outcomes import make_issue
from palaver.scenarios import ScenarioError, issues_from_xml_str, issues_to_xml_str


def test_issues_round_trip_through_xml_text() -> None:
    issues = [make_issue(5, "a"), make_issue(["x", "y"], "b"), make_issue((0.0, 2.0), "c")]
    text = issues_to_xml_str(issues)
    assert text.startswith("<negotiation_template>") and 'type="real"' in text
    back, agents = issues_from_xml_str(text)
    assert list(back) == issues and agents == ()
    discrete, _ = issues_from_xml_str(text, n_discretization=3)
    assert list(discrete[2].values) == [0.0, 1.0, 2.0] and discrete[0] == issues[0]


def test_agents_are_read_and_bad_text_is_refused_saying_why() -> None:
    text = issues_to_xml_str([make_issue(["p", "q"], "deal")]).replace(
        "</negotiation_template>",
        '<agent agent="A" class="x.Y" utility_file_name="a.xml" /></negotiation_template>',
    )
    issues, agents = issues_from_xml_str(text)
    assert [i.name for i in issues] == ["deal"]
    assert agents == ({"agent": "A", "class": "x.Y", "utility_file_name": "a.xml"},)
    with pytest.raises(ScenarioError, match="malformed XML"):
        issues_from_xml_str("<negotiation_template>")
    with pytest.raises(ScenarioError, match="expected <negotiation_template>"):
        issues_from_xml_str("<utility_space />")
    with pytest.raises(ValueError, match="safe_parsing=False is not supported"):
        issues_from_xml_str(text, safe_parsing=False)
    # ElementTree said only "a bytes-like object is required, not 'int'".
    for bad in (3, None, ["<a/>"]):
        with pytest.raises(TypeError, match=r"xml_str must be the XML text \(a str\), got "):
            issues_from_xml_str(bad)  # type: ignore[arg-type]


def test_outcome_space_from_and_to_xml_str() -> None:
    from palaver.outcomes import CartesianOutcomeSpace, OutcomeSpace

    issues = [make_issue(5, "a"), make_issue(["x", "y"], "b"), make_issue((0.0, 2.0), "c")]
    text = OutcomeSpace(issues).to_xml_str()
    assert text == issues_to_xml_str(issues)
    space = CartesianOutcomeSpace.from_xml_str(text, name="deal")
    assert isinstance(space, OutcomeSpace) and list(space.issues) == issues
    assert space.name == "deal"
    with pytest.raises(ValueError, match="safe_parsing=False is not supported"):
        OutcomeSpace.from_xml_str(text, safe_parsing=False)
    with pytest.raises(TypeError, match="xml_str must be the XML text"):
        OutcomeSpace.from_xml_str(3)  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match="malformed XML"):
        OutcomeSpace.from_xml_str("<negotiation_template>")

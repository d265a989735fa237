"""NegMAS's ``issues_from_xml_str`` and ``issues_to_xml_str``: Genius domain XML as text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from palaver._util.checks import check_bool
from palaver.outcomes import Issue, OutcomeSpace
from palaver.outcomes.xml_methods import register_domain_codec
from palaver.scenarios.genius import domain_from_xml_text
from palaver.scenarios.genius_write import domain_xml_text

__all__ = ["issues_from_xml_str", "issues_to_xml_str"]


def issues_from_xml_str(
    xml_str: str, safe_parsing: bool = True, n_discretization: int | None = None
) -> tuple[tuple[Issue, ...], tuple[dict[str, Any], ...]]:
    """The issues of a Genius domain given as XML text, and its ``<agent>`` entries.

    Returns ``(issues, agents)``: the issues in order, and the attributes of
    each ``<agent>`` element under the root (``agent``, ``class``,
    ``utility_file_name``), as NegMAS does. With ``n_discretization`` every
    continuous issue is discretized into that many values. The file is read
    as strictly as a domain file (``ScenarioError`` saying what is wrong);
    NegMAS's ``safe_parsing=False``, which reads looser files, is refused.
    """
    if not check_bool("safe_parsing", safe_parsing):
        raise ValueError(
            "safe_parsing=False is not supported: Palaver reads a domain strictly "
            "(errors name the element at fault)"
        )
    if not isinstance(xml_str, str | bytes):
        # ElementTree said only "a bytes-like object is required, not 'int'".
        raise TypeError(
            f"xml_str must be the XML text (a str), got {xml_str!r:.80} ({type(xml_str).__name__})"
        )
    space = domain_from_xml_text(xml_str)
    issues = space.issues
    if n_discretization is not None:
        issues = tuple(i.discretize(n_discretization) if i.is_continuous else i for i in issues)
    agents = tuple(dict(c.attrib) for c in ET.fromstring(xml_str) if c.tag == "agent")
    return issues, agents


def issues_to_xml_str(issues: Sequence[Issue]) -> str:
    """The Genius domain XML of ``issues`` (integer and real issues as ranges, the
    others as listed items), as text; :func:`issues_from_xml_str` reads it back."""
    return domain_xml_text(OutcomeSpace(issues))


def _domain_issues(text: str | bytes) -> tuple[Issue, ...]:
    if not isinstance(text, str | bytes):
        raise TypeError(f"xml_str must be the XML text (a str), got {type(text).__name__}")
    return domain_from_xml_text(text).issues


register_domain_codec(_domain_issues, issues_to_xml_str)

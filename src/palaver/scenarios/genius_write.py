"""Genius XML written: a domain file and one profile file per party (the
format :mod:`palaver.scenarios.genius` reads, described there)."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from palaver.outcomes import ContinuousIssue, IntegerIssue, Issue, OutcomeSpace
from palaver.preferences import UtilityFunction
from palaver.scenarios.canonical import CanonicalProfile, canonical
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.files import write_bytes


def _num(x: float) -> str:
    return "-Infinity" if x == -math.inf else repr(float(x))


def _issue_element(parent: ET.Element, index: int, issue: Issue, discrete: bool) -> ET.Element:
    kind = "discrete"
    if not discrete:
        kind = "integer" if isinstance(issue, IntegerIssue) else "real"
    attrs = {"index": str(index), "name": str(issue.name), "type": kind, "etype": kind}
    attrs["vtype"] = kind
    element = ET.SubElement(parent, "issue", attrs)
    if kind != "discrete":
        lo, hi = issue.numeric_bounds()
        text = (str(int(lo)), str(int(hi))) if kind == "integer" else (repr(lo), repr(hi))
        element.set("lowerbound", text[0])
        element.set("upperbound", text[1])
        ET.SubElement(element, "range", {"lowerbound": text[0], "upperbound": text[1]})
    return element


def domain_xml_text(space: OutcomeSpace, name: str = "root") -> str:
    """A Genius domain as XML text (NegMAS's ``issues_to_xml_str``): integer and
    real issues as ranges, the others as items (their values as text)."""
    root = ET.Element("negotiation_template")
    holder = ET.SubElement(root, "utility_space", {"number_of_issues": str(space.n_issues)})
    objective = _objective(holder, name)
    for j, issue in enumerate(space.issues):
        listed = not isinstance(issue, IntegerIssue | ContinuousIssue)
        element = _issue_element(objective, j + 1, issue, listed)
        if listed:
            for k, v in enumerate(issue.all_values, start=1):
                ET.SubElement(element, "item", {"index": str(k), "value": str(v)})
    ET.indent(root)
    return ET.tostring(root, encoding="unicode")


def _write(root: ET.Element, path: Path) -> None:
    ET.indent(root)
    write_bytes(path, ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _objective(parent: ET.Element, name: str) -> ET.Element:
    attrs = {"index": "0", "name": name, "type": "objective", "etype": "objective"}
    return ET.SubElement(parent, "objective", attrs)


def genius_profiles(
    space: OutcomeSpace, ufuns: Sequence[UtilityFunction], who: Sequence[str]
) -> tuple[list[CanonicalProfile], frozenset[int]]:
    """The Genius profiles of ``ufuns`` over ``space`` (``who`` names each in
    errors), and the positions of the issues written as items.

    Integer and real issues are written as such when every profile values
    them linearly; an integer issue that some profile values otherwise is
    written item by item in every profile. A reserved value of ``+inf`` is
    refused (:class:`ScenarioError`): Genius reads a number or ``-Infinity``
    (no reservation), and Palaver's reader refuses ``Infinity``.
    """
    for u, w in zip(ufuns, who, strict=True):
        if u.reserved_value == math.inf:
            # NegMAS writes the lowest utility instead: every outcome acceptable,
            # the opposite of a reserved value no outcome reaches.
            raise ScenarioError(
                f"{w}: a reserved value of +inf cannot be written in Genius XML (Genius "
                "reads a number, or -Infinity for no reservation); give a finite reserved "
                "value (one above every utility accepts no outcome)"
            )
    profiles = [canonical(u, space, w, True) for u, w in zip(ufuns, who, strict=True)]
    as_items = frozenset(
        j
        for j, issue in enumerate(space.issues)
        if not isinstance(issue, IntegerIssue | ContinuousIssue)
        or any(p.parts[j].table is not None for p in profiles)
    )
    numeric_tables = frozenset(j for j in as_items if isinstance(space.issues[j], IntegerIssue))
    if numeric_tables:
        profiles = [
            canonical(u, space, w, True, numeric_tables) for u, w in zip(ufuns, who, strict=True)
        ]
    return profiles, as_items


def write_scenario(
    space: OutcomeSpace,
    ufuns: Sequence[UtilityFunction],
    names: Sequence[str],
    discounts: Sequence[float],
    name: str,
    domain_path: Path,
    profile_paths: Sequence[Path],
) -> list[CanonicalProfile]:
    """Write a domain file and one profile file per utility function.

    Integer and real issues are written as such when every profile values
    them linearly; an integer issue that some profile values otherwise is
    written as a discrete issue (its values as text), in every file. Returns
    the profiles as written (see :func:`canonical`).
    """
    for issue in space.issues:
        if not isinstance(issue, IntegerIssue | ContinuousIssue):
            texts = [str(v) for v in issue.all_values]
            if len(set(texts)) != len(texts):
                raise ScenarioError(
                    f"issue {issue.name!r}: values {list(issue.all_values)} "
                    "are not distinct as text"
                )
    profiles, as_items = genius_profiles(space, ufuns, [f"ufun {n!r}" for n in names])
    root = ET.Element("negotiation_template")
    holder = ET.SubElement(root, "utility_space", {"number_of_issues": str(space.n_issues)})
    objective = _objective(holder, name)
    for j, issue in enumerate(space.issues):
        element = _issue_element(objective, j + 1, issue, j in as_items)
        if j in as_items:
            for k, v in enumerate(issue.all_values, start=1):
                ET.SubElement(element, "item", {"index": str(k), "value": str(v)})
    _write(root, domain_path)
    for profile, path, n, d in zip(profiles, profile_paths, names, discounts, strict=True):
        _write_profile(profile, path, n, d, as_items)
    return profiles


def _write_profile(
    profile: CanonicalProfile, path: Path, name: str, discount: float, as_items: frozenset[int]
) -> None:
    _write(profile_element(profile, name, discount, as_items), path)


def profile_element(
    profile: CanonicalProfile, name: str, discount: float | None, as_items: frozenset[int]
) -> ET.Element:
    """The ``<utility_space>`` element of a profile (no ``<discount_factor>``
    when ``discount`` is None); the issues at ``as_items`` are written as items."""
    root = ET.Element("utility_space")
    objective = _objective(root, name)
    for j, part in enumerate(profile.parts):
        element = _issue_element(objective, j + 1, part.issue, j in as_items)
        if part.table is not None:
            for k, v in enumerate(part.issue.all_values, start=1):
                attrs = {"index": str(k), "value": str(v), "evaluation": repr(part.table[v])}
                ET.SubElement(element, "item", attrs)
        else:
            assert part.linear is not None
            base = part.linear.offset
            if isinstance(part.issue, IntegerIssue):
                # Genius's integer evaluator counts from the lower bound.
                base += part.linear.slope * part.issue.numeric_bounds()[0]
            slope, offset = repr(part.linear.slope), repr(base)
            # Both spellings: Genius 8 reads slope/offset (integer issues)
            # and parameter1/parameter0 (real issues).
            attrs = {"ftype": "linear", "slope": slope, "offset": offset}
            attrs.update(parameter0=offset, parameter1=slope)
            ET.SubElement(element, "evaluator", attrs)
        ET.SubElement(objective, "weight", {"index": str(j + 1), "value": repr(part.weight)})
    ET.SubElement(root, "reservation", {"value": _num(profile.reserved_value)})
    if discount is not None:
        ET.SubElement(root, "discount_factor", {"value": repr(float(discount))})
    return root

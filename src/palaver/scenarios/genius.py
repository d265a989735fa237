"""Genius XML: a domain file and one profile file per party.

A **domain** file has the root ``<negotiation_template>`` holding
``<utility_space>``, then ``<objective>``, then one ``<issue>`` per issue:
``type="discrete"`` with ``<item value="...">`` children, ``type="integer"``
with ``lowerbound`` and ``upperbound`` (as attributes or on a ``<range>``
child), or ``type="real"`` with a ``<range lowerbound upperbound>``.

A **profile** file has the root ``<utility_space>``, with an ``<objective>``
holding each issue again (discrete items carry an ``evaluation``; integer and
real issues an ``<evaluator ftype="linear" slope offset>``, or the older
``parameter1`` (slope) and ``parameter0`` (offset), or ``ftype="constant"``
with ``parameter0``) and one ``<weight index value>`` per issue; then
``<reservation value>`` and ``<discount_factor value>``.

Genius's meaning, which Palaver keeps (checked against Genius 10.4's
``AdditiveUtilitySpace`` and evaluators, and against ANAC 2010-2016 files):

* a profile's ``<issue>`` and ``<weight>`` are tied to the domain's issue by
  their ``index`` attribute (the name is not read by Genius; a profile whose
  issue names disagree with the domain's at the same index is read by index,
  with a :class:`~palaver.scenarios.errors.ScenarioWarning`); a ``<weight>``
  of an ``<objective>`` is the objective's own and is ignored;
* a discrete issue's evaluations are divided by their largest (so the best
  value is worth 1);
* an integer issue's linear evaluator is ``offset + slope * (x - lowerbound)``
  and a real issue's ``parameter0 + parameter1 * x``, both clipped to
  ``[0, 1]``;
* weights are used as given (Genius does not divide them by their sum on
  reading; ``normalize_weights=True`` does): weights that do not sum to one
  are read with a warning.

A missing reservation is 0; a discount factor of 0 or a missing one means no
discounting. (NegMAS reads discrete evaluations without dividing them, and
an integer issue's evaluator as ``slope * x + offset`` without clipping.)
Discrete values are read as strings.
"""

from __future__ import annotations

import warnings
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from palaver.outcomes import (
    CategoricalIssue,
    ContiguousIssue,
    ContinuousIssue,
    IntegerIssue,
    InvalidIssueError,
    Issue,
    OutcomeSpace,
)
from palaver.preferences import LinearAdditiveUtilityFunction, UtilityFunction
from palaver.scenarios import genius_nonlinear
from palaver.scenarios.canonical import LinearValue
from palaver.scenarios.errors import ScenarioError, ScenarioWarning
from palaver.scenarios.files import parse_xml, parse_xml_text
from palaver.scenarios.genius_values import number as _number
from palaver.scenarios.genius_values import reservation_and_discount

#: How far from one the weights of a profile may sum without a warning.
WEIGHT_TOLERANCE = 1e-6
#: The most values of an integer issue whose clipped line is read as a table.
_MAX_CLIPPED = 100_000


def _bounds(path: Path, where: str, issue: ET.Element) -> tuple[float, float]:
    holder = issue
    if issue.get("lowerbound") is None:
        found = issue.find("range")
        if found is None:
            raise ScenarioError(f"{path}: {where}: no lowerbound/upperbound and no <range>")
        holder = found
    return (
        _number(path, where, holder, "lowerbound"),
        _number(path, where, holder, "upperbound"),
    )


def _issue_type(issue: ET.Element) -> str:
    return (issue.get("type") or issue.get("etype") or issue.get("vtype") or "discrete").lower()


def _issue_elements(path: Path, root: ET.Element, expected_root: str) -> list[ET.Element]:
    if root.tag != expected_root:
        other = "profile" if root.tag == "utility_space" else "domain"
        hint = f" (this looks like a Genius {other} file)" if root.tag in (
            "utility_space", "negotiation_template"
        ) else ""  # fmt: skip
        raise ScenarioError(
            f"{path}: the root element is <{root.tag}>, expected <{expected_root}>{hint}"
        )
    holder = root.find("utility_space") if expected_root == "negotiation_template" else root
    if holder is None:
        raise ScenarioError(f"{path}: no <utility_space> element under <{root.tag}>")
    objective = holder.find("objective")
    return list((objective if objective is not None else holder).iter("issue"))


def read_domain(path: Path) -> OutcomeSpace:
    """The outcome space of a Genius domain file."""
    return read_domain_indexed(path)[0]


def read_domain_indexed(path: Path) -> tuple[OutcomeSpace, dict[str, str]]:
    """The outcome space of a Genius domain file, and the name of each issue
    by its ``index`` attribute (the key Genius ties profiles to)."""
    return _domain(path, parse_xml(path))


def _domain(path: Path | str, root: ET.Element) -> tuple[OutcomeSpace, dict[str, str]]:
    """:func:`read_domain_indexed` of a parsed domain (``path`` names it in errors)."""
    path = Path(path)
    issues: list[Issue] = []
    indices: dict[str, str] = {}
    for element in _issue_elements(path, root, "negotiation_template"):
        name = element.get("name")
        index = element.get("index")
        if index is not None and name:
            if index in indices:
                raise ScenarioError(
                    f"{path}: <issue name={name!r}> has index {index!r}, as "
                    f"<issue name={indices[index]!r}> does"
                )
            indices[index] = name
        where = f"<issue name={name!r}>"
        if not name:
            raise ScenarioError(f"{path}: an <issue> has no name attribute")
        kind = _issue_type(element)
        try:
            if kind == "discrete":
                values = []
                for k, item in enumerate(element.findall("item")):
                    value = item.get("value")
                    if value is None:
                        raise ScenarioError(f"{path}: {where}: <item> #{k + 1} has no value")
                    values.append(value)
                issues.append(CategoricalIssue(values, name))
            elif kind == "integer":
                lo, hi = _bounds(path, where, element)
                if lo != int(lo) or hi != int(hi):
                    raise ScenarioError(f"{path}: {where}: integer bounds {lo}, {hi}")
                # NegMAS's loader makes these ContiguousIssues (values: (lo, hi))
                issues.append(ContiguousIssue((int(lo), int(hi)), name))
            elif kind == "real":
                issues.append(ContinuousIssue(*_bounds(path, where, element), name))
            else:
                raise ScenarioError(
                    f"{path}: {where}: type {kind!r} is not one of discrete, integer, real"
                )
        except InvalidIssueError as exc:
            raise ScenarioError(f"{path}: {where}: {exc}") from None
    if not issues:
        raise ScenarioError(f"{path}: the domain has no <issue>")
    try:
        return OutcomeSpace(issues), indices
    except ValueError as exc:
        raise ScenarioError(f"{path}: {exc}") from None


def read_profile(
    path: Path,
    space: OutcomeSpace,
    normalize_weights: bool = False,
    indices: Mapping[str, str] | None = None,
) -> tuple[UtilityFunction, float]:
    """A Genius profile file as a utility function over ``space``, and its discount factor.

    ``indices`` (from :func:`read_domain_indexed`) ties the profile's issues
    and weights to the domain's by their ``index``, as Genius does; without
    it they are tied by name.
    """
    return profile_from_root(path, parse_xml(path), space, normalize_weights, indices)


def profile_from_root(
    path: Path,
    root: ET.Element,
    space: OutcomeSpace,
    normalize_weights: bool = False,
    indices: Mapping[str, str] | None = None,
) -> tuple[UtilityFunction, float]:
    """:func:`read_profile` of a parsed profile (``path`` names it in errors)."""
    if genius_nonlinear.handles(root):
        return genius_nonlinear.read_profile(path, root, space, indices)
    elements = _issue_elements(path, root, "utility_space")
    by_name: dict[str, ET.Element] = {}
    index_to_name: dict[str, str] = {}
    for element in elements:
        name = _domain_issue(path, element, space, indices or {})
        if name in by_name:
            raise ScenarioError(f"{path}: two <issue> elements stand for the domain's {name!r}")
        by_name[name] = element
        index = element.get("index")
        if index is not None:
            index_to_name[index] = name
    objective = root.find("objective")
    owners = {o.get("index") for o in root.iter("objective")}
    weights: dict[str, float] = {}
    for w in (objective if objective is not None else root).findall("weight"):
        index = w.get("index")
        target = index_to_name.get(index) if index is not None else None
        if target is None:
            if index not in owners:  # an objective's own weight means nothing to an issue
                warnings.warn(
                    f"{path}: <weight index={index!r}> names no <issue> of the profile; "
                    "ignored, as Genius does",
                    ScenarioWarning,
                    stacklevel=4,
                )
            continue
        weights[target] = _number(path, f"<weight index={index!r}>", w, "value")
    values: dict[str, Any] = {}
    for issue, name in zip(space.issues, space.issue_names, strict=True):
        held = by_name.get(name)
        where = f"<issue name={name!r}>"
        if held is None:
            raise ScenarioError(f"{path}: the domain's issue {name!r} is missing")
        if name not in weights:
            raise ScenarioError(f"{path}: {where} has no <weight>")
        if weights[name] < 0:
            raise ScenarioError(f"{path}: {where}: negative weight {weights[name]}")
        values[name] = _evaluation(path, where, held, issue)
    weights = _checked_weights(path, weights, normalize_weights)
    reserved, discount = reservation_and_discount(path, root)
    ufun = LinearAdditiveUtilityFunction(
        values, weights, reserved_value=reserved, outcome_space=space
    )
    return ufun, discount


def _domain_issue(
    path: Path, element: ET.Element, space: OutcomeSpace, indices: Mapping[str, str]
) -> str:
    """The domain issue a profile's ``<issue>`` stands for: by its index, as
    Genius ties them, when the domain numbers its issues; else by its name."""
    name = element.get("name")
    target = indices.get(element.get("index") or "")
    if target is not None:
        if name is not None and name != target:
            warnings.warn(
                f"{path}: <issue index={element.get('index')!r} name={name!r}> is the "
                f"domain's issue {target!r} at that index; read as {target!r}, as Genius "
                "ties a profile's issues to the domain's by index",
                ScenarioWarning,
                stacklevel=5,
            )
        return target
    if name not in space.issue_names:
        raise ScenarioError(
            f"{path}: <issue name={name!r}> is not an issue of the domain "
            f"{list(space.issue_names)}: is this a profile for another domain?"
        )
    return str(name)


def _checked_weights(
    path: Path, weights: dict[str, float], normalize_weights: bool
) -> dict[str, float]:
    """The weights as Genius reads them (as given), or divided by their sum
    when asked; weights that do not sum to one are said in a warning."""
    total = sum(weights.values())
    if abs(total - 1.0) <= WEIGHT_TOLERANCE:
        return weights
    if total <= 0:
        raise ScenarioError(f"{path}: the <weight> values sum to {total!r}; some must be positive")
    if normalize_weights:
        return {k: v / total for k, v in weights.items()}
    warnings.warn(
        f"{path}: the <weight> values sum to {total!r}, not 1; used as given, as Genius "
        "does (utilities may leave [0, 1]); pass normalize_weights=True to divide them "
        "by their sum",
        ScenarioWarning,
        stacklevel=5,
    )
    return weights


def _item_value(issue: Issue, text: str | None, spelled: Mapping[str, Any]) -> Any:
    """The issue value an ``<item value>`` names (integers are spelt as text), or None.

    ``spelled`` maps the text of each value of ``issue`` that is not a string
    to the value (the writers spell such values with ``str``)."""
    if text is None:
        return None
    if isinstance(issue, IntegerIssue):
        try:
            number = int(text)
        except ValueError:
            return None
        return number if number in issue else None
    return text if text in issue else spelled.get(text)


def _evaluation(path: Path, where: str, element: ET.Element, issue: Issue) -> Any:
    items = element.findall("item")
    # An integer issue may be valued item by item (NegMAS writes them so).
    if isinstance(issue, CategoricalIssue) or (isinstance(issue, IntegerIssue) and items):
        given: dict[Any, float] = {}
        spelled = {str(v): v for v in issue.all_values if not isinstance(v, str)}
        for item in items:
            text = item.get("value")
            value = _item_value(issue, text, spelled)
            if value is None:
                raise ScenarioError(
                    f"{path}: {where}: <item value={text!r}> is not a value of the domain "
                    f"{list(issue.all_values)}: is this a profile for another domain?"
                )
            ev = _number(path, f"{where} <item value={text!r}>", item, "evaluation")
            if ev < 0:
                raise ScenarioError(f"{path}: {where} <item value={text!r}>: negative evaluation")
            given[value] = ev
        missing = [v for v in issue.all_values if v not in given]
        if missing:
            raise ScenarioError(
                f"{path}: {where}: value(s) {missing} of the domain have no <item> evaluation"
            )
        top = max(given.values())
        return {v: (e / top if top > 0 else 0.0) for v, e in given.items()}
    evaluator = element.find("evaluator")
    if evaluator is None:
        raise ScenarioError(f"{path}: {where}: a numeric issue needs an <evaluator>")
    ftype = (evaluator.get("ftype") or "").lower()
    label = f"{where} <evaluator ftype={ftype!r}>"
    lo, hi = issue.numeric_bounds()
    if ftype == "linear":
        if evaluator.get("slope") is not None:
            slope = _number(path, label, evaluator, "slope")
            offset = _number(path, label, evaluator, "offset")
        else:
            slope = _number(path, label, evaluator, "parameter1")
            offset = _number(path, label, evaluator, "parameter0")
        if isinstance(issue, IntegerIssue):
            # Genius's integer evaluator counts from the issue's lower bound.
            offset -= slope * lo
        line = LinearValue(slope, offset)
    elif ftype == "constant":
        line = LinearValue(0.0, _number(path, label, evaluator, "parameter0"))
    else:
        raise ScenarioError(f"{path}: {label}: only 'linear' and 'constant' are supported")
    ends = (line(lo), line(hi))
    if all(-1e-6 <= y <= 1 + 1e-6 for y in ends):
        return line
    if isinstance(issue, IntegerIssue) and issue.cardinality <= _MAX_CLIPPED:
        # Genius clips a linear evaluation to [0, 1]: a line that leaves it is
        # the table of its clipped values.
        return {v: min(1.0, max(0.0, line(v))) for v in issue.all_values}
    x, y = next((x, y) for x, y in zip((lo, hi), ends, strict=True) if not 0 <= y <= 1)
    raise ScenarioError(
        f"{path}: {label}: evaluates to {y!r} at {x!r}; Genius clips evaluations to [0, 1], "
        "which Palaver does not do for a line over a real issue: give a line that stays "
        "in [0, 1]"
    )


def domain_from_xml_text(text: str | bytes) -> OutcomeSpace:
    """The outcome space of a Genius domain given as XML text (NegMAS's
    ``issues_from_xml_str``); :class:`ScenarioError` when it is not one."""
    return _domain("<xml text>", parse_xml_text(text, "<xml text>"))[0]


def find_files(folder: Path) -> tuple[Path | None, list[Path]]:
    """The domain file and the profile files among a folder's ``.xml`` files (by root tag)."""
    domain: Path | None = None
    profiles: list[Path] = []
    for path in sorted(folder.glob("*.xml")):
        if path.name.startswith(".") or path.name.endswith("pareto.xml"):
            continue
        tag = parse_xml(path).tag
        if tag == "negotiation_template":
            if domain is not None:
                raise ScenarioError(
                    f"{folder}: two Genius domain files: {domain.name}, {path.name}"
                )
            domain = path
        elif tag == "utility_space":
            profiles.append(path)
    return domain, profiles

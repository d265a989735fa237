"""Genius nonlinear profiles: ``<utility_space type="nonlinear">`` (the ANAC 2014 domains).

Such a profile lists the (integer) issues under ``<objective>`` like any other,
then, instead of weights and evaluators, one ``<utility maxutility=M>`` holding
one ``<ufun aggregation=... weight=...>``. A ufun holds ``<hyperRectangle
utility=U weight=W>`` boxes and may hold ufuns of its own. A box holds
``<INCLUDES index min max/>`` bounds (an outcome inside every range earns
``U * W``) or ``<EXCLUDES index min max/>`` bounds (an outcome outside some
range earns ``U * W``); a box with no bounds is earned by every outcome.

Genius's meaning, which Palaver keeps (``genius.core.utility`` of Genius
10.4: ``NonlinearUtilitySpace``, ``UtilityFunction``,
``InclusiveHyperRectangle``, ``ExclusiveHyperRectangle``):

- a ufun combines its boxes' values and its sub-ufuns' values (each times
  that sub-ufun's ``weight``) by ``aggregation``: ``sum``, ``min`` or ``max``
  (any case); the outermost ufun's ``weight`` is not used;
- the utility of an outcome is the outermost ufun's value divided by
  ``maxutility``, and 1 if that is above 1 (there is no lower bound);
- an ``index`` is the Genius issue number: the ``index`` attribute of the
  domain's ``<issue>`` (the profile's own ``<issue>`` elements are not read
  by Genius; one naming another issue at that index is read as the domain's,
  with a :class:`ScenarioWarning`, as for linear profiles). When the domain
  does not number its issues, the profile's ``<issue>`` elements number them,
  and without those an index is a 1-based position. ``min`` and ``max`` are
  integers and both belong to the range;
- ``weight`` attributes default to 1; the ufun's ``type`` attribute
  (``PlainUfun``) is not used;
- a missing ``<reservation>`` is 0; a ``<discount_factor>`` of 0 or a missing
  one means no discounting, as for linear profiles.

Where Genius is lax, Palaver refuses with a :class:`ScenarioError`: an
aggregation other than sum/min/max (Genius reads it as sum), a box with both
``INCLUDES`` and ``EXCLUDES`` (Genius keeps the ``EXCLUDES`` only), an empty
range (``min`` above ``max``), a bound on a non-integer issue (Genius fails
when it evaluates it), an element it does not know inside a ``<ufun>`` or a
box (Genius skips it), an empty ``min``/``max`` ufun, and a non-positive
``maxutility``. NegMAS 0.16 reads the same files differently: it does not
divide by ``maxutility`` (its utilities are Genius's times ``maxutility``,
never capped), and it reads ``EXCLUDES`` as ``INCLUDES``.

Profiles with ``type="constraint"`` (Genius's ``ConstraintUtilitySpace``) are
refused. Such scenarios cannot be written back as Genius XML: save them with
``dumpas(folder, type="json")`` (Palaver JSON keeps the boxes).
"""

from __future__ import annotations

import math
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

from palaver.outcomes import IntegerIssue, OutcomeSpace
from palaver.preferences import (
    HyperRectangle,
    HyperRectangleUtilityFunction,
    RectangleGroup,
    UtilityFunction,
)
from palaver.preferences.hyperrectangles import Aggregation
from palaver.scenarios.errors import ScenarioError, ScenarioWarning
from palaver.scenarios.genius_values import reservation_and_discount

_AGGREGATIONS: dict[str, Aggregation] = {"sum": "sum", "min": "min", "max": "max"}
_BOUNDS = ("INCLUDES", "EXCLUDES")


def handles(root: ET.Element) -> bool:
    """Whether a profile's root is one this module reads (a ``type`` Genius reads as nonlinear)."""
    return (root.get("type") or "").lower() in ("nonlinear", "constraint")


def read_profile(
    path: Path, root: ET.Element, space: OutcomeSpace, indices: Mapping[str, str] | None = None
) -> tuple[UtilityFunction, float]:
    """A nonlinear Genius profile as a utility function over ``space``, and its discount factor.

    ``indices`` maps the domain's issue ``index`` attributes to issue names
    (``genius.read_domain_indexed``). Nothing is enumerated: reading costs the
    size of the file, whatever the number of outcomes.
    """
    kind = (root.get("type") or "").lower()
    if kind != "nonlinear":
        raise ScenarioError(
            f"{path}: <utility_space type={root.get('type')!r}>: Genius constraint profiles "
            "are not supported (only linear-additive and type='nonlinear' ones)"
        )
    reader = _Reader(path, space)
    first = next(iter(root), None)
    holder = first if first is not None and first.tag == "objective" else root
    issue_numbers = reader.issue_numbers(holder, _numbered(indices or {}))
    utility = holder.find("utility")
    if utility is None:
        raise ScenarioError(f"{path}: a nonlinear profile needs a <utility> in <{holder.tag}>")
    max_utility = reader.number(utility, "<utility>", "maxutility")
    if max_utility <= 0:
        raise ScenarioError(f"{path}: <utility>: maxutility={max_utility!r} is not positive")
    top = utility.find("ufun")
    if top is None:
        raise ScenarioError(f"{path}: <utility> holds no <ufun>")
    group = reader.group(top, "<ufun>", issue_numbers)
    reserved, discount = reservation_and_discount(path, root)
    ufun = HyperRectangleUtilityFunction(
        group, max_utility=max_utility, reserved_value=reserved, outcome_space=space
    )
    return ufun, discount


class _Reader:
    """Reads elements of one profile file, naming the file and element in every error."""

    def __init__(self, path: Path, space: OutcomeSpace) -> None:
        self.path, self.space = path, space

    def fail(self, where: str, message: str) -> ScenarioError:
        return ScenarioError(f"{self.path}: {where}: {message}")

    def number(self, element: ET.Element, where: str, attribute: str) -> float:
        raw = element.get(attribute)
        if raw is None:
            raise self.fail(where, f"missing attribute {attribute!r}")
        try:
            value = float(raw)
        except ValueError:
            raise self.fail(where, f"{attribute}={raw!r} is not a number") from None
        if not math.isfinite(value):
            raise self.fail(where, f"{attribute}={raw!r} is not a finite number")
        return value

    def integer(self, element: ET.Element, where: str, attribute: str) -> int:
        raw = element.get(attribute)
        if raw is None:
            raise self.fail(where, f"missing attribute {attribute!r}")
        try:
            return int(raw.strip())
        except ValueError:
            raise self.fail(where, f"{attribute}={raw!r} is not an integer") from None

    def weight(self, element: ET.Element, where: str) -> float:
        return 1.0 if element.get("weight") is None else self.number(element, where, "weight")

    def issue_numbers(self, holder: ET.Element, domain: dict[int, str]) -> dict[int, str]:
        """Genius issue number -> issue name: the domain's numbers, else the profile's."""
        names = self.space.issue_names
        elements = holder.findall("issue")
        if domain:
            for element in elements:
                name, raw = element.get("name"), element.get("index")
                number = _integer_or_none(raw)
                target = None if number is None else domain.get(number)
                if target is not None and name is not None and name != target:
                    warnings.warn(
                        f"{self.path}: <issue index={raw!r} name={name!r}> is the domain's "
                        f"issue {target!r} at that index; bounds with that index are read as "
                        f"{target!r}, as Genius ties them to the domain's issues by index",
                        ScenarioWarning,
                        stacklevel=6,
                    )
            return domain
        if not elements:
            return {k: name for k, name in enumerate(names, start=1)}
        numbers: dict[int, str] = {}
        for element in elements:
            name = element.get("name")
            where = f"<issue name={name!r}>"
            if name not in names:
                raise self.fail(
                    where,
                    f"not an issue of the domain {list(names)}: is this a profile for "
                    "another domain?",
                )
            numbers[self.integer(element, where, "index")] = name
        return numbers

    def group(self, element: ET.Element, where: str, numbers: dict[int, str]) -> RectangleGroup:
        raw = element.get("aggregation")
        aggregation = _AGGREGATIONS.get((raw or "").lower())
        if aggregation is None:
            raise self.fail(where, f"aggregation={raw!r} is not one of sum, min, max")
        rectangles: list[HyperRectangle] = []
        groups: list[RectangleGroup] = []
        for child in element:
            if child.tag == "hyperRectangle":
                label = f"{where} <hyperRectangle> #{len(rectangles) + 1}"
                rectangles.append(self.rectangle(child, label, numbers))
            elif child.tag == "ufun":
                groups.append(self.group(child, f"{where} <ufun> #{len(groups) + 1}", numbers))
            else:
                raise self.fail(where, f"<{child.tag}> is not a <hyperRectangle> or a <ufun>")
        if aggregation != "sum" and not rectangles and not groups:
            raise self.fail(where, f"aggregation={raw!r} over nothing: the <ufun> is empty")
        return RectangleGroup(rectangles, groups, aggregation, self.weight(element, where))

    def rectangle(self, element: ET.Element, where: str, numbers: dict[int, str]) -> HyperRectangle:
        tags = {child.tag for child in element}
        unknown = sorted(tags - set(_BOUNDS))
        if unknown:
            raise self.fail(where, f"<{unknown[0]}> is not an INCLUDES or EXCLUDES bound")
        if len(tags) == 2:
            raise self.fail(where, "holds both INCLUDES and EXCLUDES bounds; use one kind per box")
        bounds: dict[str | int, tuple[float, float]] = {}
        for bound in element:
            number = self.integer(bound, f"{where} <{bound.tag}>", "index")
            label = f"{where} <{bound.tag} index={number}>"
            name = numbers.get(number)
            if name is None:
                raise self.fail(
                    label, f"issue number {number} names no issue (numbered: {sorted(numbers)})"
                )
            issue = self.space.issues[self.space.issue_names.index(name)]
            if not isinstance(issue, IntegerIssue):
                raise self.fail(
                    label,
                    f"issue {name!r} is a {type(issue).__name__}; Genius boxes bound "
                    "integer issues only",
                )
            low, high = self.integer(bound, label, "min"), self.integer(bound, label, "max")
            if low > high:
                raise self.fail(label, f"min={low} is above max={high}: the range is empty")
            if name in bounds:
                raise self.fail(label, f"issue {name!r} is bounded twice in one box")
            bounds[name] = (low, high)
        return HyperRectangle(
            bounds,
            self.number(element, where, "utility"),
            self.weight(element, where),
            exclusive="EXCLUDES" in tags,
        )


def _integer_or_none(text: str | None) -> int | None:
    try:
        return None if text is None else int(text.strip())
    except ValueError:
        return None


def _numbered(indices: Mapping[str, str]) -> dict[int, str]:
    """The domain's issue names by issue number (indices that are not integers left out)."""
    out: dict[int, str] = {}
    for text, name in indices.items():
        number = _integer_or_none(text)
        if number is not None:
            out[number] = name
    return out

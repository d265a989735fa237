"""One utility function as a Genius profile: the reader and writer behind
NegMAS's ``UtilityFunction.to_xml_str`` / ``to_genius`` / ``from_xml_str`` /
``from_genius`` (:mod:`palaver.preferences.genius_xml`), registered on import.

The profile is the one :meth:`Scenario.to_genius_files` would write for the
utility function (the same canonical form), and it is read as
:meth:`Scenario.from_genius_files` reads a profile.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from palaver.outcomes import Issue, OutcomeSpace
from palaver.preferences import LinearAdditiveUtilityFunction, UtilityFunction
from palaver.preferences.genius_xml import register_genius_codec
from palaver.scenarios.canonical import MAX_TABLE_VALUES
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.files import parse_xml_text, read_bytes, write_bytes
from palaver.scenarios.genius import profile_from_root
from palaver.scenarios.genius_write import genius_profiles, profile_element
from palaver.scenarios.transform import unwrap

__all__ = ["GeniusProfiles"]


def _space(issues: Iterable[Issue] | None, ufun: UtilityFunction | None, who: str) -> OutcomeSpace:
    if issues is None:
        if ufun is None or ufun.outcome_space is None:
            raise ValueError(f"{who}: give issues= (the utility function has no outcome space)")
        return ufun.outcome_space
    if isinstance(issues, OutcomeSpace):
        return issues
    if isinstance(issues, str | bytes) or not isinstance(issues, Iterable):
        raise TypeError(f"{who}: issues must be a sequence of issues, got {type(issues).__name__}")
    return OutcomeSpace(list(issues))


def _writable(ufun: UtilityFunction, space: OutcomeSpace) -> UtilityFunction:
    """``ufun``, or (over one discrete issue) the table of its utilities: a
    profile of one issue holds any utility function of it."""
    inner = unwrap(ufun)[0]
    if isinstance(inner, LinearAdditiveUtilityFunction) or space.n_issues != 1:
        return ufun
    issue = space.issues[0]
    if issue.is_continuous or issue.cardinality > MAX_TABLE_VALUES:
        return ufun
    values = list(issue.all_values)
    utilities = [float(u) for u in ufun.eval_many([(v,) for v in values])]
    if not all(math.isfinite(u) for u in utilities):
        raise ScenarioError(
            f"{type(ufun).__name__}: a Genius profile holds finite utilities; some values "
            f"of issue {issue.name!r} have none"
        )
    table = dict(zip(values, utilities, strict=True))
    return LinearAdditiveUtilityFunction(
        [table], [1.0], reserved_value=ufun.reserved_value, outcome_space=space
    )


class GeniusProfiles:
    """:class:`palaver.preferences.genius_xml.GeniusProfileCodec` of this package."""

    def to_text(
        self,
        ufun: UtilityFunction,
        issues: Iterable[Issue] | None,
        discount_factor: float | None,
    ) -> str:
        """The Genius profile XML of ``ufun`` over ``issues`` (its own space when None)."""
        who = f"ufun {ufun.name!r}" if ufun.name else type(ufun).__name__
        space = _space(issues, ufun, "to_xml_str")
        if discount_factor is not None and not (
            isinstance(discount_factor, int | float)
            and not isinstance(discount_factor, bool)
            and 0 <= discount_factor <= 1
        ):
            raise ValueError(
                f"to_xml_str: discount_factor must be a number in [0, 1] or None, "
                f"got {discount_factor!r}"
            )
        profiles, as_items = genius_profiles(space, [_writable(ufun, space)], [who])
        root = profile_element(profiles[0], ufun.name or "utility", discount_factor, as_items)
        ET.indent(root)
        return ET.tostring(root, encoding="unicode") + "\n"

    def from_text(
        self,
        text: str | bytes,
        issues: Iterable[Issue],
        where: str,
        ignore_reserved: bool,
    ) -> tuple[UtilityFunction, float]:
        """The utility function and discount factor of a profile's XML text."""
        space = _space(issues, None, "from_xml_str")
        root = parse_xml_text(text, where)
        ufun, discount = profile_from_root(Path(where), root, space)
        if ignore_reserved:
            ufun.reserved_value = -math.inf
        return ufun, discount

    def read(self, path: Path) -> bytes:
        """A profile file's bytes (size-limited, regular files only)."""
        return read_bytes(path)

    def write(self, path: Path, text: str) -> None:
        """Write a profile file (atomically, with the XML declaration)."""
        write_bytes(path, b'<?xml version="1.0" encoding="utf-8"?>\n' + text.encode("utf-8"))


register_genius_codec(GeniusProfiles())

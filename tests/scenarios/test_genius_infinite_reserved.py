"""A reserved value of +inf is refused when writing Genius XML, as when reading it.

The writer wrote ``<reservation value="Infinity"/>``, which Palaver's reader
refuses (and Genius cannot read): a file Palaver could not load back. NegMAS
writes the lowest utility instead (every outcome acceptable, the opposite
meaning). ``-inf`` (no reservation) is written as ``-Infinity`` and read back.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from palaver import LinearAdditiveUtilityFunction, Scenario, make_issue
from palaver.preferences import UtilityFunction
from palaver.scenarios import ScenarioError


def _ufun(reserved: float) -> LinearAdditiveUtilityFunction:
    issues = [make_issue([0, 1, 2], "x")]
    return LinearAdditiveUtilityFunction([None], reserved_value=reserved, outcome_space=issues)


def test_to_xml_str_refuses_plus_infinity() -> None:
    with pytest.raises(ScenarioError, match=r"reserved value of \+inf cannot be written"):
        _ufun(math.inf).to_xml_str()


def test_to_genius_refuses_plus_infinity_before_writing(tmp_path: Path) -> None:
    target = tmp_path / "u.xml"
    with pytest.raises(ScenarioError, match=r"\+inf"):
        _ufun(math.inf).to_genius(target)
    assert not target.exists()


def test_scenario_with_plus_infinity_leaves_no_folder(tmp_path: Path) -> None:
    u = _ufun(math.inf)
    scenario = Scenario(u.outcome_space, [u, _ufun(0.0)], ufun_names=["a", "b"])
    target = tmp_path / "new"
    with pytest.raises(ScenarioError, match=r"ufun 'a'.*\+inf"):
        scenario.to_genius_folder(target)
    assert not target.exists()


def test_minus_infinity_round_trips() -> None:
    u = _ufun(-math.inf)
    text = u.to_xml_str()
    assert '<reservation value="-Infinity" />' in text
    back, _ = UtilityFunction.from_xml_str(text, issues=u.outcome_space.issues)
    assert back is not None and back.reserved_value == -math.inf

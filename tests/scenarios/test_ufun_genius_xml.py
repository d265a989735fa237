"""NegMAS's Genius methods of one utility function: to_xml_str / to_genius /
from_xml_str / from_genius, read and written as the scenario files are."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
from tests.scenarios.scenario_files import GENIUS_ALICE, write_genius

from palaver.outcomes import make_issue, make_os
from palaver.preferences import (
    LinearAdditiveUtilityFunction,
    MappingUtilityFunction,
    UtilityFunction,
)
from palaver.scenarios import Scenario, ScenarioError

HOLIDAY = [
    make_issue(["beach", "city", "mountains"], "place"),
    make_issue((1, 5), "days"),
    make_issue((100.0, 500.0), "budget"),
]


def test_from_xml_str_reads_a_profile_as_the_scenario_loader_does(tmp_path: Path) -> None:
    folder = write_genius(tmp_path / "holiday")
    scenario = Scenario.from_genius_folder(folder)
    ufun, discount = UtilityFunction.from_xml_str(GENIUS_ALICE, issues=scenario.issues)
    assert isinstance(ufun, LinearAdditiveUtilityFunction)
    assert discount == 0.9 and ufun.reserved_value == 0.25
    # place 8/4/2 divided by the largest; days counted from the lower bound.
    assert ufun(("city", 3, 300.0)) == pytest.approx(0.5 * 0.5 + 0.3 * 0.5 + 0.2 * 0.5)
    for outcome in [("beach", 1, 100.0), ("mountains", 5, 420.0)]:
        assert ufun(outcome) == pytest.approx(scenario.ufuns[0](outcome))
    plain, none = UtilityFunction.from_xml_str(
        GENIUS_ALICE, HOLIDAY, ignore_discount=True, ignore_reserved=True, name="alice"
    )
    assert none is None and plain.reserved_value == -math.inf and plain.name == "alice"


def test_to_xml_str_round_trips_and_keeps_the_reserved_value() -> None:
    # Already in Genius's form (weights sum to 1, best value of each issue 1):
    # written as it is.
    values = {"place": {"beach": 1.0, "city": 0.5, "mountains": 0.0}, "food": {"a": 1, "b": 0}}
    issues = [HOLIDAY[0], make_issue(["a", "b"], "food")]
    ufun = LinearAdditiveUtilityFunction(
        values, {"place": 0.75, "food": 0.25}, reserved_value=0.4, outcome_space=issues
    )
    text = ufun.to_xml_str(discount_factor=0.8)
    assert '<reservation value="0.4" />' in text and '<discount_factor value="0.8" />' in text
    back, discount = UtilityFunction.from_xml_str(text, issues=issues)
    assert discount == 0.8 and back.reserved_value == 0.4
    for o in make_os(issues).enumerate():
        assert back(o) == pytest.approx(ufun(o))
    assert "<discount_factor" not in ufun.to_xml_str()
    # No reservation is written as such and read back as none.
    ufun.reserved_value = -math.inf
    assert UtilityFunction.from_xml_str(ufun.to_xml_str(), issues)[0].reserved_value == -math.inf


def test_one_discrete_issue_profile_holds_any_utility_function() -> None:
    issues = [make_issue([0, 1, 2], "x")]
    ufun = MappingUtilityFunction(lambda o: o[0], outcome_space=make_os(issues))
    ufun.reserved_value = 0.5
    text = ufun.to_xml_str(issues=issues)
    # Genius divides a discrete issue's evaluations by the largest: the profile
    # holds the same preferences on that scale (reserved value included).
    assert 'evaluation="0.5"' in text and '<reservation value="0.25" />' in text
    back, _ = UtilityFunction.from_xml_str(text, issues=issues)
    assert [back((v,)) for v in (0, 1, 2)] == [0.0, 0.5, 1.0]
    with pytest.raises(ScenarioError, match="cannot be written as a linear-additive"):
        MappingUtilityFunction(
            lambda o: o[0] * o[1], outcome_space=make_os([*issues, make_issue(3, "y")])
        ).to_xml_str()


def test_to_genius_and_from_genius_use_files(tmp_path: Path) -> None:
    ufun = LinearAdditiveUtilityFunction(
        {"place": {"beach": 0.2, "city": 1.0, "mountains": 0.6}},
        [1.0],
        reserved_value=0.1,
        outcome_space=HOLIDAY[:1],
    )
    ufun.to_genius(tmp_path / "mine", discount_factor=0.5)  # no suffix: .xml is added
    back, discount = UtilityFunction.from_genius(tmp_path / "mine.xml", issues=HOLIDAY[:1])
    assert back.name == "mine" and discount == 0.5
    assert back(("city",)) == 1.0 and back(("beach",)) == pytest.approx(0.2)
    assert (tmp_path / "mine.xml").read_text().startswith("<?xml")


def test_bad_input_is_refused_saying_what() -> None:
    ufun = MappingUtilityFunction({("a",): 1.0})
    with pytest.raises(ValueError, match="give issues="):
        ufun.to_xml_str()
    with pytest.raises(ValueError, match="discount_factor must be a number in"):
        LinearAdditiveUtilityFunction([None], outcome_space=[make_issue(3)]).to_xml_str(
            discount_factor=2
        )
    with pytest.raises(ScenarioError, match="<xml text>: malformed XML"):
        UtilityFunction.from_xml_str("<utility_space>", issues=HOLIDAY)
    with pytest.raises(ValueError, match="safe_parsing=False is not supported"):
        UtilityFunction.from_xml_str(GENIUS_ALICE, HOLIDAY, safe_parsing=False)
    with pytest.raises(TypeError, match="xml_str must be the XML text"):
        UtilityFunction.from_xml_str(3, HOLIDAY)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ignore_reserved must be True or False"):
        UtilityFunction.from_xml_str(GENIUS_ALICE, HOLIDAY, ignore_reserved="no")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="file_name must be a path"):
        UtilityFunction.from_genius(3, issues=HOLIDAY)  # type: ignore[arg-type]


def test_without_the_scenarios_layer_the_methods_say_what_to_import() -> None:
    # preferences sits below scenarios: the Genius reader and writer are there,
    # registered when palaver.scenarios is imported.
    code = (
        "import sys\n"
        "from palaver.outcomes import make_issue\n"
        "from palaver.preferences import LinearAdditiveUtilityFunction\n"
        "assert 'palaver.scenarios' not in sys.modules\n"
        "u = LinearAdditiveUtilityFunction([None], outcome_space=[make_issue(3)])\n"
        "try:\n"
        "    u.to_xml_str()\n"
        "except ImportError as e:\n"
        "    assert 'import palaver.scenarios' in str(e), e\n"
        "else:\n"
        "    raise AssertionError('no error')\n"
        "import palaver.scenarios\n"
        "assert '<utility_space>' in u.to_xml_str()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

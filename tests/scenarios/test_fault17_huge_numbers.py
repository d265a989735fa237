"""Numbers past the float range in scenario files: ScenarioError naming the file and the field."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scenario_files import write_geniusweb

from palaver import LinearUtilityFunction, Scenario, make_issue, make_os
from palaver.outcomes import DiscretizedIssue
from palaver.scenarios import ScenarioError

HUGE = 10**400


def _edit(path: Path, change: Callable[[Any], None]) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _profile(d: Any) -> Any:
    return d["LinearAdditiveUtilitySpace"]


@pytest.mark.parametrize(
    ("file", "change", "where"),
    [
        (
            "alice.json",
            lambda d: _profile(d)["issueWeights"].update(place=HUGE),
            r"issueWeights\['place'\] must be a finite number, got an integer of 401 digits",
        ),
        (
            "alice.json",
            lambda d: _profile(d)["issueUtilities"]["days"]["numberutils"].update(highValue=HUGE),
            "highValue must be a finite number",
        ),
        (
            "alice.json",
            lambda d: _profile(d)["issueUtilities"]["place"]["discreteutils"][
                "valueUtilities"
            ].update(city=HUGE),
            "must be a finite number",
        ),
        (
            "holiday.json",
            lambda d: d["issuesValues"]["days"]["range"].update(low=-HUGE),
            r"issuesValues\['days'\].range.low must be a finite number",
        ),
        (
            "holiday.json",
            lambda d: d["issuesValues"].update(share={"values": [0.5, HUGE]}),
            r"issuesValues\['share'\].values\[1\] must be a finite number",
        ),
    ],
)
def test_geniusweb(tmp_path: Path, file: str, change: Callable[[Any], None], where: str) -> None:
    folder = write_geniusweb(tmp_path / "h")
    _edit(folder / file, change)
    with pytest.raises(ScenarioError, match=rf"{file}: .*{where}"):
        Scenario.from_geniusweb_folder(folder)


def _native(tmp_path: Path) -> Path:
    space = make_os([make_issue(4, "a"), DiscretizedIssue([0.0, 0.5, 1.0], "b")])
    u = LinearUtilityFunction([1.0, 2.0], bias=0.5, reserved_value=0.1)
    Scenario(space, [u, u], name="n").to_json(tmp_path / "n.json")
    return tmp_path / "n.json"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["ufuns"][0].update(bias=HUGE), r"ufuns\[0\].bias"),
        (lambda d: d["ufuns"][1].update(reserved_value=-HUGE), r"ufuns\[1\].reserved_value"),
        (lambda d: d["ufuns"][0].update(discount_factor=HUGE), r"ufuns\[0\].discount_factor"),
        (lambda d: d["ufuns"][0]["weights"].__setitem__(1, HUGE), r"ufuns\[0\].weights"),
        (lambda d: d["issues"][1]["values"].__setitem__(2, HUGE), r"issues\[1\]"),
    ],
)
def test_palaver_json(tmp_path: Path, change: Callable[[Any], None], where: str) -> None:
    path = _native(tmp_path)
    _edit(path, change)
    with pytest.raises(ScenarioError, match=rf"n.json: {where}.*finite"):
        Scenario.load(path)


@pytest.mark.parametrize("version", [True, 1.0, "1"])
def test_palaver_json_version_must_be_the_integer(tmp_path: Path, version: Any) -> None:
    path = _native(tmp_path)
    _edit(path, lambda d: d.update(version=version))
    with pytest.raises(ScenarioError, match=rf"n.json: version: version {version!r} is not"):
        Scenario.load(path)

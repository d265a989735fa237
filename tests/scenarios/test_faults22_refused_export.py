"""A scenario refused while being written leaves no empty folder behind.

``to_genius_folder`` and ``dumpas`` (Genius XML and Palaver JSON) made the
folder first and then refused the scenario (a value function Genius cannot
express, a callable over a continuous issue), leaving an empty folder where
the caller asked for a scenario; ``to_geniusweb_folder`` already checked first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from palaver import LinearAdditiveUtilityFunction, Scenario, make_issue
from palaver.scenarios import ScenarioError


def _unwritable() -> Scenario:
    issues = [make_issue(["a", "b"], "kind"), make_issue((0.0, 1.0), "share")]
    ufuns = [
        LinearAdditiveUtilityFunction(
            {"kind": {"a": 1.0, "b": 0.0}, "share": lambda x: x * x}, weights=[0.5, 0.5]
        ),
        LinearAdditiveUtilityFunction(
            {"kind": {"a": 0.0, "b": 1.0}, "share": lambda x: 1 - x}, weights=[0.5, 0.5]
        ),
    ]
    return Scenario(issues, ufuns, name="squares", ufun_names=["p", "q"])


@pytest.mark.parametrize(
    "write",
    [
        lambda s, p: s.to_genius_folder(p),
        lambda s, p: s.dumpas(p, type="xml"),
        lambda s, p: s.dumpas(p, type="json"),
        lambda s, p: s.to_geniusweb_folder(p),
    ],
    ids=["to_genius_folder", "dumpas-xml", "dumpas-json", "to_geniusweb_folder"],
)
def test_a_refused_scenario_leaves_no_folder(
    tmp_path: Path, write: Callable[[Scenario, Path], Any]
) -> None:
    target = tmp_path / "new" / "deeper"
    with pytest.raises(ScenarioError, match="share"):
        write(_unwritable(), target)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_and_its_files_stay(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(ScenarioError):
        _unwritable().to_genius_folder(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]

"""NegMAS's scenario info next to Genius files: ``_info.json``, or ``_info.yaml``
(read with PyYAML when it is installed; Palaver does not depend on it)."""

from __future__ import annotations

import importlib
import warnings
from pathlib import Path
from typing import Any

import pytest
from scenario_files import write_genius

from palaver.scenarios import Scenario, ScenarioError, ScenarioWarning

pytest.importorskip("yaml")


def test_yaml_info_is_the_scenario_info(tmp_path: Path) -> None:
    folder = write_genius(tmp_path / "holiday")
    (folder / "_info.yaml").write_text("format: xml\nn_outcomes: 1215\nnormalized: true\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = Scenario.load(folder)
    assert s.info == {"format": "xml", "n_outcomes": 1215, "normalized": True}
    assert Scenario.load(folder, load_info=False).info == {}


@pytest.mark.parametrize(
    ("text", "match"),
    [("a: [1, 2\n", "malformed YAML"), ("- 1\n- 2\n", "expected a mapping")],
)
def test_bad_yaml_info_names_the_file(tmp_path: Path, text: str, match: str) -> None:
    folder = write_genius(tmp_path / "holiday")
    (folder / "_info.yaml").write_text(text)
    with pytest.raises(ScenarioError, match=match) as info:
        Scenario.load(folder)
    assert "_info.yaml" in str(info.value)


def test_without_pyyaml_the_info_is_skipped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_genius(tmp_path / "holiday")
    (folder / "_info.yaml").write_text("format: xml\n")
    real = importlib.import_module

    def no_yaml(name: str, *args: Any) -> Any:
        if name == "yaml":
            raise ImportError("no yaml here")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", no_yaml)
    with pytest.warns(ScenarioWarning, match=r"_info.yaml.*install PyYAML"):
        s = Scenario.load(folder)
    assert s.info == {}

"""Bad registrations and damaged registry files are refused at the boundary.

``ScenarioRegistry.register`` stored any value (``n_outcomes="many"``) and a
later ``query`` failed comparing it; ``register_all_scenarios(registry=3)``
failed with an ``AttributeError``; ``load_registry`` failed with a
``KeyError``/``AttributeError`` on an entry that is not an object, and with
``clear_existing=True`` it had already emptied the registry when it did.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from palaver.registry_files import load_registry, save_registry
from palaver.scenarios.registry import ScenarioRegistry, register_all_scenarios, scenario_registry


@pytest.mark.parametrize(
    ("options", "error", "fragment"),
    [
        ({"n_outcomes": "many"}, TypeError, "n_outcomes must be an integer >= 0, got 'many'"),
        ({"n_outcomes": -1}, ValueError, "n_outcomes must be an integer >= 0, got -1"),
        ({"n_negotiators": 0}, ValueError, "n_negotiators must be an integer >= 1, got 0"),
        ({"opposition_level": math.nan}, ValueError, "opposition_level must be a finite number"),
        (
            {"rational_fraction": 1.5},
            ValueError,
            r"rational_fraction must be a fraction in \[0, 1\]",
        ),
        ({"name": 3}, TypeError, "name must be a text, got 3"),
        ({"source": None}, TypeError, "source must be a text, got None"),
        ({"tags": 3}, TypeError, "tags must be a set, list or tuple of tags, got 3"),
        ({"read_only": "no"}, TypeError, "read_only must be True or False"),
    ],
)
def test_register_refuses_bad_fields(
    tmp_path: Path, options: dict[str, Any], error: type[Exception], fragment: str
) -> None:
    registry = ScenarioRegistry()
    with pytest.raises(error, match=fragment):
        registry.register(tmp_path / "x", **options)
    assert len(registry) == 0


def test_register_keeps_an_uncountable_space(tmp_path: Path) -> None:
    info = ScenarioRegistry().register(tmp_path / "x", n_outcomes=math.inf, n_negotiators=2)
    assert info.n_outcomes == math.inf


@pytest.mark.parametrize("path", [None, 3, ["a"]])
def test_register_refuses_a_path_that_is_not_one(path: Any) -> None:
    with pytest.raises(TypeError, match="path must be a path"):
        ScenarioRegistry().register(path)


@pytest.mark.parametrize("wanted", ["x", (1, 2, 3), ("a", None), math.nan])
def test_query_refuses_a_filter_that_is_not_a_number_or_range(wanted: Any) -> None:
    registry = ScenarioRegistry()
    with pytest.raises(TypeError, match="n_outcomes must be a number or a \\(low, high\\) pair"):
        registry.query(n_outcomes=wanted)


def test_register_all_scenarios_checks_its_arguments_first(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="registry must be a ScenarioRegistry or None, got 3"):
        register_all_scenarios(tmp_path, registry=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="tags must be a set, list or tuple of tags"):
        register_all_scenarios(tmp_path, tags="ab", registry=ScenarioRegistry())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="path must be a path"):
        register_all_scenarios(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        (3, "must be an object, got 3"),
        ({"name": "x"}, "path must be a text, got None"),
        ({"path": "/p", "n_outcomes": "many"}, "n_outcomes must be an integer >= 0"),
        ({"path": "/p", "tags": "ab"}, "tags must be a list of texts"),
    ],
)
def test_a_damaged_scenarios_file_is_named_and_loses_nothing(
    tmp_path: Path, entry: Any, fragment: str
) -> None:
    kept = tmp_path / "kept"
    scenario_registry.register(kept)
    try:
        save_registry(tmp_path / "reg")
        (tmp_path / "reg" / "scenarios.json").write_text(json.dumps({"k": entry}))
        with pytest.raises(ValueError, match=fragment) as info:
            load_registry(tmp_path / "reg", clear_existing=True)
        assert "scenarios.json: entry 'k'" in str(info.value)
        assert str(kept.resolve()) in scenario_registry  # not cleared
    finally:
        scenario_registry.unregister(kept)


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        ([], "must be an object"),
        ({"short_name": "x"}, "full_type_name must be a text, got None"),
        ({"full_type_name": "a.B", "short_name": 3}, "short_name must be a text, got 3"),
        ({"full_type_name": "a.B", "short_name": "B", "params": []}, "params must be an object"),
    ],
)
def test_a_damaged_class_file_is_named(tmp_path: Path, entry: Any, fragment: str) -> None:
    save_registry(tmp_path)
    (tmp_path / "negotiators.json").write_text(json.dumps({"k": entry}))
    with pytest.raises(ValueError, match=fragment) as info:
        load_registry(tmp_path)
    assert "negotiators.json: entry 'k'" in str(info.value)

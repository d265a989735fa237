"""register_all_scenarios, and the registries saved to / loaded from a folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.scenarios.scenario_files import write_genius

from palaver.registry import negotiator_registry
from palaver.registry_builtins import register_builtins
from palaver.registry_files import clear_registry, load_registry, save_registry
from palaver.scenarios.registry import ScenarioRegistry, register_all_scenarios, scenario_registry


class Bidder:
    """A class to register."""

    def __init__(self, level: float = 0.5) -> None:
        self.level = level


def test_register_all_scenarios_finds_loadable_folders(tmp_path: Path) -> None:
    write_genius(tmp_path / "a" / "holiday")
    write_genius(tmp_path / "b")
    (tmp_path / "_hidden").mkdir()
    write_genius(tmp_path / "_hidden" / "skipped")
    (tmp_path / "empty").mkdir()
    registry = ScenarioRegistry()
    found = register_all_scenarios(tmp_path, source="mine", tags={"t"}, registry=registry)
    assert sorted(i.name for i in found) == ["b", "holiday"]
    info = registry.get_by_name("holiday")[0]
    assert info.n_negotiators == 2 and info.n_outcomes is None  # a real issue: not countable
    assert {"bilateral", "xml", "t"} <= info.tags and info.source == "mine"
    # Without recursion only the folder itself is tried (NegMAS's meaning).
    assert register_all_scenarios(tmp_path, recursive=False, registry=ScenarioRegistry()) == []
    assert len(register_all_scenarios(tmp_path / "b", recursive=False, registry=registry)) == 1
    with pytest.raises(ValueError, match="is not a folder \\(it does not exist\\)"):
        register_all_scenarios(tmp_path / "none")


def test_save_load_and_clear_round_trip(tmp_path: Path) -> None:
    key = negotiator_registry.register(Bidder, short_name="bidder", params={"level": 0.7})
    scenario_registry.register(tmp_path / "somewhere", n_outcomes=5, tags={"x"})
    try:
        assert save_registry(tmp_path / "reg", include_components=False) == tmp_path / "reg"
        assert not (tmp_path / "reg" / "components.json").exists()
        saved = json.loads((tmp_path / "reg" / "negotiators.json").read_text())
        assert saved[key]["params"] == {"level": 0.7} and saved[key]["short_name"] == "bidder"
        clear_registry(include_mechanisms=False, include_components=False)
        assert len(negotiator_registry) == 0 and len(scenario_registry) == 0
        counts = load_registry(tmp_path / "reg")
        # The built-ins (registered by palaver.negmas) were saved and come back too.
        assert counts == {
            "mechanisms": 0,
            "negotiators": len(saved),
            "components": 0,
            "scenarios": 1,
        }
        loaded = negotiator_registry.get_by_class(Bidder)
        assert loaded is not None and negotiator_registry.create("bidder").level == 0.7
        (scenario,) = scenario_registry.values()
        assert scenario.n_outcomes == 5 and scenario.tags == {"x"}
    finally:
        clear_registry(include_mechanisms=False, include_components=False)
        register_builtins()


def test_load_registry_warns_for_classes_it_cannot_import(tmp_path: Path) -> None:
    entry = {"full_type_name": "no.such.Thing", "short_name": "thing"}
    (tmp_path / "negotiators.json").write_text(json.dumps({"thing#00000000": entry}))
    with pytest.warns(RuntimeWarning, match=r"'no\.such\.Thing' cannot be imported"):
        assert load_registry(tmp_path)["negotiators"] == 0
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_registry(tmp_path / "missing")
    negotiator_registry.register(Bidder, short_name="odd", params={"level": object()})
    try:
        with pytest.raises(TypeError, match=r"negotiators entry 'odd#.*' is not JSON data"):
            save_registry(tmp_path / "out")
    finally:
        negotiator_registry.unregister(Bidder)

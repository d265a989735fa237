"""NegMAS's registries: classes by key, class, name and tag; scenarios by path,
name, tag and numeric range."""

from __future__ import annotations

from pathlib import Path

import pytest

from palaver.registry import (
    ComponentInfo,
    NegotiatorInfo,
    Registry,
    get_registered_class,
    negotiator_registry,
    register_negotiator,
)
from palaver.scenarios import Scenario
from palaver.scenarios.registry import ScenarioRegistry


class Offer:
    """Makes offers."""

    def __init__(self, level: float = 0.5, name: str = "o") -> None:
        self.level, self.name = level, name


def test_register_gives_unique_keys_and_finds_by_class_name_and_dotted_name() -> None:
    registry = Registry(NegotiatorInfo)
    first = registry.register(Offer, short_name="offer", params={"level": 0.9}, learns=True)
    second = registry.register(f"{__name__}.Offer", anac_year=2019, tags=["x"])
    assert first.startswith("offer#") and len(first) == len("offer#") + 8 and first != second
    info = registry[first]
    assert info.cls is Offer and info.description == "Makes offers."
    assert info.full_type_name == f"{__name__}.Offer" and info.tags == {"learning"}
    assert registry[second].short_name == "Offer" and registry[second].tags == {"anac-2019", "x"}
    assert [i.key for i in registry.get_all_by_class(Offer)] == [first, second]
    assert registry.get_by_class(f"{__name__}.Offer") is info and registry.is_registered(Offer)
    assert registry.get_class("offer") is Offer and registry.get_class("nothing") is None
    assert get_registered_class(f"{__name__}.Offer", registry) is Offer
    made = registry.create("offer", name="mine")
    assert (made.level, made.name) == (0.9, "mine")
    with pytest.raises(KeyError, match="No registration found for: nothing"):
        registry.create("nothing")
    with pytest.raises(ValueError, match=r"no class is named 'no\.such\.Class'"):
        registry.register("no.such.Class")


def test_queries_by_tags_and_fields_and_unregistering() -> None:
    registry = Registry(ComponentInfo)
    a = registry.register(Offer, short_name="a", component_type="offering", tags={"fast"})
    b = registry.register(Offer, short_name="b", source="mine")
    assert registry[a].tags == {"offering", "fast"} and registry[b].component_type == "generic"
    assert set(registry.query(tags={"fast", "offering"})) == {a}
    assert set(registry.query(any_tags=["fast", "slow"], source="unknown")) == {a}
    assert set(registry.query(exclude_tags=("fast",))) == {b}
    assert registry.query(no_such_field=1) == {} and registry.list_tags() == {"offering", "fast"}
    assert registry.unregister(a) and not registry.unregister(a)
    assert registry.get_all_by_class(Offer) == [registry[b]]
    keys = registry.register_many([{"cls": Offer, "short_name": "c"}], source="lib")
    assert registry[keys[0]].source == "lib"
    assert registry.unregister(Offer) and len(registry) == 0 and not registry.is_registered(Offer)
    # Entries removed with the dict API leave no stale answers behind.
    kept, dropped = registry.register(Offer), registry.register(Offer)
    del registry[dropped]
    assert registry.get_all_by_class(Offer) == [registry[kept]]
    assert registry.unregister(kept) and not registry.is_registered(Offer)


def test_decorators_register_in_the_process_wide_registry() -> None:
    @register_negotiator(short_name="decorated", bilateral_only=True, paper="x")
    class Decorated:
        pass

    try:
        info = negotiator_registry.get_by_class(Decorated)
        assert info is not None and info.short_name == "decorated"
        assert info.tags == {"bilateral-only"} and info.extra == {"paper": "x"}
    finally:
        negotiator_registry.unregister(Decorated)
    assert not negotiator_registry.is_registered(Decorated)


def test_scenario_registry_by_path_name_tags_and_ranges(tmp_path: Path) -> None:
    folder = tmp_path / "pie"
    # A path need not exist yet to be registered (nothing is read but file names).
    registry = ScenarioRegistry()
    small = registry.register(folder, n_outcomes=10, opposition_level=0.2, tags={"anac"})
    again = registry.register(str(folder))
    assert again is small and small.name == "pie" and small.path == folder.resolve()
    other = registry.register(tmp_path / "b.xml", name="pie", n_outcomes=1000)
    assert [i.path.name for i in registry.get_by_name("pie")] == ["pie", "b.xml"]
    assert list(registry.query(n_outcomes=(None, 100))) == [str(folder.resolve())]
    assert list(registry.query(n_outcomes=1000)) == [str(other.path)]
    # An unknown number never matches a numeric filter.
    assert registry.query(n_negotiators=(0, None)) == {}
    assert list(registry.query(tags={"anac"}, opposition_level=(0.1, 0.3))) == [
        str(folder.resolve())
    ]
    with pytest.warns(DeprecationWarning, match="'anac' is deprecated"):
        assert len(registry.query(anac=True)) == 1
    del registry[str(other.path)]
    assert registry.get_by_name("pie") == [small]
    assert registry.list_names() == ["pie"] and registry.unregister("pie")
    assert len(registry) == 0 and not registry.unregister("pie")


def test_scenario_registry_tags_the_format_and_loads(tmp_path: Path) -> None:
    from tests.scenarios.scenario_files import write_genius

    folder = write_genius(tmp_path / "holiday")
    registry = ScenarioRegistry()
    info = registry.register(folder)
    assert "xml" in info.tags and "file" not in info.tags
    loaded = registry.load("holiday")
    assert isinstance(loaded, Scenario) and loaded.n_issues == 3
    assert registry.load(folder).n_issues == 3
    with pytest.raises(KeyError, match="No scenario found for: nothing"):
        registry.load("nothing")

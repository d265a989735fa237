"""load_registry of the same folder twice keeps one copy of each entry (review of session 20)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from palaver.registry import component_registry, negotiator_registry
from palaver.registry_builtins import register_builtins
from palaver.registry_files import clear_registry, load_registry, save_registry
from palaver.scenarios.registry import scenario_registry


class Seller:
    """A class to register."""

    def __init__(self, level: float = 0.5) -> None:
        self.level = level


@pytest.fixture
def empty_registries() -> Iterator[None]:
    clear_registry()
    yield
    clear_registry()
    register_builtins()  # the process's usual state: palaver.negmas registered them


@pytest.mark.usefixtures("empty_registries")
def test_loading_a_folder_twice_adds_nothing_the_second_time(tmp_path: Path) -> None:
    key = negotiator_registry.register(Seller, short_name="seller", params={"level": 0.7})
    other = negotiator_registry.register(Seller, short_name="seller", params={"level": 0.2})
    component_registry.register(Seller, component_type="acceptance", tags={"t"})
    scenario_registry.register(tmp_path / "scen", tags={"x"})
    save_registry(tmp_path / "reg")
    clear_registry()  # as a new process that loads the folder
    first = load_registry(tmp_path / "reg")
    assert first == {"mechanisms": 0, "negotiators": 2, "components": 1, "scenarios": 1}
    assert sorted(negotiator_registry) == sorted([key, other])  # the saved keys
    # Loading it again used to register every class again under new keys.
    second = load_registry(tmp_path / "reg")
    assert second == {"mechanisms": 0, "negotiators": 0, "components": 0, "scenarios": 0}
    assert len(negotiator_registry) == 2 and len(component_registry) == 1
    assert sorted(i.params["level"] for i in negotiator_registry.values()) == [0.2, 0.7]
    assert len(scenario_registry) == 1


@pytest.mark.usefixtures("empty_registries")
def test_a_registration_code_made_again_is_not_duplicated_by_loading(tmp_path: Path) -> None:
    negotiator_registry.register(Seller, short_name="seller", params={"level": 0.7})
    save_registry(tmp_path / "reg")
    clear_registry()
    # The same registration made by code (under a new key), then the folder loaded.
    mine = negotiator_registry.register(Seller, short_name="seller", params={"level": 0.7})
    assert load_registry(tmp_path / "reg")["negotiators"] == 0
    assert list(negotiator_registry) == [mine]
    # A registration that differs (other params) is another entry and is added.
    clear_registry()
    negotiator_registry.register(Seller, short_name="seller", params={"level": 0.1})
    assert load_registry(tmp_path / "reg")["negotiators"] == 1
    assert len(negotiator_registry) == 2


def test_a_key_registered_twice_is_refused() -> None:
    key = negotiator_registry.register(Seller)
    try:
        with pytest.raises(ValueError, match=r"the key 'Seller#.*' is already"):
            negotiator_registry._add(key, Seller, None, "unknown", None, None, None)
    finally:
        negotiator_registry.unregister(key)

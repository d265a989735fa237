"""The built-in registrations NegMAS code finds in its registries (registry21)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import palaver.negmas as negmas
import palaver.registry_files as registry_files
from palaver.negotiators.genius import GeniusBridgeUnavailable
from palaver.negotiators.micro import MiCRO
from palaver.registry import Registry, component_registry, mechanism_registry, negotiator_registry
from palaver.registry_builtins import BUILTIN_SOURCE, register_builtins
from palaver.registry_files import clear_registry, load_registry, save_registry
from palaver.scenarios.registry import scenario_registry


@pytest.fixture(autouse=True)
def builtins_only() -> Iterator[None]:
    """Each test starts (and leaves the process) with exactly the built-ins."""
    clear_registry()
    register_builtins()
    yield
    clear_registry()
    register_builtins()


def one(registry: Registry[Any], name: str) -> Any:
    """The one registration of ``name``."""
    infos = registry.get_by_short_name(name)
    assert len(infos) == 1, f"{name}: {len(infos)} registrations"
    return infos[0]


def test_importing_the_facade_registers_the_builtins_and_palaver_alone_does_not() -> None:
    code = (
        "import palaver, palaver.registry as r; assert len(r.negotiator_registry) == 0; "
        "import palaver.negmas; print(len(r.mechanism_registry), len(r.negotiator_registry) > 100)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [str(len(mechanism_registry)), "True"]


def test_mechanisms_carry_negmas_tags_and_their_true_palaver_path() -> None:
    sao = one(mechanism_registry, "SAOMechanism")
    assert sao.cls is negmas.SAOMechanism and sao.source == BUILTIN_SOURCE
    assert sao.tags == {"builtin", "sao", "requires-deadline", "propose", "respond"}
    assert sao.full_type_name == "palaver.mechanisms.sao.SAOMechanism"
    assert one(mechanism_registry, "VetoSTMechanism").tags == {"builtin", "st", "requires-deadline"}
    # Base classes and NegMAS's mechanisms Palaver lacks are not listed.
    assert mechanism_registry.get_class("Mechanism") is None
    assert mechanism_registry.get_class("TAUMechanism") is None


def test_negotiators_are_registered_under_negmas_names_with_strategy_tags() -> None:
    micro = one(negotiator_registry, "MiCRONegotiator")
    assert micro.cls is MiCRO and "micro" in micro.tags
    asp = one(negotiator_registry, "AspirationNegotiator")
    assert {"builtin", "sao", "aspiration", "time-based", "propose", "respond"} <= asp.tags
    assert "genius" not in asp.tags
    assert negotiator_registry.get_class("SAONegotiator") is None
    made = negotiator_registry.create("AspirationNegotiator")
    assert isinstance(made, negmas.AspirationNegotiator)


def test_genius_agents_carry_their_anac_year_and_refuse_to_be_made() -> None:
    names = {i.short_name for i in negotiator_registry.query(tags={"anac-2019"}).values()}
    assert {"AgentGG", "TheNewDeal"} <= names and "AgentK" not in names
    agent_k = one(negotiator_registry, "AgentK")
    assert {"genius", "anac", "anac-2010", "java-bridge"} <= agent_k.tags
    assert "builtin" not in agent_k.tags
    with pytest.raises(GeniusBridgeUnavailable):
        negotiator_registry.create("AgentK")
    boa = one(negotiator_registry, "GHardHeaded")
    assert {"genius", "boa", "gb", "anac-2011"} <= boa.tags and "java-bridge" not in boa.tags
    assert type(negotiator_registry.create("GHardHeaded")).__name__ == "GHardHeaded"


def test_components_are_registered_by_kind() -> None:
    assert one(component_registry, "AcceptImmediately").component_type == "acceptance"
    assert one(component_registry, "RandomOfferingPolicy").component_type == "offering"
    bayes = one(component_registry, "GBayesianModel")
    assert bayes.component_type == "model" and {"genius", "boa", "model"} <= bayes.tags
    models = component_registry.query(component_type="model")
    assert models and all("model" in info.tags for info in models.values())
    assert component_registry.get_class("AcceptancePolicy") is None


def test_registering_again_restores_what_was_cleared_and_never_duplicates() -> None:
    sizes = (len(mechanism_registry), len(negotiator_registry), len(component_registry))
    assert register_builtins() == {"mechanisms": 0, "negotiators": 0, "components": 0}
    clear_registry(include_mechanisms=False, include_components=False)
    assert len(negotiator_registry) == 0 and len(mechanism_registry) == sizes[0]
    importlib.reload(importlib.import_module("palaver.negmas.registry_init"))
    assert (len(mechanism_registry), len(negotiator_registry), len(component_registry)) == sizes


def test_a_user_registration_of_a_builtin_class_is_kept_apart() -> None:
    key = negotiator_registry.register(negmas.AspirationNegotiator, short_name="mine")
    clear_registry(include_mechanisms=False, include_components=False)
    negotiator_registry.register(negmas.AspirationNegotiator, short_name="mine")
    assert register_builtins()["negotiators"] > 100
    assert (
        key not in negotiator_registry and len(negotiator_registry.get_by_short_name("mine")) == 1
    )


def test_builtins_save_and_load_back(tmp_path: Path) -> None:
    count = len(negotiator_registry)
    save_registry(tmp_path, include_scenarios=False)
    clear_registry()
    loaded = load_registry(tmp_path)
    assert loaded["negotiators"] == count and len(negotiator_registry) == count
    assert one(negotiator_registry, "MiCRONegotiator").cls is MiCRO
    assert register_builtins() == {"mechanisms": 0, "negotiators": 0, "components": 0}


def test_no_scenario_is_built_in() -> None:
    assert len(scenario_registry) == 0


def test_the_default_folder_is_palavers_and_used_only_when_saving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Path.home() / "palaver" / "registry" == negmas.DEFAULT_REGISTRY_PATH
    monkeypatch.setattr(registry_files, "DEFAULT_REGISTRY_PATH", tmp_path / "reg")
    assert not (tmp_path / "reg").exists()
    assert save_registry(include_scenarios=False) == tmp_path / "reg"
    assert (tmp_path / "reg" / "negotiators.json").is_file()
    assert load_registry() == {"mechanisms": 0, "negotiators": 0, "components": 0, "scenarios": 0}


def test_every_runnable_builtin_negotiator_is_made_from_its_registration_alone() -> None:
    # Meta negotiators need their members; Genius's Java agents cannot run here.
    runnable = negotiator_registry.query(exclude_tags={"meta", "java-bridge"})
    assert len(runnable) > 40
    for key, info in runnable.items():
        assert isinstance(negotiator_registry.create(key), info.cls), info.short_name

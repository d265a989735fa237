"""Registries refuse one string where tags are a collection (review of session 20):
set("genius") is its letters, so the tags were single letters, silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from palaver.registry import NegotiatorInfo, Registry
from palaver.scenarios.registry import ScenarioRegistry


class _Mine:
    """A class to register."""


def test_a_class_registry_refuses_a_string_of_tags() -> None:
    registry = Registry(NegotiatorInfo)
    with pytest.raises(TypeError, match=r"tags must be a set, list or tuple .* 'genius'"):
        registry.register(_Mine, tags="genius")  # type: ignore[arg-type]
    assert not registry
    key = registry.register(_Mine, tags={"genius"})
    for keyword in ("tags", "any_tags", "exclude_tags"):
        with pytest.raises(TypeError, match=rf"{keyword} must be a set, list or tuple"):
            registry.query(**{keyword: "genius"})
    with pytest.raises(TypeError, match=r"tags must be a set"):
        registry[key].has_all_tags("genius")  # type: ignore[arg-type]
    assert list(registry.query(tags=["genius"])) == [key]


def test_a_scenario_registry_refuses_a_string_of_tags(tmp_path: Path) -> None:
    registry = ScenarioRegistry()
    with pytest.raises(TypeError, match=r"tags must be a set, list or tuple .* 'anac'"):
        registry.register(tmp_path / "s", tags="anac")  # type: ignore[arg-type]
    registry.register(tmp_path / "s", tags={"anac"})
    with pytest.raises(TypeError, match=r"tags must be a set, list or tuple"):
        registry.query(tags="anac")
    assert len(registry.query(tags={"anac"})) == 1

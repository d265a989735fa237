"""NegMAS's catalogue of Genius agents (negmas.genius.ginfo) is refused with an
ImportError that says why, wherever NegMAS code reaches for one of its names."""

from __future__ import annotations

import importlib

import pytest

from palaver.negotiators.genius import GENIUS_CATALOGUE_NAMES, GeniusCatalogueUnavailable


def test_from_import_of_a_catalogue_name_says_why() -> None:
    with pytest.raises(GeniusCatalogueUnavailable, match="catalogue of Genius agents") as info:
        exec("from palaver.negmas.genius.ginfo import get_anac_agents", {})
    assert isinstance(info.value, ImportError)
    assert "palaver.negmas.genius.ginfo.get_anac_agents" in str(info.value)
    assert "GENIUS_AGENT_NAMES" in str(info.value)


@pytest.mark.parametrize("module", ["palaver.negmas", "palaver.negmas.genius"])
@pytest.mark.parametrize("name", ["TESTED_NEGOTIATORS", "GENIUS_INFO", "ALL_GENIUS_NEGOTIATORS"])
def test_every_module_refuses_the_catalogue(module: str, name: str) -> None:
    assert name in GENIUS_CATALOGUE_NAMES
    with pytest.raises(GeniusCatalogueUnavailable, match=name):
        getattr(importlib.import_module(module), name)


def test_other_missing_names_stay_attribute_errors() -> None:
    ginfo = importlib.import_module("palaver.negmas.genius.ginfo")
    assert not hasattr(ginfo, "no_such_name")
    # the agents' names themselves import (making one is what is refused)
    assert ginfo.AgentK.__name__ == "AgentK"

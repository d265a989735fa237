"""NegMAS's Genius names: importable, reporting no bridge, refusing to make Java agents."""

from __future__ import annotations

import pytest

from palaver.negmas import (
    AspirationNegotiator,
    GeniusBridge,
    GeniusNegotiator,
    SAONegotiator,
    genius_bridge_is_installed,
    genius_bridge_is_running,
    init_genius_bridge,
)
from palaver.negotiators.genius import GENIUS_AGENT_NAMES, GeniusBridgeUnavailable


def test_the_bridge_is_reported_absent_and_cannot_start() -> None:
    assert genius_bridge_is_running() is False and genius_bridge_is_running(1234) is False
    assert genius_bridge_is_installed() is False
    assert GeniusBridge.is_running() is False and GeniusBridge.is_installed() is False
    with pytest.raises(GeniusBridgeUnavailable, match="cannot run Genius agents"):
        GeniusBridge.start(0)
    with pytest.raises(GeniusBridgeUnavailable, match="init_genius_bridge"):
        init_genius_bridge()


def test_making_a_genius_agent_raises_naming_it_and_its_java_class() -> None:
    with pytest.raises(GeniusBridgeUnavailable, match=r"GeniusNegotiator \(agents\.X\)"):
        GeniusNegotiator(java_class_name="agents.X")
    from palaver.negmas.genius.gnegotiators import Atlas3, YXAgent

    assert issubclass(Atlas3, GeniusNegotiator) and issubclass(Atlas3, SAONegotiator)
    with pytest.raises(NotImplementedError, match="YXAgent needs NegMAS's Java bridge"):
        YXAgent()
    assert len(GENIUS_AGENT_NAMES) == 196 and "AgentK" in GENIUS_AGENT_NAMES
    assert AspirationNegotiator(name="a").name == "a"  # Palaver's own need no bridge

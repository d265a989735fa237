"""An empty event type selects no event: refused where a listener or a filter is given."""

from __future__ import annotations

from typing import Any

import pytest
from world_helpers import LedgerWorld

from palaver.world import WorldParameterError


class Listener:
    def __init__(self) -> None:
        self.seen: list[Any] = []

    def on_event(self, event: Any, sender: Any) -> None:
        self.seen.append(event)


def test_register_listener_refuses_an_empty_type() -> None:
    world = LedgerWorld(n_steps=1)
    with pytest.raises(WorldParameterError, match=r"event_type='' is not an event type"):
        world.register_listener("", Listener())
    listener = Listener()
    world.register_listener("my_event", listener)  # a user type may use any other name
    world.record_event("my_event", {"x": 1})
    assert [e.type for e in listener.seen] == ["my_event"]


def test_an_event_types_filter_refuses_an_empty_type() -> None:
    with pytest.raises(WorldParameterError, match=r"event_types='' is not an event type"):
        LedgerWorld(n_steps=1, event_types=["step_start", ""])

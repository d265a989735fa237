"""A negotiator made without an owner: the owner setter is skipped only where it did nothing."""

from __future__ import annotations

from typing import Any

from palaver.negotiators import AspirationNegotiator
from palaver.preferences import LinearUtilityFunction


def _ufun() -> LinearUtilityFunction:
    return LinearUtilityFunction([1.0])


def test_owner_defaults_to_none_and_an_agent_sets_the_owner_id() -> None:
    negotiator = AspirationNegotiator(ufun=_ufun())
    assert negotiator.owner is None and negotiator.owner_id is None

    class Owner:
        id = "agent-7"

    owned = AspirationNegotiator(ufun=_ufun(), owner=Owner())
    assert owned.owner_id == "agent-7"


def test_a_subclass_owner_property_and_setattr_still_see_the_owner_set() -> None:
    seen: list[Any] = []

    class OwnOwner(AspirationNegotiator):
        @property  # type: ignore[override]
        def owner(self) -> Any:
            return self._mine

        @owner.setter
        def owner(self, value: Any) -> None:
            seen.append(value)
            self._mine = value

    assert OwnOwner(ufun=_ufun()).owner is None
    assert seen == [None]

    names: list[str] = []

    class Watching(AspirationNegotiator):
        def __setattr__(self, name: str, value: Any) -> None:
            names.append(name)
            super().__setattr__(name, value)

    Watching(ufun=_ufun())
    assert "owner" in names

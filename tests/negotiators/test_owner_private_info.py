"""NegMAS's owner, private_info, opponent_ufun and reserved_outcome of negotiators."""

from __future__ import annotations

import pytest

from palaver.negotiators import AspirationNegotiator, Negotiator, all_negotiator_types
from palaver.preferences import LinearUtilityFunction
from palaver.world import Agent


def test_defaults_are_none_and_empty() -> None:
    n = AspirationNegotiator(ufun=LinearUtilityFunction([1.0], reserved_value=0.2))
    assert n.owner is None and n.owner_id is None
    assert n.private_info == {} and n.opponent_ufun is None
    # No Palaver utility function defines a reserved outcome (NegMAS: ordinal ones do).
    assert n.reserved_outcome is None
    assert AspirationNegotiator().reserved_outcome is None


def test_private_info_gives_the_opponent_ufun() -> None:
    theirs = LinearUtilityFunction([-1.0])
    n = Negotiator(private_info={"opponent_ufun": theirs, "note": 1})
    assert n.opponent_ufun is theirs and n.private_info["note"] == 1
    with pytest.raises(TypeError, match=r"private_info must be a dict or None; got \[1\]"):
        Negotiator(private_info=[1])  # type: ignore[arg-type]


def test_reserved_outcome_comes_from_the_ufun() -> None:
    class Ordinal(LinearUtilityFunction):
        reserved_outcome = (3,)

    assert Negotiator(ufun=Ordinal([1.0])).reserved_outcome == (3,)


def test_owner_given_or_set_sets_owner_id() -> None:
    agent = Agent(id="a1")
    n = Negotiator(owner=agent)
    assert n.owner is agent and n.owner_id == "a1"
    n.owner = None
    assert n.owner is None


@pytest.mark.parametrize("cls", all_negotiator_types(), ids=lambda c: c.__name__)
def test_every_shipped_negotiator_takes_owner_and_private_info(cls: type[Negotiator]) -> None:
    agent = Agent(id="a7")
    theirs = LinearUtilityFunction([-1.0])
    n = cls(owner=agent, private_info={"opponent_ufun": theirs})
    assert n.owner is agent and n.owner_id == "a7" and n.opponent_ufun is theirs

"""An agent's ufun is checked where it is set, not when a negotiation starts."""

from __future__ import annotations

import pickle
import re
from typing import Any

import pytest
from world_helpers import LedgerWorld

from palaver.preferences import LinearUtilityFunction, MappingUtilityFunction
from palaver.world import Agent, WorldParameterError


@pytest.mark.parametrize("bad", ["x", 5, 1.5, object, [1.0, 2.0]])
@pytest.mark.parametrize("attribute", ["ufun", "preferences"])
def test_setting_a_non_ufun_raises_naming_the_attribute_and_keeps_the_old_one(
    attribute: str, bad: Any
) -> None:
    u = LinearUtilityFunction([1.0])
    agent = Agent(ufun=u)
    with pytest.raises(
        TypeError, match=rf"^{attribute} must be a utility function.*got {re.escape(repr(bad))}"
    ):
        setattr(agent, attribute, bad)
    assert agent.ufun is u
    assert agent.preferences is u


def test_a_function_is_wrapped_and_none_clears_it() -> None:
    agent = Agent()
    assert agent.ufun is None
    agent.ufun = lambda outcome: 1.0
    assert isinstance(agent.ufun, MappingUtilityFunction)
    assert agent.preferences is agent.ufun
    u = LinearUtilityFunction([1.0])
    agent.preferences = u
    assert agent.ufun is u
    agent.ufun = None
    assert agent.preferences is None


def test_an_agent_pickled_with_its_ufun_reads_it_back() -> None:
    u = LinearUtilityFunction([2.0])
    agent = pickle.loads(pickle.dumps(Agent(ufun=u)))
    assert isinstance(agent.ufun, LinearUtilityFunction)
    assert agent.ufun((3,)) == 6.0


def test_join_refuses_two_different_ufuns_and_leaves_the_agent_out() -> None:
    world = LedgerWorld(n_steps=1)
    agent = Agent(id="a")
    with pytest.raises(WorldParameterError, match="give ufun or preferences"):
        world.join(
            agent, ufun=LinearUtilityFunction([1.0]), preferences=LinearUtilityFunction([2.0])
        )
    assert world.agents == {}
    same = LinearUtilityFunction([1.0])
    world.join(agent, ufun=same, preferences=same)
    assert agent.ufun is same

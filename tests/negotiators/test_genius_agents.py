"""NegMAS's Python Genius agents: their parts, overrides and a negotiation."""

from __future__ import annotations

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import (
    AspirationNegotiator,
    BOANegotiator,
    GACCombiMax,
    GACConst,
    GACNext,
    GAgentLG,
    GAgentSmith,
    GBoulware,
    GBoulwareOffering,
    GHardHeaded,
    GHardHeadedFrequencyModel,
    GRandom,
    GSmithFrequencyModel,
    GTimeDependentOffering,
)
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearUtilityFunction


def test_parts_defaults_and_overrides() -> None:
    agent = GHardHeaded(e=0.5, name="hh")
    assert isinstance(agent, BOANegotiator) and agent.name == "hh"
    assert isinstance(agent.offering, GTimeDependentOffering) and agent.offering.e == 0.5
    assert (
        isinstance(agent.acceptance, GACNext) and agent.acceptance.offering_policy is agent.offering
    )
    assert isinstance(agent.model, GHardHeadedFrequencyModel)
    smith = GAgentSmith(c=0.6, model_params={"default_value": 2})
    assert isinstance(smith.acceptance, GACConst) and smith.acceptance.c == 0.6
    assert isinstance(smith.model, GSmithFrequencyModel) and smith.model.default_value == 2
    assert isinstance(GAgentLG().acceptance, GACCombiMax)
    ready = GBoulwareOffering(e=0.1)
    assert GBoulware(offering=ready).offering is ready
    assert GBoulware(offering_params={"e": 0.3}).offering.e == 0.3  # type: ignore[union-attr]
    with pytest.raises(TypeError, match="offering_params must be a dict"):
        GBoulware(offering_params=[("e", 0.3)])


def test_genius_agents_negotiate() -> None:
    space = make_os([make_issue(10, "a"), make_issue(10, "b")])
    mine = LinearUtilityFunction([0.05, 0.05], outcome_space=space, reserved_value=0.2)
    theirs = LinearUtilityFunction(
        [-0.05, -0.05], bias=0.9, outcome_space=space, reserved_value=0.2
    )
    mechanism = SAOMechanism(outcome_space=space, n_steps=60)
    hardheaded = GHardHeaded()
    mechanism.add(hardheaded, ufun=mine)
    mechanism.add(AspirationNegotiator(), ufun=theirs)
    agreement = mechanism.run().agreement
    assert agreement is not None and mine(agreement) >= 0.2
    assert hardheaded.private_info["opponent_ufun"] is hardheaded.model
    # GRandom accepts the first offer it is shown
    quick = SAOMechanism(outcome_space=space, n_steps=10)
    quick.add(AspirationNegotiator(), ufun=theirs)
    quick.add(GRandom(), ufun=mine)
    assert quick.run().agreement == theirs.best()

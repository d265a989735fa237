"""GScalableBayesianModel: NegMAS's online value learning (equal issue weights)."""

from __future__ import annotations

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import (
    BoulwareTBNegotiator,
    GScalableBayesianModel,
    NiceTitForTatNegotiator,
)
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearAdditiveUtilityFunction, LinearUtilityFunction

SPACE = make_os([make_issue(3, "a"), make_issue(["x", "y"], "b")])


def learned(*offers: tuple[object, ...]) -> GScalableBayesianModel:
    model = GScalableBayesianModel()
    holder = NiceTitForTatNegotiator(name="n", opponent_model=model)
    holder.ufun = LinearAdditiveUtilityFunction.random(outcome_space=SPACE)
    for offer in offers:
        model.on_partner_proposal(None, "p", offer)
    return model


def test_values_move_towards_one_and_the_others_decay() -> None:
    model = learned()
    assert model((0, "x")) == 0.5 and model(None) == 0.0
    model = learned((2, "y"))
    # issue a: 2 -> 0.5 + 0.1 * 0.5 = 0.55, 0 and 1 -> 0.5 * 0.99 = 0.495; divided by 0.55
    assert model((2, "y")) == pytest.approx(1.0)
    assert model((0, "y")) == pytest.approx((0.495 / 0.55 + 1.0) / 2)
    assert model((0, "x")) == pytest.approx(0.495 / 0.55)
    twice = learned((2, "y"), (2, "y"))
    assert twice((0, "x")) == pytest.approx((0.495 / 0.55) * 0.99 / (1.0 + 0.1 * 0.0))
    assert twice.n_observed == 2


def test_it_drives_nice_tit_for_tat_to_a_rational_agreement() -> None:
    space = make_os([make_issue(6, "a"), make_issue(6, "b")])
    mine = LinearUtilityFunction([0.1, 0.1], outcome_space=space, reserved_value=0.3)
    theirs = LinearUtilityFunction([-0.1, -0.1], bias=1.0, outcome_space=space, reserved_value=0.3)
    ntft = NiceTitForTatNegotiator(name="ntft", opponent_model_type=GScalableBayesianModel)
    assert isinstance(ntft.opponent_model, GScalableBayesianModel)
    m = SAOMechanism(outcome_space=space, n_steps=60, seed=2)
    m.add(ntft, ufun=mine)
    m.add(BoulwareTBNegotiator(name="opp"), ufun=theirs)
    agreement = m.run().agreement
    assert agreement is not None and mine(agreement) >= 0.3

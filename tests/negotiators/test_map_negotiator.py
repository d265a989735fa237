"""NegMAS's MAPNegotiator: a BOA negotiator with a list of models."""

from __future__ import annotations

import pytest

from palaver._util.warning_types import NegmasWarning
from palaver.mechanisms import SAOMechanism
from palaver.negotiators import (
    ACNext,
    AspirationNegotiator,
    FrequencyLinearUFunModel,
    FrequencyUFunModel,
    MAPNegotiator,
    TimeBasedOfferingPolicy,
)
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearUtilityFunction


def make_map(**kwargs: object) -> MAPNegotiator:
    offering = TimeBasedOfferingPolicy()
    return MAPNegotiator(acceptance=ACNext(offering_strategy=offering), offering=offering, **kwargs)  # type: ignore[arg-type]


def test_parts_order_and_the_opponent_ufun() -> None:
    first, second = FrequencyUFunModel(), FrequencyLinearUFunModel()
    with pytest.warns(NegmasWarning, match="Expecting a single model"):
        neg = make_map(models=[first, None, second], private_info={"secret": 42})
    assert neg.component_names == ["model0", "model2", "acceptance", "offering"]
    assert neg.models == [first, second] and neg.model is first
    assert neg.private_info == {"secret": 42, "opponent_ufun": first}
    assert neg.opponent_ufun is first and neg.type_name == "MAPNegotiator"
    reversed_order = make_map(models=[first], model_names=["m"], acceptance_first=False)
    assert reversed_order.component_names == ["m", "offering", "acceptance"]
    assert "opponent_ufun" not in make_map().private_info


def test_it_negotiates_and_its_model_learns() -> None:
    space = make_os([make_issue(6, "a"), make_issue(6, "b")])
    model = FrequencyLinearUFunModel()
    neg = make_map(models=[model])
    m = SAOMechanism(outcome_space=space, n_steps=30)
    m.add(neg, ufun=LinearUtilityFunction([0.1, 0.1], outcome_space=space, reserved_value=0.2))
    m.add(
        AspirationNegotiator(),
        ufun=LinearUtilityFunction([-0.1, -0.1], bias=1.0, outcome_space=space),
    )
    m.run()
    assert neg.private_info["opponent_ufun"] is model and model.n_observed > 0

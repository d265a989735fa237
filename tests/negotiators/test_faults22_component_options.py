"""Options of components and samplers that were read only when first used are
checked when made, naming the parameter and the value."""

from __future__ import annotations

import math
from typing import Any

import pytest

from palaver.negotiators import GHardHeadedFrequencyModel, TimeBasedOfferingPolicy
from palaver.preferences import AdaptiveParetoSampler, MOBANOSParetoSampler


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"curve": 0.5}, "curve must be a concession curve with utility_at"),
        ({"curve": "boulware"}, "curve must be a concession curve"),
        ({"stochastic": "yes"}, "stochastic must be True or False, got 'yes'"),
        ({"sorter": [1, 2]}, "sorter must be an inverse utility function"),
    ],
)
def test_time_based_offering_checks_its_options(options: dict[str, Any], fragment: str) -> None:
    with pytest.raises(TypeError, match=fragment):
        TimeBasedOfferingPolicy(**options)


@pytest.mark.parametrize("value", [math.nan, "1", None])
def test_hardheaded_model_learning_value_addition_is_a_number(value: Any) -> None:
    with pytest.raises((TypeError, ValueError), match="learning_value_addition must be"):
        GHardHeadedFrequencyModel(learning_value_addition=value)


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"max_cardinality": math.nan}, "max_cardinality must be an integer >= 1, got nan"),
        ({"max_cardinality": 0}, "max_cardinality must be an integer >= 1, got 0"),
        ({"max_bruteforce_outcomes": "10"}, "max_bruteforce_outcomes must be an integer >= 0"),
        ({"large_sampler": 3}, "large_sampler must be a Pareto sampler class"),
        ({"large_sampler": MOBANOSParetoSampler()}, "large_sampler must be a Pareto sampler class"),
    ],
)
def test_adaptive_pareto_sampler_checks_its_options(options: dict[str, Any], fragment: str) -> None:
    with pytest.raises((TypeError, ValueError), match=fragment):
        AdaptiveParetoSampler(**options)


def test_adaptive_pareto_sampler_takes_a_sampler_class() -> None:
    sampler = AdaptiveParetoSampler(large_sampler=MOBANOSParetoSampler, max_cardinality=10)
    assert sampler.large_sampler is MOBANOSParetoSampler and sampler.max_cardinality == 10

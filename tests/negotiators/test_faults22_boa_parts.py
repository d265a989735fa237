"""A BOA or MAP negotiator's parts are checked when it is made.

Anything that is not a component (a number, a text, a class instead of an
instance) failed inside the constructor with ``AttributeError: 'str' object has
no attribute 'set_negotiator'``, naming neither the parameter nor the value; a
text for a list of parts was taken letter by letter.
"""

from __future__ import annotations

from typing import Any

import pytest

from palaver.negotiators import (
    AcceptAnyRational,
    ACNext,
    BOANegotiator,
    FrequencyUFunModel,
    MAPNegotiator,
    RandomOfferingPolicy,
)


@pytest.mark.parametrize("kind", [BOANegotiator, MAPNegotiator])
@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"acceptance": "accept"}, "acceptance must be an AcceptancePolicy or None, got 'accept'"),
        ({"offering": 0.5}, "offering must be an OfferingPolicy or None, got 0.5"),
        ({"acceptance": ACNext}, "acceptance must be a component instance, got the class ACNext"),
        ({"extra_components": "ab"}, "extra_components must be a list (or None)"),
        ({"extra_components": [3]}, "extra_components[0] must be a component"),
        ({"extra_components": AcceptAnyRational()}, "extra_components must be a list"),
    ],
)
def test_a_part_that_is_not_a_component_is_refused_naming_it(
    kind: type, options: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(TypeError) as info:
        kind(**options)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"model": 3}, "model must be a component"),
    ],
)
def test_a_boa_model_that_is_not_a_component_is_refused(
    options: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(TypeError, match=fragment):
        BOANegotiator(**options)


@pytest.mark.parametrize(
    ("models", "fragment"),
    [("ab", r"models must be a list \(or None\)"), ([None, 7], r"models\[1\] must be")],
)
def test_map_models_that_are_not_components_are_refused(models: Any, fragment: str) -> None:
    with pytest.raises(TypeError, match=fragment):
        MAPNegotiator(models=models)


def test_components_in_any_iterable_are_still_taken() -> None:
    made = MAPNegotiator(
        acceptance=AcceptAnyRational(),
        offering=RandomOfferingPolicy(),
        models=(m for m in [FrequencyUFunModel()]),
        extra_components=(c for c in [AcceptAnyRational()]),
    )
    assert made.component_names == ["model0", "acceptance", "offering", "extra0"]


@pytest.mark.parametrize(
    ("options", "error", "fragment"),
    [
        ({"acceptance_first": "no"}, TypeError, "acceptance_first must be True or False"),
        ({"model_names": "ab"}, TypeError, r"model_names must be a list \(or None\)"),
        ({"extra_component_names": [3]}, TypeError, r"extra_component_names\[0\] must be a text"),
    ],
)
def test_map_options_of_the_wrong_kind_are_refused(
    options: dict[str, Any], error: type[Exception], fragment: str
) -> None:
    with pytest.raises(error, match=fragment):
        MAPNegotiator(**options)

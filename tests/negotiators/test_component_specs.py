"""Negotiators from NegMAS's command-line component specs."""

from __future__ import annotations

import pytest

from palaver.negotiators import (
    AspirationNegotiator,
    BOANegotiator,
    GACNext,
    GHardHeadedFrequencyModel,
    GTimeDependentOffering,
    get_component,
    get_negotiator,
    make_boa_negotiator,
    parse_component_spec,
)


def test_parse_component_spec_reads_literals_only() -> None:
    assert parse_component_spec(" GACNext ") == ("GACNext", {})
    assert parse_component_spec("X(e=0.2, names=['a', 'b'], f=g(1))") == (
        "X",
        {"e": 0.2, "names": ["a", "b"], "f": "g(1)"},  # a call is kept as text, never run
    )
    with pytest.raises(ValueError, match="not key=value"):
        parse_component_spec("X(0.2)")
    with pytest.raises(ValueError, match="must end with"):
        parse_component_spec("X(e=0.2")


def test_components_and_negotiators_by_name() -> None:
    assert get_component("GACNext") is GACNext
    with pytest.raises(ValueError, match="Cannot find component class: 'Nope'"):
        get_component("Nope")
    assert get_negotiator("AspirationNegotiator") is AspirationNegotiator
    assert get_negotiator("negmas.sao.AspirationNegotiator") is AspirationNegotiator
    with pytest.raises(ValueError, match="'Nope' is not a negotiator class"):
        get_negotiator("Nope")


def test_boa_specs_build_the_parts() -> None:
    negotiator = make_boa_negotiator(
        "offering=GTimeDependentOffering(e=0.5),acceptance=GACNext(a=0.9),"
        "model=GHardHeadedFrequencyModel(learning_coef=0.3)",
        name="n",
    )
    assert isinstance(negotiator, BOANegotiator) and negotiator.name == "n"
    offering, acceptance = negotiator.offering, negotiator.acceptance
    assert isinstance(offering, GTimeDependentOffering) and offering.e == 0.5
    assert isinstance(acceptance, GACNext) and acceptance.offering_policy is offering
    assert acceptance.a == 0.9
    assert isinstance(negotiator.model, GHardHeadedFrequencyModel)
    assert negotiator.model.learning_coef == 0.3
    factory = get_negotiator("map:offering=GTimeDependentOffering,acceptance=GACNext")
    assert factory(name="m").name == "m"  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="expected key=ComponentClass"):
        make_boa_negotiator("GACNext")

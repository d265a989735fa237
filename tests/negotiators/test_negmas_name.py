"""NegMAS's class names of Palaver's strategies (its tournaments label competitors by them)."""

from __future__ import annotations

import pytest

from palaver.negotiators import (
    AspirationNegotiator,
    BoulwareTBNegotiator,
    ConcederTBNegotiator,
    LinearTBNegotiator,
    MiCRONegotiator,
    NaiveTitForTatNegotiator,
    ToughNegotiator,
)
from palaver.negotiators.aliases import negmas_name


def test_negmas_aliases_are_named_as_in_negmas() -> None:
    for cls, name in [
        (MiCRONegotiator, "MiCRONegotiator"),
        (NaiveTitForTatNegotiator, "NaiveTitForTatNegotiator"),
        (BoulwareTBNegotiator, "BoulwareTBNegotiator"),
        (ConcederTBNegotiator, "ConcederTBNegotiator"),
        (LinearTBNegotiator, "LinearTBNegotiator"),
    ]:
        assert negmas_name(cls) == name
        assert cls.__name__ != name  # the Palaver class keeps its own name


def test_other_classes_keep_their_own_name() -> None:
    class Mine(AspirationNegotiator):
        pass

    assert negmas_name(AspirationNegotiator) == "AspirationNegotiator"
    assert negmas_name(ToughNegotiator) == "ToughNegotiator"
    assert negmas_name(Mine) == "Mine"


def test_something_that_is_not_a_class_is_named_in_the_error() -> None:
    with pytest.raises(TypeError, match=r"negmas_name: cls must be a class, got 'MiCRO'"):
        negmas_name("MiCRO")  # type: ignore[arg-type]

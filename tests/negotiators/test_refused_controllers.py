"""NegMAS's synchronized controllers load but are refused; SAOState.waiting; shorten."""

from __future__ import annotations

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import (
    AspirationNegotiator,
    SAORandomSyncController,
    SAOSingleAgreementAspirationController,
    SAOSyncController,
)
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction
from palaver.strings import shorten


@pytest.mark.parametrize(
    "cls", [SAOSyncController, SAORandomSyncController, SAOSingleAgreementAspirationController]
)
def test_sync_controllers_are_refused_with_what_to_use(cls: type) -> None:
    with pytest.raises(NotImplementedError, match=r"no WAIT answer.*SAOController"):
        cls(name="c")

    class Mine(cls):  # type: ignore[misc, valid-type]
        pass

    with pytest.raises(NotImplementedError, match="Mine"):
        Mine()


def test_the_state_never_waits() -> None:
    m = SAOMechanism(issues=[make_issue(5, "x")], n_steps=5)
    m.add(AspirationNegotiator(name="a"), ufun=LinearUtilityFunction([1.0]))
    m.add(AspirationNegotiator(name="b"), ufun=LinearUtilityFunction([-1.0]))
    m.run()
    assert m.state.waiting is False


def test_shorten_as_negmas() -> None:
    assert shorten("AspirationNegotiator") == "Aspi"
    assert shorten("BoulwareTBNegotiator") == "BoTB"
    assert shorten("NaiveTitForTatNegotiator") == "NTFT"
    assert shorten("Agent") == "Agen"  # a common part is dropped only from longer names
    assert shorten("Agent", length=5) == "Agent"
    assert shorten("MyAgent", length=2) == "My"
    from palaver.negmas.helpers.strings import shorten as from_negmas

    assert from_negmas is shorten

"""A negotiator's NegMAS-private ``_preferences`` is its utility function, set without callbacks."""

from __future__ import annotations

from types import SimpleNamespace

from palaver.mechanisms import ResponseType
from palaver.negotiators import ACCombi, NiceTitForTatNegotiator, PeekingOpponentModel
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearUtilityFunction


class Told(NiceTitForTatNegotiator):
    changes = 0

    def on_preferences_changed(self, changes: list) -> None:  # type: ignore[type-arg]
        type(self).changes += 1
        super().on_preferences_changed(changes)


def test_setting_private_preferences_replaces_the_ufun_silently() -> None:
    space = make_os([make_issue(10, "a"), make_issue(10, "b")])
    mine = LinearUtilityFunction([0.05, 0.05], outcome_space=space)
    theirs = LinearUtilityFunction([-0.05, -0.05], bias=1.0, outcome_space=space)
    n = Told(name="n", opponent_model=PeekingOpponentModel(ufun=theirs))
    n.ufun = mine
    told = Told.changes
    assert n._preferences is mine
    acceptance = n._acceptance
    assert isinstance(acceptance, ACCombi)
    state = SimpleNamespace(step=0, relative_time=1.0)
    assert acceptance(state, (9, 9), "o") is ResponseType.ACCEPT_OFFER
    n._preferences = None
    assert n.ufun is None and Told.changes == told  # no callback
    assert acceptance(state, (9, 9), "o") is ResponseType.REJECT_OFFER

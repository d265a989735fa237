"""NegMAS's on_partner_proposal / on_partner_response reach the negotiators that define them."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.mechanisms import ResponseType, SAOMechanism
from palaver.mechanisms.errors import NegotiatorError
from palaver.negotiators import AspirationNegotiator, NaiveTitForTat
from palaver.outcomes import Outcome, make_issue
from palaver.preferences import LinearUtilityFunction

ISSUES = [make_issue(10, "price"), make_issue(5, "quantity")]


class Modeller(AspirationNegotiator):
    """Keeps what its partners offered and answered, as opponent models do."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seen: list[tuple[str, Outcome]] = []
        self.answers: list[tuple[str, Outcome, ResponseType]] = []

    def on_partner_proposal(self, state: Any, partner_id: str, offer: Outcome) -> None:
        self.seen.append((partner_id, offer))

    def on_partner_response(
        self, state: Any, partner_id: str, outcome: Outcome, response: ResponseType
    ) -> None:
        self.answers.append((partner_id, outcome, response))


def _session(first: Any, **kwargs: Any) -> SAOMechanism:
    m = SAOMechanism(issues=ISSUES, n_steps=40, seed=3, **kwargs)
    m.add(first)
    m.add(NaiveTitForTat(name="other", ufun=LinearUtilityFunction([-1.0, -0.5], bias=11.0)))
    return m


def _seller(cls: type = AspirationNegotiator) -> Any:
    return cls(name="me", ufun=LinearUtilityFunction([1.0, 0.5]))


@pytest.mark.parametrize("one_offer_per_step", [False, True])
def test_a_watching_negotiator_hears_every_partner_offer_and_answer(
    one_offer_per_step: bool,
) -> None:
    # Never called before: an opponent model stayed empty, silently.
    watcher = _seller(Modeller)
    watched = _session(watcher, one_offer_per_step=one_offer_per_step)
    watched.run()
    plain = _session(_seller(), one_offer_per_step=one_offer_per_step)
    plain.run()
    # Watching changes nothing in the negotiation itself.
    assert watched.history == plain.history and watched.agreement == plain.agreement
    assert watcher.seen == [(who, o) for _, who, o in watched.history if who == "other"]
    assert watcher.answers and {who for who, _, _ in watcher.answers} == {"other"}
    assert all(isinstance(r, ResponseType) for _, _, r in watcher.answers)


def test_without_extra_callbacks_nobody_is_told() -> None:
    watcher = _seller(Modeller)
    _session(watcher, extra_callbacks=False).run()
    assert watcher.seen == [] and watcher.answers == []


def test_a_watcher_that_raises_is_its_own_error() -> None:
    class Broken(Modeller):
        def on_partner_proposal(self, state: Any, partner_id: str, offer: Outcome) -> None:
            raise KeyError("model")

    with pytest.raises(NegotiatorError, match=r"'me' raised KeyError in on_partner_proposal"):
        _session(_seller(Broken)).run()

"""Meta-negotiators: negotiators made of negotiators (NegMAS's MetaNegotiator family)."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.mechanisms import ResponseType, SAOMechanism
from palaver.negotiators import (
    BoulwareTBNegotiator,
    ConcederTBNegotiator,
    MeanMetaNegotiator,
    MetaNegotiator,
    Negotiator,
    OSMeanMetaNegotiator,
    RangeMetaNegotiator,
    SAOMetaNegotiator,
    SAONegotiator,
)
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearUtilityFunction

SPACE = make_os([make_issue(11, "x")])


def ufun(sign: float = 1.0) -> LinearUtilityFunction:
    return LinearUtilityFunction(
        [0.1 * sign], bias=0.0 if sign > 0 else 1.0, outcome_space=SPACE, reserved_value=0.0
    )


class Fixed(SAONegotiator):
    """Offers one outcome and gives one answer."""

    def __init__(self, offer: tuple[int, ...], answer: ResponseType, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.offer, self.answer, self.seen = offer, answer, 0

    def propose(self, state: Any, dest: str | None = None) -> tuple[int, ...]:
        self.seen += 1
        return self.offer

    def respond(self, state: Any, offer: Any) -> ResponseType:
        return self.answer


def joined(meta: MetaNegotiator) -> SAOMechanism:
    mechanism = SAOMechanism(outcome_space=SPACE, n_steps=20, seed=3)
    mechanism.add(meta, ufun=ufun())
    mechanism.add(BoulwareTBNegotiator(name="other"), ufun=ufun(-1.0))
    return mechanism


def test_holding_naming_and_removing() -> None:
    a, b = Negotiator(name="a"), Negotiator(name="b")
    meta = MetaNegotiator(negotiators=[a, b], negotiator_names=["first", "second"])
    assert meta.negotiators == (a, b) and meta.negotiator_names == ("first", "second")
    assert meta.get_negotiator("second") is b and meta.remove_negotiator("first") is a
    assert meta.get_negotiator("second") is b and meta.get_negotiator("first") is None
    with pytest.raises(ValueError, match="name 'second' is taken"):
        meta.add_negotiator(Negotiator(name="c"), name="second")
    with pytest.raises(TypeError, match="negotiator must be a Negotiator"):
        meta.add_negotiator("boulware")  # type: ignore[arg-type]
    made = MeanMetaNegotiator(
        negotiator_types=[BoulwareTBNegotiator, ConcederTBNegotiator],
        negotiator_params=[{"name": "b"}, {"name": "c"}],
    )
    assert [n.name for n in made.negotiators] == ["b", "c"]
    with pytest.raises(ValueError, match="Cannot specify both"):
        MeanMetaNegotiator(negotiators=[], negotiator_types=[BoulwareTBNegotiator])
    with pytest.raises(ValueError, match="Must specify either"):
        MeanMetaNegotiator()
    with pytest.raises(ValueError, match="Length of negotiator_params"):
        MeanMetaNegotiator(negotiator_types=[BoulwareTBNegotiator], negotiator_params=[{}, {}])


def test_held_negotiators_join_share_the_ufun_and_hear_the_callbacks() -> None:
    subs = [BoulwareTBNegotiator(name="b"), ConcederTBNegotiator(name="c")]
    meta = RangeMetaNegotiator(negotiators=subs, name="meta")
    mechanism = joined(meta)
    mechanism.run()
    for sub in subs:
        assert sub.nmi is meta.nmi and sub.ufun is meta.ufun
        assert sub.ranking is not None  # told on_negotiation_start
    assert mechanism.state.ended


def test_majority_answer_and_range_offer() -> None:
    accept, reject = ResponseType.ACCEPT_OFFER, ResponseType.REJECT_OFFER
    subs = [
        Fixed((2,), accept, name="s1"),
        Fixed((8,), reject, name="s2"),
        Fixed((8,), reject, name="s3"),
    ]
    meta = RangeMetaNegotiator(negotiators=subs, name="meta")
    mechanism = joined(meta)
    mechanism.step()
    assert meta.respond(mechanism.state, (5,)) is reject  # two of three reject
    offers = {meta.propose(mechanism.state) for _ in range(40)}
    # utilities of the offers: 0.2 and 0.8 -> candidates x = 2..8, drawn
    assert offers <= {(x,) for x in range(2, 9)} and len(offers) > 3


def test_mean_and_issue_mean_offers() -> None:
    accept = ResponseType.ACCEPT_OFFER
    subs = [Fixed((2,), accept, name="s1"), Fixed((9,), accept, name="s2")]
    mean = MeanMetaNegotiator(negotiators=subs, name="mean", initial_epsilon=0.01)
    joined(mean).step()
    # mean utility 0.55: within 0.01 no outcome, within 0.11 x = 5 or 6 (0.5, 0.6)
    assert {mean.propose(mean.nmi.state) for _ in range(20)} <= {(5,), (6,)}  # type: ignore[union-attr]
    space = make_os([make_issue(11, "x"), make_issue(["r", "g"], "c")])
    two = [Fixed((2, "r"), accept, name="t1"), Fixed((7, "g"), accept, name="t2")]
    osmean = OSMeanMetaNegotiator(negotiators=two, name="os")
    mechanism = SAOMechanism(outcome_space=space, n_steps=5, seed=1)
    mechanism.add(osmean, ufun=LinearUtilityFunction([0.1, 0.0], outcome_space=space))
    mechanism.add(
        BoulwareTBNegotiator(name="o"),
        ufun=LinearUtilityFunction([-0.1, 0.0], bias=1.0, outcome_space=space),
    )
    mechanism.step()
    offer = osmean.propose(mechanism.state)
    assert offer is not None and offer[0] in (4, 5) and offer[1] in ("r", "g")


def test_an_sao_meta_negotiator_without_aggregation_says_what_is_missing() -> None:
    meta = SAOMetaNegotiator(negotiators=[])
    with pytest.raises(NotImplementedError, match="must implement aggregate_proposals"):
        meta.propose(None)  # type: ignore[arg-type]

"""A negotiator reads the offers NegMAS's way from its interface: trace, negotiator_offers, ..."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.mechanisms import MechanismState, ResponseType, SAOMechanism
from palaver.negotiators import SAONegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearAdditiveUtilityFunction


class Reader(SAONegotiator):
    """Offers its step's value; on its answers, keeps what its interface shows."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seen: list[Any] = []

    def propose(self, state: MechanismState) -> Any:
        return (state.step % 3,)

    def respond(self, state: MechanismState, source: str | None = None) -> ResponseType:
        nmi = self.nmi
        partner = nmi.negotiator_ids[1 - nmi.negotiator_index(self.id)]
        self.seen.append((nmi.trace, nmi.negotiator_offers(partner), nmi.offers))
        return ResponseType.ACCEPT_OFFER if state.step == 1 else ResponseType.REJECT_OFFER


def test_the_interface_shows_the_offers_so_far() -> None:
    m = SAOMechanism(issues=[make_issue(3, "p")], n_steps=5)
    a, b = Reader(name="a"), Reader(name="b")
    for n, sign in ((a, 1.0), (b, -1.0)):
        m.add(n, ufun=LinearAdditiveUtilityFunction(
            values={"p": lambda v, s=sign: s * v}, outcome_space=m.outcome_space
        ))  # fmt: skip
    m.run()
    # b answers a's first offer: only it is there
    assert b.seen == [([("a", (0,))], [(0,)], [(0,)])]
    # a answers (and accepts, in round 1) b's first offer: a's and b's
    assert a.seen == [([("a", (0,)), ("b", (0,))], [(0,)], [(0,), (0,)])]
    nmi = a.nmi
    assert nmi.extended_trace == m.extended_trace and nmi.trace == m.trace
    assert nmi.mechanism_id == m.id
    assert (nmi.negotiator_index("b"), m.negotiator_index("a"), nmi.negotiator_index("x")) == (
        1,
        0,
        None,
    )
    with pytest.raises(ValueError, match="'x' is not a negotiator"):
        nmi.negotiator_offers("x")

"""RandomAlwaysAcceptingNegotiator: random offers, acceptance guaranteed by the deadline."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from palaver.mechanisms import ResponseType, SAOMechanism
from palaver.negotiators import RandomAlwaysAcceptingNegotiator
from palaver.preferences import MappingUtilityFunction


@pytest.mark.parametrize(("n_steps", "n", "oia"), [(2, 2, True), (2, 3, False), (30, 3, True)])
def test_two_or_more_always_agree_by_the_deadline(n_steps: int, n: int, oia: bool) -> None:
    m = SAOMechanism(outcomes=10, n_steps=n_steps, offering_is_accepting=oia, seed=5)
    for i, u in enumerate(MappingUtilityFunction.generate_random(n, outcomes=10)):
        m.add(RandomAlwaysAcceptingNegotiator(name=f"a{i}"), ufun=u)
    assert m.run().agreement is not None


def test_it_accepts_at_random_or_around_the_deadline() -> None:
    never = RandomAlwaysAcceptingNegotiator(p_acceptance=0.0, p_ending=0.0, p_rejection=1.0)
    m = SAOMechanism(outcomes=4, n_steps=10, seed=1)
    m.add(never)
    m.add(RandomAlwaysAcceptingNegotiator(name="other"))
    early, last = (
        SimpleNamespace(step=2, relative_time=0.3),
        SimpleNamespace(step=9, relative_time=0.95),
    )
    assert never.respond(early, (0,)) is ResponseType.REJECT_OFFER  # type: ignore[arg-type]
    assert never.respond(last, (0,)) is ResponseType.ACCEPT_OFFER  # type: ignore[arg-type]
    mute = RandomAlwaysAcceptingNegotiator(can_propose=False)
    assert mute.propose(early) is None  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="eps must be a non-negative"):
        RandomAlwaysAcceptingNegotiator(eps=-1.0)

"""Limits of one negotiator, ``add(negotiator, n_steps=..., time_limit=...)``, as NegMAS shows them.

Each negotiator sees the shorter of the mechanism's limits and its own: in its
interface and in the relative time of its calls; the negotiation ends at the
shortest of all, and the mechanism's own view keeps that shortest limit.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from palaver.mechanisms import MechanismState, ResponseType, SAOMechanism
from palaver.negotiators import AspirationNegotiator, SAONegotiator
from palaver.outcomes import Outcome, make_issue
from palaver.preferences import LinearUtilityFunction


class Clocked(SAONegotiator):
    """Rejects everything, offers its best, and notes the relative time of every call."""

    def __init__(self, name: str, pause: float = 0.0) -> None:
        super().__init__(name=name)
        self.pause = pause
        self.proposing: list[tuple[int, float]] = []
        self.responding: list[tuple[int, float]] = []
        self.watching: list[tuple[int, float]] = []
        self.ends: list[float] = []

    def on_negotiation_start(self, state: MechanismState) -> None:
        super().on_negotiation_start(state)
        self.ends.append(state.relative_time)

    def on_negotiation_end(self, state: MechanismState) -> None:
        super().on_negotiation_end(state)
        self.ends.append(state.relative_time)

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        self.proposing.append((state.step, state.relative_time))
        if self.pause:
            time.sleep(self.pause)
        return (9,)

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        self.responding.append((state.step, state.relative_time))
        return ResponseType.REJECT_OFFER


class Watching(Clocked):
    """Also told of the others' offers (NegMAS's on_partner_proposal)."""

    def on_partner_proposal(self, state: MechanismState, partner_id: str, offer: Outcome) -> None:
        self.watching.append((state.step, state.relative_time))


def test_each_negotiator_sees_its_own_round_limit_in_its_interface_and_calls() -> None:
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=40, seed=0)
    loose, tight = Clocked("loose"), Clocked("tight")
    assert m.add(loose) and m.add(tight, n_steps=10)
    # The negotiation ends at the shortest; each negotiator sees its own.
    assert m.n_steps == 10 and m.nmi.n_steps == 10
    assert loose.nmi is not None and tight.nmi is not None
    assert loose.nmi.n_steps == 40 and tight.nmi.n_steps == 10
    assert loose.nmi.limits.n_steps == 40 and tight.nmi.limits.n_steps == 10
    state = m.run()
    assert state.step == 10 and state.timedout
    assert loose.proposing == [(k, pytest.approx((k + 1) / 41)) for k in range(10)]
    assert tight.proposing == [(k, pytest.approx((k + 1) / 11)) for k in range(10)]
    assert loose.responding == [(k, pytest.approx((k + 1) / 41)) for k in range(1, 10)]
    assert tight.responding == [(k, pytest.approx((k + 1) / 11)) for k in range(10)]
    # Told of the start and the end by their own clocks too (NegMAS's).
    assert loose.ends == pytest.approx([1 / 41, 11 / 41]) and tight.ends == [1 / 11, 1.0]
    assert state.relative_time == 1.0


def test_a_longer_own_limit_than_the_mechanism_s_is_not_seen() -> None:
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=8, seed=0)
    a, b = Clocked("a"), Clocked("b")
    m.add(a, n_steps=30)
    m.add(b, n_steps=50, time_limit=120.0)
    assert a.nmi is not None and b.nmi is not None
    assert (a.nmi.n_steps, b.nmi.n_steps, m.n_steps) == (8, 8, 8)
    assert (a.nmi.time_limit, b.nmi.time_limit, m.time_limit) == (float("inf"), 120.0, 120.0)
    m.run()
    assert [t for _, t in a.proposing] == pytest.approx([(k + 1) / 9 for k in range(8)])
    assert [t for _, t in b.proposing] == pytest.approx([(k + 1) / 9 for k in range(8)])


def test_the_state_between_calls_and_watchers_keep_their_own_times() -> None:
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=30, seed=0)
    tight, loose = Watching("tight"), Watching("loose")
    m.add(tight, n_steps=5)
    m.add(loose)
    shared = []
    while m.state.running or not m.state.started:
        m.step()
        shared.append(m.state.relative_time)
    # The mechanism's state (what events, history and observers read) follows
    # the shortest limit, 5 rounds; the watchers see their own in their callbacks.
    assert shared == pytest.approx([(k + 1) / 6 for k in range(1, 5)] + [1.0])
    assert tight.watching == [(k, pytest.approx((k + 1) / 6)) for k in range(5)]
    assert loose.watching == [(k, pytest.approx((k + 1) / 31)) for k in range(5)]


def test_one_offer_per_step_counts_own_turns() -> None:
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=20, one_offer_per_step=True)
    a, b = Clocked("a"), Clocked("b")
    m.add(a, n_steps=6)
    m.add(b)
    assert m.run().step == 6
    assert a.proposing == [(k, pytest.approx((k + 1) / 7)) for k in (0, 2, 4)]
    assert b.proposing == [(k, pytest.approx((k + 1) / 21)) for k in (1, 3, 5)]


def test_an_own_time_limit_sets_the_negotiator_s_relative_time() -> None:
    m = SAOMechanism(issues=[make_issue(10, "price")], time_limit=5.0, seed=0)
    quick, slow = Clocked("quick", pause=0.01), Clocked("slow", pause=0.01)
    m.add(quick, time_limit=0.25)
    m.add(slow)
    assert quick.nmi is not None and slow.nmi is not None
    assert (quick.nmi.time_limit, slow.nmi.time_limit, m.time_limit) == (0.25, 5.0, 0.25)
    state = m.run()
    assert state.timedout and len(quick.proposing) >= 3
    # Relative time times each one's own limit is the seconds since the start:
    # in the order the calls were made, those never go back.
    calls = sorted(
        [(k, 0, t * 0.25) for k, t in quick.proposing]
        + [(k, 1, t * 5.0) for k, t in slow.responding + slow.proposing if k > 0 or t]
    )
    seconds = [s for _, _, s in calls]
    assert seconds == sorted(seconds) and seconds[-1] < 5.0
    assert max(t for _, t in slow.proposing) < 0.25 < max(t for _, t in quick.proposing)


def _aspiration(
    n_steps: int, own: dict[str, int | None]
) -> tuple[list[tuple[int, str, Outcome]], Outcome | None, int]:
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=n_steps)
    m.add(
        AspirationNegotiator(name="a", ufun=LinearUtilityFunction([1.0]), aspiration_type="linear"),
        n_steps=own["a"],
    )
    m.add(
        AspirationNegotiator(
            name="b", ufun=LinearUtilityFunction([-1.0], bias=9.0), aspiration_type="linear"
        ),
        n_steps=own["b"],
    )
    state = m.run()
    return [(k, nid or "", offer) for k, nid, offer in m.history], state.agreement, state.step


def _offers(*pairs: tuple[int, int]) -> list[tuple[int, str, Outcome]]:
    out: list[tuple[int, str, Any]] = []
    for k, (x, y) in enumerate(pairs):
        out += [(k, "a", (x,)), (k, "b", (y,))]
    return out


def test_aspiration_with_an_own_limit_makes_negmas_s_offers() -> None:
    # NegMAS 0.16 (SAOMechanism(n_steps=40), AspirationNegotiator("linear")
    # over one 10-valued issue, opposite linear utilities): with a 16-round
    # limit of its own, b concedes by 16 rounds and a by 40. Palaver showed
    # both the 16 rounds, so both conceded at b's pace (agreement (4,) at 10).
    offers = _offers(
        (9, 0), (9, 1), (9, 1), (9, 2), (8, 2), (8, 3), (8, 3),
        (8, 4), (8, 4), (7, 5), (7, 5), (7, 6), (7, 6),
    )  # fmt: skip
    assert _aspiration(40, {"a": None, "b": 16}) == (offers, (6,), 14)
    offers = _offers(
        (9, 0), (8, 0), (7, 0), (7, 0), (6, 1), (5, 1), (5, 1), (4, 1), (3, 1), (3, 2),
    )  # fmt: skip
    assert _aspiration(40, {"a": 12, "b": None}) == (offers, (2,), 11)

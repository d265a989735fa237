"""The quiet rounds of a MiCRO | tit-for-tat negotiation, counted and appended as turn by turn."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from palaver.mechanisms import ResponseType
from palaver.mechanisms.kept_replies import KeptReplies
from palaver.mechanisms.minimal_concession import MinimalConcession
from palaver.mechanisms.sao_duel_quiet import Quiet

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER


def _unused(*args: Any) -> Any:
    raise AssertionError("the quiet rounds call none of the tit-for-tat's methods")


def _concession(rng: np.random.Generator) -> MinimalConcession:
    n = int(rng.integers(4, 30))
    # Few distinct utilities: offers exactly at MiCRO's threshold are common.
    utilities = sorted(float(u) for u in rng.integers(0, 6, n))
    outcomes = [(k,) for k in range(n)]
    index = {o: k for k, o in enumerate(outcomes)}
    m = int(rng.integers(1, n // 2 + 1))
    made = [outcomes[n - 1 - k] for k in range(m)]  # walking down from the best
    others = outcomes[: n - m]
    received = {o for o in others if rng.random() < 0.5}
    return MinimalConcession(
        outcomes=outcomes,
        utilities=utilities,
        index=index,
        utility_at=utilities.__getitem__,
        lowest=0,
        reserved=float(rng.choice([-1.0, 1.0, 2.0])),
        accept_same=bool(rng.integers(2)),
        made=made,
        made_set=set(made),
        received=received,
        rng=np.random.default_rng(0),
    )


def _keep(
    rng: np.random.Generator,
    c: MinimalConcession,
    answers: dict[Any, Any],
    proposals: dict[Any, Any],
) -> None:
    """The tit-for-tat meets some more offers: what it keeps only grows."""
    for offer in c.outcomes:
        if offer not in answers and rng.random() < 0.6:
            answers[offer] = _ACCEPT if rng.random() < 0.1 else _REJECT
            if rng.random() < 0.9:
                proposals[offer] = c.outcomes[int(rng.integers(len(c.outcomes)))]


def _micro_lets_pass(c: MinimalConcession, offer: Any) -> bool:
    """MiCRO, conceding nothing, answers ``offer`` quietly: it knows it and refuses it."""
    worst = min(c.utility_at(c.index[o]) for o in c.made)
    u = c.utility_at(c.index[offer])
    accepts = u >= c.reserved and (u > worst or (u == worst and c.accept_same))
    return (offer in c.made_set or offer in c.received) and not accepts


def _reply(answers: dict[Any, Any], proposals: dict[Any, Any], offer: Any) -> Any:
    """The tit-for-tat's kept proposal after refusing ``offer`` (``None``: not kept or accepted)."""
    if answers.get(offer) != _REJECT:
        return None
    return proposals.get(offer)


def _reference(
    c: MinimalConcession, answers: Any, proposals: Any, me: int, standing: Any, draws: list[int]
) -> tuple[int, list[Any], Any, Any]:
    """The quiet rounds turn by turn: their number, offers, the offer standing
    after them and the last offer the tit-for-tat answered. A round counts
    when its turns are quiet and so are the next round's first turns (the
    tit-for-tat refuses MiCRO's offer, MiCRO its reply)."""
    turns: list[Any] = []
    if me == 0:
        facing = standing
        answered = None
        for j in draws:
            ours = c.made[j]
            theirs = _reply(answers, proposals, ours)
            if not _micro_lets_pass(c, facing) or theirs is None:
                break
            if not _micro_lets_pass(c, theirs):
                break
            turns += [ours, theirs]
            facing, answered = theirs, ours
        return len(turns) // 2, turns, facing, answered
    faced = standing
    theirs = _reply(answers, proposals, faced)
    if theirs is None or not _micro_lets_pass(c, theirs):
        return 0, [], standing, None
    answered = None
    for j in draws:
        ours = c.made[j]
        following = _reply(answers, proposals, ours)
        if following is None or not _micro_lets_pass(c, following):
            break
        turns += [theirs, ours]
        answered, faced, theirs = faced, ours, following
    return len(turns) // 2, turns, faced, answered


@pytest.mark.parametrize("me", [0, 1])
def test_quiet_rounds_are_those_played_turn_by_turn(me: int) -> None:
    rng = np.random.default_rng(me)
    counted = {"none": 0, "some": 0, "all": 0}
    for _ in range(600):
        c = _concession(rng)
        answers: dict[Any, Any] = {}
        proposals: dict[Any, Any] = {}
        replies: dict[Any, Any] = {}
        kept = KeptReplies(answers, proposals, _unused, _unused, 0, c.index, None, _unused)
        quiet = Quiet(c, kept, replies, c.outcomes)
        # One duel: calls with the state growing between them (memories,
        # offers received, sometimes a concession).
        for _ in range(4):
            _keep(rng, c, answers, proposals)
            if rng.random() < 0.3 and len(c.made) < len(c.outcomes) - 1:
                offer = c.outcomes[len(c.outcomes) - 1 - len(c.made)]
                c.made.append(offer)
                c.made_set.add(offer)
            known = [o for o in c.outcomes if o in c.made_set or o in c.received]
            if me == 0:
                standing = known[int(rng.integers(len(known)))]
            else:
                standing = c.made[int(rng.integers(len(c.made)))]
            draws = rng.integers(len(c.made), size=int(rng.integers(1, 40))).tolist()
            n = int(rng.integers(1, len(draws) + 1))
            q = quiet.rounds(me, standing, draws, n)
            expected, turns, after, answered = _reference(
                c, answers, proposals, me, standing, draws[:n]
            )
            assert q == expected
            counted["none" if q == 0 else "all" if q == n else "some"] += 1
            if q >= 2:
                history: list[Any] = [("before",)]
                assert quiet.append(history, me, ["a", "b"], 7, q, draws) == (after, answered)
                rounds = [7 + k // 2 for k in range(2 * q)]
                ids = ["a", "b"] * q
                assert history == [("before",), *zip(rounds, ids, turns, strict=True)]
    assert min(counted.values()) > 100, counted

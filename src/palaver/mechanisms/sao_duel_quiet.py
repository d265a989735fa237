"""The quiet stretches of a MiCRO | tit-for-tat negotiation, appended at once.

Once MiCRO only repeats its offers (:class:`MinimalConcession`), each round
is decided by its draw: the tit-for-tat's answer to the repeated offer and
its proposal after it are what it kept for that offer, and MiCRO's answer to
that proposal depends on the proposal alone while it concedes nothing. A
round is *quiet* when the tit-for-tat refuses the offer, its proposal is one
MiCRO knows (made or received: nothing new, so no concession comes) and
MiCRO refuses it. :class:`Quiet` finds how many of the coming rounds are
quiet from MiCRO's coming draws and appends their offers to the history;
:func:`~palaver.mechanisms.sao_duel_tft.play_tft_duel` plays the others turn
by turn.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any

from palaver.mechanisms.kept_replies import KeptReplies
from palaver.mechanisms.minimal_concession import MinimalConcession
from palaver.mechanisms.responses import ResponseType
from palaver.outcomes import Outcome

_REJECT = ResponseType.REJECT_OFFER


class Quiet:
    """Which of MiCRO's made offers lead to a quiet round, for one call of the
    duel (nothing that decides it changes within a call but MiCRO's offers
    made, which reset it, and what it knows and the tit-for-tat kept, which
    only grow)."""

    __slots__ = (
        "_at",
        "_c",
        "_canonical",
        "_first",
        "_index",
        "_kept_answers",
        "_kept_proposals",
        "_m",
        "_n_quiet",
        "_quiet",
        "_replies",
        "_threshold",
    )

    def __init__(
        self,
        c: MinimalConcession,
        kept: KeptReplies,
        replies: dict[Outcome | None, Outcome],
        canonical: list[Outcome],
    ) -> None:
        self._c = c
        self._kept_answers = kept.answers
        self._kept_proposals = kept.proposals
        self._replies = replies
        self._index = c.index
        self._canonical = canonical
        self._m = -1
        self._threshold = 0.0
        # Per made offer: whether its round is quiet (known so), the
        # tit-for-tat's proposal after it, and how many are known quiet.
        self._quiet: list[bool] = []
        self._at: list[Any] = []
        self._n_quiet = 0
        self._first: Outcome | None = None

    def _reply(self, offer: Outcome) -> Outcome | None:
        """The tit-for-tat's (canonical) proposal after ``offer``, when it kept
        one and refuses ``offer`` (``None`` otherwise)."""
        if self._kept_answers.get(offer) is not _REJECT:
            return None
        reply = self._replies.get(offer)
        if reply is None:
            raw = self._kept_proposals.get(offer)
            if raw is None:
                return None
            reply = self._replies[offer] = self._canonical[self._index[raw]]
        return reply

    def _calm(self, offer: Outcome) -> bool:
        """Whether MiCRO, conceding nothing, knows ``offer`` and refuses it."""
        c = self._c
        if offer not in c.made_set and offer not in c.received:
            return False
        u = c.utility_at(self._index[offer])
        threshold = self._threshold  # the worst offer it made
        return u < c.reserved or u < threshold or (u == threshold and not c.accept_same)

    def rounds(self, me: int, standing: Outcome, ahead: list[int], n: int) -> int:
        """How many of the next ``n`` rounds are quiet, at most (``ahead``:
        MiCRO's coming draws; ``standing``: the offer standing, made by the
        second negotiator). The caller checked that offering is accepting,
        that the tit-for-tat's kept answers hold and that ``ahead`` was drawn
        for MiCRO's current offers (its last proposal was a repeat: it
        concedes again only after an offer new to it, which no quiet round
        brings). A round counts when its turns are quiet and so are the next
        round's first turns (the tit-for-tat refuses MiCRO's offer, MiCRO its
        reply)."""
        c = self._c
        m = len(c.made)
        if m != self._m:
            self._m = m
            self._threshold = c.utilities[len(c.outcomes) - m]
            self._quiet = [False] * m
            self._at = [None] * m
            self._n_quiet = 0
        if me == 0:
            # MiCRO first answers the tit-for-tat's standing offer.
            if not self._calm(standing):
                return 0
        else:
            # The tit-for-tat first answers MiCRO's standing offer.
            reply = self._reply(standing)
            if reply is None or not self._calm(reply):
                return 0
            self._first = reply
        if self._n_quiet == m:
            return n
        quiet, at, made = self._quiet, self._at, c.made
        for k in range(n):
            j = ahead[k]
            if not quiet[j]:
                reply = self._reply(made[j])
                if reply is None or not self._calm(reply):
                    return k
                quiet[j] = True
                at[j] = reply
                self._n_quiet += 1
        return n

    def append(
        self,
        history: list[Any],
        me: int,
        ids: list[str],
        rnd: int,
        q: int,
        ahead: list[int],
    ) -> tuple[Outcome, Outcome]:
        """Append the ``q`` quiet rounds from ``rnd`` (counted by :meth:`rounds`,
        at least two) to ``history``; return the offer then standing and the
        last offer the tit-for-tat answered."""
        drawn = ahead[:q]
        ours = list(map(self._c.made.__getitem__, drawn))
        at = self._at
        if me == 0:
            theirs = list(map(at.__getitem__, drawn))
            first, second = ours, theirs
            standing, answered = theirs[-1], ours[-1]
        else:
            theirs = [self._first, *map(at.__getitem__, drawn[:-1])]
            first, second = theirs, ours
            standing, answered = ours[-1], ours[-2]
        rounds = range(rnd, rnd + q)
        turns: list[Any] = [None] * (2 * q)
        turns[0::2] = zip(rounds, repeat(ids[0]), first, strict=False)
        turns[1::2] = zip(rounds, repeat(ids[1]), second, strict=False)
        history.extend(turns)
        return standing, answered

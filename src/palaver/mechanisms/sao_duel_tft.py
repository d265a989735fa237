"""Bilateral SAO rounds between a minimal conceder (MiCRO) and a naive tit-for-tat.

Neither side can plan: MiCRO concedes only when the other side makes a new
offer, and :class:`~palaver.negotiators.NaiveTitForTat` answers whatever it
is offered. Turn by turn their negotiations often run to the round limit
(thousands of rounds) with MiCRO repeating a few offers and the tit-for-tat
mirroring them: in an ANL-sized tournament one such negotiation was a quarter
of a sample's CPU time. Here both are played inline: MiCRO's rule from the
:class:`~palaver.mechanisms.minimal_concession.MinimalConcession` it lends
(its repeat draws taken from its generator in runs), and the tit-for-tat,
past its opening rounds, from the answers and proposals it keeps per offer
(:class:`~palaver.mechanisms.kept_replies.KeptReplies`: what its own methods
return for an offer seen before). Its opening rounds and every offer it has
not met yet are played by calling its own ``respond`` and ``propose``. Long
stretches of rounds in which MiCRO repeats offers whose replies are known and
quiet (nobody accepts, nothing new) are appended to the history at once
(:mod:`.sao_duel_quiet`).

Same offers, answers, history, rows, agreement, final state, negotiators'
state and generator state as the general loop:
``tests/mechanisms/test_sao_duel_tft.py`` plays both on random scenarios.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from palaver.events import EventType
from palaver.mechanisms.kept_replies import KeptReplies
from palaver.mechanisms.minimal_concession import MIN_SKIP, Draws, MinimalConcession
from palaver.mechanisms.responses import ResponseType
from palaver.mechanisms.sao_duel_quiet import Quiet
from palaver.outcomes import Outcome

if TYPE_CHECKING:
    from palaver.mechanisms.sao import SAOMechanism

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER
_OFFER = EventType.OFFER
_RESPONSE = EventType.RESPONSE
#: MiCRO's first run of repeat draws after a concession; each run used up
#: makes the next one four times longer (a run drawn too long is drawn again
#: to the length used, a few microseconds).
_FIRST_RUN = 16
#: Rounds of a call in which MiCRO's repeats are drawn one by one, as it
#: draws them itself: most negotiations end within them, and a run costs
#: more than a few single draws (the generator's state saved, and restored
#: when the run is cut short).
_SINGLE_DRAWS = 24


def tft_duel_of(mechanism: SAOMechanism) -> tuple[int, MinimalConcession, KeptReplies] | None:
    """MiCRO's position, its rule and the tit-for-tat's kept replies, when the
    negotiation is one :func:`play_tft_duel` can play (``None`` otherwise):
    two negotiators, a MiCRO lending a :class:`MinimalConcession` and a
    naive tit-for-tat lending its :class:`KeptReplies` (a plain deterministic
    one: not a subclass, methods not replaced on the instance), both ranking
    on the mechanism's outcome table, and something for MiCRO to offer."""
    negotiators = mechanism._negotiators
    index = mechanism._index
    if len(negotiators) != 2 or index is None or mechanism._limits.n_steps is None:
        return None
    for me in (0, 1):
        lend = getattr(negotiators[1 - me], "kept_replies", None)
        kept = lend() if lend is not None else None
        if type(kept) is KeptReplies:
            break
    else:
        return None
    if kept.index is not index:
        return None
    lend = getattr(negotiators[me], "minimal_concession", None)
    c = lend() if lend is not None else None
    if type(c) is not MinimalConcession or c.index is not index or len(index) != len(c.outcomes):
        return None
    offer = mechanism._state.current_offer
    if offer is not None and offer not in index:
        return None
    if not c.made and len(c.outcomes) - 1 < c.lowest:
        return None  # it would offer nothing: the general loop handles that
    return me, c, kept


def play_tft_duel(
    mechanism: SAOMechanism,
    me: int,
    c: MinimalConcession,
    kept: KeptReplies,
    rounds: int,
    rows: list[Any] | None = None,
    to_offers: bool = False,
    to_responses: bool = False,
) -> None:
    """Play up to ``rounds`` rounds between the minimal conceder ``c``
    (negotiator ``me``) and the tit-for-tat lending ``kept``, as the general
    loop would (``rows``: the bus's batch rows, appended as that loop appends
    them)."""
    state = mechanism._state
    negotiators = mechanism._negotiators
    ofa = mechanism._offering_is_accepting
    history = mechanism._history
    n_steps = mechanism._limits.n_steps
    assert n_steps is not None  # see tft_duel_of
    inv_steps = mechanism._inv_steps
    index = mechanism._index
    canonical = mechanism._canonical
    assert index is not None and canonical is not None
    answers = rows is not None and to_responses
    offers = rows is not None and to_offers
    show = mechanism._to_payload
    mid = mechanism._id
    now = time.time
    ids = [n.id for n in negotiators]
    owners = [n.owner_id for n in negotiators]
    full = 3
    outcomes, utilities = c.outcomes, c.utilities
    my_utility_at = c.utility_at
    lowest, reserved = c.lowest, c.reserved
    accept_same = c.accept_same
    made, made_set, received = c.made, c.made_set, c.received
    top = len(outcomes) - 1
    draws = Draws(c.rng)
    run, run_high = _FIRST_RUN, -1
    single = c.rng.integers
    runs_from = state.step + _SINGLE_DRAWS
    # The tit-for-tat: its kept answers, and its proposal after each offer it
    # answered (canonical, as the mechanism would store it) once settled.
    tft = negotiators[1 - me]
    kept_answers = kept.answers
    replies: dict[Outcome | None, Outcome] = {}
    respond, propose, answered = kept.respond, kept.propose, kept.answered
    settled_from = kept.settled_from
    # Whether its kept answers hold (one of its own calls at a settled round
    # checked its parameters: nothing changes them while this call plays).
    settled = False
    last = kept.last
    # The live state is written when the call returns, and before each call
    # of the tit-for-tat's own methods (they read it; MiCRO's rule does not).
    offer = state.current_offer
    current = state.current_proposer
    n_acceptances = state.n_acceptances
    relative_time = state.relative_time
    agreed = failed = told = False
    accepted = mechanism._accepted
    proposer = mechanism._proposer
    rnd = state.step
    end = min(n_steps, rnd + rounds)
    # Quiet stretches: only when nobody watches the turns and offering is
    # accepting; the last round before the limit is always played turn by
    # turn (it may time out).
    watched = answers or offers
    quiet = None if watched or not ofa else Quiet(c, kept, replies, canonical)
    retry = rnd
    stop = min(end, n_steps - 1)
    try:
        while rnd < end:
            if (
                quiet is not None
                and settled
                and rnd >= retry
                and offer is not None
                and draws.left(len(made)) >= MIN_SKIP
            ):
                # Its draws are drawn for its current offers: its last proposal
                # was a repeat, so it concedes nothing now unless an offer new
                # to it came since (the stretch would then be empty). The offer
                # standing is the second negotiator's (nobody answered it yet).
                assert proposer == 1
                ahead = draws.ahead()
                n = min(len(ahead), stop - rnd)
                q = quiet.rounds(me, offer, ahead, n)
                if q < MIN_SKIP:
                    retry = rnd + q + 1  # not before the round that ends the stretch
                else:
                    draws.skip(q)
                    offer, last = quiet.append(history, me, ids, rnd, q, ahead)
                    rnd += q
                    current = ids[1]
                    accepted = 2  # its own offer (offering is accepting)
                    n_acceptances = 1
                    relative_time = (rnd + 1) * inv_steps
                    continue
            for i in (0, 1):
                mine = i == me
                if mine:
                    m = len(made)
                    new = top - m
                    concede = m <= len(received) and new >= lowest
                if offer is not None and not (ofa and proposer == i):
                    if mine:
                        if offer not in made_set and offer not in received:
                            received.add(offer)
                            concede = m <= len(received) and new >= lowest
                        # With nothing made it concedes (tft_duel_of): m > 0 otherwise.
                        threshold = utilities[new] if concede else utilities[top + 1 - m]
                        u = my_utility_at(index[offer])
                        if u < reserved or u < threshold or (u == threshold and not accept_same):
                            response = _REJECT
                        else:
                            response = _ACCEPT
                    else:
                        known = kept_answers.get(offer) if settled else None
                        if known is None:
                            state.step = rnd
                            state.current_offer = offer
                            state.current_proposer = current
                            state.n_acceptances = n_acceptances
                            state.relative_time = relative_time
                            try:
                                response = respond(state, offer)
                            except Exception as exc:
                                # It recorded the offer first thing: it keeps that.
                                told = True
                                mechanism._negotiator_failed(tft, "respond", exc)
                                failed = True
                                break
                        else:
                            response = known
                        last = offer
                    if answers:
                        assert rows is not None
                        rows.append(
                            (_RESPONSE, now(), owners[i], mid, rnd, ids[i],
                             response._value_, offer if show is None else show(offer))
                        )  # fmt: skip
                    if response is _ACCEPT:
                        bit = 1 << i
                        if not accepted & bit:
                            accepted |= bit
                            n_acceptances += 1
                        if accepted == full:
                            agreed = True
                            break
                        continue
                if not mine:
                    reply = replies.get(last)  # filled once settled
                    if reply is None:
                        answered(last)
                        state.step = rnd
                        state.current_offer = offer
                        state.current_proposer = current
                        state.n_acceptances = n_acceptances
                        state.relative_time = relative_time
                        try:
                            raw = propose(state)
                        except Exception as exc:
                            mechanism._negotiator_failed(tft, "propose", exc)
                            failed = True
                            break
                        # It always proposes one of its outcomes, the table's
                        # (tft_duel_of): stored as the general loop stores them.
                        assert raw is not None
                        reply = canonical[index[raw]]
                        settled = rnd >= settled_from
                        if settled:
                            replies[last] = reply
                    proposal = reply
                elif concede:
                    proposal = outcomes[new]
                    made.append(proposal)
                    made_set.add(proposal)
                else:
                    j = draws.take(m)
                    if j < 0:
                        if rnd < runs_from:
                            j = int(single(m))
                        else:
                            # A run used up with no concession since: a longer one.
                            run = run * 4 if run_high == m else _FIRST_RUN
                            run_high = m
                            j = draws.start(m, min(run, end - rnd))
                    proposal = made[j]
                nid = ids[i]
                offer = proposal
                proposer = i
                current = nid
                if ofa:
                    accepted = 1 << i
                    n_acceptances = 1
                else:
                    accepted = 0
                    n_acceptances = 0
                history.append((rnd, nid, offer))
                if offers:
                    assert rows is not None
                    rows.append(
                        (_OFFER, now(), owners[i], mid, rnd, nid, None,
                         offer if show is None else show(offer))
                    )  # fmt: skip
            # The round is over: Mechanism._round_played, inlined.
            rnd += 1
            if agreed or failed:
                if agreed:
                    state.agreement = offer
                    state.running = False
                # NegMAS's ended state: the fraction of the round after it
                relative_time = min(1.0, (rnd + 1) * inv_steps)
                return
            if rnd >= n_steps:
                state.timedout = True
                state.running = False
                relative_time = 1.0
                return
            relative_time = (rnd + 1) * inv_steps
    finally:
        draws.settle()
        if not told:
            answered(last)
        state.step = rnd
        state.current_offer = offer
        state.current_proposer = current
        state.n_acceptances = n_acceptances
        state.relative_time = relative_time
        mechanism._accepted = accepted
        mechanism._proposer = proposer

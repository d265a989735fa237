"""Bilateral SAO rounds between a planned negotiator and a minimal conceder (MiCRO).

MiCRO cannot hand a :class:`~palaver.mechanisms.plan.RoundPlan`: it concedes
only when the other side makes a new offer. Against a planned negotiator the
general mixed loop (:mod:`palaver.mechanisms.sao_mixed`) calls its
``respond`` and ``propose`` every turn, and MiCRO's negotiations against the
slow aspiration strategies run for hundreds of rounds: in an ANL-sized
tournament they were a third of the whole CPU time. Here its rule, lent as a
:class:`MinimalConcession` (its own lists and sets, updated in place), is
played inline instead, with its repeat draws taken from its generator in runs
(the same numbers the one-by-one draws give; a run cut short is drawn again
to the length used, so the generator ends where one-by-one draws leave it).

Same offers, answers, history, rows, agreement, final state and generator
state as the mixed loop: ``tests/mechanisms/test_sao_duel.py`` plays both
on random scenarios and compares everything.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver.events import EventType
from palaver.mechanisms.plan import RoundPlan
from palaver.mechanisms.responses import ResponseType
from palaver.outcomes import Outcome

if TYPE_CHECKING:
    from palaver.mechanisms.sao import SAOMechanism

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER
_OFFER = EventType.OFFER
_RESPONSE = EventType.RESPONSE


@dataclass(slots=True)
class MinimalConcession:
    """A MiCRO negotiator's state, lent to the mechanism for one call.

    The rule (MiCRO's): with ``m`` distinct offers made and ``r`` distinct
    offers received (offers it made itself not counted), it proposes
    ``outcomes[n - 1 - m]`` (a new one) when ``m <= r`` and that position is
    at least ``lowest``; otherwise ``made[j]`` with ``j`` drawn by
    ``rng.integers(m)``. It accepts an offer worth at least its reserved
    value and at least the utility of what it would offer next (the new
    outcome, else the worst offer made); equal only when ``accept_same``.
    (With nothing made and nothing new allowed it would offer nothing: the
    mixed loop plays that case.)

    Attributes:
        outcomes: Its (grid) outcomes, worst first.
        utilities: Their utilities, increasing.
        index: Outcome -> grid position (the mechanism's outcome-table index).
        utility_at: Its utility of the outcome at a grid position.
        lowest: The worst position in ``outcomes`` it may still propose.
        reserved: Its reserved value.
        accept_same: Whether an offer worth exactly the threshold is accepted.
        made: Its distinct offers so far, in order (updated in place).
        made_set: The same, as a set (updated in place).
        received: Distinct offers received that it had not made (updated in place).
        rng: The generator of its repeat draws.
        values: Optionally, ``utility_at`` for every grid position, as an
            array: with it (and a plan that has arrays) long stretches of
            repeated offers are played with array operations.
    """

    outcomes: list[Outcome]
    utilities: list[float]
    index: dict[Outcome, int]
    utility_at: Callable[[int], float]
    lowest: int
    reserved: float
    accept_same: bool
    made: list[Outcome]
    made_set: set[Outcome]
    received: set[Outcome]
    rng: np.random.Generator
    values: np.ndarray | None = None


class _Draws:
    """``rng.integers(high)`` one at a time, drawn from the generator in runs.

    A run has one ``high`` (the number of offers made, constant between
    concessions) and the length the caller expects to need; numpy draws a
    run exactly as it draws its values one by one. A run not used up is
    drawn again to the length used (:meth:`settle`).
    """

    __slots__ = ("_high", "_pos", "_rng", "_saved", "_values")

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._values: list[int] = []
        self._pos = 0
        self._high = 0
        self._saved: Any = None

    def take(self, high: int) -> int:
        """The next ``rng.integers(high)`` of the current run (``-1`` when the
        run is used up or was drawn for another ``high``)."""
        if self._pos < len(self._values) and self._high == high:
            value = self._values[self._pos]
            self._pos += 1
            return value
        return -1

    def left(self, high: int) -> int:
        """How many of the current run's values are not taken yet (0 when it
        was drawn for another ``high``)."""
        return len(self._values) - self._pos if self._high == high else 0

    def ahead(self) -> list[int]:
        """The current run's values not taken yet."""
        return self._values[self._pos :]

    def skip(self, n: int) -> None:
        """Take the next ``n`` values (the caller read them with :meth:`ahead`)."""
        self._pos += n

    def start(self, high: int, expected: int) -> int:
        """Start a run of ``expected`` draws of ``rng.integers(high)`` (the
        caller's guess of how many it needs); return its first value."""
        self.settle()
        self._saved = self._rng.bit_generator.state
        self._high = high
        self._values = self._rng.integers(high, size=max(1, expected)).tolist()
        self._pos = 1
        return self._values[0]

    def settle(self) -> None:
        """Leave the generator where one-by-one draws of the values used would."""
        if self._pos < len(self._values):
            self._rng.bit_generator.state = self._saved
            if self._pos:
                self._rng.integers(self._high, size=self._pos)
        self._values = []
        self._pos = 0


def _repeats_ahead(proposals: list[Outcome], start: int, c: MinimalConcession) -> int:
    """How many of the planned side's ``proposals`` from ``start`` bring
    nothing new to ``c``, plus one: the length of MiCRO's coming run of
    repeats (it concedes again after the first new offer)."""
    seen = c.received
    made = c.made_set
    for k in range(start, len(proposals)):
        offer = proposals[k]
        if offer not in seen and offer not in made:
            return k - start + 1
    return len(proposals) - start + 1


_MIN_SKIP = 8
"""Fewest rounds worth playing with array operations: a pass costs about as
much as a few rounds played one by one."""


def _skip_ahead(
    plan: RoundPlan,
    me: int,
    c: MinimalConcession,
    values: np.ndarray,
    draws: list[int],
    made_positions: list[int],
    rnd: int,
    stop: int,
    standing: Outcome,
) -> tuple[int, list[Outcome], list[Outcome]]:
    """The quiet rounds from ``rnd`` (ending before ``stop``), when at least
    :data:`_MIN_SKIP` (else none): rounds in which ``c`` repeats its earlier
    offers (``draws``: its coming draws, already drawn) and nobody accepts.
    Returns their number and the planned side's and ``c``'s offers in them
    (no offers when the stretch is too short to be worth it).

    Every planned offer ``c`` faces in these rounds is one it knows (made or
    received), so it neither counts a new offer nor concedes: its draws were
    drawn in a run as long as the planned side's coming offers that are not
    new to it (:func:`_repeats_ahead`), and what it knows only grows.

    The caller checked that ``c`` does not concede now, that the negotiation
    is offering-is-accepting and that the last turn was the second
    negotiator's (``standing`` is its offer). The comparisons are those of
    the turn-by-turn play, element-wise on the same numbers.
    """
    n = min(len(draws), stop - rnd)
    if n < _MIN_SKIP:
        return n, [], []
    assert plan.positions is not None and plan.utilities is not None
    assert plan.remaining_slice is not None
    index = c.index
    made = c.made
    if len(made_positions) < len(made):
        made_positions.extend(index[o] for o in made[len(made_positions) :])
    mine = np.array(made_positions)[np.array(draws[:n])]
    at = index[standing]
    planned_accepts = plan.utilities[
        mine if me == 0 else np.concatenate(([at], mine[:-1]))
    ] >= plan.floor + plan.span * plan.remaining_slice(rnd, rnd + n)
    # The planned offers c answers: this round's when the planned side moves
    # first, else the one standing from the round before.
    positions = plan.positions[rnd : rnd + n]
    faced = positions if me == 1 else np.concatenate(([at], positions[:-1]))
    u = values[faced]
    threshold = c.utilities[len(c.outcomes) - len(made)]  # the worst offer it made
    quiet = (u < c.reserved) | (u < threshold)  # c refuses
    if not c.accept_same:
        quiet |= u == threshold
    quiet &= ~planned_accepts
    quiet_rounds = n if quiet.all() else int(quiet.argmin())
    if quiet_rounds < _MIN_SKIP:
        return quiet_rounds, [], []
    theirs = list(plan.proposals[rnd : rnd + quiet_rounds])
    return quiet_rounds, theirs, [made[j] for j in draws[:quiet_rounds]]


def duel_of(
    mechanism: SAOMechanism, plans: list[RoundPlan | None]
) -> tuple[RoundPlan, int, MinimalConcession] | None:
    """The planned side's plan, MiCRO's position and its rule, when the
    negotiation is one :func:`play_duel` can play (``None`` otherwise): two
    negotiators, one planned, the other lending a :class:`MinimalConcession`
    on the plan's own grid, every offer it may meet on that grid, and
    something to offer."""
    if len(plans) != 2 or plans.count(None) != 1:
        return None
    me = plans.index(None)
    plan = plans[1 - me]
    assert plan is not None
    lend = getattr(mechanism._negotiators[me], "minimal_concession", None)
    c = lend() if lend is not None else None
    if type(c) is not MinimalConcession or c.index is not plan.index:
        return None
    # A space too large for an outcome table ranks without an index (an empty
    # one, shared when both sides rank one utility function): offers are then
    # valued one by one, which only the mixed loop does.
    if len(c.index) != len(c.outcomes):
        return None
    offer = mechanism._state.current_offer
    if offer is not None and offer not in plan.index:
        return None
    if not c.made and len(c.outcomes) - 1 < c.lowest:
        return None  # it would offer nothing: the mixed loop handles that
    return plan, me, c


def play_duel(
    mechanism: SAOMechanism,
    plan: RoundPlan,
    me: int,
    c: MinimalConcession,
    rounds: int,
    rows: list[Any] | None = None,
    to_offers: bool = False,
    to_responses: bool = False,
) -> None:
    """Play up to ``rounds`` rounds of a bilateral negotiation between the
    planned negotiator and the minimal conceder ``c`` (negotiator ``me``), as
    :func:`~palaver.mechanisms.sao_mixed.play_mixed` would."""
    state = mechanism._state
    negotiators = mechanism._negotiators
    ofa = mechanism._offering_is_accepting
    history = mechanism._history
    n_steps = mechanism._limits.n_steps
    assert n_steps is not None  # plans are made only for round-limited negotiations
    inv_steps = mechanism._inv_steps
    answers = rows is not None and to_responses
    offers = rows is not None and to_offers
    show = mechanism._to_payload
    mid = mechanism._id
    now = time.time
    ids = [n.id for n in negotiators]
    owners = [n.owner_id for n in negotiators]
    index = plan.index
    planned_utility = plan.utility_at
    floor, span = plan.floor, plan.span
    proposals = plan.proposals
    remaining = plan.remaining
    full = 3
    outcomes, utilities = c.outcomes, c.utilities
    my_utility_at = c.utility_at
    lowest, reserved = c.lowest, c.reserved
    accept_same = c.accept_same
    made, made_set, received = c.made, c.made_set, c.received
    top = len(outcomes) - 1
    draws = _Draws(c.rng)
    # The live state is written once, when the call returns: nobody reads it
    # meanwhile (the planned side and MiCRO's rule are played here).
    offer = state.current_offer
    current = state.current_proposer
    n_acceptances = state.n_acceptances
    relative_time = state.relative_time
    agreed = False
    accepted = mechanism._accepted
    proposer = mechanism._proposer
    rnd = state.step
    end = min(n_steps, rnd + rounds)
    # The plan's proposals and thresholds, read in growing blocks of rounds
    # into plain lists (a plan's sequences may compute them lazily, and the
    # negotiation may end long before its round limit).
    base = cached_end = rnd
    block = 64
    props: list[Outcome] = []
    rems: list[float] = []
    # Quiet stretches are skipped only when nobody watches the turns, offering
    # is accepting and both sides have arrays; the last round before the
    # limit is always played turn by turn (it may time out).
    values = c.values
    retry = (
        rnd
        if ofa
        and not answers
        and not offers
        and values is not None
        and plan.positions is not None
        and plan.utilities is not None
        and plan.remaining_slice is not None
        else end
    )
    stop = min(end, n_steps - 1)
    made_positions: list[int] = []
    try:
        while rnd < end:
            if (
                rnd >= retry
                and proposer == 1
                and offer is not None
                and draws.left(len(made)) >= _MIN_SKIP
                and not (len(made) <= len(received) and top - len(made) >= lowest)
            ):
                # Its draws are drawn, it is not about to concede: the coming
                # quiet rounds, if many, are played with array operations.
                assert values is not None  # else retry is at the end
                quiet, theirs, ours = _skip_ahead(
                    plan, me, c, values, draws.ahead(), made_positions, rnd, stop, offer
                )
                if not ours:
                    retry = rnd + quiet + 1  # not before the round that ends the stretch
                else:
                    draws.skip(quiet)
                    first, second = (theirs, ours) if me == 1 else (ours, theirs)
                    turns: list[Any] = [None] * (2 * quiet)
                    turns[0::2] = zip(range(rnd, rnd + quiet), repeat(ids[0]), first, strict=False)
                    turns[1::2] = zip(range(rnd, rnd + quiet), repeat(ids[1]), second, strict=False)
                    history.extend(turns)
                    rnd += quiet
                    offer = second[-1]
                    current = ids[1]
                    accepted = 2  # its own offer (offering is accepting)
                    n_acceptances = 1
                    relative_time = (rnd + 1) * inv_steps
                    continue
            if rnd >= cached_end:
                base, cached_end = rnd, min(end, rnd + block)
                block *= 4
                props = list(proposals[base:cached_end])
                rems = list(remaining[base:cached_end])
            k = rnd - base
            for i in (0, 1):
                mine = i == me
                if mine:
                    m = len(made)
                    new = top - m
                    concede = m <= len(received) and new >= lowest
                if offer is not None and not (ofa and proposer == i):
                    # Every offer here is on the plan's grid (see duel_of).
                    if mine:
                        if offer not in made_set and offer not in received:
                            received.add(offer)
                            concede = m <= len(received) and new >= lowest
                        # With nothing made it concedes (duel_of): m > 0 otherwise.
                        threshold = utilities[new] if concede else utilities[top + 1 - m]
                        u = my_utility_at(index[offer])
                        if u < reserved or u < threshold or (u == threshold and not accept_same):
                            response = _REJECT
                        else:
                            response = _ACCEPT
                    elif planned_utility(index[offer]) >= floor + span * rems[k]:
                        response = _ACCEPT
                    else:
                        response = _REJECT
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
                    proposal = props[k]
                elif concede:
                    proposal = outcomes[new]
                    made.append(proposal)
                    made_set.add(proposal)
                else:
                    # The planned side's next offer comes this round when
                    # MiCRO moves first, else the next.
                    j = draws.take(m)
                    if j < 0:
                        j = draws.start(m, _repeats_ahead(props, rnd + me - base, c))
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
        state.step = rnd
        state.current_offer = offer
        state.current_proposer = current
        state.n_acceptances = n_acceptances
        state.relative_time = relative_time
        mechanism._accepted = accepted
        mechanism._proposer = proposer

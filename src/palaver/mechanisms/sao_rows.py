"""The offers and responses of planned SAO rounds, as the bus's batch rows.

Used by :func:`~palaver.mechanisms.sao_planned.play_planned` when sinks
listen to offers or responses and every one of them takes batches (see
:mod:`palaver.events.batch`). It appends exactly the rows the turn-by-turn
loop of :class:`~palaver.mechanisms.SAOMechanism` would emit, in the same
order, with one difference: the loop stamps each row with its own
``time.time()``, while all rows of one planned call carry one time, taken when
the call starts (the planned rounds of a call take microseconds). A bilateral
stretch of rounds, offering being accepting, is handed over as columns
(:meth:`~palaver.events.EventBus.emit_columns`), made from the plans without
a Python step per row.
"""

from __future__ import annotations

import time
from itertools import repeat
from typing import TYPE_CHECKING, Any

from palaver.events import EventType
from palaver.mechanisms.offer_log import Segment
from palaver.mechanisms.responses import ResponseType

if TYPE_CHECKING:
    from palaver.mechanisms.sao import SAOMechanism

_OFFER: str = EventType.OFFER
_RESPONSE: str = EventType.RESPONSE
_ACCEPTED = ResponseType.ACCEPT_OFFER.value
_REJECTED = ResponseType.REJECT_OFFER.value


class PlannedRows:
    """Appends the rows of planned turns to a bus's batch (see module doc)."""

    __slots__ = ("bus", "mid", "now", "owners", "rows", "show", "to_offers", "to_responses")

    def __init__(
        self, mechanism: SAOMechanism, rows: list[Any], to_offers: bool, to_responses: bool
    ) -> None:
        self.rows = rows
        self.bus = mechanism._bus
        self.now = time.time()
        self.mid = mechanism._id
        self.owners = [(x.owner_id, x.id) for x in mechanism._negotiators]
        self.show = mechanism._to_payload
        self.to_offers = to_offers
        self.to_responses = to_responses

    def response(self, i: int, rnd: int, accept: bool, offer: Any) -> None:
        """Negotiator ``i`` answered ``offer`` in round ``rnd``."""
        owner, nid = self.owners[i]
        shown = offer if self.show is None else self.show(offer)
        answer = _ACCEPTED if accept else _REJECTED
        self.rows.append((_RESPONSE, self.now, owner, self.mid, rnd, nid, answer, shown))

    def offer(self, i: int, rnd: int, offer: Any) -> None:
        """Negotiator ``i`` offered ``offer`` in round ``rnd``."""
        owner, nid = self.owners[i]
        shown = offer if self.show is None else self.show(offer)
        self.rows.append((_OFFER, self.now, owner, self.mid, rnd, nid, None, shown))

    def segment(self, segment: Segment, before: Any, before_by: int, accepted_in: int) -> None:
        """The rows of a bilateral segment, offering being accepting.

        Each offer is preceded by its maker's rejection of the standing offer
        (the other's; none before the first offer when no offer stood or the
        maker's own did), and an agreement (``accepted_in >= 0``) ends with the
        other's acceptance of the last offer, in that round.
        """
        n = len(segment)
        if n and self.to_offers and self.to_responses:
            self._columns(segment, before, before_by, accepted_in)
            return
        rows = self.rows
        mid, now, show = self.mid, self.now, self.show
        (owner_a, ida), (owner_b, idb) = self.owners
        outcomes = segment.outcomes()
        shown = outcomes if show is None else list(map(show, outcomes))
        if n:
            rounds = segment.rounds()
            ids = [ida, idb] * (n // 2) + [ida] * (n % 2)
            owners = [owner_a, owner_b] * (n // 2) + [owner_a] * (n % 2)
            offers = zip(repeat(_OFFER), repeat(now), owners, repeat(mid), rounds, ids,
                         repeat(None), shown) if self.to_offers else None  # fmt: skip
            rejects = None
            if self.to_responses:
                answered = shown[:-1] if show is None else list(map(show, outcomes[:-1]))
                rejects = zip(repeat(_RESPONSE), repeat(now), owners[1:], repeat(mid),
                              rounds[1:], ids[1:], repeat(_REJECTED), answered)  # fmt: skip
                if before is not None and before_by != 0:
                    first = before if show is None else show(before)
                    rows.append((_RESPONSE, now, owner_a, mid, segment.start, ida, _REJECTED,
                                 first))  # fmt: skip
            if offers is not None and rejects is not None:
                merged: list[Any] = [None] * (2 * n - 1)
                merged[0::2] = offers
                merged[1::2] = rejects
                rows += merged
            elif offers is not None:
                rows += offers
            elif rejects is not None:
                rows += rejects
        if accepted_in >= 0 and self.to_responses:
            # The acceptor is the other of the last offer's maker.
            agreed, maker = (outcomes[-1], (n - 1) % 2) if n else (before, before_by)
            owner, nid = self.owners[1 - maker]
            agreed = agreed if show is None else show(agreed)
            rows.append((_RESPONSE, now, owner, mid, accepted_in, nid, _ACCEPTED, agreed))

    def _columns(self, segment: Segment, before: Any, before_by: int, accepted_in: int) -> None:
        # segment()'s rows when every offer and response is wanted, built as
        # columns: offer j sits at 2j of the middle stretch, the rejection
        # before it (its maker's, in its round) at 2j - 1.
        n = len(segment)
        mid, now, show = self.mid, self.now, self.show
        (owner_a, ida), (owner_b, idb) = self.owners
        outcomes = segment.outcomes()
        rounds = segment.rounds()
        pairs = n // 2
        owners = [owner_a, owner_b] * pairs + [owner_a] * (n % 2)
        ids = [ida, idb] * pairs + [ida] * (n % 2)
        shown = outcomes if show is None else list(map(show, outcomes))
        answered = shown[:-1] if show is None else list(map(show, outcomes[:-1]))
        size = 2 * n - 1
        agents: list[Any] = [None] * size
        agents[0::2] = owners
        agents[1::2] = owners[1:]
        negotiators: list[Any] = [None] * size
        negotiators[0::2] = ids
        negotiators[1::2] = ids[1:]
        in_round: list[int] = [0] * size
        in_round[0::2] = rounds
        in_round[1::2] = rounds[1:]
        shown_all: list[Any] = [None] * size
        shown_all[0::2] = shown
        shown_all[1::2] = answered
        types: list[str] = [_OFFER, _RESPONSE] * (n - 1) + [_OFFER]
        responses: list[str | None] = [None, _REJECTED] * (n - 1) + [None]
        if before is not None and before_by != 0:  # the first offer answers a standing one
            agents.insert(0, owner_a)
            negotiators.insert(0, ida)
            in_round.insert(0, segment.start)
            shown_all.insert(0, before if show is None else show(before))
            types.insert(0, _RESPONSE)
            responses.insert(0, _REJECTED)
        if accepted_in >= 0:  # the other of the last offer's maker accepts it
            owner, nid = self.owners[1 - (n - 1) % 2]
            agents.append(owner)
            negotiators.append(nid)
            in_round.append(accepted_in)
            shown_all.append(outcomes[-1] if show is None else show(outcomes[-1]))
            types.append(_RESPONSE)
            responses.append(_ACCEPTED)
        total = len(types)
        self.bus.emit_columns(
            (
                types,
                [now] * total,
                agents,
                [mid] * total,
                in_round,
                negotiators,
                responses,
                shown_all,
            )
        )

"""Turning a mechanism's batch of offers and responses into stored columns.

The rows of an :class:`~palaver.events.EventBatch` become the same stored
events as the one-by-one path would make (same ``seq``, step, agent,
negotiation and content text), built column by column with C-level passes
(``zip``, ``map``) instead of a Python call per event: the content text of
each row is assembled from the JSON of its parts, which is exactly the text
the one-by-one path's encoder writes for the payload dict. Rounds, negotiator
ids, responses and outcomes repeat, so the JSON of each is made once per
distinct value, by that same encoder (:func:`~palaver.recording.event.encode`).
"""

from __future__ import annotations

from collections.abc import Container
from itertools import compress
from typing import Any

from palaver.events import EventBatch, row_payload
from palaver.recording.event import encode
from palaver.recording.storage import Block

_OFFER_JOINT = ',"outcome":'
_CACHE_LIMIT = 10_000
"""Values a table of :class:`ContentCache` keeps before it starts afresh (a
few MB at most: negotiator ids are mostly new in each negotiation)."""


def _joint(response: Any) -> str:
    # What comes between the negotiator and the outcome: the outcome's key for
    # an offer, the response and the offer's key for a response.
    return _OFFER_JOINT if response is None else f',"response":{encode(response)},"offer":'


class ContentCache:
    """Builds the content text of batch rows from parts that repeat.

    A row's text is ``{"round":R,"negotiator":N`` + ``<joint><outcome>}``:
    the round's prefix, the negotiator's JSON, and the response with the
    outcome. Each part is looked up per row by a C-level ``map`` over a table
    (rounds, negotiators, responses and outcomes are few and repeat), and made
    only for the values not seen yet; one ``str.join`` per row puts the four
    parts together.
    """

    def __init__(self) -> None:
        self._prefixes: dict[Any, str] = {}
        self._names: dict[Any, str] = {}
        self._joints: dict[Any, str] = {}
        self._outcomes: dict[Any, str] = {}

    @staticmethod
    def _parts(table: dict[Any, str], values: Any, make: Any) -> list[str]:
        try:
            return list(map(table.__getitem__, values))
        except KeyError:
            if len(table) > _CACHE_LIMIT:
                table.clear()
            for value in set(values).difference(table):
                table[value] = make(value)
            return list(map(table.__getitem__, values))

    def contents(self, columns: Any) -> list[str]:
        """The content text of each row of the eight batch ``columns``."""
        _, _, _, _, rounds, negotiators, responses, outcomes = columns
        try:
            # One join per row (of four looked-up parts) costs less than three
            # string additions.
            return list(
                map(
                    "".join,
                    zip(
                        self._parts(self._prefixes, rounds, _round_prefix),
                        self._parts(self._names, negotiators, encode),
                        self._parts(self._joints, responses, _joint),
                        self._parts(self._outcomes, outcomes, _outcome_tail),
                        strict=True,
                    ),
                )
            )
        except TypeError:  # an unhashable value (a list outcome): row by row
            return [encode(row_payload(row)) for row in zip(*columns, strict=True)]


# Each part is made by encode(), the one-by-one path's encoder (NaN, odd keys
# and the rest included), so the parts put together are that path's text.
def _round_prefix(rnd: Any) -> str:
    return f'{{"round":{encode(rnd)},"negotiator":'


def _outcome_tail(outcome: Any) -> str:
    return encode(outcome) + "}"


def batch_block(
    batch: EventBatch,
    allowed: Container[str] | None,
    metadata: str,
    cache: ContentCache,
) -> Block | None:
    """The rows of ``batch`` whose type is ``allowed`` (``None``: all) as a
    :class:`~palaver.recording.storage.Block` of columns for the store, or
    ``None`` when no row is kept.

    The batch's columns are kept as they are (no value per row is copied into
    the store's flat buffer): the store builds the Arrow columns of every block
    of a flush at once, and the values that are the same for the whole batch
    (step, run, metadata) are given once.
    """
    columns: Any = batch.columns
    n = len(batch)
    first = batch.first_seq
    seqs: Any = range(first, first + n)
    if allowed is not None and not all(t in allowed for t in set(columns[0])):
        keep = [t in allowed for t in columns[0]]
        seqs = list(compress(seqs, keep))
        n = len(seqs)
        if not n:
            return None
        columns = [list(compress(column, keep)) for column in columns]
    if not n:
        return None
    # Types stay EventType members: a StrEnum member is its text to the
    # storage's coder (same hash, equal), so no pass converts them.
    types, times, agents, negotiations = columns[:4]
    return Block(
        n, batch.step, batch.run_id, metadata, seqs, times, types, agents,
        cache.contents(columns), negotiations,
    )  # fmt: skip

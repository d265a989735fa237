"""Turning a mechanism's batch of offers and responses into stored columns.

The rows of an :class:`~palaver.events.EventBatch` become the same stored
events as the one-by-one path would make (same ``seq``, step, agent,
negotiation and content text), built column by column with C-level passes
(``zip``, ``map``) instead of a Python call per event: the content text of
each row is assembled from the JSON of its parts, which is exactly the text
the one-by-one path's encoder writes for the payload dict. Negotiator ids and
response values repeat, so their JSON is made once per distinct value;
outcomes are encoded by orjson, and an outcome whose text says ``null`` (a
``None`` or a NaN inside it) takes the one-by-one path's encoder for its whole
payload, as that path does.
"""

from __future__ import annotations

from itertools import compress, repeat
from typing import Any

from palaver.events import EventBatch, row_payload
from palaver.recording.event import FAST_OPTIONS, encode, fast_default, fast_dumps

_OFFER_JOINT = ',"outcome":'
_CONTENT = '{{"round":{},"negotiator":{}{}{}}}'.format


def _dumps(value: Any) -> str:
    return fast_dumps(value, default=fast_default, option=FAST_OPTIONS).decode()


def _joints(responses: tuple[Any, ...]) -> list[str]:
    # What comes between the negotiator and the outcome: the outcome's key for
    # an offer, the response and the offer's key for a response.
    table = {
        value: _OFFER_JOINT if value is None else f',"response":{_dumps(value)},"offer":'
        for value in set(responses)
    }
    return list(map(table.__getitem__, responses))


def _names(negotiators: tuple[Any, ...]) -> list[str]:
    table = {name: encode(name) for name in set(negotiators)}
    return list(map(table.__getitem__, negotiators))


def contents(rows: list[Any], columns: list[tuple[Any, ...]]) -> list[str]:
    """The content text of each row (``columns`` is ``zip(*rows)``)."""
    _, _, _, _, rounds, negotiators, responses, outcomes = columns
    try:
        texts = list(map(_dumps, outcomes))
    except Exception:  # something orjson refuses: the encoder that never fails
        texts = [encode(o) for o in outcomes]
    out = list(map(_CONTENT, rounds, _names(negotiators), _joints(responses), texts))
    if "null" in "".join(texts):
        for i in [i for i, t in enumerate(texts) if "null" in t]:
            out[i] = encode(row_payload(rows[i]))
    return out


def batch_columns(
    batch: EventBatch, allowed: frozenset[str] | None, metadata: str
) -> list[list[Any]] | None:
    """The stored columns (see :data:`palaver.recording.storage.FIELDS`) of the
    rows of ``batch`` whose type is ``allowed`` (``None``: all), or ``None``
    when no row is kept."""
    rows = batch.rows
    first = batch.first_seq
    seqs = list(range(first, first + len(rows)))
    if allowed is not None and not all(t in allowed for t in {r[0] for r in rows}):
        keep = [r[0] in allowed for r in rows]
        rows = list(compress(rows, keep))
        seqs = list(compress(seqs, keep))
    if not rows:
        return None
    columns = list(zip(*rows, strict=True))
    # Types stay EventType members: a StrEnum member is its text to the
    # storage's coder (same hash, equal), so no pass converts them.
    types, times, agents, negotiations = columns[:4]
    n = len(rows)
    return [
        list(times),
        list(repeat(batch.step, n)),
        list(types),
        list(agents),
        contents(rows, columns),
        list(repeat(metadata, n)),
        list(repeat(batch.run_id, n)),
        seqs,
        list(negotiations),
        list(repeat(None, n)),
    ]

"""A mechanism's offers and responses buffered as columns, and merged into a flush.

The recorder stores each event it receives one by one as values in the
store's flat buffer (see :data:`~palaver.recording.buffer.FIELDS`). A batch
of offers and responses (:class:`~palaver.events.EventBatch`, most of a
world's events) is kept as it comes instead, as a :class:`Block` of columns:
laying its rows out value by value only to slice them back into columns at
the flush cost more than the rest of storing them. At the flush, the blocks'
columns are joined (list concatenation in C), the values a batch shares
(step, run, metadata, negotiation) are repeated by numpy and Arrow instead of
once per row (:func:`runs_array`), the flat buffer's events taking their
places among the blocks' rows in the order they arrived. The stored rows are
exactly those the flat buffer would give.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa

from palaver.recording.arrow import nulls


class Block(NamedTuple):
    """Consecutive events of one batch, as columns (see module doc).

    Attributes:
        n: The number of events.
        step: The world step of every event.
        run_id: The run of every event.
        metadata: The metadata text of every event.
        seqs: Each event's sequence number.
        times: Each event's time (``time.time()``).
        types: Each event's type.
        agents: Each event's agent id.
        contents: Each event's content (JSON text).
        negotiations: Each event's negotiation id.
    """

    n: int
    step: int
    run_id: str
    metadata: str
    seqs: Sequence[int]
    times: Sequence[float]
    types: Sequence[str]
    agents: Sequence[Any]
    contents: list[str]
    negotiations: Sequence[str | None]


def runs_array(values: Sequence[str | None], sizes: np.ndarray) -> pa.Array:
    """The ``string`` array holding ``values[k]`` ``sizes[k]`` times, in order
    (``None``: nulls), made without a Python step per row: the bytes of each
    run are one repetition, and the offsets one cumulative sum."""
    n = int(sizes.sum())
    present = [v is not None for v in values]
    if not any(present):
        return nulls(n, pa.string())
    encoded = [b"" if v is None else v.encode() for v in values]
    lengths = np.repeat(np.fromiter(map(len, encoded), np.int64, len(encoded)), sizes)
    offsets = np.zeros(n + 1, np.int32)
    np.cumsum(lengths, out=offsets[1:])
    data = b"".join(map(bytes.__mul__, encoded, sizes.tolist()))
    validity = None
    if not all(present):
        mask = np.repeat(np.array(present, dtype=bool), sizes)
        validity = pa.py_buffer(np.packbits(mask, bitorder="little"))
    return pa.Array.from_buffers(
        pa.string(), n, [validity, pa.py_buffer(offsets), pa.py_buffer(data)]
    )

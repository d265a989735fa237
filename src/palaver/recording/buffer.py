"""The events a recorder buffered and not yet flushed, and how a flush turns them
into one Arrow record batch.

:class:`EventBuffer` holds them in two forms: a flat list (:data:`FIELDS`
values per event, one ``+=`` per event in the recorder) and blocks of a
mechanism's offers and responses kept as columns
(:mod:`palaver.recording.blocks`). :meth:`EventBuffer.take` builds the batch
of everything buffered, in arrival order, with its agent and type codes
(coded by the store's coders, which its reads decode with) and its step
range, and empties the buffer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa

from palaver.recording.arrow import (
    Coder,
    Repeated,
    int64_array,
    json_array,
    nulls,
    string_array,
    text_array,
)
from palaver.recording.blocks import Block, runs_array
from palaver.recording.log import Coded
from palaver.recording.schema import EVENT_SCHEMA, TIMESTAMP

FIELDS = 10
"""Values per buffered event in :attr:`EventBuffer.pending`, in this order: time
(``time.time()``), step, event_type, agent_id, content (JSON text), metadata
(JSON text, ``""`` for none: see :func:`~palaver.recording.arrow.json_array`),
run_id, seq, negotiation_id, contract_id."""


def _hashable(agent: Any) -> Any:
    """``agent``, or its ``str`` when it cannot be hashed."""
    try:
        hash(agent)
    except TypeError:
        return str(agent)
    return agent


class EventBuffer:
    """Events not yet flushed (see module doc).

    ``agents`` and ``types`` are the store's coders; ``originals`` maps each
    agent id's text to the first id seen with that text (reads give back the
    caller's type); ``warn`` reports an id stored as the text of another's;
    ``on_new_agents`` is called when a batch brought agents not seen before.
    """

    def __init__(
        self,
        agents: Coder,
        types: Coder,
        originals: dict[str, Any],
        warn: Callable[[str], None],
        on_new_agents: Callable[[], None] | None,
    ) -> None:
        #: Buffered events, flat: ``FIELDS`` values per event. One flat list
        #: costs the recorder one ``+=`` per event, and each column is then a
        #: C-level slice (``pending[k::FIELDS]``) instead of a transpose of tuples.
        #: Emptied in place: the recorder holds this very list.
        self.pending: list[Any] = []
        #: Batches of offers and responses buffered as columns (see
        #: palaver.recording.blocks), each after the first ``at`` events of
        #: :attr:`pending`: ``(at, block)``.
        self.blocks: list[tuple[int, Block]] = []
        #: The events in :attr:`blocks`.
        self.blocked = 0
        self.originals = originals
        self._agents = agents
        self._types = types
        self._metadata = Repeated(json_array)
        self._warn = warn
        self._on_new_agents = on_new_agents

    @property
    def count(self) -> int:
        """Number of events buffered (flat or in blocks)."""
        return len(self.pending) // FIELDS + self.blocked

    def __bool__(self) -> bool:
        return bool(self.pending or self.blocks)

    def add_block(self, block: Block) -> None:
        """Buffer a batch's events (as columns) after those buffered so far."""
        self.blocks.append((len(self.pending) // FIELDS, block))
        self.blocked += block.n

    def last_type(self) -> str | None:
        """The type of the last buffered event (``None`` when none is)."""
        if self.blocks and self.blocks[-1][0] == len(self.pending) // FIELDS:
            return str(self.blocks[-1][1].types[-1])
        if self.pending:
            return str(self.pending[2 - FIELDS])
        return None

    def take(self, start: int) -> tuple[pa.RecordBatch, Coded, tuple[int, int]]:
        """Every buffered event as one record batch (the first one is event
        ``start``), its codes and its step range; the buffer is then empty.
        Call only when the buffer is not empty."""
        built = self._merged_batch(start) if self.blocks else self._batch(self.pending, start)
        self.pending.clear()
        self.blocks.clear()
        self.blocked = 0
        return built

    def _batch(self, rows: list[Any], start: int) -> tuple[pa.RecordBatch, Coded, tuple[int, int]]:
        """The buffered ``rows`` as one record batch, the batch's codes, and its
        step range."""
        n = len(rows) // FIELDS
        steps = rows[1::FIELDS]
        first = steps[0]
        # All events of a flush usually share a step (the same int object):
        # counting it is an identity test per row.
        if steps.count(first) == n:
            step_values = np.full(n, first, np.int64)
            step_range = (first, first)
        else:
            step_values = np.fromiter(steps, np.int64, n)
            step_range = (int(step_values.min()), int(step_values.max()))
        agent_codes = self._agent_codes(rows[3::FIELDS])
        type_codes, _ = self._types.encode(rows[2::FIELDS])
        columns = self._leading(start, rows[0::FIELDS], step_values, type_codes, agent_codes)
        columns += [text_array(rows[4::FIELDS]), self._metadata(rows[5::FIELDS])]
        seqs = rows[7::FIELDS]
        if seqs.count(None) == n:
            # No bus event here (a bus event always has a sequence number, the
            # others none of the four bus ids): one test for four columns.
            strings = nulls(n, pa.string())
            columns += [strings, nulls(n, pa.int64()), strings, strings]
        else:
            columns += [
                string_array(rows[6::FIELDS]),
                int64_array(seqs),
                string_array(rows[8::FIELDS]),
                string_array(rows[9::FIELDS]),
            ]
        coded = (agent_codes, type_codes, step_values)
        return pa.record_batch(columns, schema=EVENT_SCHEMA), coded, step_range

    def _merged_batch(self, start: int) -> tuple[pa.RecordBatch, Coded, tuple[int, int]]:
        """:meth:`_batch` of the flat buffer and the blocks, rows in arrival order.

        Each column is put together in arrival order from the flat buffer's
        slices and the blocks' columns (list concatenation, in C); a value a
        block shares is given once, with the number of rows it covers (a run),
        and each flat event is a run of one.
        """
        rows = self.pending
        singles = [rows[k::FIELDS] for k in range(FIELDS)]
        times: list[float] = []
        types: list[str] = []
        agents: list[Any] = []
        contents: list[str] = []
        seqs: list[int | None] = []
        steps: list[int] = []
        metadata: list[str | None] = []
        run_ids: list[str | None] = []
        contracts: list[str | None] = []
        sizes: list[int] = []
        negotiations: list[str | None] = []
        negotiation_sizes: list[int] = []
        done = 0
        for at, block in [*self.blocks, (len(singles[0]), None)]:
            if at > done:
                times += singles[0][done:at]
                steps += singles[1][done:at]
                types += singles[2][done:at]
                agents += singles[3][done:at]
                contents += singles[4][done:at]
                metadata += singles[5][done:at]
                run_ids += singles[6][done:at]
                seqs += singles[7][done:at]
                negotiations += singles[8][done:at]
                contracts += singles[9][done:at]
                sizes += [1] * (at - done)
                negotiation_sizes += [1] * (at - done)
                done = at
            if block is None:
                break
            times += block.times
            types += block.types
            agents += block.agents
            contents += block.contents
            seqs += block.seqs
            steps.append(block.step)
            metadata.append(block.metadata)
            run_ids.append(block.run_id)
            contracts.append(None)
            sizes.append(block.n)
            first = block.negotiations[0]
            # An identity test per row (C): a mechanism's batch has one negotiation.
            if block.negotiations.count(first) == block.n:
                negotiations.append(first)
                negotiation_sizes.append(block.n)
            else:
                negotiations += block.negotiations
                negotiation_sizes += [1] * block.n
        agent_codes = self._agent_codes(agents)
        type_codes, _ = self._types.encode(types)
        counts = np.array(sizes, np.int64)
        step_values = np.repeat(np.fromiter(steps, np.int64, len(steps)), counts)
        columns = self._leading(start, times, step_values, type_codes, agent_codes)
        columns += [
            text_array(contents),
            runs_array([m or None for m in metadata], counts),  # "": none (FIELDS)
            runs_array(run_ids, counts),
            int64_array(seqs),
            runs_array(negotiations, np.array(negotiation_sizes, np.int64)),
            runs_array(contracts, counts),
        ]
        coded = (agent_codes, type_codes, step_values)
        step_range = (int(step_values.min()), int(step_values.max()))
        return pa.record_batch(columns, schema=EVENT_SCHEMA), coded, step_range

    def _leading(
        self,
        start: int,
        times: list[float],
        step_values: np.ndarray,
        type_codes: np.ndarray,
        agent_codes: np.ndarray,
    ) -> list[pa.Array]:
        """The index, time, step, type and agent columns of ``len(times)`` rows,
        the first of which is event ``start``."""
        n = len(times)
        micros = (np.fromiter(times, np.float64, n) * 1e6).astype(np.int64)
        return [
            int64_array(np.arange(start, start + n, dtype=np.int64)),
            int64_array(micros, TIMESTAMP),
            int64_array(step_values),
            self._types.array(type_codes),
            self._agents.array(agent_codes),
        ]

    def _agent_codes(self, agents: list[Any]) -> np.ndarray:
        # Agent ids are stored as strings (Mesa uses ints, Palaver strings); the
        # first id seen for each string is remembered so reads give back the
        # caller's type.
        try:
            codes, fresh = self._agents.encode(agents)
        except TypeError:
            # An unhashable id (record_event refuses them; a bus event could
            # still carry one) is stored by its str form, and only that id:
            # the others keep their type.
            codes, fresh = self._agents.encode([_hashable(a) for a in agents])
        for original in fresh:
            if original is not None:
                text = str(original)
                first = self.originals.setdefault(text, original)
                if type(first) is not type(original):
                    # Ids are stored as text: 1 and "1" are one agent on disk.
                    self._warn(
                        f"agent_id {original!r} ({type(original).__name__}) is stored as "
                        f"the text {text!r}, as agent_id {first!r} ({type(first).__name__}) "
                        f"already is: they are recorded as one agent, read back as {first!r}"
                    )
        if fresh and self._on_new_agents is not None:
            self._on_new_agents()
        return codes

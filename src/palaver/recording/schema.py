"""The columns of the ``events`` table, shared by storage, exports and the reader."""

from __future__ import annotations

import pyarrow as pa

EVENT_SCHEMA = pa.schema(
    [
        pa.field("index", pa.int64(), nullable=False),
        pa.field("timestamp", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("step", pa.int64(), nullable=False),
        pa.field("event_type", pa.string(), nullable=False),
        pa.field("agent_id", pa.string()),
        pa.field("content", pa.string(), nullable=False),
        pa.field("metadata", pa.string()),
        pa.field("run_id", pa.string()),
        pa.field("seq", pa.int64()),
        pa.field("negotiation_id", pa.string()),
        pa.field("contract_id", pa.string()),
    ],
    metadata={"palaver.recording": "events/1"},
)
"""Columns of the ``events`` table (see docs/recording.md)."""

TIMESTAMP = EVENT_SCHEMA.field("timestamp").type
KINDS = ("agent", "type", "step")
COLUMN_OF_KIND = {"agent": "agent_id", "type": "event_type", "step": "step"}
"""Column of the ``events`` table that each index kind groups by."""

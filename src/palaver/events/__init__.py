"""The event record and the sink protocol every emitter writes to.

The lowest layer of Palaver: it imports nothing else from the package.
"""

from palaver.events.batch import BATCHED_TYPES, BatchColumns, BatchRow, EventBatch, row_payload
from palaver.events.bus import EventBus, EventSink, EventSource, ListSink
from palaver.events.plain import plain
from palaver.events.record import Event
from palaver.events.types import EventType

__all__ = [
    "BATCHED_TYPES",
    "BatchColumns",
    "BatchRow",
    "Event",
    "EventBatch",
    "EventBus",
    "EventSink",
    "EventSource",
    "EventType",
    "ListSink",
    "plain",
    "row_payload",
]

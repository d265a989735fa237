"""The record files, written by a sink on the world's event bus.

``contracts.jsonl``, ``breaches.jsonl`` and ``negotiations.jsonl`` hold one
line per settled item: a contract that was executed, breached (resolved or
not), nullified, erred, cancelled or left unexecuted; a breach; a negotiation
that ended. The component that settles an item states it once in the log's
:class:`Settlements` (the contract and its status, the breaches and their
resolution, the negotiation's :class:`~palaver.world.contracts.NegotiationRecord`),
just before it emits the event that announces it; :class:`RecordSink`, on the
bus, writes what was settled when that event arrives. The lines' contents are
the world's: the sink calls its ``contract_record`` / ``breach_record``.

Two settlements come after their event, not just before it: a breach nobody
resolved (``contract_breached`` is emitted before a resolution is tried) and a
negotiation its mechanism ended (the mechanism emits ``negotiation_ended``
before the world closes the negotiation). The sink writes those at the next
event it receives (at the latest the step's ``step_end``, or when the log is
flushed), still before anything settled after them, so each file keeps the
order in which items were settled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, Protocol

from palaver.events import Event, EventType
from palaver.world.contracts import Breach, Contract, NegotiationRecord
from palaver.world.errors import SimulationError, WorldError


def record_of(callback: Callable[[Any], Any], item: Any) -> Mapping[str, Any]:
    """What a world's ``contract_record`` / ``breach_record`` gives for ``item``:
    a mapping of the record's fields. A callback that raises, or returns
    anything else, is a :class:`SimulationError` naming it (never a raw
    error from inside the record files' writer)."""
    name = getattr(callback, "__name__", "record callback")
    try:
        record = callback(item)
    except WorldError:
        raise
    except Exception as e:
        raise SimulationError(name, e) from e
    if not isinstance(record, Mapping):
        raise SimulationError(
            name,
            TypeError(
                f"{name} returned {record!r} ({type(record).__name__}); "
                "return a dict of the record's fields"
            ),
        )
    return record


__all__ = ["RECORD_EVENTS", "RecordFormat", "RecordSink", "RecordWriter", "Settlements"]

#: The events after which a record may be due: those announcing a settlement,
#: and the ends of a step and of the run (for the settlements that come after
#: their event). Offers and responses are not among them.
RECORD_EVENTS = frozenset(
    {
        EventType.CONTRACT_CONCLUDED,
        EventType.CONTRACT_CANCELLED,
        EventType.CONTRACT_EXECUTED,
        EventType.CONTRACT_NULLIFIED,
        EventType.CONTRACT_ERRED,
        EventType.CONTRACT_UNEXECUTED,
        EventType.BREACH_RESOLVED,
        EventType.NEGOTIATION_ENDED,
        EventType.STEP_END,
        EventType.SIMULATION_END,
    }
)


class _Ended(NamedTuple):
    contract: Contract
    status: str


class _Breached(NamedTuple):
    contract: Contract
    breaches: list[Breach]
    resolution: Contract | None


# One settled item: a contract and its status, a contract's breaches and
# their resolution, or a negotiation's record.
_Item = _Ended | _Breached | NegotiationRecord


class Settlements:
    """Items settled and not written yet, in the order they were settled.

    Kept only while a record sink listens (:attr:`enabled`); otherwise stating
    a settlement costs one attribute read.
    """

    def __init__(self, enabled: bool) -> None:
        #: Whether records are written (the world has a record folder).
        self.enabled = enabled
        self._items: list[_Item] = []

    def contract(self, contract: Contract, status: str) -> None:
        """``contract`` ended as ``status`` (``executed``, ``cancelled``, ...)."""
        if self.enabled:
            self._items.append(_Ended(contract, status))

    def breached(
        self, contract: Contract, breaches: list[Breach], resolution: Contract | None
    ) -> None:
        """``contract``'s ``breaches`` were processed; ``resolution``: what resolved them."""
        if self.enabled:
            self._items.append(_Breached(contract, list(breaches), resolution))

    def negotiation(self, record: NegotiationRecord) -> None:
        """A negotiation ended as ``record`` says."""
        if self.enabled:
            self._items.append(record)

    def take(self) -> list[_Item]:
        """The items settled since the last call, oldest first."""
        items, self._items = self._items, []
        return items


class RecordWriter(Protocol):
    """Where records go: ``write_record(kind, record)`` appends a line to ``<kind>.jsonl``."""

    def write_record(self, kind: str, record: Any) -> None:
        """Append ``record`` as one JSON line to ``<kind>.jsonl``."""


class RecordFormat(Protocol):
    """What decides a record's contents: the world's record callbacks."""

    def contract_record(self, contract: Contract) -> dict[str, Any]:
        """A flat record of ``contract``."""

    def breach_record(self, breach: Breach) -> dict[str, Any]:
        """A flat record of ``breach``."""


class RecordSink:
    """Writes the record files from the settlements, when the bus announces them.

    Args:
        settlements: What the components settled (the log's).
        writer: Appends the lines (the log).
        format: Whose ``contract_record`` and ``breach_record`` make the lines
            (the world: they are looked up at each call, so a world may
            replace them at any time).
    """

    #: Only these reach the sink: offers and responses never do.
    event_types = RECORD_EVENTS

    def __init__(
        self, settlements: Settlements, writer: RecordWriter, format: RecordFormat
    ) -> None:
        self._settlements = settlements
        self._writer = writer
        self._format = format

    def emit(self, event: Event) -> None:
        """Write what was settled up to ``event``."""
        self.flush()

    def flush(self) -> None:
        """Write every item settled and not written yet, in order."""
        items = self._settlements.take()
        if not items:
            return
        write = self._writer.write_record

        def contract_record(contract: Contract) -> Mapping[str, Any]:
            return record_of(self._format.contract_record, contract)

        for item in items:
            if isinstance(item, NegotiationRecord):
                write("negotiations", item)
            elif isinstance(item, _Ended):
                write("contracts", {"status": item.status, **contract_record(item.contract)})
            else:
                contract, breaches, resolution = item
                if resolution is None:
                    write("contracts", {"status": "breached", **contract_record(contract)})
                else:
                    write(
                        "contracts",
                        {
                            "status": "resolved",
                            "resolution_id": resolution.id,
                            "resolution": resolution.agreement,
                            **contract_record(contract),
                        },
                    )
                for b in breaches:
                    write("breaches", dict(record_of(self._format.breach_record, b)))

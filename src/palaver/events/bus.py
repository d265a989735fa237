"""Event emission: the sink protocol and the bus that stamps and fans out events."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol, runtime_checkable

from palaver.events.batch import BatchColumns, EventBatch
from palaver.events.record import Event
from palaver.events.types import EventType

# Building the named tuple through tuple.__new__ skips its keyword-handling
# constructor; this runs once per event.
_new_event = tuple.__new__
_now = time.time


@runtime_checkable
class EventSink(Protocol):
    """Anything that receives events. The recorder is one; tests use :class:`ListSink`.

    A sink may also have an ``event_types`` attribute, a collection of the event
    types it wants (``None`` or absent: all of them). The bus then sends it only
    those, and emitters skip building events nobody wants (see
    :meth:`EventBus.listens`). The bus reads it the first time it routes each
    event type after a sink is attached or detached, so set it before
    attaching the sink.
    """

    def emit(self, event: Event) -> None:
        """Receive one event. Must not mutate it."""


# A sink may also define ``emit_batch(batch: EventBatch) -> None``: it then
# receives offers and responses as columnar batches (see palaver.events.batch).


@runtime_checkable
class EventSource(Protocol):
    """Anything NegMAS-style listeners can subscribe to (a :class:`~palaver.world.World` is one).

    A listener is any object with ``on_event(event, sender)``; the source calls
    it with every event of the type it registered for (``None``: every event)
    and with itself as ``sender``. NegMAS code imports this name to annotate
    ``sender``.
    """

    def register_listener(self, event_type: str | None, listener: Any) -> None:
        """Call ``listener.on_event(event, self)`` for each event of ``event_type``."""


class ListSink:
    """A sink that keeps every event in a list (for tests and small scripts).

    :attr:`events` is fixed for the sink's lifetime (empty it with
    ``sink.events.clear()``): a bus keeps ``sink.emit``, which is that list's
    own ``append``, so that receiving an event costs no Python call.

    Args:
        event_types: The event types to keep (``None``: all of them); the bus
            then sends only those, and emitters skip building the others.
    """

    def __init__(self, event_types: Iterable[str] | None = None) -> None:
        self._events: list[Event] = []
        if event_types is not None:
            # An instance attribute shadows the class's None: subclasses that
            # declare event_types as a class attribute keep theirs.
            wanted = (event_types,) if isinstance(event_types, str) else event_types
            try:
                given: frozenset[object] = frozenset(wanted)
            except TypeError:
                given = frozenset((object(),))  # not iterable: reported below
            types = frozenset(t for t in given if isinstance(t, str))
            if len(types) != len(given):
                raise TypeError(
                    f"ListSink(event_types=...) takes event type names (strings), "
                    f"got {event_types!r}"
                )
            self.event_types: frozenset[str] | None = types

    @property
    def events(self) -> list[Event]:
        """The received events, oldest first."""
        return self._events

    @property
    def emit(self) -> Callable[[Event], None]:
        """Receive one event: ``sink.emit(event)`` appends it to :attr:`events`."""
        return self._events.append

    @property
    def emit_batch(self) -> Callable[[EventBatch], None] | None:
        """Receive a mechanism's offers and responses as one batch (see
        :mod:`palaver.events.batch`): :attr:`events` gets the very events
        :meth:`emit` would have received one by one, so mechanisms need not
        call negotiators turn by turn for this sink (round plans keep
        working). ``None`` for a subclass that overrides :meth:`emit`: it
        receives every event there, one by one."""
        if type(self).emit is not ListSink.emit:
            return None
        return self._take_batch

    def _take_batch(self, batch: EventBatch) -> None:
        wanted: frozenset[str] | None = getattr(self, "event_types", None)
        if wanted is None:
            self._events.extend(batch.events())
        else:
            # The rows may hold types this sink does not keep (another sink's).
            self._events.extend(e for e in batch.events() if e.type in wanted)

    def of_type(self, event_type: str) -> list[Event]:
        """The received events of one type, in order."""
        return [e for e in self._events if e.type == event_type]


class EventBus:
    """Stamps events with run id, sequence number, step and time, and fans them out.

    With no sink attached :attr:`active` is ``False``; emitters check it before
    building a payload so that an unobserved run pays one attribute read per
    would-be event.
    """

    __slots__ = (
        "_ahead",
        "_batchers",
        "_routes",
        "_rows",
        "_seq",
        "_sinks",
        "_takers",
        "active",
        "run_id",
        "step",
    )

    def __init__(self, run_id: str | None = None) -> None:
        # Eight random hex digits, as uuid4().hex[:8] gave, for a fifth of the
        # cost: a bus is made per standalone negotiation.
        if run_id is not None and not isinstance(run_id, str):
            # Every event carries it, stored as text by the recorder.
            raise TypeError(
                f"EventBus: run_id must be a str or None, got {run_id!r} ({type(run_id).__name__})"
            )
        self.run_id: str = run_id if run_id is not None else os.urandom(4).hex()
        self.step: int = 0
        self.active: bool = False
        self._seq = 0
        # Events that follow a snapshot being taken (see counting_ahead).
        self._ahead = 0
        self._sinks: tuple[EventSink, ...] = ()
        # Per event type, the bound emit methods of the sinks that want it,
        # filled on first use and cleared on attach/detach: emission sits
        # inside the negotiation round, so it must not look sinks up per event.
        self._routes: dict[str, tuple[Any, ...]] = {}
        # Offers/responses appended by mechanisms as rows, not yet handed to
        # the batch sinks (see palaver.events.batch); always flushed before
        # any other event is emitted, so sequence numbers stay in order.
        self._rows: list[Any] = []
        self._batchers: dict[tuple[str, ...], tuple[Any, ...] | None] = {}
        #: Who receives the rows at the next flush; ``None`` after sinks changed.
        self._takers: tuple[Any, ...] | None = ()

    @property
    def sinks(self) -> tuple[EventSink, ...]:
        """The attached sinks, in attachment order."""
        return self._sinks

    @property
    def seq(self) -> int:
        """The sequence number of the last emitted event (0 before any)."""
        return self._seq + len(self._rows)

    def add_sink(self, sink: EventSink) -> None:
        """Attach a sink; attaching the same sink twice is a no-op."""
        if not callable(getattr(sink, "emit", None)):
            raise TypeError(f"an event sink needs an emit(event) method; got {type(sink)!r}")
        if any(s is sink for s in self._sinks):
            return
        self.flush_rows()
        self._sinks = (*self._sinks, sink)
        self._routes = {}
        self._batchers = {}
        self._takers = None
        self.active = True

    def remove_sink(self, sink: EventSink) -> None:
        """Detach a sink; detaching one that is not attached is a no-op."""
        self.flush_rows()
        self._sinks = tuple(s for s in self._sinks if s is not sink)
        self._routes = {}
        self._batchers = {}
        self._takers = None
        self.active = bool(self._sinks)

    def batch_rows(self, *types: str) -> list[Any] | None:
        """The list a mechanism appends rows of ``types`` (offers, responses) to,
        or ``None`` when it must call :meth:`emit` for each event instead.

        Rows are taken only when every attached sink that wants one of
        ``types`` has an ``emit_batch`` method (see :mod:`palaver.events.batch`
        for the row layout). The mechanism calls :meth:`flush_rows` when its
        stretch of rounds ends; :meth:`emit` flushes them first too.
        """
        if types in self._batchers:
            takers = self._batchers[types]
        else:
            found: list[Any] = []
            for sink in self._sinks:
                wanted = getattr(sink, "event_types", None)
                if wanted is not None and not any(t in wanted for t in types):
                    continue
                emit_batch = getattr(sink, "emit_batch", None)
                if not callable(emit_batch):
                    found = []
                    break
                found.append(emit_batch)
            takers = self._batchers[types] = tuple(found) or None
        if takers is None:
            return None
        self._takers = takers  # who receives the rows at the next flush
        return self._rows

    def flush_rows(self) -> None:
        """Hand the rows appended since the last flush to the batch sinks, numbered
        after the last emitted event (nothing when there are none)."""
        rows = self._rows
        if not rows:
            return
        batch = EventBatch(self.run_id, self._seq + 1, self.step, rows.copy())
        self._seq += len(rows)
        rows.clear()
        self._deliver(batch)

    def emit_columns(self, columns: BatchColumns) -> None:
        """Hand offers/responses given as columns to the batch sinks, after any
        rows appended before (see :meth:`batch_rows`: call it first, and only
        when it returned a list).

        The columns (eight equal-length sequences, :data:`BatchColumns`) are
        handed over: nobody may mutate them afterwards.
        """
        n = len(columns[0])
        if not n:
            return
        if self._rows:
            self.flush_rows()
        batch = EventBatch(self.run_id, self._seq + 1, self.step, columns=columns)
        self._seq += n
        self._deliver(batch)

    def _deliver(self, batch: EventBatch) -> None:
        takers = self._takers
        if takers is None:
            self._deliver_to_changed_sinks(batch)
            return
        for emit_batch in takers:
            emit_batch(batch)

    def _deliver_to_changed_sinks(self, batch: EventBatch) -> None:
        # Sinks were attached or detached while a mechanism was appending rows
        # (by a negotiator's callback): each sink now attached gets the rows as
        # it takes events, as a batch or one by one.
        for sink in self._sinks:
            wanted = getattr(sink, "event_types", None)
            emit_batch = getattr(sink, "emit_batch", None)
            if callable(emit_batch):
                emit_batch(batch)
                continue
            for event in batch.events():
                if wanted is None or event.type in wanted:
                    sink.emit(event)

    def _route(self, type: str) -> tuple[Any, ...]:
        emitters = tuple(
            s.emit
            for s in self._sinks
            if (wanted := getattr(s, "event_types", None)) is None or type in wanted
        )
        self._routes[type] = emitters
        return emitters

    def listens(self, type: str) -> bool:
        """Whether any attached sink wants events of ``type``.

        Hot emitters check it once per batch of events (a negotiation round) so
        that a recorder that keeps only contracts costs nothing per offer.
        """
        emitters = self._routes.get(type)
        if emitters is None:
            emitters = self._route(type)
        return bool(emitters)

    def emit(
        self,
        type: str,
        payload: Mapping[str, Any],
        agent_id: str | None = None,
        negotiation_id: str | None = None,
        contract_id: str | None = None,
    ) -> Event | None:
        """Emit an event to every sink that wants it and return it.

        Returns ``None`` (and builds nothing) when no sink wants ``type``.

        The caller hands over ``payload``: it must be freshly built plain data
        that nobody mutates afterwards (use :func:`palaver.events.plain` to copy
        user-provided values). ``TypeError`` when an id is neither a str nor
        ``None`` or ``payload`` is not a mapping: every sink stores ids as text
        and reads the payload's keys, so such an event is refused here, at the
        emitter's call, before any sink took it.
        """
        if (
            payload.__class__ is not dict
            or (type.__class__ is not str and type.__class__ is not EventType)
            or not type
            or (agent_id.__class__ is not str and agent_id is not None)
            or (negotiation_id.__class__ is not str and negotiation_id is not None)
            or (contract_id.__class__ is not str and contract_id is not None)
        ):
            _check_emit(type, payload, agent_id, negotiation_id, contract_id)
        if self._rows:
            self.flush_rows()
        emitters = self._routes.get(type)
        if not emitters:
            # Unrouted (first event of this type), nobody wants it, or no sink
            # at all (then _routes is empty): the rare paths, kept off the common one.
            if emitters is not None or not self.active:
                return None
            emitters = self._route(type)
            if not emitters:
                return None
        self._seq = seq = self._seq + 1
        event = _new_event(
            Event,
            (
                self.run_id,
                seq,
                self.step,
                _now(),
                type,
                agent_id,
                negotiation_id,
                contract_id,
                payload,
            ),
        )
        for emit in emitters:
            emit(event)
        return event

    @contextmanager
    def counting_ahead(self, n: int) -> Iterator[None]:
        """While a snapshot (a checkpoint) is pickled inside this block, count the
        ``n`` events its taker will emit right after it (the ``checkpoint``
        event), so that a run resumed from the snapshot numbers its events as
        the uninterrupted run does."""
        self._ahead = n
        try:
            yield
        finally:
            self._ahead = 0

    def __getstate__(self) -> dict[str, Any]:
        # Sinks (files, recorders) are not part of a checkpoint; whoever restores
        # a world re-attaches them.
        self.flush_rows()
        return {"run_id": self.run_id, "step": self.step, "seq": self._seq + self._ahead}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.run_id = state["run_id"]
        self.step = state["step"]
        self._seq = state["seq"]
        self._ahead = 0
        self._sinks = ()
        self._routes = {}
        self._rows = []
        self._batchers = {}
        self._takers = ()
        self.active = False


def _check_emit(
    type: str, payload: Any, agent_id: Any, negotiation_id: Any, contract_id: Any
) -> None:
    """The slow path of :meth:`EventBus.emit`'s argument check (see there)."""
    if not isinstance(type, str) or not type:
        raise TypeError(
            f"EventBus.emit: the event type must be a non-empty str (an EventType or your "
            f"own name), got {type!r} ({type.__class__.__name__})"
        )
    if not isinstance(payload, Mapping):
        raise TypeError(
            f"a {type!r} event's payload must be a mapping (a dict of plain data), got "
            f"{payload!r:.80} ({payload.__class__.__name__}); EventBus.emit refused the event"
        )
    for name, value in (
        ("agent_id", agent_id),
        ("negotiation_id", negotiation_id),
        ("contract_id", contract_id),
    ):
        if value is not None and not isinstance(value, str):
            raise TypeError(
                f"a {type!r} event's {name} must be a str or None, got {value!r:.80} "
                f"({value.__class__.__name__}); EventBus.emit refused the event"
            )

"""The query methods shared by the recorder and the reader."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from palaver.recording.views import EventView

if TYPE_CHECKING:
    from palaver.recording.storage import EventStore


class EventQueries:
    """``events``, ``get_agent_events``, ``get_events_by_type``,
    ``get_events_by_step`` and ``export_agent_memory`` over an event store.

    Subclasses provide ``_store`` and ``simulation_id``, and may override
    :meth:`_view` (the recorder flushes first and adds its end marker).
    """

    _store: EventStore
    simulation_id: str

    def _view(self, kind: str | None = None, key: Any = None) -> EventView:
        return EventView(self._store, self.simulation_id, self._store.agents, kind, key)

    @property
    def events(self) -> EventView:
        """Every event, in order: indexable, ``len()``-able, iterable (lazy)."""
        return self._view()

    def get_agent_events(self, agent_id: Any) -> EventView:
        """Events of one agent, in order (a lazy view; see :class:`EventView`).
        ``None`` gives the model events (those recorded without an agent)."""
        return self._view("agent", None if agent_id is None else str(agent_id))

    def get_events_by_type(self, event_type: str) -> EventView:
        """Events of one type, in order (a lazy view)."""
        return self._view("type", str(event_type))

    def get_events_by_step(self, step: int) -> EventView:
        """Events of one step, in order (a lazy view)."""
        return self._view("step", int(step))

    def export_agent_memory(self, agent_id: Any) -> dict[str, Any]:
        """An agent's events (as dicts) and their summary: ``total_events``,
        ``event_types``, ``active_steps``, ``first_event``, ``last_event``."""
        events = list(self.get_agent_events(agent_id))
        return {
            "agent_id": agent_id,
            "events": [e.to_dict() for e in events],
            "summary": {
                "total_events": len(events),
                "event_types": list(dict.fromkeys(e.event_type for e in events)),
                "active_steps": sorted({e.step for e in events}),
                "first_event": events[0].timestamp.isoformat() if events else None,
                "last_event": events[-1].timestamp.isoformat() if events else None,
            },
        }

    def _counters(self) -> tuple[Counter[str], Counter[str]]:
        """Events per agent key and per type, from the segment counters."""
        agents: Counter[str] = Counter()
        types: Counter[str] = Counter()
        for seg in self._store.segments():
            agents.update(seg.agents)
            types.update(seg.types)
        return agents, types

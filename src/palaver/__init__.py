"""Palaver: negotiation-driven multi-agent simulations, recorded end to end."""

from palaver.events import Event, EventBus, EventSink, EventType, ListSink

__version__ = "0.1.0"

__all__ = ["Event", "EventBus", "EventSink", "EventType", "ListSink", "__version__"]

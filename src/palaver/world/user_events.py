"""Events a world's users add: NegMAS's listeners (``register_listener``, fed from
the world's bus) and the checks of a user event (``record_event``), for
:class:`~palaver.world.World`'s methods of those names. Kept apart from the
world's surface, which holds the requests and the reports.
"""

from __future__ import annotations

import builtins
from typing import Any, Protocol

from palaver._util.checks import is_text
from palaver.events import Event
from palaver.world.agent import Agent
from palaver.world.errors import WorldParameterError
from palaver.world.validate import check_event_type, check_user_event_type


class Listener(Protocol):
    """NegMAS's event listener."""

    def on_event(self, event: Event, sender: Any) -> None:
        """Called with every event it listens to."""


class ListenerSink:
    """Forwards bus events to a NegMAS-style listener's ``on_event(event, sender)``."""

    def __init__(self, listener: Listener, event_type: str | None, sender: Any) -> None:
        self.listener = listener
        self.sender = sender
        self.event_types = None if event_type is None else frozenset((event_type,))

    def emit(self, event: Event) -> None:
        self.listener.on_event(event, self.sender)


def listener_sink(event_type: str | None, listener: Listener, sender: Any) -> ListenerSink:
    """The sink feeding ``listener`` the events of ``event_type`` (``None``: every
    event) with ``sender``; a ``TypeError`` for a listener without ``on_event`` or an
    event type that is not a name, a ``WorldParameterError`` for a misspelt one."""
    if not callable(getattr(listener, "on_event", None)):
        raise TypeError(
            f"a listener needs an on_event(event, sender) method; got {type(listener)!r}"
        )
    if event_type is not None and not isinstance(event_type, str):
        raise TypeError(f"event_type must be an event type name or None; got {event_type!r}")
    if event_type is not None:
        check_event_type("event_type", event_type)
    return ListenerSink(listener, event_type, sender)


def check_user_event(
    type: str,
    payload: dict[str, Any],
    agent_id: str | None,
    negotiation_id: str | None,
    contract_id: str | None,
) -> None:
    """Refuse a user event ``record_event`` cannot emit (see
    :meth:`~palaver.world.World.record_event`), naming what is wrong."""
    if not isinstance(type, str) or not type:
        raise TypeError(f"an event type is a non-empty string; got {type!r}")
    for parameter, value in (
        ("type", type),
        ("agent_id", agent_id),
        ("negotiation_id", negotiation_id),
        ("contract_id", contract_id),
    ):
        # Checked here, where the value enters: a lone surrogate, or an id that
        # is not a str (negotiation_id=5), reaching a recorder made its every
        # later write fail inside pyarrow; an Agent was stored as its repr.
        if parameter != "type" and value is not None and not isinstance(value, str):
            hint = " (give agent.id, not the agent)" if isinstance(value, Agent) else ""
            raise WorldParameterError(
                f"record_event {parameter}={value!r:.80} ({builtins.type(value).__name__}) "
                f"must be a str or None{hint}"
            )
        if isinstance(value, str) and not is_text(value):
            raise WorldParameterError(
                f"record_event {parameter}={value!r} is not valid text (it holds a "
                "lone surrogate): give a str that can be written as UTF-8"
            )
    check_user_event_type(type)
    if not isinstance(payload, dict):
        raise TypeError(f"an event payload is a dict; got {payload!r}")

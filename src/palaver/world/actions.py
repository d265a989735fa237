"""What agents do besides negotiating: actions, messages and user events (a World mixin)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from palaver.events import EventType, plain
from palaver.world.contracts import Action

if TYPE_CHECKING:
    from palaver.world.agent import Agent

__all__ = ["ActionsMixin"]


class ActionsMixin:
    """Actions, messages between agents, and user events.

    Mixed into :class:`~palaver.world.World`.
    """

    def execute(self, action: Action, agent: Agent, callback: Callable | None = None) -> bool:
        """Execute ``action`` for ``agent`` via ``execute_action`` and record it."""
        if not isinstance(action, Action):
            raise TypeError(
                f"agent {agent.id!r}: execute takes an Action(type, params); got {action!r}"
            )
        if callback is not None and not callable(callback):
            raise TypeError(
                f"agent {agent.id!r}: callback must be callable or None; got {callback!r}"
            )
        result = self._palaver_guard.world(self.execute_action, action, agent, callback)
        self._palaver_ledger.count("n_actions")
        if self.bus.active:
            self.bus.emit(
                EventType.ACTION,
                {"action": action.type, "params": plain(action.params), "success": bool(result)},
                agent_id=agent.id,
            )
        return bool(result)

    def send_message(self, sender: Agent, receiver: str, message: Any) -> None:
        """Deliver ``message`` from ``sender`` to agent ``receiver`` (recorded)."""
        target = self.agents.get(receiver)
        if target is None:
            raise ValueError(f"agent {sender.id!r} sent a message to unknown agent {receiver!r}")
        self._palaver_ready(target)
        self._palaver_ledger.count("n_messages")
        if self.bus.active:
            self.bus.emit(
                EventType.MESSAGE,
                {"message": plain(message), "recipient_ids": [receiver]},
                agent_id=sender.id,
            )
        self._palaver_guard.agent(target, target.on_message, sender.id, message)

    def record_event(
        self,
        type: str,
        payload: dict[str, Any],
        agent_id: str | None = None,
        negotiation_id: str | None = None,
        contract_id: str | None = None,
    ) -> None:
        """Emit a user event on the world's bus (the payload is copied)."""
        if not isinstance(type, str) or not type:
            raise TypeError(f"an event type is a non-empty string; got {type!r}")
        if not isinstance(payload, dict):
            raise TypeError(f"an event payload is a dict; got {payload!r}")
        if self.bus.active:
            self.bus.emit(
                type,
                plain(payload),
                agent_id=agent_id,
                negotiation_id=negotiation_id,
                contract_id=contract_id,
            )

"""The exchange: what agents do besides negotiating (actions, messages, user events)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from palaver.events import EventBus, EventType, plain
from palaver.world.agent import Agent
from palaver.world.contracts import Action
from palaver.world.guard import Guard
from palaver.world.hooks import WorldHooks
from palaver.world.returns import action_problem
from palaver.world.roster import Roster
from palaver.world.stats import Ledger

__all__ = ["Exchange"]


class Exchange:
    """Carries out actions (through the world's ``execute_action``), delivers messages
    between agents and emits user events; each is counted and recorded.

    Args:
        guard, ledger, bus: Call user code, count, emit.
        roster: The agents (a message's recipient is initialised first).
        hooks: The world's ``execute_action``.
    """

    def __init__(
        self, guard: Guard, ledger: Ledger, bus: EventBus, roster: Roster, hooks: WorldHooks[Any]
    ) -> None:
        self.guard = guard
        self.ledger = ledger
        self.bus = bus
        self.roster = roster
        self.hooks = hooks

    def execute(
        self, action: Action, agent: Agent[Any], callback: Callable[..., Any] | None = None
    ) -> bool:
        """Execute ``action`` for ``agent`` via ``execute_action`` and record it."""
        if not isinstance(action, Action):
            raise TypeError(
                f"agent {agent.id!r}: execute takes an Action(type, params); got {action!r}"
            )
        if callback is not None and not callable(callback):
            raise TypeError(
                f"agent {agent.id!r}: callback must be callable or None; got {callback!r}"
            )
        returned, result = self.guard.world_result(
            self.hooks.execute_action, action, agent, callback
        )
        problem = action_problem(result) if returned else None
        if problem is not None:
            # Raised, or recorded with ignore_simulation_exceptions: the action failed.
            self.guard.world_malformed("execute_action", problem)
        success = problem is None and bool(result)
        self.ledger.count("n_actions")
        if self.bus.active and self.bus.listens(EventType.ACTION):
            self.bus.emit(
                EventType.ACTION,
                {"action": action.type, "params": plain(action.params), "success": success},
                agent_id=agent.id,
            )
        return success

    def send_message(self, sender: Agent[Any], receiver: str, message: Any) -> None:
        """Deliver ``message`` from ``sender`` to agent ``receiver`` (recorded)."""
        # An unhashable receiver (a list of ids) raised "unhashable type: 'list'".
        target = self.roster.agents.get(receiver) if isinstance(receiver, str) else None
        if target is None:
            raise ValueError(f"agent {sender.id!r} sent a message to unknown agent {receiver!r}")
        self.roster.ready(target)
        self.ledger.count("n_messages")
        if self.bus.active and self.bus.listens(EventType.MESSAGE):
            self.bus.emit(
                EventType.MESSAGE,
                {"message": plain(message), "recipient_ids": [receiver]},
                agent_id=sender.id,
            )
        self.guard.agent(target, target.on_message, sender.id, message)

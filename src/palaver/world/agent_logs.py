"""NegMAS's world-level agent log calls: ``world.loginfo_agent(aid, message)``, ..."""

from __future__ import annotations

from palaver.world.engine import Engine

__all__ = ["AgentLogCalls"]


class AgentLogCalls:
    """``world.logdebug_agent(aid, message)`` and its INFO, WARNING and ERROR kin (a
    base of ``World``). NegMAS keeps one log per agent; Palaver keeps one log, each
    line tagged ``[aid]`` as the agent's own ``awi.loginfo`` tags it."""

    _palaver: Engine

    def logdebug_agent(self, aid: str, message: str) -> None:
        """Log ``message`` for agent ``aid`` at DEBUG level."""
        self._palaver.log.log(f"[{aid}] {message}", "DEBUG")

    def loginfo_agent(self, aid: str, message: str) -> None:
        """Log ``message`` for agent ``aid`` at INFO level."""
        self._palaver.log.log(f"[{aid}] {message}", "INFO")

    def logwarning_agent(self, aid: str, message: str) -> None:
        """Log ``message`` for agent ``aid`` at WARNING level."""
        self._palaver.log.log(f"[{aid}] {message}", "WARNING")

    def logerror_agent(self, aid: str, message: str) -> None:
        """Log ``message`` for agent ``aid`` at ERROR level."""
        self._palaver.log.log(f"[{aid}] {message}", "ERROR")

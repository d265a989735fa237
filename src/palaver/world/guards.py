"""Calling user code (agents' and the world's own callbacks) under the exception options."""

from __future__ import annotations

import contextlib
import io
import traceback
from time import perf_counter
from typing import TYPE_CHECKING, Any

from palaver.events import EventType
from palaver.world.errors import AgentError, MechanismCrashError, SimulationError, WorldError

if TYPE_CHECKING:
    from palaver.world.agent import Agent

__all__ = ["GuardsMixin"]


class GuardsMixin:
    """Runs callbacks, turning their exceptions into clear errors or records.

    Mixed into :class:`~palaver.world.World`.
    """

    def _palaver_agent_call(self, agent: Agent, callback: str, *args: Any) -> Any:
        if self._palaver_stopping:
            return None
        start = perf_counter()
        try:
            if self._palaver_negmas.disable_agent_printing:
                with contextlib.redirect_stdout(io.StringIO()):
                    return getattr(agent, callback)(*args)
            return getattr(agent, callback)(*args)
        except (AgentError, SimulationError, MechanismCrashError):
            # Already attributed to the agent or world callback that failed.
            raise
        except Exception as e:
            if not self.exception_config.ignore_agent_exceptions:
                raise AgentError(agent.id, callback, e) from e
            self._palaver_agent_failed(agent, callback, e)
            return None
        finally:
            times = self._palaver_times
            aid = agent._palaver_id
            times[aid] = times.get(aid, 0.0) + (perf_counter() - start)

    def _palaver_agent_malformed(self, agent: Agent, callback: str, message: str) -> None:
        """``agent``'s callback returned something malformed: its error, raised or recorded."""
        error = ValueError(message)
        if not self.exception_config.ignore_agent_exceptions:
            raise AgentError(agent.id, callback, error)
        self._palaver_agent_failed(agent, callback, error)

    def _palaver_agent_failed(self, agent: Agent, callback: str, error: Exception) -> None:
        self._palaver_count("n_agent_exceptions")
        self._palaver_record_exception(f"{callback}", error, agent_id=agent.id, kind="agent")

    def _palaver_world_call(self, callback: str, *args: Any) -> Any:
        try:
            return getattr(self, callback)(*args)
        except WorldError:
            raise
        except Exception as e:
            if not self.exception_config.ignore_simulation_exceptions:
                raise SimulationError(callback, e) from e
            self._palaver_count("n_simulation_exceptions")
            self._palaver_record_exception(callback, e, kind="simulation")
            return None

    def _palaver_record_exception(
        self,
        where: str,
        error: BaseException,
        agent_id: str | None = None,
        kind: str = "simulation",
    ) -> None:
        """Record an exception that did not stop the run.

        ``kind`` (``agent``, ``simulation``, ``mechanism``, ``contract``,
        ``stats`` or ``run``) files it for the per-kind tables
        (``world.simulation_exceptions``, ...).
        """
        entry = {
            "kind": kind,
            "step": self._palaver_current_step,
            "where": where,
            "agent_id": agent_id,
            "exception": type(error).__name__,
            "message": str(error),
        }
        self.exceptions.append(entry)
        self._palaver_log.log(f"exception in {where} ({agent_id}): {error!r}", "ERROR")
        if self.bus.active:
            self.bus.emit(
                EventType.EXCEPTION,
                {
                    "where": where,
                    "exception": type(error).__name__,
                    "message": str(error),
                    "traceback": "".join(traceback.format_exception(error)),
                },
                agent_id=agent_id,
            )

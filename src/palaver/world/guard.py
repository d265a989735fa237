"""The guard: every call into user code (agents' and the world's own callbacks).

The guard owns what follows from such a call going wrong: it applies the
exception options (raise a clear error naming the callback, or record and go
on), counts the exceptions in the ledger, keeps the exception records, times
each agent's callbacks, and files malformed return values as the callback's
errors (Gymnasium's passive environment checker is the model: a bad return is
reported where it happened, not discovered later as a crash elsewhere).

Callbacks are passed as bound methods, never looked up by name. The guard
depends only on what it is given (the options, the ledger, the log, the bus and
something that tells the current step); nothing it holds refers back to it.
"""

from __future__ import annotations

import contextlib
import io
import traceback
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from time import perf_counter
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from palaver.events import EventBus, EventType
from palaver.world.errors import AgentError, MechanismCrashError, SimulationError, WorldError

if TYPE_CHECKING:
    from palaver.world.agent import Agent
    from palaver.world.compat import NegmasOptions
    from palaver.world.config import ExceptionConfig
    from palaver.world.logs import WorldLog
    from palaver.world.stats import Ledger

__all__ = ["Guard"]

T = TypeVar("T")

#: How many exception records a world keeps (the oldest are dropped first).
MAX_RECORDS = 1000


class StepSource(Protocol):
    """Anything that tells the current step (the world's run clock)."""

    step: int


class Guard:
    """Calls user code under the exception options and records what goes wrong.

    Args:
        options: The world's exception options (read at every failure, so a
            change made after construction applies).
        negmas: NegMAS's options (``disable_agent_printing``).
        clock: Tells the step an exception is filed under.
        ledger: Counts ``n_agent_exceptions`` / ``n_simulation_exceptions``.
        log: Receives one error line per recorded exception.
        bus: Receives one ``exception`` event per recorded exception.
    """

    #: A class default too, so that a guard unpickled from an older checkpoint has it.
    nested_time: float = 0.0

    def __init__(
        self,
        options: ExceptionConfig,
        negmas: NegmasOptions,
        clock: StepSource,
        ledger: Ledger,
        log: WorldLog,
        bus: EventBus,
    ) -> None:
        self.options = options
        self.negmas = negmas
        self.clock = clock
        self.ledger = ledger
        self.log = log
        self.bus = bus
        #: Every recorded exception (kind, step, where, agent_id, exception, message).
        self.records: deque[dict[str, Any]] = deque(maxlen=MAX_RECORDS)
        #: Seconds spent in each agent's callbacks, by agent id, each callback's
        #: own time: another agent's callback it causes (a partner asked inside
        #: a request) is that agent's, so the times add up to at most the run's.
        self.agent_times: dict[str, float] = {}
        #: Seconds the agent callbacks nested in the one under way took.
        self.nested_time = 0.0
        #: Set while a run that an exception stopped is being closed: agents
        #: are then not called back (the error may be theirs).
        self.stopping = False

    def agent(self, agent: Agent[Any], callback: Callable[..., T], *args: Any) -> T | None:
        """``callback(*args)`` (a bound method of ``agent``); ``None`` when it failed and
        agent exceptions are ignored, or while a stopped run is being closed."""
        if self.stopping:
            return None
        start = perf_counter()
        outer_nested, self.nested_time = self.nested_time, 0.0
        try:
            if self.negmas.disable_agent_printing:
                with contextlib.redirect_stdout(io.StringIO()):
                    return callback(*args)
            return callback(*args)
        except (AgentError, SimulationError, MechanismCrashError):
            # Already attributed to the agent or world callback that failed.
            raise
        except Exception as e:
            name = _name(callback)
            if not self.options.ignore_agent_exceptions:
                raise AgentError(agent.id, name, e) from e
            self.agent_failed(agent, name, e)
            return None
        finally:
            elapsed = perf_counter() - start
            own = elapsed - self.nested_time
            # The callback around this one does not count this one's time as its own.
            self.nested_time = outer_nested + elapsed
            # The attribute, not the ``id`` property: this runs for every callback.
            aid = agent._palaver_id
            if aid is not None:
                times = self.agent_times
                times[aid] = times.get(aid, 0.0) + own

    def malformed(self, agent: Agent[Any], callback: str, message: str) -> None:
        """``agent``'s ``callback`` returned something malformed: its error, raised or recorded."""
        error = ValueError(message)
        if not self.options.ignore_agent_exceptions:
            raise AgentError(agent.id, callback, error)
        self.agent_failed(agent, callback, error)

    def agent_failed(self, agent: Agent[Any], callback: str, error: Exception) -> None:
        """Count and record an agent callback's ignored exception."""
        self.ledger.count("n_agent_exceptions")
        self.record(callback, error, agent_id=agent.id, kind="agent")

    def world(self, callback: Callable[..., T], *args: Any) -> T | None:
        """``callback(*args)`` (a bound method of the world); ``None`` when it failed
        and simulation exceptions are ignored."""
        return self.world_result(callback, *args)[1]

    def world_result(self, callback: Callable[..., T], *args: Any) -> tuple[bool, T | None]:
        """Like :meth:`world`, telling whether the callback returned (``True``) or
        failed with an ignored exception, so that a returned ``None`` can be checked."""
        try:
            return True, callback(*args)
        except WorldError:
            raise
        except Exception as e:
            name = _name(callback)
            if not self.options.ignore_simulation_exceptions:
                raise SimulationError(name, e) from e
            self.ledger.count("n_simulation_exceptions")
            self.record(name, e, kind="simulation")
            return False, None

    def world_malformed(self, callback: str, message: str) -> None:
        """The world's ``callback`` returned something malformed: a ``SimulationError``,
        or (``ignore_simulation_exceptions``) a recorded simulation exception."""
        error = ValueError(f"{callback} returned {message}")
        if not self.options.ignore_simulation_exceptions:
            raise SimulationError(callback, error)
        self.ledger.count("n_simulation_exceptions")
        self.record(callback, error, kind="simulation")

    def record(
        self,
        where: str,
        error: BaseException,
        agent_id: str | None = None,
        kind: str = "simulation",
    ) -> None:
        """Record an exception that did not stop the run.

        ``kind`` (``agent``, ``simulation``, ``mechanism``, ``contract``,
        ``negotiator``, ``stats`` or ``run``) files it for the per-kind tables
        (``world.simulation_exceptions``, ...).
        """
        self.records.append(
            {
                "kind": kind,
                "step": self.clock.step,
                "where": where,
                "agent_id": agent_id,
                "exception": type(error).__name__,
                "message": str(error),
            }
        )
        self.log.log(f"exception in {where} ({agent_id}): {error!r}", "ERROR")
        if self.bus.active and self.bus.listens(EventType.EXCEPTION):
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

    def quietly(self, fn: Callable[..., Any], *args: Any) -> None:
        """``fn(*args)`` while a stopped run is closed: a failure is kept, never raised
        (nor logged or emitted: the log and the bus may be what failed)."""
        try:
            fn(*args)
        except Exception as e:
            self.records.append(
                {
                    "kind": "run",
                    "step": self.clock.step,
                    "where": f"ending the run: {_name(fn)}",
                    "agent_id": None,
                    "exception": type(e).__name__,
                    "message": str(e),
                }
            )

    def by_step(self, kind: str) -> dict[int, list[str]]:
        """The recorded exceptions of ``kind`` as text, by step."""
        out: dict[int, list[str]] = defaultdict(list)
        for e in self.records:
            if e.get("kind") == kind:
                out[e["step"]].append(f"{e['exception']}: {e['message']}")
        return dict(out)

    def by_agent(self, kind: str) -> defaultdict[str, list[tuple[int, str]]]:
        """The recorded exceptions of ``kind`` as ``(step, text)``, by agent id."""
        out: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
        for e in self.records:
            if e.get("kind") == kind and e.get("agent_id") is not None:
                out[e["agent_id"]].append((e["step"], f"{e['exception']}: {e['message']}"))
        return out

    def count_by_step(self, *kinds: str) -> dict[int, int]:
        """How many exceptions of ``kinds`` were recorded, by step."""
        out: dict[int, int] = defaultdict(int)
        for e in self.records:
            if e.get("kind") in kinds:
                out[e["step"]] += 1
        return dict(out)

    def count_by_agent(self, agents: Iterable[str], *kinds: str) -> dict[str, int]:
        """How many exceptions of ``kinds`` each of ``agents`` raised."""
        out: dict[str, int] = dict.fromkeys(agents, 0)
        for e in self.records:
            if e.get("kind") in kinds and e.get("agent_id") in out:
                out[e["agent_id"]] += 1
        return out


def _name(callback: Callable[..., Any]) -> str:
    """The callback's name, as errors and records report it."""
    return str(getattr(callback, "__name__", callback))

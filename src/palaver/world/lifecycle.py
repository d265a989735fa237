"""Running a world: steps and their operations, and how a run ends (a World mixin).

A run ends in one of four recorded states: ``completed``, ``timed_out``,
``error`` (user or framework code raised and the matching ``ignore_*`` option
was off) or ``interrupted`` (``KeyboardInterrupt`` and the like). Whatever the
ending, open negotiations, unsigned and unexecuted contracts are closed on
record and ``simulation_end`` is emitted before ``run()`` / ``step()`` returns
or re-raises.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from palaver.events import EventType, plain
from palaver.negotiators import negotiator_id_scope
from palaver.world.contracts import Operations

__all__ = ["ENDED", "LifecycleMixin"]

#: The statuses of a run that has ended.
ENDED = frozenset({"completed", "timed_out", "error", "interrupted"})


class LifecycleMixin:
    """``run``, ``step``, the operations of a step, and the end of a run.

    Mixed into :class:`~palaver.world.World`.
    """

    def run(self) -> None:
        """Run the remaining steps to the end (or until the time limit fires).

        An exception that stops the run is re-raised after the world has closed
        every open negotiation and contract on record (status ``"error"``).
        """
        while self.step():
            pass

    def step(self) -> bool:
        """Run one step; ``True`` when a step ran (the last one too), ``False``
        when none could (the simulation had ended, or its time limit fired)."""
        if self.status in ENDED:
            return False
        # Negotiators created during the step are numbered by the world's own
        # counter, so the event log does not depend on what ran before in the
        # process, and a checkpoint carries the numbering.
        with negotiator_id_scope(self._negotiator_ids):
            try:
                return self._step()
            except BaseException as e:
                if self.status in ("pending", "running"):
                    self._abort(e)
                raise

    @property
    def timed_out(self) -> bool:
        """Whether the run's ``time_limit`` fired."""
        return self.status == "timed_out"

    def _step(self) -> bool:
        if not self._started:
            self._start()
        now = time.perf_counter()
        self._elapsed += now - self._clock
        self._clock = now
        if self.time_limit is not None and self._elapsed >= self.time_limit:
            self._finish("timed_out")
            return False
        step = self._current_step
        bus = self.bus
        bus.step = step
        if bus.active:
            bus.emit(EventType.STEP_START, {})
        self._in_step = True
        self._quota_step = {}
        sim_stage = 0
        stats_stage = 0
        for op in self.operations:
            if op is Operations.Negotiations:
                self._run_negotiations()
            elif op is Operations.AgentSteps:
                self._step_agents()
            elif op is Operations.ContractExecution:
                self._execute_contracts()
            elif op is Operations.ContractSigning:
                self._sign_contracts()
            elif op is Operations.SimulationStep:
                self._world_call("simulation_step", sim_stage)
                sim_stage += 1
            else:
                self._update_stats(stats_stage)
                stats_stage += 1
        row = self._stats_book.flush({"n_running_negotiations": len(self._negotiations)})
        if bus.active:
            self._emit_state_changes()
            bus.emit(EventType.STATS, plain(row))
            bus.emit(EventType.STEP_END, {})
        self._monitor(row)
        self._in_step = False
        self._current_step += 1
        every = self.logging_config.log_stats_every
        if every > 0 and self._current_step % every == 0:
            self._write_stats()
        if self._current_step >= self.n_steps:
            self._finish("completed")
            return True
        self._maybe_checkpoint()
        return True

    def _start(self) -> None:
        self._started = True
        self.status = "running"
        self._clock = time.perf_counter()
        if self.bus.active:
            self.bus.emit(
                EventType.SIMULATION_START,
                {
                    "world": type(self).__name__,
                    "name": self.name,
                    "seed": self.seed,
                    "n_steps": self.n_steps,
                    "agents": list(self.agents),
                },
            )
        for agent in list(self.agents.values()):
            self._agent_call(agent, "init")

    def _step_agents(self) -> None:
        agents = list(self.agents.values())
        if self.shuffle_agents and len(agents) > 1:
            agents = [agents[i] for i in self._rng.permutation(len(agents))]
        for agent in agents:
            self._agent_call(agent, "step")

    def _finish(self, status: str) -> None:
        """End a run normally: agents hear about what is cancelled."""
        reason = "time limit" if status == "timed_out" else "simulation ended"
        self._cancel_negotiations(reason)
        self._expire_contracts(reason)
        # Set last: if an agent raises above, the run is still "running" and
        # step() ends it as an error, closing what is left.
        self.status = status
        self._close_run()

    def _abort(self, error: BaseException) -> None:
        """End a run that an exception stops, before the exception propagates.

        Everything still open is closed on record, but no agent is called back
        (the error may be theirs) and a failure while closing is recorded, not
        raised, so that the original exception is the one the caller sees.
        """
        status = "error" if isinstance(error, Exception) else "interrupted"
        self.status = status
        self._stopping = True
        self._in_step = False
        reason = f"simulation {status}"
        self._quietly(self._record_exception, "run", error)
        for neg in list(self._negotiations.values()):
            self._quietly(self._cancel_negotiation, neg, reason)
        unsigned, self._unsigned = self._unsigned, []
        for c in unsigned:
            self._quietly(self._expire_unsigned, c, f"{reason} before signing")
        pending, self._signed_pending = self._signed_pending, {}
        for c in pending.values():
            self._quietly(self._expire_signed, c, f"{reason} before execution")
        self._quietly(self._close_run)

    def _quietly(self, fn: Callable[..., Any], *args: Any) -> None:
        try:
            fn(*args)
        except Exception as e:
            self.exceptions.append(
                {
                    "step": self._current_step,
                    "where": f"ending the run: {getattr(fn, '__name__', fn)}",
                    "agent_id": None,
                    "exception": type(e).__name__,
                    "message": str(e),
                }
            )

    def _close_run(self) -> None:
        self._stats_book.flush({}, append=False)
        if self._stopping:
            self._quietly(self._write_stats, True)
        else:
            self._write_stats(final=True)
        if self.bus.active:
            self.bus.emit(
                EventType.SIMULATION_END,
                {"status": self.status, "final_step": self._current_step},
            )
        self._log.log(f"simulation {self.name} ended: {self.status} at step {self._current_step}")
        self._log.close()

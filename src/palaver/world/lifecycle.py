"""Running a world: steps and their operations, and how a run ends (a World mixin).

A run ends in one of four recorded states: ``completed``, ``timed_out``,
``error`` (user or framework code raised and the matching ``ignore_*`` option
was off) or ``interrupted`` (``KeyboardInterrupt`` and the like). Whatever the
ending, open negotiations, unsigned and unexecuted contracts are closed on
record and ``simulation_end`` is emitted before ``run()`` / ``step()`` returns
or re-raises.
"""

from __future__ import annotations

from typing import Any

from palaver.events import EventType, plain
from palaver.negotiators import negotiator_id_scope
from palaver.world.contracts import Operations
from palaver.world.errors import WorldParameterError
from palaver.world.validate import check_int

__all__ = ["LifecycleMixin"]


class LifecycleMixin:
    """``run``, ``step``, the operations of a step, and the end of a run.

    Mixed into :class:`~palaver.world.World`.
    """

    def run(self) -> None:
        """Run the remaining steps to the end (or until the time limit fires).

        An exception that stops the run is re-raised after the world has closed
        every open negotiation and contract on record (status ``"error"``).
        """
        if self._palaver_clock.ended:
            raise RuntimeError(
                f"world {self.name!r} has already run (status {self._palaver_clock.status!r}); "
                "build a new world (or resume a checkpoint) to run again"
            )
        while self.step():
            pass

    def step(
        self,
        n_neg_steps: int | None = None,
        n_mechanisms: int | None = None,
        actions: Any = None,
        neg_actions: Any = None,
    ) -> bool:
        """Run one step; ``True`` when a step ran (the last one too), ``False``
        when none could (the simulation had ended, or its time limit fired).

        ``n_neg_steps``: the rounds each running negotiation may take in this
        step's ``Negotiations`` operations, instead of ``negotiation_speed``
        (NegMAS's keyword; Palaver always runs whole world steps).
        NegMAS's ``n_mechanisms``, ``actions`` and ``neg_actions`` (stepping some
        mechanisms, or acting for agents and negotiators, from outside) are not
        reproduced: anything but ``None`` raises ``WorldParameterError``.
        """
        for name, value in (
            ("n_mechanisms", n_mechanisms),
            ("actions", actions),
            ("neg_actions", neg_actions),
        ):
            if value is not None:
                raise WorldParameterError(
                    f"step({name}={value!r}): Palaver runs whole world steps in which every "
                    "agent and negotiator acts for itself; only None is allowed"
                )
        if self._palaver_clock.ended:
            return False
        if n_neg_steps is not None:
            check_int("n_neg_steps", n_neg_steps, 1)
        # Negotiators created during the step are numbered by the world's own
        # counter, so the event log does not depend on what ran before in the
        # process, and a checkpoint carries the numbering.
        with negotiator_id_scope(self._palaver_negotiator_ids):
            speed = self._palaver_speed
            if n_neg_steps is not None:
                self._palaver_speed = n_neg_steps
            try:
                return self._palaver_step()
            except BaseException as e:
                if self._palaver_clock.status in ("pending", "running"):
                    self._palaver_abort(e)
                raise
            finally:
                self._palaver_speed = speed

    @property
    def timed_out(self) -> bool:
        """Whether the run's ``time_limit`` fired."""
        return self._palaver_clock.status == "timed_out"

    def _palaver_step(self) -> bool:
        if not self._palaver_clock.started:
            self._palaver_start()
            # As NegMAS does, the first checkpoint is taken before step 0 runs
            # (agents initialised): resuming it runs the whole simulation.
            self._palaver_maybe_checkpoint()
        if self._palaver_clock.spent(self.time_limit):
            self._palaver_finish("timed_out")
            return False
        step = self._palaver_clock.step
        bus = self.bus
        bus.step = step
        if bus.active:
            bus.emit(EventType.STEP_START, {})
        self._palaver_clock.in_step = True
        self._palaver_quota_step = {}
        registered_before = len(self._palaver_negotiations)
        sim_stage = 0
        stats_stage = 0
        for op in self.operations:
            if op is Operations.Negotiations:
                self._palaver_run_negotiations()
            elif op is Operations.AgentSteps:
                self._palaver_step_agents()
            elif op is Operations.ContractExecution:
                self._palaver_execute_contracts()
            elif op is Operations.ContractSigning:
                self._palaver_sign_contracts()
            elif op is Operations.SimulationStep:
                self._palaver_guard.world(self.simulation_step, sim_stage)
                sim_stage += 1
            else:
                self._palaver_update_stats(stats_stage)
                stats_stage += 1
        running = len(self._palaver_negotiations)
        row = self._palaver_ledger.flush(
            {
                "n_running_negotiations": running,
                "n_registered_negotiations_before": registered_before,
                "n_registered_negotiations_after": running,
            }
        )
        if bus.active:
            self._palaver_emit_state_changes()
            bus.emit(EventType.STATS, plain(row))
            bus.emit(EventType.STEP_END, {})
        self._palaver_monitor(row)
        self._palaver_clock.in_step = False
        self._palaver_clock.step += 1
        every = self.logging_config.log_stats_every
        if every > 0 and self._palaver_clock.step % every == 0:
            self._palaver_write_stats()
        if self._palaver_clock.step >= self.n_steps:
            self._palaver_finish("completed")
            return True
        self._palaver_maybe_checkpoint()
        return True

    def _palaver_start(self) -> None:
        self._palaver_clock.start()
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
            self._palaver_init_agent(agent)

    def _palaver_init_agent(self, agent: Any) -> None:
        """Call ``agent.init()`` once. A request or message made in another
        agent's ``init`` initialises its recipients first, so that no agent is
        asked anything before its own ``init`` ran."""
        aid = agent._palaver_id
        if aid in self._palaver_initialised:
            return
        self._palaver_initialised.add(aid)
        self._palaver_guard.agent(agent, agent.init)

    def _palaver_ready(self, agent: Any) -> None:
        """Initialise ``agent`` now if the run has started and its ``init`` has not run."""
        if self._palaver_clock.started and agent._palaver_id not in self._palaver_initialised:
            self._palaver_init_agent(agent)

    def _palaver_step_agents(self) -> None:
        agents = list(self.agents.values())
        if self.shuffle_agents and len(agents) > 1:
            agents = [agents[i] for i in self._palaver_rng.permutation(len(agents))]
        priority = self._palaver_priority
        if priority:
            # NegMAS's simulation_priority: lower first; the order within a
            # priority stays as above (stable sort).
            agents.sort(key=lambda a: priority.get(a._palaver_id, 0))
        for agent in agents:
            self._palaver_guard.agent(agent, agent.step)

    def _palaver_finish(self, status: str) -> None:
        """End a run normally: agents hear about what is cancelled."""
        reason = "time limit" if status == "timed_out" else "simulation ended"
        self._palaver_cancel_negotiations(reason)
        self._palaver_expire_contracts(reason)
        # Set last: if an agent raises above, the run is still "running" and
        # step() ends it as an error, closing what is left.
        self._palaver_clock.status = status
        self._palaver_close_run()

    def _palaver_abort(self, error: BaseException) -> None:
        """End a run that an exception stops, before the exception propagates.

        Everything still open is closed on record, but no agent is called back
        (the error may be theirs) and a failure while closing is recorded, not
        raised, so that the original exception is the one the caller sees.
        """
        status = "error" if isinstance(error, Exception) else "interrupted"
        self._palaver_clock.status = status
        self._palaver_guard.stopping = True
        self._palaver_clock.in_step = False
        reason = f"simulation {status}"
        self._palaver_guard.quietly(self._palaver_guard.record, "run", error, None, "run")
        for neg in list(self._palaver_negotiations.values()):
            self._palaver_guard.quietly(self._palaver_cancel_negotiation, neg, reason)
        unsigned, self._palaver_unsigned = self._palaver_unsigned, []
        for c in unsigned:
            self._palaver_guard.quietly(
                self._palaver_expire_unsigned, c, f"{reason} before signing"
            )
        pending, self._palaver_signed_pending = self._palaver_signed_pending, {}
        for c in pending.values():
            self._palaver_guard.quietly(
                self._palaver_expire_signed, c, f"{reason} before execution"
            )
        self._palaver_guard.quietly(self._palaver_close_run)

    def _palaver_close_run(self) -> None:
        self._palaver_ledger.flush({}, append=False)
        if self._palaver_guard.stopping:
            self._palaver_guard.quietly(self._palaver_write_stats, True)
        else:
            self._palaver_write_stats(final=True)
        if self.bus.active:
            self.bus.emit(
                EventType.SIMULATION_END,
                {"status": self._palaver_clock.status, "final_step": self._palaver_clock.step},
            )
        clock = self._palaver_clock
        self._palaver_log.log(f"simulation {self.name} ended: {clock.status} at step {clock.step}")
        self._palaver_log.close()

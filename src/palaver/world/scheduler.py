"""The scheduler: the operations of a step, and how a run ends.

A run ends in one of four recorded states: ``completed``, ``timed_out``,
``error`` (user or framework code raised and the matching ``ignore_*`` option
was off) or ``interrupted`` (``KeyboardInterrupt`` and the like). Whatever the
ending, open negotiations, unsigned and unexecuted contracts are closed on
record and ``simulation_end`` is emitted before ``run()`` / ``step()`` returns
or re-raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from palaver.events import EventBus, EventType, plain
from palaver.negotiators import negotiator_id_scope
from palaver.world.agent import Agent
from palaver.world.book import ContractBook
from palaver.world.breaches import BreachDesk
from palaver.world.checkpoint import Checkpoints
from palaver.world.clock import RunClock
from palaver.world.config import ExceptionConfig, LoggingConfig
from palaver.world.contracts import Contract, Operations
from palaver.world.desk import NegotiationDesk
from palaver.world.errors import SimulationError, WorldError
from palaver.world.guard import Guard
from palaver.world.hooks import WorldHooks
from palaver.world.logs import WorldLog
from palaver.world.negotiations import ActiveNegotiation, Agreement
from palaver.world.partial import StepProgress, next_batch
from palaver.world.returns import NO_PRIVATE_STATE
from palaver.world.roster import Roster
from palaver.world.stats import Ledger
from palaver.world.validity import world_accepts

__all__ = ["Scheduler"]


class Scheduler:
    """Runs a step's operations in the world's order, and starts and ends the run.

    Args:
        exceptions, logging: The world's option groups it applies.
        clock, ledger, guard, log, bus: The run's state, counts, user calls,
            records and events.
        roster, desk, book, breaches, checkpoints: The components whose
            operations make up a step.
        hooks: The world's callbacks and live options (``n_steps``, ...).
        rng: The world's generator (the agents' stepping order).
    """

    def __init__(
        self,
        exceptions: ExceptionConfig,
        logging: LoggingConfig,
        clock: RunClock,
        ledger: Ledger,
        guard: Guard,
        log: WorldLog,
        bus: EventBus,
        roster: Roster,
        desk: NegotiationDesk,
        book: ContractBook,
        breaches: BreachDesk,
        checkpoints: Checkpoints,
        hooks: WorldHooks[Any],
        rng: np.random.Generator,
    ) -> None:
        self.exceptions = exceptions
        self.logging = logging
        self.clock = clock
        self.ledger = ledger
        self.guard = guard
        self.log = log
        self.bus = bus
        self.roster = roster
        self.desk = desk
        self.book = book
        self.breaches = breaches
        self.checkpoints = checkpoints
        self.hooks = hooks
        self.rng = rng
        #: Each agent's private state at the last ``state_change`` check.
        self.last_states: dict[str, Any] = {}
        #: The step under way between two partial ``step`` calls (else ``None``).
        self.progress: StepProgress | None = None
        #: What ``simulation_start`` said (or would have said, with nobody
        #: listening) when the run started; ``None`` before.
        self.started_with: dict[str, Any] | None = None

    # ------------------------------------------------------------ a step

    def step(
        self,
        n_neg_steps: int | None,
        n_mechanisms: int | None = None,
        neg_actions: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> bool:
        """Run one step, or NegMAS's part of one (see :meth:`World.step`); the
        negotiations named in ``neg_actions`` take those moves in this call."""
        # Negotiators created during the step are numbered by the world's own
        # counter, so the event log does not depend on what ran before in the
        # process, and a checkpoint carries the numbering.
        with negotiator_id_scope(self.desk.negotiator_ids):
            self.desk.neg_actions = neg_actions
            try:
                if n_neg_steps is None and n_mechanisms is None:
                    return self._whole_step()
                rounds = n_neg_steps if n_neg_steps is not None else self.desk.speed
                return self._part_of_step(rounds, n_mechanisms)
            except BaseException as e:
                if self.clock.status in ("pending", "running"):
                    self._abort(e)
                raise
            finally:
                self.desk.neg_actions = None

    def _whole_step(self) -> bool:
        """Run the step (the rest of it, if a partial call paused it) to its end."""
        progress = self.progress if self.progress is not None else self._begin()
        if progress is None:
            return False
        self.progress = progress
        self._run_operations(progress, pause=False)
        self._end_step(progress)
        return True

    def _part_of_step(self, rounds: int | None, n_mechanisms: int | None) -> bool:
        """NegMAS's partial step: the operations up to a ``Negotiations`` one, then
        ``rounds`` rounds of its negotiations per call; the call that finds none of
        them open runs the rest of the step and the next step's operations up to
        its negotiations. ``False`` once the simulation has ended."""
        progress = self.progress
        if progress is None:
            progress = self._begin()
            if progress is None:
                return False
            self.progress = progress
            self._run_operations(progress, pause=True)
        while progress.op < len(self.hooks.operations):
            if self._negotiate_part(progress, rounds, n_mechanisms):
                return True
            progress.next_operation()
            self._run_operations(progress, pause=True)
        self._end_step(progress)
        if self.clock.ended:
            return False
        following = self._begin()
        if following is None:
            return False
        self.progress = following
        self._run_operations(following, pause=True)
        return True

    def _negotiate_part(
        self, progress: StepProgress, rounds: int | None, n_mechanisms: int | None
    ) -> bool:
        """Step the paused operation's negotiations; ``True`` while some want more
        of it (rounds left in this step, or an ending to settle).

        Endings are settled in the operation's order, the order a whole step
        runs the negotiations in: one waits while a negotiation before it has
        rounds left or an ending of its own to settle, so contracts are made
        (and numbered) as in a whole step.
        """
        desk = self.desk
        speed = desk.speed
        active = desk.active
        if progress.batch is None:
            progress.batch = [n.id for n in desk.to_run()]
        picked = {n.id for n in next_batch(progress, active, n_mechanisms, speed)}
        blocked = False
        for nid in progress.batch:
            neg = active.get(nid)
            if neg is None or desk.close_if_crashed(neg):
                continue  # settled, or closed by a callback of one settled before it
            state = neg.mechanism.state
            if state.ended:
                if nid in picked and not blocked:
                    self._conclude(desk.settle(neg, state))
                else:
                    blocked = True
            elif progress.wants_a_call(neg, speed):
                if nid in picked and rounds != 0:
                    desk.play(neg, progress.budget(neg, rounds, speed))
                blocked = True
        return any(i in active and progress.wants_a_call(active[i], speed) for i in progress.batch)

    def _begin(self) -> StepProgress | None:
        """Start a step (and the run, before its first one); ``None`` when the
        run's time limit is used up (the run then ends ``timed_out``)."""
        clock = self.clock
        hooks = self.hooks
        if not clock.started:
            self.start()
            # As NegMAS does, the first checkpoint is taken before step 0 runs
            # (agents initialised): resuming it runs the whole simulation.
            self.checkpoints.maybe_save(hooks)
        if clock.spent(hooks.time_limit):
            self._finish("timed_out")
            return None
        bus = self.bus
        bus.step = clock.step
        if bus.active and bus.listens(EventType.STEP_START):
            bus.emit(EventType.STEP_START, {})
        clock.in_step = True
        self.desk.new_step()
        progress = StepProgress(registered_before=len(self.desk.active))
        self._tell_agents("on_simulation_step_started")
        return progress

    def _tell_agents(self, hook: str) -> None:
        """Call NegMAS's step hook ``hook`` of every agent that overrides it, in the
        order they joined (as NegMAS does); the others are skipped (no call, no time)."""
        default = getattr(Agent, hook)
        guard = self.guard
        for agent in list(self.roster.agents.values()):
            if getattr(type(agent), hook, default) is not default:
                guard.agent(agent, getattr(agent, hook))

    def _run_operations(self, progress: StepProgress, pause: bool) -> None:
        """Run the step's operations from ``progress.op``; with ``pause``, stop
        before the next ``Negotiations`` operation (``progress.op`` points at it)."""
        hooks = self.hooks
        operations = hooks.operations
        while progress.op < len(operations):
            op = operations[progress.op]
            if op is Operations.Negotiations:
                if pause:
                    return
                self._run_negotiations()
            elif op is Operations.AgentSteps:
                for agent in self.roster.stepping_order(self.rng, hooks.shuffle_agents):
                    self.guard.agent(agent, agent.step)
            elif op is Operations.ContractExecution:
                self._execute_contracts()
            elif op is Operations.ContractSigning:
                self.book.sign_due()
            elif op is Operations.SimulationStep:
                self.guard.world(hooks.simulation_step, progress.sim_stage)
                progress.sim_stage += 1
            else:
                self._update_stats(progress.stats_stage)
                progress.stats_stage += 1
            progress.op += 1

    def _end_step(self, progress: StepProgress) -> None:
        """Close the step whose operations all ran: its statistics row and events."""
        self._tell_agents("on_simulation_step_ended")
        self.progress = None
        clock = self.clock
        hooks = self.hooks
        bus = self.bus
        # A run that ends with this step closes what is left open now, so that
        # the closing counts (cancelled negotiations, unexecuted contracts, ...)
        # are in this step's row and its stats event: every counter's series
        # then sums to its run total, and the open count is read after it (0),
        # so that before + accepted - succeeded - failed == after in every row.
        if clock.step + 1 >= hooks.n_steps:
            ending: str | None = "completed"
        elif clock.spent(hooks.time_limit):
            ending = "timed_out"
        else:
            ending = None
        if ending is not None:
            self._close_open(ending)
        running = len(self.desk.active)
        row = self.ledger.flush(
            {
                "n_running_negotiations": running,
                "n_registered_negotiations_before": progress.registered_before,
                "n_registered_negotiations_after": running,
            }
        )
        if bus.active:
            # Only a listener's wish calls get_private_state: the record sink
            # (a log folder) makes the bus active, and must not.
            if bus.listens(EventType.STATE_CHANGE):
                self._emit_state_changes()
            if bus.listens(EventType.STATS):
                bus.emit(EventType.STATS, plain(row))
            bus.emit(EventType.STEP_END, {})
        self._monitor(row)
        clock.end_step()
        clock.step += 1
        every = self.logging.log_stats_every
        if every > 0 and clock.step % every == 0:
            self._write_stats()
        if ending is not None:
            clock.status = ending
            self._close_run()
            return
        self.checkpoints.maybe_save(hooks)

    def negotiate(
        self, neg: ActiveNegotiation, rounds: int | None, immediate_signing: bool = False
    ) -> Contract | None:
        """Advance ``neg``; an agreement becomes a contract in the book (to be
        signed in this step with ``immediate_signing``, see ``ContractBook.conclude``)."""
        return self._conclude(self.desk.advance(neg, rounds), immediate_signing)

    def _conclude(
        self, agreement: Agreement | None, immediate_signing: bool = False
    ) -> Contract | None:
        """The contract of ``agreement`` (``None``: no agreement, no contract)."""
        if agreement is None:
            return None
        neg = agreement.negotiation
        if not world_accepts(
            self.guard, self.hooks, "is_valid_agreement",
            neg.info, agreement.state.agreement, neg.info.mechanism,
        ):  # fmt: skip
            # As in NegMAS: no contract, and the agents hear nothing more.
            self.desk.settled(agreement, None)
            return None
        book = self.book
        contract = book.conclude(agreement, immediate_signing)
        # The negotiation's record is settled before contract_concluded announces it.
        self.desk.settled(agreement, contract)
        book.announce(contract)
        self.desk.succeeded(agreement, contract)
        book.after_conclusion(contract)
        return contract

    def _run_negotiations(self) -> None:
        # As in NegMAS, every negotiation registered before this operation runs
        # in it, also one requested earlier in the same step (an AgentSteps
        # placed before Negotiations); those registered while it runs wait
        # for the next Negotiations operation.
        desk = self.desk
        speed = desk.speed
        active = desk.active
        for neg in desk.to_run():
            if neg.id in active and not desk.close_if_crashed(neg):
                self.negotiate(neg, speed)

    def _execute_contracts(self) -> None:
        for contract in self.book.due():
            breaches = self.book.execute(contract)
            if breaches:
                self.breaches.process(contract, breaches)
        self.guard.world(self.hooks.delete_executed_contracts)

    # ------------------------------------------------------ statistics

    def _update_stats(self, stage: int) -> None:
        hooks = self.hooks
        # As in NegMAS: a step with one StatsUpdate calls post_step_stats only
        # (the statistics of a step are those after it); with more, the first
        # is pre_step_stats.
        first = stage == 0 and hooks.operations.count(Operations.StatsUpdate) > 1
        hook = hooks.pre_step_stats if first else hooks.post_step_stats
        try:
            hook()
            self.ledger.check_series()
        except WorldError:
            raise
        except Exception as e:
            if not self.exceptions.safe_stats_monitoring:
                raise SimulationError(hook.__name__, e) from e
            self.guard.record(hook.__name__, e, kind="stats")
            # Recorded and ignored: what is not a series cannot join the rows.
            for key in self.ledger.malformed_series():
                del self.ledger.series[key]

    def _monitor(self, row: dict[str, Any]) -> None:
        for monitor in self.ledger.monitors:
            try:
                monitor(row, self.hooks)
            except Exception as e:
                if not self.exceptions.safe_stats_monitoring:
                    raise SimulationError("stats monitor", e) from e
                self.guard.record("stats monitor", e, kind="stats")

    def _write_stats(self, final: bool = False) -> None:
        try:
            self.log.write_stats(self.ledger.series, final)
        except Exception as e:
            if not self.exceptions.safe_stats_monitoring:
                raise SimulationError("writing stats", e) from e
            self.guard.record("writing stats", e, kind="stats")

    def _emit_state_changes(self) -> None:
        """Emit ``state_change`` for each agent whose private state changed this step."""
        last = self.last_states
        for aid, agent in self.roster.agents.items():
            returned, state = self.guard.world_result(self.hooks.get_private_state, agent)
            if not returned:
                continue
            if state is None:
                self.guard.world_malformed("get_private_state", NO_PRIVATE_STATE)
                continue
            new = plain(state)
            old = last.get(aid)
            if new == old:
                continue
            last[aid] = new
            if isinstance(new, dict) and isinstance(old, dict | None):
                before = old or {}
                changes = {
                    k: {"old": before.get(k), "new": v}
                    for k, v in new.items()
                    if before.get(k) != v
                }
            else:
                changes = {"state": {"old": old, "new": new}}
            if changes:  # a first state of {} changes nothing a sink could see
                self.bus.emit(EventType.STATE_CHANGE, {"changes": changes}, agent_id=aid)

    # -------------------------------------------------- start and end

    def start_payload(self) -> dict[str, Any]:
        """What ``simulation_start`` says of the run: the world's class and name,
        its seed, ``n_steps`` and the agents' ids when the run started."""
        hooks = self.hooks
        return {
            "world": type(hooks).__name__,
            "name": hooks.name,
            "seed": self.roster.seed,
            "n_steps": hooks.n_steps,
            "agents": list(self.roster.agents),
        }

    def start(self) -> None:
        """Start the run: ``simulation_start``, then every agent's ``init``."""
        self.clock.start()
        self.started_with = self.start_payload()
        if self.bus.active and self.bus.listens(EventType.SIMULATION_START):
            self.bus.emit(EventType.SIMULATION_START, dict(self.started_with))
        for agent in list(self.roster.agents.values()):
            self.roster.init(agent)

    def _close_open(self, status: str) -> None:
        """Cancel the open negotiations and expire the open contracts (agents hear
        about them); the status is set after, by the caller: if an agent raises
        here, the run is still "running" and step() ends it as an error."""
        reason = "time limit" if status == "timed_out" else "simulation ended"
        self.desk.cancel_all(reason)
        self.book.expire_all(reason)

    def _finish(self, status: str) -> None:
        """End a run outside a step (its time limit found used up before one starts)."""
        self._close_open(status)
        self.clock.status = status
        self._close_run()

    def _abort(self, error: BaseException) -> None:
        """End a run that an exception stops, before the exception propagates.

        Everything still open is closed on record, but no agent is called back
        (the error may be theirs) and a failure while closing is recorded, not
        raised, so that the original exception is the one the caller sees.
        """
        status = "error" if isinstance(error, Exception) else "interrupted"
        guard = self.guard
        self.progress = None
        self.clock.status = status
        guard.stopping = True
        self.clock.in_step = False
        reason = f"simulation {status}"
        guard.quietly(guard.record, "run", error, None, "run")
        for neg in list(self.desk.active.values()):
            guard.quietly(self.desk.cancel, neg, reason)
        book = self.book
        unsigned, book.unsigned = book.unsigned, []
        for c in unsigned:
            guard.quietly(book.expire_unsigned, c, f"{reason} before signing")
        pending, book.pending = book.pending, {}
        for c in pending.values():
            guard.quietly(book.expire_signed, c, f"{reason} before execution")
        guard.quietly(self._close_run)

    def _close_run(self) -> None:
        # Counts made outside a flushed step (closing before a step, or a step an
        # exception stopped) join the last row: the series still sum to the totals.
        self.ledger.fold()
        if self.guard.stopping:
            self.guard.quietly(self._write_stats, True)
        else:
            self._write_stats(final=True)
        clock = self.clock
        if self.bus.active:
            self.bus.emit(
                EventType.SIMULATION_END, {"status": clock.status, "final_step": clock.step}
            )
        self.log.log(f"simulation {self.hooks.name} ended: {clock.status} at step {clock.step}")
        self.log.close()

"""The negotiation desk: requests, quotas, mechanisms and the negotiations under way.

It turns a request into a registered negotiation (or a recorded refusal), steps
negotiations, and returns an :class:`Agreement` when one ends with an
agreement; it never makes contracts (the contract book does). Breach
processing renegotiates through it (:meth:`NegotiationDesk.renegotiate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from palaver.events import EventBus, EventType
from palaver.mechanisms import MechanismState, NegotiatorError
from palaver.negotiators import IdCounter, Negotiator
from palaver.outcomes import OutcomeSpace
from palaver.world.agent import Agent
from palaver.world.clock import RunClock
from palaver.world.compat import NegmasOptions
from palaver.world.config import ExceptionConfig, NegotiationConfig, SaveConfig
from palaver.world.contracts import Contract, NegotiationRecord
from palaver.world.errors import AgentError, MechanismCrashError
from palaver.world.graph import GraphRecorder
from palaver.world.guard import Guard
from palaver.world.logs import WorldLog
from palaver.world.mechanisms import MechanismTable
from palaver.world.negotiations import (
    ActiveNegotiation,
    Agreement,
    closed_state,
    owner_of,
    run_mechanism,
)
from palaver.world.requests import RequestIntake
from palaver.world.roster import Roster
from palaver.world.stats import Ledger

__all__ = ["NegotiationDesk"]


class NegotiationDesk:
    """Requests, quotas, mechanisms and the negotiations registered and not ended.

    Args:
        config, exceptions, save: The world's option groups it applies.
        negmas: NegMAS's options (``shuffle_negotiations``).
        clock, ledger, guard, log, bus, graph: Where it reads the step, counts,
            calls agents, writes records, emits events, draws edges.
        mechanisms: The mechanisms the world allows.
        roster: The agents.
        rng: The world's generator (mechanism seeds, shuffling).
    """

    #: NegMAS's ``neg_actions`` of the ``World.step`` call under way: per
    #: negotiation id, the moves made for its negotiators in each of its rounds
    #: this call (see ``Mechanism.step(action)``); ``None`` between calls.
    neg_actions: Mapping[str, Mapping[str, Any]] | None = None

    def __init__(
        self,
        config: NegotiationConfig,
        exceptions: ExceptionConfig,
        save: SaveConfig,
        negmas: NegmasOptions,
        clock: RunClock,
        ledger: Ledger,
        guard: Guard,
        log: WorldLog,
        bus: EventBus,
        graph: GraphRecorder | None,
        mechanisms: MechanismTable,
        roster: Roster,
        rng: np.random.Generator,
    ) -> None:
        self.config = config
        self.exceptions = exceptions
        self.save = save
        self.negmas = negmas
        self.clock = clock
        self.ledger = ledger
        self.guard = guard
        self.log = log
        self.bus = bus
        self.graph = graph
        self.mechanisms = mechanisms
        self.roster = roster
        self.rng = rng
        #: The negotiations registered and not ended, by id, in registration order.
        self.active: dict[str, ActiveNegotiation] = {}
        #: Rounds a negotiation takes per ``Negotiations`` operation.
        self.speed: int | None = config.negotiation_speed
        #: Numbers the default ids of the negotiators created during the run.
        self.negotiator_ids = IdCounter()
        #: Where requests become negotiations (quotas, ids, mechanisms).
        self.intake = RequestIntake(
            self.active,
            config,
            exceptions,
            clock,
            ledger,
            guard,
            bus,
            graph,
            mechanisms,
            roster,
            rng,
        )

    def register(
        self,
        caller: Agent[Any],
        issues: list[Any],
        partners: list[str],
        req_id: str | None,
        roles: list[str | None] | None,
        annotation: dict[str, Any] | None,
        mechanism_name: str | None,
        mechanism_params: dict[str, Any] | None,
        own: tuple[Any, Any] | None = None,
    ) -> ActiveNegotiation | None:
        """A registered negotiation, or ``None`` after recording why not
        (see :meth:`RequestIntake.register`)."""
        return self.intake.register(
            caller,
            issues,
            partners,
            req_id,
            roles,
            annotation,
            mechanism_name,
            mechanism_params,
            own,
        )

    # ---------------------------------------------------------- running

    def new_step(self) -> None:
        """A step starts: the per-step quotas start again."""
        self.intake.quota_step = {}

    def outcome_space(self, issues: list[Any]) -> OutcomeSpace:
        """The outcome space of ``issues`` (cached; see :meth:`RequestIntake.outcome_space`)."""
        return self.intake.outcome_space(issues)

    def to_run(self) -> list[ActiveNegotiation]:
        """The negotiations a ``Negotiations`` operation steps, in their order."""
        running = list(self.active.values())
        if self.negmas.shuffle_negotiations and len(running) > 1:
            running = [running[i] for i in self.rng.permutation(len(running))]
        return running

    def advance(self, neg: ActiveNegotiation, rounds: int | None) -> Agreement | None:
        """Run up to ``rounds`` rounds (``None``: to the end); the agreement if one was reached.

        A negotiation that ended without agreement is closed and recorded here.
        """
        state = self.play(neg, rounds)
        if state is None or state.running:
            return None
        return self.settle(neg, state)

    def play(self, neg: ActiveNegotiation, rounds: int | None) -> MechanismState | None:
        """Run up to ``rounds`` rounds (``None``: to the end) without settling the
        result; the mechanism's state, or ``None`` when its mechanism raised and
        the negotiation was closed as an error (``ignore_mechanism_exceptions``)."""
        mechanism = neg.mechanism
        if neg.started_at is None:
            neg.started_at = self.clock.step
            self.ledger.count("n_negotiations_started")
        try:
            actions = self.neg_actions
            if actions is not None and neg.id in actions:
                return run_mechanism(mechanism, rounds, actions[neg.id])
            return run_mechanism(mechanism, rounds)
        except NegotiatorError as e:
            owner = owner_of(mechanism, e.negotiator_id)
            neg.error = f"negotiator {e.negotiator_id!r} of {owner!r} raised: {e}"
            raise AgentError(owner, f"negotiator {e.negotiator_id!r} in {neg.id}", e) from e
        except Exception as e:
            if not self.exceptions.ignore_mechanism_exceptions:
                neg.error = f"mechanism raised {type(e).__name__}: {e}"
                raise MechanismCrashError(neg.id, e) from e
            self.guard.record(f"mechanism {neg.id}", e, kind="mechanism")
            self.ledger.count("n_mechanism_exceptions")
            self._end_without_agreement(neg, mechanism.state, "error", str(e), emit=True)
            return None

    def settle(self, neg: ActiveNegotiation, state: MechanismState) -> Agreement | None:
        """Close ``neg``, whose mechanism ended in ``state``: the agreement, if it
        reached one (the contract book makes it a contract); else it is recorded
        here as failed."""
        if state.agreement is None:
            self.negotiator_failed(neg.mechanism, state, neg.id)
            error = state.error_details or None
            self._end_without_agreement(neg, state, state.result, error, emit=False)
            return None
        self._close(neg)
        self.ledger.count("n_negotiations_succeeded")
        self.ledger.count("n_negotiation_rounds_successful", state.step)
        return Agreement(neg, neg.outcome_space.to_dict(state.agreement), state)

    def settled(self, agreement: Agreement, contract: Contract | None) -> None:
        """Record the negotiation that produced ``contract`` (``None``: the world
        found the agreement invalid)."""
        neg = agreement.negotiation
        rounds = agreement.state.step
        contract_id = contract.id if contract is not None else None
        self._record(neg, "agreement", agreement.outcome, rounds, contract_id, None)

    def succeeded(self, agreement: Agreement, contract: Contract) -> None:
        """Tell the partners of ``agreement``'s negotiation that it produced ``contract``."""
        neg = agreement.negotiation
        nmi = neg.info.mechanism
        agents = self.roster.agents
        for pid in neg.partners:
            self.guard.agent(agents[pid], agents[pid].on_negotiation_success, contract, nmi)

    def negotiator_failed(self, mechanism: Any, state: MechanismState, where: str) -> None:
        """Record a negotiator's exception that its mechanism ignored (``ignore_agent_exceptions``).

        The mechanism ended the negotiation with an error; the exception is its
        agent's, recorded like any other agent exception.
        """
        if not state.has_error:
            return
        owner = state.erred_negotiator
        for n in mechanism.negotiators:
            if n.id == state.erred_negotiator:
                owner = getattr(n, "owner_id", None) or n.id
        agent = self.roster.agents.get(owner) if owner else None
        error = RuntimeError(state.error_details or "a negotiator raised")
        if agent is None:
            self.guard.record(where, error, kind="negotiator")
        else:
            self.ledger.count("n_agent_exceptions")
            self.guard.record(
                f"negotiator {state.erred_negotiator!r} in {where}",
                error,
                agent_id=agent.id,
                kind="negotiator",
            )

    def _end_without_agreement(
        self,
        neg: ActiveNegotiation,
        state: MechanismState,
        result: str,
        error: str | None,
        emit: bool,
    ) -> None:
        self._close(neg)
        ledger = self.ledger
        ledger.count("n_negotiations_failed")
        ledger.count("n_negotiation_rounds_failed", state.step)
        if result == "timeout":
            ledger.count("n_negotiations_timedout")
        elif result == "cancelled":
            ledger.count("n_negotiations_cancelled")
        # Settled before negotiation_ended announces it; a negotiation its
        # mechanism ended (emit=False) was announced already: the record sink
        # writes it at the next event.
        self._record(neg, result, None, state.step, None, error)
        if emit and self.bus.active:
            self.bus.emit(
                EventType.NEGOTIATION_ENDED,
                {"result": result, "agreement": None, "rounds": state.step, "error": error},
                negotiation_id=neg.id,
            )
        if state.result != result:
            # Callbacks see what the world records ("cancelled"), not "pending"/"running".
            state = closed_state(state, result)
        nmi = neg.info.mechanism
        agents = self.roster.agents
        for pid in neg.partners:
            self.guard.agent(
                agents[pid],
                agents[pid].on_negotiation_failure,
                list(neg.partners),
                neg.annotation,
                nmi,
                state,
            )

    def _close(self, neg: ActiveNegotiation) -> None:
        self.active.pop(neg.id, None)
        for pid in neg.partners:
            self.roster.agents[pid]._palaver_leave(neg.id)

    def _record(
        self,
        neg: ActiveNegotiation,
        result: str,
        agreement: dict[str, Any] | None,
        rounds: int,
        contract_id: str | None,
        error: str | None,
    ) -> None:
        settled = self.log.settled
        if not self.save.save_negotiations and not settled.enabled:
            return
        record = NegotiationRecord(
            id=neg.id,
            partners=tuple(neg.partners),
            caller=neg.caller,
            requested_at=neg.requested_at,
            started_at=neg.started_at,
            ended_at=self.clock.step,
            result=result,
            agreement=agreement,
            rounds=rounds,
            contract_id=contract_id,
            error=error,
        )
        if self.save.save_negotiations:
            self.ledger.saved_negotiations.append(record)
        settled.negotiation(record)

    def cancel(self, neg: ActiveNegotiation, reason: str) -> None:
        """End an open negotiation when the run ends: ``cancelled``, or ``error`` if it raised."""
        state = neg.mechanism.state
        # A mechanism that ended by itself (a negotiator raised) already emitted
        # negotiation_ended; the desk only completes its own records then.
        emit = not state.ended
        if neg.error is not None:
            self._end_without_agreement(neg, state, "error", neg.error, emit=emit)
        else:
            self._end_without_agreement(neg, state, "cancelled", reason, emit=emit)

    def close_if_crashed(self, neg: ActiveNegotiation) -> bool:
        """Close ``neg`` as an error if its mechanism raised earlier; whether it did.

        A mechanism that raised inside an agent's ``run_negotiation(s)`` (or a
        request started at once) leaves its negotiation open when the agent
        catches the exception and carries on. Run again, the broken mechanism
        would fail with another error than its own (a negotiator's "no ranking
        of its outcomes"), so it is closed here as the error it raised.
        """
        if neg.error is None or neg.mechanism.state.ended:
            return False
        self.cancel(neg, neg.error)
        return True

    def cancel_all(self, reason: str) -> None:
        """Cancel every open negotiation."""
        for neg in list(self.active.values()):
            self.cancel(neg, reason)

    # ------------------------------------------------------ renegotiation

    def renegotiate(
        self,
        negotiators: list[tuple[str, Any]],
        issues: list[Any],
        annotation: dict[str, Any],
    ) -> tuple[Any, ...] | None:
        """Run a breach's renegotiation to its end: the agreed outcome, or ``None``.

        ``negotiators`` are ``(agent id, negotiator)`` pairs; the negotiation
        runs at once on the world's default mechanism, outside the quotas.
        """
        self.ledger.count("n_renegotiations")
        intake = self.intake
        nid = intake.next_id()
        cls, params = self.mechanisms.get(None)
        space = intake.outcome_space(issues)
        mechanism = intake.new_mechanism(cls, params, space, nid, annotation)
        # Its events say it is no ordinary negotiation (counted in n_renegotiations).
        mechanism.event_fields = {
            "renegotiation": True,
            "renegotiation_of": annotation.get("renegotiation_of"),
        }
        agents = self.roster.agents
        for pid, n in negotiators:
            n.owner_id = pid
            if isinstance(n, Negotiator):
                n.owner = agents[pid]
            ufun = None if getattr(n, "ufun", None) is not None else agents[pid].ufun
            if not mechanism.add(n, ufun=ufun):
                return None
        try:
            state = mechanism.run()
        except NegotiatorError as e:
            owner = next((p for p, n in negotiators if n.id == e.negotiator_id), e.negotiator_id)
            raise AgentError(owner, f"negotiator in renegotiation {nid}", e) from e
        except Exception as e:
            if not self.exceptions.ignore_mechanism_exceptions:
                raise MechanismCrashError(nid, e) from e
            self.guard.record(f"mechanism {nid}", e, kind="mechanism")
            self.ledger.count("n_mechanism_exceptions")
            return None
        if state.agreement is None:
            self.negotiator_failed(mechanism, state, nid)
            return None
        agreed: tuple[Any, ...] = state.agreement
        return agreed

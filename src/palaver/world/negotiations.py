"""Running registered negotiations and recording how each ends (a World mixin)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from palaver.events import EventType
from palaver.mechanisms import Mechanism, NegotiatorError
from palaver.outcomes import OutcomeSpace
from palaver.world.contracts import Contract, NegotiationInfo, NegotiationRecord
from palaver.world.errors import AgentError, MechanismCrashError

__all__ = ["ActiveNegotiation", "NegotiationsMixin"]


@dataclass(slots=True, eq=False)
class ActiveNegotiation:
    """A registered negotiation that has not ended yet (internal bookkeeping).

    ``error`` is set when the negotiation raised and the run is stopping
    because of it; the negotiation then ends with result ``error``.
    """

    id: str
    mechanism: Any
    caller: str
    partners: list[str]
    annotation: dict[str, Any]
    issues: list[Any]
    outcome_space: OutcomeSpace
    requested_at: int
    started_at: int | None
    info: NegotiationInfo
    error: str | None = None


class NegotiationsMixin:
    """Stepping negotiations, turning their results into contracts or failures.

    Mixed into :class:`~palaver.world.World`; relies on the world's state and
    helpers (``_agent_call``, ``_count``, ``_conclude`` ...).
    """

    @property
    def running_negotiations(self) -> list[NegotiationInfo]:
        """The negotiations registered and not ended, in registration order."""
        return [n.info for n in self._palaver_negotiations.values()]

    def _palaver_run_negotiations(self) -> None:
        # As in NegMAS, every negotiation registered before this operation runs
        # in it, also one requested earlier in the same step (an AgentSteps
        # placed before Negotiations); those registered while it runs wait
        # for the next Negotiations operation.
        speed = self._palaver_speed
        running = list(self._palaver_negotiations.values())
        if self._palaver_negmas.shuffle_negotiations and len(running) > 1:
            running = [running[i] for i in self._palaver_rng.permutation(len(running))]
        for neg in running:
            if neg.id in self._palaver_negotiations:
                self._palaver_advance(neg, speed)

    def _palaver_advance(self, neg: ActiveNegotiation, rounds: int | None) -> Contract | None:
        """Run up to ``rounds`` rounds (``None``: to the end); finish it if it ended."""
        mechanism = neg.mechanism
        if neg.started_at is None:
            neg.started_at = self._palaver_clock.step
            self._palaver_ledger.count("n_negotiations_started")
        try:
            if rounds is None and type(mechanism).step is Mechanism.step:
                state = mechanism.run()
            elif rounds is None:
                # A subclass's own step() must run: Mechanism.run() may play the
                # rounds without calling it.
                state = mechanism.state
                while not state.started or state.running:
                    state = mechanism.step()
            else:
                state = mechanism.state
                for _ in range(rounds):
                    state = mechanism.step()
                    if not state.running:
                        break
        except NegotiatorError as e:
            owner = self._palaver_owner_of(neg, e.negotiator_id)
            neg.error = f"negotiator {e.negotiator_id!r} of {owner!r} raised: {e}"
            raise AgentError(owner, f"negotiator {e.negotiator_id!r} in {neg.id}", e) from e
        except Exception as e:
            if not self.exception_config.ignore_mechanism_exceptions:
                neg.error = f"mechanism raised {type(e).__name__}: {e}"
                raise MechanismCrashError(neg.id, e) from e
            self._palaver_guard.record(f"mechanism {neg.id}", e, kind="mechanism")
            self._palaver_ledger.count("n_mechanism_exceptions")
            self._palaver_end_without_agreement(neg, mechanism.state, "error", str(e), emit=True)
            return None
        if state.running:
            return None
        return self._palaver_finish_negotiation(neg, state)

    def _palaver_owner_of(self, neg: ActiveNegotiation, negotiator_id: str) -> str:
        for n in neg.mechanism.negotiators:
            if n.id == negotiator_id:
                return n.owner_id or negotiator_id
        return negotiator_id

    def _palaver_negotiator_failed(self, mechanism: Any, state: Any, where: str) -> None:
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
        agent = self.agents.get(owner) if owner is not None else None
        error = RuntimeError(state.error_details or "a negotiator raised")
        if agent is None:
            self._palaver_guard.record(where, error, kind="negotiator")
        else:
            self._palaver_ledger.count("n_agent_exceptions")
            self._palaver_guard.record(
                f"negotiator {state.erred_negotiator!r} in {where}",
                error,
                agent_id=agent.id,
                kind="negotiator",
            )

    def _palaver_finish_negotiation(self, neg: ActiveNegotiation, state: Any) -> Contract | None:
        if state.agreement is None:
            result = state.result
            error = state.error_details or None
            self._palaver_negotiator_failed(neg.mechanism, state, neg.id)
            self._palaver_end_without_agreement(neg, state, result, error, emit=False)
            return None
        self._palaver_close(neg)
        self._palaver_ledger.count("n_negotiations_succeeded")
        self._palaver_ledger.count("n_negotiation_rounds_successful", state.step)
        agreement = neg.outcome_space.to_dict(state.agreement)
        contract = self._palaver_conclude(neg, agreement, state)
        self._palaver_record_negotiation(neg, "agreement", agreement, state.step, contract.id, None)
        nmi = neg.info.mechanism
        for pid in neg.partners:
            self._palaver_guard.agent(
                self.agents[pid], self.agents[pid].on_negotiation_success, contract, nmi
            )
        self._palaver_after_conclusion(contract)
        return contract

    def _palaver_end_without_agreement(
        self, neg: ActiveNegotiation, state: Any, result: str, error: str | None, emit: bool
    ) -> None:
        self._palaver_close(neg)
        self._palaver_ledger.count("n_negotiations_failed")
        self._palaver_ledger.count("n_negotiation_rounds_failed", state.step)
        if result == "timeout":
            self._palaver_ledger.count("n_negotiations_timedout")
        elif result == "cancelled":
            self._palaver_ledger.count("n_negotiations_cancelled")
        if emit and self.bus.active:
            self.bus.emit(
                EventType.NEGOTIATION_ENDED,
                {"result": result, "agreement": None, "rounds": state.step, "error": error},
                negotiation_id=neg.id,
            )
        self._palaver_record_negotiation(neg, result, None, state.step, None, error)
        nmi = neg.info.mechanism
        for pid in neg.partners:
            self._palaver_guard.agent(
                self.agents[pid],
                self.agents[pid].on_negotiation_failure,
                list(neg.partners),
                neg.annotation,
                nmi,
                state,
            )

    def _palaver_close(self, neg: ActiveNegotiation) -> None:
        self._palaver_negotiations.pop(neg.id, None)
        for pid in neg.partners:
            self.agents[pid]._palaver_running_negotiations.pop(neg.id, None)

    def _palaver_record_negotiation(
        self,
        neg: ActiveNegotiation,
        result: str,
        agreement: dict[str, Any] | None,
        rounds: int,
        contract_id: str | None,
        error: str | None,
    ) -> None:
        if not self.save_config.save_negotiations and self._palaver_log.records is None:
            return
        record = NegotiationRecord(
            id=neg.id,
            partners=tuple(neg.partners),
            caller=neg.caller,
            requested_at=neg.requested_at,
            started_at=neg.started_at,
            ended_at=self._palaver_clock.step,
            result=result,
            agreement=agreement,
            rounds=rounds,
            contract_id=contract_id,
            error=error,
        )
        if self.save_config.save_negotiations:
            self._palaver_ledger.saved_negotiations.append(record)
        self._palaver_log.write_record("negotiations", record)

    def _palaver_cancel_negotiation(self, neg: ActiveNegotiation, reason: str) -> None:
        """End an open negotiation when the run ends: ``cancelled``, or ``error`` if it raised."""
        state = neg.mechanism.state
        # A mechanism that ended by itself (a negotiator raised) already emitted
        # negotiation_ended; the world only completes its own records then.
        emit = not state.ended
        if neg.error is not None:
            self._palaver_end_without_agreement(neg, state, "error", neg.error, emit=emit)
        else:
            self._palaver_end_without_agreement(neg, state, "cancelled", reason, emit=emit)

    def _palaver_cancel_negotiations(self, reason: str) -> None:
        for neg in list(self._palaver_negotiations.values()):
            self._palaver_cancel_negotiation(neg, reason)

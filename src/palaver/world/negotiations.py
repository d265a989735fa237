"""Negotiation requests, their acceptance, and running the negotiations (a World mixin)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from palaver.events import EventType, plain
from palaver.mechanisms import NegotiatorError
from palaver.outcomes import OutcomeSpace
from palaver.world.contracts import Contract, NegotiationInfo, NegotiationRecord
from palaver.world.errors import AgentError, MechanismCrashError, NegotiationRequestError

if TYPE_CHECKING:
    from palaver.world.agent import Agent

__all__ = ["ActiveNegotiation", "NegotiationsMixin"]

_OS_CACHE_SIZE = 64


@dataclass(slots=True, eq=False)
class ActiveNegotiation:
    """A registered negotiation that has not ended yet (internal bookkeeping)."""

    id: str
    mechanism: Any
    caller: str
    partners: list[str]
    annotation: dict[str, Any]
    issues: list[Any]
    outcome_space: OutcomeSpace
    requested_at: int
    run_from: int
    started_at: int | None
    info: NegotiationInfo


class NegotiationsMixin:
    """Requests, acceptance by partners, mechanism creation, stepping and results.

    Mixed into :class:`~palaver.world.World`; relies on the world's state and
    helpers (``_agent_call``, ``_count``, ``_save``, ``_conclude`` ...).
    """

    def request_negotiation_about(
        self,
        caller: Agent,
        issues: list[Any],
        partners: list[str],
        req_id: str | None,
        roles: list[str | None] | None = None,
        annotation: dict[str, Any] | None = None,
        mechanism_name: str | None = None,
        mechanism_params: dict[str, Any] | None = None,
    ) -> bool:
        """Register a negotiation requested by ``caller``; ``True`` when registered.

        See :meth:`AgentWorldInterface.request_negotiation_about`.
        """
        neg = self._register(
            caller, issues, partners, req_id, roles, annotation, mechanism_name, mechanism_params
        )
        if neg is None:
            return False
        if self.negotiation_config.start_negotiations_immediately:
            self._advance(neg, self._speed)
        return True

    def run_negotiation(
        self,
        caller: Agent,
        issues: list[Any],
        partners: list[str],
        negotiator: Any,
        ufun: Any = None,
        caller_role: str | None = None,
        roles: list[str | None] | None = None,
        annotation: dict[str, Any] | None = None,
        mechanism_name: str | None = None,
        mechanism_params: dict[str, Any] | None = None,
    ) -> tuple[Contract | None, Any]:
        """Register and run a negotiation to its end at once (see ``AWI.run_negotiation``)."""
        partners = list(partners)
        if caller.id not in partners:
            partners.append(caller.id)
            if roles is not None:
                roles = [*roles, caller_role]
        neg = self._register(
            caller,
            issues,
            partners,
            None,
            roles,
            annotation,
            mechanism_name,
            mechanism_params,
            own=(negotiator, ufun),
        )
        if neg is None:
            return None, None
        contract = self._advance(neg, None)
        return contract, neg.mechanism.nmi

    @property
    def running_negotiations(self) -> list[NegotiationInfo]:
        """The negotiations registered and not ended, in registration order."""
        return [n.info for n in self._negotiations.values()]

    def _validate_request(self, caller: Agent, partners: list[str]) -> None:
        if not partners:
            raise NegotiationRequestError(
                f"agent {caller.id!r} requested a negotiation with nobody"
            )
        unknown = [p for p in partners if p not in self.agents]
        if unknown:
            raise NegotiationRequestError(
                f"agent {caller.id!r} requested a negotiation with unknown partners {unknown}"
            )
        if len(set(partners)) != len(partners):
            raise NegotiationRequestError(f"agent {caller.id!r} listed a partner twice: {partners}")
        if len(partners) < 2:
            who = "itself alone" if partners[0] == caller.id else f"only {partners}"
            raise NegotiationRequestError(
                f"agent {caller.id!r} requested a negotiation with {who}; "
                "a negotiation needs at least two partners"
            )

    def _outcome_space(self, issues: list[Any]) -> OutcomeSpace:
        # Worlds usually pass the same issue list every time; building the space
        # once per distinct list keeps request handling cheap.
        key = tuple(map(id, issues))
        hit = self._os_cache.get(key)
        if hit is not None:
            return hit[1]
        space = OutcomeSpace(issues)
        if len(self._os_cache) >= _OS_CACHE_SIZE:
            self._os_cache.clear()
        self._os_cache[key] = (list(issues), space)
        return space

    def _register(
        self,
        caller: Agent,
        issues: list[Any],
        partners: list[str],
        req_id: str | None,
        roles: list[str | None] | None,
        annotation: dict[str, Any] | None,
        mechanism_name: str | None,
        mechanism_params: dict[str, Any] | None,
        own: tuple[Any, Any] | None = None,
    ) -> ActiveNegotiation | None:
        partners = list(partners)
        self._validate_request(caller, partners)
        if roles is not None and len(roles) != len(partners):
            raise NegotiationRequestError(
                f"agent {caller.id!r}: {len(roles)} roles for {len(partners)} partners"
            )
        cls, params = self._mechanism_table.get(mechanism_name)
        annotation = dict(annotation or {})
        bus = self.bus
        step = self._current_step
        self._count("n_negotiations_requested")
        if bus.active:
            bus.emit(
                EventType.NEGOTIATION_REQUESTED,
                {
                    "request_id": req_id,
                    "initiator": caller.id,
                    "partners": list(partners),
                    "issues": [getattr(i, "name", str(i)) for i in issues],
                    "mechanism": cls.__name__,
                    "annotation": plain(annotation),
                },
                agent_id=caller.id,
            )
        if self._graph is not None:
            for p in partners:
                if p != caller.id:
                    self._graph.add(step, "request", caller.id, p)
        if not self._within_quota(caller.id):
            self._refuse(caller, req_id, None, "quota")
            return None
        space = self._outcome_space(issues)
        self._n_negotiations += 1
        nid = f"n{self._n_negotiations}"
        merged = {**params, **(mechanism_params or {})}
        cfg = self.negotiation_config
        mechanism = cls(
            outcome_space=space,
            n_steps=cfg.neg_n_steps,
            time_limit=cfg.neg_time_limit,
            step_time_limit=cfg.neg_step_time_limit,
            negotiator_time_limit=cfg.negotiator_time_limit,
            ignore_negotiator_exceptions=self.exception_config.ignore_agent_exceptions,
            seed=int(self._rng.integers(0, 2**63 - 1)),
            bus=bus,
            id=nid,
            annotation=annotation,
            **merged,
        )
        nmi = mechanism.nmi
        accepted, rejectors = self._ask_partners(
            caller, partners, roles, issues, annotation, nmi, req_id, own
        )
        if rejectors and (cfg.acceptance == "all" or len(accepted) < 2):
            self._refuse(caller, req_id, rejectors, "rejected")
            return None
        for agent, negotiator, role, ufun in accepted:
            negotiator.owner_id = agent.id
            if ufun is None and getattr(negotiator, "ufun", None) is None:
                ufun = agent.ufun
            try:
                joined = mechanism.add(negotiator, ufun=ufun, role=role)
            except NegotiatorError as e:
                raise AgentError(agent.id, "negotiator join", e) from e
            if not joined:
                self._refuse(caller, req_id, [agent.id], "negotiator refused to join")
                return None
        ids = [a.id for a, _, _, _ in accepted]
        info = NegotiationInfo(
            mechanism=nmi,
            partners=ids,
            annotation=annotation,
            issues=list(issues),
            requested_at=step,
            caller=caller.id,
            rejectors=rejectors,
            id=nid,
        )
        neg = ActiveNegotiation(
            id=nid,
            mechanism=mechanism,
            caller=caller.id,
            partners=ids,
            annotation=annotation,
            issues=info.issues,
            outcome_space=space,
            requested_at=step,
            run_from=step + 1 if self._in_step else step,
            started_at=None,
            info=info,
        )
        self._negotiations[nid] = neg
        for agent, _, _, _ in accepted:
            agent._running_negotiations[nid] = info
        self._quota_step[caller.id] = self._quota_step.get(caller.id, 0) + 1
        self._quota_total[caller.id] = self._quota_total.get(caller.id, 0) + 1
        self._count("n_negotiations_started")
        if bus.active:
            bus.emit(
                EventType.NEGOTIATION_ACCEPTED,
                {"request_id": req_id, "by": ids, "reason": None},
                agent_id=caller.id,
                negotiation_id=nid,
            )
        if self._graph is not None:
            for p in ids:
                if p != caller.id:
                    self._graph.add(step, "negotiation", caller.id, p)
        caller._forget_request(req_id)
        if req_id is not None:
            self._agent_call(caller, "on_neg_request_accepted", req_id, nmi)
        return neg

    def _ask_partners(
        self,
        caller: Agent,
        partners: list[str],
        roles: list[str | None] | None,
        issues: list[Any],
        annotation: dict[str, Any],
        nmi: Any,
        req_id: str | None,
        own: tuple[Any, Any] | None,
    ) -> tuple[list[tuple[Agent, Any, str | None, Any]], list[str]]:
        """Each partner's negotiator (the requester's own one, or its answer) or refusal."""
        accepted: list[tuple[Agent, Any, str | None, Any]] = []
        rejectors: list[str] = []
        request = caller.negotiation_requests.get(req_id) if req_id is not None else None
        for i, pid in enumerate(partners):
            agent = self.agents[pid]
            role = roles[i] if roles is not None else None
            ufun = None
            if pid == caller.id and own is not None:
                negotiator, ufun = own
            elif pid == caller.id and request is not None and request.negotiator is not None:
                negotiator = request.negotiator
            else:
                negotiator = self._agent_call(
                    agent,
                    "_respond_to_negotiation_request",
                    caller.id,
                    list(partners),
                    issues,
                    annotation,
                    nmi,
                    role,
                    req_id if pid == caller.id else None,
                )
            if negotiator is None:
                rejectors.append(pid)
            else:
                accepted.append((agent, negotiator, role, ufun))
        return accepted, rejectors

    def _within_quota(self, aid: str) -> bool:
        cfg = self.negotiation_config
        return (
            self._quota_step.get(aid, 0) < cfg.negotiation_quota_per_step
            and self._quota_total.get(aid, 0) < cfg.negotiation_quota_per_simulation
        )

    def _refuse(self, caller: Agent, req_id: str | None, by: list[str] | None, reason: str) -> None:
        self._count("n_negotiations_refused" if by is None else "n_negotiations_rejected")
        if self.bus.active:
            self.bus.emit(
                EventType.NEGOTIATION_REJECTED,
                {"request_id": req_id, "by": list(by or []), "reason": reason},
                agent_id=caller.id,
            )
        if self._graph is not None and by:
            for p in by:
                self._graph.add(self._current_step, "rejection", p, caller.id)
        caller._forget_request(req_id)
        if req_id is not None:
            self._agent_call(caller, "on_neg_request_rejected", req_id, by)

    def _run_negotiations(self) -> None:
        step = self._current_step
        speed = self._speed
        for neg in list(self._negotiations.values()):
            if neg.run_from <= step:
                self._advance(neg, speed)

    def _advance(self, neg: ActiveNegotiation, rounds: int | None) -> Contract | None:
        """Run up to ``rounds`` rounds (``None``: to the end); finish it if it ended."""
        mechanism = neg.mechanism
        if neg.started_at is None:
            neg.started_at = self._current_step
        try:
            if rounds is None:
                state = mechanism.run()
            else:
                state = mechanism.state
                for _ in range(rounds):
                    state = mechanism.step()
                    if not state.running:
                        break
        except NegotiatorError as e:
            owner = self._owner_of(neg, e.negotiator_id)
            raise AgentError(owner, f"negotiator {e.negotiator_id!r} in {neg.id}", e) from e
        except Exception as e:
            if not self.exception_config.ignore_mechanism_exceptions:
                raise MechanismCrashError(neg.id, e) from e
            self._record_exception(f"mechanism {neg.id}", e)
            self._count("n_mechanism_exceptions")
            self._end_without_agreement(neg, mechanism.state, "error", str(e), emit=True)
            return None
        if state.running:
            return None
        return self._finish_negotiation(neg, state)

    def _owner_of(self, neg: ActiveNegotiation, negotiator_id: str) -> str:
        for n in neg.mechanism.negotiators:
            if n.id == negotiator_id:
                return n.owner_id or negotiator_id
        return negotiator_id

    def _finish_negotiation(self, neg: ActiveNegotiation, state: Any) -> Contract | None:
        if state.agreement is None:
            result = state.result
            error = state.error_details or None
            self._end_without_agreement(neg, state, result, error, emit=False)
            return None
        self._close(neg)
        self._count("n_negotiations_succeeded")
        self._count("n_negotiation_rounds_successful", state.step)
        agreement = neg.outcome_space.to_dict(state.agreement)
        contract = self._conclude(neg, agreement, state)
        self._record_negotiation(neg, "agreement", agreement, state.step, contract.id, None)
        nmi = neg.info.mechanism
        for pid in neg.partners:
            self._agent_call(self.agents[pid], "on_negotiation_success", contract, nmi)
        self._after_conclusion(contract)
        return contract

    def _end_without_agreement(
        self, neg: ActiveNegotiation, state: Any, result: str, error: str | None, emit: bool
    ) -> None:
        self._close(neg)
        self._count("n_negotiations_failed")
        self._count("n_negotiation_rounds_failed", state.step)
        if result == "timeout":
            self._count("n_negotiations_timedout")
        elif result == "cancelled":
            self._count("n_negotiations_cancelled")
        if emit and self.bus.active:
            self.bus.emit(
                EventType.NEGOTIATION_ENDED,
                {"result": result, "agreement": None, "rounds": state.step, "error": error},
                negotiation_id=neg.id,
            )
        self._record_negotiation(neg, result, None, state.step, None, error)
        nmi = neg.info.mechanism
        for pid in neg.partners:
            self._agent_call(
                self.agents[pid],
                "on_negotiation_failure",
                list(neg.partners),
                neg.annotation,
                nmi,
                state,
            )

    def _close(self, neg: ActiveNegotiation) -> None:
        self._negotiations.pop(neg.id, None)
        for pid in neg.partners:
            self.agents[pid]._running_negotiations.pop(neg.id, None)

    def _record_negotiation(
        self,
        neg: ActiveNegotiation,
        result: str,
        agreement: dict[str, Any] | None,
        rounds: int,
        contract_id: str | None,
        error: str | None,
    ) -> None:
        if not self.save_config.save_negotiations and self._log.records is None:
            return
        record = NegotiationRecord(
            id=neg.id,
            partners=tuple(neg.partners),
            caller=neg.caller,
            requested_at=neg.requested_at,
            started_at=neg.started_at,
            ended_at=self._current_step,
            result=result,
            agreement=agreement,
            rounds=rounds,
            contract_id=contract_id,
            error=error,
        )
        if self.save_config.save_negotiations:
            self._saved_negotiations.append(record)
        self._log.write_record("negotiations", record)

    def _cancel_negotiations(self, reason: str) -> None:
        for neg in list(self._negotiations.values()):
            self._end_without_agreement(neg, neg.mechanism.state, "cancelled", reason, emit=True)

"""Negotiation requests: validation, quotas, asking the partners, creating the mechanism."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from palaver.events import EventType, plain
from palaver.mechanisms import NegotiatorError
from palaver.outcomes import Issue, OutcomeSpace
from palaver.world.contracts import Contract, NegotiationInfo
from palaver.world.errors import AgentError, NegotiationRequestError
from palaver.world.mechanisms import check_mechanism_params
from palaver.world.negotiations import ActiveNegotiation
from palaver.world.returns import negotiator_problem

if TYPE_CHECKING:
    from palaver.world.agent import Agent

__all__ = ["RequestsMixin"]

_OS_CACHE_SIZE = 64

# (agent, negotiator, role, ufun) of a partner that accepted a request.
_Acceptance = tuple["Agent", Any, str | None, Any]


class RequestsMixin:
    """From a request to a registered negotiation, or to a recorded refusal.

    Mixed into :class:`~palaver.world.World`; relies on the world's state and
    helpers (``_agent_call``, ``_count``, ``_advance`` ...).
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
        neg = self._palaver_register(
            caller, issues, partners, req_id, roles, annotation, mechanism_name, mechanism_params
        )
        if neg is None:
            return False
        if self.negotiation_config.start_negotiations_immediately:
            self._palaver_advance(neg, self._palaver_speed)
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
        neg = self._palaver_register(
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
        contract = self._palaver_advance(neg, None)
        return contract, neg.mechanism.nmi

    def _palaver_check_request_types(
        self,
        caller: Agent,
        issues: Any,
        partners: Any,
        req_id: Any,
        roles: Any,
        annotation: Any,
        mechanism_params: Any,
    ) -> None:
        """Malformed arguments are a ``NegotiationRequestError`` naming the argument."""
        who = f"agent {caller.id!r}"

        def bad(what: str, value: Any, allowed: str) -> NegotiationRequestError:
            return NegotiationRequestError(f"{who}: {what} must be {allowed}; got {value!r}")

        # Worlds pass the same issue list again and again: one seen before (in
        # the outcome-space cache, keyed by the issues' ids) was checked then.
        kind = type(issues)
        if (kind is not list and kind is not tuple) and (
            isinstance(issues, str | bytes | Mapping) or not isinstance(issues, Sequence)
        ):
            raise bad("issues", issues, "a non-empty list of issues (make_issue)")
        if not issues or (
            tuple(map(id, issues)) not in self._palaver_os_cache
            and not all(isinstance(i, Issue) for i in issues)
        ):
            raise bad("issues", issues, "a non-empty list of issues (make_issue)")
        kind = type(partners)
        if (kind is not list and kind is not tuple) and (
            isinstance(partners, str | bytes) or not isinstance(partners, Sequence)
        ):
            raise bad("partners", partners, "a list of agent ids")
        for p in partners:
            if type(p) is not str and not isinstance(p, str):
                raise bad("partners", partners, "a list of agent ids (strings)")
        if req_id is not None and req_id not in caller.negotiation_requests:
            raise bad(
                "req_id",
                req_id,
                "an id returned by create_negotiation_request (and not used yet)",
            )
        if roles is not None and (isinstance(roles, str) or not isinstance(roles, Sequence)):
            raise bad("roles", roles, "a list with one role (or None) per partner, or None")
        if annotation is not None and not isinstance(annotation, Mapping):
            raise bad("annotation", annotation, "a dict or None")
        if mechanism_params is not None and not isinstance(mechanism_params, Mapping):
            raise bad("mechanism_params", mechanism_params, "a dict or None")

    def _palaver_validate_request(self, caller: Agent, partners: list[str]) -> None:
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

    def _palaver_outcome_space(self, issues: list[Any]) -> OutcomeSpace:
        # Worlds usually pass the same issue list every time; building the space
        # once per distinct list keeps request handling cheap.
        key = tuple(map(id, issues))
        hit = self._palaver_os_cache.get(key)
        if hit is not None:
            return hit[1]
        space = OutcomeSpace(issues)
        if len(self._palaver_os_cache) >= _OS_CACHE_SIZE:
            self._palaver_os_cache.clear()
        self._palaver_os_cache[key] = (list(issues), space)
        return space

    def _palaver_new_mechanism(
        self,
        cls: type,
        params: dict[str, Any],
        space: OutcomeSpace,
        nid: str,
        annotation: dict[str, Any],
    ) -> Any:
        """A mechanism of ``cls`` set up with the world's negotiation options."""
        cfg = self.negotiation_config
        return cls(
            outcome_space=space,
            n_steps=cfg.neg_n_steps,
            time_limit=cfg.neg_time_limit,
            step_time_limit=cfg.neg_step_time_limit,
            negotiator_time_limit=cfg.negotiator_time_limit,
            ignore_negotiator_exceptions=self.exception_config.ignore_agent_exceptions,
            seed=int(self._palaver_rng.integers(0, 2**63 - 1)),
            bus=self.bus,
            id=nid,
            annotation=annotation,
            **params,
        )

    def _palaver_register(
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
        self._palaver_check_request_types(
            caller, issues, partners, req_id, roles, annotation, mechanism_params
        )
        partners = list(partners)
        self._palaver_validate_request(caller, partners)
        if roles is not None and len(roles) != len(partners):
            raise NegotiationRequestError(
                f"agent {caller.id!r}: {len(roles)} roles for {len(partners)} partners"
            )
        cls, params = self._palaver_mechanism_table.get(mechanism_name)
        if mechanism_params:
            check_mechanism_params(mechanism_name or cls.__name__, cls, mechanism_params)
            params = {**params, **mechanism_params}
        annotation = dict(annotation or {})
        bus = self.bus
        step = self._palaver_clock.step
        self._palaver_ledger.count("n_negotiations_requested")
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
        if self._palaver_graph is not None:
            for p in partners:
                if p != caller.id:
                    self._palaver_graph.add(step, "request", caller.id, p)
        if not self._palaver_within_quota(caller.id):
            self._palaver_refuse(caller, req_id, None, "quota")
            return None
        space = self._palaver_outcome_space(issues)
        self._palaver_n_negotiations += 1
        nid = f"n{self._palaver_n_negotiations}"
        try:
            mechanism = self._palaver_new_mechanism(cls, params, space, nid, annotation)
            nmi = mechanism.nmi
            accepted, rejectors = self._palaver_ask_partners(
                caller, partners, roles, issues, annotation, nmi, req_id, own
            )
            refusal = self._palaver_join(mechanism, accepted, rejectors)
        except BaseException as e:
            # The run is about to stop: the request still ends in a recorded state.
            culprit = getattr(e, "agent_id", None)
            self._palaver_refuse(
                caller, req_id, [culprit] if culprit else [], "error", notify=False
            )
            raise
        if refusal is not None:
            self._palaver_refuse(caller, req_id, *refusal)
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
            started_at=None,
            info=info,
        )
        self._palaver_negotiations[nid] = neg
        for agent, _, _, _ in accepted:
            agent._palaver_running_negotiations[nid] = info
        self._palaver_quota_step[caller.id] = self._palaver_quota_step.get(caller.id, 0) + 1
        self._palaver_quota_total[caller.id] = self._palaver_quota_total.get(caller.id, 0) + 1
        self._palaver_ledger.count("n_negotiations_accepted")
        if bus.active:
            bus.emit(
                EventType.NEGOTIATION_ACCEPTED,
                {"request_id": req_id, "by": ids, "reason": None},
                agent_id=caller.id,
                negotiation_id=nid,
            )
        if self._palaver_graph is not None:
            for p in ids:
                if p != caller.id:
                    self._palaver_graph.add(step, "negotiation", caller.id, p)
        caller._palaver_forget_request(req_id)
        if req_id is not None:
            self._palaver_guard.agent(caller, caller.on_neg_request_accepted, req_id, nmi)
        return neg

    def _palaver_ask_partners(
        self,
        caller: Agent,
        partners: list[str],
        roles: list[str | None] | None,
        issues: list[Any],
        annotation: dict[str, Any],
        nmi: Any,
        req_id: str | None,
        own: tuple[Any, Any] | None,
    ) -> tuple[list[_Acceptance], list[str]]:
        """Each partner's negotiator (the requester's own one, or its answer) or refusal."""
        accepted: list[_Acceptance] = []
        rejectors: list[str] = []
        request = caller.negotiation_requests.get(req_id) if req_id is not None else None
        for i, pid in enumerate(partners):
            agent = self.agents[pid]
            self._palaver_ready(agent)
            role = roles[i] if roles is not None else None
            ufun = None
            if pid == caller.id and own is not None:
                negotiator, ufun = own
            elif pid == caller.id and request is not None and request.negotiator is not None:
                negotiator = request.negotiator
            else:
                negotiator = self._palaver_guard.agent(
                    agent,
                    agent._respond_to_negotiation_request,
                    caller.id,
                    list(partners),
                    issues,
                    annotation,
                    nmi,
                    role,
                    req_id if pid == caller.id else None,
                )
            problem = negotiator_problem(negotiator)
            if problem is not None:
                self._palaver_guard.malformed(agent, "respond_to_negotiation_request", problem)
                negotiator = None  # recorded: counts as a refusal
            if negotiator is None:
                rejectors.append(pid)
            else:
                accepted.append((agent, negotiator, role, ufun))
        return accepted, rejectors

    def _palaver_join(
        self, mechanism: Any, accepted: list[_Acceptance], rejectors: list[str]
    ) -> tuple[list[str], str] | None:
        """Add the accepted negotiators; ``(by, reason)`` when the negotiation cannot start."""
        if rejectors and (self.negotiation_config.acceptance == "all" or len(accepted) < 2):
            return rejectors, "rejected"
        for agent, negotiator, role, ufun in accepted:
            negotiator.owner_id = agent.id
            if ufun is None and getattr(negotiator, "ufun", None) is None:
                ufun = agent.ufun
            try:
                joined = mechanism.add(negotiator, ufun=ufun, role=role)
            except NegotiatorError as e:
                raise AgentError(agent.id, "negotiator join", e) from e
            if not joined:
                return [agent.id], "negotiator refused to join"
        return None

    def _palaver_within_quota(self, aid: str) -> bool:
        cfg = self.negotiation_config
        return (
            self._palaver_quota_step.get(aid, 0) < cfg.negotiation_quota_per_step
            and self._palaver_quota_total.get(aid, 0) < cfg.negotiation_quota_per_simulation
        )

    def _palaver_refuse(
        self,
        caller: Agent,
        req_id: str | None,
        by: list[str] | None,
        reason: str,
        notify: bool = True,
    ) -> None:
        """Record a request that did not become a negotiation (``by=None``: the world refused).

        ``notify=False`` skips the requester's callback (used when the run is stopping).
        """
        self._palaver_ledger.count(
            "n_negotiations_refused" if by is None else "n_negotiations_rejected"
        )
        if self.bus.active:
            self.bus.emit(
                EventType.NEGOTIATION_REJECTED,
                {"request_id": req_id, "by": None if by is None else list(by), "reason": reason},
                agent_id=caller.id,
            )
        if self._palaver_graph is not None and by:
            for p in by:
                self._palaver_graph.add(self._palaver_clock.step, "rejection", p, caller.id)
        caller._palaver_forget_request(req_id)
        if notify and req_id is not None:
            self._palaver_guard.agent(caller, caller.on_neg_request_rejected, req_id, by)

"""The request window of the negotiation desk: from a request to a registered
negotiation or a recorded refusal (quotas, partners' answers, the mechanism)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from palaver.events import EventBus, EventType, plain
from palaver.mechanisms import NegotiatorError
from palaver.negotiators import Negotiator
from palaver.outcomes import OutcomeSpace, OutcomeSpaceError
from palaver.world.agent import Agent
from palaver.world.clock import RunClock
from palaver.world.config import ExceptionConfig, NegotiationConfig
from palaver.world.contracts import NegotiationInfo
from palaver.world.errors import AgentError, NegotiationRequestError
from palaver.world.graph import GraphRecorder
from palaver.world.guard import Guard
from palaver.world.mechanisms import MechanismTable, check_mechanism_params
from palaver.world.negotiations import ActiveNegotiation
from palaver.world.request_checks import check_partners, check_request
from palaver.world.returns import negotiator_problem
from palaver.world.roster import Roster
from palaver.world.seeds import mechanism_seed
from palaver.world.stats import Ledger

__all__ = ["Acceptance", "RequestIntake", "add_negotiators", "ask_partners"]

_OS_CACHE_SIZE = 64

#: (agent, negotiator, role, ufun) of a partner that accepted a request.
Acceptance = tuple[Agent[Any], Any, str | None, Any]


class RequestIntake:
    """Registers requested negotiations into the desk's table of active ones.

    Owns the quotas, the negotiation ids, the outcome-space cache and the
    creation of mechanisms (also for renegotiations).

    Args:
        active: The desk's negotiations under way (registered ones are added).
        config, exceptions: The world's option groups it applies.
        clock, ledger, guard, bus, graph: Where it reads the step, counts,
            calls agents, emits events, draws edges.
        mechanisms: The mechanisms the world allows.
        roster: The agents.
        rng: The world's generator (mechanism seeds).
    """

    def __init__(
        self,
        active: dict[str, ActiveNegotiation],
        config: NegotiationConfig,
        exceptions: ExceptionConfig,
        clock: RunClock,
        ledger: Ledger,
        guard: Guard,
        bus: EventBus,
        graph: GraphRecorder | None,
        mechanisms: MechanismTable,
        roster: Roster,
        rng: np.random.Generator,
    ) -> None:
        self.active = active
        self.config = config
        self.exceptions = exceptions
        self.clock = clock
        self.ledger = ledger
        self.guard = guard
        self.bus = bus
        self.graph = graph
        self.mechanisms = mechanisms
        self.roster = roster
        self.rng = rng
        self.n_negotiations = 0
        self.quota_step: dict[str, int] = {}
        self.quota_total: dict[str, int] = {}
        #: Requests within quota by requester (NegMAS's ``neg_requests_sent``).
        self.requests_sent: dict[str, int] = {}
        self._spaces: dict[tuple[int, ...], tuple[list[Any], OutcomeSpace]] = {}

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
        """A registered negotiation, or ``None`` after recording why not."""
        check_request(
            caller, issues, partners, req_id, roles, annotation, mechanism_params, self._spaces
        )
        partners = list(partners)
        check_partners(caller, partners, roles, self.roster.agents)
        cid = caller.id
        if own is not None and req_id is None:
            # run_negotiation(s): as in NegMAS, which makes the request through
            # create_negotiation_request, the caller hears of its negotiation
            # (on_neg_request_accepted) or of the refusal (on_neg_request_rejected)
            # under a request id of its own.
            req_id = caller.create_negotiation_request(
                list(issues), partners, own[0], annotation, {}
            )
        try:
            # Before the request is counted and emitted: issues that make no
            # outcome space (two named alike) raised after that, leaving a
            # request recorded as made that never ended, its quota spent.
            space = self.outcome_space(issues)
        except OutcomeSpaceError as e:
            raise NegotiationRequestError(
                f"agent {cid!r}: issues {[getattr(i, 'name', i) for i in issues]!r:.200} "
                f"make no outcome space: {e}"
            ) from e
        cls, params = self.mechanisms.get(mechanism_name)
        if mechanism_params:
            check_mechanism_params(mechanism_name or cls.__name__, cls, mechanism_params)
            # As in NegMAS, what the world's `mechanisms` sets for the mechanism
            # wins: a requester adds parameters, it cannot change the world's.
            params = {**mechanism_params, **params}
        annotation = dict(annotation) if annotation else {}
        try:
            # Checked once here (events of the negotiation and its contract copy
            # it): one holding itself raised from inside whichever copied it first.
            shown = plain(annotation) if annotation else {}
        except ValueError as e:
            raise NegotiationRequestError(f"agent {cid!r}: annotation {e}") from e
        bus = self.bus
        step = self.clock.step
        self.ledger.count("n_negotiations_requested")
        if bus.active and bus.listens(EventType.NEGOTIATION_REQUESTED):
            bus.emit(
                EventType.NEGOTIATION_REQUESTED,
                {
                    "request_id": req_id,
                    "initiator": cid,
                    "partners": list(partners),
                    # Not getattr(i, "name", str(i)): its default, an issue's
                    # repr, would be built for every issue of every request.
                    "issues": [i.name if hasattr(i, "name") else str(i) for i in issues],
                    "mechanism": cls.__name__,
                    "annotation": shown,
                },
                agent_id=cid,
            )
        graph = self.graph
        if graph is not None:
            for p in partners:
                if p != cid:
                    graph.add(step, "request", cid, p)
        if not self._within_quota(cid):
            self._refuse(caller, req_id, None, "quota")
            return None
        self.requests_sent[cid] = self.requests_sent.get(cid, 0) + 1
        nid = self.next_id()
        try:
            mechanism = self.new_mechanism(cls, params, space, nid, annotation)
            nmi = mechanism.nmi
            accepted, rejectors = ask_partners(
                self.roster,
                self.guard,
                caller,
                partners,
                roles,
                issues,
                annotation,
                nmi,
                req_id,
                own,
            )
            refusal = add_negotiators(mechanism, accepted, rejectors, self.config.acceptance)
        except BaseException as e:
            # The run is about to stop: the request still ends in a recorded state.
            culprit = getattr(e, "agent_id", None)
            self._refuse(caller, req_id, [culprit] if culprit else [], "error", notify=False)
            raise
        if refusal is not None:
            self._refuse(caller, req_id, *refusal)
            return None
        ids = [a.id for a, _, _, _ in accepted]
        info = NegotiationInfo(
            mechanism=nmi,
            partners=ids,
            annotation=annotation,
            issues=list(issues),
            requested_at=step,
            caller=cid,
            rejectors=rejectors,
            id=nid,
        )
        neg = ActiveNegotiation(
            id=nid,
            mechanism=mechanism,
            caller=cid,
            partners=ids,
            annotation=annotation,
            issues=info.issues,
            outcome_space=space,
            requested_at=step,
            started_at=None,
            info=info,
        )
        self.active[nid] = neg
        for agent, negotiator, _, _ in accepted:
            agent._palaver_enter(info, negotiator, req_id, agent is caller)
        self.quota_step[cid] = self.quota_step.get(cid, 0) + 1
        self.quota_total[cid] = self.quota_total.get(cid, 0) + 1
        self.ledger.count("n_negotiations_accepted")
        if bus.active and bus.listens(EventType.NEGOTIATION_ACCEPTED):
            bus.emit(
                EventType.NEGOTIATION_ACCEPTED,
                {"request_id": req_id, "by": ids, "reason": None},
                agent_id=cid,
                negotiation_id=nid,
            )
        if graph is not None:
            for p in ids:
                if p != cid:
                    graph.add(step, "negotiation", cid, p)
        # NegMAS tells the requester only of requests create_negotiation_request
        # made; a request id of the caller's own goes to its negotiator callbacks.
        if caller._palaver_forget_request(req_id) is not None:
            self.guard.agent(caller, caller.on_neg_request_accepted, req_id, nmi)
        return neg

    def _within_quota(self, aid: str) -> bool:
        cfg = self.config
        return (
            self.quota_step.get(aid, 0) < cfg.negotiation_quota_per_step
            and self.quota_total.get(aid, 0) < cfg.negotiation_quota_per_simulation
        )

    def _refuse(
        self,
        caller: Agent[Any],
        req_id: str | None,
        by: list[str] | None,
        reason: str,
        notify: bool = True,
    ) -> None:
        """Record a request that did not become a negotiation (``by=None``: the world refused).

        ``notify=False`` skips the requester's callback (used when the run is stopping).
        """
        self.ledger.count("n_negotiations_refused" if by is None else "n_negotiations_rejected")
        if self.bus.active and self.bus.listens(EventType.NEGOTIATION_REJECTED):
            self.bus.emit(
                EventType.NEGOTIATION_REJECTED,
                {"request_id": req_id, "by": None if by is None else list(by), "reason": reason},
                agent_id=caller.id,
            )
        if self.graph is not None and by:
            for p in by:
                self.graph.add(self.clock.step, "rejection", p, caller.id)
        caller._palaver_forget_request(req_id)
        if notify and req_id is not None:
            self.guard.agent(caller, caller.on_neg_request_rejected, req_id, by)

    def next_id(self) -> str:
        """A new negotiation id (``n1``, ``n2``, ...)."""
        self.n_negotiations += 1
        return f"n{self.n_negotiations}"

    def outcome_space(self, issues: list[Any]) -> OutcomeSpace:
        """The outcome space of ``issues`` (built once per distinct issue list)."""
        # Worlds usually pass the same issue list every time; building the space
        # once per distinct list keeps request handling cheap.
        key = tuple(map(id, issues))
        hit = self._spaces.get(key)
        if hit is not None:
            return hit[1]
        space = OutcomeSpace(issues)
        if len(self._spaces) >= _OS_CACHE_SIZE:
            self._spaces.clear()
        # The list is kept so that its issues' ids are not reused while cached.
        self._spaces[key] = (list(issues), space)
        return space

    def new_mechanism(
        self,
        cls: type,
        params: dict[str, Any],
        space: OutcomeSpace,
        nid: str,
        annotation: dict[str, Any],
    ) -> Any:
        """A mechanism of ``cls`` set up with the world's negotiation options."""
        cfg = self.config
        return cls(
            outcome_space=space,
            n_steps=cfg.neg_n_steps,
            time_limit=cfg.neg_time_limit,
            step_time_limit=cfg.neg_step_time_limit,
            negotiator_time_limit=cfg.negotiator_time_limit,
            ignore_negotiator_exceptions=self.exceptions.ignore_agent_exceptions,
            seed=mechanism_seed(self.rng),
            bus=self.bus,
            id=nid,
            annotation=annotation,
            **params,
        )

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        # The cache is keyed by object ids, which do not survive unpickling.
        state["_spaces"] = {}
        return state


#: The base dispatch of a partner's answer (a NegMAS-style agent may override it).
_DEFAULT_RESPOND = Agent._respond_to_negotiation_request


def ask_partners(
    roster: Roster,
    guard: Guard,
    caller: Agent[Any],
    partners: list[str],
    roles: Sequence[str | None] | None,
    issues: list[Any],
    annotation: dict[str, Any],
    nmi: Any,
    req_id: str | None,
    own: tuple[Any, Any] | None,
) -> tuple[list[Acceptance], list[str]]:
    """Each partner's negotiator (the requester's own one, or its answer) or refusal."""
    accepted: list[Acceptance] = []
    rejectors: list[str] = []
    request = caller.negotiation_requests.get(req_id) if req_id is not None else None
    cid = caller.id
    for i, pid in enumerate(partners):
        agent = roster.agents[pid]
        roster.ready(agent)
        role = roles[i] if roles is not None else None
        ufun = None
        callback = "respond_to_negotiation_request"
        if pid == cid and own is not None:
            negotiator, ufun = own
            callback = "run_negotiation"
        elif pid == cid and request is not None and request.negotiator is not None:
            negotiator = request.negotiator
            callback = "create_negotiation_request"
        elif type(agent)._respond_to_negotiation_request is _DEFAULT_RESPOND:
            # What the default dispatch would do, called directly so that an
            # exception is reported in the method the agent wrote, as a
            # malformed answer is (not in the dispatch it never saw).
            negotiator = guard.agent(
                agent, agent.respond_to_negotiation_request, cid, list(partners), nmi
            )
        else:
            negotiator = guard.agent(
                agent,
                agent._respond_to_negotiation_request,
                cid,
                list(partners),
                issues,
                annotation,
                nmi,
                role,
                req_id if pid == cid else None,
            )
        problem = negotiator_problem(negotiator)
        if problem is None and negotiator is not None:
            problem = _clash(callback, negotiator, accepted)
        if problem is not None:
            guard.malformed(agent, callback, problem)
            negotiator = None  # recorded: counts as a refusal
        if negotiator is None:
            rejectors.append(pid)
        else:
            accepted.append((agent, negotiator, role, ufun))
    return accepted, rejectors


def _clash(callback: str, negotiator: Any, accepted: list[Acceptance]) -> str | None:
    """Why ``negotiator`` cannot join beside those ``accepted`` already, if it cannot.

    The mechanism refused it with a ``MechanismError`` blamed on the requester's
    step (a shared id) or as a silent "refused to join" (the same object).
    """
    for other_agent, other, _, _ in accepted:
        if other is negotiator:
            return (
                f"{callback} gave the negotiator {negotiator.id!r} that {other_agent.id!r} "
                "already brought to this negotiation: each partner needs its own negotiator"
            )
        # An id the negotiator was not given (numbered, or taken from its
        # name) the mechanism suffixes, as NegMAS code expects; a given one
        # must differ.
        if other.id == negotiator.id and getattr(negotiator, "id_given", True):
            return (
                f"{callback} gave a negotiator with id {negotiator.id!r}, the id of "
                f"{other_agent.id!r}'s negotiator in this negotiation; ids given with "
                "id=... must differ within a negotiation (a numbered id, or one taken "
                "from the name, is given a suffix instead)"
            )
    return None


def add_negotiators(
    mechanism: Any, accepted: list[Acceptance], rejectors: list[str], acceptance: str
) -> tuple[list[str], str] | None:
    """Add the accepted negotiators; ``(by, reason)`` when the negotiation cannot start.

    ``acceptance`` is the world's option: ``all`` partners must accept, or
    ``at_least_two``.
    """
    if rejectors and (acceptance == "all" or len(accepted) < 2):
        return rejectors, "rejected"
    for agent, negotiator, role, ufun in accepted:
        aid = agent.id
        negotiator.owner_id = aid
        if isinstance(negotiator, Negotiator):
            negotiator.owner = agent
        if ufun is None and getattr(negotiator, "ufun", None) is None:
            ufun = agent.ufun
        refusal = _mechanism_refusal(mechanism, negotiator, len(accepted))
        if refusal is not None:
            return [aid], refusal
        try:
            joined = mechanism.add(negotiator, ufun=ufun, role=role)
        except NegotiatorError as e:
            raise AgentError(aid, "negotiator join", e) from e
        if not joined:
            return [aid], _join_failure(mechanism, negotiator)
    return None


def _join_failure(mechanism: Any, negotiator: Any) -> str:
    """Why ``mechanism.add`` returned False for ``negotiator``: its ``join``
    refused, or, with ``ignore_negotiator_exceptions=True``, it failed to join
    (raised, answered junk) and the mechanism recorded why in its state."""
    state = mechanism.state
    if state.has_error and state.erred_negotiator == negotiator.id and state.error_details:
        return f"negotiator failed to join: {state.error_details}"
    return "negotiator refused to join"


def _mechanism_refusal(mechanism: Any, negotiator: Any, n_partners: int) -> str | None:
    """Why the mechanism itself would turn ``negotiator`` away (full, or its
    requirements), so that the rejection is not blamed on the negotiator."""
    fits = getattr(mechanism, "can_accept_more_negotiators", None)
    if callable(fits) and not fits():
        most = getattr(mechanism, "max_n_negotiators", None)
        return (
            f"mechanism full: {type(mechanism).__name__} takes at most {most} negotiators "
            f"(max_n_negotiators={most}) and this negotiation has {n_partners} partners"
        )
    participates = getattr(mechanism, "can_participate", None)
    if callable(participates) and not participates(negotiator):
        return f"the mechanism's requirements exclude the negotiator {negotiator.id!r}"
    return None

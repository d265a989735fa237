"""The breach desk: recording breaches and the three ways of processing them.

``NONE`` records them; ``VICTIM_THEN_PERPETRATOR`` lets the victims, then the
perpetrators, propose a resolution the other partners accept or refuse;
``META_NEGOTIATION`` runs a renegotiation through the negotiation desk.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from palaver.events import EventBus, EventType, plain
from palaver.world.agent import Agent
from palaver.world.book import ContractBook
from palaver.world.bulletin import BulletinBoard
from palaver.world.clock import RunClock
from palaver.world.config import SaveConfig
from palaver.world.contracts import Breach, BreachProcessing, Contract, RenegotiationRequest
from palaver.world.desk import NegotiationDesk
from palaver.world.errors import WorldError
from palaver.world.graph import GraphRecorder
from palaver.world.guard import Guard
from palaver.world.hooks import WorldHooks
from palaver.world.logs import WorldLog
from palaver.world.returns import negotiator_problem
from palaver.world.stats import Ledger

__all__ = ["BreachDesk"]


@functools.cache
def _takes_two_only(function: Callable[..., Any]) -> bool:
    """Whether ``function`` (an ``on_contract_breached``) takes exactly
    ``(self, contract, breaches)``."""
    try:
        inspect.signature(function).bind(None, None, None, None)
    except TypeError:
        try:
            inspect.signature(function).bind(None, None, None)
        except TypeError:
            return False
        return True
    except ValueError:  # no signature to read (a builtin): call it NegMAS's way
        return False
    return False


def _takes_resolution(method: Callable[..., Any]) -> bool:
    """Whether ``on_contract_breached`` takes NegMAS's ``resolution`` argument.

    The world tutorial's own do-nothing listing overrides it as
    ``on_contract_breached(self, contract, breaches)``; such an override is
    told the contract and breaches only, rather than failing with a TypeError.
    """
    function = getattr(method, "__func__", None)
    if function is None:
        return True
    return not _takes_two_only(function)


class BreachDesk:
    """Records breaches and resolves them per the world's ``breach_processing``.

    Args:
        save: The world's save options (resolved / unresolved breaches).
        clock, ledger, guard, log, bus, graph: Where it reads the step, counts,
            calls user code, emits events, draws edges.
        bulletin: The board the breaches are posted on.
        book: Numbers resolutions, records a failed completion.
        desk: Runs renegotiations.
        agents: The world's agents by id.
        hooks: The world's breach callbacks and its ``breach_processing``.
    """

    def __init__(
        self,
        save: SaveConfig,
        clock: RunClock,
        ledger: Ledger,
        guard: Guard,
        log: WorldLog,
        bus: EventBus,
        graph: GraphRecorder | None,
        bulletin: BulletinBoard,
        book: ContractBook,
        desk: NegotiationDesk,
        agents: Mapping[str, Agent[Any]],
        hooks: WorldHooks[Any],
    ) -> None:
        self.save = save
        self.clock = clock
        self.ledger = ledger
        self.guard = guard
        self.log = log
        self.bus = bus
        self.graph = graph
        self.bulletin = bulletin
        self.book = book
        self.desk = desk
        self.agents = agents
        self.hooks = hooks
        self.n_breaches = 0

    def process(self, contract: Contract, ordered: list[Breach]) -> None:
        """Record the breaches of ``contract``, try to resolve them, inform the partners."""
        step = self.clock.step
        for b in ordered:
            self.n_breaches += 1
            if not b.id:
                b.id = f"b{self.n_breaches}"
            if b.step is None:
                b.step = step
            self.bulletin.record("breaches", self.hooks.breach_record(b), key=b.id)
            if self.graph is not None:
                for v in b.victims:
                    self.graph.add(step, "breach", b.perpetrator, v)
        self.ledger.count("n_contracts_breached")
        self.ledger.count("n_breaches", len(ordered))
        self.ledger.breached(contract)
        if self.bus.active and self.bus.listens(EventType.CONTRACT_BREACHED):
            self.bus.emit(
                EventType.CONTRACT_BREACHED,
                {
                    "breaches": [
                        {
                            "perpetrator": b.perpetrator,
                            "type": str(b.type),
                            "level": b.level,
                            "victims": list(b.victims),
                        }
                        for b in ordered
                    ]
                },
                contract_id=contract.id,
            )
        try:
            resolution, how = self._resolve(contract, ordered)
        except BaseException:
            # The run stops; the breached contract is still on record.
            self.log.settled.breached(contract, ordered, None)
            raise
        try:
            self.hooks.complete_contract_execution(contract, ordered, resolution)
        except WorldError:
            raise
        except Exception as e:
            self.book.failed(contract, "complete_contract_execution", e)
            return
        if resolution is not None:
            self.ledger.count("n_breaches_resolved", len(ordered))
            for b in ordered:
                b.resolved = True
                if self.bulletin.read("breaches", b.id) is not None:
                    # The board's post said resolved: False; agents reading it
                    # (a reputation, say) must see the breach was resolved.
                    self.bulletin.record("breaches", self.hooks.breach_record(b), key=b.id)
            if self.save.save_resolved_breaches:
                self.ledger.resolved_breaches.extend(ordered)
            self.log.settled.breached(contract, ordered, resolution)
            if self.bus.active:
                self.bus.emit(
                    EventType.BREACH_RESOLVED,
                    {"resolution": plain(resolution.agreement), "how": how},
                    contract_id=contract.id,
                )
        else:
            self.ledger.breach_level += sum(float(b.level) for b in ordered)
            if self.save.save_unresolved_breaches:
                self.ledger.unresolved_breaches.extend(ordered)
            # No event follows: the record sink writes it at the next one.
            self.log.settled.breached(contract, ordered, None)
        for pid in contract.partners:
            hear = self.agents[pid].on_contract_breached
            told: tuple[Any, ...] = (contract, list(ordered), resolution)
            if not _takes_resolution(hear):
                told = told[:2]
            self.guard.agent(self.agents[pid], hear, *told)

    def _parties(self, contract: Contract, breaches: list[Breach]) -> list[str]:
        """Victims first, then perpetrators, each in partner order."""
        perpetrators = {b.perpetrator for b in breaches}
        named = {v for b in breaches for v in b.victims}
        victims = [
            p for p in contract.partners if p not in perpetrators and (p in named or not named)
        ]
        return victims + [p for p in contract.partners if p in perpetrators]

    def _resolve(
        self, contract: Contract, breaches: list[Breach]
    ) -> tuple[Contract | None, str | None]:
        mode = self.hooks.breach_processing
        if mode is BreachProcessing.NONE:
            return None, None
        for pid in self._parties(contract, breaches):
            agenda = self.guard.agent(
                self.agents[pid],
                self.agents[pid].set_renegotiation_agenda,
                contract,
                list(breaches),
            )
            if agenda is None:
                continue
            if not isinstance(agenda, RenegotiationRequest):
                self.guard.malformed(
                    self.agents[pid],
                    "set_renegotiation_agenda",
                    f"set_renegotiation_agenda returned a {type(agenda).__name__}; "
                    "return a RenegotiationRequest or None",
                )
                continue
            if mode is BreachProcessing.VICTIM_THEN_PERPETRATOR and agenda.proposal is not None:
                resolution = self._propose(contract, breaches, pid, agenda)
                how = "victim_then_perpetrator"
            elif mode is BreachProcessing.VICTIM_THEN_PERPETRATOR:
                # NegMAS's own VICTIM_THEN_PERPETRATOR: an agenda is negotiated
                # by the negotiators the partners return. Ignoring it (nothing to
                # accept) left NegMAS code's breaches unresolved without a word.
                resolution = self._renegotiate(contract, breaches, agenda)
                how = "victim_then_perpetrator"
            else:
                resolution = self._renegotiate(contract, breaches, agenda)
                how = "renegotiation"
            if resolution is not None:
                return resolution, how
        return None, None

    def _resolution(
        self, contract: Contract, issues: list[Any], agreement: Any, annotation: dict[str, Any]
    ) -> Contract | None:
        space = self.desk.outcome_space(issues)
        try:
            values = space.to_tuple(agreement)
        except (ValueError, TypeError):
            return None
        if values not in space:
            return None
        step = self.clock.step
        return Contract(
            partners=contract.partners,
            agreement=space.to_dict(values),
            annotation={**annotation, "resolves": contract.id},
            issues=list(issues),
            id=self.book.next_id(),
            concluded_at=step,
            to_be_signed_at=step,
            signed_at=step,
            signatures={p: p for p in contract.partners},
        )

    def _propose(
        self,
        contract: Contract,
        breaches: list[Breach],
        publisher: str,
        agenda: RenegotiationRequest,
    ) -> Contract | None:
        issues = list(agenda.issues) if agenda.issues else list(contract.issues)
        space = self.desk.outcome_space(issues)
        try:
            valid = space.to_tuple(agenda.proposal) in space
            problem = "is not an outcome of"
        except (ValueError, TypeError, KeyError) as e:
            valid, problem = False, f"cannot be read as an outcome of ({e})"
        if not valid:
            names = [getattr(i, "name", str(i)) for i in issues]
            self.guard.malformed(
                self.agents[publisher],
                "set_renegotiation_agenda",
                f"the proposal {agenda.proposal!r} {problem} the agenda's issues {names}",
            )
            return None
        for pid in contract.partners:
            if pid == publisher:
                continue
            answer = self.guard.agent(
                self.agents[pid],
                self.agents[pid].respond_to_renegotiation_request,
                contract,
                list(breaches),
                agenda,
            )
            if not self._accepts(pid, answer):
                return None
        return self._resolution(contract, issues, agenda.proposal, agenda.annotation)

    def _accepts(self, pid: str, answer: Any) -> bool:
        """Whether ``answer`` to a proposal accepts it: ``True`` or a negotiator (the
        NegMAS-style answer) accepts, ``None`` or ``False`` refuses.

        Anything else (``ResponseType.REJECT_OFFER``, ``"no"``, ``0``) is the
        agent's error, counted as a refusal: read by its truth value it would
        have accepted the very proposal it meant to refuse.
        """
        if answer is None or isinstance(answer, bool | np.bool_):
            return bool(answer)
        if negotiator_problem(answer, "respond_to_renegotiation_request") is None:
            return True
        self.guard.malformed(
            self.agents[pid],
            "respond_to_renegotiation_request",
            f"respond_to_renegotiation_request returned {type(answer).__name__} "
            f"{answer!r:.80}; under VICTIM_THEN_PERPETRATOR return True (or a negotiator) "
            "to accept the proposal, None or False to refuse it",
        )
        return False

    def _renegotiate(
        self, contract: Contract, breaches: list[Breach], agenda: RenegotiationRequest
    ) -> Contract | None:
        issues = list(agenda.issues) if agenda.issues else list(contract.issues)
        negotiators = []
        for pid in contract.partners:
            n = self.guard.agent(
                self.agents[pid],
                self.agents[pid].respond_to_renegotiation_request,
                contract,
                list(breaches),
                agenda,
            )
            if n is None:
                return None
            problem = negotiator_problem(n, "respond_to_renegotiation_request")
            if problem is not None:
                # A bool here is the VICTIM_THEN_PERPETRATOR answer in the wrong mode.
                self.guard.malformed(self.agents[pid], "respond_to_renegotiation_request", problem)
                return None
            negotiators.append((pid, n))
        agreed = self.desk.renegotiate(
            negotiators, issues, {**agenda.annotation, "renegotiation_of": contract.id}
        )
        if agreed is None:
            return None
        return self._resolution(contract, issues, agreed, agenda.annotation)

"""The contract book: concluding, signing and executing contracts.

It turns an agreement into a contract, has contracts signed (now or after the
signing delay), executes the due ones through the world's
``start_contract_execution`` and returns what was breached (the breach desk
processes it), and ends the contracts left open when a run ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from palaver.events import EventBus, EventType, plain
from palaver.world.agent import Agent
from palaver.world.clock import RunClock
from palaver.world.config import ExceptionConfig, SaveConfig, SigningConfig
from palaver.world.contracts import Breach, Contract
from palaver.world.errors import SimulationError, WorldError
from palaver.world.graph import GraphRecorder
from palaver.world.guard import Guard
from palaver.world.hooks import WorldHooks
from palaver.world.logs import WorldLog
from palaver.world.negotiations import Agreement
from palaver.world.returns import (
    as_contracts,
    breaches_problem,
    executable_problem,
    order_problem,
    size_problem,
)
from palaver.world.stats import Ledger
from palaver.world.validity import world_accepts

__all__ = ["ContractBook", "contract_payload"]


def contract_payload(contract: Contract, reason: str | None = None) -> dict[str, Any]:
    """The payload of a contract event."""
    payload = {
        "partners": list(contract.partners),
        "agreement": plain(contract.agreement),
        "signed_at": contract.signed_at,
        "to_be_signed_at": contract.to_be_signed_at,
    }
    if reason is not None:
        payload["reason"] = reason
    return payload


def _breach_key(b: Breach) -> tuple[str, str, float]:
    return (str(b.perpetrator), str(b.type), float(b.level))


class ContractBook:
    """Contracts from conclusion to execution (or cancellation).

    Args:
        signing, save, exceptions: The world's option groups it applies.
        clock, ledger, guard, log, bus, graph: Where it reads the step, counts,
            calls user code, writes records, emits events, draws edges.
        agents: The world's agents by id.
        hooks: The world's contract callbacks.
    """

    def __init__(
        self,
        signing: SigningConfig,
        save: SaveConfig,
        exceptions: ExceptionConfig,
        clock: RunClock,
        ledger: Ledger,
        guard: Guard,
        log: WorldLog,
        bus: EventBus,
        graph: GraphRecorder | None,
        agents: Mapping[str, Agent[Any]],
        hooks: WorldHooks[Any],
    ) -> None:
        self.signing = signing
        self.save = save
        self.exceptions = exceptions
        self.clock = clock
        self.ledger = ledger
        self.guard = guard
        self.log = log
        self.bus = bus
        self.graph = graph
        self.agents = agents
        self.hooks = hooks
        #: Concluded contracts waiting for their signing step.
        self.unsigned: list[Contract] = []
        #: Signed contracts not executed yet, by id.
        self.pending: dict[str, Contract] = {}
        self.n_contracts = 0

    def next_id(self) -> str:
        """A new contract id (``c1``, ``c2``, ...)."""
        self.n_contracts += 1
        return f"c{self.n_contracts}"

    def conclude(self, agreement: Agreement, immediate: bool = False) -> Contract:
        """The contract of ``agreement``, counted but not announced yet (:meth:`announce`)
        nor signed (:meth:`after_conclusion`).

        ``immediate``: to be signed in this step whatever ``default_signing_delay``
        says, as NegMAS does for the negotiations ``run_negotiation(s)`` runs.
        """
        neg = agreement.negotiation
        step = self.clock.step
        delay = 0 if immediate or self.signing.force_signing else self.signing.default_signing_delay
        contract = Contract(
            partners=tuple(neg.partners),
            agreement=agreement.outcome,
            annotation=neg.annotation,
            issues=neg.issues,
            id=self.next_id(),
            concluded_at=step,
            # Set here, as NegMAS does, so that contract_concluded and the
            # agents' on_negotiation_success see the step it will be signed at.
            to_be_signed_at=step + delay,
            mechanism_id=neg.id,
            mechanism_state=agreement.state,
        )
        self.ledger.count("n_contracts_concluded")
        return contract

    def announce(self, contract: Contract) -> None:
        """Emit ``contract_concluded`` for a contract :meth:`conclude` made (its
        negotiation's record is settled by then)."""
        if self.bus.active:
            self.bus.emit(
                EventType.CONTRACT_CONCLUDED,
                contract_payload(contract),
                negotiation_id=contract.mechanism_id,
                contract_id=contract.id,
            )
        if self.graph is not None:
            first = contract.partners[0]
            for p in contract.partners[1:]:
                self.graph.add(self.clock.step, "contract", first, p)

    def after_conclusion(self, contract: Contract) -> None:
        force = self.signing.force_signing
        self.guard.world(self.hooks.on_contract_concluded, contract, contract.to_be_signed_at)
        if force:
            contract.signatures = {p: p for p in contract.partners}
            if world_accepts(self.guard, self.hooks, "is_valid_contract", contract):
                self._sign_now(contract)
            else:
                self._cancel(contract, [], "invalid")
            return
        self.unsigned.append(contract)

    def _sign_now(self, contract: Contract, notify: bool = True) -> None:
        """Sign ``contract``; its partners hear ``on_contract_signed`` when ``notify``
        (batch signing tells them through ``on_contracts_finalized`` instead)."""
        contract.signed_at = self.clock.step
        self.pending[contract.id] = contract
        self.ledger.count("n_contracts_signed")
        if self.save.save_signed_contracts:
            self.ledger.saved_contracts.append(contract)
        if self.bus.active and self.bus.listens(EventType.CONTRACT_SIGNED):
            self.bus.emit(
                EventType.CONTRACT_SIGNED, contract_payload(contract), contract_id=contract.id
            )
        # The world's return value is not used: a NegMAS-style ``False`` ("do
        # not file it") leaves the contract out of executable_contracts(), and
        # the end of the run reports it as unexecuted.
        self.guard.world(self.hooks.on_contract_signed, contract)
        if notify:
            for pid in contract.partners:
                self.guard.agent(self.agents[pid], self.agents[pid].on_contract_signed, contract)

    def _cancel(
        self, contract: Contract, rejectors: list[str], reason: str, notify: bool = True
    ) -> None:
        """Cancel ``contract``; partners hear ``on_contract_cancelled`` when ``notify``."""
        contract.nullified_at = self.clock.step
        self.ledger.count("n_contracts_cancelled")
        if self.save.save_cancelled_contracts:
            self.ledger.cancelled_contracts.append(contract)
        self.log.settled.contract(contract, "cancelled")
        if self.bus.active:
            self.bus.emit(
                EventType.CONTRACT_CANCELLED,
                contract_payload(contract, reason),
                contract_id=contract.id,
            )
        if not self.guard.stopping:
            self.guard.world(self.hooks.on_contract_cancelled, contract)
        if notify:
            for pid in contract.partners:
                self.guard.agent(
                    self.agents[pid],
                    self.agents[pid].on_contract_cancelled,
                    contract,
                    list(rejectors),
                )

    def sign_due(self) -> None:
        step = self.clock.step
        due = [c for c in self.unsigned if c.to_be_signed_at <= step]
        if not due:
            return
        self.unsigned = [c for c in self.unsigned if c.to_be_signed_at > step]
        try:
            self._sign(due)
        except BaseException:
            # The run stops: contracts neither signed nor cancelled yet go back to
            # the unsigned list, so that the end of the run cancels them on record.
            self.unsigned.extend(c for c in due if c.signed_at is None and c.nullified_at is None)
            raise

    def _sign(self, due: list[Contract]) -> None:
        refused: dict[str, list[str]] = {c.id: [] for c in due}
        if self.signing.batch_signing:
            per_agent: dict[str, list[Contract]] = {}
            for c in due:
                for pid in c.partners:
                    per_agent.setdefault(pid, []).append(c)
            for pid, contracts in per_agent.items():
                agent = self.agents[pid]
                answer = self.guard.agent(agent, agent.sign_all_contracts, list(contracts))
                sigs = self._signatures(agent, contracts, answer)
                for c, sig in zip(contracts, sigs, strict=True):
                    self._take_signature(c, pid, sig, refused)
        else:
            for c in due:
                for pid in c.partners:
                    agent = self.agents[pid]
                    if type(agent).sign_all_contracts is not Agent.sign_all_contracts:
                        # As NegMAS 0.16 does without batch signing, an agent that
                        # decides in sign_all_contracts is asked there, one
                        # contract at a time (its default asks sign_contract).
                        answer = self.guard.agent(agent, agent.sign_all_contracts, [c])
                        [sig] = self._signatures(agent, [c], answer)
                        self._take_signature(c, pid, sig, refused)
                        continue
                    sig = self.guard.agent(agent, agent.sign_contract, c)
                    if sig is not None and not isinstance(sig, str):
                        self.guard.malformed(
                            agent,
                            "sign_contract",
                            f"sign_contract returned {type(sig).__name__} {sig!r:.80} for "
                            f"{c.id}; return a signature string (sign) or None (refuse)",
                        )
                        sig = None
                    self._take_signature(c, pid, sig, refused)
        # As in NegMAS 0.16: with batch signing each agent hears of its
        # contracts once, through on_contracts_finalized (whose default calls
        # on_contract_signed / on_contract_cancelled for each); signing one by
        # one calls those two directly and not on_contracts_finalized.
        batch = self.signing.batch_signing
        signed: dict[str, list[Contract]] = {}
        cancelled: dict[str, list[tuple[Contract, list[str]]]] = {}
        for c in due:
            if refused[c.id]:
                self._cancel(c, refused[c.id], "not signed", notify=not batch)
                for pid in c.partners:
                    cancelled.setdefault(pid, []).append((c, refused[c.id]))
            elif not world_accepts(self.guard, self.hooks, "is_valid_contract", c):
                # Signed by all but refused by the world: cancelled with no rejector.
                self._cancel(c, [], "invalid", notify=not batch)
                for pid in c.partners:
                    cancelled.setdefault(pid, []).append((c, []))
            else:
                self._sign_now(c, notify=not batch)
                for pid in c.partners:
                    signed.setdefault(pid, []).append(c)
        if not batch:
            return
        for pid in dict.fromkeys([*signed, *cancelled]):
            mine = cancelled.get(pid, [])
            self.guard.agent(
                self.agents[pid],
                self.agents[pid].on_contracts_finalized,
                signed.get(pid, []),
                [c for c, _ in mine],
                [list(r) for _, r in mine],
            )

    def _signatures(self, agent: Agent[Any], contracts: list[Contract], answer: Any) -> list[Any]:
        """One signature (or ``None``) per contract from a ``sign_all_contracts`` answer.

        NegMAS's documented forms are accepted: ``None`` (refuse all), a string
        (sign all), a list with one entry per contract, or a dict from contract
        id to signature (a contract missing from it is not signed). Anything
        else is the agent's error; its contracts are then refused.
        """
        n = len(contracts)
        if answer is None:
            return [None] * n
        if isinstance(answer, str):
            return [answer] * n
        if isinstance(answer, dict):
            known = {c.id for c in contracts}
            unknown = sorted(str(k) for k in answer if k not in known)
            if not unknown:
                return self._checked([answer.get(c.id) for c in contracts], agent)
            problem = f"signatures for contracts it was not asked to sign: {unknown}"
        elif isinstance(answer, list | tuple):
            if len(answer) == n:
                return self._checked(list(answer), agent)
            problem = f"{len(answer)} values for {n} contracts"
        else:
            problem = f"a {type(answer).__name__}"
        self.guard.malformed(
            agent,
            "sign_all_contracts",
            f"sign_all_contracts returned {problem}; return None (refuse all), a "
            "signature string (sign all), one signature or None per contract, or "
            "a dict contract id -> signature",
        )
        return [None] * n

    def _checked(self, sigs: list[Any], agent: Agent[Any]) -> list[Any]:
        """``sigs`` when each is a signature string or ``None``; else the agent's
        error and every contract refused.

        A ``False`` (or ``0``) taken for a signature would sign the very
        contract the agent meant to refuse.
        """
        bad = next((s for s in sigs if s is not None and not isinstance(s, str)), None)
        if bad is None:
            return sigs
        self.guard.malformed(
            agent,
            "sign_all_contracts",
            f"sign_all_contracts returned a signature {type(bad).__name__} {bad!r:.80}; "
            "each signature is a string (sign) or None (refuse)",
        )
        return [None] * len(sigs)

    @staticmethod
    def _take_signature(
        contract: Contract, pid: str, sig: Any, refused: dict[str, list[str]]
    ) -> None:
        if sig is None:
            refused[contract.id].append(pid)
        else:
            contract.signatures[pid] = sig

    def due(self) -> list[Contract]:
        """The contracts to execute now, in the world's order (its callbacks checked)."""
        guard = self.guard
        returned, raw = guard.world_result(self.hooks.executable_contracts)
        # An ignored exception (already recorded) means nothing runs this step.
        contracts, problem = as_contracts(raw) if returned else ([], None)
        if contracts is not None:
            problem = executable_problem(contracts)
            contracts = contracts if problem is None else None
        if contracts is None:
            guard.world_malformed("executable_contracts", str(problem))
            contracts = []
        if contracts:
            # None (an ignored exception) keeps the given order.
            raw = guard.world(self.hooks.order_contracts_for_execution, contracts)
            ordered, problem = as_contracts(raw) if raw is not None else (contracts, None)
            if ordered is not None:
                problem = order_problem(ordered, contracts)
                ordered = ordered if problem is None else None
            if ordered is None:
                guard.world_malformed("order_contracts_for_execution", str(problem))
                ordered = contracts
            return ordered
        return contracts

    def failed(self, contract: Contract, where: str, error: Exception) -> None:
        """Record ``contract`` as erred; raise unless contract-execution exceptions are ignored."""
        self.ledger.count("n_contracts_erred")
        self.ledger.erred(contract)
        contract.nullified_at = self.clock.step
        self.pending.pop(contract.id, None)
        self.log.settled.contract(contract, "error")
        if self.bus.active:
            reason = f"execution failed: {where} raised {type(error).__name__}: {error}"
            self.bus.emit(
                EventType.CONTRACT_ERRED,
                contract_payload(contract, reason),
                contract_id=contract.id,
            )
        if not self.exceptions.ignore_contract_execution_exceptions:
            raise SimulationError(where, error) from error
        self.guard.record(f"{where}({contract.id})", error, kind="contract")
        self.ledger.count("n_contract_exceptions")

    def execute(self, contract: Contract) -> list[Breach]:
        """Execute ``contract``; its breaches in a stable order (empty: nothing to process).

        Executed without breach, nullified or erred, the contract is settled
        here; a breached one is marked executed and left to the breach desk.
        """
        step = self.clock.step
        try:
            breaches = self.hooks.start_contract_execution(contract)
        except WorldError:
            raise
        except Exception as e:
            self.failed(contract, "start_contract_execution", e)
            return []
        problem = breaches_problem(breaches, contract, self.agents)
        if problem is not None:
            error = ValueError(f"start_contract_execution returned {problem}")
            self.failed(contract, "start_contract_execution", error)
            return []
        self.pending.pop(contract.id, None)
        if breaches is None:
            self._nullify(contract)
            return []
        contract.executed_at = step
        if breaches:
            # A set's iteration order must never leak into a run.
            return sorted(breaches, key=_breach_key)
        self.ledger.count("n_contracts_executed")
        returned, size = self.guard.world_result(self.hooks.contract_size, contract)
        problem = size_problem(size) if returned else None
        if problem is not None:
            self.guard.world_malformed("contract_size", problem)
        size = float(size) if size is not None and problem is None else 0.0
        self.ledger.executed_size += size
        for pid in contract.partners:
            self.ledger.scores[pid] = self.ledger.scores.get(pid, 0.0) + size
        self.log.settled.contract(contract, "executed")
        if self.bus.active:
            self.bus.emit(
                EventType.CONTRACT_EXECUTED,
                contract_payload(contract),
                contract_id=contract.id,
            )
        for pid in contract.partners:
            self.guard.agent(self.agents[pid], self.agents[pid].on_contract_executed, contract)
        return []

    def _nullify(self, contract: Contract) -> None:
        """``start_contract_execution`` returned ``None``: not executed, no breach (NegMAS)."""
        contract.nullified_at = self.clock.step
        self.ledger.count("n_contracts_nullified")
        self.log.settled.contract(contract, "nullified")
        if self.bus.active:
            self.bus.emit(
                EventType.CONTRACT_NULLIFIED,
                contract_payload(contract, "nullified by the world"),
                contract_id=contract.id,
            )
        for pid in contract.partners:
            self.guard.agent(self.agents[pid], self.agents[pid].on_contract_nullified, contract)

    def expire_unsigned(self, contract: Contract, reason: str) -> None:
        self._cancel(contract, [], reason)

    def expire_signed(self, contract: Contract, reason: str) -> None:
        self.ledger.count("n_contracts_unexecuted")
        self.log.settled.contract(contract, "unexecuted")
        if self.bus.active:
            self.bus.emit(
                EventType.CONTRACT_UNEXECUTED,
                contract_payload(contract, reason),
                contract_id=contract.id,
            )

    def expire_all(self, why: str = "simulation ended") -> None:
        """At the end of a run: cancel unsigned contracts, record unexecuted ones."""
        unsigned, self.unsigned = self.unsigned, []
        for c in unsigned:
            self.expire_unsigned(c, f"{why} before signing")
        pending, self.pending = self.pending, {}
        for c in pending.values():
            self.expire_signed(c, f"{why} before execution")

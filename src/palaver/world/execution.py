"""Contracts after agreement: conclusion, signing, execution, and their end states."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from palaver.events import EventType, plain
from palaver.world.contracts import Contract
from palaver.world.errors import SimulationError, WorldError
from palaver.world.returns import as_contracts, breaches_problem, size_problem

if TYPE_CHECKING:
    from palaver.world.negotiations import ActiveNegotiation

__all__ = ["ExecutionMixin"]


def _contract_payload(contract: Contract, reason: str | None = None) -> dict[str, Any]:
    payload = {
        "partners": list(contract.partners),
        "agreement": plain(contract.agreement),
        "signed_at": contract.signed_at,
        "to_be_signed_at": contract.to_be_signed_at,
    }
    if reason is not None:
        payload["reason"] = reason
    return payload


class ExecutionMixin:
    """Concluding, signing and executing contracts; ending the ones left when a run ends.

    Mixed into :class:`~palaver.world.World`.
    """

    def _palaver_conclude(
        self, neg: ActiveNegotiation, agreement: dict[str, Any], state: Any
    ) -> Contract:
        self._palaver_n_contracts += 1
        step = self._palaver_clock.step
        contract = Contract(
            partners=tuple(neg.partners),
            agreement=agreement,
            annotation=neg.annotation,
            issues=neg.issues,
            id=f"c{self._palaver_n_contracts}",
            concluded_at=step,
            mechanism_id=neg.id,
            mechanism_state=state,
        )
        self._palaver_ledger.count("n_contracts_concluded")
        if self.bus.active:
            self.bus.emit(
                EventType.CONTRACT_CONCLUDED,
                _contract_payload(contract),
                negotiation_id=neg.id,
                contract_id=contract.id,
            )
        if self._palaver_graph is not None:
            first = neg.partners[0]
            for p in neg.partners[1:]:
                self._palaver_graph.add(step, "contract", first, p)
        return contract

    def _palaver_after_conclusion(self, contract: Contract) -> None:
        if self.signing_config.force_signing:
            contract.to_be_signed_at = self._palaver_clock.step
            contract.signatures = {p: p for p in contract.partners}
            self._palaver_sign_now(contract)
            return
        contract.to_be_signed_at = (
            self._palaver_clock.step + self.signing_config.default_signing_delay
        )
        self._palaver_unsigned.append(contract)

    def _palaver_sign_now(self, contract: Contract) -> None:
        contract.signed_at = self._palaver_clock.step
        self._palaver_signed_pending[contract.id] = contract
        self._palaver_ledger.count("n_contracts_signed")
        if self.save_config.save_signed_contracts:
            self._palaver_ledger.saved_contracts.append(contract)
        if self.bus.active:
            self.bus.emit(
                EventType.CONTRACT_SIGNED, _contract_payload(contract), contract_id=contract.id
            )
        # The world's return value is not used: a NegMAS-style ``False`` ("do
        # not file it") leaves the contract out of executable_contracts(), and
        # the end of the run reports it as unexecuted.
        self._palaver_guard.world(self.on_contract_signed, contract)
        for pid in contract.partners:
            self._palaver_guard.agent(
                self.agents[pid], self.agents[pid].on_contract_signed, contract
            )

    def _palaver_cancel(self, contract: Contract, rejectors: list[str], reason: str) -> None:
        contract.nullified_at = self._palaver_clock.step
        self._palaver_ledger.count("n_contracts_cancelled")
        if self.save_config.save_cancelled_contracts:
            self._palaver_ledger.cancelled_contracts.append(contract)
        if self.bus.active:
            self.bus.emit(
                EventType.CONTRACT_CANCELLED,
                _contract_payload(contract, reason),
                contract_id=contract.id,
            )
        self._palaver_write_contract(contract, "cancelled")
        for pid in contract.partners:
            self._palaver_guard.agent(
                self.agents[pid], self.agents[pid].on_contract_cancelled, contract, list(rejectors)
            )

    def _palaver_sign_contracts(self) -> None:
        step = self._palaver_clock.step
        due = [c for c in self._palaver_unsigned if c.to_be_signed_at <= step]
        if not due:
            return
        self._palaver_unsigned = [c for c in self._palaver_unsigned if c.to_be_signed_at > step]
        try:
            self._palaver_sign_due(due)
        except BaseException:
            # The run stops: contracts neither signed nor cancelled yet go back to
            # the unsigned list, so that the end of the run cancels them on record.
            self._palaver_unsigned.extend(
                c for c in due if c.signed_at is None and c.nullified_at is None
            )
            raise

    def _palaver_sign_due(self, due: list[Contract]) -> None:
        refused: dict[str, list[str]] = {c.id: [] for c in due}
        if self.signing_config.batch_signing:
            per_agent: dict[str, list[Contract]] = {}
            for c in due:
                for pid in c.partners:
                    per_agent.setdefault(pid, []).append(c)
            for pid, contracts in per_agent.items():
                agent = self.agents[pid]
                answer = self._palaver_guard.agent(agent, agent.sign_all_contracts, list(contracts))
                sigs = self._palaver_signatures(agent, contracts, answer)
                for c, sig in zip(contracts, sigs, strict=True):
                    self._palaver_take_signature(c, pid, sig, refused)
        else:
            for c in due:
                for pid in c.partners:
                    sig = self._palaver_guard.agent(
                        self.agents[pid], self.agents[pid].sign_contract, c
                    )
                    self._palaver_take_signature(c, pid, sig, refused)
        signed: dict[str, list[Contract]] = {}
        cancelled: dict[str, list[tuple[Contract, list[str]]]] = {}
        for c in due:
            if refused[c.id]:
                self._palaver_cancel(c, refused[c.id], "not signed")
                for pid in c.partners:
                    cancelled.setdefault(pid, []).append((c, refused[c.id]))
            else:
                self._palaver_sign_now(c)
                for pid in c.partners:
                    signed.setdefault(pid, []).append(c)
        for pid in dict.fromkeys([*signed, *cancelled]):
            mine = cancelled.get(pid, [])
            self._palaver_guard.agent(
                self.agents[pid],
                self.agents[pid].on_contracts_finalized,
                signed.get(pid, []),
                [c for c, _ in mine],
                [list(r) for _, r in mine],
            )

    def _palaver_signatures(self, agent: Any, contracts: list[Contract], answer: Any) -> list[Any]:
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
                return [answer.get(c.id) for c in contracts]
            problem = f"signatures for contracts it was not asked to sign: {unknown}"
        elif isinstance(answer, list | tuple):
            if len(answer) == n:
                return list(answer)
            problem = f"{len(answer)} values for {n} contracts"
        else:
            problem = f"a {type(answer).__name__}"
        self._palaver_guard.malformed(
            agent,
            "sign_all_contracts",
            f"sign_all_contracts returned {problem}; return None (refuse all), a "
            "signature string (sign all), one signature or None per contract, or "
            "a dict contract id -> signature",
        )
        return [None] * n

    @staticmethod
    def _palaver_take_signature(
        contract: Contract, pid: str, sig: Any, refused: dict[str, list[str]]
    ) -> None:
        if sig is None:
            refused[contract.id].append(pid)
        else:
            contract.signatures[pid] = str(sig)

    def _palaver_execute_contracts(self) -> None:
        guard = self._palaver_guard
        contracts, problem = as_contracts(guard.world(self.executable_contracts))
        if contracts is None:
            guard.world_malformed("executable_contracts", str(problem))
            contracts = []
        if contracts:
            # None (an ignored exception) keeps the given order.
            raw = guard.world(self.order_contracts_for_execution, contracts)
            ordered, problem = as_contracts(raw) if raw is not None else (contracts, None)
            if ordered is None:
                guard.world_malformed("order_contracts_for_execution", str(problem))
                ordered = contracts
            for contract in ordered:
                self._palaver_execute_one(contract)
        guard.world(self.delete_executed_contracts)

    def _palaver_contract_failed(self, contract: Contract, where: str, error: Exception) -> None:
        """Record ``contract`` as erred; raise unless contract-execution exceptions are ignored."""
        self._palaver_ledger.count("n_contracts_erred")
        contract.nullified_at = self._palaver_clock.step
        self._palaver_signed_pending.pop(contract.id, None)
        if self.bus.active:
            reason = f"execution failed: {where} raised {type(error).__name__}: {error}"
            self.bus.emit(
                EventType.CONTRACT_ERRED,
                _contract_payload(contract, reason),
                contract_id=contract.id,
            )
        self._palaver_write_contract(contract, "error")
        if not self.exception_config.ignore_contract_execution_exceptions:
            raise SimulationError(where, error) from error
        self._palaver_guard.record(f"{where}({contract.id})", error, kind="contract")
        self._palaver_ledger.count("n_contract_exceptions")

    def _palaver_execute_one(self, contract: Contract) -> None:
        step = self._palaver_clock.step
        try:
            breaches = self.start_contract_execution(contract)
        except WorldError:
            raise
        except Exception as e:
            self._palaver_contract_failed(contract, "start_contract_execution", e)
            return
        problem = breaches_problem(breaches)
        if problem is not None:
            error = ValueError(f"start_contract_execution returned {problem}")
            self._palaver_contract_failed(contract, "start_contract_execution", error)
            return
        self._palaver_signed_pending.pop(contract.id, None)
        if breaches is None:
            self._palaver_nullify(contract)
            return
        contract.executed_at = step
        if breaches:
            self._palaver_breached(contract, breaches)
            return
        self._palaver_ledger.count("n_contracts_executed")
        size = self._palaver_guard.world(self.contract_size, contract)
        problem = None if size is None else size_problem(size)
        if problem is not None:
            self._palaver_guard.world_malformed("contract_size", problem)
        size = float(size) if size is not None and problem is None else 0.0
        self._palaver_ledger.executed_size += size
        for pid in contract.partners:
            self._palaver_ledger.scores[pid] = self._palaver_ledger.scores.get(pid, 0.0) + size
        if self.bus.active:
            self.bus.emit(
                EventType.CONTRACT_EXECUTED,
                _contract_payload(contract),
                contract_id=contract.id,
            )
        self._palaver_write_contract(contract, "executed")
        for pid in contract.partners:
            self._palaver_guard.agent(
                self.agents[pid], self.agents[pid].on_contract_executed, contract
            )

    def _palaver_nullify(self, contract: Contract) -> None:
        """``start_contract_execution`` returned ``None``: not executed, no breach (NegMAS)."""
        contract.nullified_at = self._palaver_clock.step
        self._palaver_ledger.count("n_contracts_nullified")
        if self.bus.active:
            self.bus.emit(
                EventType.CONTRACT_NULLIFIED,
                _contract_payload(contract, "nullified by the world"),
                contract_id=contract.id,
            )
        self._palaver_write_contract(contract, "nullified")
        for pid in contract.partners:
            self._palaver_guard.agent(
                self.agents[pid], self.agents[pid].on_contract_nullified, contract
            )

    def _palaver_write_contract(self, contract: Contract, status: str, **extra: Any) -> None:
        if self._palaver_log.records is not None:
            record = self.contract_record(contract)
            self._palaver_log.write_record("contracts", {"status": status, **extra, **record})

    def _palaver_expire_unsigned(self, contract: Contract, reason: str) -> None:
        self._palaver_cancel(contract, [], reason)

    def _palaver_expire_signed(self, contract: Contract, reason: str) -> None:
        self._palaver_ledger.count("n_contracts_unexecuted")
        if self.bus.active:
            self.bus.emit(
                EventType.CONTRACT_UNEXECUTED,
                _contract_payload(contract, reason),
                contract_id=contract.id,
            )
        self._palaver_write_contract(contract, "unexecuted")

    def _palaver_expire_contracts(self, why: str = "simulation ended") -> None:
        """At the end of a run: cancel unsigned contracts, record unexecuted ones."""
        unsigned, self._palaver_unsigned = self._palaver_unsigned, []
        for c in unsigned:
            self._palaver_expire_unsigned(c, f"{why} before signing")
        pending, self._palaver_signed_pending = self._palaver_signed_pending, {}
        for c in pending.values():
            self._palaver_expire_signed(c, f"{why} before execution")

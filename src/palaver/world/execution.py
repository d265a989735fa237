"""Contracts after agreement: signing, execution, breaches and their resolution (a World mixin)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from palaver.events import EventType, plain
from palaver.mechanisms import NegotiatorError
from palaver.world.contracts import Breach, BreachProcessing, Contract, RenegotiationRequest
from palaver.world.errors import AgentError, MechanismCrashError, SimulationError, WorldError

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


def _breach_key(b: Breach) -> tuple[str, str, float]:
    return (str(b.perpetrator), str(b.type), float(b.level))


class ExecutionMixin:
    """Concluding, signing, executing contracts and processing breaches.

    Mixed into :class:`~palaver.world.World`.
    """

    def _conclude(self, neg: ActiveNegotiation, agreement: dict[str, Any], state: Any) -> Contract:
        self._n_contracts += 1
        step = self._current_step
        contract = Contract(
            partners=tuple(neg.partners),
            agreement=agreement,
            annotation=neg.annotation,
            issues=neg.issues,
            id=f"c{self._n_contracts}",
            concluded_at=step,
            mechanism_id=neg.id,
            mechanism_state=state,
        )
        self._count("n_contracts_concluded")
        if self.bus.active:
            self.bus.emit(
                EventType.CONTRACT_CONCLUDED,
                _contract_payload(contract),
                negotiation_id=neg.id,
                contract_id=contract.id,
            )
        if self._graph is not None:
            first = neg.partners[0]
            for p in neg.partners[1:]:
                self._graph.add(step, "contract", first, p)
        return contract

    def _after_conclusion(self, contract: Contract) -> None:
        if self.signing_config.force_signing:
            contract.to_be_signed_at = self._current_step
            contract.signatures = {p: p for p in contract.partners}
            self._sign_now(contract)
            return
        contract.to_be_signed_at = self._current_step + self.signing_config.default_signing_delay
        self._unsigned.append(contract)

    def _sign_now(self, contract: Contract) -> None:
        contract.signed_at = self._current_step
        self._signed_pending[contract.id] = contract
        self._count("n_contracts_signed")
        if self.save_config.save_signed_contracts:
            self._saved_contracts.append(contract)
        if self.bus.active:
            self.bus.emit(
                EventType.CONTRACT_SIGNED, _contract_payload(contract), contract_id=contract.id
            )
        self._world_call("on_contract_signed", contract)
        for pid in contract.partners:
            self._agent_call(self.agents[pid], "on_contract_signed", contract)

    def _cancel(self, contract: Contract, rejectors: list[str], reason: str) -> None:
        contract.nullified_at = self._current_step
        self._count("n_contracts_cancelled")
        if self.save_config.save_cancelled_contracts:
            self._cancelled_contracts.append(contract)
        if self.bus.active:
            self.bus.emit(
                EventType.CONTRACT_CANCELLED,
                _contract_payload(contract, reason),
                contract_id=contract.id,
            )
        self._write_contract(contract, "cancelled")
        for pid in contract.partners:
            self._agent_call(self.agents[pid], "on_contract_cancelled", contract, list(rejectors))

    def _sign_contracts(self) -> None:
        step = self._current_step
        due = [c for c in self._unsigned if c.to_be_signed_at <= step]
        if not due:
            return
        self._unsigned = [c for c in self._unsigned if c.to_be_signed_at > step]
        refused: dict[str, list[str]] = {c.id: [] for c in due}
        if self.signing_config.batch_signing:
            per_agent: dict[str, list[Contract]] = {}
            for c in due:
                for pid in c.partners:
                    per_agent.setdefault(pid, []).append(c)
            for pid, contracts in per_agent.items():
                sigs = self._agent_call(self.agents[pid], "sign_all_contracts", list(contracts))
                if not isinstance(sigs, list | tuple) or len(sigs) != len(contracts):
                    sigs = [None] * len(contracts)
                for c, sig in zip(contracts, sigs, strict=True):
                    self._take_signature(c, pid, sig, refused)
        else:
            for c in due:
                for pid in c.partners:
                    sig = self._agent_call(self.agents[pid], "sign_contract", c)
                    self._take_signature(c, pid, sig, refused)
        signed: dict[str, list[Contract]] = {}
        cancelled: dict[str, list[tuple[Contract, list[str]]]] = {}
        for c in due:
            if refused[c.id]:
                self._cancel(c, refused[c.id], "not signed")
                for pid in c.partners:
                    cancelled.setdefault(pid, []).append((c, refused[c.id]))
            else:
                self._sign_now(c)
                for pid in c.partners:
                    signed.setdefault(pid, []).append(c)
        for pid in dict.fromkeys([*signed, *cancelled]):
            mine = cancelled.get(pid, [])
            self._agent_call(
                self.agents[pid],
                "on_contracts_finalized",
                signed.get(pid, []),
                [c for c, _ in mine],
                [list(r) for _, r in mine],
            )

    @staticmethod
    def _take_signature(
        contract: Contract, pid: str, sig: Any, refused: dict[str, list[str]]
    ) -> None:
        if sig is None:
            refused[contract.id].append(pid)
        else:
            contract.signatures[pid] = str(sig)

    def _execute_contracts(self) -> None:
        contracts = self._world_call("executable_contracts")
        contracts = list(contracts) if contracts is not None else []
        if contracts:
            ordered = self._world_call("order_contracts_for_execution", contracts)
            for contract in ordered if ordered is not None else contracts:
                self._execute_one(contract)
        self._world_call("delete_executed_contracts")

    def _contract_failed(self, contract: Contract, where: str, error: Exception) -> None:
        if not self.exception_config.ignore_contract_execution_exceptions:
            raise SimulationError(where, error) from error
        self._record_exception(f"{where}({contract.id})", error)
        self._count("n_contract_exceptions")
        self._count("n_contracts_erred")
        contract.nullified_at = self._current_step
        self._signed_pending.pop(contract.id, None)
        self._write_contract(contract, "error")

    def _execute_one(self, contract: Contract) -> None:
        step = self._current_step
        try:
            breaches = self.start_contract_execution(contract)
        except WorldError:
            raise
        except Exception as e:
            self._contract_failed(contract, "start_contract_execution", e)
            return
        contract.executed_at = step
        self._signed_pending.pop(contract.id, None)
        if not breaches:
            self._count("n_contracts_executed")
            size = self._world_call("contract_size", contract)
            size = float(size) if size is not None else 0.0
            self._stats_book.executed_size += size
            for pid in contract.partners:
                self._scores[pid] = self._scores.get(pid, 0.0) + size
            if self.bus.active:
                self.bus.emit(
                    EventType.CONTRACT_EXECUTED,
                    _contract_payload(contract),
                    contract_id=contract.id,
                )
            self._write_contract(contract, "executed")
            for pid in contract.partners:
                self._agent_call(self.agents[pid], "on_contract_executed", contract)
            return
        ordered = sorted(breaches, key=_breach_key)
        for b in ordered:
            self._n_breaches += 1
            if not b.id:
                b.id = f"b{self._n_breaches}"
            if b.step is None:
                b.step = step
            self.bulletin_board.record("breaches", self.breach_record(b), key=b.id)
            if self._graph is not None:
                for v in b.victims:
                    self._graph.add(step, "breach", b.perpetrator, v)
        self._count("n_contracts_breached")
        self._count("n_breaches", len(ordered))
        if self.bus.active:
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
        resolution, how = self._resolve(contract, ordered)
        if resolution is not None:
            try:
                self.complete_contract_execution(contract, ordered, resolution)
            except WorldError:
                raise
            except Exception as e:
                self._contract_failed(contract, "complete_contract_execution", e)
                return
            self._count("n_breaches_resolved", len(ordered))
            for b in ordered:
                b.resolved = True
            if self.save_config.save_resolved_breaches:
                self._resolved_breaches.extend(ordered)
            if self.bus.active:
                self.bus.emit(
                    EventType.BREACH_RESOLVED,
                    {"resolution": plain(resolution.agreement), "how": how},
                    contract_id=contract.id,
                )
        elif self.save_config.save_unresolved_breaches:
            self._unresolved_breaches.extend(ordered)
        self._write_contract(contract, "breached")
        for b in ordered:
            self._log.write_record("breaches", self.breach_record(b))
        for pid in contract.partners:
            self._agent_call(
                self.agents[pid], "on_contract_breached", contract, list(ordered), resolution
            )

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
        mode = self.breach_processing
        if mode is BreachProcessing.NONE:
            return None, None
        for pid in self._parties(contract, breaches):
            agenda = self._agent_call(
                self.agents[pid], "set_renegotiation_agenda", contract, list(breaches)
            )
            if not isinstance(agenda, RenegotiationRequest):
                continue
            if mode is BreachProcessing.VICTIM_THEN_PERPETRATOR:
                resolution = self._propose_resolution(contract, breaches, pid, agenda)
                how = "victim_then_perpetrator"
            else:
                resolution = self._renegotiate(contract, breaches, agenda)
                how = "renegotiation"
            if resolution is not None:
                return resolution, how
        return None, None

    def _resolution_contract(
        self, contract: Contract, issues: list[Any], agreement: Any, annotation: dict[str, Any]
    ) -> Contract | None:
        space = self._outcome_space(issues)
        try:
            values = space.to_tuple(agreement)
        except (ValueError, TypeError):
            return None
        if values not in space:
            return None
        self._n_contracts += 1
        step = self._current_step
        return Contract(
            partners=contract.partners,
            agreement=space.to_dict(values),
            annotation={**annotation, "resolves": contract.id},
            issues=list(issues),
            id=f"c{self._n_contracts}",
            concluded_at=step,
            to_be_signed_at=step,
            signed_at=step,
            signatures={p: p for p in contract.partners},
        )

    def _propose_resolution(
        self,
        contract: Contract,
        breaches: list[Breach],
        publisher: str,
        agenda: RenegotiationRequest,
    ) -> Contract | None:
        if agenda.proposal is None:
            return None
        for pid in contract.partners:
            if pid == publisher:
                continue
            answer = self._agent_call(
                self.agents[pid],
                "respond_to_renegotiation_request",
                contract,
                list(breaches),
                agenda,
            )
            if answer is None or answer is False:
                return None
        issues = list(agenda.issues) if agenda.issues else list(contract.issues)
        return self._resolution_contract(contract, issues, agenda.proposal, agenda.annotation)

    def _renegotiate(
        self, contract: Contract, breaches: list[Breach], agenda: RenegotiationRequest
    ) -> Contract | None:
        issues = list(agenda.issues) if agenda.issues else list(contract.issues)
        negotiators = []
        for pid in contract.partners:
            n = self._agent_call(
                self.agents[pid],
                "respond_to_renegotiation_request",
                contract,
                list(breaches),
                agenda,
            )
            if n is None:
                return None
            negotiators.append((pid, n))
        self._count("n_renegotiations")
        self._n_negotiations += 1
        nid = f"n{self._n_negotiations}"
        cls, params = self._mechanism_table.get(None)
        cfg = self.negotiation_config
        mechanism = cls(
            outcome_space=self._outcome_space(issues),
            n_steps=cfg.neg_n_steps,
            time_limit=cfg.neg_time_limit,
            step_time_limit=cfg.neg_step_time_limit,
            negotiator_time_limit=cfg.negotiator_time_limit,
            ignore_negotiator_exceptions=self.exception_config.ignore_agent_exceptions,
            seed=int(self._rng.integers(0, 2**63 - 1)),
            bus=self.bus,
            id=nid,
            annotation={**agenda.annotation, "renegotiation_of": contract.id},
            **params,
        )
        for pid, n in negotiators:
            n.owner_id = pid
            ufun = None if getattr(n, "ufun", None) is not None else self.agents[pid].ufun
            if not mechanism.add(n, ufun=ufun):
                return None
        try:
            state = mechanism.run()
        except NegotiatorError as e:
            owner = next((p for p, n in negotiators if n.id == e.negotiator_id), e.negotiator_id)
            raise AgentError(owner, f"negotiator in renegotiation {nid}", e) from e
        except Exception as e:
            if not self.exception_config.ignore_mechanism_exceptions:
                raise MechanismCrashError(nid, e) from e
            self._record_exception(f"mechanism {nid}", e)
            self._count("n_mechanism_exceptions")
            return None
        if state.agreement is None:
            return None
        return self._resolution_contract(contract, issues, state.agreement, agenda.annotation)

    def _write_contract(self, contract: Contract, status: str) -> None:
        if self._log.records is not None:
            record = self.contract_record(contract)
            self._log.write_record("contracts", {"status": status, **record})

    def _expire_contracts(self) -> None:
        """At the end of a run: cancel unsigned contracts, record unexecuted ones."""
        for c in self._unsigned:
            self._cancel(c, [], "simulation ended before signing")
        self._unsigned = []
        for c in self._signed_pending.values():
            self._count("n_contracts_unexecuted")
            if self.bus.active:
                self.bus.emit(
                    EventType.CONTRACT_CANCELLED,
                    _contract_payload(c, "simulation ended before execution"),
                    contract_id=c.id,
                )
            self._write_contract(c, "unexecuted")
        self._signed_pending = {}

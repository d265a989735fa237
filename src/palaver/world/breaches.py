"""Breached contracts: recording the breaches and the three ways of processing them."""

from __future__ import annotations

from typing import Any

from palaver.events import EventType, plain
from palaver.mechanisms import NegotiatorError
from palaver.world.contracts import Breach, BreachProcessing, Contract, RenegotiationRequest
from palaver.world.errors import AgentError, MechanismCrashError, WorldError

__all__ = ["BreachesMixin"]


def _breach_key(b: Breach) -> tuple[str, str, float]:
    return (str(b.perpetrator), str(b.type), float(b.level))


class BreachesMixin:
    """Records breaches and resolves them per ``breach_processing``.

    Mixed into :class:`~palaver.world.World`.
    """

    def _palaver_breached(self, contract: Contract, breaches: Any) -> None:
        """Record the breaches of ``contract``, try to resolve them, inform the partners."""
        step = self._palaver_clock.step
        ordered = sorted(breaches, key=_breach_key)
        for b in ordered:
            self._palaver_n_breaches += 1
            if not b.id:
                b.id = f"b{self._palaver_n_breaches}"
            if b.step is None:
                b.step = step
            self.bulletin_board.record("breaches", self.breach_record(b), key=b.id)
            if self._palaver_graph is not None:
                for v in b.victims:
                    self._palaver_graph.add(step, "breach", b.perpetrator, v)
        self._palaver_ledger.count("n_contracts_breached")
        self._palaver_ledger.count("n_breaches", len(ordered))
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
        try:
            resolution, how = self._palaver_resolve(contract, ordered)
        except BaseException:
            # The run stops; the breached contract is still on record.
            self._palaver_record_breached(contract, ordered, None)
            raise
        try:
            self.complete_contract_execution(contract, ordered, resolution)
        except WorldError:
            raise
        except Exception as e:
            self._palaver_contract_failed(contract, "complete_contract_execution", e)
            return
        if resolution is not None:
            self._palaver_ledger.count("n_breaches_resolved", len(ordered))
            for b in ordered:
                b.resolved = True
            if self.save_config.save_resolved_breaches:
                self._palaver_ledger.resolved_breaches.extend(ordered)
            if self.bus.active:
                self.bus.emit(
                    EventType.BREACH_RESOLVED,
                    {"resolution": plain(resolution.agreement), "how": how},
                    contract_id=contract.id,
                )
        else:
            self._palaver_ledger.breach_level += sum(float(b.level) for b in ordered)
            if self.save_config.save_unresolved_breaches:
                self._palaver_ledger.unresolved_breaches.extend(ordered)
        self._palaver_record_breached(contract, ordered, resolution)
        for pid in contract.partners:
            self._palaver_guard.agent(
                self.agents[pid],
                self.agents[pid].on_contract_breached,
                contract,
                list(ordered),
                resolution,
            )

    def _palaver_record_breached(
        self, contract: Contract, breaches: list[Breach], resolution: Contract | None
    ) -> None:
        if resolution is None:
            self._palaver_write_contract(contract, "breached")
        else:
            self._palaver_write_contract(
                contract,
                "resolved",
                resolution_id=resolution.id,
                resolution=resolution.agreement,
            )
        for b in breaches:
            self._palaver_log.write_record("breaches", self.breach_record(b))

    def _palaver_parties(self, contract: Contract, breaches: list[Breach]) -> list[str]:
        """Victims first, then perpetrators, each in partner order."""
        perpetrators = {b.perpetrator for b in breaches}
        named = {v for b in breaches for v in b.victims}
        victims = [
            p for p in contract.partners if p not in perpetrators and (p in named or not named)
        ]
        return victims + [p for p in contract.partners if p in perpetrators]

    def _palaver_resolve(
        self, contract: Contract, breaches: list[Breach]
    ) -> tuple[Contract | None, str | None]:
        mode = self.breach_processing
        if mode is BreachProcessing.NONE:
            return None, None
        for pid in self._palaver_parties(contract, breaches):
            agenda = self._palaver_guard.agent(
                self.agents[pid],
                self.agents[pid].set_renegotiation_agenda,
                contract,
                list(breaches),
            )
            if agenda is None:
                continue
            if not isinstance(agenda, RenegotiationRequest):
                self._palaver_guard.malformed(
                    self.agents[pid],
                    "set_renegotiation_agenda",
                    f"set_renegotiation_agenda returned a {type(agenda).__name__}; "
                    "return a RenegotiationRequest or None",
                )
                continue
            if mode is BreachProcessing.VICTIM_THEN_PERPETRATOR:
                resolution = self._palaver_propose_resolution(contract, breaches, pid, agenda)
                how = "victim_then_perpetrator"
            else:
                resolution = self._palaver_renegotiate(contract, breaches, agenda)
                how = "renegotiation"
            if resolution is not None:
                return resolution, how
        return None, None

    def _palaver_resolution_contract(
        self, contract: Contract, issues: list[Any], agreement: Any, annotation: dict[str, Any]
    ) -> Contract | None:
        space = self._palaver_outcome_space(issues)
        try:
            values = space.to_tuple(agreement)
        except (ValueError, TypeError):
            return None
        if values not in space:
            return None
        self._palaver_n_contracts += 1
        step = self._palaver_clock.step
        return Contract(
            partners=contract.partners,
            agreement=space.to_dict(values),
            annotation={**annotation, "resolves": contract.id},
            issues=list(issues),
            id=f"c{self._palaver_n_contracts}",
            concluded_at=step,
            to_be_signed_at=step,
            signed_at=step,
            signatures={p: p for p in contract.partners},
        )

    def _palaver_propose_resolution(
        self,
        contract: Contract,
        breaches: list[Breach],
        publisher: str,
        agenda: RenegotiationRequest,
    ) -> Contract | None:
        if agenda.proposal is None:
            return None
        issues = list(agenda.issues) if agenda.issues else list(contract.issues)
        space = self._palaver_outcome_space(issues)
        try:
            valid = space.to_tuple(agenda.proposal) in space
            problem = "is not an outcome of"
        except (ValueError, TypeError, KeyError) as e:
            valid, problem = False, f"cannot be read as an outcome of ({e})"
        if not valid:
            names = [getattr(i, "name", str(i)) for i in issues]
            self._palaver_guard.malformed(
                self.agents[publisher],
                "set_renegotiation_agenda",
                f"the proposal {agenda.proposal!r} {problem} the agenda's issues {names}",
            )
            return None
        for pid in contract.partners:
            if pid == publisher:
                continue
            answer = self._palaver_guard.agent(
                self.agents[pid],
                self.agents[pid].respond_to_renegotiation_request,
                contract,
                list(breaches),
                agenda,
            )
            if answer is None or answer is False:
                return None
        return self._palaver_resolution_contract(
            contract, issues, agenda.proposal, agenda.annotation
        )

    def _palaver_renegotiate(
        self, contract: Contract, breaches: list[Breach], agenda: RenegotiationRequest
    ) -> Contract | None:
        issues = list(agenda.issues) if agenda.issues else list(contract.issues)
        negotiators = []
        for pid in contract.partners:
            n = self._palaver_guard.agent(
                self.agents[pid],
                self.agents[pid].respond_to_renegotiation_request,
                contract,
                list(breaches),
                agenda,
            )
            if n is None:
                return None
            negotiators.append((pid, n))
        self._palaver_ledger.count("n_renegotiations")
        self._palaver_n_negotiations += 1
        nid = f"n{self._palaver_n_negotiations}"
        cls, params = self._palaver_mechanism_table.get(None)
        annotation = {**agenda.annotation, "renegotiation_of": contract.id}
        mechanism = self._palaver_new_mechanism(
            cls, params, self._palaver_outcome_space(issues), nid, annotation
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
            self._palaver_guard.record(f"mechanism {nid}", e, kind="mechanism")
            self._palaver_ledger.count("n_mechanism_exceptions")
            return None
        if state.agreement is None:
            self._palaver_negotiator_failed(mechanism, state, nid)
            return None
        return self._palaver_resolution_contract(
            contract, issues, state.agreement, agenda.annotation
        )

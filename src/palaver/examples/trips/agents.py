"""Agents for the TripsWorld: the tutorial's ``Person`` base and two strategies."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from palaver.examples.trips.world import TripsAWI
from palaver.mechanisms import MechanismState, NegotiatorMechanismInterface
from palaver.negotiators import AspirationNegotiator, Negotiator
from palaver.world import Agent, Breach, Contract, RenegotiationRequest

__all__ = ["Person", "RandomPerson", "SmartPerson"]


class Person(Agent[TripsAWI], ABC):
    """The tutorial's base agent: three methods to write, quiet defaults for the rest."""

    @abstractmethod
    def step(self) -> None:
        """Act in a step (holiday season)."""

    @abstractmethod
    def init(self) -> None:
        """Prepare, once the AWI is available."""

    @abstractmethod
    def respond_to_negotiation_request(
        self, initiator: str, partners: list[str], mechanism: NegotiatorMechanismInterface
    ) -> Negotiator | None:
        """Return a negotiator to accept a trip negotiation, ``None`` to refuse."""

    def _respond_to_negotiation_request(
        self,
        initiator: str,
        partners: list[str],
        issues: list[Any],
        annotation: dict[str, Any],
        mechanism: NegotiatorMechanismInterface,
        role: str | None,
        req_id: str | None,
    ) -> Negotiator | None:
        return self.respond_to_negotiation_request(initiator, partners, mechanism)

    def on_neg_request_rejected(self, req_id: str, by: list[str] | None) -> None:
        """Ignored."""

    def on_neg_request_accepted(self, req_id: str, mechanism: NegotiatorMechanismInterface) -> None:
        """Ignored."""

    def on_negotiation_failure(
        self,
        partners: list[str],
        annotation: dict[str, Any],
        mechanism: NegotiatorMechanismInterface,
        state: MechanismState,
    ) -> None:
        """Ignored."""

    def on_negotiation_success(
        self, contract: Contract, mechanism: NegotiatorMechanismInterface
    ) -> None:
        """Ignored."""

    def set_renegotiation_agenda(
        self, contract: Contract, breaches: list[Breach]
    ) -> RenegotiationRequest | None:
        """Trips are not renegotiated."""
        return None

    def respond_to_renegotiation_request(
        self, contract: Contract, breaches: list[Breach], agenda: RenegotiationRequest
    ) -> Negotiator | None:
        """Trips are not renegotiated."""
        return None

    def on_contract_executed(self, contract: Contract) -> None:
        """Ignored."""

    def on_contract_breached(
        self, contract: Contract, breaches: list[Breach], resolution: Contract | None
    ) -> None:
        """Ignored."""


def _quota(awi: Any, n_partners: int) -> int:
    quota = awi.n_negs
    return n_partners if quota == float("inf") else int(quota)


class RandomPerson(Person):
    """Uses its whole quota every step, each request with one random partner; accepts all."""

    def init(self) -> None:
        """Nothing to prepare."""

    def step(self) -> None:
        """Request ``n_negs`` negotiations with random partners."""
        others = self.awi.agents
        if not others:
            return
        rng = self.awi.random
        for _ in range(_quota(self.awi, len(others))):
            partner = others[int(rng.integers(len(others)))]
            self.awi.request_negotiation([partner], AspirationNegotiator(ufun=self.ufun))

    def respond_to_negotiation_request(
        self, initiator: str, partners: list[str], mechanism: NegotiatorMechanismInterface
    ) -> Negotiator | None:
        """Accept every request."""
        return AspirationNegotiator(ufun=self.ufun)


class SmartPerson(Person):
    """Chooses partners by past success and avoids anyone who ever breached a trip with it.

    Each other agent gets a score ``(agreements + 1) / (negotiations + 2)``
    (unknown partners start at 1/2); requests go to partners drawn with
    probability proportional to that score, breachers excluded. Requests from
    breachers are refused.
    """

    def init(self) -> None:
        """Start with no history."""
        self.tried: dict[str, int] = {}
        self.agreed: dict[str, int] = {}
        self.breachers: set[str] = set()

    def _partners_of(self, partners: list[str]) -> list[str]:
        return [p for p in partners if p != self.id]

    def step(self) -> None:
        """Request ``n_negs`` negotiations with well-performing, trustworthy partners."""
        candidates = [a for a in self.awi.agents if a not in self.breachers]
        if not candidates:
            return
        rng = self.awi.random
        weights = [(self.agreed.get(a, 0) + 1) / (self.tried.get(a, 0) + 2) for a in candidates]
        total = sum(weights)
        probabilities = [w / total for w in weights]
        for _ in range(_quota(self.awi, len(candidates))):
            partner = candidates[int(rng.choice(len(candidates), p=probabilities))]
            self.awi.request_negotiation([partner], AspirationNegotiator(ufun=self.ufun))

    def respond_to_negotiation_request(
        self, initiator: str, partners: list[str], mechanism: NegotiatorMechanismInterface
    ) -> Negotiator | None:
        """Refuse anyone among the partners who breached before."""
        if any(p in self.breachers for p in partners):
            return None
        return AspirationNegotiator(ufun=self.ufun)

    def on_negotiation_failure(
        self,
        partners: list[str],
        annotation: dict[str, Any],
        mechanism: NegotiatorMechanismInterface,
        state: MechanismState,
    ) -> None:
        """Count a failed negotiation with each partner."""
        for p in self._partners_of(partners):
            self.tried[p] = self.tried.get(p, 0) + 1

    def on_negotiation_success(
        self, contract: Contract, mechanism: NegotiatorMechanismInterface
    ) -> None:
        """Count a successful negotiation with each partner."""
        for p in self._partners_of(list(contract.partners)):
            self.tried[p] = self.tried.get(p, 0) + 1
            self.agreed[p] = self.agreed.get(p, 0) + 1

    def on_contract_breached(
        self, contract: Contract, breaches: list[Breach], resolution: Contract | None
    ) -> None:
        """Remember who did not show up."""
        for b in breaches:
            if b.perpetrator != self.id:
                self.breachers.add(b.perpetrator)

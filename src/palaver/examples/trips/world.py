"""The TripsWorld of the world tutorial: people negotiating trips, some not showing up."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from typing import Any, cast

from palaver._util.checks import check_real
from palaver.negotiators import Negotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction, UtilityFunctionLike
from palaver.world import (
    Action,
    Agent,
    AgentWorldInterface,
    Breach,
    Contract,
    World,
    WorldParameterError,
    to_flat_dict,
)

__all__ = ["TripsAWI", "TripsWorld"]


class TripsAWI(AgentWorldInterface):
    """The TripsWorld's interface: a quota, the other agents, and a one-call request."""

    @property
    def n_negs(self) -> float:
        """Number of negotiations an agent can start in a step (holiday season)."""
        return self._world.neg_quota_step

    @property
    def agents(self) -> list[str]:
        """The ids of all other agents."""
        return [aid for aid in self._world.agents if aid != self.agent.id]

    def request_negotiation(self, partners: list[str], negotiator: Negotiator) -> bool:
        """Request a trip negotiation with ``partners`` (this agent is added to them)."""
        partners = list(partners)
        if self.agent.id not in partners:
            partners.append(self.agent.id)
        issues = cast("TripsWorld", self._world).ISSUES
        req_id = self.agent.create_negotiation_request(
            issues=issues,
            partners=partners,
            negotiator=negotiator,
            annotation={},
            extra={"negotiator_id": negotiator.id},
        )
        return self.request_negotiation_about(issues=issues, partners=partners, req_id=req_id)


class TripsWorld(World[TripsAWI, Agent[TripsAWI]]):
    """Agents agree on trips (cost, active, duration); a trip happens if everyone shows up.

    Each agent has a linear utility function and a probability of not showing
    up (breaching). Contracts signed in a step are executed in the next one.
    Unlike the tutorial's listing, every random draw uses the world's seeded
    generator (``self.rng``), so a run depends only on ``seed``.

    Accepts every ``World`` option; ``negotiation_quota_per_step`` defaults to 8,
    signing is forced and immediate.
    """

    ISSUES = [
        make_issue((0.0, 1.0), "cost"),
        make_issue(2, "active"),
        make_issue((1, 7), "duration"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        kwargs["awi_type"] = kwargs.get("awi_type", TripsAWI)
        kwargs["negotiation_quota_per_step"] = kwargs.get("negotiation_quota_per_step", 8)
        kwargs["force_signing"] = True
        kwargs["default_signing_delay"] = 0
        super().__init__(**kwargs)
        self._contracts: dict[int, list[Contract]] = defaultdict(list)
        self._total_utility: dict[str, float] = defaultdict(float)
        self._ufuns: dict[str, UtilityFunctionLike] = {}
        self._breach_prob: dict[str, float] = {}

    def join(
        self,
        x: Agent[TripsAWI],
        preferences: UtilityFunctionLike | None = None,
        breach_prob: float | None = None,
        **kwargs: Any,
    ) -> None:
        """Join ``x`` with its utility function and breach probability (random when absent).

        ``preferences`` must be a utility function
        (:class:`~palaver.preferences.UtilityFunctionLike`) and ``breach_prob`` a
        number in ``[0, 1]``; anything else raises :class:`WorldParameterError`
        before ``x`` joins.
        """
        if preferences is not None and not isinstance(preferences, UtilityFunctionLike):
            raise WorldParameterError(
                f"preferences={preferences!r} ({type(preferences).__name__}): must be a "
                "utility function (palaver.preferences.UtilityFunctionLike) or None"
            )
        if breach_prob is not None:
            breach_prob = check_real(
                "breach_prob",
                breach_prob,
                type_error=WorldParameterError,
                value_error=WorldParameterError,
            )
            if not 0.0 <= breach_prob <= 1.0:
                raise WorldParameterError(
                    f"breach_prob must be a probability in [0, 1] or None, got {breach_prob!r}"
                )
        super().join(x, **kwargs)
        if preferences is None:
            weights = self.rng.random(len(self.ISSUES)) - 0.5
            preferences = LinearUtilityFunction(weights, reserved_value=0.0)
        x.ufun = preferences
        self._ufuns[x.id] = preferences
        self._breach_prob[x.id] = (
            float(self.rng.random()) * 0.1 if breach_prob is None else breach_prob
        )

    def simulation_step(self, stage: int = 0) -> None:
        """Nothing happens in this world besides negotiations and trips."""

    def get_private_state(self, agent: Agent[TripsAWI]) -> dict[str, float]:
        """An agent knows its total utility so far."""
        return {"total_utility": self._total_utility[agent.id]}

    def execute_action(
        self,
        action: Action,
        agent: Agent[TripsAWI],
        callback: Callable[..., Any] | None = None,
    ) -> bool:
        """There are no actions in this world."""
        return False

    def on_contract_signed(self, contract: Contract) -> bool:
        """The trip takes place in the next step (holiday season)."""
        if not super().on_contract_signed(contract):
            return False
        self._contracts[self.current_step + 1].append(contract)
        return True

    def executable_contracts(self) -> Collection[Contract]:
        """The trips agreed in the previous step."""
        return self._contracts.get(self.current_step, [])

    def order_contracts_for_execution(
        self, contracts: Collection[Contract]
    ) -> Collection[Contract]:
        """A random order (seeded)."""
        ordered = list(contracts)
        return [ordered[i] for i in self.rng.permutation(len(ordered))]

    def start_contract_execution(self, contract: Contract) -> set[Breach] | None:
        """Each partner shows up with probability ``1 - breach_prob``; all must."""
        breaches = []
        for aid in contract.partners:
            if self.rng.random() < self._breach_prob[aid]:
                victims = [p for p in contract.partners if p != aid]
                breaches.append(Breach(contract, aid, "breach", victims=victims))
        if breaches:
            return set(breaches)
        for aid in contract.partners:
            self._total_utility[aid] += self._utility(aid, contract.agreement)
        return set()

    def complete_contract_execution(
        self, contract: Contract, breaches: list[Breach], resolution: Contract | None
    ) -> None:
        """A missed trip cannot be made up for."""

    def delete_executed_contracts(self) -> None:
        """Forget this step's trips."""
        self._contracts.pop(self.current_step, None)

    def contract_record(self, contract: Contract) -> dict[str, Any]:
        """The contract as a flat dict."""
        return to_flat_dict(contract)

    def breach_record(self, breach: Breach) -> dict[str, Any]:
        """The breach as a flat dict."""
        return to_flat_dict(breach)

    def contract_size(self, contract: Contract) -> float:
        """The welfare of a trip: the partners' summed utility."""
        if contract.agreement is None:
            return 0.0
        return sum(self._utility(aid, contract.agreement) for aid in contract.partners)

    def _utility(self, aid: str, agreement: dict[str, Any] | None) -> float:
        # A contract's agreement is keyed by issue name; a ufun (any
        # UtilityFunctionLike, not only Palaver's) takes the outcome tuple.
        ufun = self._ufuns[aid]
        if agreement is None:
            return float(ufun(None))
        return float(ufun(tuple(agreement[str(i.name)] for i in self.ISSUES)))

    def post_step_stats(self) -> None:
        """Track each agent's total utility."""
        for aid, agent in self.agents.items():
            self._stats[f"total_utility_{agent.name}"].append(self._total_utility[aid])

    def scores(self) -> dict[str, float]:
        """Each agent's total utility."""
        return {aid: float(self._total_utility[aid]) for aid in self.agents}

    @property
    def breach_probabilities(self) -> dict[str, float]:
        """Each agent's probability of not showing up."""
        return dict(self._breach_prob)

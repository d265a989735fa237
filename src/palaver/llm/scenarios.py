"""Scenarios of the LLM-negotiation literature and the metrics those papers report.

Written from the papers' descriptions, with numbers of our own:

- :func:`buy_sell`: one object, a seller with a cost and a buyer with a
  valuation bargain over the price (the buy/sell game of NegotiationArena,
  Bianchi et al., 2024).
- :func:`ultimatum`: a proposer offers the responder a share of a sum, which
  the responder takes or leaves, in one round (the ultimatum game used to
  probe fairness in LLMs, e.g. Aher et al., 2023).
- :func:`rental`: a landlord and a tenant settle rent, lease length, deposit
  and pets: distributive, compatible and integrative issues in one deal (the
  multi-issue structure of LAMEN, Davidson et al., 2024, and of
  LLM-Deliberation, Abdelnabi et al., 2024).

A scenario builds the mechanism (:meth:`LLMScenario.negotiation`), which
records a ``scenario`` event naming each negotiator's role, so
:func:`scenario_metrics` computes deal rate, own utility, advantage, welfare
and rounds from the events alone: a recording, or a list of bus events (the
metrics live in :mod:`palaver.llm.metrics` and are importable from here too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from palaver._util.checks import check_int
from palaver.events import EventBus
from palaver.llm.metrics import (
    SCENARIO_EVENT,
    NegotiationMetrics,
    ScenarioMetrics,
    scenario_metrics,
)
from palaver.mechanisms import SAOMechanism, SAOState, StateCallback
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearAdditiveUtilityFunction, UtilityFunction

__all__ = [
    "SCENARIO_EVENT",
    "LLMScenario",
    "NegotiationMetrics",
    "ScenarioMechanism",
    "ScenarioMetrics",
    "buy_sell",
    "rental",
    "scenario_metrics",
    "ultimatum",
]


@dataclass(frozen=True)
class LLMScenario:
    """A negotiation scenario: issues, roles, a utility function and a briefing per role.

    Attributes:
        name: Short name (recorded in the ``scenario`` event).
        outcome_space: The issues.
        roles: Role names in turn order (the first proposes first).
        ufuns: Role -> utility function.
        descriptions: Role -> the briefing an LLM negotiator gets (``{description}``).
        n_steps: Rounds before the negotiation ends without agreement.
        source: Where the scenario comes from.
    """

    name: str
    outcome_space: OutcomeSpace
    roles: tuple[str, ...]
    ufuns: Mapping[str, UtilityFunction]
    descriptions: Mapping[str, str]
    n_steps: int
    source: str = ""

    def __post_init__(self) -> None:
        if set(self.ufuns) != set(self.roles) or set(self.descriptions) != set(self.roles):
            raise ValueError(
                f"scenario {self.name!r}: ufuns and descriptions need exactly the roles "
                f"{list(self.roles)}"
            )

    def negotiation(
        self,
        negotiators: Mapping[str, Any],
        *,
        seed: int | None = None,
        bus: EventBus | None = None,
        **mechanism_params: Any,
    ) -> SAOMechanism:
        """An SAO mechanism with ``negotiators`` (role -> negotiator) added in turn order.

        Each negotiator gets its role's utility function and role name; an LLM
        negotiator without a description of its own gets its role's briefing.
        ``mechanism_params`` go to :class:`~palaver.mechanisms.SAOMechanism`.
        """
        if not isinstance(negotiators, Mapping):
            raise ValueError(
                f"scenario {self.name!r}: negotiators must map each role {list(self.roles)} "
                f"to a negotiator, got {negotiators!r}"
            )
        if set(negotiators) != set(self.roles):
            raise ValueError(
                f"scenario {self.name!r} needs one negotiator per role {list(self.roles)}, "
                f"got {sorted(negotiators)}"
            )
        mechanism = ScenarioMechanism(
            self,
            outcome_space=self.outcome_space,
            n_steps=mechanism_params.pop("n_steps", self.n_steps),
            seed=seed,
            bus=bus,
            **mechanism_params,
        )
        for role in self.roles:
            negotiator = negotiators[role]
            if getattr(negotiator, "description", None) == "":
                negotiator.description = self.descriptions[role]
            if not mechanism.add(negotiator, ufun=self.ufuns[role], role=role):
                raise ValueError(f"negotiator {negotiator!r} refused the role {role!r}")
        return mechanism


class ScenarioMechanism(SAOMechanism):
    """SAO that emits the ``scenario`` event (roles by negotiator id) before starting."""

    def __init__(self, scenario: LLMScenario, **params: Any) -> None:
        super().__init__(**params)
        self.scenario = scenario
        self._announced = False

    def _announce(self) -> None:
        if self._announced or self.state.started:
            return
        self._announced = True
        if self.bus.active:
            self.bus.emit(
                SCENARIO_EVENT,
                {
                    "scenario": self.scenario.name,
                    "roles": {n.id: n.role for n in self.negotiators},
                    "issues": list(self.outcome_space.issue_names),
                    "source": self.scenario.source,
                },
                negotiation_id=self.id,
            )

    def step(self, action: Mapping[str, Any] | None = None) -> SAOState:
        """Announce the scenario (once), then run one round (``action``: see ``Mechanism.step``)."""
        self._announce()
        return super().step(action)

    def run(
        self,
        timeout: float | None = None,
        start_callback: StateCallback | None = None,
        progress_callback: StateCallback | None = None,
        completion_callback: StateCallback | None = None,
    ) -> SAOState:
        """Announce the scenario (once), then run to the end (arguments: see ``Mechanism.run``)."""
        self._announce()
        return super().run(timeout, start_callback, progress_callback, completion_callback)


def _linear(role_values: Mapping[str, Any], reserved: float) -> LinearAdditiveUtilityFunction:
    return LinearAdditiveUtilityFunction(dict(role_values), reserved_value=reserved)


def buy_sell(
    seller_cost: int = 40, buyer_value: int = 60, max_price: int = 100, n_steps: int = 10
) -> LLMScenario:
    """The buy/sell game: a price in ``0..max_price``; profits are ``price - cost``
    for the seller and ``value - price`` for the buyer; no deal gives 0 to both."""
    for name, value in (
        ("seller_cost", seller_cost),
        ("buyer_value", buyer_value),
        ("max_price", max_price),
        ("n_steps", n_steps),
    ):
        check_int(
            f"buy_sell({name}=...)",
            value,
            minimum=1 if name in ("max_price", "n_steps") else 0,
            type_error=ValueError,
        )
    if not 0 <= seller_cost <= max_price or not 0 <= buyer_value <= max_price:
        raise ValueError(
            f"seller_cost and buyer_value must lie in 0..max_price={max_price}, got "
            f"{seller_cost} and {buyer_value}"
        )
    space = OutcomeSpace([make_issue((0, max_price), "price")])
    return LLMScenario(
        name="buy_sell",
        outcome_space=space,
        roles=("seller", "buyer"),
        ufuns={
            "seller": _linear({"price": lambda p: p - seller_cost}, 0.0),
            "buyer": _linear({"price": lambda p: buyer_value - p}, 0.0),
        },
        descriptions={
            "seller": (
                f"You are selling an object that cost you {seller_cost} dollars. Your utility "
                f"is your profit: the price minus {seller_cost}. Selling below cost loses money."
            ),
            "buyer": (
                f"You want to buy an object worth {buyer_value} dollars to you. Your utility is "
                f"{buyer_value} minus the price. Paying more than {buyer_value} loses money."
            ),
        },
        n_steps=n_steps,
        source="NegotiationArena buy/sell game (Bianchi et al., 2024), from its description",
    )


def ultimatum(total: int = 100) -> LLMScenario:
    """The ultimatum game: the proposer offers ``to_responder`` of ``total``; one round.

    The responder accepts (both get their shares) or rejects (both get 0; a
    counter-offer it makes is recorded but the round limit ends the game).
    """
    if isinstance(total, bool) or not isinstance(total, int) or total < 1:
        raise ValueError(f"total must be a positive int, got {total!r}")
    space = OutcomeSpace([make_issue((0, total), "to_responder")])
    return LLMScenario(
        name="ultimatum",
        outcome_space=space,
        roles=("proposer", "responder"),
        ufuns={
            "proposer": _linear({"to_responder": lambda x: total - x}, 0.0),
            "responder": _linear({"to_responder": lambda x: x}, 0.0),
        },
        descriptions={
            "proposer": (
                f"You split {total} dollars with the responder: you offer them an amount "
                f"and keep the rest. If they reject, both of you get nothing. One round only."
            ),
            "responder": (
                f"The proposer splits {total} dollars and offers you a share. Accept it and "
                f"you both get your shares; reject it and you both get nothing."
            ),
        },
        n_steps=1,
        source="Ultimatum game (Güth et al., 1982) as posed to LLMs (e.g. Aher et al., 2023)",
    )


def rental(n_steps: int = 8) -> LLMScenario:
    """A landlord and a tenant agree on rent, lease months, deposit and pets (scores 0..100).

    Rent is distributive (opposed), lease length compatible (both prefer a
    long lease), deposit and pets integrative (each matters more to one side).
    Reserved values: landlord 40, tenant 35.
    """
    check_int("rental(n_steps=...)", n_steps, minimum=1, type_error=ValueError)
    space = OutcomeSpace(
        [
            make_issue([1000, 1100, 1200, 1300, 1400], "rent"),
            make_issue([6, 12, 24], "lease_months"),
            make_issue([0, 1, 2], "deposit_months"),
            make_issue(["no", "yes"], "pets"),
        ]
    )
    landlord: dict[str, dict[Any, int]] = {
        "rent": {1000: 0, 1100: 10, 1200: 20, 1300: 30, 1400: 40},
        "lease_months": {6: 0, 12: 10, 24: 20},
        "deposit_months": {0: 0, 1: 8, 2: 10},
        "pets": {"no": 30, "yes": 25},
    }
    tenant: dict[str, dict[Any, int]] = {
        "rent": {1000: 40, 1100: 30, 1200: 20, 1300: 10, 1400: 0},
        "lease_months": {6: 0, 12: 8, 24: 15},
        "deposit_months": {0: 15, 1: 12, 2: 10},
        "pets": {"no": 0, "yes": 30},
    }

    def brief(scores: dict[str, dict[Any, int]], reserve: int) -> str:
        parts = "; ".join(
            f"{issue}: " + ", ".join(f"{v} -> {s}" for v, s in table.items())
            for issue, table in scores.items()
        )
        return (
            f"Your score is the sum of these points per issue: {parts}. "
            f"Without a deal you score {reserve}."
        )

    return LLMScenario(
        name="rental",
        outcome_space=space,
        roles=("landlord", "tenant"),
        ufuns={
            "landlord": _linear(landlord, 40.0),
            "tenant": _linear(tenant, 35.0),
        },
        descriptions={
            "landlord": "You rent out a flat. " + brief(landlord, 40),
            "tenant": "You want to rent a flat, and you own a dog. " + brief(tenant, 35),
        },
        n_steps=n_steps,
        source="multi-issue deal in the style of LAMEN (Davidson et al., 2024)",
    )

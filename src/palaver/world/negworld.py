"""Negotiators evaluated inside a world: NegMAS's ``Condition``, ``NegAgent`` and ``NegWorld``.

A :class:`Condition` is one negotiation setting: the issues, one utility
function per seat, the partner negotiator types sitting in every seat but
``index``, and the seat of the negotiator under evaluation. A
:class:`NegWorld` holds the competitors (negotiator types, each wrapped in a
:class:`NegAgent`) and the partners of one condition; in every step each
competitor negotiates once against fresh partner negotiators, and the world
records the utility each scored seat received. :func:`palaver.tournaments.neg_tournament`
runs many such worlds and ranks the competitors.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from palaver.world.agent import Agent
from palaver.world.awi import AgentWorldInterface
from palaver.world.contracts import Contract
from palaver.world.mixins import NoContractExecutionMixin
from palaver.world.world import World

__all__ = ["Condition", "NegAgent", "NegWorld", "negotiator_class"]


def negotiator_class(spec: Any) -> type:
    """A negotiator class from a class or its dotted name (``"palaver.negotiators.X"``)."""
    if isinstance(spec, type):
        return spec
    if not isinstance(spec, str) or "." not in spec:
        raise TypeError(f"a negotiator type must be a class or a dotted name; got {spec!r:.80}")
    module, _, name = spec.replace(":", ".").rpartition(".")
    value = getattr(importlib.import_module(module), name, None)
    if not isinstance(value, type):
        raise TypeError(f"{spec!r} names no class")
    return value


@dataclass
class Condition:
    """One negotiation setting in which a negotiator is evaluated (NegMAS's fields).

    ``ufuns`` has one utility function per seat; ``partner_types`` one type per
    seat but ``index`` (the evaluated negotiator's seat), in seat order;
    ``partner_params`` their constructor keywords; ``roles`` one per seat;
    ``annotation`` is given to every negotiation; ``scored_indices`` are the
    seats whose utilities are recorded (``None``: ``(index,)``).
    """

    name: str
    issues: Sequence[Any]
    ufuns: Sequence[Any]
    partner_types: Sequence[Any]
    index: int = 0
    partner_params: Sequence[dict[str, Any] | None] | None = None
    roles: Sequence[str] | None = None
    annotation: dict[str, Any] | None = None
    scored_indices: Sequence[int] | None = None

    def __post_init__(self) -> None:
        n = len(self.ufuns)
        if len(self.partner_types) != n - 1:
            raise ValueError(
                f"condition {self.name!r}: {n} utility functions need {n - 1} partner "
                f"types (one per seat but the evaluated one); got {len(self.partner_types)}"
            )
        if not 0 <= self.index < n:
            raise ValueError(
                f"condition {self.name!r}: index {self.index} is not a seat 0..{n - 1}"
            )
        if self.partner_params is not None and len(self.partner_params) != n - 1:
            raise ValueError(
                f"condition {self.name!r}: partner_params needs one entry per partner type "
                f"({n - 1}); got {len(self.partner_params)}"
            )
        for seat in self.scored_indices or ():
            if not 0 <= seat < n:
                raise ValueError(f"condition {self.name!r}: scored seat {seat} is not 0..{n - 1}")


class NegAgent(Agent[Any]):
    """An agent that stands for one negotiator type: it answers every request with a new
    negotiator of that type, given the utility function of its seat."""

    def __init__(
        self,
        *args: Any,
        negotiator_type: str | type,
        negotiator_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._negotiator_type = negotiator_class(negotiator_type)
        self._negotiator_params = dict(negotiator_params or {})

    @property
    def negotiator_type(self) -> type:
        """The negotiator class this agent stands for."""
        return self._negotiator_type

    @property
    def type_name(self) -> str:
        """The negotiator's full type name (``module.Class``), as NegMAS names a NegAgent."""
        cls = self._negotiator_type
        return f"{cls.__module__}.{cls.__name__}"

    @property
    def short_type_name(self) -> str:
        """The negotiator's class name without ``Negotiator`` and ``Agent``."""
        return self._negotiator_type.__name__.replace("Negotiator", "").replace("Agent", "")

    def make_negotiator(self, preferences: Any = None) -> Any:
        """A new negotiator of this agent's type with the given utility function."""
        return self._negotiator_type(ufun=preferences, **self._negotiator_params)

    def respond_to_negotiation_request(
        self, initiator: str, partners: list[str], mechanism: Any
    ) -> Any:
        """Accept every request, with a negotiator holding this seat's utility function."""
        awi = self.awi
        assert isinstance(awi, NegAWI)
        return self.make_negotiator(awi.get_preferences(list(partners).index(self.id)))


class NegAWI(AgentWorldInterface):
    """The AWI of a :class:`NegWorld`: it gives each seat's utility function."""

    def get_preferences(self, uid: int) -> Any:
        """The utility function of seat ``uid`` of the world's condition."""
        world = self._world
        assert isinstance(world, NegWorld)
        return world.scenario.ufuns[uid]


class NegWorld(NoContractExecutionMixin, World[Any, Any]):
    """A world that evaluates negotiator types in one :class:`Condition` (NegMAS's).

    ``types`` (negotiator classes, their dotted names, or :class:`NegAgent`
    subclasses) and ``params`` (their constructor keywords) are the
    competitors; agents joined later that are :class:`NegAgent`s compete too
    (so a Palaver tournament may join them). Each step, every competitor
    negotiates once in the condition's seat ``index`` against one negotiator
    of each partner type, and the utility of each scored seat is recorded
    (the reserved value without agreement). ``normalize_scores`` maps each
    utility into ``[0, 1]`` by its function's range. ``scores()`` gives each
    competitor's mean received utility. ``compact`` and ``no_logs`` are
    NegMAS's: the first keeps no cancelled contracts nor resolved breaches,
    the second writes no log file.
    """

    def __init__(
        self,
        *args: Any,
        scenario: Condition,
        types: Sequence[Any] = (),
        params: Sequence[dict[str, Any] | None] | None = None,
        agent_names_reveal_type: bool = True,
        compact: bool = False,
        no_logs: bool = False,
        normalize_scores: bool = False,
        **kwargs: Any,
    ) -> None:
        if not isinstance(scenario, Condition):
            raise TypeError(f"NegWorld: scenario must be a Condition; got {scenario!r:.80}")
        if no_logs:
            kwargs["no_logs"] = True
        if compact:
            kwargs.setdefault("save_cancelled_contracts", False)
            kwargs.setdefault("save_resolved_breaches", False)
        kwargs.setdefault("save_negotiations", True)
        kwargs["awi_type"] = NegAWI
        super().__init__(*args, **kwargs)
        self.compact = compact
        self.scenario = scenario
        self.info.update(scenario=scenario.name, n_negotiators=len(scenario.ufuns))
        self.info["n_steps"] = self.n_steps
        self._reveal = agent_names_reveal_type
        self._normalize = normalize_scores
        self._ranges = [u.minmax() for u in scenario.ufuns] if normalize_scores else []
        self._competitors: dict[str, NegAgent] = {}
        self._partners: dict[str, NegAgent] = {}
        self._adding_partners = False
        self._received: defaultdict[str, list[float]] = defaultdict(list)
        self._partner_utility: defaultdict[str, list[float]] = defaultdict(list)
        self._advantage: defaultdict[str, list[float]] = defaultdict(list)
        self._partner_advantage: defaultdict[str, list[float]] = defaultdict(list)
        self._agreed: defaultdict[str, list[int]] = defaultdict(list)
        params = list(params) if params is not None else [None] * len(types)
        if len(params) != len(types):
            raise ValueError(f"NegWorld: {len(types)} types but {len(params)} params")
        for t, p in zip(types, params, strict=True):
            self.join(self._wrap(t, p, NegAgent))
        partner_params = scenario.partner_params or [None] * len(scenario.partner_types)
        self._adding_partners = True
        try:
            for t, p in zip(scenario.partner_types, partner_params, strict=True):
                self.join(self._wrap(t, p, _NegPartner))
        finally:
            self._adding_partners = False

    def _wrap(self, spec: Any, params: dict[str, Any] | None, wrapper: type[NegAgent]) -> NegAgent:
        params = dict(params or {})
        cls = negotiator_class(spec)
        if issubclass(cls, NegAgent):
            agent = cls(**params)
        else:
            name = params.pop("name", None)
            agent = wrapper(negotiator_type=cls, negotiator_params=params, name=name)
        if self._reveal:
            agent.id = self._free_id(agent.short_type_name)
            agent.name = agent.id
        return agent

    def _free_id(self, base: str) -> str:
        # Two competitors of one type, or a partner of a competitor's type,
        # would otherwise share an id, which a world refuses.
        candidate, k = base, 1
        while candidate in self.agents:
            candidate, k = f"{base}-{k}", k + 1
        return candidate

    def join(self, x: Any, *, simulation_priority: int = 0, **kwargs: Any) -> None:
        """Add an agent; a :class:`NegAgent` added from outside is a competitor."""
        super().join(x, simulation_priority=simulation_priority, **kwargs)
        if isinstance(x, NegAgent):
            (self._partners if self._adding_partners else self._competitors)[x.id] = x

    @property
    def competitors(self) -> dict[str, NegAgent]:
        """The agents under evaluation, by id."""
        return self._competitors

    @property
    def partners(self) -> dict[str, NegAgent]:
        """The partner agents, by id."""
        return self._partners

    def _scale(self, value: float, seat: int) -> float:
        if not self._normalize:
            return value
        low, high = self._ranges[seat]
        return (value - low) / (high - low) if high > low else value / high if high else value

    def _utility(self, seat: int, agreement: Any) -> float:
        ufun = self.scenario.ufuns[seat]
        raw = ufun.reserved_value if agreement is None else ufun(agreement)
        return self._scale(float(raw), seat)

    def simulation_step(self, stage: int = 0) -> None:
        """Each competitor negotiates once in its seat against the partners."""
        scenario = self.scenario
        scored = list(scenario.scored_indices or (scenario.index,))
        for aid, agent in self._competitors.items():
            seats = list(self._partners)
            seats.insert(scenario.index, aid)
            ufun = scenario.ufuns[scenario.index]
            _, nmi = self.run_negotiation(
                caller=agent,
                issues=list(scenario.issues),
                partners=seats,
                negotiator=agent.make_negotiator(ufun),
                roles=list(scenario.roles) if scenario.roles is not None else None,
                annotation=dict(scenario.annotation or {}),
            )
            agreement = nmi.state.agreement if nmi is not None else None
            for seat in scored:
                holder = seats[seat]
                received = self._utility(seat, agreement)
                reserved = self._scale(float(scenario.ufuns[seat].reserved_value), seat)
                others = [s for s in range(len(seats)) if s != seat]
                self._received[holder].append(received)
                self._advantage[holder].append(received - reserved)
                self._agreed[holder].append(int(agreement is not None))
                self._partner_utility[holder].append(
                    sum(self._utility(s, agreement) for s in others)
                )
                self._partner_advantage[holder].append(
                    sum(
                        self._utility(s, agreement)
                        - self._scale(float(scenario.ufuns[s].reserved_value), s)
                        for s in others
                    )
                )

    @staticmethod
    def _mean(values: list[float] | list[int]) -> float:
        return sum(values) / len(values) if values else float("nan")

    def received_utility(self, aid: str) -> float:
        """Mean utility ``aid`` received over its negotiations (NaN before any)."""
        return self._mean(self._received.get(aid, []))

    def received_advantage(self, aid: str) -> float:
        """Mean utility above its reserved value that ``aid`` received."""
        return self._mean(self._advantage.get(aid, []))

    def partner_utility(self, aid: str) -> float:
        """Mean summed utility of ``aid``'s partners."""
        return self._mean(self._partner_utility.get(aid, []))

    def partner_advantage(self, aid: str) -> float:
        """Mean summed utility above their reserved values of ``aid``'s partners."""
        return self._mean(self._partner_advantage.get(aid, []))

    # NegMAS's NegWorld replaces the World's agreement_rate property by this method too.
    def agreement_rate(self, aid: str) -> float:  # type: ignore[override]
        """Share of ``aid``'s negotiations that ended in an agreement."""
        return self._mean(self._agreed.get(aid, []))

    def scores(self) -> dict[str, float]:
        """Each competitor's mean received utility."""
        return {aid: self.received_utility(aid) for aid in self._competitors}

    def post_step_stats(self) -> None:
        """Per competitor: the step's agreement, utilities and advantages."""
        for aid in self._competitors:
            agreed = self._agreed[aid][-1] if self._agreed[aid] else 0
            self._stats[f"has_agreement_{aid}"].append(bool(agreed))
            self._stats[f"agreement_rate_{aid}"].append(agreed)
            for key, series in (
                ("received_utility", self._received),
                ("partner_utility", self._partner_utility),
                ("received_advantage", self._advantage),
                ("partner_advantage", self._partner_advantage),
            ):
                values = series[aid]
                self._stats[f"{key}_{aid}"].append(values[-1] if values else float("nan"))

    def contract_size(self, contract: Contract) -> float:
        """Each contract weighs one over the number of competitors."""
        return 1.0 / max(len(self._competitors), 1)

    def execute_action(self, action: Any, agent: Any, callback: Any = None) -> bool:
        """A NegWorld has no actions."""
        return False

    def get_private_state(self, agent: Any) -> dict[str, Any]:
        """Nothing is private in a NegWorld."""
        return {}


class _NegPartner(NegAgent):
    """A partner: a :class:`NegAgent` that is not evaluated."""

"""The metrics the LLM-negotiation papers report, computed from a negotiation's events.

Deal rate, own utility, advantage, welfare and rounds of the negotiations of
one :class:`~palaver.llm.scenarios.LLMScenario`, read from bus events, a
recording's events or plain dicts: a scenario's negotiation emits a
``scenario`` event naming each negotiator's role, and ``negotiation_ended``
gives the agreement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from palaver.llm.types import Outcome

if TYPE_CHECKING:
    from palaver.llm.scenarios import LLMScenario

__all__ = ["SCENARIO_EVENT", "NegotiationMetrics", "ScenarioMetrics", "scenario_metrics"]

#: The event a scenario's negotiation emits before it starts.
SCENARIO_EVENT = "scenario"


@dataclass(frozen=True, slots=True)
class NegotiationMetrics:
    """One negotiation of a scenario, as read from its events."""

    negotiation_id: str
    negotiators: dict[str, str]
    deal: bool
    agreement: Outcome | None
    rounds: int
    result: str
    utilities: dict[str, float]

    @property
    def welfare(self) -> float:
        """The sum of the parties' utilities."""
        return sum(self.utilities.values())

    def advantage(self, role: str) -> float:
        """``role``'s utility minus the mean utility of the other roles."""
        others = [u for r, u in self.utilities.items() if r != role]
        return self.utilities[role] - sum(others) / len(others)


@dataclass(frozen=True, slots=True)
class ScenarioMetrics:
    """The metrics of many negotiations of one scenario.

    Attributes:
        negotiations: One :class:`NegotiationMetrics` per finished negotiation.
        deal_rate: Share of negotiations that ended with an agreement.
        mean_rounds: Mean number of rounds played.
        own_utility: Role -> mean utility (the reserved value without a deal).
        advantage: Role -> mean of its utility minus the others' mean.
        welfare: Mean sum of utilities.
    """

    negotiations: list[NegotiationMetrics]
    deal_rate: float
    mean_rounds: float
    own_utility: dict[str, float] = field(default_factory=dict)
    advantage: dict[str, float] = field(default_factory=dict)
    welfare: float = 0.0


def _normalise(events: Iterable[Any]) -> Iterable[tuple[str, str | None, Mapping[str, Any]]]:
    for event in events:
        if hasattr(event, "payload"):  # a bus Event
            yield str(event.type), event.negotiation_id, event.payload
        elif hasattr(event, "content"):  # a recorded SimulationEvent
            meta = event.metadata or {}
            yield str(event.event_type), meta.get("negotiation_id"), event.content
        elif isinstance(event, Mapping):
            yield (
                str(event.get("event_type", event.get("type"))),
                event.get("negotiation_id"),
                event.get("content", event.get("payload", {})),
            )
        else:
            raise TypeError(f"not an event: {event!r}")


def scenario_metrics(events: Iterable[Any], scenario: LLMScenario) -> ScenarioMetrics:
    """Deal rate, own utility, advantage, welfare and rounds of ``scenario``'s negotiations.

    ``events`` are bus events (a ``ListSink``'s), a recording's events
    (``reader.get_events_by_type(...)`` or ``reader.events``), or dicts with
    ``event_type``/``content``/``negotiation_id``. Negotiations are those with
    a ``scenario`` event of this scenario's name and a ``negotiation_ended``.
    """
    from palaver.llm.scenarios import LLMScenario

    if not isinstance(scenario, LLMScenario):
        raise ValueError(f"scenario_metrics(scenario=...) must be an LLMScenario, got {scenario!r}")
    if isinstance(events, str | bytes) or not isinstance(events, Iterable):
        raise ValueError(
            f"scenario_metrics(events=...) must be an iterable of events, got {events!r}"
        )
    roles: dict[str, dict[str, str]] = {}
    ended: dict[str, Mapping[str, Any]] = {}
    for etype, nid, payload in _normalise(events):
        if nid is None:
            continue
        if etype == SCENARIO_EVENT and payload.get("scenario") == scenario.name:
            roles[nid] = {role: negotiator for negotiator, role in payload["roles"].items()}
        elif etype == "negotiation_ended":
            ended[nid] = payload
    rows: list[NegotiationMetrics] = []
    for nid, by_role in roles.items():
        end = ended.get(nid)
        if end is None:
            continue
        agreement = tuple(end["agreement"]) if end.get("agreement") is not None else None
        utilities = {
            role: float(
                scenario.ufuns[role](agreement)
                if agreement is not None
                else scenario.ufuns[role].reserved_value
            )
            for role in scenario.roles
        }
        rows.append(
            NegotiationMetrics(
                nid,
                by_role,
                agreement is not None,
                agreement,
                int(end.get("rounds", 0)),
                str(end.get("result")),
                utilities,
            )
        )
    n = len(rows)
    if n == 0:
        return ScenarioMetrics([], 0.0, 0.0)
    return ScenarioMetrics(
        negotiations=rows,
        deal_rate=sum(r.deal for r in rows) / n,
        mean_rounds=sum(r.rounds for r in rows) / n,
        own_utility={role: sum(r.utilities[role] for r in rows) / n for role in scenario.roles},
        advantage={role: sum(r.advantage(role) for r in rows) / n for role in scenario.roles},
        welfare=sum(r.welfare for r in rows) / n,
    )

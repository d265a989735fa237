"""The TripsWorld agent both sides of Workload 2 run: one source, two frameworks.

:func:`random_person_class` builds the agent on a framework's ``Person`` base
and ``AspirationNegotiator``, so NegMAS and Palaver run literally the same agent
code. Each step the agent uses its whole quota, one request per negotiation
with one partner drawn uniformly from the other agents by its own seeded
``random.Random``; it accepts every request. A shared :class:`Tally` counts
every negotiation once (by mechanism id) with its rounds and result; one that
never started (Palaver cancels the requests still open when the run ends, where
NegMAS drops them silently) is counted apart, as ``cancelled``.
"""

from __future__ import annotations

import random
from typing import Any

from common import summarize_negotiations


class Tally:
    """Negotiation outcomes seen by the agents, one entry per mechanism id."""

    def __init__(self) -> None:
        self.results: dict[str, tuple[int, bool]] = {}
        self.cancelled: set[str] = set()
        self.requests = 0
        self.requests_refused = 0

    def add(self, mechanism: Any, rounds: int, agreed: bool) -> None:
        """Record a finished negotiation (both partners report it; the first wins)."""
        self.results.setdefault(str(mechanism.id), (int(rounds), agreed))

    def add_failure(self, mechanism: Any, state: Any) -> None:
        """Record a negotiation that ended without agreement, or never started."""
        if getattr(state, "started", True):
            self.add(mechanism, state.step, False)
        else:
            self.cancelled.add(str(mechanism.id))

    def summary(self) -> dict[str, Any]:
        """Counts, agreement rate and mean rounds over every negotiation seen."""
        rounds = [r for r, _ in self.results.values()]
        agreements = sum(1 for _, ok in self.results.values() if ok)
        return {
            "requests": self.requests,
            "requests_refused": self.requests_refused,
            "cancelled": len(self.cancelled),
            "failed_within_2_rounds": sum(
                1 for r, ok in self.results.values() if r <= 2 and not ok
            ),
            **summarize_negotiations(rounds, agreements),
        }


def random_person_class(person: type, negotiator: type) -> type:
    """A random-partner agent class on the given ``Person`` base and negotiator type."""

    class RandomPerson(person):  # type: ignore[misc, valid-type]
        """Uses its full quota with random partners and accepts every request."""

        tally: Tally
        chooser: random.Random

        def init(self) -> None:
            """Nothing to prepare."""

        def step(self) -> None:
            """Request ``n_negs`` negotiations, each with one random partner."""
            others = list(self.awi.agents)
            if not others:
                return
            for _ in range(self.awi.n_negs):
                partner = self.chooser.choice(others)
                self.tally.requests += 1
                if not self.awi.request_negotiation([partner], negotiator(ufun=self.ufun)):
                    self.tally.requests_refused += 1

        def respond_to_negotiation_request(
            self, initiator: str, partners: list[str], mechanism: Any
        ) -> Any:
            """Accept every request with a fresh aspiration negotiator."""
            return negotiator(ufun=self.ufun)

        def on_negotiation_success(self, contract: Any, mechanism: Any) -> None:
            """Count an agreement."""
            self.tally.add(mechanism, mechanism.state.step, True)

        def on_negotiation_failure(
            self, partners: list[str], annotation: dict[str, Any], mechanism: Any, state: Any
        ) -> None:
            """Count a failure (or a cancellation)."""
            self.tally.add_failure(mechanism, state)

    return RandomPerson


def make_agents(cls: type, n: int, seed: int, tally: Tally) -> list[Any]:
    """``n`` agents named ``p000``... each with its own partner chooser derived from ``seed``."""
    agents = []
    for i in range(n):
        agent = cls(name=f"p{i:03d}")
        agent.tally = tally
        agent.chooser = random.Random(seed * 100_003 + i)
        agents.append(agent)
    return agents

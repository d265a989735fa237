"""NegMAS's genetic-algorithm mechanism: a population of outcomes bred towards
the outcomes no other outcome of the population beats for every negotiator.

The negotiators only rank outcomes (``sort(outcomes, descending=True)``, as
:class:`~palaver.negotiators.SorterNegotiator` does); the mechanism never
reaches an agreement, it runs its rounds and times out, leaving the
non-dominated outcomes of the last generation in ``state.dominant_outcomes``.
It is written as NegMAS writes mechanisms (``__call__`` returning a
:class:`~palaver.mechanisms.MechanismStepResult`), on Palaver's base, which
counts the rounds, applies the limits and emits the start and end events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver._util.checks import check_real
from palaver.mechanisms.base import Mechanism
from palaver.mechanisms.state import MechanismState
from palaver.mechanisms.step_result import MechanismStepResult
from palaver.outcomes import Outcome

__all__ = ["GAMechanism", "GAState"]

_BREEDER_KEY = (3,)
"""Spawn key of the breeding generator, apart from the negotiators' streams."""


@dataclass(slots=True)
class GAState(MechanismState):
    """The state of a :class:`GAMechanism`: ``dominant_outcomes``, the outcomes of
    the population that no other outcome beats for every negotiator."""

    dominant_outcomes: list[Outcome] = field(default_factory=list)


class GAMechanism(Mechanism):
    """NegMAS's ``GAMechanism``: each round ranks the population, keeps its
    non-dominated outcomes and breeds the next generation from them.

    A round: every negotiator sorts the population's distinct outcomes, best
    first (its rank of an outcome is its position); an outcome is dominated
    when another one ranks better for every negotiator; the non-dominated ones
    (``dominant_outcomes``) stay, and the population is filled up to
    ``n_population`` with children: a uniform crossover of two dominant
    outcomes (each issue's value from either) with probability ``1 -
    mutate_rate`` when there are two, otherwise a dominant outcome crossed
    with a fresh random outcome (a mutation).

    Unlike NegMAS, every draw comes from the mechanism's seed (the same
    ``seed``, the same run). Takes the base :class:`Mechanism` arguments
    (``outcomes=``, ``issues=``, ``n_steps=``, ``seed=``, ...).

    Args:
        n_population: Outcomes in each generation (an int >= 1).
        mutate_rate: Probability of a mutation instead of a crossover, in [0, 1].
    """

    state_type = GAState
    #: A negotiator must also rank outcomes (``sort``), as a ``SorterNegotiator`` does.
    negotiator_needs = (*Mechanism.negotiator_needs, "sort")

    def __init__(
        self, *args: Any, n_population: int = 100, mutate_rate: float = 0.1, **kwargs: Any
    ) -> None:
        if isinstance(n_population, bool) or not isinstance(n_population, int) or n_population < 1:
            raise ValueError(f"n_population must be an int >= 1, got {n_population!r}")
        rate = check_real("mutate_rate", mutate_rate)
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"mutate_rate must be in [0, 1], got {mutate_rate!r}")
        super().__init__(*args, **kwargs)
        self.n_population = n_population
        self.mutate_rate = rate
        self._breeder = np.random.default_rng(
            np.random.SeedSequence(self._seed, spawn_key=_BREEDER_KEY)
        )
        self.population: list[Outcome] = self.generate(n_population)
        #: The non-dominated outcomes of the population (the state holds the same list).
        self.dominant_outcomes: list[Outcome] = list(self.population)
        self._state.dominant_outcomes = self.dominant_outcomes
        #: Each negotiator's rank (0: best) of each outcome of the population.
        self.ranks: dict[Outcome, dict[Any, int]] = {}

    if TYPE_CHECKING:
        _state: GAState

    @property
    def state(self) -> GAState:
        """The live state object (mutated in place; ``state.copy()`` for a snapshot)."""
        return self._state

    def generate(self, n: int) -> list[Outcome]:
        """``n`` random outcomes (from the mechanism's seed)."""
        return self.random_outcomes(n)

    def crossover(self, first: Outcome, second: Outcome) -> Outcome:
        """Uniform crossover: each issue's value from ``first`` or ``second``, evenly."""
        picks = self._breeder.integers(0, 2, size=len(first))
        return tuple(b if pick else a for a, b, pick in zip(first, second, picks, strict=True))

    def mutate(self, outcome: Outcome) -> Outcome:
        """``outcome`` crossed with a fresh random outcome."""
        return self.crossover(outcome, self.generate(1)[0])

    def select(self, outcomes: list[Outcome]) -> list[Outcome]:
        """The parents of the next generation: the dominant outcomes."""
        return self.dominant_outcomes

    def next_generation(self, parents: list[Outcome]) -> list[Outcome]:
        """``parents`` and their children, ``n_population`` outcomes in all."""
        dominant = self.dominant_outcomes
        self.population = list(parents)
        for _ in range(self.n_population - len(dominant)):
            if self._breeder.random() > self.mutate_rate and len(dominant) >= 2:
                a, b = self._breeder.choice(len(dominant), size=2, replace=False)
                self.population.append(self.crossover(dominant[a], dominant[b]))
            else:
                pick = int(self._breeder.integers(len(dominant)))
                self.population.append(self.mutate(dominant[pick]))
        return self.population

    def update_ranks(self) -> None:
        """Ask every negotiator to sort the population's distinct outcomes.

        A ``sort`` that raises, or adds, drops or repeats an outcome (which left
        ranks missing, a bare ``KeyError`` later), is recorded as that
        negotiator's failure and ends the negotiation (``state.has_error``).
        """
        distinct = list(dict.fromkeys(self.population))
        self.ranks = {outcome: {} for outcome in distinct}
        for negotiator in self.negotiators:
            ordered = list(distinct)
            try:
                negotiator.sort(ordered, descending=True)
            except Exception as exc:
                self._negotiator_failed(negotiator, "sort", exc)
                return
            if len(ordered) != len(distinct) or set(ordered) != set(distinct):
                problem = ValueError(
                    f"sort() must reorder the {len(distinct)} outcomes it is given in place; "
                    f"it left {len(ordered)} outcomes, {len(set(ordered) & set(distinct))} of "
                    "them distinct ones it was given"
                )
                self._negotiator_failed(negotiator, "sort", problem)
                return
            for rank, outcome in enumerate(ordered):
                self.ranks[outcome][negotiator.id] = rank

    def update_dominant_outcomes(self) -> None:
        """Keep the outcomes that no other outcome ranks better for every negotiator."""
        ids = [negotiator.id for negotiator in self.negotiators]
        ranks = self.ranks
        self.dominant_outcomes.clear()
        for target, mine in ranks.items():
            beaten = any(
                other is not target and all(theirs[i] <= mine[i] for i in ids)
                for other, theirs in ranks.items()
            )
            if not beaten:
                self.dominant_outcomes.append(target)
        self._state.dominant_outcomes = self.dominant_outcomes

    def __call__(self, state: GAState, action: Any = None) -> MechanismStepResult[GAState]:
        """One generation: rank, keep the dominant outcomes, breed."""
        self.update_ranks()
        if self._state.has_error:  # a negotiator's sort failed: the state says so
            return MechanismStepResult(state)
        self.update_dominant_outcomes()
        self.next_generation(self.select(self.population))
        return MechanismStepResult(state)

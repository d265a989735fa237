"""A Monte-Carlo search inverter for any utility function.

:class:`MCTSInverseUtilityFunction` needs nothing of the ufun but its values:
it fixes one issue at a time. At each issue, every value is tried with random
completions of the issues still open (rollouts, evaluated together by one
``eval_many``), the value whose best rollout came nearest the target utility is
kept, and the search goes on to the next issue. Every rollout is a candidate
answer (checked against the range asked, see
:mod:`palaver.preferences.inverse_constructive`), so answers are diverse; the
search costs ``n_simulations`` evaluations per query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from palaver.outcomes import DEFAULT_LEVELS, Outcome, OutcomeSpace, OutcomeSpaceError
from palaver.preferences.inverse_constructive import ConstructiveInverter, Toward, positive_int
from palaver.preferences.inverse_rules import _number
from palaver.preferences.protocol import checked_ranked_utilities

if TYPE_CHECKING:
    from palaver.preferences.base import UtilityFunction

__all__ = ["MCTSInverseUtilityFunction"]


class MCTSInverseUtilityFunction(ConstructiveInverter):
    """Monte-Carlo search over issue values, one issue fixed at a time.

    Args:
        ufun: The utility function to invert (any kind, with an outcome space).
        n_simulations: Rollouts (ufun evaluations) per query, spread evenly
            over the issues and, within an issue, over its values (at least
            one each).
        c_ucb: NegMAS's UCB1 exploration constant, checked (> 0) and kept for
            its signature: rollouts are spread evenly rather than by UCB1.
        max_ranking_outcomes: A space of at most this many outcomes has its
            extremes (``min``, ``max``, ``best``, ``worst``) found exactly by
            the ufun; a larger one takes them from ``n_simulations`` random
            outcomes of the discretized space.
        continuous_levels: Values per continuous issue.
        seed: Draw from ``random.Random(seed)`` instead of the global ``random``.
    """

    def __init__(
        self,
        ufun: UtilityFunction,
        n_simulations: int = 200,
        c_ucb: float = 1.41421356,
        max_ranking_outcomes: int = 20_000,
        continuous_levels: int = DEFAULT_LEVELS,
        seed: int | None = None,
    ) -> None:
        super().__init__(ufun, 50, continuous_levels, seed)
        self.n_simulations = positive_int("n_simulations", n_simulations)
        self.c_ucb = _number("c_ucb", c_ucb)
        if self.c_ucb <= 0:
            raise ValueError(f"c_ucb must be > 0, got {c_ucb!r}")
        self.max_ranking_outcomes = positive_int("max_ranking_outcomes", max_ranking_outcomes)

    def _prepare(self, space: OutcomeSpace) -> tuple[Outcome, Outcome]:
        if space.cardinality <= self.max_ranking_outcomes:
            try:
                return self._ufun.extreme_outcomes()
            except (ValueError, OutcomeSpaceError):
                pass  # a ufun that cannot tell: a sample's extremes below
        generator = self._generator()
        chosen = np.column_stack(
            [generator.integers(len(vs), size=self.n_simulations) for vs in self._values]
        )
        outcomes = self._outcomes(chosen)
        utils = checked_ranked_utilities(self._ufun.eval_many(outcomes), self._ufun, outcomes)
        return outcomes[int(np.argmin(utils))], outcomes[int(np.argmax(utils))]

    def _candidates(
        self, low: float, high: float, count: int, toward: Toward
    ) -> tuple[list[Outcome], np.ndarray | None]:
        generator = self._generator()
        if toward == "any":
            target = float(generator.uniform(low, high)) if high > low else low
        else:
            target = high if toward == "high" else low
        sizes = [len(vs) for vs in self._values]
        per_issue = max(1, self.n_simulations // len(sizes))
        fixed: list[int] = []
        outcomes: list[Outcome] = []
        utils: list[np.ndarray] = []
        for j, size in enumerate(sizes):
            repeats = max(1, per_issue // size)
            rows = size * repeats
            chosen = np.empty((rows, len(sizes)), np.int64)
            chosen[:, :j] = fixed
            chosen[:, j] = np.repeat(np.arange(size), repeats)
            for k in range(j + 1, len(sizes)):
                chosen[:, k] = generator.integers(sizes[k], size=rows)
            batch = self._outcomes(chosen)
            u = np.asarray(self._ufun.eval_many(batch), dtype=float)
            outcomes += batch
            utils.append(u)
            closest = np.abs(u - target).reshape(size, repeats).min(axis=1)
            fixed.append(int(np.argmin(closest)))
            if toward == "any" and np.count_nonzero((u >= low) & (u <= high)) >= count:
                break  # enough answers already: the rest of the search would only refine
        return outcomes, np.concatenate(utils)

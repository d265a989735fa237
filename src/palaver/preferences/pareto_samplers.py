"""NegMAS's Pareto samplers: outcomes on the Pareto frontier of one's own and an
opponent's utility function, for trade-off queries.

A sampler is built with its settings only, then given the two utility
functions by :meth:`~BaseParetoSampler.init` (again whenever they change),
which computes the frontier. Queries:

- ``pareto_outcomes(n=None, *, min_util=0.0, normalized=False, opponent_ufun=None)``:
  the frontier's outcomes worth at least ``min_util`` to oneself (with
  ``normalized``, a fraction of one's range: 0 the worst outcome, 1 the best),
  in decreasing order of one's own utility, at most ``n``;
- ``best_for_opponent(*, min_util, normalized=False, opponent_ufun=None)``:
  of those, the one the opponent values most (``None`` when there is none).

Without an opponent utility function a sampler stays uninitialized and its
queries give ``[]`` and ``None``; ``opponent_ufun=`` to a query initializes it.
:class:`BruteForceParetoSampler` evaluates every outcome (or a sample of at
most ``max_cardinality``, continuous issues on a grid) and works with any
utility functions; the samplers exploiting additive utility functions are in
:mod:`palaver.preferences.additive_pareto`; :class:`AdaptiveParetoSampler`
(NegMAS's default) picks one by the size of the space.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, Protocol, runtime_checkable

import numpy as np

from palaver.outcomes import Outcome
from palaver.preferences.base import UtilityFunction
from palaver.preferences.solutions import pareto_indices

__all__ = [
    "AdaptiveParetoSampler",
    "BaseParetoSampler",
    "BruteForceParetoSampler",
    "DefaultParetoSampler",
    "ParetoSampler",
    "frontier_of",
]


@runtime_checkable
class ParetoSampler(Protocol):
    """What NegMAS's code expects of a Pareto sampler (see the module)."""

    @property
    def ufun(self) -> Any:
        """One's own utility function (``None`` before :meth:`init`)."""
        ...

    @property
    def initialized(self) -> bool:
        """Whether the frontier is computed (both utility functions known)."""
        ...

    def init(self, ufun: Any = None, opponent_ufun: Any = None) -> None:
        """Take the utility functions (``None``: keep the previous one) and compute."""
        ...

    def pareto_outcomes(
        self,
        n: int | None = None,
        *,
        min_util: float = 0.0,
        normalized: bool = False,
        opponent_ufun: Any = None,
    ) -> list[Outcome]:
        """The frontier's outcomes worth at least ``min_util`` to oneself."""
        ...

    def best_for_opponent(
        self, *, min_util: float, normalized: bool = False, opponent_ufun: Any = None
    ) -> Outcome | None:
        """The opponent's favourite among :meth:`pareto_outcomes`."""
        ...


def frontier_of(outcomes: list[Outcome], ufun: Any, opponent: Any) -> list[Outcome]:
    """The outcomes of ``outcomes`` no other one Pareto-dominates for the two
    utility functions (ties all kept), in decreasing order of ``ufun``'s utility."""
    if not outcomes:
        return []
    utils = np.column_stack(
        [np.array([float(f(o)) for o in outcomes], dtype=float) for f in (ufun, opponent)]
    )
    return [outcomes[i] for i in pareto_indices(utils).tolist()]


class BaseParetoSampler:
    """The queries every sampler shares; subclasses compute :meth:`frontier`."""

    def __init__(self) -> None:
        self._ufun: Any = None
        self._opponent: Any = None
        self._front: list[Outcome] = []
        self._initialized = False

    @property
    def ufun(self) -> Any:
        """One's own utility function (``None`` before :meth:`init`)."""
        return self._ufun

    @property
    def opponent_ufun(self) -> Any:
        """The opponent's utility function (``None`` when unknown)."""
        return self._opponent

    @property
    def initialized(self) -> bool:
        """Whether the frontier is computed (both utility functions known)."""
        return self._initialized

    def init(self, ufun: Any = None, opponent_ufun: Any = None) -> None:
        """Take the utility functions (``None``: keep the previous one) and compute
        the frontier; it stays uninitialized while either is unknown."""
        if ufun is not None:
            self._ufun = ufun
        if opponent_ufun is not None:
            self._opponent = opponent_ufun
        self._initialized = False
        self._front = []
        if self._ufun is None or self._opponent is None:
            return
        self._front = self.frontier(self._ufun, self._opponent)
        self._initialized = True

    @abstractmethod
    def frontier(self, ufun: Any, opponent: Any) -> list[Outcome]:
        """The frontier's outcomes, in decreasing order of ``ufun``'s utility."""

    def _threshold(self, min_util: float, normalized: bool) -> float:
        if not normalized:
            return float(min_util)
        low, high = self._ufun.minmax()
        return float(low + min_util * (high - low))

    def pareto_outcomes(
        self,
        n: int | None = None,
        *,
        min_util: float = 0.0,
        normalized: bool = False,
        opponent_ufun: Any = None,
    ) -> list[Outcome]:
        """The frontier's outcomes worth at least ``min_util`` to oneself (see the module)."""
        if opponent_ufun is not None and (
            opponent_ufun is not self._opponent or not self._initialized
        ):
            self.init(opponent_ufun=opponent_ufun)
        if not self._initialized:
            return []
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
            raise ValueError(f"n must be an int >= 0 or None, got {n!r}")
        low = self._threshold(min_util, normalized) - 1e-12
        kept = [o for o in self._front if float(self._ufun(o)) >= low]
        return kept if n is None else kept[:n]

    def best_for_opponent(
        self, *, min_util: float, normalized: bool = False, opponent_ufun: Any = None
    ) -> Outcome | None:
        """The opponent's favourite among :meth:`pareto_outcomes` (ties: the one
        better for oneself), or ``None``."""
        candidates = self.pareto_outcomes(
            min_util=min_util, normalized=normalized, opponent_ufun=opponent_ufun
        )
        if not candidates:
            return None
        return max(candidates, key=lambda o: (float(self._opponent(o)), float(self._ufun(o))))


def _space_of(ufun: Any, opponent: Any) -> Any:
    space = getattr(ufun, "outcome_space", None) or getattr(opponent, "outcome_space", None)
    if space is None:
        raise ValueError("a Pareto sampler needs an outcome space: give one to the ufun")
    return space


class BruteForceParetoSampler(BaseParetoSampler):
    """The exact frontier of every outcome (at most ``max_cardinality`` of them,
    drawn from a larger space; continuous issues on a grid of 10 values)."""

    def __init__(self, max_cardinality: int = 1_000_000) -> None:
        super().__init__()
        if isinstance(max_cardinality, bool) or not isinstance(max_cardinality, int):
            raise ValueError(f"max_cardinality must be an int >= 1, got {max_cardinality!r}")
        if max_cardinality < 1:
            raise ValueError(f"max_cardinality must be an int >= 1, got {max_cardinality!r}")
        self.max_cardinality = max_cardinality

    def frontier(self, ufun: Any, opponent: Any) -> list[Outcome]:
        """The frontier among the enumerated (or sampled) outcomes."""
        space = _space_of(ufun, opponent)
        outcomes = space.enumerate_or_sample(max_cardinality=self.max_cardinality, seed=0)
        return frontier_of(outcomes, ufun, opponent)


class AdaptiveParetoSampler(BaseParetoSampler):
    """:class:`BruteForceParetoSampler` for spaces of at most
    ``max_bruteforce_outcomes`` outcomes, else ``large_sampler`` (by default
    :class:`~palaver.preferences.additive_pareto.MOBANOSParetoSampler`, exact
    for additive utility functions), or brute force over ``max_cardinality``
    outcomes when that one refuses the utility functions. :attr:`impl` is the
    sampler chosen."""

    def __init__(
        self,
        max_bruteforce_outcomes: int = 10_000,
        large_sampler: type[BaseParetoSampler] | None = None,
        max_cardinality: int = 1_000_000,
    ) -> None:
        super().__init__()
        self.max_bruteforce_outcomes = max_bruteforce_outcomes
        self.large_sampler = large_sampler
        self.max_cardinality = max_cardinality
        #: The sampler that computed the frontier (``None`` before :meth:`init`).
        self.impl: BaseParetoSampler | None = None

    def frontier(self, ufun: Any, opponent: Any) -> list[Outcome]:
        """The chosen sampler's frontier."""
        space = _space_of(ufun, opponent)
        chosen: BaseParetoSampler
        if space.cardinality <= self.max_bruteforce_outcomes:
            chosen = BruteForceParetoSampler(self.max_cardinality)
            chosen.init(ufun, opponent)
        else:
            from palaver.preferences.additive_pareto import MOBANOSParetoSampler

            chosen = (self.large_sampler or MOBANOSParetoSampler)()
            try:
                chosen.init(ufun, opponent)
            except (TypeError, ValueError):
                chosen = BruteForceParetoSampler(self.max_cardinality)
                chosen.init(ufun, opponent)
        self.impl = chosen
        return chosen.pareto_outcomes(min_util=-np.inf)


#: NegMAS's default sampler (``UtilityFunction.make_pareto_sampler()``).
DefaultParetoSampler = AdaptiveParetoSampler


def make_pareto_sampler(
    ufun: UtilityFunction,
    opponent_ufun: Any = None,
    pareto_sampler: type[BaseParetoSampler] | None = None,
    **kwargs: Any,
) -> BaseParetoSampler:
    """``ufun``'s kept sampler of that type for that opponent, else a new one
    (``pareto_sampler(**kwargs)``, :data:`DefaultParetoSampler` by default) given
    the two utility functions, kept for the next call."""
    kind = pareto_sampler or DefaultParetoSampler
    kept: BaseParetoSampler | None = getattr(ufun, "_kept_pareto_sampler", None)
    if (
        kept is not None
        and type(kept) is kind
        and kept.opponent_ufun is opponent_ufun
        and not kwargs
    ):
        return kept
    sampler = kind(**kwargs)
    sampler.init(ufun, opponent_ufun)
    ufun._kept_pareto_sampler = sampler  # type: ignore[attr-defined]
    return sampler

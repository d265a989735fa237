"""The adaptive inverter: presorting when it fits, BIDS when it does not.

:class:`AdaptiveInverseUtilityFunction` picks, at ``init``, the inverter that
answers best for the ufun: :class:`PresortingInverseUtilityFunction` (exact)
unless the ufun is additive and its space holds more than
``max_presorting_outcomes`` outcomes (continuous spaces included), then
:class:`BIDSInverseUtilityFunction`. Every query is answered by the one picked
(:attr:`~AdaptiveInverseUtilityFunction.delegate`), with its rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver.outcomes import DEFAULT_LEVELS, Outcome
from palaver.preferences.inverse_additive import BIDSInverseUtilityFunction
from palaver.preferences.inverse_base import InverseUtilityFunction
from palaver.preferences.inverse_constructive import positive_int
from palaver.preferences.inverse_exhaustive import PresortingInverseUtilityFunction
from palaver.preferences.inverse_rules import _WIDEN_ABS, Range, _Ranking

if TYPE_CHECKING:
    from palaver.preferences.base import UtilityFunction

__all__ = ["AdaptiveInverseUtilityFunction"]


class AdaptiveInverseUtilityFunction(InverseUtilityFunction):
    """Presorting or BIDS, picked by the ufun and the size of its space.

    Args:
        ufun: The utility function to invert.
        max_presorting_outcomes: An additive ufun over more outcomes than this
            is inverted by BIDS; everything else by presorting.
        bids_precision, bids_n_samples, bids_continuous_levels: BIDS's
            ``precision``, ``n_samples`` and ``continuous_levels``.
        seed: Given to the inverter picked.
        **presorting_kwargs: Given to presorting when it is picked
            (``levels``, ``max_cache_size``, ``rational_only``, ...).
    """

    def __init__(
        self,
        ufun: UtilityFunction,
        max_presorting_outcomes: int = 1_000_000,
        bids_precision: int = 3,
        bids_n_samples: int = 50,
        bids_continuous_levels: int = DEFAULT_LEVELS,
        seed: int | None = None,
        **presorting_kwargs: Any,
    ) -> None:
        super().__init__(ufun, seed=seed)
        self.max_presorting_outcomes = positive_int(
            "max_presorting_outcomes", max_presorting_outcomes
        )
        # Both are built now (neither sets up yet) so that a bad argument fails
        # here, not at init.
        self._choices = (
            PresortingInverseUtilityFunction(ufun, seed=seed, **presorting_kwargs),
            BIDSInverseUtilityFunction(
                ufun, bids_precision, bids_n_samples, bids_continuous_levels, seed
            ),
        )
        self._delegate: InverseUtilityFunction | None = None

    @property
    def delegate(self) -> InverseUtilityFunction | None:
        """The inverter picked (``None`` before :meth:`init`)."""
        return self._delegate

    @property
    def initialized(self) -> bool:
        """Whether :meth:`init` has picked and set up an inverter."""
        return self._delegate is not None and self._delegate.initialized

    def init(self) -> None:
        """Pick the inverter for the ufun and its space, and set it up."""
        from palaver.preferences.additive import LinearAdditiveUtilityFunction
        from palaver.preferences.linear import LinearUtilityFunction

        space = self._ufun.outcome_space
        additive = isinstance(self._ufun, LinearAdditiveUtilityFunction | LinearUtilityFunction)
        large = space is not None and space.cardinality > self.max_presorting_outcomes
        presorting, bids = self._choices
        self._delegate = bids if additive and large else presorting
        self._delegate.init()

    def reset(self) -> None:
        """Forget the choice (the next query picks again)."""
        self._delegate = None

    def _d(self) -> InverseUtilityFunction:
        if self._delegate is None:
            self.init()
        assert self._delegate is not None
        return self._delegate

    def _ranked(self) -> _Ranking:
        return self._d()._ranked()

    def some(self, rng: Range, normalized: bool, n: int | None = None) -> list[Outcome]:
        """The delegate's :meth:`~InverseUtilityFunction.some`."""
        return self._d().some(rng, normalized, n)

    def all(self, rng: Range, normalized: bool) -> list[Outcome]:
        """The delegate's ``all``."""
        return self._d().all(rng, normalized)

    def one_in(
        self,
        rng: Range,
        normalized: bool,
        fallback_to_higher: bool = True,
        fallback_to_best: bool = True,
    ) -> Outcome | None:
        """The delegate's :meth:`~InverseUtilityFunction.one_in`."""
        return self._d().one_in(rng, normalized, fallback_to_higher, fallback_to_best)

    def best_in(
        self, rng: Range, normalized: bool, cycle: bool = True, eps: float = _WIDEN_ABS
    ) -> Outcome | None:
        """The delegate's :meth:`~InverseUtilityFunction.best_in`."""
        return self._d().best_in(rng, normalized, cycle, eps)

    def worst_in(
        self, rng: Range, normalized: bool, cycle: bool = True, eps: float = _WIDEN_ABS
    ) -> Outcome | None:
        """The delegate's :meth:`~InverseUtilityFunction.worst_in`."""
        return self._d().worst_in(rng, normalized, cycle, eps)

    def closest(self, target: float, normalized: bool = False) -> Outcome | None:
        """The delegate's :meth:`~InverseUtilityFunction.closest`."""
        return self._d().closest(target, normalized)

    def within_fractions(self, rng: tuple[float, float]) -> list[Outcome]:
        """The delegate's ``within_fractions``."""
        return self._d().within_fractions(rng)

    def within_indices(self, rng: tuple[int, int]) -> list[Outcome]:
        """The delegate's ``within_indices``."""
        return self._d().within_indices(rng)

    def min(self) -> float:
        """The delegate's ``min``."""
        return self._d().min()

    def max(self) -> float:
        """The delegate's ``max``."""
        return self._d().max()

    def worst(self) -> Outcome | None:
        """The delegate's ``worst``."""
        return self._d().worst()

    def best(self) -> Outcome | None:
        """The delegate's ``best``."""
        return self._d().best()

    def next_worse(self) -> Outcome | None:
        """The delegate's ``next_worse`` (presorting's only)."""
        return self._d().next_worse()

    def next_better(self) -> Outcome | None:
        """The delegate's ``next_better`` (presorting's only)."""
        return self._d().next_better()

    def outcome_at(self, indx: int) -> Outcome | None:
        """The delegate's ``outcome_at`` (presorting's only)."""
        return self._d().outcome_at(indx)

    def utility_at(self, indx: int) -> float:
        """The delegate's ``utility_at`` (presorting's only)."""
        return self._d().utility_at(indx)

    def ranked(self) -> Iterator[tuple[Outcome, float]]:
        """The delegate's ``ranked`` (presorting's only)."""
        return self._d().ranked()

    @property
    def outcomes(self) -> list[Outcome]:
        """The delegate's ``outcomes`` (presorting's only)."""
        return self._d().outcomes

    @property
    def utils(self) -> np.ndarray:
        """The delegate's ``utils`` (presorting's only)."""
        return self._d().utils

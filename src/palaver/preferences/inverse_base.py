"""What every inverse utility function answers, and the rules its queries share.

:class:`InverseUtilityFunction` answers every query from a ranking of the
outcomes by utility (made by a subclass's ``_rank``); the inverters that build
answers instead of ranking them (:mod:`palaver.preferences.inverse_constructive`)
override the queries. The rules are applied by
:mod:`palaver.preferences.inverse_rules`.

Rules shared by every query:

* ``rng`` is a ``(low, high)`` pair or one value ``v``, read as
  ``v ± max(0.001·v, 1e-6)``. A pair given upside down by at most 0.1 is
  swapped; further apart it matches nothing (``None`` or ``[]``).
* ``normalized=True`` reads ``rng`` on ``[0, 1]``: 0 is the lowest utility of
  the space, 1 the highest.
* Only rational outcomes (utility at least the reserved value) are answers
  when the inverter is built with ``rational_only=True``; otherwise all are.
* Ranks count from the best outcome (rank 0).
* Random choices (``one_in``, ``some`` with ``n``) draw from Python's global
  ``random`` as NegMAS does, or from ``random.Random(seed)`` when the inverter
  is given a ``seed``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from palaver._util.checks import check_bool, check_int
from palaver.outcomes import Outcome, OutcomeSpace
from palaver.preferences.inverse_rules import (
    _WIDEN_ABS,
    Range,
    _Draws,
    _eps,
    _number,
    _pair,
    _Ranking,
    read_range,
)
from palaver.preferences.protocol import checked_ranked_utilities

if TYPE_CHECKING:
    from palaver.preferences.base import UtilityFunction

__all__ = ["InverseUtilityFunction"]


class InverseUtilityFunction:
    """What every inverter answers (see the module doc for the shared rules).

    Subclasses provide :meth:`_rank`, the outcomes ranked by utility; the
    ranking is made by :meth:`init` and made again before each query when the
    utility function is not stationary (it may change between calls).
    """

    def __init__(
        self,
        ufun: UtilityFunction,
        rational_only: bool = False,
        clamp_tolerance: float = math.inf,
        seed: int | None = None,
    ) -> None:
        if not callable(ufun):
            raise TypeError(f"ufun must be a utility function, got {ufun!r}")
        tolerance = _number("clamp_tolerance", clamp_tolerance)
        if tolerance < 0:
            raise ValueError(f"clamp_tolerance must be >= 0, got {clamp_tolerance!r}")
        self._ufun = ufun
        # bool() took "no" for True; random.Random() took a text, or NaN (seeded by
        # its address: another answer in every process), for a seed.
        self.rational_only = check_bool("rational_only", rational_only)
        seed = check_int("seed", seed, minimum=0, none_ok=True)
        self._clamp = tolerance
        self._random: _Draws = random if seed is None else random.Random(seed)
        self._ranking: _Ranking | None = None
        self._next = -1

    @property
    def ufun(self) -> UtilityFunction:
        """The utility function inverted."""
        return self._ufun

    @property
    def initialized(self) -> bool:
        """Whether :meth:`init` has ranked the outcomes."""
        return self._ranking is not None

    @property
    def outcomes(self) -> list[Outcome]:
        """The outcomes considered: the answers worst to best, then the others."""
        return self._ranked().outcomes

    @property
    def utils(self) -> np.ndarray:
        """The utilities of :attr:`outcomes`, in the same order."""
        return self._ranked().utils

    def init(self) -> None:
        """Rank the outcomes (the costly part: every outcome is evaluated once)."""
        space = self._ufun.outcome_space
        if space is None:
            raise ValueError(
                f"cannot invert {type(self._ufun).__name__}: it has no outcome space "
                "(give it one, or let a mechanism set it)"
            )
        outcomes = self._rank(space)
        utils = checked_ranked_utilities(self._ufun.eval_many(outcomes), self._ufun, outcomes)
        reserved = float(self._ufun.reserved_value) if self.rational_only else None
        self._ranking = _Ranking(outcomes, utils, reserved)
        self._next = -1

    def reset(self) -> None:
        """Forget the ranking (the next query ranks again)."""
        self._ranking = None
        self._next = -1

    def _rank(self, space: OutcomeSpace) -> list[Outcome]:
        raise NotImplementedError

    def _ranked(self) -> _Ranking:
        stationary = getattr(self._ufun, "is_stationary", None)
        if self._ranking is None or (stationary is not None and not stationary()):
            self.init()
        assert self._ranking is not None
        return self._ranking

    def _within_clamp(self, ranking: _Ranking, i: int, low: float, high: float) -> bool:
        return bool(low - self._clamp <= ranking.utils[i] <= high + self._clamp)

    # ------------------------------------------------------------------ queries
    def some(self, rng: Range, normalized: bool, n: int | None = None) -> list[Outcome]:
        """Every answer whose utility is in ``rng``, worst first; ``n`` of them
        drawn at random when there are at least ``n``."""
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
            raise ValueError(f"n must be None or a non-negative int, got {n!r}")
        ranking = self._ranked()
        bounds = ranking.raw(rng, normalized)
        if bounds is None or ranking.last < 0:
            return []
        answers = ranking.utils[: ranking.last + 1]
        lo = int(np.searchsorted(answers, bounds[0], "left"))
        hi = int(np.searchsorted(answers, bounds[1], "right"))
        found = ranking.outcomes[lo:hi]
        if n and len(found) >= n:
            return self._random.sample(found, n)
        return found

    def all(self, rng: Range, normalized: bool) -> list[Outcome]:
        """Every answer whose utility is in ``rng`` (:meth:`some` without ``n``)."""
        return self.some(rng, normalized)

    def worst_in(
        self, rng: Range, normalized: bool, cycle: bool = True, eps: float = _WIDEN_ABS
    ) -> Outcome | None:
        """The lowest-utility answer in ``rng`` widened by ``eps`` on both sides.
        When none is in it, the nearest answer above it (the best answer when
        nothing is above), unless that is further than ``clamp_tolerance``
        outside ``rng``: then ``None``.

        ``cycle`` is NegMAS's; ties are always answered by the first of them in
        rank order."""
        ranking = self._ranked()
        bounds = ranking.raw(rng, normalized)
        if bounds is None or ranking.last < 0:
            return None
        widen = _eps(eps)
        low, high = bounds[0] - widen, bounds[1] + widen
        i = ranking.first_at_least(low)
        return ranking.outcomes[i] if self._within_clamp(ranking, i, low, high) else None

    def best_in(
        self, rng: Range, normalized: bool, cycle: bool = True, eps: float = _WIDEN_ABS
    ) -> Outcome | None:
        """The highest-utility answer in ``rng`` widened by ``eps`` on both sides.
        When none is in it, the nearest answer below it (the worst answer when
        nothing is below), unless that is further than ``clamp_tolerance``
        outside ``rng``: then ``None``."""
        ranking = self._ranked()
        bounds = ranking.raw(rng, normalized)
        if bounds is None or ranking.last < 0:
            return None
        widen = _eps(eps)
        low, high = bounds[0] - widen, bounds[1] + widen
        i = ranking.last_at_most(high)
        return ranking.outcomes[i] if self._within_clamp(ranking, i, low, high) else None

    def _un_normalize_range(
        self, rng: Range, normalized: bool, for_best: bool = True
    ) -> tuple[float, float] | None:
        """``rng`` as raw ``(low, high)`` utilities (``None``: upside down by more
        than 0.1). NegMAS's tests call it by this name; ``for_best`` is its and
        changes nothing here."""
        return self._ranked().raw(rng, normalized)

    def one_in(
        self,
        rng: Range,
        normalized: bool,
        fallback_to_higher: bool = True,
        fallback_to_best: bool = True,
    ) -> Outcome | None:
        """An answer in ``rng`` drawn uniformly by rank.

        When no answer is in ``rng``, one of the two answers around it (the
        nearest below and the nearest above) is drawn instead, within
        ``clamp_tolerance``. Failing that: with ``fallback_to_higher`` an answer
        from the range's low end up to the best utility, then with
        ``fallback_to_best`` the best answer, else ``None``.
        """
        ranking = self._ranked()
        bounds = ranking.raw(rng, normalized)
        if bounds is not None and ranking.last >= 0:
            lo = ranking.first_at_least(bounds[0])
            hi = ranking.last_at_most(bounds[1])
            if lo > hi:
                lo, hi = hi, lo
            i = self._random.randint(lo, hi)
            if self._within_clamp(ranking, i, *bounds):
                return ranking.outcomes[i]
        asked = read_range(rng)  # on the scale given (normalized or not)
        top = 1.0 if normalized else ranking.high
        if fallback_to_higher and asked is not None and asked[1] < top - _WIDEN_ABS:
            return self.one_in((asked[0], top), normalized, False, fallback_to_best)
        return self.best() if fallback_to_best else None

    def __call__(self, rng: Range, normalized: bool) -> Outcome | None:
        """:meth:`one_in` with its fallbacks."""
        return self.one_in(rng, normalized)

    def closest(self, target: float, normalized: bool = False) -> Outcome | None:
        """The answer whose utility is nearest ``target`` (``None``: no answers)."""
        ranking = self._ranked()
        if ranking.last < 0:
            return None
        x = _number("target", target)
        if normalized:
            x = ranking.low + x * (ranking.high - ranking.low)
        above = ranking.first_at_least(x)
        below = ranking.last_at_most(x)
        near = above if abs(ranking.utils[above] - x) <= abs(ranking.utils[below] - x) else below
        return ranking.outcomes[near]

    def within_fractions(self, rng: tuple[float, float]) -> list[Outcome]:
        """The answers whose rank, as a fraction of the answers (0: best), is in
        ``rng``, best first; one more than the fraction when it falls between two."""
        low, high = (_number(f"rng[{k}]", v) for k, v in enumerate(_pair("rng", rng)))
        ranking = self._ranked()
        n = ranking.last + 1
        start = max(ranking.last - math.floor(high * n), 0)
        stop = min(n, ranking.last - math.floor(low * n))
        return ranking.outcomes[start : stop + 1][::-1] if stop >= 0 else []

    def within_indices(self, rng: tuple[int, int]) -> list[Outcome]:
        """The answers of ranks ``rng[0]`` to ``rng[1]`` (both included), best first."""
        first, last = _pair("rng", rng)
        if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in (first, last)):
            raise ValueError(f"rng must be two non-negative int ranks, got {rng!r}")
        ranking = self._ranked()
        start = max(ranking.last - last, 0)
        stop = ranking.last - first
        return ranking.outcomes[start : stop + 1][::-1] if stop >= 0 else []

    def min(self) -> float:
        """The lowest utility of an answer (``inf`` when there are none)."""
        ranking = self._ranked()
        return float(ranking.utils[0]) if ranking.last >= 0 else math.inf

    def max(self) -> float:
        """The highest utility of an answer (``-inf`` when there are none)."""
        ranking = self._ranked()
        return float(ranking.utils[ranking.last]) if ranking.last >= 0 else -math.inf

    def minmax(self) -> tuple[float, float]:
        """``(min(), max())``."""
        return self.min(), self.max()

    def worst(self) -> Outcome | None:
        """The worst answer (``None`` when there are none)."""
        ranking = self._ranked()
        return ranking.outcomes[0] if ranking.last >= 0 else None

    def best(self) -> Outcome | None:
        """The best answer (``None`` when there are none)."""
        ranking = self._ranked()
        return ranking.outcomes[ranking.last] if ranking.last >= 0 else None

    def extreme_outcomes(self) -> tuple[Outcome | None, Outcome | None]:
        """``(worst(), best())``."""
        return self.worst(), self.best()

    def next_worse(self) -> Outcome | None:
        """The best answer on the first call, then each next one down; ``None``
        after the worst."""
        ranking = self._ranked()
        if self._next < 0:
            self._next = ranking.last
            return self.best()
        if self._next > 0:
            self._next -= 1
            return ranking.outcomes[self._next]
        return None

    def next_better(self) -> Outcome | None:
        """The worst answer on the first call, then each next one up; ``None``
        after the best."""
        ranking = self._ranked()
        if self._next < 0:
            self._next = 0
            return self.worst()
        if self._next < ranking.last:
            self._next += 1
            return ranking.outcomes[self._next]
        return None

    def _position(self, rank: int) -> int | None:
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 0:
            raise ValueError(f"indx must be a non-negative int rank, got {rank!r}")
        ranking = self._ranked()
        if rank >= len(ranking.outcomes):
            return None
        return ranking.last - rank if rank <= ranking.last else rank

    def outcome_at(self, indx: int) -> Outcome | None:
        """The outcome of rank ``indx`` (0: the best; ``None`` past the last)."""
        i = self._position(indx)
        return None if i is None else self._ranked().outcomes[i]

    def utility_at(self, indx: int) -> float:
        """The utility of rank ``indx`` (0: the best; ``-inf`` past the last)."""
        i = self._position(indx)
        return -math.inf if i is None else float(self._ranked().utils[i])

    def ranked(self) -> Iterator[tuple[Outcome, float]]:
        """The answers and their utilities, best first."""
        ranking = self._ranked()
        for i in range(ranking.last, -1, -1):
            yield ranking.outcomes[i], float(ranking.utils[i])

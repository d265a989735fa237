"""Inverters that build answers instead of ranking every outcome.

BIDS, attribute planning (:mod:`palaver.preferences.inverse_additive`) and
Monte-Carlo search (:mod:`palaver.preferences.inverse_search`) construct
candidate outcomes aimed at the range asked; :class:`ConstructiveInverter`
evaluates the candidates with the ufun (one vectorised ``eval_many``) and
answers only with candidates whose *real* utility is within ``eps`` of the
range. They are approximate: an outcome never constructed is never an answer.

Each is *clamping*: when no candidate is in the range,

1. ``fallback_to_higher`` (default ``True``) retries ``(low, max)``,
2. then the nearest extreme outcome is answered (``fallback_to_best`` /
   ``fallback_to_worst``, default ``True``): the best when the range's low
   end is in the upper half of the utilities, else the worst.

``min``, ``max``, ``best`` and ``worst`` are exact over the (discretized)
space. A ufun that is not stationary is set up again before each query.
Nothing is ranked, so the rank queries (``outcomes``, ``outcome_at``,
``next_worse``, ``all``, ...) raise ``ValueError`` naming the ranking
inverters; ``within_fractions`` and ``within_indices`` read ranks as
utilities (rank fraction ``f`` ≈ normalized utility ``1 - f``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from palaver.outcomes import DEFAULT_LEVELS, Issue, Outcome, OutcomeSpace
from palaver.preferences.inverse_base import InverseUtilityFunction
from palaver.preferences.inverse_rules import (
    _WIDEN_ABS,
    Range,
    _eps,
    _number,
    _pair,
    _Ranking,
    read_range,
)
from palaver.preferences.protocol import checked_ranked_utilities

if TYPE_CHECKING:
    from palaver.preferences.base import UtilityFunction

__all__ = ["ConstructiveInverter", "issue_values"]

Toward = Literal["any", "high", "low"]


def issue_values(issue: Issue, levels: int) -> list[Any]:
    """The values an inverter builds outcomes from: all of a discrete issue's,
    ``levels`` evenly spaced ones of a continuous issue's."""
    source = issue if issue.is_discrete() else issue.discretize(levels)
    return list(source.all_values)


def positive_int(name: str, value: object) -> int:
    """``value`` when it is an int >= 1, else ``ValueError`` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return value


class ConstructiveInverter(InverseUtilityFunction):
    """The queries of an inverter that constructs candidates (see the module doc).

    Subclasses set up in :meth:`_prepare` (called by :meth:`init` with the
    per-issue values) and construct candidates in :meth:`_candidates`.

    Args:
        ufun: The utility function to invert (it needs an outcome space).
        n_samples: Candidates constructed per query (``some`` without ``n``,
            ``best_in``, ``worst_in``, ``one_in``).
        continuous_levels: Values per continuous issue.
        seed: Draw from ``random.Random(seed)`` instead of the global ``random``.
    """

    def __init__(
        self,
        ufun: UtilityFunction,
        n_samples: int = 50,
        continuous_levels: int = DEFAULT_LEVELS,
        seed: int | None = None,
    ) -> None:
        super().__init__(ufun, seed=seed)
        self.n_samples = positive_int("n_samples", n_samples)
        self.continuous_levels = positive_int("continuous_levels", continuous_levels)
        self._values: list[list[Any]] = []
        self._extremes: tuple[Outcome, Outcome] | None = None
        self._low = self._high = 0.0

    # ------------------------------------------------------------- subclasses
    def _prepare(self, space: OutcomeSpace) -> tuple[Outcome, Outcome]:
        """Set up for queries; return the (worst, best) outcomes."""
        raise NotImplementedError

    def _candidates(
        self, low: float, high: float, count: int, toward: Toward
    ) -> tuple[list[Outcome], np.ndarray | None]:
        """About ``count`` outcomes aimed at raw utilities ``[low, high]``,
        favouring its high or low end when ``toward`` says so, and their
        utilities when the construction evaluated them (``None``: not yet)."""
        raise NotImplementedError

    def _outcomes(self, chosen: np.ndarray) -> list[Outcome]:
        """Rows of value indices (one column per issue) as outcomes."""
        columns = [
            [vs[i] for i in col] for vs, col in zip(self._values, chosen.T.tolist(), strict=True)
        ]
        return list(zip(*columns, strict=True))

    def _generator(self) -> np.random.Generator:
        """A numpy generator drawn from this inverter's ``random`` (so seeding
        either seeds the construction)."""
        return np.random.default_rng(self._random.getrandbits(64))

    # ------------------------------------------------------------------ setup
    @property
    def initialized(self) -> bool:
        """Whether :meth:`init` has run."""
        return self._extremes is not None

    def init(self) -> None:
        """List the issues' values and set up the construction."""
        space = getattr(self._ufun, "outcome_space", None)
        if space is None or not getattr(space, "issues", None):
            raise ValueError(
                f"{type(self).__name__} cannot invert {type(self._ufun).__name__}: "
                "it has no outcome space with issues"
            )
        self._values = [issue_values(issue, self.continuous_levels) for issue in space.issues]
        worst, best = self._prepare(space)
        self._extremes = (worst, best)
        self._low, self._high = (float(u) for u in self._ufun.eval_many([worst, best]))

    def reset(self) -> None:
        """Forget the set-up (the next query sets up again)."""
        self._extremes = None

    def _ready(self) -> tuple[Outcome, Outcome]:
        # Set up again before each query when the ufun may change between calls
        # (not stationary), as the ranking inverters rank again.
        stationary = getattr(self._ufun, "is_stationary", None)
        if self._extremes is None or (stationary is not None and not stationary()):
            self.init()
        assert self._extremes is not None
        return self._extremes

    def _ranked(self) -> _Ranking:
        raise ValueError(
            f"{type(self).__name__} does not rank every outcome: use "
            "PresortingInverseUtilityFunction for outcomes, ranks and all()"
        )

    def _raw(self, rng: Range, normalized: bool) -> tuple[float, float] | None:
        self._ready()
        bounds = read_range(rng)
        if bounds is None or not normalized:
            return bounds
        span = self._high - self._low
        return self._low + bounds[0] * span, self._low + bounds[1] * span

    def _found(
        self, low: float, high: float, count: int, toward: Toward
    ) -> tuple[list[Outcome], np.ndarray]:
        """The candidates whose real utility is in ``[low, high]``, and those utilities."""
        outcomes, utils = self._candidates(low, high, count, toward)
        if not outcomes:
            return [], np.empty(0)
        if utils is None:
            utils = checked_ranked_utilities(self._ufun.eval_many(outcomes), self._ufun, outcomes)
        inside = np.flatnonzero((utils >= low) & (utils <= high))
        return [outcomes[i] for i in inside.tolist()], utils[inside]

    def _higher(self, low: float, high: float) -> tuple[float, float] | None:
        """The range ``(low, max)`` to retry, ``None`` when ``rng`` reaches the max."""
        return (low, self._high) if high < self._high - _WIDEN_ABS else None

    def _nearest_extreme(self, low: float) -> Outcome:
        """The best outcome when ``low`` is in the upper half of the utilities, else the worst."""
        assert self._extremes is not None  # set up by the query asking
        worst, best = self._extremes
        return best if low >= (self._low + self._high) / 2 else worst

    # ---------------------------------------------------------------- queries
    def some(self, rng: Range, normalized: bool, n: int | None = None) -> list[Outcome]:
        """Distinct constructed outcomes in ``rng`` (up to ``n``; ``n_samples``
        candidates are built when ``n`` is ``None``), worst first."""
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
            raise ValueError(f"n must be None or a non-negative int, got {n!r}")
        bounds = self._raw(rng, normalized)
        if bounds is None or n == 0:
            return []
        found, utils = self._found(*bounds, self.n_samples if n is None else n, "any")
        unique: dict[Outcome, float] = {}
        for outcome, u in zip(found, utils.tolist(), strict=True):
            unique.setdefault(outcome, u)
        ordered = sorted(unique, key=unique.__getitem__)
        return ordered if n is None else ordered[:n]

    def one_in(
        self,
        rng: Range,
        normalized: bool,
        fallback_to_higher: bool = True,
        fallback_to_best: bool = True,
    ) -> Outcome | None:
        """A constructed outcome in ``rng`` drawn at random, else the fallbacks
        of the module doc."""
        bounds = self._raw(rng, normalized)
        if bounds is None:
            return None
        # A few candidates usually suffice; the full n_samples only when they miss.
        for count in dict.fromkeys((min(4, self.n_samples), self.n_samples)):
            found, _ = self._found(*bounds, count, "any")
            if found:
                return found[self._random.randint(0, len(found) - 1)]
        higher = self._higher(*bounds) if fallback_to_higher else None
        if higher is not None:
            return self.one_in(higher, False, False, fallback_to_best)
        return self._nearest_extreme(bounds[0]) if fallback_to_best else None

    def best_in(
        self,
        rng: Range,
        normalized: bool,
        cycle: bool = True,
        eps: float = _WIDEN_ABS,
        fallback_to_higher: bool = True,
        fallback_to_best: bool = True,
    ) -> Outcome | None:
        """The highest-utility constructed outcome within ``eps`` of ``rng``,
        else the fallbacks of the module doc (``cycle`` is NegMAS's)."""
        return self._extreme_in(rng, normalized, eps, fallback_to_higher, fallback_to_best, "high")

    def worst_in(
        self,
        rng: Range,
        normalized: bool,
        cycle: bool = True,
        eps: float = _WIDEN_ABS,
        fallback_to_higher: bool = True,
        fallback_to_worst: bool = True,
    ) -> Outcome | None:
        """The lowest-utility constructed outcome within ``eps`` of ``rng``,
        else the fallbacks of the module doc (``cycle`` is NegMAS's)."""
        return self._extreme_in(rng, normalized, eps, fallback_to_higher, fallback_to_worst, "low")

    def _extreme_in(
        self, rng: Range, normalized: bool, eps: float, higher: bool, extreme: bool, toward: Toward
    ) -> Outcome | None:
        bounds = self._raw(rng, normalized)
        if bounds is None:
            return None
        widen = _eps(eps)
        low, high = bounds[0] - widen, bounds[1] + widen
        found, utils = self._found(low, high, self.n_samples, toward)
        if found:
            return found[int(np.argmax(utils) if toward == "high" else np.argmin(utils))]
        wider = self._higher(low, high) if higher else None
        if wider is not None:
            return self._extreme_in(wider, False, 0.0, False, extreme, toward)
        return self._nearest_extreme(low) if extreme else None

    def closest(self, target: float, normalized: bool = False) -> Outcome | None:
        """The constructed outcome whose utility is nearest ``target``."""
        extremes = self._ready()
        x = _number("target", target)
        if normalized:
            x = self._low + x * (self._high - self._low)
        outcomes = self._candidates(x, x, self.n_samples, "any")[0] + list(extremes)
        utils = checked_ranked_utilities(self._ufun.eval_many(outcomes), self._ufun, outcomes)
        return outcomes[int(np.argmin(np.abs(utils - x)))]

    def within_fractions(self, rng: tuple[float, float]) -> list[Outcome]:
        """Constructed outcomes of normalized utility ``1 - rng[1]`` to
        ``1 - rng[0]`` (rank fractions read as utilities), best first."""
        low, high = (_number(f"rng[{k}]", v) for k, v in enumerate(_pair("rng", rng)))
        return self.some((1.0 - high, 1.0 - low), True)[::-1]

    def within_indices(self, rng: tuple[int, int]) -> list[Outcome]:
        """:meth:`within_fractions` of ``rng`` over the size of the space (ranks
        read as utilities; ``[]`` for an infinite space)."""
        first, last = _pair("rng", rng)
        if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in (first, last)):
            raise ValueError(f"rng must be two non-negative int ranks, got {rng!r}")
        size = math.prod(len(values) for values in self._values_ready())
        return self.within_fractions((min(first / size, 1.0), min(last / size, 1.0)))

    def _values_ready(self) -> Sequence[list[Any]]:
        self._ready()
        return self._values

    def min(self) -> float:
        """The lowest utility over the (discretized) space."""
        self._ready()
        return self._low

    def max(self) -> float:
        """The highest utility over the (discretized) space."""
        self._ready()
        return self._high

    def worst(self) -> Outcome | None:
        """The worst outcome of the (discretized) space."""
        return self._ready()[0]

    def best(self) -> Outcome | None:
        """The best outcome of the (discretized) space."""
        return self._ready()[1]

    def all(self, rng: Range, normalized: bool = False) -> list[Outcome]:
        """Refused: a constructing inverter cannot list every outcome in a range."""
        raise ValueError(
            f"{type(self).__name__} cannot list all outcomes in {rng!r}: "
            "use PresortingInverseUtilityFunction"
        )

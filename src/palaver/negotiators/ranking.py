"""A negotiator's outcomes sorted by its own utility, computed once per negotiation.

The built-in strategies never call the utility function per round: at the
start of a negotiation they evaluate every (discretized) outcome in one
vectorized call and sort once; proposing is then a bisection into the sorted
utilities and judging an offer a dictionary lookup.
"""

from __future__ import annotations

import math
import time
import weakref
from bisect import bisect_left
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from math import isnan
from typing import Any

import numpy as np

from palaver.mechanisms.table import check_space, outcome_table
from palaver.outcomes import Outcome, OutcomeSpace
from palaver.outcomes.constraints import cache_key
from palaver.preferences.protocol import (
    UtilityFunctionLike,
    checked_utilities,
    checked_utility,
    checked_utility_array,
)

#: The number of levels a continuous issue is discretized into when a strategy
#: needs to enumerate outcomes and the caller did not choose.
DEFAULT_N_LEVELS = 10


@dataclass(frozen=True, slots=True)
class OutcomeGrid:
    """The outcomes a strategy chooses its proposals from.

    Attributes:
        outcomes: Every outcome of the space, continuous issues discretized.
        array: ``OutcomeSpace.to_array(outcomes)`` (column-major), for vectorized utilities.
        index: Outcome -> position in ``outcomes`` (``None`` for huge spaces).
        objects: ``outcomes`` as a 1-D object array, for reordering in C.
    """

    outcomes: list[Outcome]
    array: np.ndarray
    index: dict[Outcome, int] | None
    objects: np.ndarray


# Enumerating a space and converting it to an array costs more than a whole
# negotiation's rounds, and the same space is negotiated over again and again;
# outcome spaces are immutable and hashable, so the grid is kept per space.
#: By the space's :func:`~palaver.outcomes.constraints.cache_key` and the levels.
_GRIDS: dict[tuple[tuple[Any, ...], int], OutcomeGrid] = {}
_MAX_GRIDS = 32


def outcome_grid(space: OutcomeSpace, n_levels: int = DEFAULT_N_LEVELS) -> OutcomeGrid:
    """The grid of ``space``, continuous issues discretized into ``n_levels`` values (cached).

    Shared between callers: do not modify it.
    """
    key = (cache_key(space), n_levels)
    try:
        grid = _GRIDS.get(key)
    except TypeError:  # unhashable: not a space (checked only then, off the hot path)
        grid = None
    if grid is None:
        check_space(space)
        grid_space = space if space.is_discrete else space.discretize(n_levels)
        table = outcome_table(grid_space)
        if table is not None:
            outcomes, index = table.outcomes, table.index
        else:
            outcomes, index = grid_space.enumerate(), None
        objects = np.empty(len(outcomes), dtype=object)
        for i, outcome in enumerate(outcomes):  # element-wise: tuples must stay whole
            objects[i] = outcome
        # Column-major: vectorized utilities work issue by issue (a column each).
        array = np.asfortranarray(grid_space.to_array(outcomes))
        grid = OutcomeGrid(outcomes, array, index, objects)
        if len(_GRIDS) >= _MAX_GRIDS:
            del _GRIDS[next(iter(_GRIDS))]
        _GRIDS[key] = grid
    return grid


# The quantization of stable_argsort's first pass, and the size below which a
# plain comparison sort is cheaper than two passes.
_KEY_LEVELS = 65535.0
_MIN_TWO_PASS = 256
_min = np.minimum.reduce
_max = np.maximum.reduce
_any = np.logical_or.reduce
_equal = np.equal
_count = np.count_nonzero  # cheaper than a reduction on a boolean array
_FLOAT = np.dtype(float)


def stable_argsort(values: np.ndarray) -> np.ndarray:
    """Exactly ``np.argsort(values, kind="stable")``, faster for large float arrays.

    A comparison sort of fresh data mispredicts a branch at about every other
    comparison, which makes sorting each negotiator's utilities (a thousand
    outcomes, new weights every negotiation) the costliest part of starting a
    negotiation. Here a radix sort (branch-free) of a 16-bit quantization of
    the values comes first; the quantization is monotone, so the values come
    out nearly sorted and equal values keep their original order. A stable
    sort of that nearly sorted sequence then finishes in about one pass, and
    keeps the order of equal values again: the result is the stable argsort.
    """
    if len(values) < _MIN_TWO_PASS or values.dtype != np.float64 or values.ndim != 1:
        return np.argsort(values, kind="stable")
    lo = float(_min(values))
    span = float(_max(values)) - lo
    # Constant values, NaN or infinities (no finite positive span), or a span so
    # small that the scale overflows: the plain sort handles them.
    scale = _KEY_LEVELS / span if 0.0 < span < math.inf else math.inf
    if scale == math.inf:
        return np.argsort(values, kind="stable")
    key = values - lo
    # No clamp needed: values - lo <= span after rounding too (rounding is
    # monotone), so a key exceeds 65535 by a few ulps at most and still
    # truncates to 65535 as a uint16.
    key *= scale
    # The methods, not np.argsort: its dispatch costs ~1.5 us a call, about a
    # tenth of sorting a thousand values.
    first = key.astype(np.uint16).argsort(kind="stable")
    second = values[first].argsort(kind="stable")
    return first[second]


_RADIX_FIRST: list[bool | None] = [None]
"""Whether :func:`stable_argsort` beats numpy's unstable sort here (decided on first use)."""


def _radix_first() -> bool:
    """Whether :func:`stable_argsort` sorts a thousand utilities faster than
    ``ndarray.argsort()`` on this CPU, timed once per process (~0.3 ms).

    numpy's unstable argsort of float64 is SIMD-accelerated on some CPUs
    (several times faster than a comparison sort there) and not on others:
    on the AMD EPYC the benchmarks run on it took 30 us for a thousand values
    against 18 us for the radix-first stable sort, and sorting is most of
    what starting a negotiation costs. Both give the same (stable) order.
    """
    sample = np.random.default_rng(0).random(1000)

    def best(sort: Callable[[], Any]) -> float:
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            sort()
            times.append(time.perf_counter() - t0)
        return min(times)

    return best(lambda: stable_argsort(sample)) < best(sample.argsort)


class RankingCache:
    """Rankings by utility function (identity), space and levels (see :func:`ranking_cache`)."""

    __slots__ = ("entries", "max_entries")

    def __init__(self, max_entries: int) -> None:
        self.entries: dict[
            tuple[int, tuple[Any, ...], int], tuple[UtilityFunctionLike, OutcomeRanking]
        ] = {}
        self.max_entries = max_entries


_active_cache: RankingCache | None = None


@contextmanager
def ranking_cache(
    max_entries: int = 4096, cache: RankingCache | None = None
) -> Iterator[RankingCache]:
    """Within the block, rank each utility function once per outcome space and keep it.

    A tournament meets the same utility functions again and again; inside this
    scope :func:`ranking_for` (what the built-in strategies call when a
    negotiation starts) returns the ranking built the first time, with its
    :attr:`OutcomeRanking.memo` (aspiration plans per round limit). Utility
    functions are recognised by identity and must not change while the scope
    is active. The oldest entries go beyond ``max_entries``. Scopes nest; the
    innermost one is used. Pass ``cache`` (the one a previous scope yielded)
    to carry rankings from one scope to the next.
    """
    global _active_cache
    previous = _active_cache
    _active_cache = cache if cache is not None else RankingCache(max_entries)
    try:
        yield _active_cache
    finally:
        _active_cache = previous


#: Rankings kept on one utility function (one per space and discretization).
_MAX_PER_UFUN = 8


def ranking_for(
    ufun: UtilityFunctionLike, space: OutcomeSpace, n_levels: int = DEFAULT_N_LEVELS
) -> OutcomeRanking:
    """The ranking of ``ufun`` over ``space``, built once where that is safe.

    Inside :func:`ranking_cache`, by the utility function's identity. Outside,
    a utility function that describes everything its values depend on
    (``ranking_fingerprint()``, e.g. :class:`~palaver.preferences.LinearUtilityFunction`)
    keeps its rankings itself, reused while that description is unchanged: an
    agent of a world ranks its outcomes once, not once per negotiation.
    Anything else is ranked anew.
    """
    cache = _active_cache
    if cache is not None:
        key = (id(ufun), cache_key(space), n_levels)
        hit = cache.entries.get(key)
        if hit is not None and hit[0] is ufun:
            return hit[1]
        ranking = OutcomeRanking(ufun, space, n_levels)
        entries = cache.entries
        if len(entries) >= cache.max_entries:
            del entries[next(iter(entries))]
        # The utility function is kept alive with its ranking, so its id cannot be reused.
        entries[key] = (ufun, ranking)
        return ranking
    fingerprint = getattr(ufun, "ranking_fingerprint", None)
    fp = fingerprint() if fingerprint is not None else None
    if fp is None:
        return OutcomeRanking(ufun, space, n_levels)
    # A utility function's own constraints change its utilities (a ruled-out
    # outcome is worth -inf): a ranking made before a change is not reused.
    fp = (fp, getattr(ufun, "_constraints", ()), getattr(ufun, "_invalid_value", None))
    store: dict[Any, tuple[Any, OutcomeRanking]] | None = getattr(ufun, "_palaver_rankings", None)
    slot = (cache_key(space), n_levels)
    if store is not None:
        hit2 = store.get(slot)
        if hit2 is not None and hit2[0] == fp:
            return hit2[1]
    ranking = OutcomeRanking(ufun, space, n_levels)
    try:
        if store is None:
            store = {}
            # The ranking holds the utility function only weakly: no reference cycle.
            setattr(ufun, "_palaver_rankings", store)  # noqa: B010 (not a protocol member)
        if len(store) >= _MAX_PER_UFUN:
            del store[next(iter(store))]
        store[slot] = (fp, ranking)
    except AttributeError:  # a utility function that takes no attributes: not kept
        pass
    return ranking


def _weak(ufun: Any) -> Callable[[], Any]:
    """A callable returning ``ufun`` while it lives (held strongly without weak references)."""
    try:
        return weakref.ref(ufun)
    except TypeError:  # no weak references to it (nor will it keep rankings: no attributes)
        return lambda: ufun


class OutcomeRanking:
    """Outcomes sorted by increasing utility for one utility function.

    Built once per negotiation with one vectorized evaluation and one sort.
    The Python lists (:attr:`outcomes`, :attr:`utilities`) are made on first
    use, so a strategy that only needs :meth:`at_least_many` and
    :meth:`utility` never pays for them.

    Attributes:
        min_utility: The lowest utility.
        max_utility: The highest utility.
        best: An outcome of highest utility.
    """

    __slots__ = (
        "_by_position",
        "_cache",
        "_eval",
        "_grid",
        "_index",
        "_order",
        "_outcomes",
        "_sorted",
        "_utilities",
        "_values",
        "best",
        "max_utility",
        "memo",
        "min_utility",
    )

    def __init__(
        self, ufun: UtilityFunctionLike, space: OutcomeSpace, n_levels: int = DEFAULT_N_LEVELS
    ) -> None:
        # Built once per negotiator and negotiation (each with new utilities):
        # a handful of array operations, and as little else as possible.
        grid = _GRIDS.get((cache_key(space), n_levels)) or outcome_grid(space, n_levels)
        eval_many = getattr(ufun, "eval_many", None)
        utils: np.ndarray
        if eval_many is not None:
            utils = eval_many(grid.array)
            if type(utils) is not np.ndarray or utils.dtype != _FLOAT:
                utils = checked_utility_array(utils, ufun, grid.outcomes)
        else:  # a utility function of one's own without the vectorized member
            utils = checked_utilities(ufun.eval, grid.outcomes, ufun)
        # Either sort gives the stable order: the radix one directly, the
        # unstable one exactly when no two utilities are equal (checked below).
        # Which is faster depends on the CPU (see _radix_first).
        radix = _RADIX_FIRST[0]
        if radix is None:
            radix = _RADIX_FIRST[0] = _radix_first()
        order = stable_argsort(utils) if radix else utils.argsort()
        ranked = utils.take(order)
        if len(ranked) and isnan(ranked[-1]):  # NaNs sort last
            # A NaN cannot be ranked: every comparison with it is false, so the
            # negotiator would concede or accept at random, silently.
            where = int(np.flatnonzero(np.isnan(utils))[0])
            raise ValueError(
                f"the utility function {ufun!r} gives NaN for outcome {grid.outcomes[where]!r}: "
                "utilities must be numbers (return a low utility, e.g. the reserved value, "
                "for outcomes that are not acceptable)"
            )
        if not radix and len(ranked) > 1 and _count(_equal(ranked[1:], ranked[:-1])):
            order = stable_argsort(utils)
            ranked = utils.take(order)
        self._grid = grid
        self._order = order
        self._sorted = ranked
        self._outcomes: list[Outcome] | None = None
        self._utilities: list[float] | None = None
        self.min_utility: float = ranked.item(0)
        self.max_utility: float = ranked.item(-1)
        self.best: Outcome = grid.outcomes[order.item(-1)]
        self._index = grid.index if grid.index is not None else {}
        # ndarray.item reads one utility as a Python float; a negotiation looks
        # up far fewer offers than there are outcomes, so converting the whole
        # array to a list would cost more.
        self._by_position: Callable[[int], float] = utils.item
        utils.setflags(write=False)
        self._values = utils
        # Weakly: a utility function may keep its rankings (see ranking_for).
        self._eval: Callable[[], Any] = _weak(ufun)
        # Offers off the grid (continuous issues) are evaluated once each.
        self._cache: dict[Outcome, float] = {}
        #: Free room for strategies to keep what depends only on this ranking
        #: (an aspiration plan for a round limit, say): with
        #: :func:`ranking_cache` active it outlives the negotiation.
        self.memo: dict[Any, Any] = {}

    def __len__(self) -> int:
        return len(self._order)

    def __getstate__(self) -> dict[str, Any]:
        # Weak references do not pickle: the utility function goes in itself.
        state = {name: getattr(self, name) for name in self.__slots__}
        state["_eval"] = self._eval()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        ufun = state.pop("_eval")
        for name, value in state.items():
            setattr(self, name, value)
        self._eval = _weak(ufun)

    @property
    def outcomes(self) -> list[Outcome]:
        """The (discretized) outcomes, worst first."""
        if self._outcomes is None:
            self._outcomes = self._grid.objects[self._order].tolist()
        return self._outcomes

    @property
    def utilities(self) -> list[float]:
        """The utilities of :attr:`outcomes`, increasing (a list, for bisection)."""
        if self._utilities is None:
            self._utilities = self._sorted.tolist()
        return self._utilities

    @property
    def lookup(self) -> tuple[dict[Outcome, int], Callable[[int], float]]:
        """``(index, utility_at)``: ``u = utility_at(index[o])`` for grid outcomes.

        For strategies that inline the lookup on their hot path; anything not in
        ``index`` must go through :meth:`utility`.
        """
        return self._index, self._by_position

    def utility(self, outcome: Outcome) -> float:
        """The utility of ``outcome`` (any valid outcome, on the grid or not)."""
        i = self._index.get(outcome)
        if i is not None:
            return self._by_position(i)
        u = self._cache.get(outcome)
        if u is None:
            ufun = self._eval()
            if ufun is None:
                raise ReferenceError("the utility function of this ranking no longer exists")
            u = checked_utility(ufun.eval(outcome), ufun, outcome)
            if isnan(u):
                raise ValueError(
                    f"the utility function {ufun!r} gives NaN for outcome {outcome!r}: "
                    "utilities must be numbers"
                )
            self._cache[outcome] = u
        return u

    def lowest_finite_utility(self) -> float:
        """The lowest utility that is a finite number (``-inf`` when none is):
        what a strategy concedes down to when some outcomes are worth ``-inf``
        (ruled out by a constraint of the utility function or of the space)."""
        finite = np.flatnonzero(np.isfinite(self._sorted))
        return float(self._sorted[finite[0]]) if len(finite) else -math.inf

    def index_at_least(self, level: float) -> int:
        """The position of the worst outcome with utility >= ``level`` (``len`` if none)."""
        return bisect_left(self.utilities, level)

    def at_least(self, level: float) -> Outcome:
        """The worst outcome whose utility is at least ``level`` (the best if none reaches it)."""
        i = bisect_left(self.utilities, level)
        return self.outcomes[i] if i < len(self._order) else self.best

    def at_least_many(self, levels: np.ndarray) -> list[Outcome]:
        """:meth:`at_least` for each of many levels at once (vectorized)."""
        outcomes: list[Outcome] = self._grid.objects[self.positions_at_least(levels)].tolist()
        return outcomes

    def positions_at_least(self, levels: np.ndarray) -> np.ndarray:
        """The grid positions (in :attr:`lookup`'s index) of :meth:`at_least_many`'s outcomes."""
        # Searching all but the best gives min(position, n - 1): a level above
        # every utility maps to the best outcome, without a second pass.
        positions = self._sorted[:-1].searchsorted(levels)
        return self._order.take(positions)

    @property
    def grid_objects(self) -> np.ndarray:
        """The grid outcomes as a 1-D object array, by grid position (shared: do not modify)."""
        return self._grid.objects

    @property
    def values(self) -> np.ndarray:
        """The utility of each grid outcome, by grid position (read-only)."""
        return self._values

    @property
    def sorted_values(self) -> np.ndarray:
        """:attr:`utilities` as an array, increasing (shared: do not modify)."""
        return self._sorted

    @property
    def order(self) -> np.ndarray:
        """The grid position of each of :attr:`outcomes`, worst first (shared: do not modify)."""
        return self._order

"""Time-based concession: the aspiration negotiator and its presets."""

from __future__ import annotations

import functools
import math
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, overload

import numpy as np

from palaver._util.checks import check_bool, check_real
from palaver.mechanisms import MechanismState, ResponseType
from palaver.mechanisms.plan import RoundPlan
from palaver.negotiators.base import SAONegotiator, offer_of, state_dependent
from palaver.negotiators.ranking import DEFAULT_N_LEVELS, OutcomeRanking
from palaver.outcomes import Outcome
from palaver.preferences.inverse import InverseUtilityFunction
from palaver.preferences.protocol import UtilityFunctionLike, checked_utility, utility_of

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER
_END = ResponseType.END_NEGOTIATION

# Beyond this many rounds the proposals are not planned ahead (memory).
_MAX_PLANNED_ROUNDS = 10_000

#: The exponent of each named concession curve.
ASPIRATION_EXPONENTS: dict[str, float] = {"boulware": 4.0, "linear": 1.0, "conceder": 0.25}


def aspiration_exponent(aspiration_type: str | float, parameter: str = "aspiration_type") -> float:
    """The exponent for a preset name (``boulware``, ``linear``, ``conceder``) or a number > 0.

    ``parameter`` is the name the caller's user gave the curve under
    (``offering_curve``, ...): errors name it.
    """
    if type(aspiration_type) is str:  # a preset's own name, the common case
        exponent = ASPIRATION_EXPONENTS.get(aspiration_type)
        if exponent is not None:
            return exponent
    if isinstance(aspiration_type, str):
        try:
            return ASPIRATION_EXPONENTS[aspiration_type.lower()]
        except KeyError:
            raise ValueError(
                f"unknown {parameter} {aspiration_type!r}; use one of "
                f"{sorted(ASPIRATION_EXPONENTS)} or a positive number"
            ) from None
    if isinstance(aspiration_type, bool) or not isinstance(aspiration_type, int | float):
        raise ValueError(f"{parameter} must be a name or a number, got {aspiration_type!r}")
    if not aspiration_type > 0:
        raise ValueError(
            f"{parameter} must be a name or an exponent > 0, got the exponent {aspiration_type!r}"
        )
    return float(aspiration_type)


@functools.lru_cache(maxsize=64)
def _concession_curve(n_steps: int, exponent: float) -> tuple[list[float], np.ndarray]:
    """The relative time of each round of a round-limited negotiation, and ``1 - t ** exponent``.

    The same for every negotiation with these limits, so computed once (the
    array is read-only: it is shared).
    """
    times = np.arange(1, n_steps + 1, dtype=float) * (1.0 / (n_steps + 1))
    remaining = 1.0 - times**exponent
    remaining.flags.writeable = False
    return times.tolist(), remaining


class _Remaining(Sequence[float]):
    """``1 - t ** exponent`` at each planned round time, computed as :meth:`respond` does.

    Python's ``**`` (C ``pow``) and numpy's vectorized power may differ in the
    last bit, and a round plan must answer exactly as ``respond`` would, so the
    values are computed in Python: lazily, in growing blocks, because most
    negotiations end long before their round limit.
    """

    __slots__ = ("_array", "_exponent", "_inv", "_n", "_values")

    def __init__(self, n_steps: int, exponent: float) -> None:
        self._n = n_steps
        self._exponent = exponent
        self._inv = 1.0 / (n_steps + 1)  # the mechanism's relative time step
        self._values: list[float] = []
        # _values as a read-only array, remade when _values grows: one is
        # shared by every negotiation with these limits, which read slices.
        self._array = np.empty(0)

    def __len__(self) -> int:
        return self._n

    def _fill(self, end: int) -> None:
        values = self._values
        end = min(self._n, max(end, 2 * len(values), 64))
        e, inv = self._exponent, self._inv
        values.extend([1.0 - ((k + 1) * inv) ** e for k in range(len(values), end)])

    @overload
    def __getitem__(self, k: int) -> float: ...

    @overload
    def __getitem__(self, k: slice) -> list[float]: ...

    def __getitem__(self, k: int | slice) -> float | list[float]:
        if isinstance(k, slice):
            self._fill(self._n if k.stop is None else k.stop)
            return self._values[k]
        if k < 0:
            k += self._n
        if not 0 <= k < self._n:
            raise IndexError(k)
        if k >= len(self._values):
            self._fill(k + 1)
        return self._values[k]

    def array(self, start: int, end: int) -> np.ndarray:
        """Rounds ``start`` to ``end - 1`` as a read-only array (the same numbers)."""
        if end > len(self._array) and len(self._array) < self._n:
            if end > len(self._values):
                self._fill(end)
            self._array = np.array(self._values, dtype=float)
            self._array.flags.writeable = False
        return self._array[start:end]


class Proposals(Sequence[Outcome]):
    """The planned proposal of each round, made into Python objects only when read.

    Most negotiations end long before their last planned round, and the
    mechanism's array pass reads positions, not outcomes.
    """

    __slots__ = ("_made", "_objects", "_positions")

    def __init__(self, objects: np.ndarray, positions: np.ndarray) -> None:
        self._objects = objects
        self._positions = positions
        # The first rounds' proposals as Python objects, grown in blocks as
        # they are read (the plan is shared by every negotiation that finds it
        # in its ranking's memo, and each reads its rounds from the first on).
        self._made: list[Outcome] = []

    def __len__(self) -> int:
        return len(self._positions)

    def _make(self, stop: int) -> list[Outcome]:
        """:attr:`_made` holding at least the first ``stop`` proposals (``stop <= len``)."""
        made = self._made
        if stop > len(made):
            end = min(len(self._positions), max(stop, 2 * len(made), 128))
            made.extend(self._objects[self._positions[len(made) : end]].tolist())
        return made

    @overload
    def __getitem__(self, k: int) -> Outcome: ...

    @overload
    def __getitem__(self, k: slice) -> list[Outcome]: ...

    def __getitem__(self, k: int | slice) -> Outcome | list[Outcome]:
        if type(k) is int:  # propose() in every round the mechanism does not plan
            made = self._made
            if 0 <= k < len(made):
                return made[k]
            if k == len(made) and k < len(self._positions):  # reading on: grow the block
                return self._make(k + 1)[k]
            outcome: Outcome = self._objects[self._positions[k]]
            return outcome
        if isinstance(k, slice):
            start, stop = k.start, k.stop
            if (
                k.step is None
                and (start is None or start >= 0)
                and stop is not None
                and 0 <= stop <= len(self._positions)
            ):
                return self._make(stop)[k]
            outcomes: list[Outcome] = self._objects[self._positions[k]].tolist()
            return outcomes
        found: Outcome = self._objects[self._positions[k]]
        return found


@functools.lru_cache(maxsize=256)
def _remaining(n_steps: int, exponent: float) -> _Remaining:
    return _Remaining(n_steps, exponent)


@functools.lru_cache(maxsize=256)
def _one_curve(n_steps: int, exponent: float) -> bool:
    """Whether numpy's curve (the planned proposals') and Python's (the answers')
    are the same numbers for these limits (for Boulware over 100 rounds they are).

    Then a plan's proposal levels are also its acceptance thresholds, bit for bit.
    """
    curve = _concession_curve(n_steps, exponent)[1]
    return bool(np.array_equal(curve, _remaining(n_steps, exponent).array(0, n_steps)))


class AspirationNegotiator(SAONegotiator):
    """Concedes over time from its best utility down to its reserved value.

    At relative time ``t`` (``state.relative_time``) its aspiration is::

        floor + (best - floor) * (1 - t ** exponent)

    where ``best`` is its highest utility and ``floor`` the larger of its
    reserved value and its lowest utility. It proposes the outcome of lowest
    utility that still meets the aspiration, and accepts an offer worth at
    least the aspiration. ``exponent > 1`` concedes late (Boulware, 4),
    ``1`` linearly, ``< 1`` early (Conceder, 0.25). When no outcome is worth
    its reserved value it ends the negotiation at its first chance (and makes
    no offers). Deterministic: it draws no random numbers.

    The presets :class:`BoulwareNegotiator`, :class:`LinearNegotiator` and
    :class:`ConcederNegotiator` are this class with another
    :attr:`default_aspiration`; a subclass of one's own may set it too.

    Args:
        aspiration_type: ``"boulware"``, ``"linear"``, ``"conceder"`` or the
            exponent itself (``None``: the class's :attr:`default_aspiration`,
            ``"boulware"`` here). Given explicitly it overrides a preset's.
        n_levels: Levels per continuous issue for its own proposals.
        max_aspiration: NegMAS's starting aspiration, a share of the range
            between ``floor`` and ``best`` in ``[0, 1]``: the aspiration is
            ``floor + (best - floor) * max_aspiration * (1 - t ** exponent)``
            (default 1: start at the best outcome).
        tolerance: NegMAS's slack, in utility: it proposes the worst outcome
            worth at least the aspiration minus ``tolerance`` and accepts
            offers worth that much (default 0, where NegMAS's is 0.001).
        stochastic: NegMAS's option: ``True`` proposes an outcome drawn
            uniformly (from the generator the mechanism hands it) among those
            worth at least the aspiration minus ``tolerance``, instead of the
            worst of them.
        presort: NegMAS's option; only ``True`` (its default) is supported.
        ufun_inverter: NegMAS's option: a class (or any callable) making an
            inverse utility function from the ufun, e.g.
            :class:`~palaver.preferences.SamplingInverseUtilityFunction`. The
            negotiator then proposes the inverter's ``worst_in`` (``one_in``
            when ``stochastic``) of the range from the aspiration to the best
            utility, or its best outcome when that finds none, instead of
            searching its own ranking; it has no round plan then. ``None``
            (the default): its own ranking, which answers exactly as a
            presorting inverter's ``worst_in``.
    """

    needs_ufun = True

    #: The concession curve when ``aspiration_type`` is not given (what the presets change).
    default_aspiration: ClassVar[str | float] = "boulware"

    def __init__(
        self,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        *,
        aspiration_type: str | float | None = None,
        n_levels: int = DEFAULT_N_LEVELS,
        max_aspiration: float = 1.0,
        tolerance: float = 0.0,
        stochastic: bool = False,
        presort: bool = True,
        ufun_inverter: Callable[[Any], InverseUtilityFunction] | None = None,
        owner: Any = None,
        private_info: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            name=name,
            ufun=ufun,
            preferences=preferences,
            id=id,
            owner=owner,
            private_info=private_info,
            n_levels=n_levels,
        )
        if aspiration_type is None:
            aspiration_type = type(self).default_aspiration
        self.exponent = aspiration_exponent(aspiration_type)
        # Plain floats in range and flags (the usual values, NaN failing the
        # comparisons) are taken without the checks' calls: a negotiator is
        # made per negotiation.
        # The messages show the value as given (2, not 2.0).
        if type(max_aspiration) is float and 0.0 <= max_aspiration <= 1.0:
            self.max_aspiration = max_aspiration
        else:
            self.max_aspiration = check_real("max_aspiration", max_aspiration)
            if not 0.0 <= self.max_aspiration <= 1.0:
                raise ValueError(
                    f"max_aspiration must be a share of the utility range in [0, 1], "
                    f"got {max_aspiration!r}"
                )
        if type(tolerance) is float and 0.0 <= tolerance < math.inf:
            self.tolerance = tolerance
        else:
            self.tolerance = check_real("tolerance", tolerance)
            if self.tolerance < 0.0:
                raise ValueError(f"tolerance must be a number >= 0, got {tolerance!r}")
        if stochastic is not False and stochastic is not True:
            stochastic = check_bool("stochastic", stochastic)
        self.stochastic = stochastic
        if presort is not True and check_bool("presort", presort) is not True:
            # NegMAS's presort=False leaves it without an inverse utility
            # function: it can then only offer its best outcome.
            raise ValueError(
                "presort must be True (NegMAS's default): an AspirationNegotiator "
                "without presorting could only offer its best outcome; got False "
                "(use ToughNegotiator for that)"
            )
        if ufun_inverter is not None and not callable(ufun_inverter):
            raise ValueError(
                f"ufun_inverter must be None or an inverse utility function class "
                f"(e.g. PresortingInverseUtilityFunction), got {ufun_inverter!r}"
            )
        self._ufun_inverter = ufun_inverter
        self._inverse: InverseUtilityFunction | None = None
        self._plan_times: list[float] = []
        self._plan: Sequence[Outcome] = []
        self._plan_positions: np.ndarray | None = None
        self._index: dict[Outcome, int] = {}
        self._by_position: Callable[[int], float] = float
        self._floor = 0.0
        self._span = 0.0
        self._hopeless = False
        self._live = False
        # This negotiation's plan as kept in its ranking's memo (see on_negotiation_start).
        self._memo: list[Any] | None = None

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Rank the outcomes, set the curve's end points and plan the proposals."""
        super().on_negotiation_start(state)
        ranking = self.ranking
        nmi = self.nmi
        assert ranking is not None and nmi is not None
        reserved = self.reserved_value
        lo, hi = ranking.min_utility, ranking.max_utility
        if lo == -math.inf:
            # Outcomes worth -inf (ruled out by a constraint) are never aimed at:
            # the curve ends at the lowest utility an outcome can have.
            lo = ranking.lowest_finite_utility()
        self._index, self._by_position = ranking.lookup
        floor = lo if lo > reserved else reserved  # max(reserved, lo)
        # NegMAS's max_aspiration scales the curve; its tolerance lowers every
        # level by the same amount. Both folded in here, so that propose,
        # respond and the round plan all read one floor and one span.
        self._span = span = (hi - floor) * self.max_aspiration
        self._floor = floor = floor - self.tolerance
        self._hopeless = hopeless = hi < reserved
        self._live = state_dependent(self.ufun)
        self._plan_times = []
        self._plan = []
        self._plan_positions = None
        self._memo = None
        n_steps = nmi.n_steps
        if self._ufun_inverter is not None:
            self._inverse = self._ufun_inverter(self.ufun)
            self._inverse.init()
        if (
            n_steps is not None
            and n_steps <= _MAX_PLANNED_ROUNDS
            and not hopeless
            and not self.stochastic
            and self._inverse is None
            and not self._live
        ):
            # A round-limited mechanism shows relative time (k + 1) / (n_steps + 1)
            # in round k (see MechanismState): the proposals for those times are
            # found in one vectorized search instead of one bisection per round,
            # and kept in round order so that propose() finds this round's by
            # position. Any other time (a time limit, another mechanism) falls
            # back to bisection in propose().
            self._plan_times, remaining = _concession_curve(n_steps, self.exponent)
            key = ("aspiration", n_steps, self.exponent, floor, span)
            memo = ranking.memo.get(key)
            if memo is None:
                levels = remaining * span  # floor + span * remaining, as respond() computes it
                levels += floor
                positions = ranking.positions_at_least(levels)
                positions.setflags(write=False)
                levels.setflags(write=False)
                # [proposals, positions, the RoundPlan once made, levels]
                memo = ranking.memo[key] = [
                    Proposals(ranking.grid_objects, positions),
                    positions,
                    None,
                    levels,
                ]
            self._memo = memo
            self._plan = memo[0]
            self._plan_positions = memo[1]

    def round_plan(self, n_steps: int) -> RoundPlan | None:
        """This negotiation's proposals and thresholds per round (see :class:`RoundPlan`).

        ``None`` when they are not known in advance: no plan was made (more than
        10,000 rounds, no round limit, no outcome worth the reserved value,
        ``stochastic``, a utility function that depends on the state), or a
        subclass overrides :meth:`propose` or :meth:`respond` (or either was
        replaced on the negotiator itself).
        """
        cls = type(self)
        memo = self._memo
        if (
            memo is None
            or cls.propose is not AspirationNegotiator.propose
            or cls.respond is not AspirationNegotiator.respond
            or self._hopeless
            or self._live
            # A method replaced on the instance (a spy, a wrapper) must be called.
            or "propose" in self.__dict__
            or "respond" in self.__dict__
            or len(self._plan_positions) != n_steps  # type: ignore[arg-type]
        ):
            return None
        plan: RoundPlan | None = memo[2]
        if plan is None:  # the same for every negotiation that finds this memo
            assert self.ranking is not None
            remaining = _remaining(n_steps, self.exponent)
            plan = memo[2] = RoundPlan(
                proposals=self._plan,
                floor=self._floor,
                span=self._span,
                remaining=remaining,
                index=self._index,
                utility_at=self._by_position,
                positions=self._plan_positions,
                utilities=self.ranking.values,
                remaining_slice=remaining.array,
                # The levels are floor + span * remaining, as respond() computes
                # them, when both curves are one.
                thresholds=memo[3] if _one_curve(n_steps, self.exponent) else None,
            )
        return plan

    def utility_at(self, t: float) -> float:
        """The aspiration (a utility) at relative time ``t``."""
        return self._floor + self.tolerance + self._span * (1.0 - float(t**self.exponent))

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """The least-utility outcome that meets the current aspiration."""
        t = state.relative_time
        times = self._plan_times
        k = state.step
        if k < len(times) and times[k] == t:  # the planned time of this round
            return self._plan[k]
        k = bisect_left(times, t)  # a planned time shown in another round
        if k < len(times) and times[k] == t:
            return self._plan[k]
        if self._hopeless:
            return None
        level = self._floor + self._span * (1.0 - t**self.exponent)
        if self._inverse is not None:
            inverse = self._inverse
            search = inverse.one_in if self.stochastic else inverse.worst_in
            found = search((level, max(level, inverse.max())), False)
            return found if found is not None else inverse.best()
        ranking = self._ranked()
        if self._live:
            return self._live_at_least(ranking, level)
        if self.stochastic:
            lo, n = ranking.index_at_least(level), len(ranking)
            if lo < n:
                return ranking.outcomes[lo + int(self.random.integers(n - lo))]
        return ranking.at_least(level)

    def _live_at_least(self, ranking: OutcomeRanking, level: float) -> Outcome:
        """The worst outcome whose value *now* (a state-dependent function's) is at
        least ``level``, else the best, as NegMAS's time-based strategies choose.

        Bisects the start ranking with the function's current values, which
        assumes the state moves values without reordering outcomes (true of
        NegMAS's exponential and linear discounts): O(log n) evaluations.
        """
        ufun = self._own_ufun()
        outcomes = ranking.outcomes
        n = len(ranking)
        i = bisect_left(range(n), level, key=lambda k: utility_of(ufun, outcomes[k]))
        if i >= n:
            return ranking.best
        if self.stochastic:
            i += int(self.random.integers(n - i))
        found: Outcome = outcomes[i]
        return found

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """Accept when the offer is worth at least the current aspiration."""
        if offer.__class__ is not tuple:  # NegMAS: super().respond(state, source)
            offer = offer_of(state, offer)
        if self._live:  # a discounted function: its value now, as NegMAS reads it
            u = checked_utility(self._own_ufun()(offer), self._own_ufun(), offer)
        else:
            i = self._index.get(offer)
            u = self._by_position(i) if i is not None else self._ranked().utility(offer)
        if self._hopeless:
            return _END
        if u >= self._floor + self._span * (1.0 - state.relative_time**self.exponent):
            return _ACCEPT
        return _REJECT


class BoulwareNegotiator(AspirationNegotiator):
    """An :class:`AspirationNegotiator` that concedes late (exponent 4)."""

    default_aspiration = "boulware"


class LinearNegotiator(AspirationNegotiator):
    """An :class:`AspirationNegotiator` that concedes at a constant rate (exponent 1)."""

    default_aspiration = "linear"


class ConcederNegotiator(AspirationNegotiator):
    """An :class:`AspirationNegotiator` that concedes early (exponent 0.25)."""

    default_aspiration = "conceder"

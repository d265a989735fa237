"""``RankOnlyUtilityFunction``: NegMAS's utility function that keeps only the order of outcomes."""

from __future__ import annotations

import math
from typing import Any

from palaver._util.checks import check_bool, check_real
from palaver.outcomes import Outcome, OutcomeSpaceError
from palaver.preferences.base import UtilityFunction
from palaver.preferences.distributions import Distribution
from palaver.preferences.mapping import MappingUtilityFunction
from palaver.preferences.protocol import checked_ranked_utilities

__all__ = ["RankOnlyUtilityFunction"]


class RankOnlyUtilityFunction(UtilityFunction):
    """Each outcome's rank under ``ufun``: 0 for the worst, counting up to the best.

    The space must be discrete. A finite reserved value is ranked with the
    outcomes (no agreement then has a rank too, and ``reserved_value`` is that
    integer); an infinite one stays as it is. With ``randomize_equal`` every
    outcome gets its own rank, ties in the order the space enumerates them
    (what NegMAS does, despite the name: nothing is random); otherwise
    utilities less than ``eps`` apart share a rank. ``to_mapping_ufun()`` gives
    the ranks as a :class:`MappingUtilityFunction`.
    """

    def __init__(
        self, ufun: UtilityFunction, randomize_equal: bool = False, eps: float = 1e-7
    ) -> None:
        if not all(hasattr(ufun, a) for a in ("outcome_space", "eval_many", "reserved_value")):
            raise TypeError(
                f"ufun must be a utility function (see palaver.preferences), got {ufun!r:.80} "
                f"({type(ufun).__name__})"
            )
        # bool() took "no" for True; an eps of NaN or "x" failed, or ranked, later.
        randomize_equal = check_bool("randomize_equal", randomize_equal)
        if check_real("eps", eps) < 0:
            raise ValueError(f"eps must be a finite number >= 0, got {eps!r}")
        space = ufun.outcome_space
        if space is None or not space.is_discrete:
            raise OutcomeSpaceError(
                "RankOnlyUtilityFunction needs a utility function with a discrete outcome "
                f"space, got {space!r}"
            )
        outcomes: list[Outcome | None] = list(space.enumerate())
        # A NaN compared false with everything: it was ranked 0 with no word.
        utils = checked_ranked_utilities(ufun.eval_many(outcomes), ufun, outcomes).tolist()  # type: ignore[arg-type]
        rv = ufun.reserved_value
        if math.isfinite(rv):
            outcomes.append(None)
            utils.append(rv)
        # A stable sort: equal utilities keep the enumeration order.
        order = sorted(range(len(utils)), key=utils.__getitem__, reverse=True)
        ranks: dict[Outcome | None, int] = {}
        if randomize_equal:
            top = len(order) - 1
            ranks = {outcomes[j]: top - i for i, j in enumerate(order)}
        else:
            level, last, levels = -1, math.inf, []
            for j in order:
                if abs(last - utils[j]) > eps:
                    level += 1
                last = utils[j]
                levels.append(level)
            ranks = {outcomes[j]: level - r for j, r in zip(order, levels, strict=True)}
        self._mapping = ranks
        super().__init__(rv, space)

    @property
    def reserved_value(self) -> float:
        """The rank of no agreement (an int), or the infinite reserved value kept as is."""
        return self._reserved_value

    @reserved_value.setter
    def reserved_value(self, value: float | Distribution) -> None:
        # A finite reserved value is replaced by its rank (known once ranked), an int.
        rank = getattr(self, "_mapping", {}).get(None)
        UtilityFunction.reserved_value.fset(self, value if rank is None else rank)  # type: ignore[attr-defined]
        if math.isfinite(self._reserved_value):
            self._reserved_value = int(self._reserved_value)

    def eval(self, outcome: Outcome) -> float:
        """The rank of an outcome of the space (``KeyError`` for another)."""
        try:
            return self._mapping[tuple(outcome)]
        except KeyError:
            raise KeyError(f"outcome {outcome!r} is not in the ranked outcome space") from None

    def minmax(self, outcome_space: Any = None) -> tuple[float, float]:
        """``(0, highest rank of an outcome)`` over the space ranked."""
        ranks = [r for o, r in self._mapping.items() if o is not None]
        return min(ranks), max(ranks)

    def to_mapping_ufun(self) -> MappingUtilityFunction:
        """The ranks as a :class:`MappingUtilityFunction` over the same space."""
        table = {o: r for o, r in self._mapping.items() if o is not None}
        made = MappingUtilityFunction(
            table, reserved_value=self.reserved_value, outcome_space=self.outcome_space
        )
        # The rank of no agreement stays an int, as every other rank (NegMAS's).
        made._reserved_value = self._reserved_value
        return made

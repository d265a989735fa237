"""The scenarios a :class:`~palaver.scenarios.Scenario` derives: rotated roles, other
reserved values, no discounting, discretised issues, normalised utilities, one
issue holding every outcome.

Every transform returns a new scenario and leaves its own unchanged; cached
outcomes, utilities and statistics are reused where the transform keeps them.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.preferences.value_functions import TableFun
from palaver.scenarios.canonical import additive_range
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.stats import compute_stats
from palaver.scenarios.transform import normalized, rebound, with_reserved
from palaver.scenarios.validate import check_flags

if TYPE_CHECKING:
    import numpy as np

    from palaver.outcomes import Outcome
    from palaver.preferences import UtilityFunction
    from palaver.scenarios.scenario import Scenario
    from palaver.scenarios.stats import ScenarioStats

__all__ = ["DerivedScenarios"]


class DerivedScenarios:
    """The transforms of ``Scenario`` (a base of it)."""

    if TYPE_CHECKING:
        info: dict[str, Any]
        _space: OutcomeSpace
        _ufuns: tuple[UtilityFunction, ...]
        _discounts: tuple[float, ...]
        _ufun_names: tuple[str, ...]
        _outcomes: tuple[Outcome, ...] | None
        _utilities: np.ndarray | None
        _stats: ScenarioStats | None

        @property
        def outcomes(self) -> tuple[Outcome, ...]: ...
        @property
        def utilities(self) -> np.ndarray: ...
        @property
        def reserved_values(self) -> tuple[float, ...]: ...
        def _derived(
            self,
            ufuns: Sequence[UtilityFunction],
            discounts: Sequence[float] | None = None,
            names: Sequence[str] | None = None,
            info: Mapping[str, Any] | None = None,
            space: OutcomeSpace | None = None,
        ) -> Scenario: ...

    def rotate_ufuns(self, n: int = 1, rotate_info: bool = True) -> Scenario:
        """A scenario with the utility functions moved ``n`` roles to the right.

        ``(u0, u1, u2).rotate_ufuns(1)`` holds ``(u2, u0, u1)``: party 0 now
        plays the role of the former last party. ``n`` may be negative and is
        taken modulo the number of parties. Reserved values, discount factors
        and names move with their utility functions; with ``rotate_info``,
        ``info`` values that are lists or tuples of one entry per party move
        too. Cached utilities and statistics are reused, not recomputed.
        """
        if isinstance(n, bool) or not isinstance(n, int):
            raise ScenarioError(f"rotate_ufuns: n must be an int, got {n!r}")
        check_flags("rotate_ufuns", rotate_info=rotate_info)
        k = len(self._ufuns)
        n %= k

        def rot(seq: Sequence[Any]) -> list[Any]:
            items = list(seq)
            return items[-n:] + items[:-n] if n else items

        info = copy.deepcopy(dict(self.info))
        if rotate_info:
            info = {
                key: type(v)(rot(v)) if isinstance(v, list | tuple) and len(v) == k else v
                for key, v in info.items()
            }
        out = self._derived(rot(self._ufuns), rot(self._discounts), rot(self._ufun_names), info)
        out._outcomes = self._outcomes
        if self._utilities is not None:
            perm = rot(range(k))
            out._utilities = self._utilities[:, perm]
            out._utilities.setflags(write=False)
            if self._stats is not None and not self._stats.sampled:
                out._stats = compute_stats(
                    out.outcomes, out._utilities, out.reserved_values, False, self._stats
                )
        return out

    def rotated(self, k: int) -> Scenario:
        """The scenario with roles rotated by ``k`` (see :meth:`rotate_ufuns`)."""
        return self.rotate_ufuns(k)

    def rotations(self) -> list[Scenario]:
        """Every role assignment by rotation: ``[self.rotated(0), self.rotated(1), ...]``."""
        return [self.rotate_ufuns(k) for k in range(len(self._ufuns))]

    def with_reserved_values(self, reserved_values: Sequence[float]) -> Scenario:
        """A scenario whose utility functions have these reserved values (copies)."""
        ufuns = with_reserved(self._ufuns, reserved_values)
        out = self._derived(ufuns)
        out._outcomes, out._utilities = self._outcomes, self._utilities
        return out

    def remove_reserved_values(self, r: float = -math.inf) -> Scenario:
        """A scenario where every reserved value is ``r`` (default ``-inf``: no reservation)."""
        return self.with_reserved_values([r] * len(self._ufuns))

    def remove_discounting(self) -> Scenario:
        """A scenario with every discount factor set to 1."""
        out = self._derived(self._ufuns, discounts=(1.0,) * len(self._ufuns))
        out._outcomes, out._utilities = self._outcomes, self._utilities
        return out

    def discretize(self, levels: int | Mapping[str, int] = 10) -> Scenario:
        """A scenario over the outcome space with continuous issues discretised.

        The utility functions are copied onto the discrete space (a discrete
        issue's values are values of the continuous one, so utilities agree).
        """
        space = self._space.discretize(levels)
        return self._derived(rebound(self._ufuns, space), space=space)

    def to_single_issue(
        self,
        numeric: bool = False,
        stringify: bool = True,
        randomize: bool = False,
        recalculate_stats: bool = True,
    ) -> Scenario:
        """NegMAS's single-issue form: one issue whose values are the outcomes.

        The issue (named after the issues, joined by ``-``) holds ``"v0"``,
        ``"v1"``, ... (``stringify``, the default), the integers ``0..n-1``
        (``numeric``) or the outcome tuples themselves, in enumeration order;
        each utility function becomes a table over it with the same
        utilities and reserved value, and the discount factors stay. A
        scenario of one issue is returned as it is. Unlike NegMAS, which
        changes the scenario in place, this returns a new one (statistics are
        computed on first use, so ``recalculate_stats`` changes nothing).
        ``randomize=True`` (NegMAS shuffles the values) is refused: the order
        is the enumeration order. A continuous issue must be discretized first
        (``discretize(levels)``).
        """
        check_flags(
            "to_single_issue",
            numeric=numeric,
            stringify=stringify,
            randomize=randomize,
            recalculate_stats=recalculate_stats,
        )
        if randomize:
            raise ScenarioError(
                "to_single_issue: randomize=True is not supported (the values keep the "
                "enumeration order); give randomize=False"
            )
        if len(self._space.issues) == 1:
            return self  # type: ignore[return-value]
        if self._space.is_continuous:
            raise ScenarioError(
                f"to_single_issue: scenario {self._space.issue_names} has a continuous "
                "issue; call discretize(levels) first"
            )
        outcomes = self.outcomes
        n = len(outcomes)
        values: list[Any] | int
        if numeric:
            values = n
        elif stringify:
            values = [f"v{i}" for i in range(n)]
        else:
            values = list(outcomes)
        space = OutcomeSpace([make_issue(values, "-".join(self._space.issue_names))])
        keys = list(space.issues[0].values)
        table = self.utilities
        ufuns = [
            LinearAdditiveUtilityFunction(
                [TableFun(dict(zip(keys, table[:, k].tolist(), strict=True)))],
                reserved_value=u.reserved_value,
                outcome_space=space,
            )
            for k, u in enumerate(self._ufuns)
        ]
        out = self._derived(ufuns, space=space)
        out._outcomes = tuple((v,) for v in keys)
        out._utilities = table
        return out

    def normalize(self, to: tuple[float, float] = (0.0, 1.0), independent: bool = True) -> Scenario:
        """A scenario with utilities mapped linearly onto ``to`` over the outcome space.

        With ``independent`` (the default) each party's worst outcome maps to
        ``to[0]`` and its best to ``to[1]``. Otherwise one map for all parties
        sends the lowest utility of any party to ``to[0]`` and the highest to
        ``to[1]``, keeping comparisons between parties (NegMAS's
        ``common_range``). Reserved values go through the same map as their
        utility function, so exactly the same outcomes stay rational. A party
        indifferent between all outcomes is shifted to ``to[1]``.
        """
        check_flags("normalize", independent=independent)
        ranges = [self._range(i) for i in range(len(self._ufuns))]
        ufuns = normalized(self._ufuns, ranges, to, independent, self._space)
        return self._derived(ufuns)

    def _range(self, i: int) -> tuple[float, float]:
        if self._utilities is not None:
            column = self._utilities[:, i]
            return float(column.min()), float(column.max())
        # Issue by issue for (wrapped) linear and linear-additive utility
        # functions; others need every outcome, which `utilities` refuses for
        # astronomic or continuous spaces before enumerating (a ufun's own
        # minmax would enumerate without that guard).
        try:
            return additive_range(self._ufuns[i], self._space)
        except ScenarioError:
            column = self.utilities[:, i]
            return float(column.min()), float(column.max())

    def is_normalized(self, to: tuple[float, float] = (0.0, 1.0), tol: float = 1e-9) -> bool:
        """Whether every party's utilities span exactly ``to`` (within ``tol``)."""
        # A NaN in either answered False whatever the utilities.
        if isinstance(tol, bool) or not isinstance(tol, int | float) or not 0 <= tol < math.inf:
            raise ScenarioError(f"is_normalized: tol must be a finite number >= 0, got {tol!r}")
        try:
            low, high = (float(x) for x in to)
        except (TypeError, ValueError):
            low = high = math.nan
        if not (math.isfinite(low) and math.isfinite(high)):
            raise ScenarioError(
                f"is_normalized: to must be a pair of finite numbers (low, high), got {to!r}"
            )
        return all(
            abs(lo - low) <= tol and abs(hi - high) <= tol
            for lo, hi in (self._range(i) for i in range(len(self._ufuns)))
        )

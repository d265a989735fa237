"""The transforms of a :class:`~palaver.scenarios.Scenario` other than rescaling:
rotated roles, other reserved values, no discounting, discretised issues, one
issue holding every outcome, no placeholder issues.

NegMAS 0.16 changes a scenario in place for ``remove_reserved_values``,
``remove_discounting``, ``discretize``, ``to_single_issue`` and
``remove_dummy_issues`` (and returns it), so Palaver does too: NegMAS code
that calls them as statements runs the changed scenario, and ``s =
s.discretize()`` works as well. ``rotate_ufuns`` / ``rotated`` /
``rotations`` and Palaver's ``with_reserved_values`` return new scenarios and
leave their own unchanged, as in NegMAS. Utility functions are replaced, never
changed, so scenarios sharing them (a rotation, a ``copy()``) are not
affected. Cached outcomes, utilities and statistics are kept where a
transform keeps them.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Self

import numpy as np

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import (
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    NormalizedLinearAdditiveUtilityFunction,
)
from palaver.preferences.value_functions import TableFun
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.stats import compute_stats
from palaver.scenarios.transform import rebound, with_reserved
from palaver.scenarios.validate import check_flags

if TYPE_CHECKING:
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
        def _update(
            self, ufuns: Sequence[UtilityFunction], space: OutcomeSpace | None = None
        ) -> None: ...

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
        if isinstance(k, bool) or not isinstance(k, int):  # rotate_ufuns would name n
            raise ScenarioError(f"rotated: k must be an int, got {k!r}")
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

    def remove_reserved_values(self, r: float = -math.inf, recalculate_stats: bool = True) -> Self:
        """Set every reserved value to ``r`` (default ``-inf``: no reservation), in
        place; returns this scenario (NegMAS's ``remove_reserved_values``).

        Statistics are recomputed on next use (``recalculate_stats`` is
        accepted for NegMAS; either value gives the same statistics).
        """
        check_flags("remove_reserved_values", recalculate_stats=recalculate_stats)
        ufuns = with_reserved(self._ufuns, [r] * len(self._ufuns))
        outcomes, utilities = self._outcomes, self._utilities
        self._update(ufuns)
        self._outcomes, self._utilities = outcomes, utilities
        return self

    def remove_discounting(self, recalculate_stats: bool = True) -> Self:
        """Set every discount factor to 1, in place; returns this scenario
        (NegMAS's ``remove_discounting``). Utilities and statistics do not
        depend on discounting, so they stay cached."""
        check_flags("remove_discounting", recalculate_stats=recalculate_stats)
        self._discounts = (1.0,) * len(self._ufuns)
        return self

    def discretize(
        self, levels: int | Mapping[str, int] = 10, recalculate_stats: bool = True
    ) -> Self:
        """Discretise the continuous issues into ``levels`` values each (or a
        number per issue name), in place; returns this scenario (NegMAS's
        ``discretize``).

        The utility functions are copied onto the discrete space (a discrete
        issue's values are values of the continuous one, so utilities agree).
        A scenario without continuous issues is left as it is.
        """
        check_flags("discretize", recalculate_stats=recalculate_stats)
        space = self._space.discretize(levels)
        if space != self._space:
            self._update(rebound(self._ufuns, space), space)
        return self

    def to_single_issue(
        self,
        numeric: bool = False,
        stringify: bool = True,
        randomize: bool = False,
        recalculate_stats: bool = True,
    ) -> Self:
        """Turn the scenario into NegMAS's single-issue form, in place; returns it.

        The issue (named after the issues, joined by ``-``) holds ``"v0"``,
        ``"v1"``, ... (``stringify``, the default), the integers ``0..n-1``
        (``numeric``) or the outcome tuples themselves, in enumeration order;
        each utility function becomes a table over it with the same
        utilities and reserved value, and the discount factors stay. A
        scenario of one issue is left as it is. As in NegMAS the scenario
        itself changes (``scenario.copy().to_single_issue()`` keeps the
        original); statistics are recomputed on next use, so
        ``recalculate_stats`` changes nothing.
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
            return self
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
        keys = list(space.issues[0].all_values)
        table = self.utilities
        ufuns = [
            LinearAdditiveUtilityFunction(
                [TableFun(dict(zip(keys, table[:, k].tolist(), strict=True)))],
                reserved_value=u.reserved_value,
                outcome_space=space,
            )
            for k, u in enumerate(self._ufuns)
        ]
        self._update(ufuns, space)
        self._outcomes = tuple((v,) for v in keys)
        self._utilities = table
        return self

    def remove_dummy_issues(self, name: str = "DUMMY_ISSUE") -> Self:
        """Drop the issues called ``name`` that hold a single value, in place;
        returns this scenario (NegMAS's ``remove_dummy_issues``).

        Such an issue offers no choice (NegMAS's lenient Genius reader inserts
        one for a gap in a domain's issue numbering); its part of each
        utility, a constant, moves into the utility function's bias, so every
        outcome keeps its utility. Needs linear or linear-additive utility
        functions (``ScenarioError`` naming the party otherwise, scenario
        unchanged); a scenario without such issues is left as it is, as is
        one where they are all the issues there are.
        """
        if not isinstance(name, str):
            raise ScenarioError(f"remove_dummy_issues: name must be a string, got {name!r}")
        issues = self._space.issues
        drop = [
            i
            for i, issue in enumerate(issues)
            if issue.name == name and not issue.is_continuous and issue.cardinality == 1
        ]
        if not drop or len(drop) == len(issues):
            return self
        keep = [i for i in range(len(issues)) if i not in drop]
        space = OutcomeSpace([issues[i] for i in keep], self._space.name)
        # Any outcome will do (continuous issues cannot be enumerated).
        full = self._space.sample(np.random.default_rng(0), 1)[0]
        ufuns = [
            _without_issues(u, keep, space, full, f"party {k} ({self._ufun_names[k]!r})")
            for k, u in enumerate(self._ufuns)
        ]
        self._update(ufuns, space)
        return self


def _without_issues(
    u: UtilityFunction, keep: Sequence[int], space: OutcomeSpace, full: Outcome, who: str
) -> UtilityFunction:
    """``u`` over the issues ``keep`` of its space, the others' constant part in its bias."""
    kept = tuple(full[i] for i in keep)
    # A normalized one (NegMAS's canonical form) drops issues through its weights too.
    if type(u) in (LinearAdditiveUtilityFunction, NormalizedLinearAdditiveUtilityFunction):
        assert isinstance(u, LinearAdditiveUtilityFunction)
        values, weights = u.values, u.weights
        parts = ([values[i] for i in keep], [float(weights[i]) for i in keep])
        reduced = LinearAdditiveUtilityFunction(*parts)
        # The dropped issues add the same constant to every outcome: the
        # utility of any one outcome minus the reduced function's is it.
        bias = float(u(full)) - float(reduced(kept))
        return LinearAdditiveUtilityFunction(
            *parts, bias=bias, reserved_value=u.reserved_value, outcome_space=space
        )
    if type(u) is LinearUtilityFunction:
        slopes = [float(u.weights[i]) for i in keep]
        bias = float(u(full)) - float(LinearUtilityFunction(slopes)(kept))
        return LinearUtilityFunction(
            slopes, bias=bias, reserved_value=u.reserved_value, outcome_space=space
        )
    raise ScenarioError(
        f"remove_dummy_issues: {who} has a {type(u).__name__}; only linear and "
        "linear-additive utility functions can drop an issue"
    )

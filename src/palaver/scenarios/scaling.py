"""Rescaling a :class:`~palaver.scenarios.Scenario`'s utility functions: ``normalize``,
``scale_min``, ``scale_max`` and ``is_normalized``, with NegMAS 0.16's defaults.

Like NegMAS, the three transforms change the scenario they are called on and
return it, so ``scenario.normalize()`` as a statement and ``scenario =
scenario.normalize()`` both leave ``scenario`` normalized; ``scenario.copy()``
first keeps the original. The utility functions are replaced, never changed:
a negotiator already holding one keeps what it holds.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Self

import numpy as np

from palaver.outcomes import OutcomeSpace
from palaver.preferences import (
    DEFAULT_RESERVED_VALUE_PENALTY,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    ReservedValueWarning,
)
from palaver.scenarios.canonical import additive_range
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.transform import (
    affine,
    apply_map,
    normalization_maps,
    with_reserved,
)
from palaver.scenarios.validate import check_enumerable, check_flags

if TYPE_CHECKING:
    from palaver.preferences import UtilityFunction

__all__ = ["ScenarioScaling"]

#: At most this many outcomes are enumerated to find a utility function's range
#: over an outcome space other than the scenario's (its own ranges are cached).
_MAX_RANGE_OUTCOMES = 10_000_000

# The kinds whose NegMAS normalization is analytic: stretched onto the target
# range whatever the guarantees (NegMAS's other kinds keep a function that
# already lies within it when guarantee_min is off).
_LINEAR_KINDS = (LinearUtilityFunction, LinearAdditiveUtilityFunction)


def _optional_flag(method: str, name: str, value: object) -> bool | None:
    if value is None:
        return None
    check_flags(method, **{name: value})
    return bool(value)


def _mode(method: str, independent: object, common_range: object) -> bool:
    """Whether to work party by party: NegMAS's ``common_range`` (default True)
    or its older ``independent`` (the opposite, deprecated as in NegMAS; giving
    both is refused)."""
    ind = _optional_flag(method, "independent", independent)
    common = _optional_flag(method, "common_range", common_range)
    if ind is not None and common is not None:
        raise ScenarioError(
            f"{method}: Cannot specify both common_range and independent, give common_range "
            f"(got common_range={common_range!r}, independent={independent!r})"
        )
    if common is not None:
        return not common
    if ind is not None:
        warnings.warn(
            f"{method}: the 'independent' keyword is deprecated (as in NegMAS); use "
            f"common_range={not ind} for independent={ind}",
            DeprecationWarning,
            stacklevel=3,
        )
    return bool(ind)


def _end(method: str, to: Any, k: int) -> float | None:
    value = to[k]
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ScenarioError(f"{method}: to[{k}] must be a number or None, got {value!r}")
    if not math.isfinite(value):
        raise ScenarioError(f"{method}: to[{k}] must be finite, got {value!r}")
    return float(value)


def _target(method: str, to: Any) -> tuple[float | None, float | None]:
    """``to`` as ``(low, high)``, either end ``None`` (no constraint), low < high."""
    if isinstance(to, str | bytes) or not isinstance(to, Sequence) or len(to) != 2:
        raise ScenarioError(
            f"{method}: to must be a pair (low, high) of numbers or None, got {to!r}"
        )
    low, high = _end(method, to, 0), _end(method, to, 1)
    if low is not None and high is not None and not high > low:
        raise ScenarioError(f"{method}: to must be (low, high) with low < high, got {to!r}")
    return low, high


class ScenarioScaling:
    """``normalize``, ``scale_min``, ``scale_max`` and ``is_normalized`` of
    ``Scenario`` (a base of it)."""

    if TYPE_CHECKING:
        name: str
        _space: OutcomeSpace
        _ufuns: tuple[UtilityFunction, ...]
        _ufun_names: tuple[str, ...]
        _utilities: np.ndarray | None

        @property
        def utilities(self) -> np.ndarray: ...
        def _update(
            self, ufuns: Sequence[UtilityFunction], space: OutcomeSpace | None = None
        ) -> None: ...

    def normalize(
        self,
        to: tuple[float | None, float | None] = (0.0, 1.0),
        outcome_space: OutcomeSpace | None = None,
        guarantee_max: bool = True,
        guarantee_min: bool | None = None,
        independent: bool | None = None,
        common_range: bool | None = None,
        recalculate_stats: bool = True,
        normalize_reserved_values: bool = False,
        reserved_value_penalty: float | None = None,
    ) -> Self:
        """Map every utility function linearly onto ``to``, in place; returns this scenario.

        NegMAS 0.16's ``Scenario.normalize``, defaults included. By default
        (``common_range``) all parties share one scale, ``(to[1] - to[0]) /
        (max - min)`` with ``min`` and ``max`` the lowest and highest utility
        of any party, so differences of utility stay comparable between
        parties; each party is then shifted so that its own best outcome is
        worth ``to[1]`` (``guarantee_max``; with ``guarantee_max=False``, its
        worst is worth ``to[0]``). Each party's utilities then fill the top
        of ``to``, a part as long as its own range times the scale; no party
        need reach ``to[0]`` (when the lowest and the highest utility of all
        belong to different parties, none does).

        ``independent=True`` (or ``common_range=False``) maps each party on
        its own: worst outcome to ``to[0]``, best to ``to[1]``.
        ``guarantee_min=False`` (NegMAS's default with ``independent`` for
        utility functions other than linear and linear-additive ones) keeps
        a utility function that already lies within ``to`` and touches the
        guaranteed end as it is; so does a function already spanning
        exactly ``to``. A ``None`` end only shifts: ``(None, 1.0)`` moves the
        highest utility (of all parties, or of each with ``independent``)
        to 1. A constant utility function (all parties' with the common
        scale) becomes ``to[1]`` with reserved value ``to[0]``, or ``to[0]``
        with reserved value ``to[1]`` when its reserved value is above its
        utility (NegMAS's rule).

        Reserved values go through the same map as their utility function,
        so exactly the same outcomes stay rational (infinite ones stay);
        ``normalize_reserved_values`` first replaces a non-finite reserved
        value by the party's lowest utility minus ``reserved_value_penalty``
        (default 0), with a ``ReservedValueWarning``. Ranges are taken over
        ``outcome_space`` (default: the scenario's, computed issue by issue
        for linear-additive functions, so continuous issues work).
        Statistics are recomputed on next use (``recalculate_stats`` is
        accepted for NegMAS; either value gives the same statistics).
        Linear, linear-additive and dict-mapping utility functions stay of
        their kind (so the scenario still exports to Genius).
        """
        check_flags(
            "normalize",
            guarantee_max=guarantee_max,
            recalculate_stats=recalculate_stats,
            normalize_reserved_values=normalize_reserved_values,
        )
        g_min = _optional_flag("normalize", "guarantee_min", guarantee_min)
        separately = _mode("normalize", independent, common_range)
        target = _target("normalize", to)
        space = self._check_space("normalize", outcome_space)
        ranges = [self._range_over(i, space) for i in range(len(self._ufuns))]
        ufuns = list(self._ufuns)
        if normalize_reserved_values:
            ufuns = self._corrected_reserved(ufuns, ranges, reserved_value_penalty)
        if separately:
            guarantees = [
                (True, True) if type(u) in _LINEAR_KINDS else (bool(g_min), guarantee_max)
                for u in ufuns
            ]
        else:
            guarantees = [(True if g_min is None else g_min, guarantee_max)] * len(ufuns)
        maps = normalization_maps(
            ranges, [u.reserved_value for u in ufuns], target, not separately, guarantees
        )
        self._update([apply_map(u, m, self._space) for u, m in zip(ufuns, maps, strict=True)])
        return self

    def scale_min(
        self,
        to: float = 0.0,
        outcome_space: OutcomeSpace | None = None,
        recalculate_stats: bool = True,
    ) -> Self:
        """Multiply each utility function (and its reserved value) so that its
        lowest utility is ``to``, in place; returns this scenario (NegMAS's
        ``scale_min``, each party on its own).

        A party whose lowest utility already is ``to`` is kept. Otherwise the
        factor ``to / lowest`` must be a positive finite number (a zero or
        negative factor would flatten or reverse the preferences; NegMAS
        silently makes every utility 0 for ``to=0``): a ``ScenarioError``
        names the party otherwise, and the scenario is left unchanged.
        """
        return self._scale("scale_min", 0, to, outcome_space, recalculate_stats)

    def scale_max(
        self,
        to: float = 1.0,
        outcome_space: OutcomeSpace | None = None,
        recalculate_stats: bool = True,
    ) -> Self:
        """Multiply each utility function (and its reserved value) so that its
        highest utility is ``to``, in place; returns this scenario (NegMAS's
        ``scale_max``, each party on its own).

        A party whose highest utility already is ``to`` is kept; otherwise the
        factor ``to / highest`` must be a positive finite number
        (``ScenarioError`` naming the party, scenario unchanged).
        """
        return self._scale("scale_max", 1, to, outcome_space, recalculate_stats)

    def _scale(
        self, method: str, end: int, to: Any, outcome_space: Any, recalculate_stats: Any
    ) -> Self:
        check_flags(method, recalculate_stats=recalculate_stats)
        if isinstance(to, bool) or not isinstance(to, int | float | np.number):
            raise ScenarioError(f"{method}: to must be a number, got {to!r}")
        if not math.isfinite(to):
            raise ScenarioError(f"{method}: to must be finite, got {to!r}")
        space = self._check_space(method, outcome_space)
        ufuns = []
        for i, u in enumerate(self._ufuns):
            current = self._range_over(i, space)[end]
            if current == to:
                ufuns.append(u)
                continue
            factor = float(to) / current if current else math.inf
            if not (math.isfinite(factor) and factor > 0):
                which = "lowest" if end == 0 else "highest"
                raise ScenarioError(
                    f"{method}: party {i} ({self._ufun_names[i]!r}) has {which} "
                    f"utility {current}; scaling it to {to} needs a positive finite factor, "
                    f"got {factor}"
                )
            ufuns.append(affine(u, factor, 0.0, self._space))
        self._update(ufuns)
        return self

    def is_normalized(
        self,
        to: tuple[float | None, float | None] = (None, 1.0),
        positive: bool = True,
        independent: bool | None = None,
        common_range: bool | None = None,
        eps: float = 1e-6,
        finite_reserved_value: bool = False,
        *,
        tol: float | None = None,
    ) -> bool:
        """Whether the utility functions are normalized to ``to`` (NegMAS's check).

        By default (``common_range``): every party's utilities lie within
        ``to`` and some party reaches each given end (``None``: no
        constraint; the default ``(None, 1.0)`` asks only that the best
        utility of some party is 1 and none is above). With
        ``independent=True`` (or ``common_range=False``) each party's lowest
        utility must be ``to[0]`` and its highest ``to[1]``: what
        ``normalize(independent=True)`` gives. ``positive`` also asks that no
        utility is below 0, ``finite_reserved_value`` that every reserved
        value is finite. Comparisons allow ``eps`` (``tol``, Palaver's older
        name, overrides it).
        """
        check_flags("is_normalized", positive=positive, finite_reserved_value=finite_reserved_value)
        separately = _mode("is_normalized", independent, common_range)
        margin = eps if tol is None else tol
        name = "eps" if tol is None else "tol"
        if (
            isinstance(margin, bool)
            or not isinstance(margin, int | float)
            or not 0 <= margin < math.inf
        ):
            raise ScenarioError(
                f"is_normalized: {name} must be a finite number >= 0, got {margin!r}"
            )
        low, high = _target("is_normalized", to)
        if finite_reserved_value and not all(math.isfinite(u.reserved_value) for u in self._ufuns):
            return False
        ranges = [self._range_over(i, self._space) for i in range(len(self._ufuns))]
        if positive and any(lo < -margin for lo, _ in ranges):
            return False
        if separately:
            return all(
                (low is None or abs(lo - low) <= margin)
                and (high is None or abs(hi - high) <= margin)
                for lo, hi in ranges
            )
        if low is not None and not (
            all(lo >= low - margin for lo, _ in ranges)
            and any(abs(lo - low) <= margin for lo, _ in ranges)
        ):
            return False
        return high is None or (
            all(hi <= high + margin for _, hi in ranges)
            and any(abs(hi - high) <= margin for _, hi in ranges)
        )

    # -- helpers -----------------------------------------------------------------

    def _check_space(self, method: str, outcome_space: Any) -> OutcomeSpace:
        if outcome_space is None:
            return self._space
        if not isinstance(outcome_space, OutcomeSpace):
            raise ScenarioError(
                f"{method}: outcome_space must be an OutcomeSpace or None, got {outcome_space!r}"
            )
        return outcome_space

    def _corrected_reserved(
        self,
        ufuns: list[UtilityFunction],
        ranges: Sequence[tuple[float, float]],
        penalty: float | None,
    ) -> list[UtilityFunction]:
        """Copies whose non-finite reserved values are the lowest utility minus ``penalty``."""
        if penalty is None:
            penalty = DEFAULT_RESERVED_VALUE_PENALTY
        if (
            isinstance(penalty, bool)
            or not isinstance(penalty, int | float)
            or not math.isfinite(penalty)
        ):
            raise ScenarioError(
                f"normalize: reserved_value_penalty must be a finite number or None, "
                f"got {penalty!r}"
            )
        values = []
        for u, (lo, _) in zip(ufuns, ranges, strict=True):
            rv = u.reserved_value
            if math.isfinite(rv):
                values.append(rv)
                continue
            values.append(lo - penalty)
            warnings.warn(
                f"normalize: scenario {self.name!r}: reserved value {rv} is not finite; "
                f"using {lo - penalty} (the lowest utility minus {penalty})",
                ReservedValueWarning,
                stacklevel=3,
            )
        return with_reserved(ufuns, values)

    def _range_over(self, i: int, space: OutcomeSpace) -> tuple[float, float]:
        """Party ``i``'s lowest and highest utility over ``space``."""
        if space == self._space and self._utilities is not None:
            column = self._utilities[:, i]
            return float(column.min()), float(column.max())
        # Issue by issue for (wrapped) linear and linear-additive utility
        # functions; others need every outcome, refused for astronomic or
        # continuous spaces before enumerating (a ufun's own minmax would
        # enumerate without that guard).
        try:
            return additive_range(self._ufuns[i], space)
        except ScenarioError:
            pass
        if space == self._space:
            column = self.utilities[:, i]
            return float(column.min()), float(column.max())
        check_enumerable(space, self.name, _MAX_RANGE_OUTCOMES)
        try:
            values = np.asarray(self._ufuns[i].eval_many(list(space.enumerate())), dtype=float)
        except (TypeError, ValueError, KeyError) as exc:
            raise ScenarioError(
                f"scenario {self.name!r}: ufun {self._ufun_names[i]!r} cannot evaluate the "
                f"outcomes of outcome_space {list(space.issue_names)}: {exc}"
            ) from exc
        return float(values.min()), float(values.max())

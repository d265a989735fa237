"""NegMAS's normalization family: onto any range, several functions on one scale, and helpers.

``UtilityFunction.normalize`` / ``normalize_for`` / ``normalize_all_for``
call into this module; the module-level :func:`normalize`, :func:`scale_max`,
:func:`is_rational` and :func:`correct_reserved_value` are NegMAS's
``negmas.preferences.ops`` functions of the same names.

Unlike NegMAS, nothing here changes the utility function it is given (NegMAS
writes a corrected reserved value into it). As in NegMAS, a constant utility
function normalizes to a :class:`~palaver.preferences.ConstUtilityFunction` at
an end of the range (see :func:`constant_at_end`), and a linear-additive one
over a discrete space to NegMAS's canonical linear-additive form (see
:meth:`~palaver.preferences.LinearAdditiveUtilityFunction.normal_form`).
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from palaver._util.checks import check_items, check_real
from palaver._util.warning_types import NegmasUnexpectedValueWarning
from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.preferences.additive import LinearAdditiveUtilityFunction
from palaver.preferences.base import Outcomes, UtilityFunction
from palaver.preferences.const import ConstUtilityFunction
from palaver.preferences.linear import LinearUtilityFunction
from palaver.preferences.wrappers import AffineUtilityFunction, NormalizedUtilityFunction

__all__ = [
    "DEFAULT_RESERVED_VALUE_PENALTY",
    "NormalizedLinearAdditiveUtilityFunction",
    "NormalizedLinearUtilityFunction",
    "ReservedValueWarning",
    "constant_at_end",
    "correct_reserved_value",
    "is_rational",
    "normalize",
    "normalize_all",
    "normalize_one",
    "scale_max",
]

#: What :func:`correct_reserved_value` subtracts from the lowest utility by default.
DEFAULT_RESERVED_VALUE_PENALTY = 0.0

# How far from a bound still counts as on it (NegMAS's NORMALIZED_TOLERANCE).
_TOLERANCE = 1e-6


class ReservedValueWarning(NegmasUnexpectedValueWarning):
    """A non-finite reserved value has been replaced (see :func:`correct_reserved_value`).

    A ``NegmasUnexpectedValueWarning``, the category NegMAS warns with here.
    """


def correct_reserved_value(
    reserved_value: float | None,
    ufun: UtilityFunction,
    eps: float | None = None,
    *,
    warn: bool = True,
) -> tuple[float, bool]:
    """``(value, corrected)``: a finite ``reserved_value`` as is, else ``ufun.min() - eps``.

    ``None``, infinities and NaN are replaced (with a :class:`ReservedValueWarning`
    when ``warn``); ``eps`` defaults to :data:`DEFAULT_RESERVED_VALUE_PENALTY`.
    """
    penalty = DEFAULT_RESERVED_VALUE_PENALTY if eps is None else check_real("eps", eps)
    _check_ufun("ufun", ufun)
    if reserved_value is not None and (
        isinstance(reserved_value, bool) or not isinstance(reserved_value, numbers.Real)
    ):
        # Infinities and NaN are corrected below; what is not a number is refused.
        raise TypeError(
            f"reserved_value must be a number or None, got {reserved_value!r:.80} "
            f"({type(reserved_value).__name__})"
        )
    if reserved_value is not None and math.isfinite(reserved_value):
        return float(reserved_value), False
    corrected = float(ufun.min()) - penalty
    if warn:
        warnings.warn(
            f"reserved value {reserved_value!r} is not finite; using {corrected} "
            f"(the lowest utility minus {penalty})",
            ReservedValueWarning,
            stacklevel=2,
        )
    return corrected, True


def _check_ufun(name: str, value: Any) -> None:
    # A number or a text failed deep inside, on a missing space_for or scale_max.
    if not isinstance(value, UtilityFunction):
        raise TypeError(
            f"{name} must be a utility function (see palaver.preferences), "
            f"got {value!r:.80} ({type(value).__name__})"
        )


def _range(to: Any) -> tuple[float, float]:
    if isinstance(to, str | bytes) or not isinstance(to, Sequence) or len(to) != 2:
        raise TypeError(f"to must be a (low, high) pair of numbers, got {to!r}")
    low, high = check_real("to[0]", to[0]), check_real("to[1]", to[1])
    if not high > low:
        raise ValueError(f"to must have low < high, got {to!r}")
    return low, high


def _within(x: float, limit: float, limits: tuple[float, float], guarantee: bool) -> bool:
    if guarantee:
        return abs(x - limit) <= _TOLERANCE
    return limits[0] - _TOLERANCE <= x <= limits[1] + _TOLERANCE


def normalize_one(
    ufun: UtilityFunction,
    to: Any = (0.0, 1.0),
    outcome_space: OutcomeSpace | None = None,
    *,
    normalize_reserved_values: bool = False,
    reserved_value_penalty: float | None = None,
    guarantee_max: bool = True,
    guarantee_min: bool = True,
) -> UtilityFunction:
    """``ufun`` mapped linearly so that its range over the space is ``to``.

    With both guarantees (the default) the lowest utility maps to exactly
    ``to[0]`` and the highest to exactly ``to[1]``. With either off, a function
    whose range already lies within ``to`` (touching the guaranteed end) is
    returned as is, as in NegMAS. The reserved value goes through the same map;
    with ``normalize_reserved_values`` a non-finite one is first replaced (see
    :func:`correct_reserved_value`).
    """
    _check_ufun("ufun", ufun)
    low, high = _range(to)
    space = ufun.space_for(outcome_space)
    lo, hi = ufun.minmax(space)
    if math.isnan(lo) or math.isnan(hi):  # "not hi > lo" took it for a constant function
        raise ValueError(f"{ufun!r}.minmax() gave ({lo}, {hi}); utilities must be numbers")
    if not hi > lo:
        return constant_at_end(ufun, hi, (low, high), space)
    rv = ufun.reserved_value
    if normalize_reserved_values:
        rv, _ = correct_reserved_value(rv, ufun, reserved_value_penalty)
    fits = _within(lo, low, (low, high), guarantee_min) and _within(
        hi, high, (low, high), guarantee_max
    )
    if not (guarantee_max and guarantee_min) and rv == ufun.reserved_value and fits:
        return ufun
    result = NormalizedUtilityFunction(ufun, lo, hi, space, (low, high))
    if rv != ufun.reserved_value:
        result.reserved_value = float(result.rescale(rv))
    form = _normal_form(ufun, space, (low, high))
    if form is not None:
        return NormalizedLinearAdditiveUtilityFunction(form, result)
    if type(ufun) is LinearUtilityFunction:  # no canonical form: stays linear, as in NegMAS
        return NormalizedLinearUtilityFunction(ufun, result)
    return result


def _normal_form(
    ufun: UtilityFunction, space: OutcomeSpace, to: tuple[float, float]
) -> LinearAdditiveUtilityFunction | None:
    """NegMAS's canonical linear-additive form of ``ufun`` normalized onto
    ``to``, for the kinds NegMAS gives it to: a linear-additive function (any
    ``to``) and a linear one onto ``[0, 1]``; ``None`` for other kinds and
    for issues that cannot be tabulated (the caller then wraps ``ufun``)."""
    # Not a user's subclass: its eval may not be what its weights say.
    exact = (LinearAdditiveUtilityFunction, NormalizedLinearAdditiveUtilityFunction)
    if isinstance(ufun, LinearAdditiveUtilityFunction) and type(ufun) in exact:
        return ufun.normal_form(to, space)
    if type(ufun) is LinearUtilityFunction and to == (0.0, 1.0):
        additive = LinearAdditiveUtilityFunction(
            [None] * space.n_issues, ufun.weights, bias=ufun.bias, outcome_space=space
        )
        return additive.normal_form(to, space)
    return None


class NormalizedLinearAdditiveUtilityFunction(LinearAdditiveUtilityFunction):
    """A linear(-additive) function normalized onto a range, in NegMAS's form.

    Its ``weights``, ``values`` and ``bias`` are NegMAS's canonical form (see
    :meth:`LinearAdditiveUtilityFunction.normal_form`: weights summing to the
    range's width, value functions onto ``[0, 1]``), so code reading them
    works as with NegMAS; its utilities are computed as the
    :class:`~palaver.preferences.NormalizedUtilityFunction` of the original
    function computes them: the worst outcome gives exactly the range's low
    end, the best exactly its high end, and outcomes the original rated
    equal stay equal (the canonical form's own sums could break such ties
    in their last bit, and so change which offer a strategy picks).
    ``to_dict`` writes the canonical form (a plain linear-additive function).
    """

    def __init__(
        self, form: LinearAdditiveUtilityFunction, image: NormalizedUtilityFunction
    ) -> None:
        super().__init__(
            list(form.values),
            form.weights,
            bias=form.bias,
            reserved_value=image.reserved_value,
            outcome_space=form.outcome_space,
        )
        self._image = image

    @property
    def image(self) -> NormalizedUtilityFunction:
        """The wrapper that computes the utilities (the original function, mapped)."""
        return self._image

    def eval(self, outcome: Outcome) -> float:
        """The normalized utility of an outcome tuple (exactly the image's)."""
        return self._image.eval(outcome)

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """The normalized utilities of many outcomes (exactly the image's)."""
        return self._image.eval_many(outcomes)

    def minmax(self, outcome_space: OutcomeSpace | None = None) -> tuple[float, float]:
        """The range over the space (exactly the target range over its own space)."""
        return self._image.minmax(outcome_space)


class NormalizedLinearUtilityFunction(LinearUtilityFunction):
    """A linear function normalized where NegMAS's canonical linear-additive
    form does not apply (a range other than ``[0, 1]``, a continuous issue):
    still linear, as NegMAS keeps it.

    Its ``weights`` and ``bias`` are the original's mapped by the same affine
    map, so code reading them works as with NegMAS; its utilities are the
    :class:`~palaver.preferences.NormalizedUtilityFunction`'s (``image``),
    so the worst outcome gives exactly the range's low end and the best
    exactly its high end (the mapped weights' own sums could miss by a bit).
    """

    def __init__(self, ufun: LinearUtilityFunction, image: NormalizedUtilityFunction) -> None:
        lo, low, high = image._lo, image._to[0], image._to[1]
        scale = (high - low) / image._span
        super().__init__(
            ufun.weights * scale,
            bias=(ufun.bias - lo) * scale + low,
            reserved_value=image.reserved_value,
            outcome_space=image.outcome_space,
        )
        self._image = image

    @property
    def image(self) -> NormalizedUtilityFunction:
        """The wrapper that computes the utilities (the original function, mapped)."""
        return self._image

    @property
    def inner(self) -> UtilityFunction:
        """The function normalized (as :attr:`NormalizedUtilityFunction.inner`)."""
        return self._image.inner

    def eval(self, outcome: Outcome) -> float:
        """The normalized utility of an outcome tuple (exactly the image's)."""
        return self._image.eval(outcome)

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """The normalized utilities of many outcomes (exactly the image's)."""
        return self._image.eval_many(outcomes)

    def minmax(self, outcome_space: OutcomeSpace | None = None) -> tuple[float, float]:
        """The range over the space (exactly the target range over its own space)."""
        return self._image.minmax(outcome_space)


def constant_at_end(
    ufun: UtilityFunction, value: float, to: tuple[float, float], space: OutcomeSpace
) -> ConstUtilityFunction:
    """What a constant ``ufun`` (every outcome worth ``value``) normalizes to,
    by NegMAS's rule: ``to[1]`` with reserved value ``to[0]``, or, when its
    reserved value is above ``value`` (no outcome is acceptable), ``to[0]``
    with reserved value ``to[1]``. So it stays acceptable, or not, as before."""
    low, high = to
    below = value < ufun.reserved_value
    return ConstUtilityFunction(
        low if below else high, reserved_value=high if below else low, outcome_space=space
    )


def normalize_all(
    ufuns: Iterable[UtilityFunction],
    to: tuple[float | None, float | None] = (0.0, 1.0),
    outcome_space: OutcomeSpace | None = None,
    guarantee_max: bool = True,
    guarantee_min: bool = False,
) -> tuple[UtilityFunction, ...]:
    """The functions on one common scale (NegMAS's ``normalize_all_for``).

    All are scaled by the same factor, ``(to[1] - to[0]) / (max - min)`` with
    ``min`` and ``max`` taken over all of them, so their utilities stay
    comparable; each is then shifted so that its own highest utility is
    ``to[1]`` (``guarantee_max``) or else its lowest is ``to[0]``. One that
    already fits (see :func:`normalize_one`) is kept. With ``to[1]`` ``None``
    every function is only shifted so that the lowest utility of all is
    ``to[0]``; with ``to[0]`` ``None``, so that the highest is ``to[1]``.
    """
    given = tuple(check_items("ufuns", ufuns, "utility functions"))
    for k, u in enumerate(given):
        _check_ufun(f"ufuns[{k}]", u)
    ranges = [u.minmax(u.space_for(outcome_space)) for u in given]
    if not given or (to[0] is None and to[1] is None):
        return given
    mn, mx = min(r[0] for r in ranges), max(r[1] for r in ranges)
    if to[1] is None:
        d = check_real("to[0]", to[0]) - mn
        return tuple(u.shift_by(d) for u in given)
    if to[0] is None:
        d = check_real("to[1]", to[1]) - mx
        return tuple(u.shift_by(d) for u in given)
    low, high = _range(to)
    if not mx > mn:
        return tuple(
            constant_at_end(u, r[1], (low, high), u.space_for(outcome_space))
            for u, r in zip(given, ranges, strict=True)
        )
    scale = (high - low) / (mx - mn)
    both = guarantee_max and guarantee_min
    results = []
    for (lo, hi), u in zip(ranges, given, strict=True):
        exact = abs(lo - low) < _TOLERANCE and abs(hi - high) < _TOLERANCE
        fits = not both and (
            _within(lo, low, (low, high), guarantee_min)
            and _within(hi, high, (low, high), guarantee_max)
        )
        if exact or fits:
            results.append(u)
            continue
        shift = high - scale * hi if guarantee_max else low - scale * lo
        space = u.space_for(outcome_space)
        results.append(
            AffineUtilityFunction(u, scale, shift, u.reserved_value * scale + shift, space)
        )
    return tuple(results)


def _space(
    outcome_space: OutcomeSpace | None, issues: Sequence[Issue] | None
) -> OutcomeSpace | None:
    if outcome_space is not None and issues is not None:
        raise ValueError("give outcome_space or issues, not both")
    return OutcomeSpace(issues) if issues is not None else outcome_space


def normalize(
    ufun: UtilityFunction,
    to: tuple[float, float] = (0.0, 1.0),
    outcome_space: OutcomeSpace | None = None,
    issues: Sequence[Issue] | None = None,
    outcomes: Sequence[Outcome] | None = None,
    normalize_reserved_values: bool = False,
    reserved_value_penalty: float | None = None,
) -> UtilityFunction:
    """NegMAS's ``ops.normalize``: ``ufun`` mapped onto ``to`` over the outcome
    space (its own, or ``outcome_space`` / ``issues``); ``outcomes`` is refused
    (normalize over a space of exactly those outcomes instead)."""
    if outcomes is not None:
        raise ValueError(
            "normalize(outcomes=...) is not supported: pass the outcome space the "
            "outcomes come from"
        )
    return normalize_one(
        ufun,
        to,
        _space(outcome_space, issues),
        normalize_reserved_values=normalize_reserved_values,
        reserved_value_penalty=reserved_value_penalty,
    )


def scale_max(
    ufun: UtilityFunction,
    to: float = 1.0,
    outcome_space: OutcomeSpace | None = None,
    issues: Sequence[Issue] | None = None,
) -> UtilityFunction:
    """NegMAS's ``ops.scale_max``: ``ufun.scale_max(to)`` over the given space."""
    _check_ufun("ufun", ufun)
    return ufun.scale_max(to, _space(outcome_space, issues))


def is_rational(ufuns: Iterable[UtilityFunction], outcome: Outcome | None) -> bool:
    """Whether ``outcome`` is worth at least the reserved value to every ``ufun``."""
    ufuns = check_items("ufuns", ufuns, "utility functions")
    return all(u(outcome) >= u.reserved_value for u in ufuns)

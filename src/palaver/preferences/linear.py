"""``LinearUtilityFunction``: a weighted sum of the issues' numeric values."""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from palaver._util.checks import check_real
from palaver.outcomes import Issue, Outcome, OutcomeSpace, OutcomeSpaceError
from palaver.outcomes.plain import issues_from_plain, issues_to_plain
from palaver.preferences.base import Outcomes, UtilityFunction
from palaver.preferences.draws import ReservedValue, Seed, draw_reserved, generator, space_of
from palaver.preferences.value_functions import dict_of

# Native float64 (the dtype of every array numpy makes from Python floats) is
# one object: an identity test is enough to recognise it.
_FLOAT = np.dtype(float)


_PLAIN_NUMBERS = frozenset({float, int})


def float_vector(values: Sequence[float] | np.ndarray, what: str) -> np.ndarray:
    """``values`` as a non-empty 1-D array of finite floats, or a clear ``ValueError``."""
    # Numbers only: numpy reads the text "1" (a weight read from a file and not
    # converted) as 1.0 and a flag as 0 or 1, silently.
    if isinstance(values, np.ndarray):
        if values.dtype.kind not in "fiu":
            raise ValueError(f"{what} must be numbers, got {values!r} (dtype {values.dtype})")
    elif (
        isinstance(values, list | tuple)
        # The usual case (plain floats and ints) in one C-level pass.
        and not set(map(type, values)) <= _PLAIN_NUMBERS
        and any(isinstance(v, str | bytes | bool | np.bool_) for v in values)
    ):
        raise ValueError(f"{what} must be numbers, got {values!r}")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numbers, got {values!r}") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{what} must be a non-empty 1-D sequence, got {values!r}")
    # Per-issue vectors are short: checking the Python floats costs a tenth of
    # numpy's isfinite/all on a handful of values.
    if not all(map(math.isfinite, arr.tolist())):
        raise ValueError(f"{what} must be finite, got {values!r}")
    return arr


def order_by_names(
    given: Sequence[Any], names: tuple[str, ...] | None, space: OutcomeSpace, what: str
) -> list[Any]:
    """Per-issue items in the space's issue order (by name when ``names`` is given)."""
    if names is None:
        if len(given) != space.n_issues:
            raise ValueError(
                f"{len(given)} {what} given but the outcome space has {space.n_issues} "
                f"issues {list(space.issue_names)}"
            )
        return list(given)
    missing = [n for n in space.issue_names if n not in names]
    extra = [n for n in names if n not in space.issue_names]
    if missing or extra:
        raise ValueError(
            f"{what} are keyed by {list(names)} but the issues are {list(space.issue_names)}"
        )
    return [given[names.index(n)] for n in space.issue_names]


class LinearUtilityFunction(UtilityFunction):
    """``bias + sum(weight_i * x_i)`` where ``x_i`` is issue ``i``'s numeric value.

    Numeric issues contribute their raw value (booleans count as 0/1) and
    categorical issues the index of their value, which needs the outcome
    space to be known. ``weights`` is a sequence (issue order) or a dict keyed
    by issue name. ``eval`` and ``eval_many`` add the terms in the same order,
    so they return bit-identical utilities for the same outcome.
    """

    prefers_array = True
    #: Keeps its range and extremes (see :mod:`palaver.preferences.kept_extremes`).
    keeps_results = True

    def __init__(
        self,
        weights: Sequence[float] | np.ndarray | Mapping[str, float],
        bias: float = 0.0,
        reserved_value: float = -math.inf,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        self._names: tuple[str, ...] | None = None
        # Concrete sequence types first: they skip the slower abstract-class check.
        if not isinstance(weights, list | tuple | np.ndarray) and isinstance(weights, Mapping):
            self._names = tuple(weights)
            weights = list(weights.values())
        self._given = float_vector(weights, "weights")
        self._bias = check_real("bias", bias)
        self._set_weights(self._given)
        self._codes: tuple[dict[Any, int] | None, ...] | None = None
        super().__init__(reserved_value, outcome_space)

    @classmethod
    def random(
        cls,
        issues: OutcomeSpace | Iterable[Issue] | None = None,
        reserved_value: ReservedValue = (0.0, 1.0),
        normalized: bool = True,
        *,
        outcome_space: OutcomeSpace | None = None,
        seed: Seed = None,
    ) -> LinearUtilityFunction:
        """A linear utility function with random weights (NegMAS's ``random``).

        With ``normalized`` every weight is positive and the function is
        shifted and scaled so that its utilities span ``[0, 1]`` (up to
        rounding; each issue's range counts for a random share of it); otherwise
        weights and bias are drawn uniformly in ``[-1, 1]``. Categorical issues
        count by the index of their value. ``reserved_value`` is a number or a
        ``(low, high)`` range to draw it from. Every draw comes from ``seed``
        (an int, a numpy ``Generator``, or ``None`` for fresh entropy), so the
        same seed gives the same function.

        Args:
            issues: The issues, or an outcome space (NegMAS's first argument).
            reserved_value: The reserved value, or a range to draw it from.
            normalized: Utilities in ``[0, 1]`` (``True``) or free weights.
            outcome_space: The outcome space, instead of ``issues``.
            seed: Where the draws come from.
        """
        space = space_of(issues, outcome_space)
        rng = generator(seed)
        n = space.n_issues
        bounds = np.array([issue.numeric_bounds() for issue in space.issues], dtype=float)
        if normalized:
            span = bounds[:, 1] - bounds[:, 0]
            share = np.where(span > 0, rng.uniform(0.0, 1.0, n), 0.0)
            share /= share.sum() or 1.0
            # Issue i adds share_i * (x_i - lo_i) / span_i, in [0, share_i].
            weights = share / np.where(span > 0, span, 1.0)
            bias = -float(weights @ bounds[:, 0])
        else:
            weights = rng.uniform(-1.0, 1.0, n)
            bias = float(rng.uniform(-1.0, 1.0))
        reserved = draw_reserved(rng, reserved_value)
        return cls(weights, bias=bias, reserved_value=reserved, outcome_space=space)

    def _set_weights(self, weights: np.ndarray) -> None:
        self._w = tuple(weights.tolist())
        self._wa = weights

    def _on_outcome_space(self, outcome_space: OutcomeSpace | None) -> None:
        if outcome_space is None:
            if self._wa is not self._given:
                self._set_weights(self._given)
            self._codes = None
            return
        if self._names is None and outcome_space.is_numeric:
            # The common case (weights in issue order, numeric issues) needs
            # neither reordering nor value codes: only the length check.
            if len(self._w) != outcome_space.n_issues:
                order_by_names(self._w, None, outcome_space, "weights")  # raises
            if self._wa is not self._given:
                self._set_weights(self._given)
            self._codes = None
            return
        ordered = order_by_names(list(self._given), self._names, outcome_space, "weights")
        codes = tuple(
            None if issue.is_numeric else {v: i for i, v in enumerate(issue.all_values)}
            for issue in outcome_space.issues
        )
        self._set_weights(np.array(ordered, dtype=float))
        self._codes = None if all(c is None for c in codes) else codes

    @property
    def weights(self) -> np.ndarray:
        """The weights, in issue order (a copy)."""
        return self._wa.copy()

    @property
    def bias(self) -> float:
        """The constant added to every outcome's utility."""
        return self._bias

    def ranking_fingerprint(self) -> tuple[Any, ...]:
        """Everything the utilities depend on (strategies reuse their rankings while it holds)."""
        return (self._w, self._bias, id(self._codes), self._outcome_space)

    def to_dict(self) -> dict[str, Any]:
        """The function as plain data (weights in issue order, issues when known)."""
        space = self.outcome_space
        return {
            "type": "LinearUtilityFunction",
            "weights": [float(w) for w in self.weights],
            "bias": self._bias,
            "reserved_value": self.reserved_value,
            "stability": int(self.stability),
            "issues": None if space is None else issues_to_plain(space.issues),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LinearUtilityFunction:
        """The function a :meth:`to_dict` dict describes."""
        data = dict_of(cls.__name__, d, ("weights",))
        issues = data.pop("issues", None)
        space = None if issues is None else issues_from_plain(issues)
        return cls(data.pop("weights"), outcome_space=space, **data)

    def eval(self, outcome: Outcome) -> float:
        """The utility of an outcome tuple."""
        w = self._w
        if len(outcome) != len(w):
            raise self._length_error(outcome)
        s = self._bias
        codes = self._codes
        try:
            if codes is None:
                for wi, v in zip(w, outcome, strict=False):
                    s += wi * v
            else:
                for wi, v, c in zip(w, outcome, codes, strict=False):
                    s += wi * (v if c is None else c[v])
        except (TypeError, KeyError):
            raise self._value_error(outcome) from None
        return float(s)

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """The utilities of many outcomes (tuples, dicts or a ``to_array`` array)."""
        if type(outcomes) is np.ndarray and outcomes.dtype is _FLOAT and outcomes.ndim == 2:
            arr = outcomes  # what strategies pass at every negotiation's start
        else:
            arr = self.as_array(outcomes)
        w = self._w
        if len(arr) == 0:
            return np.empty(0)
        if arr.shape[1] != len(w):
            raise self._length_error(arr[0])
        # The same additions, in the same order, as eval (bias, then issue by
        # issue), so both give bit-identical utilities; whole columns at a time
        # rather than a matrix product, whose summation order is the BLAS's.
        columns = arr.T
        u: np.ndarray = columns[0] * w[0]
        u += self._bias
        for j in range(1, len(w)):
            u += columns[j] * w[j]
        return u

    def minmax(self, outcome_space: OutcomeSpace | None = None) -> tuple[float, float]:
        """The exact lowest and highest utility, continuous issues included."""
        space = self.space_for(outcome_space)
        ufun = self if space == self._outcome_space else copy.copy(self)
        ufun.outcome_space = space
        lo = hi = ufun._bias
        for wj, issue in zip(ufun._w, space.issues, strict=True):
            a, b = issue.numeric_bounds()
            lo += wj * (a if wj >= 0 else b)
            hi += wj * (b if wj >= 0 else a)
        return float(lo), float(hi)

    def _length_error(self, outcome: Any) -> ValueError:
        return ValueError(
            f"LinearUtilityFunction has {len(self._w)} weights but outcome {tuple(outcome)!r} "
            f"has {len(outcome)} values"
        )

    def _value_error(self, outcome: Outcome) -> ValueError:
        space = self._outcome_space
        for j, v in enumerate(outcome):
            issue = space.issues[j] if space is not None else None
            name = repr(issue.name) if issue is not None else f"#{j}"
            if issue is not None and v not in issue:
                return OutcomeSpaceError(f"issue {name}: {v!r} is not a value of the issue")
            if issue is None and not isinstance(v, int | float | np.number):
                return ValueError(
                    f"issue {name}: value {v!r} is not numeric; give the utility function "
                    "an outcome_space so that categorical values map to their index"
                )
        return ValueError(f"cannot evaluate outcome {outcome!r}")

"""``LinearAdditiveUtilityFunction``: a weighted sum of per-issue value functions."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeAlias, cast

import numpy as np

from palaver._util.checks import check_real
from palaver.outcomes import Issue, Outcome, OutcomeSpace, OutcomeSpaceError
from palaver.outcomes.plain import issues_from_plain, issues_to_plain
from palaver.preferences.base import Outcomes, UtilityFunction
from palaver.preferences.draws import ReservedValue, Seed, draw_reserved, generator, space_of
from palaver.preferences.linear import float_vector, order_by_names
from palaver.preferences.protocol import checked_utilities, checked_utility
from palaver.preferences.value_functions import AffineFun, BaseFun, TableFun, dict_of, from_plain

#: A per-issue value function: ``None`` (the issue's numeric value), a dict
#: from issue value to number, or a callable taking an issue value.
ValueFunction: TypeAlias = Callable[[Any], float] | Mapping[Any, float] | None

# Discrete issues up to this many values get their value function tabulated
# once, so that eval_many is an array lookup instead of a Python call per outcome.
_MAX_TABLE = 65_536


class LinearAdditiveUtilityFunction(UtilityFunction):
    """``bias + sum(weight_i * f_i(x_i))`` with one value function ``f_i`` per issue.

    ``values`` is a sequence (issue order) or a dict keyed by issue name of
    value functions: ``None`` uses the issue's numeric value (a categorical
    value's index), a dict maps each issue value to a number, and a callable
    is called with the issue value. ``weights`` defaults to 1 per issue and is
    a sequence, or a dict keyed like ``values``.
    """

    prefers_array = True
    #: Keeps its range and extremes (see :mod:`palaver.preferences.kept_extremes`).
    keeps_results = True

    def __init__(
        self,
        values: Sequence[ValueFunction] | Mapping[str, ValueFunction],
        weights: Sequence[float] | np.ndarray | Mapping[str, float] | None = None,
        bias: float = 0.0,
        reserved_value: float = -math.inf,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        self._names: tuple[str, ...] | None = None
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise TypeError(
                "values must be a list of value functions or a dict of them keyed by issue "
                f"name, got {values!r} ({type(values).__name__})"
            )
        if isinstance(values, Mapping):
            self._names = tuple(values)
            values = list(values.values())
        self._given_fns = [_checked_value_function(f, j) for j, f in enumerate(values)]
        if not self._given_fns:
            raise ValueError("LinearAdditiveUtilityFunction needs at least one value function")
        if weights is None:
            weights = [1.0] * len(self._given_fns)
        elif isinstance(weights, Mapping):
            if self._names is None or set(weights) != set(self._names):
                raise ValueError(
                    f"weights keyed by {list(weights)} need values keyed by the same names"
                )
            weights = [weights[n] for n in self._names]
        self._given_w = float_vector(weights, "weights")
        if len(self._given_w) != len(self._given_fns):
            raise ValueError(
                f"{len(self._given_w)} weights for {len(self._given_fns)} value functions"
            )
        self._bias = check_real("bias", bias)
        super().__init__(reserved_value, outcome_space)

    @classmethod
    def random(
        cls,
        outcome_space: OutcomeSpace | None = None,
        issues: OutcomeSpace | Iterable[Issue] | None = None,
        reserved_value: ReservedValue = (0.0, 1.0),
        normalized: bool = True,
        *,
        seed: Seed = None,
        **kwargs: Any,
    ) -> LinearAdditiveUtilityFunction:
        """A linear-additive utility function with random weights and value functions.

        NegMAS's ``random``. A discrete issue gets a :class:`TableFun` of
        uniform draws in ``[0, 1]``; a continuous one (or a numeric one too
        large to tabulate) an :class:`AffineFun` mapping its range onto
        ``[0, 1]``, rising or falling at random. With
        ``normalized`` each table's best value is 1 and its worst 0, and the
        weights sum to 1, so utilities span ``[0, 1]`` (up to rounding).
        ``reserved_value`` is a number or a ``(low, high)`` range to draw it
        from. Every draw comes from ``seed`` (an int, a numpy ``Generator``,
        or ``None`` for fresh entropy), so the same seed gives the same
        function. Other keywords go to the constructor (``bias=``, ...).

        Args:
            outcome_space: The outcome space (NegMAS's first argument).
            issues: The issues, instead of ``outcome_space``.
            reserved_value: The reserved value, or a range to draw it from.
            normalized: Utilities in ``[0, 1]`` (``True``) or raw draws.
            seed: Where the draws come from.
            **kwargs: More constructor arguments.
        """
        space = space_of(issues, outcome_space)
        rng = generator(seed)
        weights = rng.uniform(0.0, 1.0, space.n_issues)
        if normalized:
            weights /= weights.sum() or 1.0
        values: list[ValueFunction] = [_random_value(rng, i, normalized) for i in space.issues]
        reserved = draw_reserved(rng, reserved_value)
        return cls(values, weights, reserved_value=reserved, outcome_space=space, **kwargs)

    def _on_outcome_space(self, outcome_space: OutcomeSpace | None) -> None:
        fns, w = self._given_fns, list(self._given_w)
        issues: list[Issue | None] = [None] * len(fns)
        if outcome_space is not None:
            fns = order_by_names(fns, self._names, outcome_space, "value functions")
            w = order_by_names(w, self._names, outcome_space, "weights")
            issues = list(outcome_space.issues)
        self._w = tuple(w)
        self._fns = fns
        self._issues = issues
        self._f = [_evaluator(f, issue) for f, issue in zip(fns, issues, strict=True)]
        self._tables: list[np.ndarray | bool | None] = [False] * len(fns)

    @property
    def weights(self) -> np.ndarray:
        """The weights, in issue order."""
        return np.array(self._w)

    @property
    def values(self) -> tuple[ValueFunction, ...]:
        """The value functions as given (dicts are copies), in issue order.

        The order is the outcome space's once the ufun has one; before that, the
        order in which they were given.
        """
        return tuple(dict(f) if isinstance(f, Mapping) else f for f in self._fns)

    @property
    def bias(self) -> float:
        """The constant added to every outcome's utility."""
        return self._bias

    def to_dict(self) -> dict[str, Any]:
        """The function as plain data, for :func:`palaver.serialization.dump`.

        A value function class (``AffineFun``, ...) is written as its
        ``to_dict``, a table as a dict; a plain Python callable cannot be
        (``TypeError``). The issues are written when the outcome space is known.
        """
        values: list[Any] = []
        for j, f in enumerate(self._fns):
            if f is None:
                values.append(None)
            elif isinstance(f, Mapping):
                values.append(TableFun(f).to_dict())
            elif isinstance(f, BaseFun):
                values.append(f.to_dict())
            else:
                raise TypeError(f"value function {j} ({f!r}) is a Python callable, not plain data")
        space = self.outcome_space
        return {
            "type": "LinearAdditiveUtilityFunction",
            "values": values,
            "weights": [float(w) for w in self._w],
            "bias": self._bias,
            "reserved_value": self.reserved_value,
            "stability": int(self.stability),
            "issues": None if space is None else issues_to_plain(space.issues),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LinearAdditiveUtilityFunction:
        """The function a :meth:`to_dict` dict describes."""
        data = dict_of(cls.__name__, d, ("values",))
        issues = data.pop("issues", None)
        listed = data["values"]
        if isinstance(listed, str | bytes | Mapping) or not isinstance(listed, Iterable):
            raise ValueError(f"{cls.__name__}.from_dict: values must be a list, got {listed!r:.80}")
        values = [
            from_plain(v) if isinstance(v, Mapping) and isinstance(v.get("type"), str) else v
            for v in data.pop("values")
        ]
        space = None if issues is None else issues_from_plain(issues)
        return cls(values, outcome_space=space, **data)

    def eval(self, outcome: Outcome) -> float:
        """The utility of an outcome tuple."""
        if len(outcome) != len(self._w):
            raise self._length_error(outcome)
        s = self._bias
        try:
            for w, f, v in zip(self._w, self._f, outcome, strict=False):
                s += w * f(v)
        except (KeyError, TypeError, ValueError) as exc:
            raise self._value_error(outcome, exc) from exc
        return float(s)

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """The utilities of many outcomes (tuples, dicts or a ``to_array`` array).

        Discrete issues are evaluated by table lookup; only value functions on
        continuous issues (or without a known outcome space) are called per outcome.
        """
        arr: np.ndarray | None = None
        rows: list[Outcome] | None = None
        if isinstance(outcomes, np.ndarray):
            arr = self.as_array(outcomes)
            n = len(arr)
            if n and arr.shape[1] != len(self._w):
                raise self._length_error(arr[0])
        else:
            rows = self.as_rows(outcomes)
            n = len(rows)
            bad = next((o for o in rows if len(o) != len(self._w)), None)
            if bad is not None:
                raise self._length_error(bad)
        u = np.full(n, self._bias)
        for j, w in enumerate(self._w):
            u += w * self._column(j, arr, rows, n)
        return u

    def _column(self, j: int, arr: np.ndarray | None, rows: list[Outcome] | None, n: int) -> Any:
        issue, fn = self._issues[j], self._fns[j]
        raw: list[Any] | None = None if rows is None else [o[j] for o in rows]
        if fn is None or self._table(j) is not None:
            if arr is not None:
                codes = arr[:, j]
            elif issue is not None:
                codes = issue.to_numeric_many(raw)  # type: ignore[arg-type]
            else:
                codes = _numeric_column(raw, j)  # type: ignore[arg-type]
            if fn is None:
                return codes
            assert issue is not None
            return self._table(j)[issue.indices(codes)]  # type: ignore[index]
        if raw is None:
            assert arr is not None
            col = arr[:, j]
            raw = [issue.from_numeric(x) for x in col.tolist()] if issue else col.tolist()
        f = self._f[j]
        try:
            return checked_utilities(f, raw, f)
        except (KeyError, TypeError, ValueError) as exc:
            value = next(v for v in raw if not _evaluates(f, v))
            raise self._value_error((value,), exc, j) from exc

    def _table(self, j: int) -> np.ndarray | None:
        """The value function of issue ``j`` over all its values, built once if small."""
        table = self._tables[j]
        if table is False:
            issue = self._issues[j]
            table = None
            if issue is not None and issue.cardinality <= _MAX_TABLE:
                values = list(issue.all_values)
                f = self._f[j]
                bad = next((v for v in values if not _evaluates(f, v)), _NONE)
                if bad is not _NONE:
                    raise self._value_error((bad,), None, j)
                table = np.fromiter(map(f, values), dtype=float, count=len(values))
            self._tables[j] = table
        return table  # type: ignore[return-value]

    def normal_form(
        self, to: tuple[float, float], outcome_space: OutcomeSpace | None = None
    ) -> LinearAdditiveUtilityFunction | None:
        """This function mapped linearly onto ``to`` over ``outcome_space``, as
        NegMAS's canonical linear-additive function: bias ``to[0]``, weights
        ``>= 0`` summing to ``to[1] - to[0]``, each value function a
        :class:`TableFun` onto ``[0, 1]`` (0 at the issue's worst value, 1 at
        its best; all 0 for an issue that changes nothing). Its utilities are
        this function's mapped linearly, up to floating-point rounding (see
        :meth:`normalize`, which computes them exactly).

        ``None`` when an issue cannot be tabulated (continuous, or over 65,536
        values) or the function is constant. The reserved value is left at its
        default.
        """
        if isinstance(to, str | bytes) or not isinstance(to, Sequence) or len(to) != 2:
            raise TypeError(f"normal_form: to must be a (low, high) pair of numbers, got {to!r}")
        low, high = check_real("to[0]", to[0]), check_real("to[1]", to[1])
        if not high > low:
            raise ValueError(f"normal_form: to must have low < high, got {to!r}")
        space = self.space_for(outcome_space)
        ufun = self if space == self._outcome_space else copy.copy(self)
        ufun.outcome_space = space
        contributions = []
        for j, w in enumerate(ufun._w):
            table = ufun._table(j)
            if table is None:
                return None
            contributions.append(w * table)
        lows = [float(c.min()) for c in contributions]
        spans = [float(c.max()) - m for c, m in zip(contributions, lows, strict=True)]
        total = math.fsum(spans)
        if not total > 0:
            return None
        weights = [(high - low) * d / total for d in spans]
        values = [
            TableFun(
                dict(
                    zip(issue.all_values, ((c - m) / d if d > 0 else c * 0.0).tolist(), strict=True)
                )
            )
            for issue, c, m, d in zip(space.issues, contributions, lows, spans, strict=True)
        ]
        return LinearAdditiveUtilityFunction(values, weights, bias=low, outcome_space=space)

    def minmax(self, outcome_space: OutcomeSpace | None = None) -> tuple[float, float]:
        """The exact lowest and highest utility.

        Issues with a value function other than ``None`` must be discrete (and
        small enough to tabulate), or have a value function class that knows
        where its extremes lie (the ``AffineFun`` family, ``ConstFun``, the
        numeric curves such as ``QuadraticFun`` or ``GaussianFun`` and their
        sums; a sum with smooth parts is searched numerically, see
        ``value_mixtures``); otherwise discretize a continuous space explicitly.
        """
        space = self.space_for(outcome_space)
        ufun = self if space == self._outcome_space else copy.copy(self)
        ufun.outcome_space = space
        worst, best = [], []
        for j, (w, issue) in enumerate(zip(ufun._w, space.issues, strict=True)):
            table = ufun._table(j)
            fn = ufun._fns[j]
            points = fn._candidates(issue) if table is None and isinstance(fn, BaseFun) else None
            if points is not None:
                # The value function knows where its extremes can be (the ends
                # of an affine one, the peak of a bell, ...): compare only those.
                contrib = [w * ufun._f[j](v) for v in points]
                worst.append(points[int(np.argmin(contrib))])
                best.append(points[int(np.argmax(contrib))])
                continue
            if table is None and ufun._fns[j] is not None:
                raise OutcomeSpaceError(
                    f"issue {issue.name!r}: cannot bound a value function over "
                    f"{issue.cardinality} values; discretize the outcome space first"
                )
            if table is None:
                a, b = issue.numeric_bounds()
                lo, hi = (a, b) if w >= 0 else (b, a)
                worst.append(issue.from_numeric(lo))
                best.append(issue.from_numeric(hi))
            else:
                contrib = w * table
                worst.append(issue.all_values[int(np.argmin(contrib))])
                best.append(issue.all_values[int(np.argmax(contrib))])
        low, high = ufun.eval(tuple(worst)), ufun.eval(tuple(best))
        for outcome, u in ((tuple(worst), low), (tuple(best), high)):
            if math.isnan(u):  # a callable value function gave NaN; argmin/argmax chose it
                raise ValueError(
                    f"the utility function {self!r} gives NaN for outcome {outcome!r}: "
                    "utilities must be numbers"
                )
        return low, high

    def _length_error(self, outcome: Any) -> ValueError:
        return ValueError(
            f"LinearAdditiveUtilityFunction has {len(self._w)} value functions but outcome "
            f"{tuple(outcome)!r} has {len(outcome)} values"
        )

    def _value_error(
        self, outcome: Outcome, exc: Exception | None, only: int | None = None
    ) -> ValueError:
        positions = range(len(outcome)) if only is None else [only]
        for pos, v in zip(positions, outcome, strict=False):
            problem = _value_problem(self._f[pos], v)
            if problem is not None:
                issue = self._issues[pos]
                name = repr(issue.name) if issue is not None else f"#{pos}"
                return ValueError(f"issue {name}: {problem}")
        return ValueError(f"cannot evaluate outcome {outcome!r}: {exc}")


_NONE = object()


def _random_value(rng: np.random.Generator, issue: Issue, normalized: bool) -> ValueFunction:
    """A random value function for one issue, with values in ``[0, 1]``."""
    if issue.is_numeric and (issue.is_continuous or issue.cardinality > _MAX_TABLE):
        lo, hi = issue.numeric_bounds()
        slope = 1.0 / (hi - lo) if hi > lo else 0.0
        if rng.uniform() < 0.5:
            return AffineFun(slope, -slope * lo)
        return AffineFun(-slope, slope * hi)
    draws = rng.uniform(0.0, 1.0, int(issue.cardinality))
    if normalized:
        low, high = draws.min(), draws.max()
        draws = (draws - low) / (high - low) if high > low else np.ones_like(draws)
    return TableFun(dict(zip(issue.all_values, draws.tolist(), strict=True)))


def _evaluates(f: Callable[[Any], float], value: Any) -> bool:
    return _value_problem(f, value) is None


def _value_problem(f: Callable[[Any], float], value: Any) -> str | None:
    """Why ``f`` gives no number for ``value`` (``None`` when it does)."""
    try:
        given = f(value)
    except (KeyError, TypeError, ValueError):
        return f"the value function cannot evaluate {value!r}"
    try:
        checked_utility(given, f, value)
    except TypeError:
        # A text ("0.5") or a flag would be read as a number, silently.
        return (
            f"the value function gave {given!r} ({type(given).__name__}) for {value!r}: "
            "a value must be a real number"
        )
    return None


def _numeric_column(raw: list[Any], j: int) -> np.ndarray:
    try:
        return np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"issue #{j}: values are not numeric; give the utility function an "
            "outcome_space so that categorical values map to their index"
        ) from None


def _checked_value_function(f: Any, position: int) -> ValueFunction:
    if f is None or callable(f):
        return cast("ValueFunction", f)
    if isinstance(f, Mapping):
        # float("1") would take a table read from a file and never converted.
        try:
            return {k: checked_utility(v, "table", k) for k, v in f.items()}
        except TypeError:
            raise ValueError(
                f"value function #{position}: every value must map to a number, got {f!r}"
            ) from None
    raise TypeError(f"value function #{position} must be None, a dict or a callable, got {f!r}")


def _evaluator(f: ValueFunction, issue: Issue | None) -> Callable[[Any], float]:
    """A callable giving the number ``f`` assigns to one issue value."""
    if f is None:
        return float if issue is None or issue.is_numeric else issue.to_numeric
    if isinstance(f, Mapping):
        return f.__getitem__
    return f

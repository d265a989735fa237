"""NegMAS's polynomial aggregations: ``PAUtilityFunction`` and ``GPAUtilityFunction``.

Where a linear-additive function adds weighted value functions, these add
*terms*, each a coefficient times a product of value-function outputs
raised to powers: ``u = bias + sum_k c_k * prod_j f_j(x[I_j]) ** p_kj``.
In ``PAUtilityFunction`` the functions ``f_j`` are one per issue (``I_j`` is
issue ``j``); in ``GPAUtilityFunction`` each reads any subset of the issues,
as the factors of a :class:`~palaver.preferences.GLAUtilityFunction`.
A power of 0 leaves the function out of the term.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Self

from palaver._util.checks import check_items, check_real
from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.outcomes.plain import issues_from_plain, issues_to_plain
from palaver.preferences.base import UtilityFunction
from palaver.preferences.draws import ReservedValue, Seed, draw_reserved, generator, space_of
from palaver.preferences.gla import FactorFun, _factor_fun, _random_factor
from palaver.preferences.value_functions import (
    AffineFun,
    BaseFun,
    IdentityFun,
    TableFun,
    dict_of,
    from_plain,
)
from palaver.preferences.value_multi import BaseMultiFun

__all__ = ["GPAUtilityFunction", "PAUtilityFunction"]

#: A polynomial term: its coefficient and one power per function.
Term = tuple[float, tuple[float, ...]]


def _checked_terms(terms: object, n: int, what: str) -> list[Term]:
    """``terms`` as ``(coefficient, powers)`` pairs with ``n`` powers each."""
    items = check_items("terms", terms, "(coefficient, powers)")
    out: list[Term] = []
    for k, term in enumerate(items):
        if isinstance(term, str | bytes) or not isinstance(term, Sequence) or len(term) != 2:
            raise TypeError(f"terms[{k}] must be a (coefficient, powers) pair, got {term!r:.80}")
        coef, powers = term
        if isinstance(powers, str | bytes) or not isinstance(powers, Sequence):
            raise TypeError(f"terms[{k}]: powers must be a sequence of numbers, got {powers!r:.80}")
        if len(powers) != n:
            raise ValueError(
                f"terms[{k}]: Term powers length ({len(powers)}) must match number of {what} ({n})"
            )
        checked = tuple(check_real(f"terms[{k}] power {j}", p) for j, p in enumerate(powers))
        out.append((check_real(f"terms[{k}] coefficient", coef), checked))
    return out


def _count(rng: Any, n: int | tuple[int, int]) -> int:
    """``n``, or a draw from its inclusive ``(low, high)`` range."""
    lo, hi = n if isinstance(n, tuple) else (n, n)
    return int(rng.integers(lo, hi + 1))


def _random_terms(
    rng: Any, n_terms: int | tuple[int, int], n: int, max_power: int, normalized: bool
) -> list[Term]:
    """Random terms over ``n`` functions: integer powers in ``0..max_power`` with at
    least one positive; coefficients in ``[0, 1]`` summing to 1 when ``normalized``
    (so values in ``[0, 1]`` give utilities in ``[0, 1]``), else in ``[-1, 1]``."""
    if max_power < 1:
        raise ValueError(f"max_power must be >= 1, got {max_power!r}")
    terms: list[Term] = []
    for _ in range(_count(rng, n_terms)):
        powers = [int(p) for p in rng.integers(0, max_power + 1, n)]
        if not any(powers):
            powers[int(rng.integers(0, n))] = int(rng.integers(1, max_power + 1))
        coef = float(rng.uniform(0.0, 1.0) if normalized else rng.uniform(-1.0, 1.0))
        terms.append((coef, tuple(float(p) for p in powers)))
    total = sum(c for c, _ in terms)
    if normalized and total > 0:
        terms = [(c / total, p) for c, p in terms]
    return terms


def _random_value_fun(rng: Any, issue: Issue, normalized: bool) -> BaseFun:
    """A value function of one issue: a line on a numeric issue (onto ``[0, r]``
    for a random ``r`` in ``(0, 1]`` when ``normalized``), a table otherwise."""
    if issue.is_numeric:
        lo, hi = issue.numeric_bounds()
        if not normalized:
            return AffineFun(float(rng.uniform(-1.0, 1.0)), 0.0)
        if hi == lo:  # one value: a constant in (0, 1]
            return AffineFun(0.0, float(rng.uniform(0.1, 1.0)))
        slope = float(rng.uniform(0.1, 1.0)) / (hi - lo)
        return AffineFun(slope, -slope * lo)
    low, high = (0.1, 1.0) if normalized else (-0.5, 0.5)
    return TableFun({v: float(rng.uniform(low, high)) for v in issue.all_values})


class _PolynomialAggregation(UtilityFunction):
    """The shared evaluation of :class:`PAUtilityFunction` and :class:`GPAUtilityFunction`."""

    _factors: list[tuple[tuple[int, ...], BaseFun | BaseMultiFun]]
    _terms: list[Term]
    _bias: float

    @property
    def terms(self) -> list[Term]:
        """Each term as ``(coefficient, powers)``."""
        return list(self._terms)

    @property
    def bias(self) -> float:
        """The constant added to every outcome's utility."""
        return self._bias

    def eval(self, outcome: Outcome) -> float:
        """The utility of an outcome tuple; a ``ValueError`` naming the function
        that cannot read it (NegMAS gives NaN)."""
        outputs = []
        for j, (indices, fun) in enumerate(self._factors):
            try:
                x = outcome[indices[0]] if len(indices) == 1 else tuple(outcome[i] for i in indices)
                outputs.append(float(fun(x)))
            except (KeyError, IndexError, TypeError, ValueError) as exc:
                raise ValueError(
                    f"function {j} ({type(fun).__name__} over issues {indices}) cannot "
                    f"evaluate outcome {tuple(outcome)!r}: {exc!r}"
                ) from exc
        u = self._bias
        for coef, powers in self._terms:
            term = coef
            for v, p in zip(outputs, powers, strict=True):
                if p:
                    term *= v**p
            u += term
        return float(u)

    def _plain(self, kind: str, key: str, functions: list[Any]) -> dict[str, Any]:
        """The plain data shared by both classes' ``to_dict``."""
        space = self.outcome_space
        return {
            "type": kind,
            key: functions,
            "terms": [[c, list(p)] for c, p in self._terms],
            "bias": self._bias,
            "reserved_value": self.reserved_value,
            "stability": int(self.stability),
            "issues": None if space is None else issues_to_plain(space.issues),
        }

    @staticmethod
    def _unplain(kind: str, key: str, d: Mapping[str, Any]) -> tuple[dict[str, Any], Any]:
        """The constructor's keywords in a ``to_dict`` dict, and its functions."""
        data = dict_of(kind, d, (key, "terms"))
        issues = data.pop("issues", None)
        data["outcome_space"] = None if issues is None else issues_from_plain(issues)
        return data, data.pop(key)

    def _with(self, terms: list[Term], bias: float, reserved: float) -> Self:
        made = self._copy()
        made._terms, made._bias, made.reserved_value = terms, bias, reserved
        made.name = self.name
        return made

    def _copy(self) -> Self:
        raise NotImplementedError  # each class rebuilds itself

    def shift_by(self, offset: float, shift_reserved: bool = True) -> Self:
        """A new function giving ``u + offset`` (the reserved value too, by default)."""
        d = check_real("offset", offset)
        rv = self.reserved_value + d if shift_reserved else self.reserved_value
        return self._with(list(self._terms), self._bias + d, rv)

    def scale_by(self, scale: float, scale_reserved: bool = True) -> Self:
        """A new function giving ``u * scale`` (``scale >= 0``), reserved value too by default."""
        s = check_real("scale", scale)
        if s < 0:
            raise ValueError(f"scale must be >= 0 (a negative one reverses preferences), got {s}")
        rv = self.reserved_value * s if scale_reserved else self.reserved_value
        return self._with([(c * s, p) for c, p in self._terms], self._bias * s, rv)


class PAUtilityFunction(_PolynomialAggregation):
    """``bias + sum_k c_k * prod_i v_i(x_i) ** p_ki``: one value function per issue.

    ``values`` is a list (one per issue, in order) or a dict by issue name
    (needs the outcome space; an issue not named gets the identity), each a
    value function, a callable, a dict (a table), or a list of values for
    the issue's values in order (a discrete issue). ``terms`` lists
    ``(coefficient, powers)`` with one power per issue.
    """

    def __init__(
        self,
        values: Sequence[Any] | Mapping[str, Any],
        terms: Sequence[tuple[float, Sequence[float]]],
        bias: float = 0.0,
        reserved_value: float = -math.inf,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        super().__init__(reserved_value, outcome_space)
        space = self.outcome_space
        if isinstance(values, Mapping):
            if space is None:
                raise ValueError("values given as a dict by issue name need the outcome space")
            unknown = [k for k in values if k not in space.issue_names]
            if unknown:
                raise ValueError(f"values: unknown issue names {unknown}; the issues are "
                                 f"{space.issue_names}")  # fmt: skip
            values = [values.get(n, IdentityFun()) for n in space.issue_names]
        given = check_items("values", values, "value functions, one per issue")
        self._factors = [((i, ), self._value_fun(i, v)) for i, v in enumerate(given)]  # fmt: skip
        self._terms = _checked_terms(terms, len(self._factors), "issues")
        self._bias = check_real("bias", bias)

    def _value_fun(self, i: int, fun: Any) -> BaseFun | BaseMultiFun:
        space = self.outcome_space
        if (
            not isinstance(fun, BaseFun | Mapping | str | bytes)
            and not callable(fun)
            and isinstance(fun, Iterable)
        ):
            if space is None or i >= space.n_issues or not space.issues[i].is_discrete:
                raise TypeError(
                    f"values[{i}]: a list of values needs a discrete issue {i} in the outcome space"
                )
            listed = list(fun)
            issue_values = space.issues[i].all_values
            if len(listed) != len(issue_values):
                raise ValueError(
                    f"values[{i}]: {len(listed)} values for the {len(issue_values)} values of "
                    f"issue {space.issues[i].name!r}"
                )
            return TableFun(dict(zip(issue_values, listed, strict=True)))
        return _factor_fun(fun, 1, i)

    @property
    def values(self) -> list[BaseFun | BaseMultiFun]:
        """The value functions, one per issue."""
        return [fun for _, fun in self._factors]

    def _copy(self) -> PAUtilityFunction:
        return PAUtilityFunction(
            self.values, self._terms, self._bias, self.reserved_value, self.outcome_space
        )

    def to_dict(self) -> dict[str, Any]:
        """The function as plain data (``TypeError`` if a value function is a Python callable)."""
        return self._plain("PAUtilityFunction", "values", [f.to_dict() for f in self.values])

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PAUtilityFunction:
        """The function a :meth:`to_dict` dict describes."""
        data, values = cls._unplain(cls.__name__, "values", d)
        try:
            funs = [from_plain(v) for v in values]
        except (AttributeError, TypeError) as exc:  # not a list of to_dict dicts
            raise ValueError(f"PAUtilityFunction.from_dict: bad values ({exc})") from None
        return cls(funs, **data)

    @classmethod
    def random(
        cls,
        outcome_space: OutcomeSpace | None = None,
        issues: OutcomeSpace | Iterable[Issue] | None = None,
        reserved_value: ReservedValue = (0.0, 1.0),
        normalized: bool = True,
        n_terms: int | tuple[int, int] = (2, 5),
        max_power: int = 3,
        *,
        seed: Seed = None,
        **kwargs: Any,
    ) -> PAUtilityFunction:
        """A PA function with random value functions and terms (NegMAS's keywords),
        drawn from ``seed``.

        One value function per issue: a line on a numeric issue, a table on a
        categorical one. ``n_terms`` is a count or an inclusive ``(low, high)``
        range; each term has integer powers in ``0..max_power``, at least one
        positive. When ``normalized``, values lie in ``[0, 1]`` and the
        coefficients are non-negative and sum to 1, so utilities lie in
        ``[0, 1]``; otherwise tables draw from ``[-0.5, 0.5]`` and coefficients
        from ``[-1, 1]``. The reserved value is drawn from ``reserved_value``
        (a number, or a range).
        """
        space = space_of(issues, outcome_space)
        rng = generator(seed)
        values = [_random_value_fun(rng, issue, normalized) for issue in space.issues]
        terms = _random_terms(rng, n_terms, len(values), max_power, normalized)
        reserved = draw_reserved(rng, reserved_value)
        return cls(values, terms, reserved_value=reserved, outcome_space=space, **kwargs)


class GPAUtilityFunction(_PolynomialAggregation):
    """``bias + sum_k c_k * prod_j f_j(x[I_j]) ** p_kj``: factors over subsets of issues.

    ``factors`` lists ``(issues, fun)``: ``issues`` a tuple of issue indices
    or names (names need the outcome space), ``fun`` a value function, a
    callable, a dict (a table) or a number, as for
    :class:`~palaver.preferences.GLAUtilityFunction`. ``terms`` lists
    ``(coefficient, powers)`` with one power per factor.
    """

    def __init__(
        self,
        factors: Sequence[tuple[Sequence[int | str], FactorFun]],
        terms: Sequence[tuple[float, Sequence[float]]],
        bias: float = 0.0,
        reserved_value: float = -math.inf,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        super().__init__(reserved_value, outcome_space)
        specs = check_items("factors", factors, "(issues, fun)")
        self._factors = []
        for k, spec in enumerate(specs):
            if isinstance(spec, str | bytes) or not isinstance(spec, Sequence) or len(spec) != 2:
                raise TypeError(f"factors[{k}] must be an (issues, fun) pair, got {spec!r:.80}")
            where, fun = spec
            if isinstance(where, int | str):
                where = (where,)
            indices = tuple(self._index(i, k) for i in where)
            self._factors.append((indices, _factor_fun(fun, len(indices), k)))
        self._terms = _checked_terms(terms, len(self._factors), "factors")
        self._bias = check_real("bias", bias)

    def _index(self, issue: int | str, k: int) -> int:
        space = self.outcome_space
        if isinstance(issue, str):
            names = [] if space is None else space.issue_names
            if issue not in names:
                raise ValueError(
                    f"factors[{k}]: Issue name {issue!r} not found; the issues are {names}"
                )
            return names.index(issue)
        if isinstance(issue, bool) or not isinstance(issue, int) or issue < 0:
            raise TypeError(
                f"factors[{k}]: an issue must be a name or an index >= 0, got {issue!r}"
            )
        if space is not None and issue >= space.n_issues:
            raise ValueError(f"factors[{k}]: issue index {issue} >= {space.n_issues} issues")
        return issue

    @property
    def factors(self) -> list[tuple[tuple[int, ...], BaseFun | BaseMultiFun]]:
        """Each factor as ``(issue indices, value function)``."""
        return list(self._factors)

    def _copy(self) -> GPAUtilityFunction:
        return GPAUtilityFunction(
            self._factors, self._terms, self._bias, self.reserved_value, self.outcome_space
        )

    def to_dict(self) -> dict[str, Any]:
        """The function as plain data (``TypeError`` if a factor holds a Python callable)."""
        factors = [[list(i), f.to_dict()] for i, f in self._factors]
        return self._plain("GPAUtilityFunction", "factors", factors)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> GPAUtilityFunction:
        """The function a :meth:`to_dict` dict describes."""
        data, factors = cls._unplain(cls.__name__, "factors", d)
        try:
            specs = [(tuple(i), from_plain(f)) for i, f in factors]
        except (AttributeError, TypeError, ValueError) as exc:  # not (issues, fun) pairs
            raise ValueError(f"GPAUtilityFunction.from_dict: bad factors ({exc})") from None
        return cls(specs, **data)

    @classmethod
    def random(
        cls,
        outcome_space: OutcomeSpace | None = None,
        issues: OutcomeSpace | Iterable[Issue] | None = None,
        reserved_value: ReservedValue = (0.0, 1.0),
        normalized: bool = True,
        n_factors: int | tuple[int, int] = (2, 4),
        n_terms: int | tuple[int, int] = (2, 5),
        max_factor_issues: int = 2,
        max_power: int = 3,
        *,
        seed: Seed = None,
        **kwargs: Any,
    ) -> GPAUtilityFunction:
        """A GPA function with random factors and terms (NegMAS's keywords), drawn
        from ``seed``.

        ``n_factors`` and ``n_terms`` are counts or inclusive ``(low, high)``
        ranges; each factor reads 1 to ``max_factor_issues`` distinct issues and
        is drawn as :meth:`GLAUtilityFunction.random
        <palaver.preferences.GLAUtilityFunction.random>` draws its factors;
        terms are drawn as in :meth:`PAUtilityFunction.random`, one power per
        factor.
        """
        space = space_of(issues, outcome_space)
        rng = generator(seed)
        factors = []
        for _ in range(_count(rng, n_factors)):
            size = int(rng.integers(1, min(max_factor_issues, space.n_issues) + 1))
            chosen = sorted(int(i) for i in rng.choice(space.n_issues, size, replace=False))
            factors.append(
                _random_factor(rng, [space.issues[i] for i in chosen], chosen, normalized)
            )
        terms = _random_terms(rng, n_terms, len(factors), max_power, normalized)
        reserved = draw_reserved(rng, reserved_value)
        return cls(factors, terms, reserved_value=reserved, outcome_space=space, **kwargs)

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
from palaver.preferences.base import UtilityFunction
from palaver.preferences.gla import FactorFun, _factor_fun
from palaver.preferences.value_functions import BaseFun, IdentityFun, TableFun
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

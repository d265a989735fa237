"""``GLAUtilityFunction``: NegMAS's generalized linear aggregation of factors.

Where a :class:`~palaver.preferences.LinearAdditiveUtilityFunction` has one
value function per issue, a GLA function has *factors*, each reading any
subset of the issues: ``u = bias + sum(w_k * f_k(values of the issues I_k))``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeAlias

from palaver._util.checks import check_items, check_real
from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.outcomes.plain import issues_from_plain, issues_to_plain
from palaver.preferences.base import UtilityFunction
from palaver.preferences.draws import ReservedValue, Seed, draw_reserved, generator, space_of
from palaver.preferences.value_functions import (
    AffineFun,
    BaseFun,
    LambdaFun,
    TableFun,
    dict_of,
    from_plain,
)
from palaver.preferences.value_multi import (
    AffineMultiFun,
    BaseMultiFun,
    LambdaMultiFun,
    TableMultiFun,
)

__all__ = ["FactorFun", "GLAUtilityFunction"]

#: What a factor may be given as: a value function, a callable, a table, or a constant.
FactorFun: TypeAlias = BaseFun | BaseMultiFun | Callable[[Any], float] | Mapping[Any, float] | float

# A random multi-issue factor over non-numeric issues is a table of at most this many entries.
_MAX_RANDOM_TABLE = 100


def _factor_fun(fun: Any, n: int, k: int) -> BaseFun | BaseMultiFun:
    """``fun`` as a value function reading ``n`` issues, as NegMAS converts it."""
    if isinstance(fun, BaseFun | BaseMultiFun):
        return fun
    if isinstance(fun, Mapping):
        if "type" in fun and isinstance(fun["type"], str):
            made: BaseFun | BaseMultiFun = from_plain(fun)
            return made
        return TableFun(dict(fun)) if n == 1 else TableMultiFun(dict(fun))
    if isinstance(fun, int | float) and not isinstance(fun, bool):
        return AffineFun(0.0, float(fun)) if n == 1 else AffineMultiFun((0.0,) * n, float(fun))
    if callable(fun):
        return LambdaFun(fun) if n == 1 else LambdaMultiFun(fun)
    raise TypeError(
        f"factors[{k}]: a factor must be a value function, a callable, a dict or a number, "
        f"got {fun!r} ({type(fun).__name__})"
    )


class GLAUtilityFunction(UtilityFunction):
    """``bias + sum(w_k * f_k(x[I_k]))``: weighted factors, each over a subset of the issues.

    ``factors`` is a list of ``(issues, fun)`` or ``(issues, fun, weight)``:
    ``issues`` a tuple of issue indices or names (names need the outcome
    space), ``fun`` a value function (a ``BaseFun`` given the one value of a
    single issue, a ``BaseMultiFun`` given the tuple of values of several), a
    callable, a dict (a table) or a number (a constant). ``weights`` (1 each
    by default) weigh factors given without one.

    Unlike NegMAS, whose ``eval`` gives NaN when a factor cannot evaluate an
    outcome, a ``ValueError`` names the factor and the outcome.
    """

    def __init__(
        self,
        factors: Sequence[Sequence[Any]],
        weights: Sequence[float] | None = None,
        bias: float = 0.0,
        reserved_value: float = -math.inf,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        super().__init__(reserved_value, outcome_space)
        space = self.outcome_space
        names = {} if space is None else {n: i for i, n in enumerate(space.issue_names)}
        factors = check_items("factors", factors, "(issues, fun) or (issues, fun, weight)")
        if weights is not None and len(weights) != len(factors):
            raise ValueError(f"{len(weights)} weights for {len(factors)} factors")
        self._factors: list[tuple[tuple[int, ...], BaseFun | BaseMultiFun]] = []
        self._weights: list[float] = []
        for k, spec in enumerate(factors):
            if (
                isinstance(spec, str | bytes)
                or not isinstance(spec, Sequence)
                or len(spec) not in (2, 3)
            ):
                raise TypeError(
                    f"factors[{k}] must be (issues, fun) or (issues, fun, weight), got {spec!r}"
                )
            where, fun = spec[0], spec[1]
            given = spec[2] if len(spec) == 3 else (1.0 if weights is None else weights[k])
            indices = tuple(self._index(i, names, k) for i in where)
            self._factors.append((indices, _factor_fun(fun, len(indices), k)))
            self._weights.append(check_real(f"factors[{k}] weight", given))
        self._bias = check_real("bias", bias)

    def _index(self, issue: int | str, names: Mapping[str, int], k: int) -> int:
        if isinstance(issue, str):
            if issue not in names:
                raise ValueError(
                    f"factors[{k}]: Issue name {issue!r} not found; the issues are {list(names)}"
                )
            return names[issue]
        if isinstance(issue, bool) or not isinstance(issue, int) or issue < 0:
            raise TypeError(
                f"factors[{k}]: an issue must be a name or an index >= 0, got {issue!r}"
            )
        space = self.outcome_space
        if space is not None and issue >= space.n_issues:
            raise ValueError(f"factors[{k}]: issue index {issue} >= {space.n_issues} issues")
        return issue

    @property
    def factors(self) -> list[tuple[tuple[int, ...], BaseFun | BaseMultiFun]]:
        """Each factor as ``(issue indices, value function)``."""
        return list(self._factors)

    @property
    def weights(self) -> list[float]:
        """The factors' weights."""
        return list(self._weights)

    @property
    def bias(self) -> float:
        """The constant added to every outcome's utility."""
        return self._bias

    def eval(self, outcome: Outcome) -> float:
        """The utility of an outcome tuple."""
        u = self._bias
        for k, ((indices, fun), w) in enumerate(zip(self._factors, self._weights, strict=True)):
            try:
                x = outcome[indices[0]] if len(indices) == 1 else tuple(outcome[i] for i in indices)
                u += w * fun(x)
            except (KeyError, IndexError, TypeError, ValueError) as exc:
                raise ValueError(
                    f"factor {k} ({type(fun).__name__} over issues {indices}) cannot evaluate "
                    f"outcome {tuple(outcome)!r}: {exc!r}"
                ) from exc
        return float(u)

    def minmax(self, outcome_space: OutcomeSpace | None = None) -> tuple[float, float]:
        """The exact lowest and highest utility.

        When no two factors share an issue, each factor is bounded on its own
        (its ``minmax`` over its issues, which a continuous issue allows for the
        value functions that know where their extremes lie); otherwise every
        outcome of the (discrete) space is evaluated.
        """
        space = self.space_for(outcome_space)
        used = [i for indices, _ in self._factors for i in indices]
        if len(used) != len(set(used)):
            return super().minmax(space)
        low = high = self._bias
        for (indices, fun), w in zip(self._factors, self._weights, strict=True):
            issues = [space.issues[i] for i in indices]
            if isinstance(fun, BaseMultiFun):
                a, b = fun.minmax(issues)
            else:
                a, b = fun.minmax(issues[0])
            low += min(w * a, w * b)
            high += max(w * a, w * b)
        return low, high

    def _with(self, weights: list[float], bias: float, reserved: float) -> GLAUtilityFunction:
        factors = [(i, f, w) for (i, f), w in zip(self._factors, weights, strict=True)]
        made = GLAUtilityFunction(factors, None, bias, reserved, self.outcome_space)
        made.name = self.name
        return made

    def shift_by(self, offset: float, shift_reserved: bool = True) -> GLAUtilityFunction:
        """A new function giving ``u + offset`` (the reserved value too, by default)."""
        d = check_real("offset", offset)
        rv = self.reserved_value + d if shift_reserved else self.reserved_value
        return self._with(self._weights, self._bias + d, rv)

    def scale_by(self, scale: float, scale_reserved: bool = True) -> GLAUtilityFunction:
        """A new function giving ``u * scale`` (``scale >= 0``), reserved value too by default."""
        s = check_real("scale", scale)
        if s < 0:
            raise ValueError(f"scale must be >= 0 (a negative one reverses preferences), got {s}")
        rv = self.reserved_value * s if scale_reserved else self.reserved_value
        return self._with([w * s for w in self._weights], self._bias * s, rv)

    def xml(self, issues: Sequence[Issue] | None = None) -> str:
        """Refused, as in NegMAS: Genius XML has no factors over several issues."""
        raise NotImplementedError(
            "GLAUtilityFunction cannot be written as Genius XML (no multi-issue factors there); "
            "use a LinearAdditiveUtilityFunction"
        )

    def to_dict(self) -> dict[str, Any]:
        """The function as plain data (``TypeError`` if a factor holds a Python callable)."""
        space = self.outcome_space
        return {
            "type": "GLAUtilityFunction",
            "factors": [
                [list(i), f.to_dict(), w]
                for (i, f), w in zip(self._factors, self._weights, strict=True)
            ],
            "bias": self._bias,
            "reserved_value": self.reserved_value,
            "stability": int(self.stability),
            "issues": None if space is None else issues_to_plain(space.issues),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> GLAUtilityFunction:
        """The function a :meth:`to_dict` dict describes."""
        data = dict_of(cls.__name__, d, ("factors",))
        issues = data.pop("issues", None)
        try:
            factors = [(tuple(i), from_plain(f), w) for i, f, w in data.pop("factors")]
        except (TypeError, ValueError) as exc:  # not (issues, fun, weight) triples
            raise ValueError(f"GLAUtilityFunction.from_dict: bad factors ({exc})") from None
        space = None if issues is None else issues_from_plain(issues)
        return cls(factors, outcome_space=space, **data)

    @classmethod
    def random(
        cls,
        outcome_space: OutcomeSpace | None = None,
        issues: OutcomeSpace | Iterable[Issue] | None = None,
        reserved_value: ReservedValue = (0.0, 1.0),
        normalized: bool = True,
        n_factors: int | tuple[int, int] = (1, 5),
        max_factor_issues: int = 3,
        *,
        seed: Seed = None,
        **kwargs: Any,
    ) -> GLAUtilityFunction:
        """A GLA function with random factors, as NegMAS's ``random`` but drawn from ``seed``.

        ``n_factors`` is a count or an inclusive ``(low, high)`` range; each
        factor reads 1 to ``max_factor_issues`` distinct issues. A factor on one
        numeric issue is an ``AffineFun`` (slope in ``[-1, 1]``), on a
        categorical one a ``TableFun`` of draws in ``[0, 1]``; a factor on
        several numeric issues an ``AffineMultiFun``, on others a
        ``TableMultiFun`` when they have at most 100 combinations (else the
        factor reads only its first issue). Biases are 0 when ``normalized``
        (else drawn from ``[-0.5, 0.5]``), and the weights then sum to 1.
        """
        space = space_of(issues, outcome_space)
        rng = generator(seed)
        lo, hi = n_factors if isinstance(n_factors, tuple) else (n_factors, n_factors)
        count = int(rng.integers(lo, hi + 1))
        factors = []
        for _ in range(count):
            size = int(rng.integers(1, min(max_factor_issues, space.n_issues) + 1))
            chosen = sorted(int(i) for i in rng.choice(space.n_issues, size, replace=False))
            factors.append(
                _random_factor(rng, [space.issues[i] for i in chosen], chosen, normalized)
            )
        weights = rng.uniform(0.0, 1.0, count)
        if normalized and weights.sum() > 0:
            weights = weights / weights.sum()
        reserved = draw_reserved(rng, reserved_value)
        specs = [(i, f, float(w)) for (i, f), w in zip(factors, weights, strict=True)]
        return cls(specs, reserved_value=reserved, outcome_space=space, **kwargs)


def _random_factor(
    rng: Any, issues: list[Issue], indices: list[int], normalized: bool
) -> tuple[tuple[int, ...], BaseFun | BaseMultiFun]:
    bias = 0.0 if normalized else float(rng.uniform(-0.5, 0.5))
    if len(issues) > 1 and all(i.is_numeric for i in issues):
        return tuple(indices), AffineMultiFun(tuple(rng.uniform(-1.0, 1.0, len(issues))), bias)
    if len(issues) > 1 and all(i.is_discrete for i in issues):
        combos = math.prod(int(i.cardinality) for i in issues)
        if combos <= _MAX_RANDOM_TABLE:
            table = {
                c: float(rng.uniform()) for c in itertools.product(*(i.all_values for i in issues))
            }
            return tuple(indices), TableMultiFun(table)
    issue = issues[0]
    if issue.is_numeric:
        return (indices[0],), AffineFun(float(rng.uniform(-1.0, 1.0)), bias)
    return (indices[0],), TableFun({v: float(rng.uniform()) for v in issue.all_values})

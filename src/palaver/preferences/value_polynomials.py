"""NegMAS's polynomial multi-issue value functions: a full quadratic and a general polynomial.

``QuadraticMultiFun.minmax`` is exact on continuous issues: a quadratic's
extremes over a box lie at a point where, for some set of issues held at an
end of their range, the gradient in the remaining issues vanishes; every such
set is tried (three choices per continuous issue: either end, or free) and
the stationary point of the free issues solved for. Discrete issues take each
of their values in turn. ``PolynomialMultiFun`` evaluates every combination of
its (discrete) issues' values.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from palaver._util.checks import check_items, check_real
from palaver.outcomes import Issue, OutcomeSpaceError
from palaver.preferences.value_multi import (
    MAX_COMBINATIONS,
    ShiftableMultiFun,
    extremes,
    issue_tuple,
    numbers,
)

__all__ = ["PolynomialMultiFun", "QuadraticMultiFun"]

# Stands for "solve for this issue" among an issue's fixed values.
_FREE = object()


@dataclass(frozen=True)
class QuadraticMultiFun(ShiftableMultiFun):
    """``sum(linear[i] * x[i]) + sum(quadratic[i] * x[i]**2) + sum(c_ij * x[i] * x[j]) + bias``.

    ``interactions`` holds ``c_ij`` for ``i < j`` in the order (0, 1), (0, 2),
    ..., (1, 2), ...: ``n * (n - 1) / 2`` of them for ``n`` issues.
    """

    linear: tuple[float, ...]
    quadratic: tuple[float, ...]
    interactions: tuple[float, ...]
    bias: float = 0.0
    _scaled: ClassVar[tuple[str, ...]] = ("linear", "quadratic", "interactions")

    def __post_init__(self) -> None:
        owner = "QuadraticMultiFun"
        for name in ("linear", "quadratic", "interactions"):
            object.__setattr__(self, name, numbers(owner, name, getattr(self, name)))
        object.__setattr__(self, "bias", check_real(f"{owner}.bias", self.bias))
        n = len(self.linear)
        if len(self.quadratic) != n:
            raise ValueError(
                f"{owner}.quadratic must have {n} entries (one per entry of linear), "
                f"got {len(self.quadratic)}"
            )
        pairs = n * (n - 1) // 2
        if len(self.interactions) != pairs:
            raise ValueError(
                f"{owner}.interactions must have {pairs} entries (one per pair of the {n} "
                f"issues), got {len(self.interactions)}"
            )

    def __call__(self, x: Sequence[Any]) -> float:
        n = len(x)
        result: Any = self.bias
        for i in range(n):
            result += self.linear[i] * x[i]
            result += self.quadratic[i] * x[i] * x[i]
        pair = 0
        for i in range(n):
            for j in range(i + 1, n):
                result += self.interactions[pair] * x[i] * x[j]
                pair += 1
        return result  # type: ignore[no-any-return]

    @property
    def dim(self) -> int:
        """The number of linear coefficients."""
        return len(self.linear)

    def _hessian(self) -> np.ndarray:
        n = self.dim
        h = np.diag(2.0 * np.asarray(self.quadratic, dtype=float))
        for (i, j), c in zip(itertools.combinations(range(n), 2), self.interactions, strict=True):
            h[i, j] = h[j, i] = c
        return h

    def minmax(self, issues: Iterable[Issue]) -> tuple[float, float]:
        """The exact lowest and highest value over numeric issues (see the module)."""
        given = issue_tuple(self, issues)
        if len(given) != self.dim:
            raise ValueError(
                f"QuadraticMultiFun.minmax: {self.dim} issues needed, got {len(given)}"
            )
        options: list[list[Any]] = []
        bounds = []
        for issue in given:
            if not issue.is_numeric:
                raise OutcomeSpaceError(
                    f"issue {issue.name!r} is not numeric: QuadraticMultiFun needs numbers"
                )
            lo, hi = issue.numeric_bounds()
            bounds.append((lo, hi))
            if issue.is_continuous:
                options.append([lo, hi, _FREE])
            else:
                options.append([issue.to_numeric(v) for v in issue.all_values])
        count = math.prod(len(o) for o in options)
        if count > MAX_COMBINATIONS:
            raise OutcomeSpaceError(
                f"QuadraticMultiFun.minmax: {count} faces and values to try is more than "
                f"{MAX_COMBINATIONS}; discretize the issues more coarsely"
            )
        h, a = self._hessian(), np.asarray(self.linear, dtype=float)
        points = []
        for choice in itertools.product(*options):
            point = self._stationary(choice, h, a, bounds)
            if point is not None:
                points.append(point)
        return extremes(self, points)

    @staticmethod
    def _stationary(
        choice: tuple[Any, ...], h: np.ndarray, a: np.ndarray, bounds: list[tuple[float, float]]
    ) -> tuple[float, ...] | None:
        """``choice`` with its free issues set where the gradient in them is 0, if
        that point is unique and inside their ranges."""
        free = [i for i, v in enumerate(choice) if v is _FREE]
        x = np.array([0.0 if v is _FREE else float(v) for v in choice])
        if free:
            fixed = [i for i, v in enumerate(choice) if v is not _FREE]
            rhs = -(a[free] + h[np.ix_(free, fixed)] @ x[fixed])
            try:
                solved = np.linalg.solve(h[np.ix_(free, free)], rhs)
            except np.linalg.LinAlgError:
                # A flat direction: the extremes along it are at its ends (other choices).
                return None
            for i, v in zip(free, solved, strict=True):
                lo, hi = bounds[i]
                if not lo <= v <= hi:
                    return None
                x[i] = v
        return tuple(float(v) for v in x)


@dataclass(frozen=True)
class PolynomialMultiFun(ShiftableMultiFun):
    """``sum(c_k * prod(x[i] ** p_ki)) + bias`` over ``terms`` of ``(c_k, (p_k0, p_k1, ...))``.

    ``((2.0, (1, 0)), (3.0, (0, 1)))`` is ``2 * x + 3 * y``. Powers are taken
    with ``math.pow`` (a power of 0 skips its issue), as in NegMAS.
    """

    terms: tuple[tuple[float, tuple[float, ...]], ...]
    bias: float = 0.0

    def __post_init__(self) -> None:
        owner = "PolynomialMultiFun"
        terms = []
        given = check_items(f"{owner}.terms", self.terms, "(coefficient, powers) pairs")
        for k, term in enumerate(given):
            if isinstance(term, str | bytes) or not isinstance(term, Sequence) or len(term) != 2:
                raise TypeError(
                    f"{owner}.terms[{k}] must be a (coefficient, powers) pair, got {term!r}"
                )
            coef = check_real(f"{owner}.terms[{k}][0]", term[0])
            terms.append((coef, numbers(owner, f"terms[{k}][1]", term[1])))
        if len({len(p) for _, p in terms}) > 1:
            raise ValueError(f"{owner}.terms must all give one power per issue (the same count)")
        object.__setattr__(self, "terms", tuple(terms))
        object.__setattr__(self, "bias", check_real(f"{owner}.bias", self.bias))

    def __call__(self, x: Sequence[Any]) -> float:
        result: Any = self.bias
        for coef, powers in self.terms:
            term = coef
            for i, p in enumerate(powers):
                if p != 0:
                    term *= math.pow(x[i], p)
            result += term
        return result  # type: ignore[no-any-return]

    @property
    def dim(self) -> int:
        """The number of powers in each term (``ValueError`` with no terms)."""
        if not self.terms:
            raise ValueError("a PolynomialMultiFun with no terms has no dimension")
        return len(self.terms[0][1])

    def scale_by(self, scale: float) -> PolynomialMultiFun:
        """The coefficients and ``bias`` times ``scale``."""
        s = check_real("scale", scale)
        return PolynomialMultiFun(tuple((c * s, p) for c, p in self.terms), self.bias * s)

"""Equilibria of a tournament's payoff table (a symmetric two-player game).

- :func:`pure_symmetric_nash_equilibria`: strategies that are a best response
  to themselves (``M[k, k]`` is the largest value of column ``k``).
- :func:`egta_evaluation`: the best of them by self-play payoff (ties go to
  the first name in alphabetical order), de Jonge's EGTA evaluation.
- :func:`regret`: what one player gains at most by leaving a (mixed)
  population profile for a pure strategy.
- :func:`nash_averaging_ranking`: strategies ranked by their regret against a
  reference equilibrium (by default the EGTA best one).
- :func:`mixed_nash_equilibria`: the symmetric game's mixed equilibria by
  support enumeration, in numpy (no extra package).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from palaver.tournaments.analysis.payoff import PayoffTable, pandas

__all__ = [
    "PureNashResult",
    "egta_evaluation",
    "mixed_nash_equilibria",
    "nash_averaging_ranking",
    "pure_symmetric_nash_equilibria",
    "regret",
]


@dataclass
class PureNashResult:
    """The pure symmetric equilibria found and the recommended one."""

    #: Every strategy that is a pure symmetric Nash equilibrium (table order).
    candidates: list[str] = field(default_factory=list)
    #: The candidate with the highest self-play payoff, or ``None``.
    best: str | None = None
    #: Whether no other candidate ties with ``best``.
    unique: bool = False


def pure_symmetric_nash_equilibria(payoff: PayoffTable, tol: float = 1e-9) -> list[str]:
    """The strategies ``k`` with ``M[k, k] >= max_i M[i, k] - tol`` (NaN cells
    ignored; a strategy without self-play is never one). Raise ``tol`` when
    the table averages few negotiations and near-ties should count."""
    m = payoff.matrix
    found = []
    for k in range(payoff.n):
        column = m[:, k]
        if np.isnan(column[k]):
            continue
        if column[k] >= np.nanmax(column) - tol:
            found.append(payoff.strategies[k])
    return found


def egta_evaluation(payoff: PayoffTable, tol: float = 1e-9) -> PureNashResult:
    """The pure symmetric equilibria of ``payoff`` and the one with the highest
    self-play payoff (``best``; alphabetical on a tie, then ``unique`` is
    false). It recommends one strategy, it does not rank them all (see
    ``sequential_elimination_ranking``)."""
    candidates = pure_symmetric_nash_equilibria(payoff, tol=tol)
    if not candidates:
        return PureNashResult()
    diagonal = {s: payoff.matrix[payoff.index(s), payoff.index(s)] for s in candidates}
    top = max(diagonal.values())
    tied = sorted(s for s, v in diagonal.items() if v >= top)
    return PureNashResult(candidates=candidates, best=tied[0], unique=len(tied) == 1)


def _profile(payoff: PayoffTable, profile: Mapping[str, float]) -> np.ndarray:
    probs = np.zeros(payoff.n)
    for strategy, p in profile.items():
        if p < 0:
            raise ValueError(f"profile probabilities must not be negative, got {strategy}: {p}")
        probs[payoff.index(strategy)] = p
    if not np.isclose(probs.sum(), 1.0):
        raise ValueError(f"profile probabilities must sum to 1, got {probs.sum()}")
    return probs


def _against(payoff: PayoffTable, probs: np.ndarray) -> np.ndarray:
    """Each pure strategy's expected payoff against a population playing ``probs``
    (unknown cells count as 0 only where the population plays them)."""
    return np.asarray(np.nansum(payoff.matrix * probs[None, :], axis=1), dtype=float)


def regret(payoff: PayoffTable, profile: Mapping[str, float]) -> float:
    """The largest gain of one player switching from the population ``profile``
    (strategy -> probability, summing to 1) to a pure strategy."""
    probs = _profile(payoff, profile)
    values = _against(payoff, probs)
    return float(np.nanmax(values) - float(values @ probs))


def nash_averaging_ranking(
    payoff: PayoffTable, equilibrium: Mapping[str, float] | None = None
) -> Any:
    """Strategies ranked by regret against ``equilibrium`` (lowest first):
    columns ``rank``, ``strategy``, ``deviation_payoff``, ``regret``.

    Without ``equilibrium`` the EGTA best pure equilibrium is the reference; a
    table with none is a ``ValueError`` (pass a mixed one, e.g. from
    :func:`mixed_nash_equilibria`)."""
    pd = pandas("nash_averaging_ranking")
    if equilibrium is None:
        best = egta_evaluation(payoff).best
        if best is None:
            raise ValueError(
                "No pure symmetric Nash equilibrium in the payoff table; pass an "
                "explicit equilibrium profile (e.g. one of mixed_nash_equilibria(payoff))"
            )
        equilibrium = {best: 1.0}
    values = _against(payoff, _profile(payoff, equilibrium))
    top = float(np.nanmax(values))
    frame = pd.DataFrame(
        {"strategy": payoff.strategies, "deviation_payoff": values, "regret": top - values}
    )
    frame = frame.sort_values(["regret", "strategy"], kind="stable").reset_index(drop=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    return frame


def _indifferent(a: np.ndarray, rows: tuple[int, ...], cols: tuple[int, ...]) -> np.ndarray | None:
    """The mixture over ``cols`` making every row of ``rows`` equally good
    against it, or ``None`` when there is no unique one."""
    k = len(rows)
    system = np.zeros((k + 1, k + 1))
    system[:k, :k] = a[np.ix_(rows, cols)]
    system[:k, k] = -1.0  # minus the common value
    system[k, :k] = 1.0  # probabilities sum to 1
    rhs = np.zeros(k + 1)
    rhs[k] = 1.0
    try:
        solution = np.linalg.solve(system, rhs)
    except np.linalg.LinAlgError:
        return None
    return solution[:k]


def mixed_nash_equilibria(
    payoff: PayoffTable, method: str = "support_enumeration", tol: float = 1e-9
) -> list[dict[str, float]]:
    """The Nash equilibria of the game where both players use ``payoff`` (the
    row player gets ``M[i, j]``, the column player ``M[j, i]``), each given as
    the row player's mixture (strategy -> probability).

    Support enumeration tries every pair of supports of equal size, so it
    finds every equilibrium of a nondegenerate game (a degenerate one may have
    more); its cost grows as ``C(2n, n)``, fine for a tournament's few
    strategies. ``method`` is NegMAS's keyword: only ``"support_enumeration"``
    is implemented (others are a ``ValueError``). Unknown cells count as 0,
    with a ``UserWarning``.
    """
    if method != "support_enumeration":
        raise ValueError(
            f"method must be 'support_enumeration' (the only one implemented), got {method!r}"
        )
    a = payoff.matrix
    if np.isnan(a).any():
        import warnings

        warnings.warn(
            "the payoff table has unknown cells; they count as 0 in mixed_nash_equilibria "
            "(restrict the table to strategies that all met: PayoffTable.restrict)",
            UserWarning,
            stacklevel=2,
        )
        a = np.nan_to_num(a, nan=0.0)
    b = a.T  # the column player's payoffs: the same game seen from the other seat
    n = payoff.n
    found: list[tuple[np.ndarray, np.ndarray]] = []
    for size in range(1, n + 1):
        for rows in combinations(range(n), size):
            for cols in combinations(range(n), size):
                y = _indifferent(a, rows, cols)
                x = _indifferent(b.T, cols, rows)
                if x is None or y is None or (x < -tol).any() or (y < -tol).any():
                    continue
                full_x, full_y = np.zeros(n), np.zeros(n)
                full_x[list(rows)], full_y[list(cols)] = x, y
                row_values, col_values = a @ full_y, full_x @ b
                if row_values.max() > row_values[list(rows)].max() + tol:
                    continue
                if col_values.max() > col_values[list(cols)].max() + tol:
                    continue
                full_x = np.clip(full_x, 0.0, None) / np.clip(full_x, 0.0, None).sum()
                if not any(
                    np.allclose(full_x, sx, atol=1e-7) and np.allclose(full_y, sy, atol=1e-7)
                    for sx, sy in found
                ):
                    found.append((full_x, full_y))
    return [{s: float(p) for s, p in zip(payoff.strategies, mix, strict=True)} for mix, _ in found]

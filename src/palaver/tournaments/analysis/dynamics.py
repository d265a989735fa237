"""Replicator dynamics over a payoff table.

Symmetric (one population ``x``)::

    dx_i/dt = x_i ((A x)_i - x.A x)

Asymmetric (two populations ``x``, ``y`` with payoff matrices ``A``, ``B``)::

    dx_i/dt = x_i ((A y)_i - x.A y)     dy_j/dt = y_j ((x B)_j - x B y)

integrated with the classic fourth-order Runge-Kutta method at a fixed step
of at most :data:`MAX_STEP` time units (numpy only), the state clipped to the
simplex after every step. Unknown payoff cells count as 0. The trajectory is
a function of its arguments alone (no adaptive step, no randomness).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import NamedTuple

import numpy as np

from palaver.tournaments.analysis.payoff import PayoffTable

__all__ = [
    "MAX_STEP",
    "ReplicatorTrajectory",
    "asymmetric_replicator_dynamics",
    "final_mixed_strategy",
    "symmetric_replicator_dynamics",
]

#: The largest integration step (time units) between two output times.
MAX_STEP = 0.05


class ReplicatorTrajectory(NamedTuple):
    """A trajectory: ``x[t]`` (and ``y[t]`` for two populations) is the mixture
    at ``times[t]``; each row sums to 1."""

    times: np.ndarray
    x: np.ndarray
    strategies_x: list[str]
    y: np.ndarray | None = None
    strategies_y: list[str] | None = None


def _mixture(given: Mapping[str, float] | None, strategies: list[str]) -> np.ndarray:
    if given is None:
        return np.full(len(strategies), 1.0 / len(strategies))
    unknown = sorted(set(given) - set(strategies))
    if unknown:
        raise ValueError(
            f"initial mixture names unknown strategies {unknown}; they are {strategies}"
        )
    v = np.array([given.get(s, 0.0) for s in strategies], dtype=float)
    if (v < 0).any() or v.sum() <= 0:
        raise ValueError("an initial mixture needs non-negative shares, at least one positive")
    return np.asarray(v / v.sum())


def _check_times(t_max: float, n_steps: int) -> np.ndarray:
    if not (math.isfinite(t_max) and t_max > 0):
        raise ValueError(f"t_max must be a positive number, got {t_max!r}")
    if isinstance(n_steps, bool) or not isinstance(n_steps, int) or n_steps < 2:
        raise ValueError(f"n_steps must be an int >= 2, got {n_steps!r}")
    return np.linspace(0.0, t_max, n_steps)


def _simplex(z: np.ndarray, sizes: tuple[int, ...]) -> np.ndarray:
    parts, start = [], 0
    for size in sizes:
        part = np.clip(z[start : start + size], 0.0, None)
        parts.append(part / part.sum())
        start += size
    return np.concatenate(parts)


def _integrate(
    rhs: Callable[[np.ndarray], np.ndarray],
    z0: np.ndarray,
    times: np.ndarray,
    sizes: tuple[int, ...],
) -> np.ndarray:
    out = np.empty((len(times), len(z0)))
    z = z0.copy()
    out[0] = z
    for t in range(1, len(times)):
        span = times[t] - times[t - 1]
        n_sub = max(1, math.ceil(span / MAX_STEP))
        h = span / n_sub
        for _ in range(n_sub):
            k1 = rhs(z)
            k2 = rhs(z + 0.5 * h * k1)
            k3 = rhs(z + 0.5 * h * k2)
            k4 = rhs(z + h * k3)
            z = _simplex(z + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4), sizes)
        out[t] = z
    return out


def symmetric_replicator_dynamics(
    payoff: PayoffTable,
    x0: Mapping[str, float] | None = None,
    t_max: float = 100.0,
    n_steps: int = 200,
) -> ReplicatorTrajectory:
    """One population playing the table against itself, from ``x0`` (strategy
    -> share, normalised; default uniform) over ``n_steps`` times in
    ``[0, t_max]``. Pure symmetric equilibria are fixed points; the stable
    ones attract."""
    a = np.nan_to_num(payoff.matrix, nan=0.0)
    times = _check_times(t_max, n_steps)

    def rhs(x: np.ndarray) -> np.ndarray:
        fitness = a @ x
        return np.asarray(x * (fitness - x @ fitness))

    x = _integrate(rhs, _mixture(x0, payoff.strategies), times, (payoff.n,))
    return ReplicatorTrajectory(times, x, list(payoff.strategies))


def asymmetric_replicator_dynamics(
    payoff_row: PayoffTable,
    payoff_col: PayoffTable | None = None,
    x0: Mapping[str, float] | None = None,
    y0: Mapping[str, float] | None = None,
    t_max: float = 100.0,
    n_steps: int = 200,
) -> ReplicatorTrajectory:
    """Two populations: ``x`` plays rows of ``payoff_row`` (``A``), ``y``
    columns with payoffs ``B`` = ``payoff_col.matrix`` (indexed row strategy,
    column strategy), by default ``A`` transposed (the same game, two
    populations that may start apart)."""
    a = np.nan_to_num(payoff_row.matrix, nan=0.0)
    names_x = list(payoff_row.strategies)
    if payoff_col is None:
        b, names_y = a.T, names_x
    else:
        b, names_y = np.nan_to_num(payoff_col.matrix, nan=0.0), list(payoff_col.strategies)
        if b.shape != (len(names_x), len(names_y)):
            raise ValueError(
                f"payoff_col must be {len(names_x)}x{len(names_y)} (row x column strategies)"
            )
    times = _check_times(t_max, n_steps)
    nx = len(names_x)

    def rhs(z: np.ndarray) -> np.ndarray:
        x, y = z[:nx], z[nx:]
        ay, xb = a @ y, x @ b
        return np.concatenate([x * (ay - x @ ay), y * (xb - xb @ y)])

    z0 = np.concatenate([_mixture(x0, names_x), _mixture(y0, names_y)])
    z = _integrate(rhs, z0, times, (nx, len(names_y)))
    return ReplicatorTrajectory(times, z[:, :nx], names_x, z[:, nx:], names_y)


def final_mixed_strategy(
    trajectory: ReplicatorTrajectory, eps: float = 1e-3, population: str = "x"
) -> dict[str, float]:
    """The last mixture of ``population`` (``"x"``, or ``"y"`` for a two-population
    trajectory), strategies with a share above ``eps`` only."""
    if population == "x":
        last, names = trajectory.x[-1], trajectory.strategies_x
    elif population == "y":
        if trajectory.y is None or trajectory.strategies_y is None:
            raise ValueError("this trajectory has one population: there is no 'y'")
        last, names = trajectory.y[-1], trajectory.strategies_y
    else:
        raise ValueError(f"population must be 'x' or 'y', got {population!r}")
    return {s: float(p) for s, p in zip(names, last, strict=True) if p > eps}

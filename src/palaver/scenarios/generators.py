"""Seeded generators of the bilateral scenario families used by the ANL competitions.

Every generator takes the number of outcomes and a ``seed`` (an int, a
``numpy.random.Generator`` or ``None``) and returns a :class:`Scenario` whose
two utility functions span exactly ``[0, 1]`` and whose reserved values are
drawn so that the Nash point stays individually rational. Same seed, same
scenario. The families, as the ANL 2024 rules describe them:

- :func:`zero_sum_scenario`: dividing a pie of ``n`` slices; outcome ``k``
  gives the first party ``k/(n-1)`` and the second the rest.
- :func:`monotonic_scenario`: the same pie, each party's utility a random
  increasing function of its share, so every outcome is Pareto-optimal.
- :func:`curve_scenario`: a Pareto frontier on the curve ``u1 = 1 - u0**e``
  (``e`` log-uniform in ``[0.1, 6]``) holding a fraction of the outcomes, the
  other outcomes dominated.
- :func:`piecewise_linear_scenario`: the same with a frontier of 2 to 5
  linear segments.
- :func:`pies_scenario`: dividing several pies at once: about ``n`` outcomes
  over three issues, linear-additive utilities with random weights, each
  issue's values on a zero-sum, curved or piecewise-linear frontier.

:func:`anl_scenarios` draws a mix of them as ANL 2024 does (number of outcomes
log-uniform in a range). Single-issue families name the issue ``"portions"``
(pie families, values ``"k_rest"``) or ``"outcome"`` (values ``"o0"``, ...);
values are strings so that the scenarios round-trip through Genius XML.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from palaver.outcomes import CategoricalIssue, OutcomeSpace
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.scenario import MAX_OUTCOMES, Scenario

#: ``((low, high), (low, high))``: where each party's reserved value is drawn.
ReservedRanges = Sequence[tuple[float, float]]
Seed = int | np.random.Generator | None

#: The family shares of :func:`anl_scenarios` (ANL 2024's generator settings).
ANL2024_MIX: dict[str, float] = {
    "zero_sum": 0.05,
    "monotonic": 0.25,
    "pies": 0.2,
    "curve": 0.25,
    "piecewise_linear": 0.25,
}


def _rng(seed: Seed) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise ScenarioError(
            f"seed must be an int >= 0, a numpy Generator or None, got {seed!r}"
        )  # numpy's own message for -1 ("expected non-negative integer") names no parameter
    return np.random.default_rng(seed)


def _check_n(n_outcomes: int, minimum: int = 2) -> int:
    if isinstance(n_outcomes, bool) or not isinstance(n_outcomes, int) or n_outcomes < minimum:
        raise ScenarioError(f"n_outcomes must be an int >= {minimum}, got {n_outcomes!r}")
    if n_outcomes > MAX_OUTCOMES:
        raise ScenarioError(
            f"n_outcomes={n_outcomes:,} is more than the {MAX_OUTCOMES:,} outcomes a generated "
            "scenario may have (palaver.scenarios.MAX_OUTCOMES)"
        )
    return n_outcomes


def _unit(x: np.ndarray) -> np.ndarray:
    """``x`` mapped linearly onto exactly ``[0, 1]``."""
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) / (hi - lo) if hi > lo else np.ones_like(x)


def _single_issue(
    values: list[str],
    issue: str,
    utils: np.ndarray,
    name: str,
    family: str,
    rng: np.random.Generator,
    reserved_ranges: ReservedRanges,
) -> Scenario:
    space = OutcomeSpace([CategoricalIssue(values, issue)])
    ufuns = [
        LinearAdditiveUtilityFunction(
            {issue: dict(zip(values, _unit(utils[:, i]).tolist(), strict=True))},
            reserved_value=0.0,
            outcome_space=space,
        )
        for i in range(2)
    ]
    return _with_reserved(
        Scenario(space, ufuns, name=name, info={"family": family}), rng, reserved_ranges
    )


def _with_reserved(
    scenario: Scenario, rng: np.random.Generator, reserved_ranges: ReservedRanges
) -> Scenario:
    """Reserved values drawn in ``reserved_ranges``, capped below the Nash utilities."""
    ranges = list(reserved_ranges)
    if len(ranges) != 2 or any(len(r) != 2 or not r[0] <= r[1] for r in ranges):
        raise ScenarioError(
            "reserved_ranges must be two (low, high) pairs with low <= high, "
            f"got {reserved_ranges!r}"
        )
    # Generated utility functions start with reserved values of 0: the Nash point
    # of that scenario is the cap, and its cached utilities carry over.
    nash = scenario.stats.nash
    assert nash is not None  # utilities span [0, 1]: the best outcome is rational
    eps = 1e-3
    values = []
    for (lo, hi), cap in zip(ranges, nash.utilities, strict=True):
        top = max(min(hi, cap - eps), lo)
        values.append(float(rng.uniform(lo, top)) if top > lo else float(lo))
    return scenario.with_reserved_values(values)


def _pie_values(n: int) -> list[str]:
    return [f"{k}_{n - 1 - k}" for k in range(n)]


def zero_sum_scenario(
    n_outcomes: int = 100,
    *,
    seed: Seed = None,
    reserved_ranges: ReservedRanges = ((0.0, 0.5), (0.0, 0.5)),
    name: str = "zero_sum",
) -> Scenario:
    """Divide a pie of ``n_outcomes`` slices: ``u0 = k/(n-1)``, ``u1 = 1 - u0``."""
    n = _check_n(n_outcomes)
    share = np.arange(n) / (n - 1)
    utils = np.column_stack([share, 1.0 - share])
    return _single_issue(
        _pie_values(n), "portions", utils, name, "zero_sum", _rng(seed), reserved_ranges
    )


def _monotone(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random strictly increasing sequence from 0 to 1."""
    steps = rng.random(n - 1) + 0.05
    curve = np.concatenate(([0.0], np.cumsum(steps)))
    exponent = math.exp(rng.uniform(math.log(0.25), math.log(4.0)))
    return _unit(curve) ** exponent


def monotonic_scenario(
    n_outcomes: int = 100,
    *,
    seed: Seed = None,
    reserved_ranges: ReservedRanges = ((0.0, 1.0), (0.0, 1.0)),
    name: str = "monotonic",
) -> Scenario:
    """Divide a pie: each party's utility a random increasing function of its share.

    Every outcome is Pareto-optimal (one party's gain is the other's loss),
    but the frontier is not a straight line.
    """
    n = _check_n(n_outcomes)
    rng = _rng(seed)
    utils = np.column_stack([_monotone(rng, n), _monotone(rng, n)[::-1]])
    return _single_issue(_pie_values(n), "portions", utils, name, "monotonic", rng, reserved_ranges)


def _curve_frontier(rng: np.random.Generator, m: int, exponent: float | None) -> np.ndarray:
    e = exponent if exponent is not None else math.exp(rng.uniform(math.log(0.1), math.log(6)))
    if not e > 0:
        raise ScenarioError(f"shape exponent must be positive, got {e!r}")
    x = np.sort(rng.random(m))[::-1]
    x[0] = 1.0
    return np.column_stack([x, 1.0 - x**e])


def _piecewise_frontier(rng: np.random.Generator, m: int, n_segments: int | None) -> np.ndarray:
    segments = n_segments if n_segments is not None else int(rng.integers(2, 6))
    if isinstance(segments, bool) or not isinstance(segments, int) or segments < 1:
        raise ScenarioError(f"n_segments must be a positive int, got {n_segments!r}")
    # Breakpoints: x falls and y rises from (1, 0) to (0, 1), so the chain is
    # strictly decreasing and every point of it is Pareto-optimal.
    bx = np.concatenate(([1.0], np.sort(rng.random(segments - 1))[::-1], [0.0]))
    by = np.concatenate(([0.0], np.sort(rng.random(segments - 1)), [1.0]))
    x = np.sort(rng.random(m))[::-1]
    x[0], x[-1] = 1.0, 0.0 if m > 1 else 1.0
    y = np.interp(x, bx[::-1], by[::-1])
    return np.column_stack([x, y])


def _general(frontier: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``frontier`` plus ``n - len(frontier)`` outcomes each dominated by a frontier point."""
    extra = n - len(frontier)
    base = frontier[rng.integers(0, len(frontier), size=extra)]
    dominated = base * rng.uniform(0.0, 0.999, size=(extra, 2))
    utils = np.concatenate([frontier, dominated])
    return utils[rng.permutation(n)]


def _n_pareto(n: int, n_pareto: int | float | None, rng: np.random.Generator) -> int:
    if n_pareto is None:
        n_pareto = float(rng.uniform(0.005, 0.25))
    if (
        isinstance(n_pareto, bool)
        or not isinstance(n_pareto, int | float)
        or not n_pareto > 0  # NaN too (it failed converting NaN to an int)
        or not math.isfinite(n_pareto)
    ):
        raise ScenarioError(f"n_pareto must be a positive int or fraction, got {n_pareto!r}")
    if isinstance(n_pareto, float) and n_pareto >= 1 and not n_pareto.is_integer():
        raise ScenarioError(
            f"n_pareto must be a count (an int) or a share in (0, 1), got {n_pareto!r}"
        )
    m = round(n_pareto * n) if n_pareto < 1 else int(n_pareto)
    if m > n:
        raise ScenarioError(f"n_pareto={n_pareto!r} is more than n_outcomes={n}")
    return max(2, m)


def curve_scenario(
    n_outcomes: int = 100,
    *,
    seed: Seed = None,
    n_pareto: int | float | None = None,
    shape: float | None = None,
    reserved_ranges: ReservedRanges = ((0.0, 1.0), (0.0, 1.0)),
    name: str = "curve",
) -> Scenario:
    """A Pareto frontier on ``u1 = 1 - u0**shape``; the other outcomes dominated.

    ``n_pareto`` is the number of frontier outcomes (an int) or their share
    of ``n_outcomes`` (a float below 1); by default a share drawn in
    ``[0.005, 0.25]``. ``shape`` defaults to a draw log-uniform in ``[0.1, 6]``.
    """
    n = _check_n(n_outcomes)
    rng = _rng(seed)
    frontier = _curve_frontier(rng, _n_pareto(n, n_pareto, rng), shape)
    values = [f"o{k}" for k in range(n)]
    return _single_issue(
        values, "outcome", _general(frontier, n, rng), name, "curve", rng, reserved_ranges
    )


def piecewise_linear_scenario(
    n_outcomes: int = 100,
    *,
    seed: Seed = None,
    n_pareto: int | float | None = None,
    n_segments: int | None = None,
    reserved_ranges: ReservedRanges = ((0.0, 1.0), (0.0, 1.0)),
    name: str = "piecewise_linear",
) -> Scenario:
    """A Pareto frontier of ``n_segments`` (default 2 to 5) linear pieces; others dominated."""
    n = _check_n(n_outcomes)
    rng = _rng(seed)
    frontier = _piecewise_frontier(rng, _n_pareto(n, n_pareto, rng), n_segments)
    values = [f"o{k}" for k in range(n)]
    utils = _general(frontier, n, rng)
    return _single_issue(values, "outcome", utils, name, "piecewise_linear", rng, reserved_ranges)


def _sizes(n: int, n_issues: int) -> list[int]:
    """``n_issues`` sizes >= 2 whose product is as close to ``n`` as such a split allows."""
    base = max(2, round(n ** (1.0 / n_issues)))
    sizes = [base] * n_issues
    best = sizes[:]
    for j in range(n_issues):
        for delta in (-1, 1):
            trial = sizes[:]
            trial[j] = max(2, trial[j] + delta)
            if abs(math.prod(trial) - n) < abs(math.prod(best) - n):
                best = trial
        sizes = best[:]
    return best


def pies_scenario(
    n_outcomes: int = 1000,
    *,
    seed: Seed = None,
    n_issues: int = 3,
    reserved_ranges: ReservedRanges = ((0.0, 1.0), (0.0, 1.0)),
    name: str = "pies",
) -> Scenario:
    """Divide ``n_issues`` pies at once: about ``n_outcomes`` outcomes, linear-additive.

    Each issue's values lie on a zero-sum, curved or piecewise-linear
    frontier of the two parties' value functions (drawn per issue); each
    party weighs the issues with random weights summing to one. The number
    of outcomes is the product of the issue sizes closest to ``n_outcomes``.
    """
    n = _check_n(n_outcomes, 4)
    if isinstance(n_issues, bool) or not isinstance(n_issues, int) or n_issues < 1:
        raise ScenarioError(f"n_issues must be a positive int, got {n_issues!r}")
    rng = _rng(seed)
    issues, tables = [], []
    makers: list[Callable[[int], np.ndarray]] = [
        lambda m: np.column_stack([np.linspace(1, 0, m), np.linspace(0, 1, m)]),
        lambda m: _curve_frontier(rng, m, None),
        lambda m: _piecewise_frontier(rng, m, None),
    ]
    for j, m in enumerate(_sizes(n, n_issues)):
        values = [f"v{k}" for k in range(m)]
        issues.append(CategoricalIssue(values, f"i{j}"))
        points = makers[int(rng.integers(0, len(makers)))](m)
        tables.append(
            [dict(zip(values, _unit(points[:, i]).tolist(), strict=True)) for i in (0, 1)]
        )
    space = OutcomeSpace(issues)
    ufuns = [
        LinearAdditiveUtilityFunction(
            [t[i] for t in tables],
            weights=rng.dirichlet(np.ones(n_issues)),
            reserved_value=0.0,
            outcome_space=space,
        )
        for i in (0, 1)
    ]
    return _with_reserved(
        Scenario(space, ufuns, name=name, info={"family": "pies"}), rng, reserved_ranges
    )


GENERATORS: dict[str, Callable[..., Scenario]] = {
    "zero_sum": zero_sum_scenario,
    "monotonic": monotonic_scenario,
    "curve": curve_scenario,
    "piecewise_linear": piecewise_linear_scenario,
    "pies": pies_scenario,
}


def anl_scenarios(
    n_scenarios: int = 50,
    n_outcomes: int | tuple[int, int] = (900, 1100),
    *,
    seed: Seed = None,
    mix: dict[str, float] | None = None,
    log_uniform: bool = True,
    reserved_ranges: ReservedRanges = ((0.0, 1.0), (0.0, 1.0)),
) -> list[Scenario]:
    """A mixed set of scenarios as the ANL 2024 competition generates them.

    Each scenario's family is drawn with the probabilities in ``mix``
    (default :data:`ANL2024_MIX`) and its number of outcomes is
    ``n_outcomes`` or drawn in the ``(low, high)`` range (log-uniformly with
    ``log_uniform``). Scenarios are named ``"<family><index>"``; one seed
    gives the same list.
    """
    if isinstance(n_scenarios, bool) or not isinstance(n_scenarios, int) or n_scenarios < 0:
        raise ScenarioError(f"n_scenarios must be a non-negative int, got {n_scenarios!r}")
    shares = dict(ANL2024_MIX if mix is None else mix)
    if not isinstance(log_uniform, bool):  # "no" read as true
        raise ScenarioError(f"log_uniform must be True or False, got {log_uniform!r}")
    unknown = [k for k in shares if k not in GENERATORS]
    shares_ok = all(
        not isinstance(v, bool) and isinstance(v, int | float) and 0 <= v < math.inf
        for v in shares.values()
    )  # NaN fails the comparison (numpy then said "Probabilities contain NaN")
    if unknown or not shares or not shares_ok or sum(shares.values()) <= 0:
        raise ScenarioError(
            f"mix must map families among {sorted(GENERATORS)} to non-negative shares, got {mix!r}"
        )
    families = list(shares)
    p = np.array([shares[f] for f in families], dtype=float)
    rng = _rng(seed)
    out = []
    for i in range(n_scenarios):
        family = families[int(rng.choice(len(families), p=p / p.sum()))]
        n = _draw_n(n_outcomes, log_uniform, rng)
        out.append(
            GENERATORS[family](n, seed=rng, reserved_ranges=reserved_ranges, name=f"{family}{i}")
        )
    return out


def _draw_n(n_outcomes: int | tuple[int, int], log_uniform: bool, rng: np.random.Generator) -> int:
    if isinstance(n_outcomes, bool):
        raise ScenarioError(f"n_outcomes must be an int or a (low, high) pair, got {n_outcomes!r}")
    if isinstance(n_outcomes, int):
        return n_outcomes
    try:
        lo, hi = (int(v) for v in n_outcomes)
    except (TypeError, ValueError):
        raise ScenarioError(
            f"n_outcomes must be an int or a (low, high) pair, got {n_outcomes!r}"
        ) from None
    if not 2 <= lo <= hi:
        raise ScenarioError(f"n_outcomes range must have 2 <= low <= high, got {n_outcomes!r}")
    if log_uniform:
        return round(math.exp(rng.uniform(math.log(lo), math.log(hi))))
    return int(rng.integers(lo, hi, endpoint=True))

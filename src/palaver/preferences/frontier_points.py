"""NegMAS's bargaining solutions chosen on a frontier of utilities.

NegMAS's analysis code finds a Pareto frontier as utility tuples (NegMAS's
``pareto_frontier``, here :func:`pareto_utilities`) and then picks points on
it: ``nash_points``, ``kalai_points``, ``ks_points``,
``max_relative_welfare_points`` and NegMAS's ``max_welfare_points`` (here
:func:`welfare_points`) take the ufuns and that frontier and return
``((utilities, index), ...)``: every frontier point within ``eps`` of the best
value, with its position in the frontier. These are those functions, with
NegMAS's definitions (Palaver's :func:`~palaver.preferences.nash_point` and
friends take outcomes instead and return :class:`SolutionPoint`s).

Each ufun's range is its ``minmax`` over ``outcome_space`` (or ``issues``, or
``outcomes``, or its own space), unless ``ranges`` gives them. Where a
definition measures gains from the disagreement point, that point is the
ufun's reserved value when it is finite and not below the range, else the
range's low end. When any ufun has no more than ``eps`` to gain from there to
its best (from its range's low end, for ``max_relative_welfare_points`` and
``welfare_points``), every frontier point is returned, as NegMAS does.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence

import numpy as np

from palaver._util.checks import check_items
from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.preferences.base import UtilityFunction

__all__ = [
    "kalai_points",
    "ks_points",
    "max_relative_welfare_points",
    "nash_points",
    "pareto_utilities",
    "welfare_points",
]

Points = tuple[tuple[tuple[float, ...], int], ...]


def _range(i: int, pair: object) -> tuple[float, ...]:
    """``ranges[i]`` as floats (its length is checked with the others'); a
    ``TypeError`` naming it when it is not a sequence of numbers."""
    if not isinstance(pair, str | bytes):
        try:
            return tuple(float(v) for v in pair)  # type: ignore[attr-defined]
        except (TypeError, ValueError):
            pass
    raise TypeError(f"ranges[{i}] must be a (min, max) pair of numbers, got {pair!r:.80}")


def _ranges(
    ufuns: Sequence[UtilityFunction],
    ranges: Sequence[tuple[float, ...]] | None,
    outcome_space: OutcomeSpace | None,
    issues: Sequence[Issue] | None,
    outcomes: Sequence[Outcome] | None,
) -> list[tuple[float, float]]:
    if ranges:
        given = [_range(i, r) for i, r in enumerate(check_items("ranges", ranges, "pairs"))]
    else:
        given = []
        for ufun in ufuns:
            if outcome_space is not None:
                given.append(ufun.minmax(outcome_space))
            elif issues:
                given.append(ufun.minmax(OutcomeSpace(issues)))
            elif outcomes:
                utils = np.asarray(ufun.eval_many(list(outcomes)), dtype=float)
                given.append((float(utils.min()), float(utils.max())))
            else:
                given.append(ufun.minmax())
    if len(given) != len(ufuns):
        raise ValueError(f"ranges must give one (min, max) per ufun ({len(ufuns)}), got {ranges!r}")
    checked = []
    for i, r in enumerate(given):
        if len(r) != 2 or not all(math.isfinite(v) for v in r):
            raise ValueError(f"the range of ufun {i} must be two finite numbers, got {r!r}")
        checked.append((r[0], r[1]))
    return checked


def _disagreements(
    ufuns: Sequence[UtilityFunction], ranges: list[tuple[float, float]]
) -> np.ndarray:
    """Per ufun: its reserved value when finite and in its range, else the range's low end."""
    out = []
    for ufun, (low, _) in zip(ufuns, ranges, strict=True):
        r = float(ufun.reserved_value)
        out.append(r if math.isfinite(r) and r >= low else low)
    return np.asarray(out, dtype=float)


def _reserved(ufuns: Sequence[UtilityFunction]) -> np.ndarray:
    return np.asarray([float(u.reserved_value) for u in ufuns], dtype=float)


def _chosen(
    frontier: Sequence[tuple[float, ...]],
    values: np.ndarray,
    eps: float,
    maximize: bool,
) -> Points:
    # Every point within eps of the best value (NaN marks a point excluded).
    valid = ~np.isnan(values)
    if not valid.any():
        return ()
    best = values[valid].max() if maximize else values[valid].min()
    near = values >= best - eps if maximize else values <= best + eps
    return tuple((tuple(frontier[i]), i) for i in np.flatnonzero(near & valid).tolist())


def _solve(
    ufuns: Sequence[UtilityFunction],
    frontier: Sequence[tuple[float, ...]],
    ranges: Sequence[tuple[float, ...]] | None,
    outcome_space: OutcomeSpace | None,
    issues: Sequence[Issue] | None,
    outcomes: Sequence[Outcome] | None,
    eps: float,
    value: Callable[[np.ndarray, list[tuple[float, float]]], np.ndarray],
    maximize: bool,
    from_disagreement: bool = True,
) -> Points:
    if isinstance(ufuns, str | bytes) or not isinstance(ufuns, Sequence):
        raise TypeError(
            f"ufuns must be a sequence of utility functions, got {ufuns!r:.80} "
            f"({type(ufuns).__name__})"
        )
    if not frontier:
        return ()
    if not ufuns:
        raise ValueError("ufuns must hold one utility function per frontier dimension")
    limits = _ranges(ufuns, ranges, outcome_space, issues, outcomes)
    # NegMAS's degenerate case, measured from where the gains start: a reserved
    # value at or above a ufun's best leaves no gain to share out.
    lows = _disagreements(ufuns, limits) if from_disagreement else [low for low, _ in limits]
    if any(high - low <= eps for low, (_, high) in zip(lows, limits, strict=True)):
        return tuple((tuple(p), i) for i, p in enumerate(frontier))
    utils = np.asarray([tuple(p) for p in frontier], dtype=float)
    if utils.ndim != 2 or utils.shape[1] != len(ufuns):
        raise ValueError(
            f"frontier must hold utility tuples of {len(ufuns)} values (one per ufun), "
            f"got {frontier[0]!r}"
        )
    return _chosen(frontier, value(utils, limits), eps, maximize)


def nash_points(
    ufuns: Sequence[UtilityFunction],
    frontier: Sequence[tuple[float, ...]],
    ranges: Sequence[tuple[float, ...]] | None = None,
    outcome_space: OutcomeSpace | None = None,
    issues: Sequence[Issue] | None = None,
    outcomes: Sequence[Outcome] | None = None,
    eps: float = 1e-12,
) -> Points:
    """The frontier points of largest product of gains over the disagreement point."""

    def value(utils: np.ndarray, limits: list[tuple[float, float]]) -> np.ndarray:
        product: np.ndarray = np.prod(utils - _disagreements(ufuns, limits), axis=1)
        return product

    return _solve(ufuns, frontier, ranges, outcome_space, issues, outcomes, eps, value, True)


def kalai_points(
    ufuns: Sequence[UtilityFunction],
    frontier: Sequence[tuple[float, ...]],
    ranges: Sequence[tuple[float, ...]] | None = None,
    outcome_space: OutcomeSpace | None = None,
    issues: Sequence[Issue] | None = None,
    outcomes: Sequence[Outcome] | None = None,
    eps: float = 1e-12,
    subtract_reserved_value: bool = True,
) -> Points:
    """The frontier points of largest smallest gain (egalitarian, Kalai 1977):
    the gain over the disagreement point, or the utility itself when
    ``subtract_reserved_value`` is false. Points below a reserved value are out."""

    def value(utils: np.ndarray, limits: list[tuple[float, float]]) -> np.ndarray:
        gains = utils - _disagreements(ufuns, limits) if subtract_reserved_value else utils
        least: np.ndarray = gains.min(axis=1)
        least[(utils < _reserved(ufuns)).any(axis=1)] = np.nan
        return least

    return _solve(ufuns, frontier, ranges, outcome_space, issues, outcomes, eps, value, True)


def ks_points(
    ufuns: Sequence[UtilityFunction],
    frontier: Sequence[tuple[float, ...]],
    ranges: Sequence[tuple[float, ...]] | None = None,
    outcome_space: OutcomeSpace | None = None,
    issues: Sequence[Issue] | None = None,
    outcomes: Sequence[Outcome] | None = None,
    exponent: float = math.inf,
    eps: float = 1e-12,
    subtract_reserved_value: bool = True,
) -> Points:
    """The frontier points whose gains, each a share of that ufun's largest
    possible gain, are the most equal (Kalai-Smorodinsky): the smallest spread
    between the largest and smallest share. Points below a reserved value are
    out. Only NegMAS's ``exponent=inf`` is defined: another warns (as in NegMAS)
    and is answered as ``inf``."""
    if exponent != math.inf:
        warnings.warn(
            f"ks_points: exponent={exponent!r} is not supported; answered as exponent=inf",
            UserWarning,
            stacklevel=2,
        )

    def value(utils: np.ndarray, limits: list[tuple[float, float]]) -> np.ndarray:
        highs = np.asarray([high for _, high in limits], dtype=float)
        if subtract_reserved_value:
            lows = _disagreements(ufuns, limits)
            span = highs - lows
            shares = (utils - lows) / np.where(span != 0, span, 1.0)
        else:
            shares = utils / np.where(highs != 0, highs, 1.0)
        spread: np.ndarray = shares.max(axis=1) - shares.min(axis=1)
        spread[(utils < _reserved(ufuns)).any(axis=1)] = np.nan
        return spread

    return _solve(ufuns, frontier, ranges, outcome_space, issues, outcomes, eps, value, False)


def max_relative_welfare_points(
    ufuns: Sequence[UtilityFunction],
    frontier: Sequence[tuple[float, ...]],
    ranges: Sequence[tuple[float, ...]] | None = None,
    outcome_space: OutcomeSpace | None = None,
    issues: Sequence[Issue] | None = None,
    outcomes: Sequence[Outcome] | None = None,
    eps: float = 1e-12,
) -> Points:
    """The frontier points of largest sum of relative utilities: each ufun's
    utility above its range's low end, over the width from the higher of that
    low end and its reserved value to its best. Points below a reserved value
    are out."""

    def value(utils: np.ndarray, limits: list[tuple[float, float]]) -> np.ndarray:
        lows = np.asarray([low for low, _ in limits], dtype=float)
        highs = np.asarray([high for _, high in limits], dtype=float)
        widths = highs - np.maximum(lows, _reserved(ufuns))
        total: np.ndarray = ((utils - lows) / np.where(widths != 0, widths, 1.0)).sum(axis=1)
        total[(utils < _reserved(ufuns)).any(axis=1)] = np.nan
        return total

    return _solve(ufuns, frontier, ranges, outcome_space, issues, outcomes, eps, value, True, False)


def welfare_points(
    ufuns: Sequence[UtilityFunction],
    frontier: Sequence[tuple[float, ...]],
    ranges: Sequence[tuple[float, ...]] | None = None,
    outcome_space: OutcomeSpace | None = None,
    issues: Sequence[Issue] | None = None,
    outcomes: Sequence[Outcome] | None = None,
    eps: float = 1e-12,
) -> Points:
    """NegMAS's ``max_welfare_points``: the frontier points of largest sum of
    utilities (``palaver.negmas`` gives it under that name; Palaver's own
    :func:`~palaver.preferences.max_welfare_points` takes outcomes)."""

    def value(utils: np.ndarray, limits: list[tuple[float, float]]) -> np.ndarray:
        total: np.ndarray = utils.sum(axis=1)
        return total

    return _solve(ufuns, frontier, ranges, outcome_space, issues, outcomes, eps, value, True, False)


def pareto_utilities(
    ufuns: Sequence[UtilityFunction],
    outcomes: Sequence[Outcome] | None = None,
    issues: Sequence[Issue] | None = None,
    n_discretization: int | None = None,
    max_cardinality: int | float = math.inf,
    sort_by_welfare: bool = True,
    eps: float = 1e-12,
) -> tuple[tuple[tuple[float, ...], ...], tuple[int, ...]]:
    """NegMAS's ``pareto_frontier``: ``(utilities, indices)`` of the Pareto-optimal
    rational outcomes (``palaver.negmas`` gives it under that name; Palaver's own
    :func:`~palaver.preferences.pareto_frontier` returns points with outcomes).

    The outcomes are ``outcomes``, else those of ``issues`` (or the first
    ufun's space), continuous issues discretized into ``n_discretization``
    values (10 by default), at most ``max_cardinality`` of them. Outcomes some
    ufun cannot evaluate to a finite number are skipped, and so are those below
    a reserved value. The points come by decreasing sum of utilities, and
    outcomes with the same utilities count once, in NegMAS's order (the same
    ties, the same one of equal outcomes). ``indices`` are positions in the
    outcomes considered. ``eps`` is NegMAS's, taken for its signature.
    """
    ufuns = check_items("ufuns", ufuns, "utility functions")
    for i, ufun in enumerate(ufuns):
        if not hasattr(ufun, "outcome_space") or not callable(ufun):
            raise TypeError(
                f"ufuns[{i}] must be a utility function, got {ufun!r:.80} ({type(ufun).__name__})"
            )
    if not ufuns:
        raise ValueError("ufuns must hold at least one utility function")
    if outcomes is None:
        space = OutcomeSpace(issues) if issues else ufuns[0].outcome_space
        if space is None:
            return (), ()
        if space.is_continuous:
            space = space.discretize(10 if n_discretization is None else n_discretization)
        if space.cardinality > max_cardinality:
            raise ValueError(
                f"the outcome space has {space.cardinality} outcomes, more than "
                f"max_cardinality={max_cardinality}"
            )
        outcomes = space.enumerate()
    listed = check_items("outcomes", outcomes, "outcomes or None")
    if not listed:
        return (), ()
    utils = _utilities(ufuns, listed)
    finite = np.isfinite(utils).all(axis=1)
    utils, positions = utils[finite], np.flatnonzero(finite)
    if not len(utils):
        return (), ()
    rational = (utils >= _reserved(ufuns)).all(axis=1)
    utils, positions = utils[rational], positions[rational]
    if not len(utils):
        return (), ()
    # NegMAS's order, reproduced step by step so that ties and repeated rows
    # come out as in NegMAS: by decreasing welfare (numpy's default argsort,
    # reversed), then each point still standing removes every point it is at
    # least as good as on every issue (an equal row included).
    by_welfare = utils.sum(axis=1).argsort()[::-1]
    ranked = utils[by_welfare]
    standing = np.ones(len(ranked), dtype=bool)
    for j, row in enumerate(ranked):
        if standing[j]:
            standing[standing] = (ranked[standing] > row).any(axis=1)
            standing[j] = True
    found = np.flatnonzero(standing)
    if sort_by_welfare:
        found = found[ranked[found].sum(axis=1).argsort()[::-1]]
    chosen = by_welfare[found]
    points = tuple(tuple(float(v) for v in utils[i]) for i in chosen.tolist())
    return points, tuple(int(positions[i]) for i in chosen.tolist())


def _utilities(ufuns: Sequence[UtilityFunction], outcomes: list[Outcome]) -> np.ndarray:
    """Every ufun's utility of every outcome, shape ``(n, k)``: one ``eval_many``
    per ufun, or, when that refuses the batch, outcome by outcome with NaN for
    an outcome a ufun cannot evaluate (skipped by the caller, as NegMAS does)."""
    columns = []
    for ufun in ufuns:
        try:
            column = np.asarray(ufun.eval_many(outcomes), dtype=float)
        except Exception:
            column = np.asarray([_utility_or_nan(ufun, o) for o in outcomes], dtype=float)
        columns.append(column)
    return np.column_stack(columns)


def _utility_or_nan(ufun: UtilityFunction, outcome: Outcome) -> float:
    try:
        return float(ufun(outcome))
    except Exception:
        return math.nan

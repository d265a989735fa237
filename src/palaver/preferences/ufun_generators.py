"""NegMAS's generators of utility functions over one or several issues, with a
controlled Pareto frontier (the points come from :mod:`palaver.preferences.generators`)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from itertools import cycle, islice
from typing import Any, TypeAlias

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences.additive import LinearAdditiveUtilityFunction
from palaver.preferences.generators import (
    GENERATOR_MAP,
    ParetoGenerator,
    _count,
    generate_utility_values,
)
from palaver.preferences.mapping import MappingUtilityFunction
from palaver.preferences.value_functions import TableFun

__all__ = ["generate_multi_issue_ufuns", "generate_single_issue_ufuns", "generate_ufuns_for"]

Generated: TypeAlias = tuple[LinearAdditiveUtilityFunction | MappingUtilityFunction, ...]


def _named(ufun: Any, name: str | None) -> Any:
    """``ufun`` labelled ``name``."""
    ufun.name = name
    return ufun


def _reserved(values: Sequence[float] | tuple[float, float] | float, n: int) -> list[float]:
    """NegMAS's reserved values: a list cycled, a ``(low, high)`` pair drawn
    from, or one number for all."""
    if isinstance(values, tuple) and len(values) == 2 and values[0] <= values[1]:
        return [values[0] + random.random() * (values[1] - values[0]) for _ in range(n)]
    if isinstance(values, Sequence):
        return [float(v) for v in islice(cycle(values), n)] if values else [0.0] * n
    return [float(values)] * n


def _finish(
    ufuns: list[LinearAdditiveUtilityFunction],
    space: OutcomeSpace,
    linear: bool,
    fractions: Sequence[float] | None,
    selector: Callable[[float, float], float],
    guarantee_rational: bool = False,
) -> Generated:
    """Reserved values from ``fractions`` (the share of outcomes each finds
    acceptable) or, with ``guarantee_rational``, below the utilities of the
    outcome of highest utility product; mapping ufuns unless ``linear``."""
    outcomes = space.enumerate()
    if guarantee_rational:
        best = max(outcomes, key=lambda o: math.prod(u(o) for u in ufuns))
        for u in ufuns:
            u.reserved_value = random.random() * u(best)
    elif fractions:
        for u, f in zip(ufuns, cycle(fractions)):
            utils = sorted(u(o) for o in outcomes)
            k = int(f * len(utils) + 0.5)
            if k <= 0:
                r = utils[-1] + 0.001
            elif k >= len(utils):
                r = utils[0] - 0.001
            else:
                r = utils[len(utils) - k] - 1e-9
            u.reserved_value = selector(r, u.reserved_value)
    if linear:
        return tuple(ufuns)
    return tuple(
        _named(
            MappingUtilityFunction(
                {o: u(o) for o in outcomes}, outcome_space=space, reserved_value=u.reserved_value
            ),
            u.name,
        )
        for u in ufuns
    )


def generate_single_issue_ufuns(
    n_pareto: int,
    n_outcomes: int,
    n_ufuns: int = 2,
    pareto_first: bool = False,
    pareto_generator: ParetoGenerator | str = "piecewise_linear",
    generator_params: dict[str, Any] | None = None,
    reserved_values: Sequence[float] | tuple[float, float] | float = 0.0,
    rational_fractions: Sequence[float] | None = None,
    reservation_selector: Callable[[float, float], float] = max,
    issue_name: str = "portions",
    os_name: str = "S",
    ufun_names: Sequence[str] | None = None,
    numeric: bool = False,
    linear: bool = True,
) -> Generated:
    """``n_ufuns`` utility functions over one issue whose values are the points
    of :func:`generate_utility_values` (ints, or texts ``"i_j"``). A rational
    fraction sets a reserved value leaving that share of outcomes acceptable;
    ``reservation_selector(from_fraction, given)`` picks between the two."""
    points = generate_utility_values(
        n_pareto, n_outcomes, n_ufuns, pareto_first, pareto_generator, generator_params
    )
    n = len(points)
    values: list[Any] = list(range(n)) if numeric else [f"{i}_{n - 1 - i}" for i in range(n)]
    space = OutcomeSpace([make_issue(values, issue_name)], os_name)
    names = list(ufun_names) if ufun_names else [f"u{k}" for k in range(n_ufuns)]
    ufuns = [
        _named(
            LinearAdditiveUtilityFunction(
                [TableFun({v: float(p[k]) for v, p in zip(values, points, strict=True)})],
                outcome_space=space,
                reserved_value=r,
            ),
            names[k % len(names)],
        )
        for k, r in enumerate(_reserved(reserved_values, n_ufuns))
    ]
    return _finish(ufuns, space, linear, rational_fractions, reservation_selector)


def generate_ufuns_for(
    outcome_space: OutcomeSpace,
    n_ufuns: int = 2,
    pareto_generators: Sequence[ParetoGenerator | str] = tuple(GENERATOR_MAP),
    generator_params: Sequence[dict[str, Any]] | None = None,
    reserved_values: Sequence[float] | tuple[float, float] | float = 0.0,
    rational_fractions: Sequence[float] | None = None,
    reservation_selector: Callable[[float, float], float] = max,
    ufun_names: Sequence[str] | None = None,
    guarantee_rational: bool = False,
    linear: bool = True,
) -> Generated:
    """``n_ufuns`` linear-additive utility functions over a discrete space: per
    issue, values from a random one of ``pareto_generators``, and one set of
    random weights (adding up to 1) for all."""
    if not outcome_space.is_discrete:
        raise ValueError("generate_ufuns_for needs a discrete outcome space (discretize it)")
    params = list(generator_params) if generator_params else [{} for _ in pareto_generators]
    choices = list(zip(pareto_generators, params, strict=True))
    tables: list[list[dict[Any, float]]] = [[] for _ in range(n_ufuns)]
    for issue in outcome_space.issues:
        make, p = random.choice(choices)
        n = len(issue.all_values)
        points = generate_utility_values(n, n, n_ufuns, pareto_generator=make, generator_params=p)
        for k in range(n_ufuns):
            tables[k].append(
                {v: float(pt[k]) for v, pt in zip(issue.all_values, points, strict=True)}
            )
    raw = [random.random() for _ in outcome_space.issues]
    weights = [w / sum(raw) for w in raw]
    names = list(ufun_names) if ufun_names else [f"u{k + 1}" for k in range(n_ufuns)]
    ufuns = [
        _named(
            LinearAdditiveUtilityFunction(
                [TableFun(t) for t in tables[k]],
                weights=weights,
                outcome_space=outcome_space,
                reserved_value=r,
            ),
            names[k % len(names)],
        )
        for k, r in enumerate(_reserved(reserved_values, n_ufuns))
    ]
    return _finish(
        ufuns, outcome_space, linear, rational_fractions, reservation_selector, guarantee_rational
    )


def generate_multi_issue_ufuns(
    n_issues: int,
    n_values: int | tuple[int, int] | None = None,
    sizes: Sequence[int] | None = None,
    n_ufuns: int = 2,
    pareto_generators: Sequence[ParetoGenerator | str] = tuple(GENERATOR_MAP),
    generator_params: Sequence[dict[str, Any]] | None = None,
    reserved_values: Sequence[float] | tuple[float, float] | float = 0.0,
    rational_fractions: Sequence[float] | None = None,
    reservation_selector: Callable[[float, float], float] = max,
    issue_names: Sequence[str] | None = None,
    os_name: str | None = None,
    ufun_names: Sequence[str] | None = None,
    numeric: bool = False,
    linear: bool = True,
    guarantee_rational: bool = False,
    numeric_prob: float = -1,
) -> Generated:
    """:func:`generate_ufuns_for` over ``n_issues`` new issues of ``sizes``
    values (else ``n_values``: a count or a ``(low, high)`` range each), ints
    when ``numeric`` (or with probability ``numeric_prob``), else ``"v1"``, ..."""
    names = list(issue_names) if issue_names else [f"i{k + 1}" for k in range(n_issues)]
    if not sizes:
        if n_values is None:
            raise ValueError("give sizes or n_values (values per issue)")
        sizes = [_count(n_values) for _ in range(n_issues)]
    issues = [
        make_issue(size, name)
        if numeric or random.random() < numeric_prob
        else make_issue([f"v{k + 1}" for k in range(size)], name)
        for size, name in zip(sizes, names, strict=False)
    ]
    return generate_ufuns_for(
        OutcomeSpace(issues, os_name),
        n_ufuns,
        pareto_generators,
        generator_params,
        reserved_values,
        rational_fractions,
        reservation_selector,
        ufun_names,
        guarantee_rational,
        linear,
    )

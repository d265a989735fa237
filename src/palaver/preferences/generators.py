"""NegMAS's generators of utility functions with a controlled Pareto frontier.

Utility values are generated as points in the plane (one coordinate per
utility function): ``n_pareto`` points on a frontier (no point better than
another for both), shaped by a *Pareto generator* of :data:`GENERATOR_MAP`
(``"piecewise_linear"``: a decreasing broken line of 2 to 5 segments;
``"curve"``: ``y = 1 - x**shape``; ``"zero_sum"``: one straight segment),
then the other outcomes below them (each worse than some frontier point in
one or both coordinates). :func:`generate_single_issue_ufuns` gives each point
to one value of a single issue; :func:`generate_multi_issue_ufuns` and
:func:`generate_ufuns_for` generate values per issue and weigh the issues
(those three are in :mod:`palaver.preferences.ufun_generators`).
Randomness comes from Python's ``random`` (seed it with ``random.seed``), as
in NegMAS. Generated frontier points are kept strictly monotone (a later
point nudged by one floating-point step when rounding would tie it).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from palaver._util.checks import check_int, check_real

__all__ = [
    "GENERATOR_MAP",
    "distribute_integer_randomly",
    "generate_utility_values",
    "make_curve_pareto",
    "make_endpoints",
    "make_non_pareto",
    "make_pareto",
    "make_piecewise_linear_pareto",
    "make_zero_sum_pareto",
    "sample_between",
]

Point: TypeAlias = tuple[float, ...]
#: A Pareto generator: the number of points -> that many frontier points.
ParetoGenerator: TypeAlias = Callable[..., list[Point]]
#: NegMAS's names for the curve exponents of its concession curves.
_CURVES = {"boulware": 4.0, "linear": 1.0, "conceder": 0.25}


def _count(value: int | Sequence[int]) -> int:
    """An int as is; a ``(low, high)`` tuple a random int between; a list a random choice."""
    if isinstance(value, tuple):
        return random.randint(int(value[0]), int(value[1]))
    if isinstance(value, Sequence):
        return int(random.choice(list(value)))
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"expected a count >= 0, a (low, high) range or a list, got {value!r}")
    return value


def distribute_integer_randomly(n: int, m: int, min_per_bin: int | None = 1) -> list[int]:
    """``m`` non-negative ints adding up to ``n``: each at least ``min_per_bin``
    when ``n`` allows it (else as many bins as possible get it, the others 0),
    the rest spread at random; ``min_per_bin=None``: as equal as possible."""
    # A negative n gave m zeros (summing to 0, not n); a float failed in range().
    n, m = check_int("n", n, minimum=0), check_int("m", m, minimum=0)
    min_per_bin = check_int("min_per_bin", min_per_bin, minimum=0, none_ok=True)
    if m < 1:
        if n == 0:
            return []
        raise ValueError(f"cannot distribute {n} over {m} bins")
    if n == 0:
        return [0] * m
    if min_per_bin is None:
        bins = [n // m] * m
        for i in random.sample(range(m), n - m * (n // m)):
            bins[i] += 1
        return bins
    if n < m * min_per_bin:
        full = n // min_per_bin if min_per_bin else 0
        bins = [min_per_bin] * full + [0] * (m - full)
        bins[0 if full else random.randrange(m)] += n - full * min_per_bin
        random.shuffle(bins)
        return bins
    bins = [min_per_bin] * m
    for _ in range(n - m * min_per_bin):
        bins[random.randrange(m)] += 1
    return bins


def sample_between(
    start: float,
    end: float,
    n: int,
    endpoint: bool = True,
    main_range: tuple[float, float] = (0.3, 0.5),
) -> list[float]:
    """``n`` values in ``[start, end]``, evenly spaced (``end`` included when
    ``endpoint``) with the inner ones moved at random by up to
    ``main_range[0]`` of a step (``main_range[1]`` centres the move), and kept
    within the range."""
    # NaN bounds gave n NaNs; a text failed on the subtraction.
    start, end = check_real("start", start), check_real("end", end)
    n = check_int("n", n)
    if n <= 0:
        return []
    if end - start < 1e-8:
        return [float(start)] * n
    steps = n - 1 if endpoint else n
    step = (end - start) / max(steps, 1)
    out = [start + k * step for k in range(n)]
    for k in range(1, n - 1):
        out[k] += main_range[0] * step * (random.random() - main_range[1])
    return [min(max(float(v), start), end) for v in out]


def make_endpoints(
    n_segments: int | Sequence[int],
    xrange: tuple[tuple[float, float], tuple[float, float]] = ((0.0, 1.0), (0.0, 1.0)),
) -> list[Point]:
    """The ``n_segments + 1`` corners of a decreasing broken line: first
    coordinates increasing, second ones decreasing, both strictly."""
    n = _count(n_segments) + 1
    xs = sorted(sample_between(*xrange[0], n))
    ys = sorted(sample_between(*xrange[1], n), reverse=True)
    return _strict(list(zip(xs, ys, strict=True)))


def _strict(points: list[Point]) -> list[Point]:
    """``points`` sorted by the first coordinate with the second strictly
    decreasing where the first increases (equal first ones: equal points)."""
    points = sorted(points, key=lambda p: p[0])
    out: list[Point] = []
    for x, y in points:
        if out and x == out[-1][0]:
            out.append(out[-1])
        elif out and y >= out[-1][1]:
            out.append((x, math.nextafter(out[-1][1], -math.inf)))
        else:
            out.append((x, y))
    return out


def make_pareto(endpoints: list[Point], n_outcomes: int) -> list[Point]:
    """``n_outcomes`` points on the broken line through ``endpoints`` (its
    first corner always), spread over its segments at random."""
    if n_outcomes < 1:
        return []
    if len(endpoints) < 2:
        return [tuple(endpoints[0])] * n_outcomes
    corners = _strict([tuple(p) for p in endpoints])
    segments = len(corners) - 1
    counts = distribute_integer_randomly(n_outcomes - 1, segments, min_per_bin=None)
    points: list[Point] = [corners[0]]
    for (x0, y0), (x1, y1), k in zip(corners, corners[1:], counts, strict=False):
        # k points after the segment's start, its end included.
        for x in sample_between(x0, x1, k + 1)[1:]:
            t = (x - x0) / (x1 - x0) if x1 > x0 else 1.0
            points.append((x, y0 + t * (y1 - y0)))
    return _strict(points)


def make_non_pareto(
    pareto: list[Point], n: int, limit: tuple[float, float] = (0.0, 0.0), eps: float = 1e-4
) -> list[Point]:
    """``n`` points each below a random frontier point in one or more
    coordinates (by at least ``eps``, not below ``limit`` where there is room)."""
    if n < 1:
        return []
    if not pareto:
        raise ValueError("make_non_pareto needs at least one Pareto point, got none")
    out: list[Point] = []
    for _ in range(n):
        p = list(random.choice(pareto))
        room = [d for d in range(len(p)) if p[d] > limit[d] + eps]
        dims = room or list(range(len(p)))
        for d in random.sample(dims, random.randint(1, len(dims))):
            span = max(p[d] - limit[d] - eps, 0.0)
            p[d] -= eps + random.random() * span
        out.append(tuple(p))
    return out


def make_piecewise_linear_pareto(
    n_pareto: int, *, n_segments: int | Sequence[int] = (2, 5)
) -> list[Point]:
    """``n_pareto`` frontier points on a random decreasing broken line."""
    return make_pareto(make_endpoints(n_segments), n_pareto)


def make_zero_sum_pareto(n_pareto: int) -> list[Point]:
    """``n_pareto`` frontier points on one straight decreasing segment."""
    return make_piecewise_linear_pareto(n_pareto, n_segments=1)


def make_curve_pareto(
    n_pareto: int, *, shape: float | str | Sequence[float] = (0.1, 6.0)
) -> list[Point]:
    """``n_pareto`` frontier points ``(x, 1 - x**shape)``, ``x`` uniform in
    ``[0, 1]``; ``shape`` a number, a ``(low, high)`` range drawn from
    log-uniformly, or NegMAS's ``"boulware"``, ``"linear"`` or ``"conceder"``."""
    if isinstance(shape, str):
        if shape not in _CURVES:
            raise ValueError(f"shape must be a number or one of {sorted(_CURVES)}, got {shape!r}")
        exponent = _CURVES[shape]
    elif isinstance(shape, Sequence):
        low, high = math.log(float(shape[0])), math.log(float(shape[1]))
        exponent = math.exp(low + random.random() * (high - low))
    else:
        exponent = float(shape)
    if not exponent > 0:
        raise ValueError(f"shape must be > 0, got {shape!r}")
    xs = [random.random() for _ in range(n_pareto)]
    return _strict([(x, 1.0 - x**exponent) for x in xs])


#: The Pareto generators by name.
GENERATOR_MAP: dict[str, ParetoGenerator] = {
    "piecewise_linear": make_piecewise_linear_pareto,
    "curve": make_curve_pareto,
    "zero_sum": make_zero_sum_pareto,
}


def generate_utility_values(
    n_pareto: int,
    n_outcomes: int,
    n_ufuns: int = 2,
    pareto_first: bool = False,
    pareto_generator: ParetoGenerator | str = "piecewise_linear",
    generator_params: dict[str, Any] | None = None,
) -> list[Point]:
    """``max(n_pareto, n_outcomes)`` points of ``n_ufuns`` utilities: ``n_pareto``
    on a frontier, the others below it; the frontier ones first when
    ``pareto_first``, else shuffled. More than two utility functions join
    pairs of such frontiers (NegMAS's method: not checked beyond two)."""
    make = (
        GENERATOR_MAP[pareto_generator] if isinstance(pareto_generator, str) else pareto_generator
    )
    params = generator_params or {}
    points: list[Point] | None = None
    for _ in range((n_ufuns + 1) // 2):
        pareto = make(n_pareto, **params)
        pair = list(pareto) + make_non_pareto(pareto, n_outcomes - n_pareto)
        points = pair if points is None else [a + b for a, b in zip(points, pair, strict=True)]
    assert points is not None
    if n_ufuns % 2:
        points = [p[:-1] for p in points]
    if not pareto_first:
        random.shuffle(points)
    return points

"""NegMAS's generators of utility values and utility functions with a controlled frontier."""

from __future__ import annotations

import itertools
import random

import pytest

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import (
    GENERATOR_MAP,
    LinearAdditiveUtilityFunction,
    MappingUtilityFunction,
    distribute_integer_randomly,
    generate_multi_issue_ufuns,
    generate_single_issue_ufuns,
    generate_ufuns_for,
    generate_utility_values,
    make_curve_pareto,
    make_endpoints,
    make_non_pareto,
    make_pareto,
    sample_between,
)


def non_dominated(points: list[tuple[float, ...]]) -> bool:
    return all(
        p == q or any(a < b for a, b in zip(p, q, strict=True)) for p in points for q in points
    )


def test_distribute_integer_randomly() -> None:
    random.seed(0)
    for n, m in [(0, 3), (7, 3), (2, 5), (100, 7)]:
        bins = distribute_integer_randomly(n, m)
        assert len(bins) == m and sum(bins) == n and min(bins) >= 0
        if n >= m:
            assert min(bins) >= 1
        even = distribute_integer_randomly(n, m, min_per_bin=None)
        assert sum(even) == n and max(even) - min(even) <= 1
    short = distribute_integer_randomly(5, 4, min_per_bin=2)
    assert (sum(short) == 5 and sorted(short)[-2:] in ([2, 3], [2, 2])) or sum(short) == 5
    with pytest.raises(ValueError, match="cannot distribute 3 over 0 bins"):
        distribute_integer_randomly(3, 0)


def test_points_between_and_corners() -> None:
    random.seed(1)
    values = sample_between(0.2, 0.7, 9, main_range=(0.5, 1.0))
    assert len(values) == 9 and all(0.2 <= v <= 0.7 for v in values)
    assert values[0] == 0.2 and values[-1] == pytest.approx(0.7)
    assert sample_between(0.3, 0.3, 3) == [0.3] * 3
    corners = make_endpoints(6)
    assert len(corners) == 7
    assert all(a[0] < b[0] and a[1] > b[1] for a, b in itertools.pairwise(corners))


@pytest.mark.parametrize("name", sorted(GENERATOR_MAP))
def test_frontiers_are_frontiers_and_the_rest_is_below(name: str) -> None:
    random.seed(2)
    points = generate_utility_values(40, 100, pareto_first=True, pareto_generator=name)
    frontier, rest = points[:40], points[40:]
    assert len(points) == 100 and non_dominated(frontier)
    assert all(any(a > b for a, b in zip(p, q, strict=True)) for q in rest for p in frontier)


def test_pareto_shapes() -> None:
    random.seed(3)
    line = make_pareto([(0.0, 1.0), (0.5, 0.8), (1.0, 0.0)], 30)
    assert len(line) == 30 and line[0] == (0.0, 1.0) and non_dominated(line)
    for x, y in line:  # on the broken line
        want = 1.0 - 0.4 * x if x <= 0.5 else 0.8 - 1.6 * (x - 0.5)
        assert y == pytest.approx(want, abs=1e-9)
    steep = make_curve_pareto(50, shape=5.0)
    assert non_dominated(steep) and all(y == pytest.approx(1 - x**5, abs=1e-12) for x, y in steep)
    assert non_dominated(make_curve_pareto(20, shape="boulware"))
    below = make_non_pareto(line, 10)
    assert all(any(p[0] > q[0] or p[1] > q[1] for p in line) for q in below)
    with pytest.raises(ValueError, match="shape must be a number or one of"):
        make_curve_pareto(3, shape="wavy")


def test_single_issue_ufuns_and_rational_fractions() -> None:
    random.seed(4)
    linear = generate_single_issue_ufuns(20, 50, numeric=True, rational_fractions=[0.3, 0.8],
                                         reservation_selector=lambda a, _: a)  # fmt: skip
    assert all(isinstance(u, LinearAdditiveUtilityFunction) for u in linear)
    space = linear[0].outcome_space
    assert space is not None and space.cardinality == 50
    for u, share in zip(linear, (0.3, 0.8), strict=True):
        accepted = sum(u(o) >= u.reserved_value for o in space.enumerate())
        assert abs(accepted - round(share * 50)) <= 1
    named = generate_single_issue_ufuns(5, 5, linear=False, ufun_names=["a", "b"])
    assert [u.name for u in named] == ["a", "b"]
    assert all(isinstance(u, MappingUtilityFunction) for u in named)
    assert named[0].outcome_space is not None
    assert named[0].outcome_space.issues[0].all_values[0] == "0_4"


def test_multi_issue_ufuns() -> None:
    random.seed(5)
    ufuns = generate_multi_issue_ufuns(3, n_values=(2, 4), numeric=True, guarantee_rational=True)
    space = ufuns[0].outcome_space
    assert space is not None and space.n_issues == 3 and all(o in space for o in space.enumerate())
    assert [u.name for u in ufuns] == ["u1", "u2"]
    assert any(all(u(o) >= u.reserved_value for u in ufuns) for o in space.enumerate())
    weights = ufuns[0].weights
    assert sum(weights) == pytest.approx(1.0) and list(weights) == list(ufuns[1].weights)
    texts = generate_ufuns_for(OutcomeSpace([make_issue(["x", "y", "z"], "c")]), linear=False)
    assert isinstance(texts[0], MappingUtilityFunction)
    with pytest.raises(ValueError, match="give sizes or n_values"):
        generate_multi_issue_ufuns(2)

"""NegMAS's bargaining solutions over mixtures of outcomes, exact for two parties."""

from __future__ import annotations

import math

import pytest

from palaver import MappingUtilityFunction, make_issue
from palaver.outcomes import OutcomeSpace
from palaver.preferences import (
    kalai_point_convex_hull,
    ks_point_convex_hull,
    nash_point_convex_hull,
)

UNIT = [(0.0, 1.0), (0.0, 1.0)]


def _mixture_ufuns() -> tuple[list[MappingUtilityFunction], list[tuple[float, float]]]:
    """(4, 1), (1, 4), (2, 2): the midpoint of the first two beats the third."""
    space = OutcomeSpace([make_issue(["a", "b", "c"], "z")])
    first = {"a": 4.0, "b": 1.0, "c": 2.0}
    second = {"a": 1.0, "b": 4.0, "c": 2.0}
    ufuns = [
        MappingUtilityFunction({(k,): v for k, v in table.items()}, outcome_space=space)
        for table in (first, second)
    ]
    return ufuns, [(4.0, 1.0), (1.0, 4.0), (2.0, 2.0)]


def test_a_mixture_beats_every_outcome() -> None:
    ufuns, points = _mixture_ufuns()  # no reserved value: d is each ufun's lowest, 1
    for solve in (kalai_point_convex_hull, ks_point_convex_hull, nash_point_convex_hull):
        utils, indices, weights = solve(ufuns, points)
        assert utils == pytest.approx((2.5, 2.5)) and indices == (0, 1)
        assert weights == pytest.approx((0.5, 0.5))


def test_nash_is_the_top_of_the_segment() -> None:
    # gains (1 - 0.8 s, 0.5 s): product 0.5 s - 0.4 s^2, largest at s = 5/8
    utils, indices, weights = nash_point_convex_hull(None, [(1, 0), (0.2, 0.5)], ranges=UNIT)
    assert utils == pytest.approx((0.5, 0.3125)) and indices == (0, 1)
    assert weights == pytest.approx((0.375, 0.625))


def test_kalai_and_ks_cross_the_boundary() -> None:
    points = [(1.0, 0.1), (0.2, 0.5), (0.1, 0.1)]
    # equal gains on the segment: 1 - 0.8 s = 0.1 + 0.4 s at s = 3/4
    assert kalai_point_convex_hull(None, points, ranges=UNIT)[0] == pytest.approx((0.4, 0.4))
    # the line to the ideal point (1, 0.5): t = 1 - 0.8 s, t / 2 = 0.1 + 0.4 s, so s = 1/2
    ks, indices, weights = ks_point_convex_hull(None, points, ranges=[(0.0, 1.0), (0.0, 0.5)])
    assert ks == pytest.approx((0.6, 0.3)) and indices == (0, 1)
    assert weights == pytest.approx((0.5, 0.5))


def test_a_vertex_alone_when_the_line_passes_beside_the_chain() -> None:
    # the diagonal from (0.9, 0) passes below (1, 0.2)'s vertical: that vertex is the answer
    utils, indices, weights = kalai_point_convex_hull(
        None, [(1.0, 0.2), (0.0, 1.0)], ranges=[(0.9, 1.0), (0.0, 1.0)]
    )
    assert (utils, indices, weights) == ((1.0, 0.2), (0,), (1.0,))


def test_modified_variants_measure_from_zero() -> None:
    ufuns, points = _mixture_ufuns()
    for u in ufuns:
        u.reserved_value = 1.5
    plain = kalai_point_convex_hull(ufuns, points)[0]
    modified = kalai_point_convex_hull(ufuns, points, subtract_reserved_value=False)[0]
    assert plain == pytest.approx((2.5, 2.5)) and modified == pytest.approx((2.5, 2.5))
    skewed = [(4.0, 1.0), (1.0, 4.0)]
    for u, r in zip(ufuns, (3.0, 0.0), strict=True):
        u.reserved_value = r
    # gains from (3, 1): 1 - 3s and 3s: equal at s = 1/6
    assert kalai_point_convex_hull(ufuns, skewed)[0] == pytest.approx((3.5, 1.5))
    assert kalai_point_convex_hull(ufuns, skewed, subtract_reserved_value=False)[0] == (
        pytest.approx((2.5, 2.5))
    )


def test_nothing_to_gain_and_no_points() -> None:
    # every point leaves party 0 below its disagreement utility
    assert nash_point_convex_hull(None, [(0.5, 1.0)], ranges=[(0.6, 1.0), (0.0, 1.0)]) == (
        (),
        (),
        (),
    )
    assert ks_point_convex_hull(None, [(0.5, 1.0)], ranges=[(0.6, 1.0), (0.0, 1.0)]) == ((), (), ())
    assert kalai_point_convex_hull(None, [], ranges=UNIT) == ((), (), ())


def test_three_parties_and_bad_input_are_refused() -> None:
    with pytest.raises(ValueError, match="two parties only"):
        kalai_point_convex_hull(None, [(1, 0, 0), (0, 1, 1)], ranges=[*UNIT, (0, 1)])
    with pytest.raises(ValueError, match="ranges"):
        nash_point_convex_hull(None, [(1, 0), (0, 1)])
    with pytest.raises(ValueError, match="finite"):
        kalai_point_convex_hull(None, [(1, math.nan), (0, 1)], ranges=UNIT)


def test_without_ufuns_the_disagreement_is_max_of_low_and_zero_as_in_negmas() -> None:
    # NegMAS counts every reserved value as 0 without ufuns: the low end -2 of
    # party 0 becomes 0, so d = (0, 0) and the egalitarian point is (2, 2), not
    # the (1, 3) that d = (-2, 0) gives
    points = [(0.0, 4.0), (4.0, 0.0), (1.0, 1.0)]
    ranges = [(-2.0, 4.0), (0.0, 4.0)]
    for solve in (kalai_point_convex_hull, ks_point_convex_hull, nash_point_convex_hull):
        utils, indices, weights = solve(None, points, ranges=ranges)
        assert utils == pytest.approx((2.0, 2.0))
        assert sorted(indices) == [0, 1] and weights == pytest.approx((0.5, 0.5))
    # a low end above 0 is the disagreement itself: d = (0, 1)
    utils, _, _ = kalai_point_convex_hull(None, points, ranges=[(-2.0, 4.0), (1.0, 4.0)])
    assert utils == pytest.approx((1.5, 2.5))

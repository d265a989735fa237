"""Value functions made of other value functions: BiasedFun, AggregatingFun, the multi-modals.

The expected numbers were worked out from the formulas (NegMAS 0.16 gives the
same ones, except where it normalizes over a continuous issue by sampling).
"""

from __future__ import annotations

import inspect
import math
import pickle

import numpy as np
import pytest

from palaver.outcomes import make_issue, make_os
from palaver.preferences import (
    AffineFun,
    AggregatingFun,
    BaseFun,
    BiasedFun,
    ConstFun,
    GaussianFun,
    IdentityFun,
    LambdaFun,
    LinearAdditiveUtilityFunction,
    MultiModalGaussianFun,
    MultiModalTrapezoidalFun,
    QuadraticFun,
    TableFun,
    TrapezoidalFun,
    TriangularFun,
)

XS = [-1.0, 0.5, 2.0, 4.0, 6.25, 9.0]

MIX = AggregatingFun(
    (GaussianFun(2.0, 1.0), TriangularFun(0.0, 5.0, 10.0), QuadraticFun(0.1, -1.0)),
    (1.0, -2.0, 0.5),
    bias=0.25,
)
TRAPEZOIDS = MultiModalTrapezoidalFun(
    (0.0, 5.0, -2.0),
    (1.0, 6.0, 0.0),
    (2.0, 7.0, 0.0),
    (3.0, 8.0, 4.0),
    biases=(0.1, 0.2, 0.3),
    scales=(1.0, -2.0, 0.5),
    weights=(0.5, 1.0, 2.0),
    bias=-1.0,
)
BELLS = MultiModalGaussianFun(
    (2.0, 8.0, 5.0),
    (1.0, 1.5, 0.5),
    biases=(0.0, 0.5, -0.5),
    scales=(1.0, 2.0, -1.0),
    weights=(0.3, 0.7, 1.0),
    bias=0.1,
)

VALUES: list[tuple[BaseFun, list[float]]] = [
    (BiasedFun(IdentityFun(), 3.0), [2.0, 3.5, 5.0, 7.0, 9.25, 12.0]),
    (
        MIX,
        [
            0.8111089965382423,
            0.13715246735834974,
            -0.3500000000000001,
            -2.4146647167633875,
            -2.421755387116419,
            -0.5999999999771028,
        ],
    ),
    (TRAPEZOIDS, [0.35, 0.975, 0.85, -0.15, -2.15, -0.15]),
    (
        BELLS,
        [
            -0.04666727971655568,
            0.04740095752194576,
            0.2504696324490837,
            -0.1047429971672584,
            0.6149688135490076,
            1.071032364090388,
        ],
    ),
]
FUNS = [f for f, _ in VALUES]


def ids(f: BaseFun) -> str:
    return type(f).__name__


@pytest.mark.parametrize(("f", "expected"), VALUES, ids=[ids(f) for f in FUNS])
def test_each_gives_its_weighted_sum(f: BaseFun, expected: list[float]) -> None:
    assert [f(x) for x in XS] == pytest.approx(expected, rel=1e-13, abs=1e-15)


def test_constructor_arguments_are_negmas_names_order_and_defaults() -> None:
    def spelled(cls: type) -> list[tuple[str, object]]:
        return [(p.name, p.default) for p in inspect.signature(cls).parameters.values()]

    empty = inspect.Parameter.empty
    assert spelled(BiasedFun) == [
        ("fun", empty),
        ("bias", 0),
        ("normalize", False),
        ("issue", None),
    ]
    assert spelled(AggregatingFun) == [
        ("funs", empty),
        ("weights", None),
        ("bias", 0),
        ("normalize", False),
        ("issue", None),
    ]
    assert spelled(MultiModalTrapezoidalFun) == [
        ("starts", empty),
        ("rise_ends", empty),
        ("fall_starts", empty),
        ("ends", empty),
        ("biases", None),
        ("scales", None),
        ("weights", None),
        ("bias", 0),
    ]
    assert spelled(MultiModalGaussianFun) == [
        ("centers", empty),
        ("sigmas", empty),
        ("biases", None),
        ("scales", None),
        ("weights", None),
        ("bias", 0),
    ]


def test_defaults_fill_in_one_weight_per_part() -> None:
    pair = AggregatingFun((AffineFun(1.0), ConstFun(1.0)))
    assert pair.weights == (1.0, 1.0) and pair(10) == 11.0
    peaks = MultiModalTrapezoidalFun((0.0, 5.0), (1.0, 6.0), (2.0, 7.0), (3.0, 8.0))
    assert (peaks.biases, peaks.scales, peaks.weights) == ((0.0, 0.0), (1.0, 1.0), (1.0, 1.0))
    assert [peaks(x) for x in (1.5, 4.0, 6.5)] == [1.0, 0.0, 1.0]
    bells = MultiModalGaussianFun((2.0,), (1.0,))
    assert bells(2.0) == 1.0 and bells.weights == (1.0,)


def test_normalizing_maps_the_range_over_the_issue_onto_0_1() -> None:
    hours = make_issue((0.0, 4.0), "hours")
    flipped = BiasedFun(AffineFun(-2.0, 1.0), 1.0, normalize=True, issue=hours)
    assert (flipped.normalize, flipped.issue) == (False, None)  # applied, then forgotten
    assert flipped.minmax(hours) == (0.0, 1.0) and flipped(0.0) == 1.0 and flipped(4.0) == 0.0
    # Exact over a continuous issue: the tents' peaks (2.5 and 7.5) are found.
    tents = AggregatingFun(
        (TriangularFun(0.0, 2.5, 5.0), TriangularFun(5.0, 7.5, 10.0, scale=2.0)),
        (1.0, 0.5),
        normalize=True,
        issue=make_issue((0.0, 10.0), "x"),
    )
    assert [tents(x) for x in (0.0, 2.5, 5.0, 6.25, 7.5)] == [0.0, 1.0, 0.0, 0.5, 1.0]
    # Over an integer issue its values are what count.
    bumps = AggregatingFun(
        (GaussianFun(2.0, 1.0), GaussianFun(8.0, 1.0)), normalize=True, issue=make_issue(11, "n")
    )
    values = [bumps(n) for n in range(11)]
    assert min(values) == 0.0 and max(values) == pytest.approx(1.0)
    flat = BiasedFun(ConstFun(2.0), normalize=True, issue=hours)
    assert flat(1.0) == 0.0  # no span to stretch: only moved to 0


def test_ranges_of_piecewise_linear_sums_are_exact() -> None:
    assert TRAPEZOIDS.minmax(make_issue((0.0, 10.0), "x")) == pytest.approx((-2.15, 1.1))
    assert TRAPEZOIDS.minmax(make_issue((0, 10), "n")) == pytest.approx((-2.15, 1.1))
    corners = AggregatingFun((TrapezoidalFun(0.0, 0.3, 0.6, 0.9), AffineFun(0.1)))
    assert corners.max(make_issue((0.0, 1.0), "x")) == pytest.approx(1.06)  # at 0.6


@pytest.mark.parametrize("f", [*FUNS, BiasedFun(GaussianFun(3.0, 0.01), -1.0)], ids=ids)
def test_ranges_over_a_continuous_issue_hold_every_value(f: BaseFun) -> None:
    low, high = f.minmax(make_issue((-1.0, 10.0), "x"))
    values = [f(x) for x in np.linspace(-1.0, 10.0, 100_001).tolist()]
    assert low <= min(values) and high >= max(values)
    assert low == pytest.approx(min(values), abs=1e-3) and high == pytest.approx(
        max(values), abs=1e-3
    )


@pytest.mark.parametrize("f", FUNS, ids=ids)
def test_ranges_over_an_integer_issue_are_those_of_its_values(f: BaseFun) -> None:
    values = [f(n) for n in range(-1, 11)]
    assert f.minmax(make_issue((-1, 10), "n")) == (min(values), max(values))


def test_a_smooth_peak_between_grid_points_is_found() -> None:
    # Two bells whose sum peaks between them, away from both centers.
    pair = MultiModalGaussianFun((4.0, 4.6), (0.4, 0.4))
    top = pair(4.3)  # the sum is symmetric about 4.3
    assert pair.max(make_issue((0.0, 1000.0), "x")) == pytest.approx(top, rel=1e-12)


@pytest.mark.parametrize("f", FUNS, ids=ids)
def test_shift_and_scale_keep_the_kind(f: BaseFun) -> None:
    shifted, scaled = f.shift_by(0.5), f.scale_by(3.0)
    assert type(shifted) is type(f) and type(scaled) is type(f)
    for x in XS:
        assert shifted(x) == pytest.approx(f(x) + 0.5, rel=1e-12)
        assert scaled(x) == pytest.approx(3.0 * f(x), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("f", FUNS, ids=ids)
def test_plain_data_and_pickles_round_trip(f: BaseFun) -> None:
    data = f.to_dict()
    assert type(f).from_dict(data) == f
    assert pickle.loads(pickle.dumps(f)) == f
    assert pickle.loads(pickle.dumps(f))(2.0) == f(2.0)


def test_parts_go_to_plain_data_as_dicts() -> None:
    f = AggregatingFun((TableFun({1: 2.0}), BiasedFun(IdentityFun(), 1.0)), (0.5, 2.0))
    assert f.to_dict() == {
        "type": "AggregatingFun",
        "funs": [
            {"type": "TableFun", "mapping": [[1, 2.0]]},  # pairs: JSON keys are strings
            {
                "type": "BiasedFun",
                "fun": {"type": "IdentityFun"},
                "bias": 1.0,
                "normalize": False,
                "issue": None,
            },
        ],
        "weights": [0.5, 2.0],
        "bias": 0.0,
        "normalize": False,
        "issue": None,
    }
    assert AggregatingFun.from_dict(f.to_dict()) == f
    with pytest.raises(TypeError, match="callable"):
        BiasedFun(LambdaFun(abs)).to_dict()
    with pytest.raises(ValueError, match="'NoSuchFun'"):
        BiasedFun.from_dict({"type": "BiasedFun", "fun": {"type": "NoSuchFun"}})


@pytest.mark.parametrize(
    ("make", "error", "pattern"),
    [
        (lambda: BiasedFun(abs), TypeError, r"BiasedFun\.fun must be a value function"),  # type: ignore[arg-type]
        (lambda: BiasedFun(IdentityFun(), math.nan), ValueError, r"BiasedFun\.bias .* nan"),
        (lambda: BiasedFun(IdentityFun(), normalize=True), ValueError, "needs the issue"),
        (lambda: BiasedFun(IdentityFun(), normalize=1), TypeError, "True or False, got 1"),  # type: ignore[arg-type]
        (lambda: AggregatingFun(()), ValueError, "at least one value function"),
        (lambda: AggregatingFun(IdentityFun()), TypeError, "must be a sequence"),  # type: ignore[arg-type]
        (lambda: AggregatingFun((IdentityFun(), 2.0)), TypeError, r"funs\[1\] .* got 2\.0"),  # type: ignore[arg-type]
        (
            lambda: AggregatingFun((IdentityFun(),), (1.0, 2.0)),
            ValueError,
            r"weights must have 1 entries, one per part, got 2",
        ),
        (
            lambda: AggregatingFun((IdentityFun(),), (math.inf,)),
            ValueError,
            r"weights\[0\] .* got inf",
        ),
        (
            lambda: MultiModalTrapezoidalFun((0.0, 1.0), (1.0,), (2.0,), (3.0,)),
            ValueError,
            r"rise_ends must have 2 entries",
        ),
        (
            lambda: MultiModalTrapezoidalFun((0.0,), (3.0,), (2.0,), (4.0,)),
            ValueError,
            "start <= rise_end <= fall_start <= end",
        ),
        (lambda: MultiModalTrapezoidalFun((), (), (), ()), ValueError, "at least one trapezoid"),
        (
            lambda: MultiModalGaussianFun((0.0,), (0.0,)),
            ValueError,
            r"sigmas\[0\] must be a positive .* got 0\.0",
        ),
        (
            lambda: MultiModalGaussianFun((0.0,), (1.0,), scales=(1.0, 2.0)),
            ValueError,
            "scales must have 1 entries",
        ),
        (lambda: MultiModalGaussianFun(1.0, (1.0,)), TypeError, r"centers must be a sequence"),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_are_refused_naming_them(make: object, error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        make()  # type: ignore[operator]


def test_they_weigh_issues_in_a_linear_additive_function() -> None:
    space = make_os([make_issue((0.0, 10.0), "hour"), make_issue(11, "size")])
    ufun = LinearAdditiveUtilityFunction(
        {
            "hour": MultiModalGaussianFun((4.0, 4.6), (0.4, 0.4)),
            "size": MultiModalTrapezoidalFun((0.0,), (2.0,), (4.0,), (8.0,)),
        },
        outcome_space=space,
    )
    assert ufun((4.3, 3)) == pytest.approx(2 * math.exp(-0.09 / 0.32) + 1.0)
    rows = [(0.0, 0), (4.3, 3), (10.0, 6)]
    assert ufun.eval_many(rows) == pytest.approx([ufun(r) for r in rows])
    low, high = ufun.minmax()
    assert high == pytest.approx(2 * math.exp(-0.09 / 0.32) + 1.0, rel=1e-12)
    assert low == pytest.approx(MultiModalGaussianFun((4.0, 4.6), (0.4, 0.4))(10.0))

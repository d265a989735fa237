"""NegMAS's numeric value functions: their arguments, numbers, ranges and use in a ufun.

The expected numbers were worked out from each function's formula (NegMAS
0.16 gives the same ones for the same input).
"""

from __future__ import annotations

import inspect
import math
import pickle

import numpy as np
import pytest

from palaver.outcomes import make_issue, make_os
from palaver.preferences import (
    BaseFun,
    CosFun,
    ExponentialFun,
    GaussianFun,
    LinearAdditiveUtilityFunction,
    LogFun,
    PolynomialFun,
    QuadraticFun,
    SinFun,
    TableFun,
    TrapezoidalFun,
    TriangularFun,
)

XS = [-3.0, 0.5, 1.0, 2.5, 4.0, 9.0, 11.0]

#: Each function with its values at XS (None: undefined there).
VALUES: list[tuple[BaseFun, list[float | None]]] = [
    (QuadraticFun(0.5, -3.0, bias=2.0), [15.5, 0.625, -0.5, -2.375, -2.0, 15.5, 29.5]),
    (
        PolynomialFun((1.0, -3.0, 0.5), bias=0.25),
        [-43.25, 0.0625, -1.25, -8.1875, -11.75, 130.75, 313.75],
    ),
    (
        TriangularFun(-2.0, 1.0, 3.0, bias=0.5, scale=2.0),
        [0.5, 2.166666666666667, 2.5, 1.0, 0.5, 0.5, 0.5],
    ),
    (
        TrapezoidalFun(0.0, 2.0, 8.0, 10.0, bias=-1.0, scale=4.0),
        [-1.0, 0.0, 1.0, 3.0, 3.0, 1.0, -1.0],
    ),
    (
        GaussianFun(-1.0, 2.5, bias=0.5, scale=-3.0),
        [
            -1.6784471112210726,
            -2.005810634233816,
            -1.6784471112210726,
            -0.6259332965541988,
            0.09399415029016189,
            0.49899361211629245,
            0.4999702114870824,
        ],
    ),
    (
        ExponentialFun(0.3, bias=-1.0, base=2.0),
        [
            -0.46411326873185343,
            0.10956947206784506,
            0.2311444133449163,
            0.681792830507429,
            1.2973967099940698,
            5.498019170849883,
            8.849155306759329,
        ],
    ),
    (
        LogFun(2.0, bias=1.0, base=10.0, scale=-0.5),
        [
            None,
            1.0,
            0.8494850021680094,
            0.6505149978319906,
            0.5484550065040283,
            0.3723637474483471,
            0.3287886595888969,
        ],
    ),
    (
        SinFun(2.0, bias=1.0, phase=0.5, amplitude=3.0),
        [
            3.1166209767111757,
            3.9924849598121632,
            2.7954164323118698,
            -1.1166209767111757,
            3.3954613378704708,
            -0.02744185540883759,
            -0.4615235373815285,
        ],
    ),
    (
        CosFun(-0.7, phase=-1.0, amplitude=-2.0),
        [
            -0.9071922428511554,
            -0.438013374186083,
            0.2576889885910493,
            1.8486047572649271,
            1.5819354238288337,
            -1.0521550347622106,
            1.4972932911947974,
        ],
    ),
]

FUNS = [f for f, _ in VALUES]


def ids(f: BaseFun) -> str:
    return type(f).__name__


@pytest.mark.parametrize(("f", "expected"), VALUES, ids=[ids(f) for f in FUNS])
def test_each_function_gives_its_formula(f: BaseFun, expected: list[float | None]) -> None:
    for x, want in zip(XS, expected, strict=True):
        if want is None:
            with pytest.raises(ValueError, match=r"tau \* x must be positive"):
                f(x)
        else:
            assert f(x) == pytest.approx(want, rel=1e-13, abs=1e-15), x
            if x.is_integer():
                assert f(int(x)) == f(x)  # an integer issue's values work too


def test_constructor_arguments_are_negmas_names_order_and_defaults() -> None:
    def spelled(cls: type) -> list[tuple[str, object]]:
        return [(p.name, p.default) for p in inspect.signature(cls).parameters.values()]

    e = math.e
    empty = inspect.Parameter.empty
    assert spelled(QuadraticFun) == [("a2", empty), ("a1", empty), ("bias", 0)]
    assert spelled(PolynomialFun) == [("coefficients", empty), ("bias", 0)]
    assert spelled(TriangularFun) == [
        ("start", empty),
        ("middle", empty),
        ("end", empty),
        ("bias", 0),
        ("scale", 1),
    ]
    assert spelled(TrapezoidalFun) == [
        ("start", empty),
        ("rise_end", empty),
        ("fall_start", empty),
        ("end", empty),
        ("bias", 0),
        ("scale", 1),
    ]
    assert spelled(GaussianFun) == [("center", empty), ("sigma", empty), ("bias", 0), ("scale", 1)]
    # scale is Palaver's addition, last, so NegMAS's calls are unchanged.
    assert spelled(ExponentialFun) == [("tau", empty), ("bias", 0), ("base", e), ("scale", 1)]
    assert spelled(LogFun) == [("tau", empty), ("bias", 0), ("base", e), ("scale", 1)]
    for wave in (SinFun, CosFun):
        assert spelled(wave) == [("multiplier", 1), ("bias", 0), ("phase", 0), ("amplitude", 1)]


def test_defaults_give_the_plain_curves() -> None:
    assert SinFun()(math.pi / 2) == 1.0 and CosFun()(0.0) == 1.0
    assert ExponentialFun(1.0)(1.0) == math.e and LogFun(1.0)(math.e) == 1.0
    assert TriangularFun(0.0, 5.0, 10.0)(2.5) == 0.5
    assert GaussianFun(5.0, 1.0)(5) == 1.0 and GaussianFun(5.0, 1.0)(6) == GaussianFun(5.0, 1.0)(4)
    assert PolynomialFun(())(3.0) == 0.0
    assert PolynomialFun([2.0, 3.0], 1.0).coefficients == (2.0, 3.0)  # a list is kept as a tuple


def test_the_corners_of_tents_and_trapezoids() -> None:
    tent = TriangularFun(0.0, 4.0, 8.0, bias=1.0, scale=2.0)
    assert [tent(x) for x in (0, 4, 8, -1, 9)] == [1.0, 3.0, 1.0, 1.0, 1.0]
    # A side of zero width: the edge itself is at the bias, just inside near the peak.
    cliff = TriangularFun(1.0, 1.0, 4.0)
    assert cliff(1.0) == 0.0 and cliff(2.5) == 0.5
    step = TrapezoidalFun(1.0, 1.0, 3.0, 3.0, bias=-1.0, scale=4.0)
    assert [step(x) for x in (0.5, 1.0, 2.0, 3.0, 3.5)] == [-1.0, 3.0, 3.0, 3.0, -1.0]


def enumerate_range(f: BaseFun, values: list[float] | range) -> tuple[float, float]:
    got = [f(v) for v in values]
    return min(got), max(got)


@pytest.mark.parametrize("f", FUNS, ids=ids)
def test_ranges_over_an_integer_issue_are_those_of_its_values(f: BaseFun) -> None:
    lo, hi = (1, 12) if isinstance(f, LogFun) else (-3, 12)
    assert f.minmax(make_issue((lo, hi), "n")) == enumerate_range(f, range(lo, hi + 1))
    assert f.min(make_issue((lo, lo + 1), "n")) == min(f(lo), f(lo + 1))


@pytest.mark.parametrize("f", FUNS, ids=ids)
def test_ranges_over_a_continuous_issue_are_exact(f: BaseFun) -> None:
    lo, hi = (0.25, 12.0) if isinstance(f, LogFun) else (-3.0, 12.0)
    low, high = f.minmax(make_issue((lo, hi), "x"))
    dense = enumerate_range(f, np.linspace(lo, hi, 100_001).tolist())
    # Never inside the sampled range, and the sampling only misses a sliver.
    assert low <= dense[0] and high >= dense[1]
    assert low == pytest.approx(dense[0], abs=1e-3) and high == pytest.approx(dense[1], abs=1e-3)


def test_exact_ranges_at_known_extremes() -> None:
    price = make_issue((0.0, 10.0), "price")
    assert QuadraticFun(-1.0, 6.0).minmax(price) == (-40.0, 9.0)  # vertex at 3
    assert QuadraticFun(1.0, -2.0, 1.0).minmax(make_issue((2.0, 5.0), "x")) == (1.0, 16.0)
    assert QuadraticFun(0.0, 2.0).minmax(price) == (0.0, 20.0)  # a line: no vertex
    # Over the integers the best is next to the vertex (2.5), not at it.
    assert QuadraticFun(-1.0, 5.0).minmax(make_issue((0, 10), "n")) == (-50.0, 6.0)
    assert QuadraticFun(1.0, 0.0).to_table(make_issue(3, "n")) == TableFun({0: 0.0, 1: 1.0, 2: 4.0})
    assert TriangularFun(2.0, 7.0, 20.0, scale=-1.0).minmax(price) == (-1.0, 0.0)
    assert TriangularFun(1.0, 1.0, 4.0).max(price) == pytest.approx(1.0)  # approached at 1+
    assert TrapezoidalFun(-5.0, -1.0, 1.0, 12.0).minmax(price) == (2 / 11, 1.0)
    assert GaussianFun(20.0, 5.0).minmax(price) == (math.exp(-8.0), math.exp(-2.0))
    assert PolynomialFun((0.0, -3.0, 1.0)).minmax(make_issue((-1.0, 3.0), "x")) == (-4.0, 0.0)
    assert SinFun().minmax(make_issue((0.0, 1.0), "x")) == (0.0, math.sin(1.0))
    assert SinFun().minmax(make_issue((0.0, 3.0), "x")) == (0.0, 1.0)  # one turn, at pi/2
    assert CosFun().minmax(make_issue((1.0, 4.0), "x")) == (-1.0, math.cos(1.0))  # at pi
    # Falling angles 1 - 2x: one turn, at the angle -pi/2.
    assert SinFun(-2.0, phase=1.0).minmax(make_issue((0.0, 2.0), "x")) == (-1.0, math.sin(1.0))
    assert CosFun(amplitude=2.0, bias=1.0).minmax(price) == (-1.0, 3.0)
    assert ExponentialFun(-1.0).minmax(price) == pytest.approx((math.exp(-10.0), 1.0))
    assert LogFun(1.0, scale=-1.0).minmax(make_issue((1.0, math.e), "x")) == (-1.0, 0.0)


def test_a_fast_wave_is_bounded_exactly() -> None:
    fast = SinFun(1000.0, bias=1.0, phase=0.3, amplitude=2.0)
    assert fast.minmax(make_issue((0.0, 1000.0), "x")) == pytest.approx((-1.0, 3.0))
    # More turns than Python can count in a range object.
    assert CosFun(3.0).minmax(make_issue((0.0, 1e30), "x")) == pytest.approx((-1.0, 1.0))
    # Over many integers its turns say nothing: every value is evaluated.
    steps = make_issue((0, 30_000), "n")
    assert fast.minmax(steps) == enumerate_range(fast, range(30_001))


def test_ranges_over_a_listed_issue_evaluate_its_values() -> None:
    sizes = make_issue([1, 4, 9], "size")
    assert QuadraticFun(-1.0, 6.0).minmax(sizes) == (-27.0, 8.0)


@pytest.mark.parametrize("f", FUNS, ids=ids)
def test_shift_and_scale_keep_the_kind_and_move_every_value(f: BaseFun) -> None:
    shifted, scaled = f.shift_by(1.5), f.scale_by(-2.0)
    assert type(shifted) is type(f) and type(scaled) is type(f)
    for x in (0.5, 2.5, 9.0):
        assert shifted(x) == pytest.approx(f(x) + 1.5, rel=1e-12)
        assert scaled(x) == pytest.approx(-2.0 * f(x), rel=1e-12)
    with pytest.raises(ValueError, match="offset"):
        f.shift_by(math.nan)
    with pytest.raises(ValueError, match="scale"):
        f.scale_by(math.inf)


@pytest.mark.parametrize("f", FUNS, ids=ids)
def test_plain_data_pickles_and_equality(f: BaseFun) -> None:
    data = f.to_dict()
    assert data["type"] == type(f).__name__
    assert type(f).from_dict(data) == f
    assert pickle.loads(pickle.dumps(f)) == f
    assert hash(type(f).from_dict(data)) == hash(f)
    assert f != f.shift_by(1.0)


def test_plain_data_holds_only_the_arguments() -> None:
    assert SinFun(2.0).to_dict() == {
        "type": "SinFun",
        "multiplier": 2.0,
        "bias": 0.0,
        "phase": 0.0,
        "amplitude": 1.0,
    }
    assert PolynomialFun.from_dict({"coefficients": [1.0, 2.0]}) == PolynomialFun((1.0, 2.0))
    assert SinFun() != CosFun()  # type: ignore[comparison-overlap]


@pytest.mark.parametrize(
    ("make", "error", "pattern"),
    [
        (lambda: QuadraticFun(math.nan, 1.0), ValueError, r"QuadraticFun\.a2 .* got nan"),
        (lambda: QuadraticFun(1.0, "2"), TypeError, r"QuadraticFun\.a1 .* got '2'"),  # type: ignore[arg-type]
        (lambda: PolynomialFun(3.0), TypeError, r"coefficients must be a sequence .* got 3\.0"),  # type: ignore[arg-type]
        (lambda: PolynomialFun("12"), TypeError, "coefficients must be a sequence"),  # type: ignore[arg-type]
        (lambda: PolynomialFun((1.0, math.inf)), ValueError, r"coefficients\[1\] .* got inf"),
        (lambda: TriangularFun(0.0, 5.0, 2.0), ValueError, "start <= middle <= end.*end=2.0"),
        (lambda: TriangularFun(0.0, 1.0, 2.0, scale=math.nan), ValueError, r"scale .* nan"),
        (
            lambda: TrapezoidalFun(0.0, 3.0, 2.0, 5.0),
            ValueError,
            "start <= rise_end <= fall_start <= end.*rise_end=3.0, fall_start=2.0",
        ),
        (lambda: GaussianFun(0.0, 0.0), ValueError, r"GaussianFun\.sigma must be a positive"),
        (lambda: GaussianFun(0.0, -1.0), ValueError, r"sigma .* got -1\.0"),
        (lambda: ExponentialFun(1.0, base=-2.0), ValueError, r"ExponentialFun\.base .* -2\.0"),
        (lambda: ExponentialFun(True), TypeError, r"ExponentialFun\.tau"),
        (lambda: LogFun(0.0), ValueError, r"LogFun\.tau must be a nonzero .* got 0\.0"),
        (lambda: LogFun(1.0, base=1.0), ValueError, r"LogFun\.base .* other than 1, got 1\.0"),
        (lambda: LogFun(1.0, base=0.0), ValueError, r"LogFun\.base must be a positive"),
        (lambda: SinFun(phase=math.inf), ValueError, r"SinFun\.phase .* got inf"),
        (lambda: CosFun(amplitude=None), TypeError, r"CosFun\.amplitude .* got None"),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_are_refused_naming_them(make: object, error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        make()  # type: ignore[operator]


def test_they_weigh_issues_in_a_linear_additive_function() -> None:
    space = make_os(
        [make_issue((0.0, 10.0), "price"), make_issue(11, "n"), make_issue(["a", "b"], "k")]
    )
    ufun = LinearAdditiveUtilityFunction(
        {
            "price": GaussianFun(4.0, 2.0),
            "n": QuadraticFun(-1.0, 6.0),
            "k": TableFun({"a": 1.0, "b": 0.0}),
        },
        weights={"price": 2.0, "n": 0.5, "k": 1.0},
        outcome_space=space,
    )
    assert ufun((4.0, 3, "a")) == 2.0 + 4.5 + 1.0
    rows = [(1.0, 2, "a"), (4.0, 3, "b"), (9.5, 10, "a")]
    expected = [
        2 * math.exp(-9.0 / 8.0) + 4.0 + 1.0,
        2.0 + 4.5,
        2 * math.exp(-(5.5**2) / 8.0) - 20.0 + 1.0,
    ]
    assert ufun.eval_many(rows) == pytest.approx(expected)
    assert ufun.eval_many(space.to_array(rows)) == pytest.approx(expected)
    # Exact although "price" is continuous: the bell's peak and the issue's ends.
    assert ufun.minmax() == pytest.approx((2 * math.exp(-4.5) - 20.0, 7.5))
    normalized = ufun.normalize()
    assert normalized((4.0, 3, "a")) == pytest.approx(1.0)
    assert normalized((10.0, 10, "b")) == pytest.approx(0.0)


def test_a_negative_weight_swaps_which_turn_is_worst() -> None:
    space = make_os([make_issue((-2.0, 2.0), "x")])
    ufun = LinearAdditiveUtilityFunction(
        [PolynomialFun((0.0, -3.0, 1.0))], weights=[-1.0], outcome_space=space
    )
    # x**3 - 3x**2 is 0 at x = 0 (a turn) and -20 at x = -2 (an end).
    assert ufun.minmax() == (0.0, 20.0)


def test_a_value_it_cannot_evaluate_names_the_issue() -> None:
    space = make_os([make_issue((0.0, 1.0), "x")])
    ufun = LinearAdditiveUtilityFunction([LogFun(1.0)], outcome_space=space)
    assert ufun((1.0,)) == 0.0
    with pytest.raises(ValueError, match="issue 'x'"):
        ufun((0.0,))
    with pytest.raises(ValueError, match="tau \\* x must be positive"):
        ufun.minmax()
    without_space = LinearAdditiveUtilityFunction([LogFun(1.0), SinFun()])
    assert without_space.eval_many([(1.0, 0.0)]).tolist() == [0.0]

"""Multi-issue value functions: values, exact ranges, copies and plain-data round trips.

The expected numbers are worked out from the formulas (NegMAS 0.16 gives the
same values on a grid, and the same ranges over integer issues; over
continuous issues it samples ten values per issue, so its quadratic ranges
can be narrower than the exact ones checked here).
"""

from __future__ import annotations

import itertools
import pickle

import numpy as np
import pytest

from palaver.outcomes import OutcomeSpaceError, make_issue
from palaver.preferences import (
    AffineMultiFun,
    BaseMultiFun,
    BilinearMultiFun,
    LambdaMultiFun,
    LinearMultiFun,
    PolynomialMultiFun,
    ProductMultiFun,
    QuadraticMultiFun,
    TableMultiFun,
)
from palaver.preferences.value_functions import from_plain
from palaver.serialization import dump, load

QUAD3 = QuadraticMultiFun(
    linear=(1.0, -2.0, 0.5),
    quadratic=(-1.0, -0.5, 0.3),
    interactions=(0.2, -0.7, 1.1),
    bias=-3.0,
)

EXAMPLES: list[BaseMultiFun] = [
    LinearMultiFun((1.5, -2.0)),
    AffineMultiFun((0.5, 0.3), bias=0.1),
    BilinearMultiFun(2.0, -3.0, 1.5, bias=0.5),
    QuadraticMultiFun((2.0, 3.0), (1.0, -2.0), (4.0,), bias=1.0),
    PolynomialMultiFun(((2.0, (1, 0)), (3.0, (0, 1)), (1.0, (2, 1))), bias=1.0),
    ProductMultiFun((2.0, 3.0), scale=-1.5, bias=4.0),
    TableMultiFun({(0, 0): 1.0, (0, 1): 2.0, (1, 0): -3.0, (1, 1): 4.5}),
]


def test_values_follow_the_formulas() -> None:
    assert LinearMultiFun((1.0, 2.0, 3.0))((2, 3, 4)) == 20.0
    assert AffineMultiFun((1.0, 2.0), bias=5.0)((2, 3)) == 13.0
    assert BilinearMultiFun(1.0, 2.0, 3.0, bias=0.5)((2, 3)) == 26.5
    # x + 2y + x^2 + y^2 + 3xy + 5 at (2, 3)
    assert QuadraticMultiFun((1.0, 2.0), (1.0, 1.0), (3.0,), bias=5.0)((2, 3)) == 44.0
    # interactions are ordered (0, 1), (0, 2), (1, 2)
    assert QuadraticMultiFun((0.0,) * 3, (0.0,) * 3, (1.0, 2.0, 10.0))((2, 3, 4)) == 6 + 16 + 120
    # 2x + 3y + x^2 y + 1 at (2, 3)
    assert EXAMPLES[4]((2, 3)) == 26.0
    assert ProductMultiFun((0.5, 0.5))((4, 9)) == pytest.approx(6.0)
    assert ProductMultiFun((1.0, 1.0), scale=2.0, bias=1.0)((3, 4)) == 25.0
    assert TableMultiFun({("red", "big"): 1.0})(("red", "big")) == 1.0
    assert LambdaMultiFun(max, bias=1.0)((2, 7)) == 8.0


def test_a_table_refuses_a_tuple_it_lacks() -> None:
    with pytest.raises(KeyError):
        TableMultiFun({(0, 0): 1.0})((0, 1))


@pytest.mark.parametrize("f", EXAMPLES, ids=lambda f: type(f).__name__)
def test_shift_and_scale_change_every_value(f: BaseMultiFun) -> None:
    shifted, scaled = f.shift_by(1.5), f.scale_by(-2.0)
    for x in itertools.product((0, 1), repeat=f.dim):
        assert shifted(x) == pytest.approx(f(x) + 1.5)
        assert scaled(x) == pytest.approx(f(x) * -2.0)


def test_linear_shifts_into_an_affine_and_scales_into_a_linear() -> None:
    f = LinearMultiFun((1.0, 2.0))
    assert f.shift_by(3.0) == AffineMultiFun((1.0, 2.0), 3.0)
    assert f.scale_by(2.0) == LinearMultiFun((2.0, 4.0))
    assert f.bias == 0.0 and f.dim == 2


def test_dims() -> None:
    assert [f.dim for f in EXAMPLES] == [2, 2, 2, 2, 2, 2, 2]
    assert QUAD3.dim == 3
    with pytest.raises(ValueError, match="no dimension"):
        _ = PolynomialMultiFun(()).dim


def _brute(f: BaseMultiFun, lo: float, hi: float, n: int = 61) -> tuple[float, float]:
    grid = np.linspace(lo, hi, n)
    values = [f(x) for x in itertools.product(grid, repeat=f.dim)]
    return min(values), max(values)


@pytest.mark.parametrize("f", [*EXAMPLES[:4], QUAD3, ProductMultiFun((2.0, 1.0))])
def test_minmax_on_continuous_issues_is_exact(f: BaseMultiFun) -> None:
    issues = [make_issue((-3.0, 4.0), f"x{k}") for k in range(f.dim)]
    low, high = f.minmax(issues)
    b_low, b_high = _brute(f, -3.0, 4.0)
    # Never inside the sampled range, and within the grid's reach of it.
    assert low <= b_low + 1e-9 and high >= b_high - 1e-9
    assert (low, high) == pytest.approx((b_low, b_high), abs=0.05)


def test_quadratic_finds_an_interior_maximum_sampling_misses() -> None:
    issues = [make_issue((-3.0, 4.0), f"x{k}") for k in range(3)]
    # The maximum 11.1625 is on a face, between NegMAS's ten samples (11.032...).
    assert QUAD3.minmax(issues) == pytest.approx((-51.7, 11.1625))


def test_product_range_crossing_zero_uses_zero() -> None:
    f = ProductMultiFun((2.0, 1.0))  # x^2 * y: x^2 is lowest at 0, inside (-2, 3)
    assert f.minmax([make_issue((-2.0, 3.0), "x"), make_issue((-1.0, 1.0), "y")]) == (-9.0, 9.0)
    assert f.minmax([make_issue((-2.0, 3.0), "x"), make_issue((1.0, 2.0), "y")]) == (0.0, 18.0)


@pytest.mark.parametrize("f", EXAMPLES, ids=lambda f: type(f).__name__)
def test_minmax_on_integer_issues_matches_every_combination(f: BaseMultiFun) -> None:
    issues = [
        make_issue((0, 1) if isinstance(f, TableMultiFun) else (-2, 3), f"i{k}")
        for k in range(f.dim)
    ]
    values = [f(x) for x in itertools.product(*(i.values for i in issues))]
    assert f.minmax(issues) == (min(values), max(values))
    assert f.min(issues) == min(values) and f.max(issues) == max(values)


def test_minmax_refuses_what_it_cannot_bound() -> None:
    cont = [make_issue((0.0, 1.0), "x"), make_issue((0.0, 1.0), "y")]
    with pytest.raises(OutcomeSpaceError, match="continuous issue"):
        EXAMPLES[4].minmax(cont)
    with pytest.raises(OutcomeSpaceError, match="not numeric"):
        AffineMultiFun((1.0, 1.0)).minmax([make_issue(["a", "b"], "c"), cont[0]])
    huge = [make_issue(2000, "x"), make_issue(2000, "y")]
    with pytest.raises(OutcomeSpaceError, match="combinations"):
        EXAMPLES[4].minmax(huge)
    assert LambdaMultiFun(sum, min_value=-1.0, max_value=2.0).minmax(cont) == (-1.0, 2.0)


def test_constructors_check_their_arguments() -> None:
    with pytest.raises(ValueError, match="interactions must have 3 entries"):
        QuadraticMultiFun((1.0, 2.0, 3.0), (0.0, 0.0, 0.0), (1.0,))
    with pytest.raises(ValueError, match="quadratic must have 2"):
        QuadraticMultiFun((1.0, 2.0), (0.0,), (1.0,))
    with pytest.raises(TypeError, match=r"slope\[1\]"):
        AffineMultiFun((1.0, "x"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"terms\[0\]"):
        PolynomialMultiFun((3.0,))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="same length"):
        TableMultiFun({(0,): 1.0, (0, 1): 2.0})
    with pytest.raises(TypeError, match="callable"):
        LambdaMultiFun(3)  # type: ignore[arg-type]


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
@pytest.mark.parametrize("f", EXAMPLES, ids=lambda f: type(f).__name__)
def test_plain_data_round_trip_through_a_file(f: BaseMultiFun, suffix: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"f{suffix}"
    dump(f.to_dict(), path)
    back = type(f).from_dict(load(path))
    assert back == f
    assert from_plain(load(path)) == f
    assert pickle.loads(pickle.dumps(f)) == f


def test_a_callable_is_not_plain_data_nor_xml() -> None:
    with pytest.raises(TypeError, match="callable"):
        LambdaMultiFun(sum).to_dict()
    with pytest.raises(NotImplementedError, match="several issues"):
        EXAMPLES[0].xml(0, [make_issue(3, "a"), make_issue(3, "b")])
    with pytest.raises(ValueError, match="dict of a 'AffineMultiFun'"):
        LinearMultiFun.from_dict(AffineMultiFun((1.0,)).to_dict())

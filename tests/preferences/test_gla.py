"""GLAUtilityFunction, value functions' Genius XML, and dump/load of to_dict data.

The GLA numbers are worked out from its formula; NegMAS 0.16 gives the same
utilities for the same factors (checked outside the repository).
"""

from __future__ import annotations

import itertools
import math

import pytest

from palaver.outcomes import OutcomeSpaceError, make_issue, make_os
from palaver.preferences import (
    AffineFun,
    AffineMultiFun,
    AggregatingFun,
    BiasedFun,
    ConstFun,
    GaussianFun,
    GLAUtilityFunction,
    IdentityFun,
    LambdaFun,
    LambdaMultiFun,
    LinearAdditiveUtilityFunction,
    ProductMultiFun,
    QuadraticMultiFun,
    TableFun,
    TableMultiFun,
    TrapezoidalFun,
)
from palaver.serialization import dump, load

ISSUES = [make_issue(5, "A"), make_issue((1, 6), "B"), make_issue(["x", "y"], "C")]
OUTCOMES = list(itertools.product(range(5), range(1, 7), "xy"))


def _gla() -> GLAUtilityFunction:
    return GLAUtilityFunction(
        factors=[
            (("A",), AffineFun(2.0, 1.0)),
            (("A", "B"), QuadraticMultiFun((1.0, -1.0), (0.5, -0.25), (0.3,), 0.2)),
            (("C",), {"x": 1.0, "y": -1.0}),
            ((1, 0), ProductMultiFun((1.0, 2.0), scale=0.5), 0.7),
            (("B",), 3.0),
        ],
        weights=[1.0, 0.5, 2.0, 9.0, 0.25],
        bias=1.5,
        issues=ISSUES,
        reserved_value=0.3,
    )


def _by_hand(a: int, b: int, c: str) -> float:
    quad = a - b + 0.5 * a * a - 0.25 * b * b + 0.3 * a * b + 0.2
    return (
        1.5
        + (2 * a + 1)
        + 0.5 * quad
        + 2.0 * (1 if c == "x" else -1)
        + 0.7 * 0.5 * b * a * a
        + 0.75
    )


def test_utility_is_the_weighted_sum_of_factors() -> None:
    f = _gla()
    for o in OUTCOMES:
        assert f(o) == pytest.approx(_by_hand(*o))  # type: ignore[arg-type]
    assert f(None) == 0.3
    assert f({"A": 2, "B": 3, "C": "y"}) == pytest.approx(_by_hand(2, 3, "y"))
    assert f.weights == [1.0, 0.5, 2.0, 0.7, 0.25]
    assert [i for i, _ in f.factors] == [(0,), (0, 1), (2,), (1, 0), (1,)]
    assert isinstance(f.factors[2][1], TableFun) and isinstance(f.factors[4][1], AffineFun)


def test_converted_factors() -> None:
    f = GLAUtilityFunction(
        [((0, 1), {(0, 0): 1.0, (1, 1): 4.0}), ((0, 1), 10.0), ((0, 1), lambda x: x[0] - x[1])],
        outcome_space=make_os([make_issue(2), make_issue(2)]),
    )
    assert isinstance(f.factors[0][1], TableMultiFun)
    assert isinstance(f.factors[1][1], AffineMultiFun)
    assert isinstance(f.factors[2][1], LambdaMultiFun)
    assert f((1, 1)) == 14.0 and f((0, 0)) == 11.0
    single = GLAUtilityFunction([((0,), lambda x: x * x)], issues=[make_issue(4)])
    assert isinstance(single.factors[0][1], LambdaFun) and single((3,)) == 9.0


def test_minmax_is_exact() -> None:
    f = _gla()
    utils = [f(o) for o in OUTCOMES]
    assert f.minmax() == pytest.approx((min(utils), max(utils)))
    # Disjoint factors are bounded one by one, also over continuous issues.
    g = GLAUtilityFunction(
        [
            (("p", "q"), QuadraticMultiFun((1.0, 0.0), (-1.0, 0.0), (0.5,))),
            (("r",), AffineFun(-2.0)),
        ],
        issues=[
            make_issue((0.0, 2.0), "p"),
            make_issue((0.0, 1.0), "q"),
            make_issue((0.0, 3.0), "r"),
        ],
    )
    # p - p^2 + pq peaks at p = 0.75 with q = 1 (0.5625); lowest -2 at (2, 0); r adds 0 or -6.
    assert g.minmax() == pytest.approx((-8.0, 0.5625))
    normalized = g.normalize()
    assert normalized((0.75, 1.0, 0.0)) == pytest.approx(1.0)


def test_factors_sharing_an_issue_over_a_continuous_space_are_refused() -> None:
    g = GLAUtilityFunction(
        [((0,), AffineFun(1.0)), ((0,), AffineFun(2.0))], issues=[make_issue((0.0, 1.0))]
    )
    with pytest.raises(OutcomeSpaceError):
        g.minmax()


def test_shift_and_scale() -> None:
    f = _gla()
    shifted, scaled = f.shift_by(2.0), f.scale_by(3.0, scale_reserved=False)
    for o in OUTCOMES[::7]:
        assert shifted(o) == pytest.approx(f(o) + 2.0)
        assert scaled(o) == pytest.approx(f(o) * 3.0)
    assert shifted.reserved_value == pytest.approx(2.3) and scaled.reserved_value == 0.3
    with pytest.raises(ValueError, match="scale must be >= 0"):
        f.scale_by(-1.0)
    named = GLAUtilityFunction([((0,), 1.0)], issues=[make_issue(2)], name="g")
    assert named.shift_by(1.0).name == named.scale_by(2.0).name == "g"


def test_bad_factors_are_named() -> None:
    with pytest.raises(ValueError, match="Issue name 'Z' not found"):
        GLAUtilityFunction([(("Z",), 1.0)], issues=ISSUES)
    with pytest.raises(ValueError, match="2 weights for 1 factors"):
        GLAUtilityFunction([((0,), 1.0)], weights=[1.0, 2.0])
    with pytest.raises(TypeError, match=r"factors\[0\]"):
        GLAUtilityFunction([((0,), "nope")])
    # A number where a factor goes raised "object of type 'int' has no len()".
    with pytest.raises(TypeError, match=r"factors\[1\] must be \(issues, fun\) .*got 2"):
        GLAUtilityFunction([((0,), 1.0), 2])  # type: ignore[list-item]
    f = GLAUtilityFunction([((0,), {"x": 1.0})], issues=[make_issue(["x", "y"])])
    with pytest.raises(ValueError, match="factor 0"):
        f(("y",))


def test_xml_is_refused() -> None:
    with pytest.raises(NotImplementedError, match="Genius XML"):
        _gla().xml()


@pytest.mark.parametrize("suffix", [".json", ".yml"])
def test_gla_round_trips_through_a_file(suffix: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    f = _gla()
    path = tmp_path / f"gla{suffix}"
    dump(f.to_dict(), path)
    back = GLAUtilityFunction.from_dict(load(path))
    assert back.outcome_space == f.outcome_space and back.reserved_value == 0.3
    assert [back(o) for o in OUTCOMES] == [f(o) for o in OUTCOMES]


def test_random_is_seeded_and_respects_its_limits() -> None:
    a = GLAUtilityFunction.random(issues=ISSUES, n_factors=6, max_factor_issues=2, seed=4)
    b = GLAUtilityFunction.random(issues=ISSUES, n_factors=6, max_factor_issues=2, seed=4)
    assert len(a.factors) == 6 and all(len(i) <= 2 for i, _ in a.factors)
    assert [a(o) for o in OUTCOMES] == [b(o) for o in OUTCOMES]
    assert sum(a.weights) == pytest.approx(1.0) and 0.0 <= a.reserved_value <= 1.0
    assert all(not math.isnan(a(o)) for o in OUTCOMES)


def test_linear_additive_round_trips_through_yaml(tmp_path) -> None:  # type: ignore[no-untyped-def]
    issues = [make_issue((0.0, 10.0), "price"), make_issue(["a", "b"], "kind"), make_issue(4, "n")]
    values = [
        TrapezoidalFun(0.0, 2.0, 8.0, 10.0),
        {"a": 0.25, "b": 1.0},
        AggregatingFun((GaussianFun(2.0, 1.0), ConstFun(0.1)), (1.0, 2.0)),
    ]
    u = LinearAdditiveUtilityFunction(values, (0.6, 0.3, 0.1), bias=0.5, issues=issues)
    dump(u.to_dict(), tmp_path / "u.yaml")
    back = LinearAdditiveUtilityFunction.from_dict(load(tmp_path / "u.yaml"))
    for o in [(3.0, "a", 0), (0.0, "b", 3), (9.5, "a", 2)]:
        assert back(o) == u(o)
    with pytest.raises(TypeError, match="callable"):
        LinearAdditiveUtilityFunction([lambda x: x]).to_dict()


def test_value_function_xml() -> None:
    discrete = make_issue(3, "n")
    xml = IdentityFun().xml(1, discrete, bias=0.5)
    assert xml.startswith('<issue index="2" etype="discrete" type="discrete" vtype="integer"')
    assert '<item index="3" value="2" evaluation="2.5" />' in xml
    cont = make_issue((0.0, 10.0), "x")
    line = BiasedFun(AffineFun(2.0, 1.0), bias=1.0).xml(0, cont)
    assert '<evaluator ftype="linear" parameter0="2.0" parameter1="2.0">' in line
    assert 'parameter0="3.0" parameter1="0.0"' in ConstFun(3.0).xml(0, cont)
    with pytest.raises(NotImplementedError, match="continuous issue"):
        GaussianFun(2.0, 1.0).xml(0, cont)
    named = TableFun({'a "q"': 1.0}).xml(0, make_issue(['a "q"'], "<k>"))
    assert 'name="&lt;k&gt;"' in named and "value='a \"q\"'" in named


def test_dump_and_load_checks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    dump({"b": (1, 2), "a": None}, tmp_path / "plain")
    assert load(tmp_path / "plain.json") == {"a": None, "b": [1, 2]}
    (tmp_path / "empty.json").write_text("")
    assert load(tmp_path / "empty.json") == {}
    with pytest.raises(ValueError, match="extension"):
        dump({}, tmp_path / "x.pickle")
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "missing.yaml")


def test_tables_over_numbers_survive_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    table = TableFun({0: 0.5, 1: 1.0, 2.5: -1.0, (1, "a"): 2.0})
    dump(table.to_dict(), tmp_path / "t.json")
    back = TableFun.from_dict(load(tmp_path / "t.json"))
    assert back == table and back(2.5) == -1.0 and back((1, "a")) == 2.0
    issues = [make_issue(3, "n"), make_issue(["a", "b"], "c")]
    u = LinearAdditiveUtilityFunction(
        [{0: 1.0, 1: 2.0, 2: 4.0}, {"a": 0.0, "b": 1.0}], issues=issues
    )
    dump(u.to_dict(), tmp_path / "u.json")
    again = LinearAdditiveUtilityFunction.from_dict(load(tmp_path / "u.json"))
    assert [again((n, c)) for n in range(3) for c in "ab"] == [
        u((n, c)) for n in range(3) for c in "ab"
    ]
    with pytest.raises(TypeError, match="pairs"):
        TableFun([[1, 2, 3]])  # type: ignore[arg-type]

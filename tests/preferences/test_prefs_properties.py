"""Property-based tests: vectorized and single evaluation agree, normalization, solutions."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from palaver.outcomes import Issue, OutcomeSpace, make_issue
from palaver.preferences import (
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    nash_point,
    pareto_indices,
)

weight = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


@st.composite
def issues(draw: st.DrawFn) -> Issue:
    kind = draw(st.sampled_from(["n", "range", "list", "grid"]))
    if kind == "n":
        return make_issue(draw(st.integers(1, 4)))
    if kind == "range":
        lo = draw(st.integers(-20, 20))
        return make_issue((lo, lo + draw(st.integers(0, 3))))
    if kind == "list":
        return make_issue(["a", "b", "c", "d"][: draw(st.integers(1, 4))])
    lo = draw(st.floats(-5, 5))
    return make_issue((lo, lo + draw(st.floats(0.5, 5)))).discretize(draw(st.integers(2, 4)))


@st.composite
def linear_cases(draw: st.DrawFn) -> tuple[OutcomeSpace, LinearUtilityFunction]:
    space = OutcomeSpace(draw(st.lists(issues(), min_size=1, max_size=4)))
    w = draw(st.lists(weight, min_size=space.n_issues, max_size=space.n_issues))
    ufun = LinearUtilityFunction(w, bias=draw(weight), outcome_space=space)
    return space, ufun


@given(linear_cases())
def test_linear_eval_many_is_bit_identical_to_eval(case: tuple) -> None:
    space, ufun = case
    outcomes = space.enumerate()
    singles = np.array([ufun(o) for o in outcomes])
    assert np.array_equal(ufun.eval_many(outcomes), singles)
    assert np.array_equal(ufun.eval_many(space.to_array(outcomes)), singles)
    assert all(ufun(space.to_dict(o)) == u for o, u in zip(outcomes, singles, strict=True))


@given(linear_cases())
def test_linear_minmax_is_the_enumerated_range(case: tuple) -> None:
    space, ufun = case
    utils = ufun.eval_many(space.enumerate())
    assert ufun.minmax() == (utils.min(), utils.max())


@given(linear_cases())
def test_normalized_values_span_the_unit_interval(case: tuple) -> None:
    space, ufun = case
    lo, hi = ufun.minmax()
    if hi == lo:
        return
    utils = ufun.normalize().eval_many(space.enumerate())
    assert utils.min() == 0.0 and utils.max() == 1.0


def _some_function(value: object) -> float:
    return float(len(repr(value)) ** 2 % 11) / 3.0


@given(linear_cases(), st.data())
def test_additive_eval_many_is_bit_identical_to_eval(case: tuple, data: st.DataObject) -> None:
    space, _ = case
    functions = []
    for issue in space.issues:
        kind = data.draw(st.sampled_from(["none", "dict", "callable"]))
        if kind == "none":
            functions.append(None)
        elif kind == "dict":
            functions.append({v: data.draw(weight) for v in issue.values})
        else:
            functions.append(_some_function)
    ufun = LinearAdditiveUtilityFunction(functions, outcome_space=space)
    outcomes = space.enumerate()
    singles = np.array([ufun(o) for o in outcomes])
    assert np.array_equal(ufun.eval_many(outcomes), singles)
    assert np.array_equal(ufun.eval_many(space.to_array(outcomes)), singles)
    lo, hi = ufun.minmax()
    assert (lo, hi) == (singles.min(), singles.max())


def dominated(u: np.ndarray, i: int) -> bool:
    return bool(((u >= u[i]).all(axis=1) & (u > u[i]).any(axis=1)).any())


@given(
    st.integers(1, 4).flatmap(
        lambda k: arrays(
            float, st.tuples(st.integers(1, 40), st.just(k)), elements=st.integers(0, 5)
        )
    )
)
def test_pareto_indices_are_exactly_the_undominated_rows(u: np.ndarray) -> None:
    front = set(pareto_indices(u).tolist())
    assert front == {i for i in range(len(u)) if not dominated(u, i)}


@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=1, max_size=25, unique=True),
    st.floats(-1, 5),
    st.floats(-1, 5),
)
def test_nash_point_maximizes_the_product_over_rational_outcomes(
    utils: list[tuple[int, int]], r1: float, r2: float
) -> None:
    outcomes = [(i,) for i in range(len(utils))]
    ufuns = [
        MappingUtilityFunction(
            {o: float(u[a]) for o, u in zip(outcomes, utils, strict=True)}, reserved_value=r
        )
        for a, r in ((0, r1), (1, r2))
    ]
    point = nash_point(ufuns, outcomes)
    rational = [(u[0] - r1) * (u[1] - r2) for u in utils if u[0] >= r1 and u[1] >= r2]
    if not rational:
        assert point is None
        return
    assert point is not None
    assert (point.utilities[0] - r1) * (point.utilities[1] - r2) == max(rational)

"""NegMAS's canonical form of a normalized linear(-additive) utility function."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import (
    AffineFun,
    IdentityFun,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    NormalizedLinearAdditiveUtilityFunction,
    NormalizedLinearUtilityFunction,
    NormalizedUtilityFunction,
    TableFun,
)

SPACE = OutcomeSpace([make_issue(10, "a"), make_issue(["x", "y", "z"], "b"), make_issue(5, "c")])
OUTCOMES = SPACE.enumerate()


def skewed(reserved: float = 1.0) -> LinearAdditiveUtilityFunction:
    """Negative weights, negative values, a bias and an issue read as its number."""
    return LinearAdditiveUtilityFunction(
        [{i: (i * 7) % 5 - 2.0 for i in range(10)}, {"x": 1.0, "y": -3.0, "z": 2.5}, None],
        weights=[0.3, -1.2, 0.7],
        bias=4.0,
        reserved_value=reserved,
        outcome_space=SPACE,
    )


def test_linear_additive_normalizes_to_negmas_canonical_form() -> None:
    u = skewed()
    n = u.normalize()
    assert isinstance(n, NormalizedLinearAdditiveUtilityFunction)
    assert isinstance(n, LinearAdditiveUtilityFunction)
    assert (n.weights >= 0).all() and abs(n.weights.sum() - 1.0) < 1e-12 and n.bias == 0.0
    for f, issue in zip(n.values, SPACE.issues, strict=True):
        assert isinstance(f, TableFun) and f.minmax(issue) == (0.0, 1.0)
    raw = u.eval_many(OUTCOMES)
    lo, hi = raw.min(), raw.max()
    got = n.eval_many(OUTCOMES)
    # Exact ends, the same numbers one by one and at once, the reserved value mapped alike.
    assert got.min() == 0.0 and got.max() == 1.0
    assert list(got) == [n.eval(o) for o in OUTCOMES]
    assert np.abs(got - (raw - lo) / (hi - lo)).max() < 1e-12
    assert n.reserved_value == pytest.approx((1.0 - lo) / (hi - lo), abs=1e-15)
    # The canonical weights and tables describe the same function, up to rounding.
    plain = LinearAdditiveUtilityFunction(
        list(n.values), n.weights, bias=n.bias, outcome_space=SPACE
    )
    assert np.abs(plain.eval_many(OUTCOMES) - got).max() < 1e-12


def test_other_ranges_and_repeated_normalization() -> None:
    n = skewed().normalize(to=(2.0, 5.0))
    assert isinstance(n, LinearAdditiveUtilityFunction)
    assert n.bias == 2.0 and abs(n.weights.sum() - 3.0) < 1e-12 and n.minmax() == (2.0, 5.0)
    again = n.normalize()
    assert isinstance(again, NormalizedLinearAdditiveUtilityFunction)
    assert again.minmax() == (0.0, 1.0)
    values = again.eval_many(OUTCOMES)
    assert values.min() == 0.0 and values.max() == 1.0


def test_ties_of_the_original_stay_ties() -> None:
    # 7 + 0.5 * 4 == 8 + 0.5 * 2: the canonical form's own sums round these apart,
    # which changed the offer an aspiration negotiator picked (NegMAS picks (7, 4)).
    trade = [make_issue(10, "price"), make_issue(5, "quantity")]
    u = LinearAdditiveUtilityFunction(
        {"price": IdentityFun(), "quantity": AffineFun(0.5)}, issues=trade
    ).normalize()
    assert u((7, 4)) == u((8, 2))


def test_an_issue_that_changes_nothing_gets_weight_zero() -> None:
    u = LinearAdditiveUtilityFunction(
        [None, {"x": 1.0, "y": 1.0, "z": 1.0}, None], weights=[1.0, 3.0, 2.0], outcome_space=SPACE
    )
    n = u.normalize()
    assert isinstance(n, LinearAdditiveUtilityFunction)
    assert n.weights[1] == 0.0 and abs(n.weights.sum() - 1.0) < 1e-12
    assert n.values[1].minmax(SPACE.issues[1]) == (0.0, 0.0)  # type: ignore[union-attr]


def test_continuous_issues_keep_the_exact_wrapper() -> None:
    space = OutcomeSpace([make_issue((0.0, 1.0), "cost"), make_issue(3, "n")])
    n = LinearAdditiveUtilityFunction([None, None], weights=[2.0, 1.0], outcome_space=space)
    normalized = n.normalize()
    assert isinstance(normalized, NormalizedUtilityFunction)
    assert normalized.minmax() == (0.0, 1.0)


def test_linear_functions_onto_unit_range_become_canonical() -> None:
    space = OutcomeSpace([make_issue(10, "a"), make_issue(5, "b")])
    u = LinearUtilityFunction([1.0, -2.0], bias=3.0, reserved_value=4.0, outcome_space=space)
    n = u.normalize()
    assert isinstance(n, LinearAdditiveUtilityFunction) and abs(n.weights.sum() - 1.0) < 1e-12
    outcomes = list(itertools.product(range(10), range(5)))
    raw = u.eval_many(outcomes)
    assert np.abs(n.eval_many(outcomes) - (raw - raw.min()) / np.ptp(raw)).max() < 1e-12
    # NegMAS keeps its own map (a linear function) for other ranges: so does Palaver,
    # computing through the exact wrapper.
    other = u.normalize(to=(0.0, 2.0))
    assert isinstance(other, NormalizedLinearUtilityFunction)
    assert isinstance(other.image, NormalizedUtilityFunction)


def test_canonical_form_round_trips_as_plain_data() -> None:
    n = skewed().normalize()
    back = LinearAdditiveUtilityFunction.from_dict(n.to_dict())
    assert type(back) is LinearAdditiveUtilityFunction
    assert np.abs(back.eval_many(OUTCOMES) - n.eval_many(OUTCOMES)).max() < 1e-12


def test_normal_form_checks_its_range() -> None:
    u = skewed()
    with pytest.raises(TypeError, match="to must be a"):
        u.normal_form("ab")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="low < high"):
        u.normal_form((1.0, 1.0))
    form = u.normal_form((0.0, 2.0))
    assert form is not None and abs(form.weights.sum() - 2.0) < 1e-12

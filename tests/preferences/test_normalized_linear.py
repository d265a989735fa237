"""A linear function normalized onto a range other than [0, 1] stays linear, with exact ends."""

from __future__ import annotations

import copy
import pickle

import numpy as np

from palaver.outcomes import make_issue, make_os
from palaver.preferences import (
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    NormalizedLinearUtilityFunction,
)


def _ufun() -> LinearUtilityFunction:
    space = make_os([make_issue(10, "a"), make_issue((0.0, 1.0), "b")])
    return LinearUtilityFunction([1.0, 0.3], bias=10.0, outcome_space=space, reserved_value=12.0)


def test_non_unit_range_gives_a_linear_function_with_mapped_weights() -> None:
    u = _ufun()
    n = u.normalize((0.0, 10.0))
    assert isinstance(n, NormalizedLinearUtilityFunction)
    assert isinstance(n, LinearUtilityFunction)
    scale = 10.0 / 9.3
    assert np.allclose(n.weights, [scale, 0.3 * scale]) and abs(n.bias) < 1e-12
    assert n((0, 0.0)) == 0.0 and n((9, 1.0)) == 10.0  # exact ends
    assert n.minmax() == (0.0, 10.0)
    assert abs(n.reserved_value - 2.0 * scale) < 1e-12
    for o in [(3, 0.5), (7, 0.25)]:
        assert abs(n(o) - (n.weights @ np.array(o, dtype=float) + n.bias)) < 1e-12
    assert n.eval_many([(0, 0.0), (9, 1.0)]).tolist() == [0.0, 10.0]


def test_unit_range_and_additive_functions_keep_their_forms() -> None:
    u = _ufun()
    space = make_os([make_issue(10, "a"), make_issue(3, "b")])
    discrete = LinearUtilityFunction([1.0, 0.3], bias=10.0, outcome_space=space)
    assert type(discrete.normalize()).__name__ == "NormalizedLinearAdditiveUtilityFunction"
    additive = LinearAdditiveUtilityFunction([None, None], [1.0, 2.0], outcome_space=space)
    assert not isinstance(additive.normalize((0.0, 10.0)), NormalizedLinearUtilityFunction)
    n = u.normalize((0.0, 10.0))
    for other in (copy.deepcopy(n), pickle.loads(pickle.dumps(n))):
        assert other((9, 1.0)) == 10.0 and np.array_equal(other.weights, n.weights)


def test_scenario_unwrap_reads_the_exact_map() -> None:
    from palaver.scenarios.transform import unwrap

    u = _ufun()
    inner, scale, shift = unwrap(u.normalize((0.0, 10.0)))
    assert inner is u  # the original, not the mapped weights
    assert abs(scale - 10.0 / 9.3) < 1e-12 and abs(shift + 10.0 * scale) < 1e-9

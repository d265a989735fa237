"""A range utility function's exact range without enumerating its outcome space."""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest

from palaver.outcomes import make_issue, make_os
from palaver.preferences import HyperRectangleUtilityFunction
from palaver.preferences.outcome_ranges import RangeUtilityFunction
from palaver.preferences.range_extremes import range_extreme_outcomes


def _random_ufun(seed: int) -> RangeUtilityFunction:
    rng = random.Random(seed)
    issues = [make_issue(rng.randint(2, 5), f"n{k}") for k in range(3)]
    issues.append(make_issue(["a", "b", "c"], "kind"))
    ranges: list[dict[Any, Any] | None] = []
    for _ in range(rng.randint(1, 7)):
        box: dict[Any, Any] = {}
        for k in rng.sample(range(4), rng.randint(1, 3)):
            if k == 3:
                box["kind"] = rng.choice(["a", ["a", "c"], "b"])
            elif rng.random() < 0.3:
                box[k] = rng.randint(0, 3)  # one value
            else:
                lo = rng.uniform(-1.0, 3.0)
                box[k] = (lo, lo + rng.uniform(0.5, 3.0))
        ranges.append(box if rng.random() > 0.1 else None)
    # Few distinct utilities make ties (equal sums from different ranges) common.
    utilities = [rng.choice([-2.0, -0.1, 0.1, 0.2, 0.3, 1.0]) for _ in ranges]
    weights = [rng.choice([1.0, 0.5, 3.0]) for _ in ranges]
    return HyperRectangleUtilityFunction(
        outcome_ranges=ranges,
        utilities=utilities,
        weights=weights,
        bias=rng.uniform(-1.0, 1.0),
        outcome_space=make_os(issues),
    )


@pytest.mark.parametrize("seed", range(60))
def test_range_is_exactly_the_enumerated_one(seed: int) -> None:
    u = _random_ufun(seed)
    assert isinstance(u, RangeUtilityFunction)
    space = u.outcome_space
    assert space is not None
    assert range_extreme_outcomes(u, space) is not None  # the search ran, not the fallback
    utils = [u(o) for o in itertools.product(*(list(i.all) for i in space.issues))]
    assert u.minmax() == (min(utils), max(utils))  # bit for bit


def test_large_space_is_not_enumerated_and_normalizes_exactly() -> None:
    issues = [make_issue(10, f"x{k}") for k in range(30)]  # 10**30 outcomes
    ranges = [
        {(3 * r + j) % 30: (float(r % 6), float(r % 6 + 3)) for j in range(3)} for r in range(60)
    ]
    u = HyperRectangleUtilityFunction(
        outcome_ranges=ranges,
        utilities=[float(r % 9 + 1) for r in range(60)],
        outcome_space=make_os(issues),
        reserved_value=0.0,
    )
    lo, hi = u._range_extremes()
    assert lo == 0.0 and hi > 0.0
    worst, best = range_extreme_outcomes(u, u.outcome_space)  # type: ignore[misc, arg-type]
    assert (u(worst), u(best)) == (lo, hi)
    normalized = u.normalize()
    assert normalized(best) == 1.0 and normalized(worst) == 0.0


def test_search_declines_what_it_cannot_do() -> None:
    space = make_os([make_issue(3, "a"), make_issue(3, "b")])
    by_call = HyperRectangleUtilityFunction(
        outcome_ranges=[{0: (0.5, 2.5)}], utilities=[lambda o: float(o[1])], outcome_space=space
    )
    assert range_extreme_outcomes(by_call, space) is None
    assert by_call.minmax() == (0.0, 2.0)  # enumerated instead
    other = make_os([make_issue(2, "a"), make_issue(2, "b")])
    plain = HyperRectangleUtilityFunction(
        outcome_ranges=[{0: (0.5, 2.5)}], utilities=[1.0], outcome_space=space
    )
    assert range_extreme_outcomes(plain, other) is None  # ranges keyed for the own space
    assert plain.minmax(other) == (0.0, 1.0)

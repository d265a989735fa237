"""compare_ufuns (NegMAS's): Kendall's tau-b, NDCG and the Euclidean distance,
checked against their definitions computed pair by pair."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from palaver.outcomes import make_issue, make_os
from palaver.preferences import (
    LinearAdditiveUtilityFunction,
    MappingUtilityFunction,
    compare_ufuns,
)
from palaver.preferences.compare import kendall_tau_b, ndcg


def _tau_b_by_pairs(x: list[float], y: list[float]) -> float:
    concordant = discordant = only_x = only_y = 0
    for (a, b), (c, d) in itertools.combinations(zip(x, y, strict=True), 2):
        if a == c and b == d:
            continue
        if a == c:
            only_x += 1
        elif b == d:
            only_y += 1
        elif (a - c) * (b - d) > 0:
            concordant += 1
        else:
            discordant += 1
    denominator = math.sqrt((concordant + discordant + only_x) * (concordant + discordant + only_y))
    return (concordant - discordant) / denominator if denominator else math.nan


def test_kendall_tau_b_is_the_pairwise_definition_with_ties() -> None:
    rng = np.random.default_rng(3)
    for n in (2, 3, 7, 40, 129):
        for levels in (2, 5, 1000):
            x = rng.integers(0, levels, n).tolist()
            y = rng.integers(0, levels, n).tolist()
            got, want = kendall_tau_b(x, y), _tau_b_by_pairs(x, y)
            assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want)
    assert math.isnan(kendall_tau_b([1, 1, 1], [1, 2, 3]))
    with pytest.raises(ValueError, match="two vectors of one length"):
        kendall_tau_b([1, 2], [1, 2, 3])


def test_ndcg_averages_tied_scores() -> None:
    gains = [3.0, 2.0, 0.0, 1.0]
    discounts = [1 / math.log2(i + 2) for i in range(4)]
    ideal = sum(g * d for g, d in zip(sorted(gains, reverse=True), discounts, strict=True))
    assert ndcg(gains, gains) == 1.0
    # Ranked by the score: 0.0 (score 9), then 3 and 2 tied (score 5), then 1.
    got = ndcg(gains, [5, 5, 9, 1])
    want = 0 * discounts[0] + 2.5 * (discounts[1] + discounts[2]) + 1 * discounts[3]
    assert got == pytest.approx(want / ideal)
    assert ndcg([0, 0], [1, 2]) == 0.0


def test_compare_ufuns_methods_on_a_space() -> None:
    issues = [make_issue(10, "x"), make_issue(["a", "b", "c"], "y")]
    up = LinearAdditiveUtilityFunction([None, {"a": 0, "b": 1, "c": 2}], outcome_space=issues)
    down = LinearAdditiveUtilityFunction(
        [lambda v: -v, {"a": 0, "b": -1, "c": -2}], outcome_space=issues
    )
    doubled = up.scale_by(2.0)
    assert compare_ufuns(up, up) == 1.0 and compare_ufuns(up, down) == -1.0
    assert compare_ufuns(up, down, "kendall_optimality") == 0.0
    assert compare_ufuns(up, doubled, "euclidean") == 0.0
    assert compare_ufuns(up, doubled, "euclidean", normalize=False) == pytest.approx(0.5)
    assert compare_ufuns(up, up, "ndcg") == pytest.approx(1.0)
    assert 0 < compare_ufuns(up, down, "ndcg") < 1
    assert compare_ufuns(up, down, lambda a, b: float(np.abs(a + b - 1).max())) == 0.0
    assert compare_ufuns(None, up) == -1.0 and compare_ufuns(up, None, "ndcg") == 0.0
    # A constant function ranks nothing: tau is undefined, reported as -1 (NegMAS's).
    flat = MappingUtilityFunction(lambda o: 1.0, outcome_space=make_os(issues))
    assert compare_ufuns(up, flat) == -1.0


def test_compare_ufuns_samples_a_large_space_from_its_seed() -> None:
    issues = [make_issue(1000, "x"), make_issue(1000, "y")]
    u = LinearAdditiveUtilityFunction([None, None], outcome_space=issues)
    v = LinearAdditiveUtilityFunction([None, lambda y: 0.5 * y], outcome_space=issues)
    first = compare_ufuns(u, v, max_samples=500, seed=7)
    assert first == compare_ufuns(u, v, max_samples=500, seed=7)
    assert 0.5 < first < 1.0
    assert compare_ufuns(u, v, outcomes=[(0, 0), (1, 1), (2, 1)]) == 1.0


def test_compare_ufuns_refuses_what_it_cannot_use() -> None:
    u = MappingUtilityFunction({("a",): 1.0, ("b",): 0.0})
    with pytest.raises(ValueError, match="Unknown method 'nope'"):
        compare_ufuns(u, u, "nope")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no outcome space"):
        compare_ufuns(u, u)
    with pytest.raises(ValueError, match="max_samples must be an int >= 1"):
        compare_ufuns(u, u, max_samples=0)
    with pytest.raises(TypeError, match="normalize must be True or False"):
        compare_ufuns(u, u, normalize="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no outcomes to compare on"):
        compare_ufuns(u, u, outcomes=[])

"""OutcomeRanking's order is the stable argsort of the utilities, ties or not."""

from __future__ import annotations

import numpy as np

from palaver.negotiators import OutcomeRanking
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearUtilityFunction, MappingUtilityFunction


def test_distinct_utilities_sort_like_the_stable_sort() -> None:
    space = OutcomeSpace([make_issue(10, "a"), make_issue(10, "b"), make_issue(10, "c")])
    for seed in range(5):
        w = np.random.default_rng(seed).random(3)
        ufun = LinearUtilityFunction(list(w), outcome_space=space)
        ranking = OutcomeRanking(ufun, space)
        utils = ufun.eval_many(space.to_array(space.enumerate()))
        expected = [space.enumerate()[i] for i in np.argsort(utils, kind="stable")]
        assert ranking.outcomes == expected


def test_tied_utilities_keep_their_enumeration_order() -> None:
    space = OutcomeSpace([make_issue(20, "a"), make_issue(20, "b")])
    outcomes = space.enumerate()
    # Many equal utilities (a + b), so an unstable sort would reorder them.
    ufun = LinearUtilityFunction([1.0, 1.0], outcome_space=space)
    ranking = OutcomeRanking(ufun, space)
    utils = np.array([a + b for a, b in outcomes], dtype=float)
    assert ranking.outcomes == [outcomes[i] for i in np.argsort(utils, kind="stable")]
    table = {o: float(np.float64(len(outcomes) - i) // 7) for i, o in enumerate(outcomes)}
    mapped = OutcomeRanking(MappingUtilityFunction(table, outcome_space=space), space)
    values = np.array([table[o] for o in outcomes])
    assert mapped.outcomes == [outcomes[i] for i in np.argsort(values, kind="stable")]

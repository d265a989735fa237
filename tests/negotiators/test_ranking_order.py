"""OutcomeRanking's order is the stable argsort of the utilities, ties or not."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from palaver.negotiators import OutcomeRanking
from palaver.negotiators import ranking as ranking_module
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearUtilityFunction, MappingUtilityFunction


@pytest.fixture(params=[True, False], ids=["radix-first", "unstable-then-check"])
def sort_path(request: pytest.FixtureRequest) -> Iterator[None]:
    """Both sorts OutcomeRanking may pick on a CPU (see ranking._radix_first)."""
    kept = ranking_module._RADIX_FIRST[0]
    ranking_module._RADIX_FIRST[0] = request.param
    yield
    ranking_module._RADIX_FIRST[0] = kept


@pytest.mark.usefixtures("sort_path")
def test_distinct_utilities_sort_like_the_stable_sort() -> None:
    space = OutcomeSpace([make_issue(10, "a"), make_issue(10, "b"), make_issue(10, "c")])
    for seed in range(5):
        w = np.random.default_rng(seed).random(3)
        ufun = LinearUtilityFunction(list(w), outcome_space=space)
        ranking = OutcomeRanking(ufun, space)
        utils = ufun.eval_many(space.to_array(space.enumerate()))
        expected = [space.enumerate()[i] for i in np.argsort(utils, kind="stable")]
        assert ranking.outcomes == expected


@pytest.mark.usefixtures("sort_path")
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


def test_a_linear_ufun_keeps_its_ranking_while_unchanged() -> None:
    import gc
    import weakref

    from palaver.negotiators import ranking_cache, ranking_for

    space = OutcomeSpace([make_issue(10, "a"), make_issue(10, "b")])
    other = OutcomeSpace([make_issue(5, "a"), make_issue(5, "b")])
    ufun = LinearUtilityFunction([1.0, 0.5], outcome_space=space)
    first = ranking_for(ufun, space)
    assert ranking_for(ufun, space) is first
    assert ranking_for(ufun, other) is not first  # another space: another ranking
    ufun.outcome_space = other  # the fingerprint changes: ranked anew
    assert ranking_for(ufun, space) is not first
    # A mapping (mutable table) is never reused outside an explicit scope...
    table = {o: float(sum(o)) for o in space.enumerate()}
    mapped = MappingUtilityFunction(table, outcome_space=space)
    assert ranking_for(mapped, space) is not ranking_for(mapped, space)
    # ...but is inside ranking_cache().
    with ranking_cache():
        assert ranking_for(mapped, space) is ranking_for(mapped, space)
    # Keeping rankings creates no reference cycle: the ufun dies with its last reference.
    ref = weakref.ref(ufun)
    del ufun, first
    enabled = gc.isenabled()
    gc.disable()
    try:
        assert ref() is None
    finally:
        if enabled:
            gc.enable()

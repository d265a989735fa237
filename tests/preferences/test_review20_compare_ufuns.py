"""compare_ufuns on utilities that are not finite (review of session 20)."""

from __future__ import annotations

import math

import pytest

from palaver.outcomes import make_issue, make_os
from palaver.preferences import MappingUtilityFunction, compare_ufuns


@pytest.mark.parametrize("method", ["kendall", "kendall_optimality", "ndcg", "euclidean"])
def test_a_nan_utility_is_named_not_compared(method: str) -> None:
    # It gave kendall -1 (as a constant function), ndcg 0 and euclidean the norm of u2.
    space = make_os([make_issue(4, "a")])
    holed = MappingUtilityFunction(
        {(0,): 0.1, (1,): 0.5, (2,): 0.9, (3,): math.nan}, outcome_space=space
    )
    whole = MappingUtilityFunction(
        {(0,): 0.1, (1,): 0.5, (2,): 0.9, (3,): 0.2}, outcome_space=space
    )
    with pytest.raises(ValueError, match=r"ufun1 gives no finite utility to 1 of the 4 .*\(3,\)"):
        compare_ufuns(holed, whole, method=method)
    with pytest.raises(ValueError, match=r"ufun2 gives no finite utility"):
        compare_ufuns(whole, holed, method=method)

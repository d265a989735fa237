"""Rankings and the helpers built on sorted utilities refuse a NaN utility.

``RankOnlyUtilityFunction`` gave every outcome rank 0 when one utility was NaN
(each comparison with it false), ``make_rank_ufun`` gave the NaN outcome the
top rank, and ``calc_reserved_value`` sorted it to an arbitrary place; each now
names the utility function and the outcome. The generator helpers refuse what
they silently turned into NaN or zeros.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from palaver.outcomes import make_issue, make_os
from palaver.preferences import (
    LinearUtilityFunction,
    MappingUtilityFunction,
    RankOnlyUtilityFunction,
    calc_reserved_value,
    distribute_integer_randomly,
    make_rank_ufun,
    sample_between,
)

SPACE = make_os([make_issue(3, "a")])
NAN_AT_1 = MappingUtilityFunction({(0,): 1.0, (1,): math.nan, (2,): 0.0}, outcome_space=SPACE)


@pytest.mark.parametrize(
    "use",
    [
        lambda: RankOnlyUtilityFunction(NAN_AT_1),
        lambda: make_rank_ufun(NAN_AT_1),
        lambda: calc_reserved_value(NAN_AT_1, fraction=0.5),
    ],
    ids=["RankOnlyUtilityFunction", "make_rank_ufun", "calc_reserved_value"],
)
def test_a_nan_utility_is_refused_naming_the_outcome(use: Callable[[], Any]) -> None:
    with pytest.raises(ValueError, match=r"gives NaN for outcome \(1,\)"):
        use()


def test_ranks_of_numbers_are_unchanged() -> None:
    ranked = RankOnlyUtilityFunction(LinearUtilityFunction([1.0], outcome_space=SPACE))
    assert [ranked((i,)) for i in range(3)] == [0, 1, 2]
    assert calc_reserved_value(LinearUtilityFunction([1.0], outcome_space=SPACE), 0.5) == 0.5


@pytest.mark.parametrize(
    ("use", "fragment"),
    [
        (lambda: calc_reserved_value(NAN_AT_1, fraction=math.nan), "fraction must be a number"),
        (lambda: sample_between(math.nan, 1.0, 3), "start must be a finite number, got nan"),
        (lambda: sample_between(0.0, "1", 3), "end must be a finite number"),
        (lambda: sample_between(0.0, 1.0, 2.5), "n must be an integer"),
        (lambda: distribute_integer_randomly(-1, 3), "n must be an integer >= 0, got -1"),
        (lambda: distribute_integer_randomly(4, 1.5), "m must be an integer >= 0"),
    ],
)
def test_helpers_refuse_what_they_read_as_nan_or_zero(
    use: Callable[[], Any], fragment: str
) -> None:
    with pytest.raises((TypeError, ValueError), match=fragment):
        use()

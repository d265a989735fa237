"""NegMAS's discretizers, limit_cardinality and to_discrete(method=...)."""

from __future__ import annotations

import pytest

from palaver.outcomes import (
    DISCRETIZERS,
    BalancedOutcomeCountsInUFunBinsDiscretizer,
    BalancedOutcomeCountsInUFunsBinsDiscretizer,
    BalancedUFunsVarianceDiscretizer,
    BalancedUFunVarianceDiscretizer,
    DefaultDiscretizer,
    GridBasedDiscretizer,
    OutcomeSpace,
    OutcomeSpaceError,
    SubsetCartesianOutcomeSpace,
    get_discretizer,
    make_issue,
)
from palaver.preferences import MappingUtilityFunction


def unit_square() -> OutcomeSpace:
    return OutcomeSpace([make_issue((0.0, 1.0), "a"), make_issue((0.0, 1.0), "b")])


def grid(*cards: int) -> OutcomeSpace:
    return OutcomeSpace([make_issue(c, f"i{k}") for k, c in enumerate(cards)])


def test_grid_discretizer_lowers_levels_to_fit() -> None:
    assert DefaultDiscretizer is GridBasedDiscretizer
    d = GridBasedDiscretizer()
    assert (d.max_outcomes, d.min_levels, d.levels) == (None, None, 10)
    assert GridBasedDiscretizer()(unit_square()).cardinality == 100
    assert GridBasedDiscretizer(max_outcomes=100, min_levels=5)(unit_square()).cardinality == 25
    small = GridBasedDiscretizer(max_outcomes=20, min_levels=5)(unit_square())
    assert small.cardinality == 16
    assert small.issues[0].all_values == pytest.approx([0.0, 1 / 3, 2 / 3, 1.0])
    discrete = grid(3, 4)
    assert GridBasedDiscretizer(max_outcomes=12)(discrete) is discrete
    with pytest.raises(ValueError, match="limit_cardinality"):
        GridBasedDiscretizer(max_outcomes=11)(discrete)
    mixed = OutcomeSpace([make_issue(100, "d"), make_issue((0.0, 1.0), "c")])
    with pytest.raises(ValueError, match="max_cardinality"):
        GridBasedDiscretizer(max_outcomes=50)(mixed)
    with pytest.raises(ValueError, match="max_outcomes must be an int >= 1 or None, got 0"):
        GridBasedDiscretizer(max_outcomes=0)


@pytest.mark.parametrize(
    ("cards", "cap", "levels", "want"),
    [
        ((5, 5), 10, None, [3, 3]),
        ((10, 3), 12, None, [4, 3]),
        ((1000, 980), 10_000, None, [100, 100]),
        ((5, 5), None, 3, [3, 3]),
        ((5, 5), 10, 4, [3, 3]),
    ],
)
def test_limit_cardinality_keeps_evenly_spaced_values(
    cards: tuple[int, ...], cap: int | None, levels: int | None, want: list[int]
) -> None:
    kwargs = {k: v for k, v in (("max_cardinality", cap), ("levels", levels)) if v is not None}
    limited = grid(*cards).limit_cardinality(**kwargs)  # type: ignore[arg-type]
    assert [i.cardinality for i in limited.issues] == want
    assert limited.issues[0].all_values[0] == 0  # ends kept
    assert limited.issues[0].all_values[-1] == cards[0] - 1


def test_limit_cardinality_returns_the_space_when_within_and_refuses_continuous() -> None:
    s = grid(3, 4)
    assert s.limit_cardinality(100, levels=10) is s
    cats = OutcomeSpace([make_issue([f"a{k}" for k in range(10)], "x")]).limit_cardinality(3)
    assert cats.issues[0].all_values == ("a0", "a4", "a9")
    with pytest.raises(OutcomeSpaceError, match="needs a discrete outcome space"):
        unit_square().limit_cardinality(5)


def test_to_discrete_dispatches_on_method() -> None:
    s = unit_square()
    assert s.to_discrete(levels=5).cardinality == 25
    with pytest.raises(ValueError):
        s.to_discrete(levels=10, max_cardinality=40)
    assert s.to_discrete(levels=10, max_cardinality=40, method="grid_based").cardinality == 36
    assert s.to_discrete(method=GridBasedDiscretizer(min_levels=3)).cardinality == 9
    with pytest.raises(ValueError, match="unknown discretizer 'nope'"):
        s.to_discrete(method="nope")
    with pytest.raises(TypeError, match="unexpected keywords"):
        s.to_discrete(n_bins=3)
    assert set(DISCRETIZERS) == {
        "grid_based",
        "balanced_ufun_variance",
        "balanced_ufuns_variance",
        "balanced_outcome_counts_in_ufun_bins",
        "balanced_outcome_counts_in_ufuns_bins",
    }
    assert get_discretizer("balanced_ufun_variance") is BalancedUFunVarianceDiscretizer


def skewed() -> tuple[OutcomeSpace, MappingUtilityFunction]:
    space = OutcomeSpace([make_issue(9, "v")])
    utils = [0, 1, 2, 3, 4, 50, 60, 70, 80]
    return space, MappingUtilityFunction({(k,): float(u) for k, u in enumerate(utils)})


def test_balanced_bins_quantile_against_equal_width() -> None:
    space, u = skewed()
    by_quantile = BalancedUFunVarianceDiscretizer(u, n_bins=3, max_outcomes=3)(space)
    by_width = BalancedOutcomeCountsInUFunBinsDiscretizer(u, n_bins=3, max_outcomes=3)(space)
    assert isinstance(by_quantile, SubsetCartesianOutcomeSpace)
    # NegMAS's documented selections for these utilities
    assert [u(o) for o in by_quantile.enumerate()] == [0.0, 3.0, 60.0]
    assert [u(o) for o in by_width.enumerate()] == [0.0, 50.0, 60.0]
    # no budget: as many from each bin as the smallest has (one here: {50})
    assert BalancedOutcomeCountsInUFunBinsDiscretizer(u, n_bins=3)(space).cardinality == 3
    # a budget larger than a bin: the rest is shared by the others
    assert (
        BalancedOutcomeCountsInUFunBinsDiscretizer(u, n_bins=3, max_outcomes=8)(space).cardinality
        == 8
    )


def test_balanced_multi_ufun_cells_and_validation() -> None:
    s = grid(6, 6)
    outcomes = s.enumerate()
    total = MappingUtilityFunction({o: float(o[0] + o[1]) for o in outcomes})
    diff = MappingUtilityFunction({o: float(o[0] - o[1]) for o in outcomes})
    for cls in (BalancedUFunsVarianceDiscretizer, BalancedOutcomeCountsInUFunsBinsDiscretizer):
        chosen = cls([total, diff], n_bins=2, max_outcomes=8)(s)
        assert chosen.cardinality == 8 and all(o in s for o in chosen.enumerate())
        cells = {(total(o) > 5, diff(o) > 0) for o in chosen.enumerate()}
        assert len(cells) >= 3  # spread over the joint bins
    with pytest.raises(ValueError, match="at least one utility function"):
        BalancedUFunsVarianceDiscretizer([], n_bins=2)
    with pytest.raises(ValueError, match="n_bins must be an int >= 1, got 0"):
        BalancedUFunVarianceDiscretizer(total, n_bins=0)
    with pytest.raises(ValueError, match="does not depend on scipy"):
        BalancedUFunVarianceDiscretizer(total, n_bins=2, grid_optimizer="scipy")


def test_full_grid_is_a_balanced_grid_without_holes() -> None:
    s = grid(20, 20)
    u = MappingUtilityFunction({o: float(o[0] + o[1]) ** 2 for o in s.enumerate()})
    d = BalancedOutcomeCountsInUFunBinsDiscretizer(u, n_bins=5, max_outcomes=25, full_grid=True)
    made = d(s)
    assert not isinstance(made, SubsetCartesianOutcomeSpace)
    assert [i.cardinality for i in made.issues] == [5, 5]
    assert made.issues[0].is_numeric  # numbers stay numbers

    def spread(space: OutcomeSpace) -> float:
        counts = [0] * 5
        for o in space.enumerate():
            counts[min(4, int(u(o) / (38**2 / 5)))] += 1
        return sum((c - 5) ** 2 for c in counts)

    even = OutcomeSpace(
        [make_issue([0, 5, 10, 14, 19], "i0"), make_issue([0, 5, 10, 14, 19], "i1")]
    )
    assert spread(made) < spread(even)
    assert d(s) == made  # deterministic
    continuous = BalancedUFunVarianceDiscretizer(
        lambda o: o[0] * o[1], n_bins=4, max_outcomes=16, full_grid=True
    )(unit_square())
    assert continuous.cardinality == len(continuous.enumerate()) <= 16

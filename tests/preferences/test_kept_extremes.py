"""A utility function keeps its range and extreme outcomes only when its stability allows."""

from __future__ import annotations

from typing import Any

import numpy as np

from palaver.outcomes import make_issue, make_os
from palaver.preferences import (
    STABLE_MAX,
    STABLE_MIN,
    STABLE_ORDERING,
    VOLATILE,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
)


def _space() -> Any:
    return make_os([make_issue(4, "a"), make_issue(3, "b")])


class _Counting(MappingUtilityFunction):
    """Counts its batch evaluations, to see whether a result was recomputed."""

    evaluations = 0
    keeps_results = True  # a subclass keeps only when it says so

    def eval_many(self, outcomes: Any) -> np.ndarray:
        type(self).evaluations += 1
        return super().eval_many(outcomes)


def _counting(stability: Any = None) -> _Counting:
    _Counting.evaluations = 0
    extra = {} if stability is None else {"stability": stability}
    return _Counting(lambda o: float(o[0] * 3 + o[1]), outcome_space=_space(), **extra)


def test_stationary_ufun_keeps_minmax_and_extremes_until_cleared() -> None:
    u = _counting()
    assert u.minmax() == (0.0, 11.0)
    assert u.extreme_outcomes() == ((0, 0), (3, 2))
    n = _Counting.evaluations
    assert u.minmax() == (0.0, 11.0) and u.extreme_outcomes() == ((0, 0), (3, 2))
    assert _Counting.evaluations == n  # answered from what was kept
    assert u._cached_minmax == (0.0, 11.0)
    assert u._cached_extreme_outcomes == ((0, 0), (3, 2))
    u.clear_caches()
    assert u._cached_minmax is None and u._cached_extreme_outcomes is None


def test_volatile_and_partial_stability_keep_only_what_they_promise() -> None:
    volatile = _counting(VOLATILE)
    volatile.minmax()
    volatile.extreme_outcomes()
    assert volatile._cached_minmax is None and volatile._cached_extreme_outcomes is None
    ordering = _counting(STABLE_ORDERING)
    ordering.minmax()
    ordering.extreme_outcomes()
    assert ordering._cached_minmax is None
    assert ordering._cached_extreme_outcomes == ((0, 0), (3, 2))
    ends = _counting(STABLE_MIN | STABLE_MAX)
    ends.minmax()
    ends.extreme_outcomes()
    assert ends._cached_minmax == (0.0, 11.0) and ends._cached_extreme_outcomes is None


def test_another_space_is_not_kept_and_own_space_object_is() -> None:
    u = LinearUtilityFunction(weights=[1.0, 2.0], outcome_space=_space())
    other = make_os([make_issue(2, "a"), make_issue(2, "b")])
    assert u.minmax(other) == (0.0, 3.0)
    assert u._cached_minmax is None
    assert u.minmax(u.outcome_space) == (0.0, 7.0)
    assert u._cached_minmax == (0.0, 7.0)


def test_assigning_an_attribute_forgets_what_was_kept() -> None:
    u = LinearUtilityFunction(weights=[1.0, 2.0], outcome_space=_space())
    assert u.max() == 7.0
    u.outcome_space = make_os([make_issue(2, "a"), make_issue(2, "b")])
    assert u._cached_minmax is None
    assert u.max() == 3.0
    u.stability = STABLE_ORDERING
    assert u._cached_minmax is None


def test_in_place_change_needs_clear_caches() -> None:
    scale = [1.0]
    u = MappingUtilityFunction(lambda o: scale[0] * (o[0] + o[1]), outcome_space=_space())
    assert u.max() == 5.0
    scale[0] = 2.0  # not seen: the documented reason for clear_caches()
    assert u.max() == 5.0
    u.clear_caches()
    assert u.max() == 10.0


def test_constraints_changes_forget_kept_extremes() -> None:
    u = LinearAdditiveUtilityFunction.random(outcome_space=_space())
    u.extreme_outcomes()
    assert u._cached_extreme_outcomes is not None
    u.add_constraint(lambda o: o[0] > 0)
    assert u._cached_extreme_outcomes is None
    worst, best = u.extreme_outcomes()
    assert worst[0] > 0 and best[0] > 0
    assert u._cached_extreme_outcomes == (worst, best)
    u.clear_constraints()
    assert u._cached_extreme_outcomes is None


def test_owner_assignment_keeps_the_range() -> None:
    u = LinearUtilityFunction(weights=[1.0, 2.0], outcome_space=_space())
    u.minmax()
    u.owner = object()
    assert u._cached_minmax == (0.0, 7.0)


def test_kept_inverter_is_seen_and_cleared() -> None:
    u = LinearUtilityFunction(weights=[1.0, 2.0], outcome_space=_space())
    assert u._cached_inverse is None and u._cached_inverse_type is None
    inverter = u.invert()
    assert u._cached_inverse is inverter
    assert u._cached_inverse_type is type(inverter)
    u.clear_caches()
    assert u._cached_inverse is None
    assert u.invert() is not inverter


def test_rank_only_mapping_keeps_the_int_rank_of_no_agreement() -> None:
    from palaver.preferences import RankOnlyUtilityFunction

    ranked = RankOnlyUtilityFunction(
        LinearUtilityFunction([1.0, 1.0], outcome_space=_space(), reserved_value=1.5)
    )
    mapping = ranked.to_mapping_ufun()
    assert type(mapping(None)) is int and type(mapping.reserved_value) is int
    assert mapping(None) == ranked(None)


def test_subclasses_and_derived_functions_compute_each_time() -> None:
    class Learned(LinearUtilityFunction):
        """Changes its state in place, as a learned opponent model does."""

    learned = Learned(weights=[1.0, 2.0], outcome_space=_space())
    learned.minmax()
    learned.extreme_outcomes()
    assert learned._cached_minmax is None and learned._cached_extreme_outcomes is None
    normalized = MappingUtilityFunction(lambda o: float(o[0]), outcome_space=_space()).normalize()
    normalized.minmax()
    assert normalized._cached_minmax is None


def test_learned_opponent_model_range_follows_its_observations() -> None:
    from palaver.negotiators import GSmithFrequencyModel

    model = GSmithFrequencyModel()
    model.outcome_space = _space()
    model._observe((1, 1))
    first = model.extreme_outcomes()[1]
    for _ in range(5):
        model._observe((3, 2))  # counts change in place
    assert model.extreme_outcomes()[1] == (3, 2) != first

"""Inverse utility functions: NegMAS's queries and rules, on hand-made utilities."""

from __future__ import annotations

import math
import random

import pytest

from palaver.outcomes import ContinuousIssue, OutcomeSpace, make_issue
from palaver.preferences import (
    BruteForceInverseUtilityFunction,
    DefaultInverseUtilityFunction,
    InverseUFun,
    LinearAdditiveUtilityFunction,
    MappingUtilityFunction,
    PresortingInverseUtilityFunction,
    SamplingInverseUtilityFunction,
    UtilityFunction,
)
from palaver.preferences.inverse import read_range

# Ten outcomes (0,) .. (9,) worth 0.0, 0.1, ..., 0.9 except two ties.
SPACE = OutcomeSpace([make_issue(10, "x")])
UTILS = {(i,): i / 10 for i in range(10)}
UTILS[(7,)] = 0.6  # ties with (6,)


def ufun(reserved: float = -math.inf) -> MappingUtilityFunction:
    return MappingUtilityFunction(dict(UTILS), reserved_value=reserved, outcome_space=SPACE)


def inverter(**kwargs: object) -> PresortingInverseUtilityFunction:
    inv = PresortingInverseUtilityFunction(ufun(), seed=3, **kwargs)  # type: ignore[arg-type]
    inv.init()
    return inv


def test_ranking_worst_first_ties_in_space_order() -> None:
    inv = inverter()
    assert inv.outcomes == [(i,) for i in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)]
    assert list(inv.utils) == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.6, 0.8, 0.9]
    assert inv.minmax() == (0.0, 0.9)
    assert inv.extreme_outcomes() == ((0,), (9,))
    assert [o for o, _ in inv.ranked()][:3] == [(9,), (8,), (7,)]


def test_some_is_every_outcome_in_range_and_a_sample_of_n() -> None:
    inv = inverter()
    assert inv.some((0.25, 0.6), normalized=False) == [(3,), (4,), (5,), (6,), (7,)]
    assert inv.all((0.25, 0.6), normalized=False) == [(3,), (4,), (5,), (6,), (7,)]
    # normalized: 0 is 0.0 and 1 is 0.9, so [0.5, 1] is [0.45, 0.9]
    assert inv.some((0.5, 1.0), normalized=True) == [(5,), (6,), (7,), (8,), (9,)]
    drawn = inv.some((0.0, 1.0), normalized=True, n=3)
    assert len(drawn) == 3 and len(set(drawn)) == 3
    # one value v is v +- max(0.001 v, 1e-6)
    assert inv.some(0.6, normalized=False) == [(6,), (7,)]
    assert inv.some(0.65, normalized=False) == []


def test_best_and_worst_in_a_range_and_clamping_outside_it() -> None:
    inv = inverter()
    assert inv.best_in((0.25, 0.65), normalized=False) == (7,)
    assert inv.worst_in((0.25, 0.65), normalized=False) == (3,)
    # an empty range: worst_in takes the nearest above, best_in the nearest below
    assert inv.worst_in((0.65, 0.7), normalized=False) == (8,)
    assert inv.best_in((0.65, 0.7), normalized=False) == (7,)
    # beyond every utility: the best (worst_in) or the worst (best_in)
    assert inv.worst_in((5.0, 6.0), normalized=False) == (9,)
    assert inv.best_in((-6.0, -5.0), normalized=False) == (0,)
    capped = inverter(clamp_tolerance=0.05)
    assert capped.worst_in((0.65, 0.7), normalized=False) is None  # 0.8 is 0.1 away
    assert capped.worst_in((0.65, 0.78), normalized=False) == (8,)


def test_one_in_draws_in_range_then_around_it_then_falls_back() -> None:
    inv = inverter()
    seen = {inv.one_in((0.35, 0.55), normalized=False) for _ in range(200)}
    assert seen == {(4,), (5,)}
    # nothing in (0.65, 0.7): one of its two neighbours
    around = {inv.one_in((0.65, 0.7), normalized=False) for _ in range(200)}
    assert around == {(7,), (8,)}
    assert inv((0.35, 0.55), normalized=False) in {(4,), (5,)}
    capped = inverter(clamp_tolerance=0.0)
    # no answer in range and none within 0: higher ones, then the best
    assert capped.one_in((0.65, 0.7), normalized=False, fallback_to_higher=False) == (9,)
    assert (
        capped.one_in((0.65, 0.7), normalized=False, fallback_to_higher=False,
                      fallback_to_best=False) is None
    )  # fmt: skip
    higher = {capped.one_in((0.65, 0.7), normalized=False) for _ in range(100)}
    assert higher <= {(7,), (8,), (9,)} and (8,) in higher


def test_ranks_fractions_and_indices_best_first() -> None:
    inv = inverter()
    assert inv.outcome_at(0) == (9,) and inv.utility_at(0) == 0.9
    assert inv.outcome_at(9) == (0,) and inv.outcome_at(10) is None
    assert inv.utility_at(10) == -math.inf
    assert inv.within_indices((0, 2)) == [(9,), (8,), (7,)]
    assert inv.within_indices((8, 20)) == [(1,), (0,)]
    # the top fifth of ten outcomes: ranks 0..2 (one past the fraction)
    assert inv.within_fractions((0.0, 0.2)) == [(9,), (8,), (7,)]
    assert inv.within_fractions((0.0, 1.0)) == inv.within_indices((0, 9))
    assert inv.closest(0.44) == (4,)
    assert inv.closest(0.5, normalized=True) == (5,)  # 0.45: 0.4 and 0.5 tie, the higher


def test_next_worse_and_next_better_walk_the_ranking() -> None:
    inv = inverter()
    assert [inv.next_worse() for _ in range(3)] == [(9,), (8,), (7,)]
    inv.reset()
    walked = [inv.next_better() for _ in range(11)]
    assert walked[:2] == [(0,), (1,)] and walked[9] == (9,) and walked[10] is None


def test_rational_only_answers_only_at_or_above_the_reserved_value() -> None:
    inv = PresortingInverseUtilityFunction(ufun(reserved=0.5), rational_only=True)
    inv.init()
    assert inv.worst() == (5,) and inv.best() == (9,)
    assert inv.min() == 0.5
    assert inv.some((0.0, 1.0), normalized=False) == [(5,), (6,), (7,), (8,), (9,)]
    assert inv.best_in((0.0, 0.3), normalized=False) == (5,)  # clamped up to an answer
    assert inv.outcome_at(4) == (5,) and inv.outcome_at(5) in {(i,) for i in range(5)}
    nothing = PresortingInverseUtilityFunction(ufun(reserved=2.0), rational_only=True)
    assert nothing.best() is None and nothing.some((0, 1), True) == []
    assert nothing.minmax() == (math.inf, -math.inf)
    assert nothing.one_in((0, 1), True, fallback_to_best=False) is None


def test_continuous_space_is_discretized_into_levels() -> None:
    space = OutcomeSpace([ContinuousIssue(0.0, 1.0, "price")])
    price = LinearAdditiveUtilityFunction({"price": lambda v: v}, outcome_space=space)
    inv = PresortingInverseUtilityFunction(price, levels=5)
    inv.init()
    assert [o[0] for o in inv.outcomes] == [0.0, 0.25, 0.5, 0.75, 1.0]
    small = PresortingInverseUtilityFunction(price, levels=50, max_cache_size=3)
    small.init()
    assert len(small.outcomes) == 3  # fewer levels to fit the cache


def test_invert_caches_until_the_request_or_the_ufun_changes() -> None:
    u = ufun()
    first = u.invert()
    assert isinstance(first, DefaultInverseUtilityFunction) and first.initialized
    assert u.invert() is first
    other = u.invert(BruteForceInverseUtilityFunction)
    assert other is not first and other.best() == (9,)
    again = u.invert(BruteForceInverseUtilityFunction)
    assert again is other
    u.reserved_value = 0.3
    assert u.invert(BruteForceInverseUtilityFunction) is not other
    coarse = u.invert(levels=3)
    assert isinstance(coarse, PresortingInverseUtilityFunction) and coarse.levels == 3


class Drifting(UtilityFunction):
    """A ufun whose utilities change between calls (not stationary)."""

    def __init__(self) -> None:
        super().__init__(outcome_space=SPACE)
        self.flip = False

    def eval(self, outcome: tuple[int, ...]) -> float:
        return -outcome[0] if self.flip else outcome[0]

    def is_stationary(self) -> bool:
        return False


def test_a_changing_ufun_is_ranked_again_at_each_query() -> None:
    d = Drifting()
    inv = PresortingInverseUtilityFunction(d)
    assert inv.best() == (9,)
    d.flip = True
    assert inv.best() == (0,)


def test_global_random_by_default_and_seeded_when_asked() -> None:
    u = ufun()
    random.seed(11)
    a = [PresortingInverseUtilityFunction(u).one_in((0, 1), True) for _ in range(20)]
    random.seed(11)
    b = [PresortingInverseUtilityFunction(u).one_in((0, 1), True) for _ in range(20)]
    assert a == b and len(set(a)) > 1
    s1 = PresortingInverseUtilityFunction(u, seed=5)
    s2 = PresortingInverseUtilityFunction(u, seed=5)
    assert [s1.one_in((0, 1), True) for _ in range(10)] == [
        s2.one_in((0, 1), True) for _ in range(10)
    ]


def test_ranges_read_by_negmas_rules() -> None:
    assert read_range((0.2, 0.4)) == (0.2, 0.4)
    assert read_range((0.4, 0.35)) == (0.35, 0.4)  # upside down by <= 0.1: swapped
    assert read_range((0.9, 0.1)) is None
    assert inverter().some((0.9, 0.1), normalized=False) == []
    low, high = read_range(0.5)  # type: ignore[misc]
    assert math.isclose(low, 0.4995) and math.isclose(high, 0.5005)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda inv: inv.some("high", False), "rng must be a number or a"),
        (lambda inv: inv.some((0, "x"), False), "rng\\[1\\] must be a number"),
        (lambda inv: inv.some((0, float("nan")), False), "rng\\[1\\] must not be NaN"),
        (lambda inv: inv.some((0, 1), False, n=-1), "n must be None or a non-negative int"),
        (lambda inv: inv.outcome_at(-1), "indx must be a non-negative int rank, got -1"),
        (lambda inv: inv.within_indices((0, 1.5)), "rng must be two non-negative int"),
        (lambda inv: inv.within_fractions(0.5), "rng must be a \\(low, high\\) pair"),
    ],
)
def test_bad_queries_name_what_is_wrong(call: object, message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        call(inverter())  # type: ignore[operator]


def test_bad_construction_names_the_parameter() -> None:
    with pytest.raises(ValueError, match="levels must be a positive int, got 0"):
        PresortingInverseUtilityFunction(ufun(), levels=0)
    with pytest.raises(ValueError, match="clamp_tolerance must be >= 0"):
        PresortingInverseUtilityFunction(ufun(), clamp_tolerance=-1)
    with pytest.raises(TypeError, match="inverter must be an InverseUtilityFunction class"):
        ufun().invert(dict)  # type: ignore[arg-type]
    spaceless = MappingUtilityFunction({(1,): 1.0})
    with pytest.raises(ValueError, match="it has no outcome space"):
        spaceless.invert()
    big = OutcomeSpace([make_issue(100, "a"), make_issue(100, "b")])
    flat = MappingUtilityFunction(lambda o: 0.0, outcome_space=big)
    with pytest.raises(ValueError, match="max_cache_size=10"):
        PresortingInverseUtilityFunction(flat, max_cache_size=10).init()


def test_sampling_answers_from_a_fresh_sample_within_the_rules() -> None:
    space = OutcomeSpace([ContinuousIssue(0.0, 1.0, "a"), ContinuousIssue(0.0, 1.0, "b")])
    total = LinearAdditiveUtilityFunction(
        {"a": lambda v: v, "b": lambda v: v}, weights=[0.5, 0.5], outcome_space=space
    )
    inv = SamplingInverseUtilityFunction(total, max_samples_per_call=500, seed=2)
    found = inv.some((0.4, 0.6), normalized=False)
    assert found and all(0.4 <= total(o) <= 0.6 for o in found)
    assert len(found) < 500  # a sample, not every outcome
    offer = inv.one_in((0.7, 0.8), normalized=False)
    assert offer is not None and 0.7 <= total(offer) <= 0.8
    assert inv.best() != SamplingInverseUtilityFunction(total, seed=3).best()  # fresh draws
    with pytest.raises(ValueError, match="cannot list all outcomes"):
        inv.all((0.0, 1.0), normalized=False)
    # a finite space: normalized ranges on the ufun's exact minmax, at most 1.5x its size drawn
    small = SamplingInverseUtilityFunction(ufun(), seed=4)
    assert len(small.outcomes) == 15
    assert all(0.45 <= UTILS[o] <= 0.9 for o in small.some((0.5, 1.0), normalized=True))
    with pytest.raises(ValueError, match="max_samples_per_call must be a positive int"):
        SamplingInverseUtilityFunction(ufun(), max_samples_per_call=0)


def test_negmas_protocol_name_covers_every_inverter() -> None:
    for cls in (
        PresortingInverseUtilityFunction,
        BruteForceInverseUtilityFunction,
        SamplingInverseUtilityFunction,
    ):
        assert isinstance(cls(ufun()), InverseUFun)


@pytest.mark.parametrize(
    "kind",
    [
        InverseUFun,
        PresortingInverseUtilityFunction,
        SamplingInverseUtilityFunction,
        BruteForceInverseUtilityFunction,
    ],
)
def test_flags_and_seeds_are_checked_not_read_loosely(kind: type) -> None:
    # bool("no") answered rational-only; random.Random("x") took a text for a seed,
    # and NaN a seed that differs in every process (it is hashed by its address).
    with pytest.raises(TypeError, match=r"^rational_only must be True or False, got 'no'"):
        kind(ufun(), rational_only="no")
    for seed in ("x", math.nan, 1.5, -1):
        with pytest.raises((TypeError, ValueError), match=r"^seed must be an integer >= 0 or None"):
            kind(ufun(), seed=seed)

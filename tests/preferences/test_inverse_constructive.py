"""The inverters that build answers (BIDS, attribute planning, Monte-Carlo
search), the adaptive one and the strict brute-force one, checked against a
brute-force ranking of random spaces."""

from __future__ import annotations

import math

import numpy as np
import pytest

from palaver.outcomes import ContinuousIssue, OutcomeSpace, make_issue
from palaver.preferences import (
    AdaptiveInverseUtilityFunction,
    AttributePlanningInverseUtilityFunction,
    BIDSInverseUtilityFunction,
    BruteForceInverseUtilityFunction,
    InverseUFun,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    MCTSInverseUtilityFunction,
    PresortingInverseUtilityFunction,
    PresortingInverseUtilityFunctionBruteForce,
    PresortingLegacyInverseUtilityFunction,
    UtilityFunction,
)
from palaver.preferences.inverse_constructive import ConstructiveInverter

CONSTRUCTIVE = [
    BIDSInverseUtilityFunction,
    AttributePlanningInverseUtilityFunction,
    MCTSInverseUtilityFunction,
]


def additive(seed: int, sizes: tuple[int, ...] = (4, 5, 3)) -> LinearAdditiveUtilityFunction:
    space = OutcomeSpace([make_issue(n, f"i{k}") for k, n in enumerate(sizes)])
    return LinearAdditiveUtilityFunction.random(outcome_space=space, seed=seed)


def truth(u: UtilityFunction) -> tuple[list[tuple[int, ...]], np.ndarray]:
    assert u.outcome_space is not None
    outcomes = u.outcome_space.enumerate()
    return outcomes, np.asarray(u.eval_many(outcomes), dtype=float)


def ready(
    cls: type[ConstructiveInverter], u: UtilityFunction, seed: int = 1
) -> ConstructiveInverter:
    inv = cls(u, seed=seed)
    inv.init()
    return inv


@pytest.mark.parametrize("cls", CONSTRUCTIVE)
@pytest.mark.parametrize("seed", range(6))
def test_answers_lie_in_the_range_asked_and_extremes_are_exact(
    cls: type[ConstructiveInverter], seed: int
) -> None:
    u = additive(seed)
    _, utils = truth(u)
    inv = ready(cls, u, seed)
    assert isinstance(inv, InverseUFun)
    assert inv.minmax() == pytest.approx((utils.min(), utils.max()))
    assert u(inv.best()) == pytest.approx(utils.max())
    assert u(inv.worst()) == pytest.approx(utils.min())
    rng = np.random.default_rng(seed)
    for _ in range(10):
        low, high = sorted(rng.uniform(utils.min(), utils.max(), 2))
        exists = bool(((utils >= low) & (utils <= high)).any())
        for o in inv.some((low, high), normalized=False, n=20):
            assert low - 1e-9 <= u(o) <= high + 1e-9
        for found in (inv.best_in((low, high), False), inv.worst_in((low, high), False)):
            assert found is not None  # clamping: never None on a non-empty space
            if exists and low - 1e-6 <= u(found) <= high + 1e-6:
                continue
            # outside the range only as a fallback: then nothing was found in it
            assert found in (inv.best(), inv.worst()) or u(found) >= low - 1e-6
        one = inv.one_in((low, high), False, fallback_to_higher=False, fallback_to_best=False)
        assert one is None or low - 1e-6 <= u(one) <= high + 1e-6


@pytest.mark.parametrize("seed", range(8))
def test_bids_fine_grid_best_and_worst_match_brute_force(seed: int) -> None:
    # At 10**6 grid steps the distinct sums of a small space stay distinct, so
    # the highest (lowest) reachable sum in the range is the true best (worst).
    u = additive(seed, (5, 4, 6))
    _, utils = truth(u)
    inv = BIDSInverseUtilityFunction(u, precision=6, seed=seed)
    inv.init()
    rng = np.random.default_rng(100 + seed)
    for _ in range(15):
        low, high = sorted(rng.uniform(utils.min(), utils.max(), 2))
        inside = utils[(utils >= low - 1e-6) & (utils <= high + 1e-6)]
        if not len(inside):
            continue
        assert u(inv.best_in((low, high), False)) == pytest.approx(inside.max())
        assert u(inv.worst_in((low, high), False)) == pytest.approx(inside.min())
        assert abs(u(inv.closest((low + high) / 2)) - (low + high) / 2) == pytest.approx(
            np.abs(utils - (low + high) / 2).min(), abs=1e-9
        )


def test_bids_and_attribute_planning_on_a_space_too_large_to_rank() -> None:
    u = additive(3, (10,) * 30)  # 10**30 outcomes
    for cls in (BIDSInverseUtilityFunction, AttributePlanningInverseUtilityFunction):
        inv = ready(cls, u)
        found = inv.some((0.45, 0.55), normalized=True, n=10)
        assert len(found) >= 5 and len(set(found)) == len(found)
        span = inv.max() - inv.min()
        assert all(0.45 <= (u(o) - inv.min()) / span <= 0.55 for o in found)
    with pytest.raises(ValueError, match="does not rank every outcome"):
        inv.outcome_at(3)
    with pytest.raises(ValueError, match="cannot list all outcomes"):
        inv.all((0.0, 1.0), True)


@pytest.mark.parametrize("cls", CONSTRUCTIVE)
def test_same_seed_same_answers(cls: type[ConstructiveInverter]) -> None:
    u = additive(7, (6, 6, 6))
    a, b = ready(cls, u, seed=5), ready(cls, u, seed=5)
    queries = [(0.2, 0.5), (0.4, 0.9), (0.0, 0.3)]
    assert [a.one_in(q, True) for q in queries] == [b.one_in(q, True) for q in queries]
    assert [a.some(q, True) for q in queries] == [b.some(q, True) for q in queries]


@pytest.mark.parametrize("cls", CONSTRUCTIVE)
def test_fallbacks_outside_the_utilities(cls: type[ConstructiveInverter]) -> None:
    u = additive(2)
    inv = ready(cls, u)
    above = (inv.max() + 0.1, inv.max() + 0.2)
    below = (inv.min() - 0.2, inv.min() - 0.1)
    assert inv.best_in(above, False) == inv.best()
    assert inv.worst_in(above, False) == inv.best()
    assert inv.worst_in(below, False, fallback_to_higher=False) == inv.worst()
    assert inv.one_in(above, False) == inv.best()
    assert inv.best_in(above, False, fallback_to_best=False) is None
    assert inv.some(above, False) == []


def test_additive_inverters_refuse_other_ufuns_and_mcts_takes_them() -> None:
    space = OutcomeSpace([make_issue(4, "a"), make_issue(3, "b")])
    table = {o: float(o[0] * o[1]) for o in space.enumerate()}  # not additive
    u = MappingUtilityFunction(table, outcome_space=space)
    for cls in (BIDSInverseUtilityFunction, AttributePlanningInverseUtilityFunction):
        with pytest.raises(TypeError, match="needs an additive ufun"):
            cls(u).init()
    inv = MCTSInverseUtilityFunction(u, n_simulations=60, seed=2)
    inv.init()
    assert (inv.min(), inv.max()) == (0.0, 6.0)
    found = inv.some((2.0, 4.0), False, n=5)
    assert found and all(2.0 <= u(o) <= 4.0 for o in found)
    assert u(inv.closest(3.0)) == 3.0


def test_continuous_issues_are_discretized() -> None:
    plane = OutcomeSpace([ContinuousIssue(0.0, 1.0, "x"), ContinuousIssue(0.0, 2.0, "y")])
    u = LinearUtilityFunction([1.0, 0.5], outcome_space=plane)
    for cls in CONSTRUCTIVE:
        inv = ready(cls, u)
        assert inv.minmax() == pytest.approx((0.0, 2.0))
        o = inv.one_in((0.9, 1.1), False, fallback_to_higher=False, fallback_to_best=False)
        assert o is not None and 0.9 <= u(o) <= 1.1


def test_adaptive_picks_presorting_when_it_fits_and_bids_when_not() -> None:
    small = additive(1)
    inv = AdaptiveInverseUtilityFunction(small, seed=0)
    inv.init()
    assert type(inv.delegate) is PresortingInverseUtilityFunction
    outcomes, utils = truth(small)
    assert inv.outcome_at(0) == outcomes[int(np.argmax(utils))]
    large = AdaptiveInverseUtilityFunction(small, max_presorting_outcomes=10, seed=0)
    large.init()
    assert type(large.delegate) is BIDSInverseUtilityFunction
    assert large.max() == pytest.approx(utils.max())
    table = MappingUtilityFunction(dict(zip(outcomes, utils.tolist(), strict=True)))
    table.outcome_space = small.outcome_space
    other = AdaptiveInverseUtilityFunction(table, max_presorting_outcomes=10)
    other.init()
    assert type(other.delegate) is PresortingInverseUtilityFunction


@pytest.mark.parametrize(
    "cls", [BruteForceInverseUtilityFunction, PresortingInverseUtilityFunctionBruteForce]
)
def test_brute_force_is_strict_where_presorting_clamps(cls: type) -> None:
    u = additive(4)
    outcomes, utils = truth(u)
    strict, clamping = cls(u), PresortingLegacyInverseUtilityFunction(u)
    strict.init()
    clamping.init()
    above = (utils.max() + 0.1, utils.max() + 0.2)
    assert strict.best_in(above, False) is None and strict.worst_in(above, False) is None
    assert clamping.best_in(above, False) == outcomes[int(np.argmax(utils))]
    assert strict.one_in(above, False) == strict.best()  # one_in still falls back
    gap_low, gap_high = np.sort(utils)[3] + 1e-4, np.sort(utils)[4] - 1e-4
    assert strict.best_in((gap_low, gap_high), False) is None
    rng = np.random.default_rng(4)
    for _ in range(20):
        low, high = sorted(rng.uniform(utils.min(), utils.max(), 2))
        inside = utils[(utils >= low - 1e-6) & (utils <= high + 1e-6)]
        best, worst = strict.best_in((low, high), False), strict.worst_in((low, high), False)
        assert (best is None) == (not len(inside)) == (worst is None)
        if len(inside):
            assert u(best) == inside.max() and u(worst) == inside.min()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda u: BIDSInverseUtilityFunction(u, precision=9), "precision must be from 0 to 6"),
        (lambda u: BIDSInverseUtilityFunction(u, precision=2.5), "precision must be an int"),
        (lambda u: BIDSInverseUtilityFunction(u, n_samples=0), "n_samples must be a positive"),
        (
            lambda u: AttributePlanningInverseUtilityFunction(u, continuous_levels=0),
            "continuous_levels must be a positive int, got 0",
        ),
        (lambda u: MCTSInverseUtilityFunction(u, n_simulations=-1), "n_simulations must be"),
        (lambda u: MCTSInverseUtilityFunction(u, c_ucb=0.0), "c_ucb must be > 0, got 0.0"),
        (
            lambda u: AdaptiveInverseUtilityFunction(u, max_presorting_outcomes=0),
            "max_presorting_outcomes must be a positive int",
        ),
        (lambda u: AdaptiveInverseUtilityFunction(u, bids_precision=-1), "precision must be"),
        (lambda u: AdaptiveInverseUtilityFunction(u, levels=0), "levels must be a positive"),
    ],
)
def test_bad_arguments_are_refused_when_built(make: object, message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        make(additive(0))  # type: ignore[operator]


def test_eps_widens_the_range_of_presorting_queries() -> None:
    u = additive(5)
    _, utils = truth(u)
    inv = BruteForceInverseUtilityFunction(u)
    inv.init()
    x = float(np.sort(utils)[10])
    assert u(inv.worst_in((x + 1e-7, x + 0.5), False)) == x  # within the default 1e-6
    above = inv.worst_in((x + 1e-7, x + 0.5), False, eps=0.0)
    assert above is None or u(above) > x
    with pytest.raises(ValueError, match="eps must be >= 0"):
        inv.best_in((0.0, 1.0), False, eps=-1.0)
    assert not math.isnan(x)


@pytest.mark.parametrize("seed", range(5))
def test_mcts_with_rollouts_covering_a_tiny_space_is_exact(seed: int) -> None:
    # 600 rollouts over 12 outcomes: the first level alone tries every one of
    # them (almost surely), so the best/worst candidate is the true one.
    u = additive(seed, (3, 4))
    outcomes, utils = truth(u)
    inv = MCTSInverseUtilityFunction(u, n_simulations=600, seed=seed)
    inv.init()
    rng = np.random.default_rng(seed)
    for _ in range(10):
        low, high = sorted(rng.uniform(utils.min(), utils.max(), 2))
        inside = utils[(utils >= low - 1e-6) & (utils <= high + 1e-6)]
        if len(inside):
            assert u(inv.best_in((low, high), False)) == pytest.approx(inside.max())
            assert u(inv.worst_in((low, high), False)) == pytest.approx(inside.min())
            assert set(inv.some((low, high), False, n=100)) == {
                o for o, x in zip(outcomes, utils, strict=True) if low <= x <= high
            }

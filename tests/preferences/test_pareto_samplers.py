"""NegMAS's Pareto samplers: brute force, adaptive, and the additive IPS, MOBANOS and NB3."""

from __future__ import annotations

import itertools

import pytest

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import (
    AdaptiveParetoSampler,
    BruteForceParetoSampler,
    DefaultParetoSampler,
    IPSParetoSampler,
    LinearAdditiveUtilityFunction,
    MappingUtilityFunction,
    MOBANOSParetoSampler,
    NB3ParetoSampler,
    ParetoSampler,
)
from palaver.preferences.value_functions import TableFun

SPACE = OutcomeSpace([make_issue(4, "a"), make_issue(3, "b")])
OWN = LinearAdditiveUtilityFunction(
    [TableFun({0: 0.0, 1: 0.5, 2: 0.8, 3: 1.0}), TableFun({0: 1.0, 1: 0.4, 2: 0.0})],
    weights=[0.7, 0.3],
    outcome_space=SPACE,
)
OPP = LinearAdditiveUtilityFunction(
    [TableFun({0: 1.0, 1: 0.9, 2: 0.3, 3: 0.0}), TableFun({0: 0.0, 1: 0.6, 2: 1.0})],
    weights=[0.5, 0.5],
    outcome_space=SPACE,
)
ALL = [BruteForceParetoSampler, IPSParetoSampler, MOBANOSParetoSampler, NB3ParetoSampler]


def exact_frontier() -> set[tuple[int, ...]]:
    outcomes = SPACE.enumerate()
    utils = {o: (OWN(o), OPP(o)) for o in outcomes}
    return {
        o
        for o in outcomes
        if not any(
            p[0] >= utils[o][0] and p[1] >= utils[o][1] and p != utils[o] for p in utils.values()
        )
    }


@pytest.mark.parametrize("cls", ALL)
def test_every_sampler_finds_the_exact_frontier(cls: type) -> None:
    sampler = cls()
    assert isinstance(sampler, ParetoSampler) and not sampler.initialized
    sampler.init(OWN, OPP)
    assert sampler.initialized and sampler.ufun is OWN
    found = sampler.pareto_outcomes()
    assert set(found) == exact_frontier()
    own = [OWN(o) for o in found]
    assert own == sorted(own, reverse=True)
    assert len(sampler.pareto_outcomes(n=2)) == 2


@pytest.mark.parametrize("cls", ALL)
def test_queries_filter_by_own_utility(cls: type) -> None:
    sampler = cls()
    sampler.init(OWN, OPP)
    low, high = OWN.minmax()
    half = low + 0.5 * (high - low)
    kept = sampler.pareto_outcomes(min_util=0.5, normalized=True)
    assert kept == sampler.pareto_outcomes(min_util=half)
    assert kept and all(OWN(o) >= half for o in kept)
    best = sampler.best_for_opponent(min_util=0.5, normalized=True)
    assert best == max(kept, key=OPP)
    assert sampler.best_for_opponent(min_util=high + 1) is None


@pytest.mark.parametrize("cls", [*ALL, AdaptiveParetoSampler])
def test_without_an_opponent_the_sampler_waits(cls: type) -> None:
    sampler = cls()
    sampler.init(OWN, None)
    assert not sampler.initialized and sampler.pareto_outcomes() == []
    assert sampler.best_for_opponent(min_util=0.0) is None
    assert set(sampler.pareto_outcomes(opponent_ufun=OPP)) == exact_frontier()
    assert sampler.initialized


def test_additive_samplers_refuse_other_ufuns_and_continuous_issues() -> None:
    mapping = MappingUtilityFunction(
        {o: float(sum(o)) for o in SPACE.enumerate()}, outcome_space=SPACE
    )
    for cls in (IPSParetoSampler, MOBANOSParetoSampler, NB3ParetoSampler):
        with pytest.raises(TypeError, match="opponent_ufun must be an additive utility function"):
            cls().init(OWN, mapping)
        square = OutcomeSpace([make_issue((0.0, 1.0), "x")])
        lin = LinearAdditiveUtilityFunction.random(outcome_space=square)
        with pytest.raises(ValueError, match=r"need discrete issues; \['x'\] are continuous"):
            cls().init(lin, lin)
    brute = BruteForceParetoSampler()
    brute.init(mapping, OPP)
    assert brute.pareto_outcomes()  # any utility functions


def test_adaptive_chooses_by_size_and_make_pareto_sampler_keeps_it() -> None:
    assert DefaultParetoSampler is AdaptiveParetoSampler
    small = AdaptiveParetoSampler()
    small.init(OWN, OPP)
    assert isinstance(small.impl, BruteForceParetoSampler)
    large = AdaptiveParetoSampler(max_bruteforce_outcomes=1)
    large.init(OWN, OPP)
    assert isinstance(large.impl, MOBANOSParetoSampler)
    assert set(large.pareto_outcomes()) == exact_frontier()
    kept = OWN.make_pareto_sampler(opponent_ufun=OPP)
    assert isinstance(kept, AdaptiveParetoSampler) and kept.initialized
    assert OWN.make_pareto_sampler(opponent_ufun=OPP) is kept
    assert OWN.make_pareto_sampler(opponent_ufun=OPP, pareto_sampler=NB3ParetoSampler) is not kept
    OWN.forget_pareto_sampler()
    assert OWN.make_pareto_sampler(opponent_ufun=OPP) is not kept
    OWN.forget_pareto_sampler()


def test_nb3_stops_after_its_node_budget_and_ips_rounds() -> None:
    big = OutcomeSpace([make_issue(6, f"i{k}") for k in range(4)])
    # Quarters add exactly: every outcome of this zero-sum pair is on the frontier.
    up = TableFun({v: v * 0.25 for v in range(6)})
    down = TableFun({v: 2.0 - v * 0.25 for v in range(6)})
    own = LinearAdditiveUtilityFunction([up] * 4, weights=[1.0] * 4, outcome_space=big)
    opp = LinearAdditiveUtilityFunction([down] * 4, weights=[1.0] * 4, outcome_space=big)
    full = NB3ParetoSampler()
    full.init(own, opp)
    assert len(full.pareto_outcomes()) == len(big.enumerate())
    cut = NB3ParetoSampler(max_nodes=10)
    cut.init(own, opp)
    assert 0 < len(cut.pareto_outcomes()) < 10
    coarse = IPSParetoSampler(precision=0)
    coarse.init(own, opp)
    utilities = {(round(own(o), 6), round(opp(o), 6)) for o in coarse.pareto_outcomes()}
    assert len(utilities) < 21  # points within a rounding step merged
    with pytest.raises(ValueError, match="precision must be an int >= 0, got -1"):
        IPSParetoSampler(precision=-1)
    assert list(itertools.islice(full.pareto_outcomes(), 1)) == [(5, 5, 5, 5)]
